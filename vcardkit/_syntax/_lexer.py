"""Text to cards and content lines, with physical positions; never raises.

The lexer follows RFC 2425 §5.8: physical lines end in CRLF, LF or a lone CR
(each ends one line, so CR CR LF is two); a line that starts with a space or a
tab continues the previous one (§5.8.1 unfolding). vCard 2.1 also continues a
QUOTED-PRINTABLE value onto the next line after a soft line break (``=`` at
the end of the line, RFC 2045 §6.7), with no leading white space.

Every problem becomes a :class:`SyntaxIssue` carrying the rule code it
concerns and its position; lexing goes on at the next line or card. Whether a
problem stops :func:`vcardkit.loads` is the ``fatal`` flag: the text cannot be
read as cards there (DESIGN.md, "The public API").
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from typing import Final, NamedTuple

from vcardkit._syntax._grammar import (
    CONTENT_LINE_RE,
    FOLD_WHITESPACE,
    PARAM_RE,
    PARAM_VALUE_RE,
)

__all__ = [
    "Card",
    "ContentLine",
    "LineFault",
    "Param",
    "SyntaxIssue",
    "is_quoted_printable",
    "lex",
    "physical_lines",
]

_LINE_BREAK_RE: Final = re.compile(r"\r\n|\r|\n")
_WHITE_SPACE_RE: Final = re.compile(r"[ \t]")


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
        if not self.folds:
            return self.line, offset + 1
        k = bisect_right(self.folds, (offset, 1 << 62, 0))
        if k == 0:
            return self.line, offset + 1
        start, line, column = self.folds[k - 1]
        return line, column + offset - start

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


class Card:
    """The content lines between one BEGIN:VCARD and its END:VCARD."""

    __slots__ = ("begin_line", "end_line", "index", "lines", "version", "version_line")

    def __init__(self, index: int, begin_line: int) -> None:
        self.index = index
        self.begin_line = begin_line
        self.end_line: int | None = None
        self.lines: list[ContentLine] = []
        self.version: str | None = None
        self.version_line: ContentLine | None = None

    def __repr__(self) -> str:
        return f"<Card {self.index} at line {self.begin_line}: {len(self.lines)} lines>"


def physical_lines(text: str) -> Iterator[tuple[str, str]]:
    """Yield (line, line break) pairs; the last line's break may be ``""``."""
    pos = 0
    for m in _LINE_BREAK_RE.finditer(text):
        yield text[pos : m.start()], m.group()
        pos = m.end()
    if pos < len(text):
        yield text[pos:], ""


def _parse_params(section: str, base: int) -> tuple[tuple[Param, ...], int | None]:
    """Parse ``;a=b;c="d,e"`` starting at logical offset ``base``.

    Returns the parameters and the offset of the first malformed one, if any.
    """
    params: list[Param] = []
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


def parse_content_line(
    raw: str, line: int, folds: tuple[tuple[int, int, int], ...]
) -> ContentLine | LineFault:
    """Parse one logical line, or return (code, logical offset, message)."""
    m = CONTENT_LINE_RE.match(raw)
    if m is None:
        colon = raw.find(":")
        if colon < 0:
            return LineFault(
                "VC109", 0, f"the line {_show(raw)} has no ':' between a name and a value"
            )
        head = raw[:colon]
        if not head or head.startswith((";", ".")):
            return LineFault("VC109", 0, f"the line {_show(raw)} has no property name")
        param = _unclosed_quote(raw)
        if param is not None:
            # RULES.md: a fault of a parameter is at its name.
            return LineFault(
                "VC110", param, f"a parameter of {_show(raw)} opens a quote it never closes"
            )
        return LineFault("VC109", 0, f"the line {_show(raw)} is not a content line")
    params_section = m.group("params")
    params: tuple[Param, ...] = ()
    if params_section:
        params, bad = _parse_params(params_section, m.start("params"))
        if bad is not None:
            return LineFault("VC110", bad, f"malformed parameter in {_show(raw)}")
    return ContentLine(
        m.group("group"),
        m.group("name"),
        params,
        m.group("value"),
        line,
        m.start("value"),
        folds,
        raw,
    )


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


