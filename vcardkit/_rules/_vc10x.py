"""VC101–VC109: bytes, line breaks, card boundaries and content lines.

Most of them report what the reader found (:mod:`vcardkit._syntax._reader`);
VC101, VC102 and VC109 also check the JSON fields that become card text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import ClassVar, Final

from vcardkit._rules._base import Finding, Profile, Rule
from vcardkit._rules._diagnostic import Edit, Fix, Severity
from vcardkit._rules._documents import Context, VcfDocument
from vcardkit._rules._helpers import (
    BOTH,
    VCF,
    FromSyntax,
    contact_strings,
    decode_findings,
)
from vcardkit._rules._jsondoc import JsonDocument, json_extra_lines, json_items
from vcardkit._syntax._decode import SURROGATE_RE
from vcardkit._syntax._grammar import STRICT_NAME_RE
from vcardkit._syntax._lines import show
from vcardkit._syntax._reader import ContentLine


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
        for detail, ((line, column), event) in decode_findings(doc, self.code):
            # One U+FFFD stands for each bad sequence: the span is that character.
            where = (
                doc.at(line, column)
                if isinstance(doc, VcfDocument)
                else doc.at_offset(event.offset)
            )
            if event.byte_offset < 0:  # text given as str: no bytes, a surrogate
                message = f"the text holds the lone surrogate {detail}, {_NO_UTF8}"
            else:
                message = (
                    f"the bytes {detail} at byte offset {event.byte_offset} are not valid UTF-8"
                )
            yield Finding(message, where)

    def check_vcf(self, doc: VcfDocument, ctx: Context) -> Iterator[Finding]:
        return self._findings(doc)

    def check_json(self, doc: JsonDocument, ctx: Context) -> Iterator[Finding]:
        yield from self._findings(doc)
        # JSON text may write a lone surrogate ("\ud800"): it decodes, but
        # no UTF-8 byte sequence encodes it, so the card cannot be sent.
        for index, obj, pointer in doc.contacts():
            vcard = f"{pointer}/vcard"
            for p, value in contact_strings(doc, obj, pointer):
                if value.isascii() or p == vcard:  # a vcard string is checked as VCF
                    continue
                m = SURROGATE_RE.search(value)
                if m is not None:
                    yield Finding(
                        f"the field {p} holds the lone surrogate U+{ord(m.group()):04X}, "
                        f"{_NO_UTF8}",
                        doc.at(p, card=index),
                    )


_NO_UTF8: Final = "which UTF-8 cannot encode (RFC 3629 §3)"


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
    fixes = "safe"

    # The mark is bytes before the decoded text: no edit of the text removes
    # it, so the fix says it with its own field, as VC103's says line endings.
    _fix: ClassVar[Fix] = Fix("remove the UTF-8 byte-order mark", bom=False)

    def check_vcf(self, doc: VcfDocument, ctx: Context) -> Iterator[Finding]:
        if doc.bom == "UTF-8":
            # In a JSON `vcard` string the mark is a character of the string,
            # not the file's: reported, not offered as the file's fix.
            fix = None if doc.embedded else self._fix
            yield Finding("the text starts with a UTF-8 byte-order mark", doc.at(1, 1), fix)

    def check_json(self, doc: JsonDocument, ctx: Context) -> Iterator[Finding]:
        if doc.bom == "UTF-8":
            yield Finding(
                # The mark is not in the decoded text: the span is its first character.
                "the JSON text starts with a UTF-8 byte-order mark",
                doc.at_offset(0),
                self._fix,
            )


class LineEnding(FromSyntax):
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
    fixes = "safe"

    def check_vcf(self, doc: VcfDocument, ctx: Context) -> Iterator[Finding]:
        if doc.embedded:
            return iter(())
        return super().check_vcf(doc, ctx)

    _fix: ClassVar[Fix] = Fix("end every line in CRLF", line_ending="\r\n")

    def fix(self, doc: VcfDocument, line: int) -> Fix | None:
        return self._fix


class LeadingWhitespace(FromSyntax):
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
    fixes = "safe"

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


class UnterminatedCard(FromSyntax):
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


class UnmatchedEnd(FromSyntax):
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


class NestedCard(FromSyntax):
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


class TextOutsideCard(FromSyntax):
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


class MalformedLine(FromSyntax):
    """VC109 malformed-line — a content line with no ``:``, or an empty or bad name or group.

    Why: RFC 2425 §5.8.2: ``contentline = [group "."] name *(";" param) ":"
    value``, names and groups being letters, digits and ``-``. A line with
    no ``:`` cannot be read at all (often a value continued without the
    leading space of a fold); a name like ``X-WAB-SPOUSE_NAME`` is read but
    other readers may drop it.
    In JSON, the ``group`` of a phone, e-mail, address or URL is checked
    too: it becomes the group of a content line (``dumps`` refuses a bad
    one); so are the name and group of an ``extraProperties`` line, written
    as it is.
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
            for _, item, p in json_items(obj, pointer):
                group = item.get("group")
                if isinstance(group, str) and group and not STRICT_NAME_RE.fullmatch(group):
                    yield Finding(
                        f"the group {show(group)} holds characters other than letters, "
                        "digits and '-'",
                        doc.at(f"{p}/group", card=index),
                    )
            for k, cl in json_extra_lines(obj):
                message = _name_fault(cl)
                if message is not None:
                    yield Finding(message, doc.at(f"{pointer}/extraProperties/{k}", card=index))

    def check_vcf(self, doc: VcfDocument, ctx: Context) -> Iterator[Finding]:
        yield from super().check_vcf(doc, ctx)
        for card in doc.cards:
            for cl in card.lines:
                message = _name_fault(cl)
                if message is not None:
                    # docs/rules/index.md "Where a diagnostic points": a fault of
                    # a property is at its name, or at its group when it has one.
                    yield Finding(message, card.where_name(cl))


def _name_fault(cl: ContentLine) -> str | None:
    """What is wrong with a line's group, else its name; ``None`` when both are well formed."""
    if cl.group is not None and not STRICT_NAME_RE.fullmatch(cl.group):
        return f"the group {show(cl.group)} holds characters other than letters, digits and '-'"
    if not STRICT_NAME_RE.fullmatch(cl.name):
        return (
            f"the property name {show(cl.name)} holds characters other than letters, digits and '-'"
        )
    return None
