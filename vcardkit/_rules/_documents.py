"""What rules run on: documents built by the syntax and model layers, with positions.

- :class:`VcfDocument`: a decoded VCF text, what the decoder and the reader
  found, its cards; positions map to the file the user opened, through a
  JSON string's escapes when the text is a ``vcard`` field.
- JSON documents are in :mod:`vcardkit._rules._jsondoc`.
- :class:`ContactView`: the Contact the model layer reads from a card or a
  JSON object (what ``loads`` and ``from_json`` return), for the rules that
  run on both (VC307, VC308, VC4xx, VC5xx, VC7xx), with the place each of
  its fields was written.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from itertools import islice
from typing import Final

from vcardkit._model._card import card_to_contact
from vcardkit._model._contact import Contact
from vcardkit._rules._diagnostic import Where
from vcardkit._rules._payload import Payload
from vcardkit._rules._phonelib import PhoneMemo
from vcardkit._syntax._decode import DecodeEvent, decode, lone_surrogates
from vcardkit._syntax._reader import START, Card, ContentLine, Param, ReaderState, SyntaxIssue, read
from vcardkit._syntax._source import Source
from vcardkit._syntax._stream import Piece
from vcardkit._syntax._values import split_structured, unescape_text

__all__ = [
    "CardView",
    "ContactView",
    "Context",
    "FieldRef",
    "PhoneRef",
    "VcfDocument",
    "build_vcf_document",
    "reread",
    "vcf_documents",
]

_LINE_BREAK_RE: Final = re.compile(r"\r\n|\r|\n")

# A position inside a document -> a position in the file the user opened.
Mapper = Callable[[int, int], tuple[int, int]]


@dataclass(frozen=True, slots=True)
class Context:
    """The run's settings a rule may read: not selection, which the engine applies."""

    profile: str = "whatsapp"  # or "rfc2426"
    region: str | None = None  # ISO 3166 region for national numbers
    sending: bool = False  # True in check(): the payload is about to be sent
    path: str | None = None
    # Each number analysed once per run, however many rules ask (the lint
    # CLI shares one across the files of a run).
    phones: PhoneMemo = field(default_factory=PhoneMemo, compare=False, repr=False)


# ---------------------------------------------------------------------------
# Contact views


@dataclass(slots=True)  # not frozen: a frozen __init__ costs 3x, for each field
class FieldRef:
    """One field's value and where it is.

    ``value`` is decoded (escapes resolved); ``raw`` is as written (the same
    for JSON). ``where`` is the whole value: from its first character to
    past its last (a JSON string's token, quotes included). For a card,
    ``line`` is the content line and ``start`` the logical offset of ``raw``
    in it, so :meth:`at` can point at any character of the raw value; in
    JSON every fault points at the value.
    """

    value: str
    # The position, or how to work it out; None: ``raw`` in ``line`` from
    # ``start`` (a card's field: no callable made for each field of a card).
    where_: Where | Callable[[], Where] | None
    raw: str
    line: ContentLine | None = None
    start: int = 0
    doc: VcfDocument | None = None
    pointer: str | None = None
    card: int | None = None

    @property
    def where(self) -> Where:
        where = self.where_
        if where is None:
            assert self.line is not None and self.doc is not None
            start = self.start
            where = self.doc.span(self.line, start, start + len(self.raw), self.card)
            self.where_ = where
            return where
        return _resolve(self)

    def at(self, index: int) -> Where:
        """Where character ``index`` of ``raw`` is (in JSON: the whole value); a
        negative index (``WHOLE`` of the value checks) is the whole value."""
        if self.line is None or self.doc is None or index < 0:
            return self.where
        return self.doc.at_offset(self.line, self.start + index, self.card)


@dataclass(slots=True)
class PhoneRef:
    """A TEL, or a JSON phone (the shorthand keys or an item of ``phones``)."""

    number: FieldRef | None
    waid: FieldRef | None
    where_: Where | Callable[[], Where]  # the TEL property, or the JSON object of the phone
    pointer: str | None = None  # JSON: the object's pointer ("/0" for the shorthand)
    line: ContentLine | None = None

    @property
    def where(self) -> Where:
        return _resolve(self)


