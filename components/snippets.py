"""The Raw view's snippets for one check: `client.snippets` fed with the page's settings,
its language's comment texts and, for the page's sandbox, the sandbox's public demo keys.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from client.snippets import COMMENT_KEYS, SnippetTarget, build_snippets, input_file_name
from components.i18n import t
from core.text import api_language
from sandbox import DEMO_SECRET_ID, DEMO_SECRET_KEY

if TYPE_CHECKING:
    from components.check_run import CheckOutcome
    from components.context import AppContext

__all__ = ["page_snippets", "snippet_comments", "snippet_target"]


def snippet_comments(lang: str) -> dict[str, str]:
    """The snippets' comment texts in the page language."""
    return {key: t(f"raw.snippet.{key}", lang) for key in COMMENT_KEYS}


def snippet_target(ctx: AppContext, outcome: CheckOutcome) -> SnippetTarget:
    """What the snippets send: the page's endpoint, region and language, the input as
    sent, and the demo keys only when the page uses its own sandbox."""
    prepared = outcome.prepared
    input_type = int(prepared.input_type) if prepared else 1
    size = len(prepared.data) if prepared else len(outcome.original)
    sandbox = ctx.backend == "sandbox"
    return SnippetTarget(
        endpoint=ctx.endpoint,
        region=ctx.region,
        language=api_language(ctx.lang),
        input_type=input_type,
        base64_chars=4 * -(-size // 3),
        mime=prepared.mime if prepared else "",
        secret_id=DEMO_SECRET_ID if sandbox else None,
        secret_key=DEMO_SECRET_KEY if sandbox else None,
    )


def page_snippets(ctx: AppContext, outcome: CheckOutcome) -> tuple[str, dict[str, str]]:
    """(the input's file name, every snippet keyed by `client.snippets.SNIPPET_KINDS`)."""
    target = snippet_target(ctx, outcome)
    snippets = build_snippets(target, snippet_comments(ctx.lang))
    return input_file_name(target.input_type, target.mime), snippets
