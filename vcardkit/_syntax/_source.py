"""A decoded text: its physical lines, offsets to (line, column) and back, and
the pieces a text is read in.

docs/rules/index.md "Where a diagnostic points": lines are physical lines, 1-based; CRLF,
LF and a lone CR each end one line (so CR CR LF is two); columns count code
points of the decoded line, 1-based.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from typing import Final

__all__ = ["Pieces", "Source"]

_LINE_BREAK_RE: Final = re.compile(r"\r\n|\r|\n")
# A piece of text is cut from the buffer once this much of it is consumed.
_TRIM: Final = 1 << 16


class Source:
    """Positions in one decoded text; line starts are computed once, on first use.

    The text may be a window of a longer one, read as a stream: ``line`` and
    ``base`` are the line number and code-point offset of its first
    character in the whole text, and every position and offset in and out
    is the whole text's (a diagnostic points into the file the user opened).
    """

    __slots__ = ("_starts", "base", "line", "text")

    def __init__(self, text: str, *, line: int = 1, base: int = 0) -> None:
        self.text = text
        self.line = line
        self.base = base
        self._starts: list[int] | None = None

    @property
    def starts(self) -> list[int]:
        """The offset in ``text`` of the first character of each physical line."""
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

    @property
    def lines(self) -> range:
        """The numbers of the text's physical lines."""
        return range(self.line, self.line + self.line_count)

    def position(self, offset: int) -> tuple[int, int]:
        """(line, column), 1-based, of a code-point offset.

        An offset inside a line break, or past the end of a text that ends in
        one, is the line break's own column (one past the line's last
        character): a position always lies inside the text's lines.
        """
        offset -= self.base
        k = bisect_right(self.starts, offset) - 1
        column = offset - self.starts[k] + 1
        if offset >= len(self.text) or self.text[offset] in "\r\n":
            column = min(column, len(self._line(k)) + 1)
        return k + self.line, column

    def offset(self, line: int, column: int) -> int:
        """The code-point offset of a 1-based (line, column)."""
        k = line - self.line
        if k >= len(self.starts):
            return self.base + len(self.text)
        return self.base + self.starts[k] + column - 1

    def line_texts(self) -> list[str]:
        """Every physical line without its line break: ``line_text`` of each, at once."""
        return _LINE_BREAK_RE.split(self.text)[: self.line_count]

    def line_text(self, line: int) -> str:
        """Physical line ``line`` without its line break."""
        return self._line(line - self.line)

    def _line(self, k: int) -> str:
        start = self.starts[k]
        m = _LINE_BREAK_RE.search(self.text, start)
        return self.text[start : m.start() if m else len(self.text)]

    def line_break(self, line: int) -> str:
        """The line break ending physical line ``line`` (``""`` for an unended last line)."""
        start = self.starts[line - self.line]
        m = _LINE_BREAK_RE.search(self.text, start)
        return m.group() if m else ""


class Pieces:
    """The pieces of one text as a buffer read line by line, with look-ahead.

    Offsets are from the start of the whole text; the buffer keeps only what
    is not read yet (and the card being read), so memory stays bounded.
    """

    __slots__ = ("base", "buf", "done", "eol", "it", "pos")

    def __init__(self, pieces: Iterable[str]) -> None:
        self.it = iter(pieces)
        self.buf = ""
        self.base = 0  # the offset of buf[0]
        self.pos = 0  # the offset where reading goes on
        self.done = False
        # The line break every line read so far ends in ("" before any),
        # or None once two kinds were seen: a reader checks no more.
        self.eol: str | None = ""

    def more(self) -> bool:
        """Append the next piece; ``False`` at the end of the text."""
        if self.done:
            return False
        piece = next(self.it, None)
        if piece is None:
            self.done = True
            return False
        cut = self.pos - self.base
        if cut >= _TRIM:
            self.buf = self.buf[cut:]
            self.base = self.pos
        self.buf += piece
        if self.eol is not None:
            crs = piece.count("\r")
            lfs = piece.count("\n")
            if crs or lfs:
                kind = "\r\n" if crs == lfs == piece.count("\r\n") else "\n" if not crs else None
                self.eol = kind if self.eol in ("", kind) else None
        return True

    @property
    def end(self) -> int:
        return self.base + len(self.buf)

    def char_at(self, offset: int) -> str:
        """The character at ``offset``, reading more if needed; ``""`` past the end."""
        while offset >= self.end and self.more():
            pass
        return self.buf[offset - self.base : offset - self.base + 1]

    def line_at(self, start: int) -> tuple[str, str, int] | None:
        """(text, line break, offset after it) of the physical line at ``start``."""
        while True:
            i = start - self.base
            buf = self.buf
            m = _LINE_BREAK_RE.search(buf, i)
            if m is not None and (m.end() < len(buf) or m.group() != "\r" or self.done):
                return buf[i : m.start()], m.group(), self.base + m.end()
            if not self.more():
                if i >= len(self.buf):
                    return None
                if m is not None:
                    continue
                return self.buf[i:], "", self.end

    def find(self, pattern: re.Pattern[str], start: int) -> re.Match[str] | None:
        """The first match at or after ``start``, reading more until one is whole."""
        scanned = start
        while True:
            m = pattern.search(self.buf, scanned - self.base)
            if m is not None and (m.end() < len(self.buf) or self.done):
                return m
            edge = self.end - 16 if m is None else self.base + m.start()
            if not self.more():
                if m is None:
                    return None
                continue
            scanned = max(start, edge)
