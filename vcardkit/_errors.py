"""The one exception family of vcardkit.

Like tomli's ``TOMLDecodeError``, a :class:`VCardError` is built from where the
fault is, never from hand-counted numbers at the raise site: the syntax layer
hands over a physical line and a code-point column it worked out itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover - typing only
    from vcardkit._rules._diagnostic import Diagnostic

__all__ = ["VCardError", "ValidationError"]


class VCardError(ValueError):
    """Text that cannot be read as vCards, or a value no vCard 3.0 line can carry.

    ``line`` and ``column`` are 1-based positions in the physical (folded) text
    the caller passed, or ``None`` when the fault is in Python objects.
    ``pointer`` is a JSON Pointer (``/0/phoneNumber``) when the fault is in a
    contact field; ``code`` is the rule code of the fault when it has one.
    """

    def __init__(
        self,
        message: str,
        *,
        line: int | None = None,
        column: int | None = None,
        pointer: str | None = None,
        code: str | None = None,
    ) -> None:
        self.msg = message
        self.line = line
        self.column = column
        self.pointer = pointer
        self.code = code
        where = ""
        if line is not None:
            where = f" (at line {line}, column {column})"
        elif pointer is not None:
            where = f" (at {pointer})"
        prefix = f"{code}: " if code else ""
        super().__init__(f"{prefix}{message}{where}")


class ValidationError(VCardError):
    """Raised by :func:`vcardkit.check` when errors remain; carries all of them."""

    def __init__(self, diagnostics: Sequence[Diagnostic]) -> None:
        self.diagnostics: tuple[Diagnostic, ...] = tuple(diagnostics)
        errors = [d for d in self.diagnostics if str(d.severity) == "error"]
        first = errors[0] if errors else (self.diagnostics[0] if self.diagnostics else None)
        count = len(errors)
        summary = f"{count} error{'s' if count != 1 else ''} found"
        if first is not None:
            summary += f"; first: {first.code} {first.message}"
        super().__init__(
            summary,
            line=first.line if first else None,
            column=first.column if first else None,
            pointer=first.pointer if first else None,
        )
        # The summary names the first error's code already.
        self.code = first.code if first else None


# Shown as vcardkit.VCardError in tracebacks and reprs: the public name.
VCardError.__module__ = "vcardkit"
ValidationError.__module__ = "vcardkit"
