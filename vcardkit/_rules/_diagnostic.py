"""Diagnostic, Fix and Severity: what validation reports (DESIGN.md, layer 3)."""

from __future__ import annotations

import enum
from dataclasses import dataclass

__all__ = ["Diagnostic", "Fix", "Severity"]


class Severity(enum.Enum):
    """How much a diagnostic matters; ordered, ``ERROR`` highest."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return _RANK[self]

    def __str__(self) -> str:
        return self.value


_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2}


@dataclass(frozen=True, slots=True)
class Fix:
    """A replacement of a span of the input.

    ``start`` and ``end`` are (line, column) pairs, 1-based, the end exclusive,
    in the same physical coordinates as the diagnostic; ``replacement`` is the
    text put there. ``safe`` fixes never guess; unsafe ones (a ``waid`` derived
    from the phone, a national number completed with a region) run only when
    asked for. ``pointer`` is set instead of the span for Python-object input.
    """

    start: tuple[int, int] | None
    end: tuple[int, int] | None
    replacement: str
    description: str
    safe: bool = True
    pointer: str | None = None


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem: its rule, severity, a sentence naming the value, and where it is."""

    code: str
    name: str
    severity: Severity
    message: str
    path: str | None = None
    line: int | None = None
    column: int | None = None
    card: int | None = None
    pointer: str | None = None
    fix: Fix | None = None

    def sort_key(self) -> tuple[int, int, str, str]:
        return (
            self.line if self.line is not None else 0,
            self.column if self.column is not None else 0,
            self.code,
            self.pointer or "",
        )