@dataclass(slots=True)
class ContactView:
    """A contact the model layer read, from a card or a JSON object, with positions.

    ``contact`` is what :func:`vcardkit.loads` (for a card) or
    :func:`vcardkit.from_json` (for JSON, leniently: a wrong type is VC604's)
    returns; the refs beside it say where each field it holds was written.
    """

    index: int
    source: str  # "vcf" or "json"
    # The card's BEGIN:VCARD (or the vcard string's quote), or the object's "{".
    where_: Where | Callable[[], Where]
    contact: Contact
    full_name: FieldRef | None
    organization: FieldRef | None
    phones: tuple[PhoneRef, ...]
    # Where each of the Contact's e-mails and URLs is, in its order; None for
    # a JSON item whose value is not a string (VC604's).
    emails: tuple[FieldRef | None, ...] = ()
    urls: tuple[FieldRef | None, ...] = ()
    uid: FieldRef | None = None  # a card's UID row: no Contact field holds it
    pointer: str | None = None  # JSON: the contact's pointer
    card: CardView | None = None

    @property
    def where(self) -> Where:
        return _resolve(self)

    @property
    def line(self) -> int | None:
        """The line :attr:`where` starts on, without working out its end: the
        payload-wide rules note it for every contact, most never reported."""
        if self.card is not None:
            return self.card.line()
        return self.where.line


def _resolve(ref: FieldRef | PhoneRef | ContactView) -> Where:
    """``ref.where_``, worked out on first use: most fields never get a diagnostic."""
    where = ref.where_
    assert where is not None  # FieldRef.where works its None out
    if not isinstance(where, Where):
        where = ref.where_ = where()
    return where


# ---------------------------------------------------------------------------
# VCF


class CardView:
    """A card read inside a document, with position helpers and its Contact."""

    __slots__ = ("_by_name", "_contact", "_rows", "card", "doc", "index")

    def __init__(self, doc: VcfDocument, card: Card, index: int) -> None:
        self.doc = doc
        self.card = card
        self.index = index
        self._contact: Contact | None = None
        self._rows: dict[str, int] = {}  # the rows FN and ORG were read from
        self._by_name: dict[str, list[ContentLine]] | None = None

    @property
    def lines(self) -> list[ContentLine]:
        return self.card.lines

    @property
    def version(self) -> str | None:
        return self.card.version

    @property
    def legacy(self) -> bool:
        return self.card.version == "2.1"

    @property
    def contact(self) -> Contact:
        """The Contact the model layer reads from this card: what ``loads`` returns."""
        if self._contact is None:
            self._rows = {}
            self._contact = card_to_contact(self.card, self._rows)
        return self._contact

    def named(self, name: str) -> list[ContentLine]:
        """The card's lines named ``name`` (any case), in order."""
        by_name = self._by_name
        if by_name is None:
            # Many rules ask: the lines are grouped by name once per card.
            by_name = self._by_name = {}
            for cl in self.card.lines:
                upper = cl.name.upper()
                group = by_name.get(upper)
                if group is None:
                    by_name[upper] = [cl]
                else:
                    group.append(cl)
        return list(by_name.get(name.upper(), ()))

    def where(self) -> Where:
        """The whole card: its BEGIN:VCARD line (or the vcard string's quote)."""
        return self.doc.at_card(self.card.begin_line, self.index)

    def line(self) -> int | None:
        """The line :meth:`where` starts on."""
        return self.doc.card_line(self.card.begin_line)

    def where_name(self, cl: ContentLine) -> Where:
        """A property: its group and name (``item1.TEL``)."""
        head = len(cl.group) + 1 + len(cl.name) if cl.group else len(cl.name)
        return self.doc.span(cl, 0, head, self.index)

    def where_value(self, cl: ContentLine) -> Where:
        """The property's whole raw value, to its last character (on the last
        physical line of a folded value)."""
        return self.doc.span(cl, cl.value_offset, len(cl.raw), self.index)

    def where_char(self, cl: ContentLine, index: int) -> Where:
        """Character ``index`` of the property's raw value."""
        return self.doc.at_offset(cl, cl.value_offset + index, self.index)

    def where_part(self, cl: ContentLine, start: int, stop: int) -> Where:
        """Characters ``start`` to ``stop`` (exclusive) of the property's raw value."""
        base = cl.value_offset
        return self.doc.span(cl, base + start, base + stop, self.index)

    def where_param(self, cl: ContentLine, param: Param) -> Where:
        """A parameter: its name (a bare 2.1 parameter: its value)."""
        name = param.name if param.name is not None else "".join(param.values[:1])
        return self.doc.span(cl, param.offset, param.offset + len(name), self.index)

    def param_value_ref(self, cl: ContentLine, param: Param) -> FieldRef:
        """A parameter's first value, pointing at its first character."""
        eq = cl.raw.find("=", param.offset)
        start = eq + 1 if eq >= 0 else param.offset
        if cl.raw.startswith('"', start):
            start += 1
        value = param.values[0] if param.values else ""
        return FieldRef(value, None, value, cl, start, self.doc, None, self.index)

    def view(self) -> ContactView:
        """The card's Contact, each field with the row it was read from."""
        contact = self.contact
        lines = self.card.lines
        full_name = organization = uid = None
        k = self._rows.get("FN")
        if k is not None and contact.full_name is not None:
            cl = lines[k]
            full_name = self._ref(contact.full_name, cl, cl.value)
        # The ORG the Contact maps, else one it keeps whole (three units,
        # parameters): a recipient sees its first unit all the same.
        k = self._rows.get("ORG")
        orgs = [lines[k]] if k is not None else self.named("ORG")
        if orgs:
            unit = split_structured(orgs[0].value)[0]
            text = (
                contact.organization if k is not None else unescape_text(unit, legacy=self.legacy)
            )
            organization = self._ref(text or "", orgs[0], unit)
        phones: list[PhoneRef] = []
        for phone, cl in zip(contact.phones, self.named("TEL"), strict=True):
            number = self._ref(phone.phone_number or "", cl, cl.value)
            # The phone's waid is the first value of the TEL's first waid.
            waid_param = cl.param("waid") if phone.whatsapp_id is not None else None
            waid = self.param_value_ref(cl, waid_param) if waid_param is not None else None
            phones.append(PhoneRef(number, waid, partial(self.where_name, cl), None, cl))
        emails = tuple(
            self._ref(email.email, cl, cl.value)
            for email, cl in zip(contact.emails, self.named("EMAIL"), strict=True)
        )
        urls = tuple(
            self._ref(url.url, cl, cl.value)
            for url, cl in zip(contact.urls, self.named("URL"), strict=True)
        )
        for cl in self.named("UID")[:1]:
            uid = self._ref(unescape_text(cl.value, legacy=self.legacy), cl, cl.value)
        return ContactView(
            self.index,
            "vcf",
            self.where,
            contact,
            full_name,
            organization,
            tuple(phones),
            emails,
            urls,
            uid,
            None,
            self,
        )

    def _ref(self, value: str, cl: ContentLine, raw: str) -> FieldRef:
        return FieldRef(value, None, raw, cl, cl.value_offset, self.doc, None, self.index)


