"""The plan of a run, decided once for the page, the CLI and the runner: what the set
holds, what is already measured under the run's settings, what will be sent, in which
order, and how long it will take at the quota.

The order is balanced: items are interleaved across labels and attack types in
proportion to their numbers (shuffled with a fixed seed inside each group), so any prefix
of a run — a cancelled or still running one — is a fair sample of the whole set."""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from evaluation.dataset import Dataset, DatasetItem
from evaluation.models import ATTACK, BONA_FIDE

__all__ = ["PLAN_SEED", "Plan", "balanced_order", "make_plan"]

PLAN_SEED = 0


def _stratum(item: DatasetItem) -> tuple[str, str]:
    """The group an item is balanced in: its label and, for attacks, its attack type."""
    return (item.label, (item.attack_type or "") if item.label == ATTACK else "")


def balanced_order(items: Iterable[DatasetItem], seed: int = PLAN_SEED) -> list[DatasetItem]:
    """Items interleaved across (label, attack type) groups in proportion to their sizes;
    each group shuffled with `seed`. The same items and seed give the same order."""
    groups: dict[tuple[str, str], list[DatasetItem]] = {}
    for item in sorted(items, key=lambda it: it.path):
        groups.setdefault(_stratum(item), []).append(item)
    keyed: list[tuple[float, int, DatasetItem]] = []
    for rank, name in enumerate(sorted(groups)):
        group = groups[name]
        random.Random(f"{seed}:{name[0]}:{name[1]}").shuffle(group)
        size = len(group)
        keyed.extend(((i + 0.5) / size, rank, item) for i, item in enumerate(group))
    keyed.sort(key=lambda entry: (entry[0], entry[1]))
    return [item for _, _, item in keyed]


@dataclass(frozen=True)
class Plan:
    """What a run will do. `to_send` lists one item per content not yet measured, in the
    balanced order; items sharing content get the same answer."""

    items: int
    bona_fide: int
    attack: int
    attack_types: dict[str, int]
    contents: int
    stored_contents: int
    stored_items: int
    qps: float
    to_send: tuple[DatasetItem, ...] = field(repr=False)
    seed: int = PLAN_SEED
    balanced: bool = True

    @property
    def send_count(self) -> int:
        """Contents that will be sent (one call each, before retries)."""
        return len(self.to_send)

    @property
    def estimate_s(self) -> float:
        """Seconds the calls take at the quota."""
        return self.send_count / self.qps if self.qps > 0 else 0.0

    @property
    def fresh(self) -> bool:
        """True when nothing of the set is measured yet (Start rather than Continue)."""
        return self.stored_contents == 0


def make_plan(
    dataset: Dataset | Sequence[DatasetItem],
    final: set[str],
    qps: float,
    seed: int = PLAN_SEED,
) -> Plan:
    """The plan for a set given the content hashes already final under the run's settings
    (`Store.final_hashes(settings.config_key)`)."""
    items = tuple(dataset.items if isinstance(dataset, Dataset) else dataset)
    first: dict[str, DatasetItem] = {}
    for item in items:
        first.setdefault(item.sha256, item)
    types: dict[str, int] = {}
    for item in items:
        if item.label == ATTACK:
            name = item.attack_type or "unspecified"
            types[name] = types.get(name, 0) + 1
    pending = [item for sha, item in first.items() if sha not in final]
    return Plan(
        items=len(items),
        bona_fide=sum(1 for it in items if it.label == BONA_FIDE),
        attack=sum(1 for it in items if it.label == ATTACK),
        attack_types=dict(sorted(types.items())),
        contents=len(first),
        stored_contents=len(first) - len(pending),
        stored_items=sum(1 for it in items if it.sha256 in final),
        qps=qps,
        to_send=tuple(balanced_order(pending, seed)),
        seed=seed,
    )
