"""One logical content line: its grammar applied, its parameters parsed.

RFC 2425 §5.8.2 ``contentline = [group "."] name *(";" param) ":" value``.
Both paths of the reader (:mod:`vcardkit._syntax._reader`) turn a line into
a :data:`Row`, and a row into a :class:`ContentLine` here, in one place; the
model layer reads rows, the rules content lines.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from functools import lru_cache
from typing import Final, NamedTuple

from vcardkit._syntax._grammar import (
    CONTENT_LINE_RE,
    PARAM_RE,
    PARAM_VALUE_RE,
    STRICT_NAME_RE,
)

__all__ = [
    "ContentLine",
    "Fold",
    "LineFault",
    "Param",
    "Row",
    "content_line",
    "is_quoted_printable",
    "parse_content_line",
    "position",
    "quote_param_value",
    "show",
    "split_params",
]

# One row per logical content line: (raw line, group or "", name, the
# parameter section from its first ";", value). Both paths make rows.
Row = tuple[str, str, str, str, str]
# A parameter value holding one of these is written in double quotes.
_PARAM_QUOTE_RE: Final = re.compile(r"[;:,]")


class Param(NamedTuple):
    """One parameter as written: ``name`` is ``None`` for a bare 2.1 value."""

    name: str | None
    values: tuple[str, ...]  # unquoted, in order
    offset: int  # logical offset of the parameter's first character


class ContentLine(NamedTuple):
    """One logical (unfolded) content line and where it came from."""

    group: str | None
    name: str  # original spelling
    params: tuple[Param, ...]
    value: str  # raw: unfolded, still escaped
    line: int  # 1-based physical line of its first character
    value_offset: int  # logical offset of the value's first character
    # (logical offset, physical line, physical column) where each
    # continuation line's text starts; empty for an unfolded line.
    folds: tuple[tuple[int, int, int], ...]
    raw: str  # the whole logical line

    def position(self, offset: int) -> tuple[int, int]:
        """The physical (line, column) of a logical offset, through folds."""
        return position(self.line, self.folds, offset)

    @property
    def end_line(self) -> int:
        return self.folds[-1][1] if self.folds else self.line

    def param(self, name: str) -> Param | None:
        """The first parameter of that name (case-insensitive)."""
        upper = name.upper()
        for p in self.params:
            if p.name is not None and p.name.upper() == upper:
                return p
        return None


class LineFault(NamedTuple):
    """Why a logical line is not a content line, and where (a logical offset)."""

    code: str
    offset: int
    message: str


class SyntaxIssue(NamedTuple):
    """A problem the syntax layer found; the rules decide what it is worth."""

    code: str
    line: int
    column: int
    message: str
    fatal: bool  # the text cannot be read as cards here
    card: int | None  # 0-based index of the card it is in, if any


Fold = tuple[tuple[int, int, int], ...]


def position(first: int, folds: Fold, offset: int) -> tuple[int, int]:
    """The physical (line, column) of a logical offset of a line that starts on ``first``."""
    k = bisect_right(folds, (offset, 1 << 62, 0)) if folds else 0
    if k == 0:
        return first, offset + 1
    start, line, column = folds[k - 1]
    return line, column + offset - start


@lru_cache(maxsize=4096)
def split_params(section: str, base: int) -> tuple[tuple[Param, ...], int | None]:
    """Parse ``;a=b;c="d,e"`` whose first ``;`` is at logical offset ``base``.

    Returns the parameters and the offset of the first malformed one, if any.
    Memoised (the result is immutable): most sections repeat (``;type=CELL``),
    and a window ``fix`` changed is read again, where the lines no fix
    touched hold the sections parsed a moment before.
    """
    params: list[Param] = []
    if '"' not in section:
        # The common case, no quoted value: each parameter is NAME=values or a
        # bare 2.1 value, split where PARAM_RE would split it.
        pos = base + 1
        for item in section[1:].split(";"):
            name, eq, joined = item.partition("=")
            if not STRICT_NAME_RE.fullmatch(name):
                break  # an odd name: PARAM_RE decides, below
            if eq:
                params.append(Param(name, tuple(joined.split(",")), pos))
            else:
                params.append(Param(None, (name,), pos))
            pos += len(item) + 1
        else:
            return tuple(params), None
        params.clear()
    pos = 1  # after the first ";"
    end = len(section)
    while pos <= end:
        m = PARAM_RE.match(section, pos)
        if m is None or (not m.group("name") and m.group("values") is None):
            return tuple(params), base + pos
        name = m.group("name")
        raw_values = m.group("values")
        if raw_values is None:
            params.append(Param(None, (name,), base + pos))
        else:
            values = tuple(
                v[1:-1] if v.startswith('"') else v
                for v in (vm.group() for vm in _iter_param_values(raw_values))
            )
            params.append(Param(name, values, base + pos))
        pos = m.end() + 1
    return tuple(params), None


def _iter_param_values(raw: str) -> Iterator[re.Match[str]]:
    pos = 0
    while True:
        m = PARAM_VALUE_RE.match(raw, pos)
        assert m is not None  # PTEXT matches the empty string
        yield m
        pos = m.end()
        if pos >= len(raw):
            return
        pos += 1  # the ","


def content_line(row: Row, line: int, folds: Fold) -> ContentLine | LineFault:
    """A row as a content line, its parameters parsed; the one place that does it."""
    raw, group, name, section, value = row
    head = len(group) + 1 + len(name) if group else len(name)
    params: tuple[Param, ...] = ()
    if section:
        params, bad = split_params(section, head)
        if bad is not None:
            return LineFault("VC110", bad, f"malformed parameter in {show(raw)}")
    offset = head + len(section) + 1
    return ContentLine(group or None, name, params, value, line, offset, folds, raw)


def parse_content_line(raw: str, line: int, folds: Fold) -> ContentLine | LineFault:
    """Parse one logical line, or return (code, logical offset, message)."""
    m = CONTENT_LINE_RE.match(raw)
    if m is None:
        colon = raw.find(":")
        if colon < 0:
            return LineFault(
                "VC109", 0, f"the line {show(raw)} has no ':' between a name and a value"
            )
        head = raw[:colon]
        if not head or head.startswith((";", ".")):
            return LineFault("VC109", 0, f"the line {show(raw)} has no property name")
        param = _unclosed_quote(raw)
        if param is not None:
            # docs/rules/index.md "Where a diagnostic points": a fault of a
            # parameter is at its name.
            return LineFault(
                "VC110", param, f"a parameter of {show(raw)} opens a quote it never closes"
            )
        return LineFault("VC109", 0, f"the line {show(raw)} is not a content line")
    group, name, section, value = m.group("group", "name", "params", "value")
    return content_line((raw, group or "", name, section, value), line, folds)


def _unclosed_quote(raw: str) -> int | None:
    """The offset of the parameter whose quoted value never closes, if one does.

    A ``:`` inside quotes does not end the parameters (RFC 2426 §4
    QSAFE-CHAR), so the quote that is still open at the end of the line is
    the culprit, wherever the first ``:`` is.
    """
    in_quote = False
    param: int | None = None
    for i, char in enumerate(raw):
        if in_quote:
            in_quote = char != '"'
        elif char == '"':
            in_quote = True
        elif char == ";":
            param = i + 1
        elif char == ":":
            return None
    return param if in_quote else None


def quote_param_value(value: str) -> str:
    """A parameter value as written: in double quotes when it holds ";" ":" or
    "," (RFC 2426 §4 quoted-string), bare otherwise."""
    return f'"{value}"' if _PARAM_QUOTE_RE.search(value) else value


def show(text: str, limit: int = 40) -> str:
    """A value quoted for a message, shortened when long."""
    shown = text if len(text) <= limit else text[: limit - 1] + "…"
    return repr(shown)


def is_quoted_printable(logical: str) -> bool:
    """Whether a logical line declares its value QUOTED-PRINTABLE.

    That is an ``ENCODING=QUOTED-PRINTABLE`` parameter, or 2.1's bare
    ``QUOTED-PRINTABLE`` (vCard 2.1 §2.1.2); only then may the value go on
    after a soft line break. The word anywhere else (a TYPE value, an X- name,
    a group) is not an encoding: a value ending in "=" there ends the line.
    """
    if "QUOTED-PRINTABLE" not in logical.upper():
        return False
    m = CONTENT_LINE_RE.match(logical)
    if m is None or not m.group("params"):
        return False
    params, _ = split_params(m.group("params"), 0)
    return any(
        (p.name is None or p.name.upper() == "ENCODING")
        and any(v.upper() == "QUOTED-PRINTABLE" for v in p.values)
        for p in params
    )