def _show(text: str, limit: int = 40) -> str:
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
    params, _ = _parse_params(m.group("params"), 0)
    return any(
        (p.name is None or p.name.upper() == "ENCODING")
        and any(v.upper() == "QUOTED-PRINTABLE" for v in p.values)
        for p in params
    )


def lex(
    pieces: Iterable[str], *, resume: tuple[int, int, str] | None = None
) -> Iterator[Card | SyntaxIssue]:
    """Cut text into cards; yield each card when it ends, and every issue found.

    ``pieces`` are consecutive pieces of one text, each ending just after a
    line break that is not the CR of a CRLF (or at the end of the text), so a
    file can be read in bounded chunks; a logical line may go on in the next
    piece. ``resume`` is (lines, cards, line break) when the text
    goes on after that many physical lines holding that many whole cards,
    every line ending in that line break: the fast reader
    (:mod:`vcardkit._syntax._fast`) hands the rest of a text over so.
    """
    lineno = 0
    # Logical line being assembled: its parts, first line, folds.
    parts: list[str] = []
    first = 0
    folds: list[tuple[int, int, int]] = []
    length = 0
    card: Card | None = None
    card_index = 0
    nested_depth = 0
    seen_begin = False
    junk_reported = False
    first_eol: str | None = None
    eol_reported = False
    pending_issues: list[SyntaxIssue] = []
    # Whether the logical line being assembled is QUOTED-PRINTABLE; worked
    # out once, the first time one of its lines ends in "=".
    qp: bool | None = None
    if resume is not None:
        lineno, card_index, first_eol = resume
        seen_begin = card_index > 0
        eol_reported = first_eol != "\r\n"

    def flush() -> Iterator[Card | SyntaxIssue]:
        nonlocal card, card_index, nested_depth, seen_begin, junk_reported
        raw = "".join(parts) if len(parts) > 1 else parts[0]
        result = parse_content_line(raw, first, tuple(folds))
        if isinstance(result, LineFault):
            code, offset, message = result
            line, column = _pos(offset)
            is_begin = False
            is_end = False
        else:
            # White space around BEGIN/END is a fault (VC104, VC109) but not
            # one that hides where a card starts or ends.
            name = result.name.strip().upper()
            value = result.value.strip().upper()
            is_begin = name == "BEGIN" and value == "VCARD"
            is_end = name == "END" and value == "VCARD"
            body = raw.lstrip(FOLD_WHITESPACE)
            gap = _WHITE_SPACE_RE.search(body) if is_begin or is_end else None
            if gap is not None:
                # "BEGIN:VCARD " or "END: VCARD": RFC 2426 §4 spells them
                # exactly; strict readers (ical4j) refuse the card.
                line, column = _pos(len(raw) - len(body) + gap.start())
                index = card.index if card is not None else card_index if is_begin else None
                yield SyntaxIssue(
                    "VC109",
                    line,
                    column,
                    f"white space in {_show(raw)}: it is spelled {name}:VCARD",
                    False,
                    index,
                )
        if card is None:
            if is_begin:
                if not seen_begin and not junk_reported and raw[:1] in FOLD_WHITESPACE:
                    yield SyntaxIssue(
                        "VC104",
                        first,
                        1,
                        "white space before BEGIN:VCARD at the start of the payload",
                        False,
                        None,
                    )
                card = Card(card_index, first)
                seen_begin = True
                junk_reported = False
                return
            if is_end:
                yield SyntaxIssue(
                    "VC106", first, 1, "END:VCARD with no BEGIN:VCARD before it", True, None
                )
                return
            if raw.strip() == "":
                return
            if junk_reported:
                return  # one diagnostic for a run of text outside cards
            junk_reported = True
            if not seen_begin:
                yield SyntaxIssue(
                    "VC104",
                    first,
                    1,
                    f"the payload starts with {_show(raw)}, not BEGIN:VCARD",
                    True,
                    None,
                )
            else:
                yield SyntaxIssue(
                    "VC108", first, 1, f"text outside a card: {_show(raw)}", True, None
                )
            return
        if nested_depth:
            if is_begin:
                nested_depth += 1
            elif is_end:
                nested_depth -= 1
            return
        if is_begin:
            nested_depth = 1
            yield SyntaxIssue(
                "VC107",
                first,
                1,
                f"BEGIN:VCARD inside the card that begins on line {card.begin_line}",
                True,
                card.index,
            )
            return
        if is_end:
            card.end_line = first
            done = card
            card = None
            card_index += 1
            yield done
            return
        if isinstance(result, LineFault):
            yield SyntaxIssue(code, line, column, message, True, card.index)
            return
        if result.name.upper() == "VERSION" and card.version is None:
            card.version = result.value.strip()
            card.version_line = result
        card.lines.append(result)

    def _pos(offset: int) -> tuple[int, int]:
        k = bisect_right(folds, (offset, 1 << 62, 0))
        if k == 0:
            return first, offset + 1
        start, line, column = folds[k - 1]
        return line, column + offset - start

    for piece in pieces:
        for text, eol in physical_lines(piece):
            lineno += 1
            if eol:
                if first_eol is None:
                    first_eol = eol
                    if eol != "\r\n":
                        eol_reported = True
                        pending_issues.append(
                            SyntaxIssue(
                                "VC103",
                                lineno,
                                len(text) + 1,
                                f"lines end in {_eol_name(eol)}, not CRLF",
                                False,
                                None,
                            )
                        )
                elif eol != first_eol and not eol_reported:
                    eol_reported = True
                    pending_issues.append(
                        SyntaxIssue(
                            "VC103",
                            lineno,
                            len(text) + 1,
                            f"this line ends in {_eol_name(eol)} where line 1 ends in "
                            f"{_eol_name(first_eol)}: mixed line endings",
                            False,
                            None,
                        )
                    )
            if (
                parts
                and parts[-1].endswith("=")
                and (qp if qp is not None else (qp := is_quoted_printable("".join(parts))))
            ):
                # A quoted-printable soft line break (RFC 2045 §6.7) in 2.1:
                # the "=" and the line break are not part of the value. It
                # comes before unfolding: white space starting the next line
                # is data (RFC 2045's own example, "come=" CRLF " to the
                # aid", reads "come to the aid"; vobject and calcard agree).
                parts[-1] = parts[-1][:-1]
                length -= 1
                folds.append((length, lineno, 1))
                parts.append(text)
                length += len(text)
            elif parts and text and text[0] in FOLD_WHITESPACE:
                # A continuation line (RFC 2425 §5.8.1): drop one white space.
                folds.append((length, lineno, 2))
                chunk = text[1:]
                parts.append(chunk)
                length += len(chunk)
            elif text.strip() == "" and parts:
                # A blank line inside a card carries nothing; it does not end
                # a folded line either (iOS 6 wrote CR CR LF, read as an empty
                # line after each physical line, and readers accept it).
                pass
            else:
                if parts:
                    yield from flush()
                    parts.clear()
                    folds.clear()
                if text.strip() == "":
                    if lineno == 1:
                        pending_issues.append(
                            SyntaxIssue(
                                "VC104",
                                1,
                                1,
                                "the payload starts with a blank line, not BEGIN:VCARD",
                                False,
                                None,
                            )
                        )
                    # Blank lines: allowed between cards; inside a 2.1 card
                    # they end a base64 block. They carry nothing.
                    parts.clear()
                    if pending_issues:
                        yield from pending_issues
                        pending_issues.clear()
                    continue
                parts.append(text)
                first = lineno
                length = len(text)
                qp = None
            if pending_issues:
                yield from pending_issues
                pending_issues.clear()
    if parts:
        yield from flush()
    if pending_issues:
        yield from pending_issues
    if card is not None:
        yield SyntaxIssue(
            "VC105",
            card.begin_line,
            1,
            f"the card that begins on line {card.begin_line} has no END:VCARD",
            True,
            card.index,
        )


def _eol_name(eol: str) -> str:
    return {"\r\n": "CRLF", "\n": "LF", "\r": "CR"}[eol]
