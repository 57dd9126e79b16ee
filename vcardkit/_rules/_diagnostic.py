"""Diagnostic, Fix, Severity and Where: what validation reports, at the bottom of the rules layer.

Nothing here imports from the rest of the package: documents, rules, the
engine and the interfaces all build on it.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import NamedTuple

__all__ = ["Diagnostic", "Edit", "Fix", "Severity", "Where"]


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


class Where(NamedTuple):
    """A location: physical line and code-point column (or ``None``), card, pointer.

    ``end_line``/``end_column`` end the span the diagnostic covers, exclusive
    (as SARIF's ``endColumn``): the position helpers of the documents work
    it out from what they point at; ``None`` where there is no position.
    """

    line: int | None
    column: int | None
    card: int | None = None
    pointer: str | None = None
    end_line: int | None = None
    end_column: int | None = None


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace the text from ``start`` to ``end`` (exclusive) with ``text``.

    Both are 1-based (line, column) pairs in the coordinates of diagnostics:
    physical lines and code-point columns of the decoded text. A line break
    is addressed as the column after the last character of its line.
    """

    start: tuple[int, int]
    end: tuple[int, int]
    text: str


@dataclass(frozen=True, slots=True)
class Fix:
    """How to repair what a diagnostic reports.

    ``edits`` are the spans it replaces in the text (none overlap). ``safe``
    fixes never guess; unsafe ones (a ``waid`` derived from the phone, a
    national number completed with a region) run only when asked for. For
    input that was Python objects, there is no text: ``pointer`` names the
    field and ``value`` is its new value. ``line_ending`` is a change of the
    whole file rather than of spans (VC103: every line break becomes CRLF):
    listing an edit for each line of a million-line file would make the
    fix as big as the file. ``bom`` is a change of the file's bytes before
    its text: ``False`` writes it without its byte-order mark (VC102). The
    mark is not in the decoded text, so no span of the text can say it.
    """

    description: str
    edits: tuple[Edit, ...] = ()
    safe: bool = True
    pointer: str | None = None
    value: str | None = None
    line_ending: str | None = None
    bom: bool | None = None

    @property
    def applicable(self) -> bool:
        """Whether the fix changes the file (edits, the line endings, the byte-order mark)."""
        return bool(self.edits) or self.line_ending is not None or self.bom is not None


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
    # Where the span ends, exclusive: just past the offending character, the
    # value, the property or parameter name, or the card's BEGIN line.
    end_line: int | None = None
    end_column: int | None = None

    def sort_key(self) -> tuple[str, int, int, int, str, str]:
        """By line, column, code; input without text by card, then code (docs/rules/index.md)."""
        return (
            self.path or "",
            self.line if self.line is not None else 0,
            self.column if self.column is not None else 0,
            self.card if self.line is None and self.card is not None else 0,
            self.code,
            self.pointer or "",
        )