@dataclass(slots=True)
class VcfDocument:
    """A decoded VCF text and everything the syntax layer found in it."""

    source: Source
    path: str | None
    bom: str | None
    decode_events: tuple[DecodeEvent, ...]
    issues: list[SyntaxIssue]
    cards: list[CardView] = field(default_factory=list)
    # Embedded in a JSON file: positions map through the string's escapes,
    # whole-card faults point at the string's opening quote.
    mapper: Mapper | None = None
    quote: tuple[int, int] | None = None
    card_base: int = 0  # the card index of the first card (a JSON contact's index)
    pointer: str | None = None  # the `vcard` field's pointer, when embedded
    embedded: bool = False
    positionless: bool = False  # embedded in Python objects: no text, no positions
    quote_end: tuple[int, int] = (0, 0)  # embedded: just past the string's closing quote
    # A file is checked a window of cards at a time (vcf_documents): the
    # state payload-wide rules keep across its windows, whether this window
    # is the file's last, and the reader's state where the window starts.
    payload: Payload | None = None
    final: bool = True
    start: ReaderState = START
    end: ReaderState = START  # the reader's state after the window's last card
    # views() is asked for by every VC4xx/VC5xx/VC7xx rule: built once.
    _views: list[ContactView] | None = None

    def at(
        self,
        line: int,
        column: int,
        card: int | None = None,
        end: tuple[int, int] | None = None,
    ) -> Where:
        """From (line, column) to ``end`` (exclusive); without ``end``, the one
        character there (the line break, past the line's last character)."""
        if card is None and self.embedded:
            card = self.card_base  # a `vcard` string is its contact's card
        if self.positionless:
            return Where(None, None, card, self.pointer)
        if end is None:
            end = self._past(line, column)
        end_line, end_column = end
        mapper = self.mapper
        if mapper is not None:
            # An exclusive end maps as a start does: the offset of the
            # character after the span is where the span's last escape ends.
            line, column = mapper(line, column)
            end_line, end_column = mapper(end_line, end_column)
        return Where(line, column, card, self.pointer, end_line, end_column)

    def _past(self, line: int, column: int) -> tuple[int, int]:
        """The end of the character at (line, column): past it, or past the
        line break when the column is the line's end (an empty value there)."""
        length = self._length(line)
        if length is None or column <= length:
            return line, column + 1
        return self._past_break(line, column)

    def _length(self, line: int) -> int | None:
        """The length of physical line ``line``'s text; ``None`` outside this
        document's text (an issue the reader found reading ahead of a window)."""
        source = self.source
        if not 0 <= line - source.line < max(source.line_count, 1):
            return None
        return len(source.line_text(line))

    def _past_break(self, line: int, column: int) -> tuple[int, int]:
        source = self.source
        if line < source.line + source.line_count - 1 or source.text.endswith(("\r", "\n")):
            return line + 1, 1
        # The end of the text: no character follows, the span is the column after it.
        return line, column + 1

    def at_card(self, line: int, card: int | None) -> Where:
        """A whole card: its BEGIN line, to the end of the line's text; in a
        JSON ``vcard`` string, the whole string token, quotes included."""
        if card is None and self.embedded:
            card = self.card_base
        if self.positionless:
            return Where(None, None, card, self.pointer)
        if self.quote is not None:
            return Where(self.quote[0], self.quote[1], card, self.pointer, *self.quote_end)
        return self.at_line(line, card)

    def card_line(self, line: int) -> int | None:
        """The line of :meth:`at_card`'s start, alone."""
        if self.positionless:
            return None
        if self.quote is not None:
            return self.quote[0]
        return self.mapper(line, 1)[0] if self.mapper is not None else line

    def at_line(self, line: int, card: int | None = None) -> Where:
        """A whole physical line: from its first column to the end of its text."""
        length = self._length(line)
        return self.at(line, 1, card, (line, length + 1) if length else None)

    def at_offset(self, cl: ContentLine, offset: int, card: int | None = None) -> Where:
        """The character at logical ``offset`` of ``cl`` (past its end: the line break)."""
        line, column = cl.position(offset)
        if offset < len(cl.raw):
            return self.at(line, column, card, (line, column + 1))
        return self.at(line, column, card, self._past_break(line, column))

    def span(self, cl: ContentLine, start: int, stop: int, card: int | None = None) -> Where:
        """Logical offsets ``start`` to ``stop`` (exclusive) of ``cl``, through its
        folds: the end is just past the span's last character, on its physical
        line. An empty span is the character at ``start``, as :meth:`at_offset`."""
        if stop <= start:
            return self.at_offset(cl, start, card)
        line, column = cl.position(start)
        end_line, last = cl.position(stop - 1)
        return self.at(line, column, card, (end_line, last + 1))

    def views(self) -> list[ContactView]:
        if self._views is None:
            self._views = [card.view() for card in self.cards]
        return self._views

    def release(self) -> None:
        """Drop the cards and their views, once nothing will check them again.

        A document and its cards point at each other (``CardView.doc``), so
        a window nobody holds is a cycle: left to the cycle collector, it
        waits for a full collection, and each full collection then walks
        every window dropped since (``fix`` drops two a window: the text
        read and the text fixed). Released, a window goes when its last
        reference does. The text, its positions and the reader's state stay.
        """
        self.cards = []
        self._views = None


