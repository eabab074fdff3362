"""How each risk level looks: colours and icon, shared by the page and the hand-over files."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["LEVEL_STYLES", "LevelStyle", "level_style"]


@dataclass(frozen=True)
class LevelStyle:
    """How a risk level looks: colour name (for tests and screen readers), hex colours, icon."""

    colour: str
    ink: str
    background: str
    icon: str


LEVEL_STYLES: dict[str, LevelStyle] = {
    "Low": LevelStyle("green", "#1E7B34", "#E7F5EC", "✅"),
    "Mid": LevelStyle("amber", "#8A5300", "#FFF3DB", "⚠️"),
    "High": LevelStyle("red", "#B42318", "#FDECEA", "⛔"),
    "Unknown": LevelStyle("grey", "#4B5563", "#F1F3F5", "❔"),
}


def level_style(level: str) -> LevelStyle:
    """The style of a level name ("Low", "Mid", "High"; anything else is Unknown)."""
    return LEVEL_STYLES.get(level, LEVEL_STYLES["Unknown"])
