"""Exit codes and the last-resort error handling shared by the command lines that use
the client (`python -m client`, `python -m evaluation`).

    0   done (a verdict of any level; a run finished or a report written)
    1   an API or network error (`ApiError`), or a bug
    2   bad input, usage or configuration (`ConfigError` and the command's own errors)
    130 interrupted with Ctrl-C

`run_guarded` turns whatever a command raises into one line on stderr and its exit
code: never a traceback (a bug's traceback only when `verbose`).
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from typing import TextIO

from client.errors import ApiError, ConfigError

__all__ = ["EXIT_API_ERROR", "EXIT_INTERRUPTED", "EXIT_OK", "EXIT_USAGE", "run_guarded"]

EXIT_OK, EXIT_API_ERROR, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


def run_guarded(
    command: Callable[[], int],
    err: TextIO,
    *,
    usage_errors: tuple[type[Exception], ...] = (),
    verbose: bool = False,
    bug_hint: str = "",
) -> int:
    """`command()`'s exit code; an escaping error becomes one line on `err` and its code.
    `bug_hint` ends the line for an unexpected error (e.g. how to see the traceback)."""
    usage: tuple[type[Exception], ...] = (ConfigError, *usage_errors)
    try:
        return command()
    except usage as exc:
        print(f"error: {exc}", file=err)
        return EXIT_USAGE
    except ApiError as exc:
        print(f"error: {exc}", file=err)
        return EXIT_API_ERROR
    except KeyboardInterrupt:
        print("interrupted / 已中断", file=err)
        return EXIT_INTERRUPTED
    except Exception as exc:  # a bug: one line, the traceback only when asked for
        print(f"unexpected error ({type(exc).__name__}): {exc}{bug_hint}", file=err)
        if verbose:
            traceback.print_exc(file=err)
        return EXIT_API_ERROR
