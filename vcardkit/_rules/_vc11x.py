"""VC110–VC117: parameters, line lengths, folds, control characters, empty
cards, encodings and Unicode line separators.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from typing import ClassVar, Final

from vcardkit._errors import VCardError
from vcardkit._model._json import contact_from_mapping
from vcardkit._model._writer import (
    SEPARATOR_RE,
    WAID_PARAMETER,
    contact_lines,
    is_checked_parameter,
    is_waid_parameter,
    line_separators,
    parameter_fault,
)
from vcardkit._rules._base import Finding, Profile, Rule
from vcardkit._rules._diagnostic import Edit, Fix, Severity, Where
from vcardkit._rules._documents import Context, VcfDocument
from vcardkit._rules._helpers import (
    BOTH,
    VCF,
    FromSyntax,
    contact_strings,
    decode_findings,
    is_empty,
    is_text_field,
)
from vcardkit._rules._jsondoc import JsonDocument, json_extra_lines, json_items
from vcardkit._syntax._grammar import BARE_ENCODINGS, STRICT_NAME_RE
from vcardkit._syntax._lines import show
from vcardkit._syntax._reader import ContentLine, Param
from vcardkit._syntax._values import escape_text, fold


class MalformedParameter(FromSyntax):
    """VC110 malformed-parameter — bad parameter syntax, or a bare 2.1 parameter in 3.0.

    Why: RFC 2426 §4 ``param = param-name "=" param-value *("," param-value)``:
    an unbalanced quote swallows the rest of the line; a parameter name must
    be letters, digits and ``-``; vCard 3.0 has no bare parameters, so
    ``TEL;WORK`` (2.1 style) is read as an unknown parameter by strict
    readers.
    In JSON, an item's ``parameters`` entry must be one ``NAME=value``
    parameter, not a ``waid`` of a phone with no ``whatsappId`` (a reader
    takes it for the phone's WhatsApp id), and a ``type`` may not hold
    ``"`` (no parameter value can): ``dumps`` refuses them. The parameters
    of an ``extraProperties`` line are checked as in a card.
    Fails: ``TEL;WORK:+441234567890`` in a 3.0 card; ``FN;X-A="b:Jo``;
    ``{"parameters": ["X-A"]}``; ``{"extraProperties": ["X-A;=b:c"]}``
    Fix: ``TEL;TYPE=WORK:+441234567890`` (automatic for bare parameters);
    ``{"parameters": ["X-A=b"]}``.
    """

    code = "VC110"
    name = "malformed-parameter"
    severity = Severity.ERROR
    profile = Profile.RFC
    inputs = BOTH
    fixes = "safe"

    def check_json(self, doc: JsonDocument, ctx: Context) -> Iterator[Finding]:
        for index, obj, pointer in doc.contacts():
            for kind, item, p in json_items(obj, pointer):
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
                no_waid = kind == "phone" and item.get("whatsappId") is None
                for k, text in enumerate(params):
                    if not isinstance(text, str):
                        continue
                    # Control characters are VC113's to report, not a
                    # malformed parameter.
                    problem = parameter_fault(_CONTROL_OR_BREAK_RE.sub(" ", text))
                    if problem is None and no_waid and is_waid_parameter(text):
                        problem = WAID_PARAMETER
                    if problem is not None:
                        yield Finding(
                            f"the parameter {show(text)} {problem}",
                            doc.at(f"{p}/parameters/{k}", card=index),
                        )
            for k, cl in json_extra_lines(obj):
                for message, _ in _parameter_faults(cl, "3.0"):
                    yield Finding(message, doc.at(f"{pointer}/extraProperties/{k}", card=index))

    def check_vcf(self, doc: VcfDocument, ctx: Context) -> Iterator[Finding]:
        yield from super().check_vcf(doc, ctx)
        for card in doc.cards:
            if card.version == "2.1":
                continue
            for cl in card.lines:
                for message, p in _parameter_faults(cl, card.version or "3.0"):
                    fix = None
                    if p.name is None and not p.values[0].startswith("="):
                        bare = p.values[0]
                        kind = "ENCODING" if bare.upper() in BARE_ENCODINGS else "TYPE"
                        start = cl.position(p.offset)
                        fix = Fix(f"write {kind}={bare}", (Edit(start, start, f"{kind}="),))
                    yield Finding(message, card.where_param(cl, p), fix)


def _parameter_faults(cl: ContentLine, version: str) -> Iterator[tuple[str, Param]]:
    """The malformed parameters of a line of a 3.0 or 4.0 card: what VC110 says of each.

    One reading for a card's lines and for the extra properties of JSON
    contacts, which are written as lines of a 3.0 card.
    """
    for p in cl.params:
        if p.name is None and p.values[0].startswith("="):
            # ";=x": the lenient name took the "=" in; there is no name, and
            # no 2.1 reading to offer as a fix.
            yield f"the parameter {show(p.values[0])} of {cl.name} has no name", p
        elif p.name is None:
            bare = p.values[0]
            kind = "ENCODING" if bare.upper() in BARE_ENCODINGS else "TYPE"
            yield (
                (
                    f"the bare parameter {show(bare)} of {cl.name} is vCard 2.1 "
                    f"syntax; vCard {version} writes {kind}={bare}"
                ),
                p,
            )
        elif not STRICT_NAME_RE.fullmatch(p.name):
            yield (
                (
                    f"the parameter name {show(p.name)} of {cl.name} holds characters "
                    "other than letters, digits and '-'"
                ),
                p,
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
    fixes = "safe"

    def check_vcf(self, doc: VcfDocument, ctx: Context) -> Iterator[Finding]:
        source = doc.source
        lines_by_number: dict[int, ContentLine] | None = None
        refolded: set[int] = set()
        for k, text in enumerate(source.line_texts(), source.line):
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
                doc.at_line(k),
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
        for detail, ((line, column), event) in decode_findings(doc, self.code):
            yield Finding(
                f"a fold splits the UTF-8 sequence of {detail!r} (U+{ord(detail):04X}) "
                f"at byte offset {event.byte_offset}",
                doc.at(line, column),
            )


# RFC 2425 §5.8.2 VALUE-CHAR excludes CTLs but HTAB; CR and LF end lines.
_CONTROL_RE: Final = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


_JSON_CONTROL_RE: Final = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


# docs/design.md "The canonical card": TEL, EMAIL, URL and BDAY are not text
# values (nor are parameter values and groups): they cannot carry a line break
# either.
_CONTROL_OR_BREAK_RE: Final = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")


def _control_message(char: str, what: str) -> str:
    return (
        f"{what} holds the control character U+{ord(char):04X}, which RFC 2425 "
        "does not allow in a value"
    )


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
            for p, value in contact_strings(doc, obj, pointer):
                if p == f"{pointer}/vcard":
                    continue  # checked as VCF
                pattern = _JSON_CONTROL_RE if is_text_field(p) else _CONTROL_OR_BREAK_RE
                m = pattern.search(value)
                if m is not None:
                    yield Finding(
                        _control_message(m.group(), f"the field {p}"), doc.at(p, card=index)
                    )


class OversizedLine(Rule):
    """VC114 oversized-line — a logical line over 16384 characters.

    Why: WhatsApp's reader skips such a line [WA]; it is usually an inline
    PHOTO too large to be useful in a contact message. In JSON, the line a
    field or an ``extraProperties`` entry is written as is measured, and
    reported at the string that makes it long.
    Fails: ``PHOTO;ENCODING=b;TYPE=JPEG:`` followed by 40 kB of base64
    Fix: shrink the photo, or link it with ``VALUE=uri``.
    """

    code = "VC114"
    name = "oversized-line"
    severity = Severity.ERROR
    profile = Profile.WA
    inputs = BOTH
    limit: ClassVar[int] = 16384

    def _message(self, name: str, length: int) -> str:
        return (
            f"the {name} line is {length} characters long once unfolded; "
            f"WhatsApp skips lines over {self.limit}"
        )

    def check_vcf(self, doc: VcfDocument, ctx: Context) -> Iterator[Finding]:
        for card in doc.cards:
            for cl in card.lines:
                if len(cl.raw) > self.limit:
                    yield Finding(self._message(cl.name, len(cl.raw)), card.where_name(cl))

    def check_json(self, doc: JsonDocument, ctx: Context) -> Iterator[Finding]:
        limit = self.limit
        for index, obj, pointer in doc.contacts():
            if isinstance(obj.get("vcard"), str):
                continue  # the vcard string is what is sent: checked as VCF
            strings = contact_strings(doc, obj, pointer)
            # Escaping at most doubles a value, and a line's fixed text is
            # short beside the strings it is made of: only a contact whose
            # strings come near the limit can write a line over it.
            if 8 * sum(len(v) for _, v in strings) + 64 <= limit:
                continue
            extras = f"{pointer}/extraProperties/"
            fields: list[tuple[str, str]] = []
            for p, value in strings:
                if not p.startswith(extras):
                    fields.append((p, value))
                elif len(value) > limit:  # written as it is
                    name = value.partition(":")[0].partition(";")[0]
                    yield Finding(self._message(name, len(value)), doc.at(p, card=index))
            if 8 * sum(len(v) for _, v in fields) + 64 <= limit:
                continue
            contact = contact_from_mapping(obj, pointer, lenient=True)
            try:
                lines = contact_lines(dataclasses.replace(contact, extra_properties=()), index)
            except VCardError:
                continue  # a value no line can carry: its own rule reports it
            for line in lines:
                if len(line) > limit:
                    # The field that makes it long: the longest string in it.
                    found = [(len(v), p) for p, v in fields if v and escape_text(v) in line]
                    found += [(len(v), p) for p, v in fields if v and v in line]
                    p = max(found)[1] if found else pointer
                    name = line.partition(":")[0].partition(";")[0].rpartition(".")[2]
                    yield Finding(self._message(name, len(line)), doc.at(p, card=index))


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

        for detail, _ in decode_findings(doc, self.code):
            # The encoding is the whole payload's: its first character stands for it.
            where = doc.at(1, 1) if isinstance(doc, VcfDocument) else doc.at_offset(0)
            yield Finding(f"the payload is {detail}, not UTF-8", where)

    def check_vcf(self, doc: VcfDocument, ctx: Context) -> Iterator[Finding]:
        return self._findings(doc)

    def check_json(self, doc: JsonDocument, ctx: Context) -> Iterator[Finding]:
        return self._findings(doc)


# The JSON fields written as values that are not text, or as TYPE and waid
# parameters: a line separator there is refused by the writer.
_REFUSING_KEYS: Final = frozenset(
    {"phoneNumber", "whatsappId", "email", "url", "birthday", "countryCode", "type"}
)


class UnicodeLineSeparator(Rule):
    """VC117 unicode-line-separator — U+0085, U+2028 or U+2029 in a value.

    Why: legal in a vCard value, but readers that split lines the way
    ``str.splitlines`` does (Python's, among others) break the card there
    [WA]: ``URL:http://x/<U+2028>END:VCARD<U+2028>BEGIN:VCARD…`` is two
    cards to them. In a text value (FN, NOTE, an X- property) it is a
    warning. In a value that is not text (TEL, EMAIL, URL, BDAY), in a
    TYPE or a ``waid`` (JSON ``phoneNumber``, ``whatsappId``, ``email``,
    ``url``, ``birthday``, ``countryCode``, ``type``, a ``TYPE=`` or ``waid=``
    among ``parameters``, and those lines among ``extraProperties``), where a
    line break cannot be either, it is an
    error, reported under every profile: ``dumps`` refuses it there.
    Fails: ``NOTE:first\\u2028second`` (warning);
    ``{"urls": [{"url": "http://x/\\u2028y"}]}`` (error)
    Fix: use ``\\n`` for a line break in a text value; remove the
    character from the others.
    """

    code = "VC117"
    name = "unicode-line-separator"
    severity = Severity.WARNING
    profile = Profile.WA
    refusals = True
    inputs = BOTH

    def _line(self, cl: ContentLine, ctx: Context) -> tuple[int, str, bool] | None:
        """Where a line's finding is, what it says, whether it is an error; one a line."""
        places = line_separators(cl)
        if not places:
            return None
        offset, refused, part = next((p for p in places if p[1]), places[0])
        if not refused and ctx.profile != "whatsapp":
            return None  # the text cases are the wa profile's
        char = f"U+{ord(cl.raw[offset]):04X}"
        if part == "value":
            what = f"the {cl.name} value holds {char}"
        else:
            what = f"the {part} parameter of {cl.name} holds {char}"
        return offset, what, refused

    def check_vcf(self, doc: VcfDocument, ctx: Context) -> Iterator[Finding]:
        for card in doc.cards:
            for cl in card.lines:
                found = self._line(cl, ctx)
                if found is not None:
                    offset, what, refused = found
                    where = doc.at_offset(cl, offset, card.index)
                    yield _separator_finding(what, refused, where)

    def check_json(self, doc: JsonDocument, ctx: Context) -> Iterator[Finding]:
        for index, obj, pointer in doc.contacts():
            extras = f"{pointer}/extraProperties/"
            for p, value in contact_strings(doc, obj, pointer):
                if value.isascii() or p.startswith(extras) or p == f"{pointer}/vcard":
                    continue  # a vcard string is checked as VCF, an extra as its line
                m = SEPARATOR_RE.search(value)
                if m is None:
                    continue
                head, _, key = p.rpartition("/")
                if key.isdigit():  # an entry of "type" or "parameters"
                    key = head.rpartition("/")[2]
                refused = key in _REFUSING_KEYS or (
                    key == "parameters" and is_checked_parameter(value)
                )
                if refused or ctx.profile == "whatsapp":
                    what = f"the field {p} holds U+{ord(m.group()):04X}"
                    yield _separator_finding(what, refused, doc.at(p, card=index))
            for k, cl in json_extra_lines(obj):
                found = self._line(cl, ctx)
                if found is not None:
                    _, what, refused = found
                    yield _separator_finding(what, refused, doc.at(f"{extras}{k}", card=index))


def _separator_finding(what: str, refused: bool, where: Where) -> Finding:
    if refused:
        return Finding(
            f"{what}, which readers that split lines on Unicode separators take for a "
            "line break; this value is not text and cannot carry one",
            where,
            severity=Severity.ERROR,
        )
    return Finding(f"{what}, which some readers take for a line break", where)
