"""Text to cards and content lines, with physical positions; never raises.

One reader (docs/design.md "Speed"). The text is cut into
cards; a card is read in one batch when it can be (folds undone with one
substitution, every content line read with one compiled pattern built from
:mod:`vcardkit._syntax._grammar`'s fragments), and line by line otherwise. The
line path takes that card alone, never the rest of the file. Both paths fill
the same fields of :class:`Card`: its ``rows``, and content lines with their
positions, built from the rows only when a rule asks for them.

The line path follows RFC 2425 §5.8: physical lines end in CRLF, LF or a lone
CR (each ends one line, so CR CR LF is two); a line that starts with a space
or a tab continues the previous one (§5.8.1 unfolding). vCard 2.1 also
continues a QUOTED-PRINTABLE value onto the next line after a soft line
break (``=`` at the end of the line, RFC 2045 §6.7), with no leading white
space.

Every problem becomes a :class:`SyntaxIssue` carrying the rule code it
concerns and its position; reading goes on at the next line or card.
Whether a problem stops :func:`vcardkit.loads` is the ``fatal`` flag: the
text cannot be read as cards there (docs/design.md "The public API").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Final, NamedTuple

from vcardkit._syntax._grammar import FOLD_WHITESPACE, ROW_RE
from vcardkit._syntax._lines import (
    ContentLine,
    Fold,
    LineFault,
    Param,
    Row,
    content_line,
    is_quoted_printable,
    parse_content_line,
    position,
    show,
    split_params,
)
from vcardkit._syntax._source import Pieces

__all__ = [
    "Card",
    "ContentLine",
    "LineFault",
    "Param",
    "ReaderState",
    "Reading",
    "Row",
    "SyntaxIssue",
    "is_quoted_printable",
    "parse_content_line",
    "read",
    "split_params",
]

_WHITE_SPACE_RE: Final = re.compile(r"[ \t]")
_BEGIN: Final = "BEGIN:VCARD"
_BOUNDARY: Final = frozenset({"BEGIN", "END"})
_EOL_NAMES: Final = {"\r\n": "CRLF", "\n": "LF", "\r": "CR"}
# The line that ends a card read in one batch (group 1), or a BEGIN:VCARD
# that comes first and sends the card to the line path; in upper case, or in
# any case once a file spelled them otherwise (as the line path compares them).
_EDGE_RE: Final = {
    (eol, any_case): re.compile(
        re.escape(eol) + r"(?:(END)|BEGIN):VCARD(?:" + re.escape(eol) + r"|\Z)",
        re.IGNORECASE if any_case else 0,
    )
    for eol in ("\r\n", "\n")
    for any_case in (False, True)
}
# A parameter's name as written, however malformed: up to what ends it.
_NAME_END_RE: Final = re.compile(r'[^=;:"]*')


def _name_end(raw: str, offset: int) -> int:
    m = _NAME_END_RE.match(raw, offset)
    return m.end() if m else offset


def _past(first: int, folds: Fold, last: int) -> tuple[int, int]:
    """Just past the character at logical offset ``last`` of a line: a fault
    of the whole line ends there (on the last physical line of a folded one)."""
    line, column = position(first, folds, last)
    return line, column + 1


# RFC 2425 §5.8.1: unfolding removes a line break and one white space.
_FOLD_RE: Final = {eol: re.compile(re.escape(eol) + "[ \t]") for eol in ("\r\n", "\n")}


class SyntaxIssue(NamedTuple):
    """A problem the syntax layer found; the rules decide what it is worth."""

    code: str
    line: int
    column: int
    message: str
    fatal: bool  # the text cannot be read as cards here
    card: int | None  # 0-based index of the card it is in, if any
    # Where the fault ends (exclusive): past the logical line, or a bad
    # parameter's name; None for a fault at one character.
    end: tuple[int, int] | None = None


class Card:
    """The content lines between one BEGIN:VCARD and its END:VCARD.

    ``rows`` is what every reader of the card uses; ``lines`` (content lines
    with parsed parameters and physical positions) is built from the rows on
    first use, since only validation asks for it.
    """

    __slots__ = ("_layout", "_lines", "begin_line", "end_line", "index", "rows", "version")

    def __init__(
        self,
        index: int,
        begin_line: int,
        end_line: int,
        rows: list[Row],
        folded: tuple[str, str] | None = None,
        lines: list[ContentLine] | None = None,
    ) -> None:
        self.index = index
        self.begin_line = begin_line
        self.end_line = end_line
        self.rows = rows
        # A folded card's body as written and its line break, to work out
        # where each row starts and its folds when they are asked for
        # (``None``: row k is physical line begin_line + 1 + k).
        self._layout = folded
        self._lines = lines
        self.version: str | None = None
        for row in rows:
            if row[2].upper() == "VERSION":
                self.version = row[4].strip()
                break

    @property
    def lines(self) -> list[ContentLine]:
        if self._lines is None:
            layout = _layout(*self._layout, self.begin_line + 1) if self._layout else None
            out: list[ContentLine] = []
            for k, row in enumerate(self.rows):
                line, folds = layout[k] if layout is not None else (self.begin_line + 1 + k, ())
                cl = content_line(row, line, folds)
                # The batch pattern takes only well-formed parameters.
                assert isinstance(cl, ContentLine)
                out.append(cl)
            self._lines = out
        return self._lines


# ---------------------------------------------------------------------------
# The reader


class ReaderState(NamedTuple):
    """What the reader carries from one card to the next (between cards).

    A stream of cards is checked a window of cards at a time; a window whose
    text a fix changed is read again from the state the reader was in where
    the window starts, so its line numbers, card numbers and what was
    reported once a file (VC103, VC104) go on from the cards before it.
    """

    lineno: int = 0  # the last physical line read
    card_index: int = 0
    first_eol: str | None = None
    eol_reported: bool = False
    any_case: bool = False
    seen_begin: bool = False
    junk_reported: bool = False


START: Final = ReaderState()  # the start of a text


class _Reader:
    """The reader's state, shared by the batch and the line path."""

    def __init__(self, start: ReaderState = START) -> None:
        self.lineno = start.lineno
        # The logical line being assembled by the line path: its parts, its
        # first line, its folds, its length, whether it is QUOTED-PRINTABLE
        # (worked out once, the first time one of its lines ends in "=").
        self.parts: list[str] = []
        self.first = 0
        self.folds: list[tuple[int, int, int]] = []
        self.length = 0
        self.qp: bool | None = None
        self.card: Card | None = None
        self.card_index = start.card_index
        self.nested_depth = 0
        self.seen_begin = start.seen_begin
        self.junk_reported = start.junk_reported
        self.first_eol = start.first_eol
        self.eol_reported = start.eol_reported
        # Whether a card spelled BEGIN or END other than in upper case (the
        # batch then looks for them in any case).
        self.any_case = start.any_case
        self.out: list[Card | SyntaxIssue] = []

    def state(self) -> ReaderState:
        return ReaderState(
            self.lineno,
            self.card_index,
            self.first_eol,
            self.eol_reported,
            self.any_case,
            self.seen_begin,
            self.junk_reported,
        )

    # -- the line path ----------------------------------------------------

    def feed(self, text: str, eol: str) -> None:
        """One physical line; the caller has decided it belongs to ``parts`` if any."""
        self.lineno += 1
        lineno = self.lineno
        if eol:
            first_eol = self.first_eol
            if first_eol is None:
                self.first_eol = eol
                if eol != "\r\n":
                    self._not_crlf(lineno, len(text) + 1, eol)
            elif eol != first_eol and not self.eol_reported:
                self.eol_reported = True
                self._issue(
                    "VC103",
                    lineno,
                    len(text) + 1,
                    f"this line ends in {_EOL_NAMES[eol]} where line 1 ends in "
                    f"{_EOL_NAMES[first_eol]}: mixed line endings",
                    False,
                    None,
                )
        parts = self.parts
        if parts:
            if self._soft_break():
                # A quoted-printable soft line break (RFC 2045 §6.7) in 2.1:
                # the "=" and the line break are not part of the value. It
                # comes before unfolding: white space starting the next line
                # is data (RFC 2045's own example, "come=" CRLF " to the
                # aid", reads "come to the aid"; vobject and calcard agree).
                parts[-1] = parts[-1][:-1]
                self.length -= 1
                self.folds.append((self.length, lineno, 1))
                parts.append(text)
                self.length += len(text)
            elif text[:1] in (" ", "\t") and text:
                # A continuation line (RFC 2425 §5.8.1): drop one white space.
                self.folds.append((self.length, lineno, 2))
                parts.append(text[1:])
                self.length += len(text) - 1
            # Otherwise a blank line inside a card: it carries nothing and
            # does not end a folded line either (iOS 6 wrote CR CR LF, read
            # as an empty line after each physical line; readers accept it).
        elif text.strip() == "":
            if lineno == 1:
                self._issue(
                    "VC104",
                    1,
                    1,
                    "the payload starts with a blank line, not BEGIN:VCARD",
                    False,
                    None,
                )
            # Blank lines: allowed between cards; inside a 2.1 card they end
            # a base64 block. They carry nothing.
        else:
            parts.append(text)
            self.first = lineno
            self.length = len(text)
            self.qp = None

    def _issue(
        self,
        code: str,
        line: int,
        column: int,
        message: str,
        fatal: bool,
        card: int | None,
        end: tuple[int, int] | None = None,
    ) -> None:
        self.out.append(SyntaxIssue(code, line, column, message, fatal, card, end))

    def _not_crlf(self, line: int, column: int, eol: str) -> None:
        """VC103 at the first line break, which is not CRLF (RFC 2426 §4)."""
        self.eol_reported = True
        self._issue("VC103", line, column, f"lines end in {_EOL_NAMES[eol]}, not CRLF", False, None)

    def _soft_break(self) -> bool:
        parts = self.parts
        if not parts[-1].endswith("="):
            return False
        if self.qp is None:
            self.qp = is_quoted_printable("".join(parts))
        return self.qp

    def joins(self, text: str | None) -> bool | None:
        """Whether the next physical line ``text`` goes on the logical line.

        ``None``: it is blank, and the line after it decides.
        """
        if text is None:
            return False
        if self._soft_break():
            return True
        if text[:1] in FOLD_WHITESPACE and text:
            return True
        if text.strip() == "":
            return None
        return False

    def flush(self) -> None:
        """The logical line in ``parts`` is whole: read it."""
        parts = self.parts
        raw = "".join(parts) if len(parts) > 1 else parts[0]
        folds = tuple(self.folds)
        parts.clear()
        self.folds.clear()
        result = parse_content_line(raw, self.first, folds)
        out = self.out
        card = self.card
        first = self.first
        if isinstance(result, LineFault):
            is_begin = is_end = False
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
                line, column = result.position(len(raw) - len(body) + gap.start())
                index = card.index if card is not None else self.card_index if is_begin else None
                self._issue(
                    "VC109",
                    line,
                    column,
                    f"white space in {show(raw)}: it is spelled {name}:VCARD",
                    False,
                    index,
                )
        if card is None:
            if is_begin:
                if not self.seen_begin and not self.junk_reported and raw[:1] in FOLD_WHITESPACE:
                    self._issue(
                        "VC104",
                        first,
                        1,
                        "white space before BEGIN:VCARD at the start of the payload",
                        False,
                        None,
                        _past(first, folds, len(raw) - 1),
                    )
                self.card = Card(self.card_index, first, 0, [], None, [])
                self.seen_begin = True
                self.junk_reported = False
                return
            if is_end:
                self._issue(
                    "VC106",
                    first,
                    1,
                    "END:VCARD with no BEGIN:VCARD before it",
                    True,
                    None,
                    _past(first, folds, len(raw) - 1),
                )
                return
            if raw.strip() == "" or self.junk_reported:
                return  # one diagnostic for a run of text outside cards
            self.junk_reported = True
            if not self.seen_begin:
                self._issue(
                    "VC104",
                    first,
                    1,
                    f"the payload starts with {show(raw)}, not BEGIN:VCARD",
                    True,
                    None,
                    _past(first, folds, len(raw) - 1),
                )
            else:
                self._issue(
                    "VC108",
                    first,
                    1,
                    f"text outside a card: {show(raw)}",
                    True,
                    None,
                    _past(first, folds, len(raw) - 1),
                )
            return
        if self.nested_depth:
            if is_begin:
                self.nested_depth += 1
            elif is_end:
                self.nested_depth -= 1
            return
        if is_begin:
            self.nested_depth = 1
            self._issue(
                "VC107",
                first,
                1,
                f"BEGIN:VCARD inside the card that begins on line {card.begin_line}",
                True,
                card.index,
                _past(first, folds, len(raw) - 1),
            )
            return
        if is_end:
            card.end_line = first
            lines = card.lines
            card.rows = [_row(cl) for cl in lines]
            for cl in lines:
                if cl.name.upper() == "VERSION":
                    card.version = cl.value.strip()
                    break
            self.card = None
            self.card_index += 1
            out.append(card)
            return
        if isinstance(result, LineFault):
            code, offset, message = result
            line, column = position(first, folds, offset)
            # VC109 is the whole line; VC110 a parameter: its name, up to
            # the "=", ";" or ":" after it (one character if it has none).
            stop = len(raw) if code == "VC109" else _name_end(raw, offset)
            end = _past(first, folds, max(stop, offset + 1) - 1)
            self._issue(code, line, column, message, True, card.index, end)
            return
        card.lines.append(result)

    def finish(self) -> None:
        if self.parts:
            self.flush()
        if self.card is not None:
            begin = self.card.begin_line
            self._issue(
                "VC105",
                begin,
                1,
                f"the card that begins on line {begin} has no END:VCARD",
                True,
                self.card.index,
            )

    # -- the batch --------------------------------------------------------

    def batch(self, text: Pieces) -> bool:
        """Read the card at ``text.pos`` whole, if it can be; ``False`` if not.

        The reader is between cards. The card must end in ``END:VCARD`` with
        every line break the same: the file's first, or, once mixed line
        breaks were reported (VC103, once a file), any one kind. No blank
        line, no QUOTED-PRINTABLE soft break, nothing named BEGIN or END
        inside, and every logical line a content line the row pattern takes.
        Anything else is the line path's, for this card alone.
        """
        pos = text.pos
        text.char_at(pos + len(_BEGIN) + 1)  # BEGIN:VCARD and its line break read
        i = pos - text.base
        if not text.buf.startswith(_BEGIN, i):
            return False
        after = text.buf[i + len(_BEGIN) : i + len(_BEGIN) + 2]
        # Old Macintosh CR line ends are rare: read line by line.
        eol = "\r\n" if after == "\r\n" else "\n" if after[:1] == "\n" else None
        if eol is None or (self.first_eol not in (None, eol) and not self.eol_reported):
            return False
        # The card's END:VCARD, unless a BEGIN:VCARD comes first. While the
        # file spells them in upper case, so does the pattern (a card with
        # another spelling inside is found by the rows' check below); from
        # then on it takes any case.
        m = text.find(_EDGE_RE[eol, self.any_case], pos + len(_BEGIN))
        if m is None or m.group(1) is None:
            return False
        end = text.base + m.start()  # the line break before END:VCARD
        stop = text.base + m.end()  # after END:VCARD and its line break
        buf = text.buf
        i = pos - text.base
        region = buf[i : stop - text.base]
        if text.eol != eol:  # the text so far has other line breaks too
            if eol == "\n":
                if "\r" in region:
                    return False
            elif not region.count("\r") == region.count("\n") == region.count("\r\n"):
                return False
        # A line after END:VCARD that a reader would join to it: one that
        # starts with white space, after any blank lines (they do not end a
        # folded line).
        k = stop
        while text.char_at(k).isspace():
            nxt = text.line_at(k)
            if nxt is None:
                break
            if nxt[0][:1] in (" ", "\t") and nxt[0]:
                return False
            if nxt[0].strip() != "" or nxt[2] == k:
                break
            k = nxt[2]
        buf = text.buf
        i = pos - text.base
        chunk = buf[i + len(_BEGIN) : end - text.base]
        rows: list[Row] = []
        layout: tuple[str, str] | None = None
        if chunk:
            if eol + eol in chunk or chunk[len(eol) : len(eol) + 1] in (" ", "\t"):
                return False  # a blank line, or a fold onto BEGIN:VCARD
            body = chunk[len(eol) :]
            if (body.endswith("=") or "=" + eol in body) and "QUOTED-PRINTABLE" in body.upper():
                return False  # a soft line break may join the next line to this one
            folded = eol + " " in body or eol + "\t" in body
            logical = _FOLD_RE[eol].sub("", body) if folded else body
            rows = ROW_RE[eol].findall(logical)
            if len(rows) != logical.count(eol) + 1:
                return False  # a line the pattern does not take
            names = "".join([row[2] for row in rows]).upper()
            if "BEGIN" in names or "END" in names:
                for row in rows:
                    if row[2].strip().upper() in _BOUNDARY:
                        self.any_case = True
                        return False
            if folded:
                layout = (body, eol)
        begin_line = self.lineno + 1
        if self.first_eol is None:
            self.first_eol = eol
            if eol != "\r\n":
                self._not_crlf(begin_line, len(_BEGIN) + 1, eol)
        self.lineno += region.count("\n") + (not region.endswith(eol))
        self.out.append(Card(self.card_index, begin_line, self.lineno, rows, layout))
        self.card_index += 1
        self.seen_begin = True
        self.junk_reported = False
        text.pos = stop
        return True