def build_vcf_document(
    data: str | bytes,
    path: str | None = None,
    *,
    mapper: Mapper | None = None,
    quote: tuple[int, int] | None = None,
    card_base: int = 0,
    pointer: str | None = None,
) -> VcfDocument:
    """Decode and read ``data`` whole (a JSON contact's ``vcard`` string); never raises."""
    if isinstance(data, str):
        bom = "UTF-8" if data.startswith("\ufeff") else None
        text, events = lone_surrogates(data[1:] if bom else data)
    else:
        decoded = decode(data)
        text, bom, events = decoded.text, decoded.bom, decoded.events
    doc = VcfDocument(Source(text), path, bom, events, [], [], mapper, quote, card_base, pointer)
    for item in read((text,)):
        if isinstance(item, Card):
            # Every card of a `vcard` string belongs to its one contact (a
            # second card there is VC607's): card_base + 1 would name the
            # next contact.
            index = card_base if pointer is not None else card_base + item.index
            doc.cards.append(CardView(doc, item, index))
        else:
            doc.issues.append(item)
    return doc


# Cards in a window: a few hundred keep the rules' per-call cost small per
# card, and the window's text (a few hundred kilobytes) small beside the
# 1 MB pieces a file is read in. A window also closes after this many
# lines (about a megabyte of folded photo lines).
WINDOW_CARDS: Final = 256
WINDOW_LINES: Final = 1 << 14


