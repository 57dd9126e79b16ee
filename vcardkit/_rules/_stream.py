"""VC1xx — stream and syntax (RULES.md). Each class is one rule; its docstring is its doc."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any, ClassVar, Final

from vcardkit._rules._base import Finding, Input, Profile, Rule
from vcardkit._rules._context import Context, JsonDocument, VcfDocument
from vcardkit._rules._diagnostic import Edit, Fix, Severity
from vcardkit._syntax._grammar import STRICT_NAME_RE
from vcardkit._syntax._reader import ContentLine, LineFault, parse_content_line
from vcardkit._syntax._values import fold

__all__ = [
    "BOTH",
    "VCF",
    "ByteOrderMark",
    "ControlCharacter",
    "EmptyCard",
    "FoldSplitsCharacter",
    "InvalidUtf8",
    "LeadingWhitespace",
    "LineEnding",
    "LongLine",
    "MalformedLine",
    "MalformedParameter",
    "NestedCard",
    "NotUtf8Encoding",
    "OversizedLine",
    "TextOutsideCard",
    "UnicodeLineSeparator",
    "UnmatchedEnd",
    "UnterminatedCard",
    "json_items",
    "json_strings",
    "show",
]

VCF: Final = frozenset({Input.VCF})
BOTH: Final = frozenset({Input.VCF, Input.JSON})


def show(value: str, limit: int = 40) -> str:
    """A value quoted for a message, shortened when long."""
    shown = value if len(value) <= limit else value[: limit - 1] + "…"
    return repr(shown)


class _FromSyntax(Rule):
    """A rule whose findings the syntax layer made: it only reports them."""

    whole_card: ClassVar[bool] = False

    def check_vcf(self, doc: VcfDocument, ctx: Context) -> Iterator[Finding]:
        for issue in doc.issues:
            if issue.code != self.code:
                continue
            if doc.embedded:
                card: int | None = doc.card_base  # a `vcard` string is one contact's
            else:
                card = None if issue.card is None else doc.card_base + issue.card
            where = (
                doc.at_card(issue.line, card)
                if self.whole_card
                else doc.at(issue.line, issue.column, card)
            )
            yield Finding(issue.message, where, self.fix(doc, issue.line))

    def fix(self, doc: VcfDocument, line: int) -> Fix | None:
        return None


def _decode_findings(doc: VcfDocument | JsonDocument, code: str) -> Iterator[tuple[str, Any]]:
    source = doc.source
    if source is None:
        return
    for event in doc.decode_events:
        if event.code == code:
            yield event.detail, (source.position(event.offset), event)


class InvalidUtf8(Rule):
    """VC101 invalid-utf8 — bytes that do not decode as UTF-8.

    Why: vCard 3.0 text is UTF-8 here (and RFC 2426 §5 leaves the charset to
    the transport, which for WhatsApp is UTF-8); undecodable bytes turn into
    U+FFFD or break the reader. Reading goes on after them, and every bad
    sequence is reported with its byte offset.
    Fails: ``FN:Jos\\xe9`` (Latin-1 bytes in a UTF-8 file)
    Fix: save the file as UTF-8.
    """

    code = "VC101"
    name = "invalid-utf8"
    severity = Severity.ERROR
    profile = Profile.RFC
    inputs = BOTH

    def _findings(self, doc: VcfDocument | JsonDocument) -> Iterator[Finding]:
        for detail, ((line, column), event) in _decode_findings(doc, self.code):
            where = doc.at(line, column) if isinstance(doc, VcfDocument) else None
            message = f"the bytes {detail} at byte offset {event.byte_offset} are not valid UTF-8"
            if where is None:
                from vcardkit._rules._base import Where

                where = Where(line, column)
            yield Finding(message, where)

    def check_vcf(self, doc: VcfDocument, ctx: Context) -> Iterator[Finding]:
        return self._findings(doc)

    def check_json(self, doc: JsonDocument, ctx: Context) -> Iterator[Finding]:
        yield from self._findings(doc)
        # JSON text may write a lone surrogate ("\ud800"): it decodes, but
        # no UTF-8 byte sequence encodes it, so the card cannot be sent.
        for index, obj, pointer in doc.contacts():
            for p, value in json_strings(obj, pointer):
                m = _SURROGATE_RE.search(value)
                if m is not None:
                    yield Finding(
                        f"the field {p} holds the lone surrogate U+{ord(m.group()):04X}, "
                        "which UTF-8 cannot encode",
                        doc.at(p, card=index),
                    )


_SURROGATE_RE: Final = re.compile("[\ud800-\udfff]")


class ByteOrderMark(Rule):
    """VC102 byte-order-mark — a UTF-8 byte-order mark before BEGIN:VCARD.

    Why: several vCard readers (and Python's ``json`` for JSON text) fail on
    the invisible U+FEFF before the first line; RFC 3629 §6 discourages it
    where the protocol fixes the encoding.
    Fails: ``EF BB BF`` then ``BEGIN:VCARD``
    Fix: remove the byte-order mark (automatic; vcardkit always writes UTF-8
    without one).
    """

    code = "VC102"
    name = "byte-order-mark"
    severity = Severity.WARNING
    profile = Profile.RFC
    inputs = BOTH

    _fix: ClassVar[Fix] = Fix("remove the UTF-8 byte-order mark", (Edit((1, 1), (1, 1), ""),))

    def check_vcf(self, doc: VcfDocument, ctx: Context) -> Iterator[Finding]:
        if doc.bom == "UTF-8":
            yield Finding("the text starts with a UTF-8 byte-order mark", doc.at(1, 1), self._fix)

    def check_json(self, doc: JsonDocument, ctx: Context) -> Iterator[Finding]:
        if doc.bom == "UTF-8":
            from vcardkit._rules._base import Where

            yield Finding(
                "the JSON text starts with a UTF-8 byte-order mark", Where(1, 1), self._fix
            )


class LineEnding(_FromSyntax):
    """VC103 line-ending — lines end in bare LF or CR, or the endings are mixed.

    Why: RFC 2425 §5.8.1 ends every content line in CRLF. WhatsApp reads LF
    too, so this is information; mixed endings usually mean a file was
    edited by hand or concatenated. Reported once per file, at the first
    line whose ending differs from the file's first (or at line 1 when the
    file uses LF or CR throughout). Not reported for a ``vcard`` string in
    JSON, whose line endings are normalized when it is sent.
    Fails: ``BEGIN:VCARD\\nVERSION:3.0\\n...``
    Fix: end every line in CRLF (automatic).
    """

    code = "VC103"
    name = "line-ending"
    severity = Severity.INFO
    profile = Profile.RFC
    inputs = VCF

    def check_vcf(self, doc: VcfDocument, ctx: Context) -> Iterator[Finding]:
        if doc.embedded:
            return iter(())
        return super().check_vcf(doc, ctx)

    def fix(self, doc: VcfDocument, line: int) -> Fix | None:
        source = doc.source
        edits = []
        for k in range(1, source.line_count + 1):
            brk = source.line_break(k)
            if brk and brk != "\r\n":
                column = len(source.line_text(k)) + 1
                edits.append(Edit((k, column), (k + 1, 1), "\r\n"))
        return Fix("end every line in CRLF", tuple(edits)) if edits else None


class LeadingWhitespace(_FromSyntax):
    """VC104 leading-whitespace — the payload does not start with BEGIN:VCARD.

    Why: senders that check for a vCard look at the first bytes; a blank
    line, white space or any text before BEGIN:VCARD makes them send the
    payload as plain text [U]. Applies to a file, a string and a JSON
    ``vcard`` field (one that holds no card at all is VC607's). Text before
    the first card is reported here once, not again as VC108 or VC109.
    Fails: ``\\r\\nBEGIN:VCARD`` or ``  BEGIN:VCARD``
    Fix: remove what comes before BEGIN:VCARD (automatic when it is only
    white space).
    """

    code = "VC104"
    name = "leading-whitespace"
    severity = Severity.ERROR
    profile = Profile.RFC
    inputs = VCF

    def check_vcf(self, doc: VcfDocument, ctx: Context) -> Iterator[Finding]:
        if doc.embedded and not doc.cards and not any(i.code == "VC105" for i in doc.issues):
            # A `vcard` string with no card at all: nothing comes before a
            # card; VC607 ("holds 0 cards") is the one fault.
            return iter(())
        return super().check_vcf(doc, ctx)

    def fix(self, doc: VcfDocument, line: int) -> Fix | None:
        text = doc.source.text
        m = re.match(r"\s*(?=BEGIN:VCARD)", text, re.IGNORECASE)
        if m is None or not m.group():
            return None
        end = doc.source.position(m.end())
        return Fix("remove the white space before BEGIN:VCARD", (Edit((1, 1), end, ""),))


class UnterminatedCard(_FromSyntax):
    """VC105 unterminated-card — a BEGIN:VCARD with no END:VCARD.

    Why: RFC 2426 §4 (``vcard = "BEGIN" ":" "VCARD" ... "END" ":" "VCARD"``);
    readers drop the card or merge it with the next one.
    Fails: a file cut short after ``TEL:+20...``
    Fix: add ``END:VCARD`` after the card's last property.
    """

    code = "VC105"
    name = "unterminated-card"
    severity = Severity.ERROR
    profile = Profile.RFC
    inputs = VCF
    whole_card = True


class UnmatchedEnd(_FromSyntax):
    """VC106 unmatched-end — an END:VCARD with no BEGIN:VCARD before it.

    Why: RFC 2426 §4; usually a card whose BEGIN line was lost or mistyped.
    Fails: ``END:VCARD`` as the first line
    Fix: add the missing ``BEGIN:VCARD`` or remove the stray END.
    """

    code = "VC106"
    name = "unmatched-end"
    severity = Severity.ERROR
    profile = Profile.RFC
    inputs = VCF


class NestedCard(_FromSyntax):
    """VC107 nested-card — a BEGIN:VCARD inside a card.

    Why: RFC 2426 §4 does not nest cards (2.1's AGENT did); a missing
    END:VCARD is the usual cause. The nested card is skipped.
    Fails: ``BEGIN:VCARD`` ``FN:A`` ``BEGIN:VCARD`` ...
    Fix: end the first card before the next begins.
    """

    code = "VC107"
    name = "nested-card"
    severity = Severity.ERROR
    profile = Profile.RFC
    inputs = VCF


class TextOutsideCard(_FromSyntax):
    """VC108 text-outside-card — non-blank lines between cards.

    Why: RFC 2425 §5.8.1 allows nothing between cards; readers skip it or
    stop there. One diagnostic per run of such lines.
    Fails: ``END:VCARD`` ``-- next --`` ``BEGIN:VCARD``
    Fix: remove the text, or make it a property of a card (``NOTE:``).
    """

    code = "VC108"
    name = "text-outside-card"
    severity = Severity.WARNING
    profile = Profile.RFC
    inputs = VCF


class MalformedLine(_FromSyntax):
    """VC109 malformed-line — a content line with no ``:``, or an empty or bad name or group.

    Why: RFC 2425 §5.8.2: ``contentline = [group "."] name *(";" param) ":"
    value``, names and groups being letters, digits and ``-``. A line with
    no ``:`` cannot be read at all (often a value continued without the
    leading space of a fold); a name like ``X-WAB-SPOUSE_NAME`` is read but
    other readers may drop it.
    In JSON, the ``group`` of a phone, e-mail, address or URL is checked
    too: it becomes the group of a content line (``dumps`` refuses a bad one).
    Fails: ``Packstation 999`` inside a card; ``X-GOOGLE TALK:me``;
    ``{"group": "item 1"}``
    Fix: fold continuation lines with a leading space; use letters, digits
    and ``-`` in names and groups.
    """

    code = "VC109"
    name = "malformed-line"
    severity = Severity.ERROR
    profile = Profile.RFC
    inputs = BOTH

    def check_json(self, doc: JsonDocument, ctx: Context) -> Iterator[Finding]:
        for index, obj, pointer in doc.contacts():
            for item, p in json_items(obj, pointer):
                group = item.get("group")
                if isinstance(group, str) and group and not STRICT_NAME_RE.fullmatch(group):
                    yield Finding(
                        f"the group {show(group)} holds characters other than letters, "
                        "digits and '-'",
                        doc.at(f"{p}/group", card=index),
                    )

    def check_vcf(self, doc: VcfDocument, ctx: Context) -> Iterator[Finding]:
        yield from super().check_vcf(doc, ctx)
        for card in doc.cards:
            for cl in card.lines:
                if cl.group is not None and not STRICT_NAME_RE.fullmatch(cl.group):
                    yield Finding(
                        f"the group {show(cl.group)} holds characters other than letters, "
                        "digits and '-'",
                        card.where_line(cl),
                    )
                elif not STRICT_NAME_RE.fullmatch(cl.name):
                    # RULES.md: a fault of a property is at its name, or at
                    # its group when it has one.
                    yield Finding(
                        f"the property name {show(cl.name)} holds characters other than "
                        "letters, digits and '-'",
                        card.where_line(cl),
                    )


_BARE_ENCODINGS: Final = frozenset({"QUOTED-PRINTABLE", "BASE64", "8BIT", "7BIT", "B"})


class MalformedParameter(_FromSyntax):
    """VC110 malformed-parameter — bad parameter syntax, or a bare 2.1 parameter in 3.0.

    Why: RFC 2426 §4 ``param = param-name "=" param-value *("," param-value)``:
    an unbalanced quote swallows the rest of the line; a parameter name must
    be letters, digits and ``-``; vCard 3.0 has no bare parameters, so
    ``TEL;WORK`` (2.1 style) is read as an unknown parameter by strict
    readers.
    In JSON, an item's ``parameters`` entry must be one ``NAME=value``
    parameter, and a ``type`` may not hold ``"`` (no parameter value can):
    ``dumps`` refuses both.
    Fails: ``TEL;WORK:+441234567890`` in a 3.0 card; ``FN;X-A="b:Jo``;
    ``{"parameters": ["X-A"]}``
    Fix: ``TEL;TYPE=WORK:+441234567890`` (automatic for bare parameters);
    ``{"parameters": ["X-A=b"]}``.
    """

    code = "VC110"
    name = "malformed-parameter"
    severity = Severity.ERROR
    profile = Profile.RFC
    inputs = BOTH

    def check_json(self, doc: JsonDocument, ctx: Context) -> Iterator[Finding]:
        for index, obj, pointer in doc.contacts():
            for item, p in json_items(obj, pointer):
                types = item.get("type")
                entries = (
                    [(f"{p}/type", types)]
                    if isinstance(types, str)
                    else [(f"{p}/type/{k}", t) for k, t in enumerate(types)]
                    if isinstance(types, list)
                    else []
                )
                for tp, value in entries:
                    if isinstance(value, str) and '"' in value:
                        yield Finding(
                            f"the type {show(value)} holds '\"', which no vCard 3.0 "
                            "parameter value can carry",
                            doc.at(tp, card=index),
                        )
                params = item.get("parameters")
                if not isinstance(params, list):
                    continue
                for k, text in enumerate(params):
                    if isinstance(text, str) and not _one_json_parameter(text):
                        yield Finding(
                            f"the parameter {show(text)} is not one parameter of the form "
                            "NAME=value",
                            doc.at(f"{p}/parameters/{k}", card=index),
                        )

    def check_vcf(self, doc: VcfDocument, ctx: Context) -> Iterator[Finding]:
        yield from super().check_vcf(doc, ctx)
        for card in doc.cards:
            if card.version == "2.1":
                continue
            for cl in card.lines:
                for p in cl.params:
                    if p.name is None and p.values[0].startswith("="):
                        # ";=x": the lenient name took the "=" in; there is
                        # no name, and no 2.1 reading to offer as a fix.
                        yield Finding(
                            f"the parameter {show(p.values[0])} of {cl.name} has no name",
                            card.where_param(cl, p),
                        )
                    elif p.name is None:
                        bare = p.values[0]
                        kind = "ENCODING" if bare.upper() in _BARE_ENCODINGS else "TYPE"
                        start = cl.position(p.offset)
                        yield Finding(
                            f"the bare parameter {show(bare)} of {cl.name} is vCard 2.1 "
                            f"syntax; vCard {card.version or '3.0'} writes {kind}={bare}",
                            card.where_param(cl, p),
                            Fix(f"write {kind}={bare}", (Edit(start, start, f"{kind}="),)),
                        )
                    elif not STRICT_NAME_RE.fullmatch(p.name):
                        yield Finding(
                            f"the parameter name {show(p.name)} of {cl.name} holds characters "
                            "other than letters, digits and '-'",
                            card.where_param(cl, p),
                        )


def _one_json_parameter(text: str) -> bool:
    """Whether a JSON ``parameters`` entry is one ``NAME=value`` (what ``dumps`` writes).

    Control characters are VC113's to report, not a malformed parameter.
    """
    probe = parse_content_line(f"X;{_CONTROL_OR_BREAK_RE.sub(' ', text)}:", 1, ())
    return (
        not isinstance(probe, LineFault)
        # "X-A=b:c" parses as X-A=b with "c" starting the value: the entry
        # must be the whole parameter section.
        and probe.value == ""
        and len(probe.params) == 1
        and probe.params[0].name is not None
        and STRICT_NAME_RE.fullmatch(probe.params[0].name) is not None
    )


def _line_index(doc: VcfDocument) -> dict[int, ContentLine]:
    index: dict[int, ContentLine] = {}
    for card in doc.cards:
        for cl in card.lines:
            for line in range(cl.line, cl.end_line + 1):
                index[line] = cl
    return index


class LongLine(Rule):
    """VC111 long-line — a physical line over 75 octets.

    Why: RFC 2425 §5.8.1: lines SHOULD be no longer than 75 octets, folded
    otherwise; some readers truncate longer lines. Reported at column 1 of
    each long line. Not an error: the RFC says SHOULD.
    Fails: a ``NOTE:`` line of 200 characters on one line
    Fix: fold the line at 75 octets, never inside a UTF-8 sequence
    (automatic).
    """

    code = "VC111"
    name = "long-line"
    severity = Severity.INFO
    profile = Profile.RFC
    inputs = VCF

    def check_vcf(self, doc: VcfDocument, ctx: Context) -> Iterator[Finding]:
        source = doc.source
        lines_by_number: dict[int, ContentLine] | None = None
        refolded: set[int] = set()
        for k, text in enumerate(source.line_texts(), 1):
            if len(text) <= 18 or len(text.encode("utf-8", "surrogatepass")) <= 75:
                continue
            size = len(text.encode("utf-8", "surrogatepass"))
            if lines_by_number is None:
                lines_by_number = _line_index(doc)
            cl = lines_by_number.get(k)
            # One fix refolds the whole content line: offer it once, at its
            # first long line (a 4000-line PHOTO refolded at each of its
            # lines was quadratic, and the edits overlapped).
            fix = None
            if cl is not None and cl.line not in refolded:
                refolded.add(cl.line)
                fix = _refold(doc, cl)
            yield Finding(
                f"line {k} is {size} octets long; RFC 2425 says to fold lines at 75",
                doc.at(k, 1),
                fix,
            )


def _refold(doc: VcfDocument, cl: ContentLine) -> Fix | None:
    if any(column != 2 for _, _, column in cl.folds):
        return None  # quoted-printable soft breaks: refolding would change the value
    source = doc.source
    eol = source.line_break(cl.line) or "\r\n"
    folded = fold(cl.raw, eol)[: -len(eol)]
    end_line = cl.end_line
    end = (end_line, len(source.line_text(end_line)) + 1)
    return Fix("fold the line at 75 octets", (Edit((cl.line, 1), end, folded),))


class FoldSplitsCharacter(Rule):
    """VC112 fold-splits-character — a fold inside a UTF-8 sequence.

    Why: RFC 6350 §3.2 forbids folding in the middle of a multi-octet
    sequence; the physical line is then not valid UTF-8 on its own and naive
    readers show U+FFFD. vcardkit joins the character back.
    Fails: ``NOTE:…\\xe2\\x82`` CRLF SP ``\\xac…`` (a euro sign cut in two)
    Fix: fold before or after the character.
    """

    code = "VC112"
    name = "fold-splits-character"
    severity = Severity.WARNING
    profile = Profile.WA
    inputs = VCF

    def check_vcf(self, doc: VcfDocument, ctx: Context) -> Iterator[Finding]:
        for detail, ((line, column), event) in _decode_findings(doc, self.code):
            yield Finding(
                f"a fold splits the UTF-8 sequence of {detail!r} (U+{ord(detail):04X}) "
                f"at byte offset {event.byte_offset}",
                doc.at(line, column),
            )


# RFC 2425 §5.8.2 VALUE-CHAR excludes CTLs but HTAB; CR and LF end lines.
_CONTROL_RE: Final = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_JSON_CONTROL_RE: Final = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# DESIGN.md: TEL, EMAIL, URL and BDAY are not text values (nor are parameter
# values and groups): they cannot carry a line break either.
_CONTROL_OR_BREAK_RE: Final = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
_NOT_TEXT_KEYS: Final = frozenset(
    {"phoneNumber", "whatsappId", "email", "url", "birthday", "countryCode"}
    | {"type", "parameters", "group"}
)


def _is_text_field(pointer: str) -> bool:
    """Whether the JSON field at ``pointer`` is written as a text value (escaped)."""
    head, _, last = pointer.rpartition("/")
    if last.isdigit():  # an entry of "type" or "parameters"
        last = head.rpartition("/")[2]
    return last not in _NOT_TEXT_KEYS


def json_items(obj: Mapping[str, Any], pointer: str) -> Iterator[tuple[Mapping[str, Any], str]]:
    """Each object in a contact's phones, emails, addresses and urls, with its pointer."""
    for key in ("phones", "emails", "addresses", "urls"):
        items = obj.get(key)
        if isinstance(items, list):
            for i, item in enumerate(items):
                if isinstance(item, Mapping):
                    yield item, f"{pointer}/{key}/{i}"


def _control_message(char: str, what: str) -> str:
    return (
        f"{what} holds the control character U+{ord(char):04X}, which RFC 2425 "
        "does not allow in a value"
    )


def json_strings(value: Any, pointer: str) -> Iterator[tuple[str, str]]:
    """Every string in a JSON value with its pointer, depth first."""
    out: list[tuple[str, str]] = []
    _strings(value, pointer, out)
    return iter(out)


def _strings(value: Any, pointer: str, out: list[tuple[str, str]]) -> None:
    # A list filled by plain recursion: nested generators cost more than
    # the walk itself (VC101 and VC113 walk every string of a payload).
    if isinstance(value, str):
        out.append((pointer, value))
    elif isinstance(value, (dict, Mapping)):
        for key, item in value.items():
            token = str(key)
            if "~" in token or "/" in token:
                token = token.replace("~", "~0").replace("/", "~1")
            if isinstance(item, str):
                out.append((f"{pointer}/{token}", item))
            else:
                _strings(item, f"{pointer}/{token}", out)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _strings(item, f"{pointer}/{i}", out)


class ControlCharacter(Rule):
    """VC113 control-character — a C0 control other than TAB, or DEL, in a value.

    Why: RFC 2425 §5.8.2 (VALUE-CHAR) allows none; readers drop the line or
    the card, and ``dumps`` refuses such a field. In JSON text fields LF and
    CR are carried (written as ``\\n``) and not reported; in the fields that
    are not text (phone, WhatsApp id, e-mail, URL, birthday, country code,
    type, parameters, group) they cannot be, and are.
    Fails: ``FN:Ann\\x07e``; ``{"fullName": "Ann\\u0007e"}``
    Fix: remove the character.
    """

    code = "VC113"
    name = "control-character"
    severity = Severity.ERROR
    profile = Profile.RFC
    inputs = BOTH

    def check_vcf(self, doc: VcfDocument, ctx: Context) -> Iterator[Finding]:
        for card in doc.cards:
            for cl in card.lines:
                # The whole line: an unquoted parameter value may hold one too
                # (the grammar reads it; RFC 2426 §4 SAFE-CHAR excludes CTLs).
                m = _CONTROL_RE.search(cl.raw)
                if m is not None:
                    what = (
                        f"the {cl.name} value"
                        if m.start() >= cl.value_offset
                        else f"a parameter of {cl.name}"
                    )
                    yield Finding(
                        _control_message(m.group(), what), doc.at_offset(cl, m.start(), card.index)
                    )

    def check_json(self, doc: JsonDocument, ctx: Context) -> Iterator[Finding]:
        for index, obj, pointer in doc.contacts():
            for p, value in json_strings(obj, pointer):
                if p == f"{pointer}/vcard":
                    continue  # checked as VCF
                pattern = _JSON_CONTROL_RE if _is_text_field(p) else _CONTROL_OR_BREAK_RE
                m = pattern.search(value)
                if m is not None:
                    yield Finding(
                        _control_message(m.group(), f"the field {p}"), doc.at(p, card=index)
                    )


class OversizedLine(Rule):
    """VC114 oversized-line — a logical line over 16384 characters.

    Why: WhatsApp's reader skips such a line [WA]; it is usually an inline
    PHOTO too large to be useful in a contact message.
    Fails: ``PHOTO;ENCODING=b;TYPE=JPEG:`` followed by 40 kB of base64
    Fix: shrink the photo, or link it with ``VALUE=uri``.
    """

    code = "VC114"
    name = "oversized-line"
    severity = Severity.ERROR
    profile = Profile.WA
    inputs = VCF
    limit: ClassVar[int] = 16384

    def check_vcf(self, doc: VcfDocument, ctx: Context) -> Iterator[Finding]:
        for card in doc.cards:
            for cl in card.lines:
                if len(cl.raw) > self.limit:
                    yield Finding(
                        f"the {cl.name} line is {len(cl.raw)} characters long once unfolded; "
                        f"WhatsApp skips lines over {self.limit}",
                        card.where_line(cl),
                    )


class EmptyCard(Rule):
    """VC115 empty-card — a card with no properties.

    Why: RFC 2426 §3 requires at least VERSION, N and FN; an empty card
    shows as an unnamed contact. (A card holding only VERSION counts as
    empty; its missing FN and N are not reported again.)
    Fails: ``BEGIN:VCARD`` ``END:VCARD``
    Fix: remove the card, or fill it.
    """

    code = "VC115"
    name = "empty-card"
    severity = Severity.ERROR
    profile = Profile.RFC
    inputs = VCF

    def check_vcf(self, doc: VcfDocument, ctx: Context) -> Iterator[Finding]:
        for card in doc.cards:
            if is_empty(card.lines):
                yield Finding(
                    f"the card that begins on line {card.card.begin_line} has no properties",
                    card.where(),
                )


def is_empty(lines: list[ContentLine]) -> bool:
    return all(cl.name.upper() == "VERSION" for cl in lines)


class NotUtf8Encoding(Rule):
    """VC116 not-utf8-encoding — a UTF-16 or UTF-32 payload.

    Why: vcardkit decodes it from its byte-order mark, but WhatsApp and most
    senders expect UTF-8 (RFC 2426 §5 leaves the charset to the transport).
    Fails: ``FF FE 42 00 45 00 ...`` (UTF-16 LE, as Windows tools save)
    Fix: save the file as UTF-8.
    """

    code = "VC116"
    name = "not-utf8-encoding"
    severity = Severity.WARNING
    profile = Profile.RFC
    inputs = BOTH

    def _findings(self, doc: VcfDocument | JsonDocument) -> Iterator[Finding]:
        from vcardkit._rules._base import Where

        for detail, _ in _decode_findings(doc, self.code):
            yield Finding(f"the payload is {detail}, not UTF-8", Where(1, 1))

    def check_vcf(self, doc: VcfDocument, ctx: Context) -> Iterator[Finding]:
        return self._findings(doc)

    def check_json(self, doc: JsonDocument, ctx: Context) -> Iterator[Finding]:
        return self._findings(doc)


_SEPARATOR_RE: Final = re.compile("[\u0085\u2028\u2029]")


class UnicodeLineSeparator(Rule):
    """VC117 unicode-line-separator — U+0085, U+2028 or U+2029 in a value.

    Why: legal in a vCard value, but readers that split lines the way
    ``str.splitlines`` does (Python's, among others) break the card there
    [WA].
    Fails: ``NOTE:first\\u2028second``
    Fix: use ``\\n`` for a line break in a text value.
    """

    code = "VC117"
    name = "unicode-line-separator"
    severity = Severity.WARNING
    profile = Profile.WA
    inputs = VCF

    def check_vcf(self, doc: VcfDocument, ctx: Context) -> Iterator[Finding]:
        for card in doc.cards:
            for cl in card.lines:
                m = _SEPARATOR_RE.search(cl.value)
                if m is not None:
                    yield Finding(
                        f"the {cl.name} value holds U+{ord(m.group()):04X}, which some "
                        "readers take for a line break",
                        card.where_value(cl, m.start()),
                    )