def _row(cl: ContentLine) -> Row:
    head = len(cl.group) + 1 + len(cl.name) if cl.group else len(cl.name)
    return (cl.raw, cl.group or "", cl.name, cl.raw[head : cl.value_offset - 1], cl.value)


def _layout(body: str, eol: str, first_line: int) -> list[tuple[int, Fold]]:
    """Each row's first physical line and folds, in a folded card's body."""
    out: list[tuple[int, Fold]] = []
    folds: list[tuple[int, int, int]] = []
    start = first_line
    length = 0
    for k, physical in enumerate(body.split(eol)):
        if physical[:1] in (" ", "\t") and physical:
            folds.append((length, first_line + k, 2))
            length += len(physical) - 1
            continue
        if k:
            out.append((start, tuple(folds)))
            folds.clear()
        start = first_line + k
        length = len(physical)
    out.append((start, tuple(folds)))
    return out


class Reading:
    """The cards and issues of a text, as :func:`read` yields them, and the reader's state."""

    __slots__ = ("_items", "_reader")

    def __init__(self, pieces: Iterable[str], batch: bool, start: ReaderState) -> None:
        self._reader = _Reader(start)
        self._items = _items(self._reader, Pieces(pieces), batch)

    def __iter__(self) -> Reading:
        return self

    def __next__(self) -> Card | SyntaxIssue:
        return next(self._items)

    @property
    def state(self) -> ReaderState:
        """The reader's state now: right after a card was yielded, where the next begins."""
        return self._reader.state()