def vcf_documents(
    pieces: Iterable[Piece], path: str | None = None, *, window: int = WINDOW_CARDS
) -> Iterator[VcfDocument]:
    """A VCF text read as a stream, as consecutive documents of a few hundred cards each.

    Each document (a window) holds whole cards, the issues found in its
    lines, the decoding events in its text, and a :class:`Source` of its
    text whose positions are the whole text's. The payload-wide state
    (cards before, the tables of VC701 and VC702) is shared by the windows
    of one text, and brought up to date once the caller has checked a
    window and asks for the next. ``validate`` and the commands read every
    VCF text this way, so that a file checked whole and checked as a stream
    get the same diagnostics.
    """
    payload = Payload()
    buf = ""  # text read but not yet in a window, from buf[pos:]
    pos = 0
    offset = 0  # the whole text's offset of buf[pos]
    line = 1  # the line number of buf[pos]
    events: list[DecodeEvent] = []
    bom: str | None = None
    first = True

    def texts() -> Iterator[str]:
        nonlocal buf, pos, bom
        for piece in pieces:
            if piece.bom is not None:
                bom = piece.bom
            events.extend(piece.events)
            buf = buf[pos:] + piece.text if pos else buf + piece.text
            pos = 0
            yield piece.text

    def take(end_line: int | None, start: ReaderState) -> VcfDocument:
        """The window from ``buf[pos:]`` to the end of line ``end_line`` (None: all)."""
        nonlocal pos, offset, line, first
        cut = len(buf)
        if end_line is not None and end_line >= line:
            breaks = _LINE_BREAK_RE.finditer(buf, pos)
            m = next(islice(breaks, end_line - line, None), None)
            if m is not None:
                cut = m.end()
        text = buf[pos:cut]
        end = offset + len(text)
        mine = [e for e in events if e.offset < end] if events else []
        del events[: len(mine)]
        doc = VcfDocument(
            Source(text, line=line, base=offset), path, bom if first else None, tuple(mine), [], []
        )
        doc.payload = payload
        doc.start = start
        doc.final = end_line is None
        first = False
        pos = cut
        offset = end
        line = end_line + 1 if end_line is not None else line
        return doc

    reading = read(texts())
    start = reading.state
    cards: list[Card] = []
    issues: list[SyntaxIssue] = []
    for item in reading:
        if isinstance(item, SyntaxIssue):
            issues.append(item)
            continue
        cards.append(item)
        if len(cards) >= window or item.end_line - line >= WINDOW_LINES:
            doc = take(item.end_line, start)
            start = doc.end = reading.state
            yield _filled(doc, cards, issues)
            _checked(payload, doc)
            cards, issues = [], []
    doc = take(None, start)
    doc.end = reading.state
    yield _filled(doc, cards, issues)
    _checked(payload, doc)


def _filled(doc: VcfDocument, cards: list[Card], issues: list[SyntaxIssue]) -> VcfDocument:
    doc.cards = [CardView(doc, card, card.index) for card in cards]
    doc.issues = issues
    return doc


def _checked(payload: Payload, doc: VcfDocument) -> None:
    """The caller has checked ``doc``: what the next windows need to know of it."""
    payload.cards += len(doc.cards)
    payload.fatal = payload.fatal or any(issue.fatal for issue in doc.issues)
    payload.commit()


def reread(doc: VcfDocument, text: str, start: ReaderState, line: int, base: int) -> VcfDocument:
    """A window's text (changed by fixes) read again from ``start``, as it will be written.

    ``line`` and ``base`` are where the text starts in what is written.
    Decoding events are not found again: they belong to the bytes read, not
    to the text a fix wrote.
    """
    new = VcfDocument(Source(text, line=line, base=base), doc.path, doc.bom, (), [], [])
    new.payload = doc.payload
    new.start = start
    new.final = doc.final
    cards: list[Card] = []
    issues: list[SyntaxIssue] = []
    reading = read((text,), start=start)
    for item in reading:
        if isinstance(item, Card):
            cards.append(item)
        else:
            issues.append(item)
    new.end = reading.state
    return _filled(new, cards, issues)
