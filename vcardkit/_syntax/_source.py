"""A decoded text and its physical lines: offsets to (line, column) and back.

RULES.md "Where a diagnostic points": lines are physical lines, 1-based; CRLF,
LF and a lone CR each end one line (so CR CR LF is two); columns count code
points of the decoded line, 1-based.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import Final

__all__ = ["Source"]

_LINE_BREAK_RE: Final = re.compile(r"\r\n|\r|\n")


class Source:
    """Positions in one decoded text; line starts are computed once, on first use."""

    __slots__ = ("_starts", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self._starts: list[int] | None = None

    @property
    def starts(self) -> list[int]:
        """The offset of the first character of each physical line."""
        if self._starts is None:
            starts = [0]
            starts.extend(m.end() for m in _LINE_BREAK_RE.finditer(self.text))
            if len(starts) > 1 and starts[-1] == len(self.text):
                starts.pop()  # the text ends with a line break: no line after it
            self._starts = starts
        return self._starts

    @property
    def line_count(self) -> int:
        return len(self.starts) if self.text else 0

    def position(self, offset: int) -> tuple[int, int]:
        """(line, column), 1-based, of a code-point offset.

        An offset inside a line break, or past the end of a text that ends in
        one, is the line break's own column (one past the line's last
        character): a position always lies inside the text's lines.
        """
        k = bisect_right(self.starts, offset) - 1
        column = offset - self.starts[k] + 1
        if offset >= len(self.text) or self.text[offset] in "\r\n":
            column = min(column, len(self.line_text(k + 1)) + 1)
        return k + 1, column

    def offset(self, line: int, column: int) -> int:
        """The code-point offset of a 1-based (line, column)."""
        if line > len(self.starts):
            return len(self.text)
        return self.starts[line - 1] + column - 1

    def line_texts(self) -> list[str]:
        """Every physical line without its line break: ``line_text`` of each, at once."""
        return _LINE_BREAK_RE.split(self.text)[: self.line_count]

    def line_text(self, line: int) -> str:
        """Physical line ``line`` without its line break."""
        start = self.starts[line - 1]
        m = _LINE_BREAK_RE.search(self.text, start)
        return self.text[start : m.start() if m else len(self.text)]

    def line_break(self, line: int) -> str:
        """The line break ending physical line ``line`` (``""`` for an unended last line)."""
        start = self.starts[line - 1]
        m = _LINE_BREAK_RE.search(self.text, start)
        return m.group() if m else ""