def read(pieces: Iterable[str], *, batch: bool = True, start: ReaderState = START) -> Reading:
    """Cut text into cards; yield each card when it ends, and every issue found.

    ``pieces`` are consecutive pieces of one text, each ending just after a
    line break that is not the CR of a CRLF (or at the end of the text), so a
    file can be read in bounded chunks; a logical line may go on in the next
    piece. ``batch=False`` reads every card line by line (tests hold both
    paths to the same cards). ``start`` is the state to read on from (a
    window of a longer text read again).
    """
    return Reading(pieces, batch, start)


def _items(reader: _Reader, text: Pieces, batch: bool) -> Iterator[Card | SyntaxIssue]:
    out = reader.out
    while True:
        if (
            batch
            and not reader.parts
            and reader.card is None
            and reader.nested_depth == 0
            and reader.batch(text)
        ):
            yield from out
            out.clear()
            continue
        line = text.line_at(text.pos)
        if line is None:
            break
        line_text, eol, after = line
        text.pos = after
        reader.feed(line_text, eol)
        if reader.parts:
            # Is the logical line whole? The next line that is not blank says.
            k = text.pos
            while True:
                nxt = text.line_at(k)
                joins = reader.joins(None if nxt is None else nxt[0])
                if joins is None:
                    assert nxt is not None
                    k = nxt[2]
                    continue
                break
            if not joins:
                reader.flush()
        if out:
            yield from out
            out.clear()
    reader.finish()
    yield from out
