"""The fast path of the lexer: plain cards read whole, with no loop over lines.

DESIGN.md "Speed is part of the design": a payload is cut into cards with one
``split``, a card's lines are read with one compiled regular expression, and
positions are kept implicitly (a card's first line plus the row index). Only
cards this module can prove plain take that path: every line break the same,
no folds, no blank lines, no quoted or bare parameters, no QUOTED-PRINTABLE
soft break, nothing named BEGIN or END inside. At the first card that is not
plain, the rest of the text goes to the exact lexer
(:func:`vcardkit._syntax._lexer.lex`), resumed where the fast path stopped.

:func:`read` yields exactly what ``lex`` yields for the same pieces: the same
cards (their content lines built on first use) and the same issues, in the
same order. ``tests/test_fast_path.py`` holds both paths to that.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from itertools import chain
from typing import Final

from vcardkit._syntax._lexer import Card, ContentLine, Param, SyntaxIssue, lex

__all__ = ["FastCard", "Row", "read"]

# One row per content line: (raw line, group, name, parameters, value).
Row = tuple[str, str, str, str, str]

# A plain content line: a strict subset of CONTENT_LINE_RE (RFC 2425 §5.8.2
# names and groups, unquoted parameters each with a name and "="), on which
# the exact lexer reads the same group, name, parameters and value.
_NAME: Final = r"[A-Za-z0-9-]+"
_PTEXT: Final = r'[^";:,\r\n]*'
_PARAMS: Final = rf"(?:;{_NAME}={_PTEXT}(?:,{_PTEXT})*)*"
_ROW: Final = rf"^((?:({_NAME})\.)?({_NAME})({_PARAMS}):([^\r\n]*))"
_ROW_RE: Final = {
    # The last line of a card's body has no line break after it.
    "\r\n": re.compile(_ROW + r"\r?$", re.MULTILINE),
    "\n": re.compile(_ROW + r"$", re.MULTILINE),
}
_BEGIN: Final = "BEGIN:VCARD"
_BOUNDARY: Final = frozenset({"BEGIN", "END"})


class FastCard(Card):
    """A plain card: its rows, and its content lines built only when asked for."""

    __slots__ = ("_lines", "rows")

    def __init__(self, index: int, begin_line: int, rows: list[Row]) -> None:
        self.index = index
        self.begin_line = begin_line
        self.end_line = begin_line + len(rows) + 1
        self.rows = rows
        self._lines: list[ContentLine] | None = None
        self.version = None
        for row in rows:
            if row[2].upper() == "VERSION":
                self.version = row[4].strip()
                break

    @property
    def lines(self) -> list[ContentLine]:  # type: ignore[override]
        if self._lines is None:
            self._lines = [
                _content_line(row, self.begin_line + 1 + i) for i, row in enumerate(self.rows)
            ]
        return self._lines

    @property
    def version_line(self) -> ContentLine | None:  # type: ignore[override]
        for cl in self.lines:
            if cl.name.upper() == "VERSION":
                return cl
        return None


def _content_line(row: Row, line: int) -> ContentLine:
    raw, group, name, section, value = row
    params: tuple[Param, ...] = ()
    head = len(group) + 1 + len(name) if group else len(name)
    if section:
        out: list[Param] = []
        pos = head + 1
        for item in section[1:].split(";"):
            pname, _, values = item.partition("=")
            out.append(Param(pname, tuple(values.split(",")), pos))
            pos += len(item) + 1
        params = tuple(out)
    return ContentLine(group or None, name, params, value, line, head + len(section) + 1, (), raw)


def _plain(chunk: str, eol: str, row_re: re.Pattern[str]) -> list[Row] | None:
    """The rows of one card (BEGIN line included, END line not), if it is plain."""
    if not chunk.startswith(_BEGIN):
        return None
    if chunk == _BEGIN:
        return []
    body = chunk[len(_BEGIN) :]
    if not body.startswith(eol) or body.endswith(eol):
        return None
    if eol + " " in body or eol + "\t" in body or eol + eol in body:
        return None
    if (body.endswith("=") or "=" + eol in body) and "QUOTED-PRINTABLE" in body.upper():
        return None  # a soft line break may join the next line to this one
    rows: list[Row] = row_re.findall(body)
    if len(rows) != body.count(eol):
        return None  # a line the pattern does not take: not plain
    for row in rows:
        if row[2].upper() in _BOUNDARY:
            return None
    return rows


def read(pieces: Iterable[str]) -> Iterator[Card | SyntaxIssue]:
    """What :func:`~vcardkit._syntax._lexer.lex` yields for ``pieces``, faster."""
    it = iter(pieces)
    buffer = ""
    lines = 0
    cards = 0
    eol: str | None = None
    upcoming = next(it, None)
    while upcoming is not None:
        buffer += upcoming
        upcoming = next(it, None)
        if eol is None:
            if buffer.startswith(_BEGIN + "\r\n"):
                eol = "\r\n"
            elif buffer.startswith(_BEGIN + "\n"):
                eol = "\n"
            else:
                break
        sep = eol + "END:VCARD" + eol
        end = buffer.rfind(sep)
        if end < 0:
            continue
        end += len(sep)
        region = buffer[:end]
        if eol == "\n":
            if "\r" in region:
                break
        elif not region.count("\r") == region.count("\n") == region.count("\r\n"):
            break
        chunks = region.split(sep)
        chunks.pop()  # the region ends with a separator: "" after it
        # What follows the last card: the lexer yields a card only at the next
        # line that is not blank, after any issue about the blank lines'
        # line breaks; and a fold would join the next line to END:VCARD.
        after = buffer[end : end + 1]
        if not after and upcoming is not None:
            after = upcoming[:1] or "\n"
        row_re = _ROW_RE[eol]
        used = 0
        stop = False
        for k, chunk in enumerate(chunks):
            size = len(chunk) + len(sep)
            blank = 0
            if k and chunk.startswith(eol):
                # Blank lines between two cards carry nothing.
                stripped = chunk.lstrip("\r\n")
                blank = (len(chunk) - len(stripped)) // len(eol)
                chunk = stripped
            last = k + 1 == len(chunks)
            nxt = after if last else chunks[k + 1].lstrip("\r\n")[:1]
            rows = _plain(chunk, eol, row_re)
            if rows is None or nxt in (" ", "\t") or (last and nxt in ("\r", "\n")):
                stop = True
                break
            lines += blank
            if cards == 0 and eol == "\n":
                yield SyntaxIssue(
                    "VC103", 1, len(_BEGIN) + 1, "lines end in LF, not CRLF", False, None
                )
            card = FastCard(cards, lines + 1, rows)
            cards += 1
            lines += len(rows) + 2
            used += size
            yield card
        buffer = buffer[used:]
        if stop:
            break
    rest: Iterable[str] = chain((buffer,), () if upcoming is None else (upcoming,), it)
    if cards == 0 or eol is None:
        yield from lex(rest)
    elif buffer or upcoming is not None:
        yield from lex(rest, resume=(lines, cards, eol))
