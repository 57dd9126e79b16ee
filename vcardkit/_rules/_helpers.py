"""What the checks share: how a message shows a value, the contact and payload
rule kinds with the fixes they build, the rules the syntax layer's issues
become, and the value helpers of the VC3xx checks.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping
from json.encoder import encode_basestring as _json_string
from typing import Any, ClassVar, Final

from vcardkit._model._json import member, pointer_tokens
from vcardkit._rules._base import Finding, Input, Rule
from vcardkit._rules._diagnostic import Edit, Fix
from vcardkit._rules._documents import (
    CardView,
    ContactView,
    Context,
    FieldRef,
    PhoneRef,
    VcfDocument,
)
from vcardkit._rules._jsondoc import JsonDocument, json_strings
from vcardkit._rules._payload import Payload
from vcardkit._rules._vocabulary import (
    NON_TEXT_X_PROPERTIES,
    TEXT_LIST,
    TEXT_SINGLE,
    TEXT_STRUCTURED,
    TEXT_STRUCTURED_LIST,
    is_x_name,
)
from vcardkit._syntax._grammar import BARE_ENCODINGS, PARAM_VALUE_RE
from vcardkit._syntax._jsonpos import string_offsets
from vcardkit._syntax._reader import ContentLine, Param

VCF: Final = frozenset({Input.VCF})


BOTH: Final = frozenset({Input.VCF, Input.JSON})


class FromSyntax(Rule):
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
                else doc.at(issue.line, issue.column, card, issue.end)
            )
            yield Finding(issue.message, where, self.fix(doc, issue.line))

    def fix(self, doc: VcfDocument, line: int) -> Fix | None:
        return None


_NOT_TEXT_KEYS: Final = frozenset(
    {"phoneNumber", "whatsappId", "email", "url", "birthday", "countryCode"}
    | {"type", "parameters", "group"}
)


def is_text_field(pointer: str) -> bool:
    """Whether the JSON field at ``pointer`` is written as a text value (escaped)."""
    head, _, last = pointer.rpartition("/")
    if last.isdigit():  # an entry of "type" or "parameters"
        last = head.rpartition("/")[2]
    return last not in _NOT_TEXT_KEYS


def contact_strings(
    doc: JsonDocument, obj: Mapping[str, Any], pointer: str
) -> list[tuple[str, str]]:
    """:func:`json_strings` of a contact of ``doc``, walked once for all the rules."""
    found = doc.strings.get(pointer)
    if found is None:
        found = doc.strings[pointer] = json_strings(obj, pointer)
    return found


def is_empty(lines: list[ContentLine]) -> bool:
    return all(cl.name.upper() == "VERSION" for cl in lines)


def is_30(card: CardView) -> bool:
    """A card read as 3.0: VERSION:3.0, or no VERSION (VC201 reports that)."""
    return card.version not in ("2.1", "4.0")


def card_version(card: CardView) -> str:
    return card.version or "3.0"


def param_values(cl: ContentLine, param: Param) -> list[tuple[str, int]]:
    """Each value of ``param`` (unquoted) with the logical offset of its first character."""
    if param.name is None:
        return [(param.values[0], param.offset)] if param.values else []
    pos = param.offset + len(param.name)
    raw = cl.raw
    if raw[pos : pos + 1] != "=":
        return []
    pos += 1
    out: list[tuple[str, int]] = []
    while True:
        m = PARAM_VALUE_RE.match(raw, pos)
        if m is None:  # pragma: no cover - PTEXT matches the empty string
            return out
        text = m.group()
        if text.startswith('"'):
            out.append((text[1:-1], m.start() + 1))
        else:
            out.append((text, m.start()))
        pos = m.end()
        if raw[pos : pos + 1] != ",":
            return out
        pos += 1


_BARE_VALUE_TYPES: Final = frozenset({"URL", "URI", "CONTENT-ID", "CID", "INLINE"})


def encoding_of(cl: ContentLine) -> str | None:
    """The ENCODING of a line (upper case), named or bare (2.1), or ``None``."""
    for p in cl.params:
        if p.name is None:
            if p.values and p.values[0].upper() in BARE_ENCODINGS:
                return p.values[0].upper()
        elif p.name.upper() == "ENCODING" and p.values:
            return p.values[0].upper()
    return None


def value_type_of(cl: ContentLine) -> str | None:
    """The VALUE of a line (upper case), named or bare (2.1), or ``None``."""
    for p in cl.params:
        if p.name is None:
            if p.values and p.values[0].upper() in _BARE_VALUE_TYPES:
                return p.values[0].upper()
        elif p.name.upper() == "VALUE" and p.values:
            return p.values[0].upper()
    return None


_KIND_BY_NAME: Final = {
    **dict.fromkeys(TEXT_SINGLE, "single"),
    **dict.fromkeys(TEXT_LIST, "list"),
    **dict.fromkeys(TEXT_STRUCTURED, "structured"),
    **dict.fromkeys(TEXT_STRUCTURED_LIST, "structured-list"),
}


def text_kind(card: CardView, cl: ContentLine) -> str | None:
    """How a text value splits: "single", "list", "structured", "structured-list".

    ``None`` when the value is not text: not a text property, an encoded
    value, or a VALUE other than text.
    """
    name = cl.name.upper()
    kind = _KIND_BY_NAME.get(name)
    if kind is None:
        if not is_x_name(name) or name in NON_TEXT_X_PROPERTIES:
            return None
        kind = "single"  # RFC 2426 §4: 'For name="X-" ... value = text-value'
    elif name == "ADR" and card.version == "4.0":
        kind = "structured-list"  # RFC 6350 §6.3.1: a 4.0 ADR component is a list
    if cl.params:
        if encoding_of(cl) is not None:
            return None
        value_type = value_type_of(cl)
        if value_type is not None and value_type != "TEXT":
            return None
    return kind


# A backslash and what it escapes (or nothing, at the end), or a bare , or ;.
TEXT_TOKEN_RE: Final = re.compile(r"\\.?|[,;]", re.DOTALL)


# RFC 2426 §4: ESCAPED-CHAR = "\\" / "\;" / "\," / "\n" / "\N"
VALID_ESCAPES: Final = frozenset({"\\\\", "\\;", "\\,", "\\n", "\\N"})


# A value whose every backslash starts one of those: the common case, in one match.
_ALL_ESCAPES_VALID_RE: Final = re.compile(r"(?:[^\\]|\\[\\;,nN])*+", re.DOTALL)


def unescaped_at(value: str, char: str) -> list[int]:
    """Indices of ``char`` (``,`` or ``;``) not escaped by a backslash."""
    if char not in value:
        return []
    return [m.start() for m in TEXT_TOKEN_RE.finditer(value) if m.group() == char]


def invalid_escapes(value: str) -> list[int]:
    """Indices of the backslashes that start no RFC 2426 escape."""
    if "\\" not in value or _ALL_ESCAPES_VALID_RE.fullmatch(value):
        return []
    return [
        m.start()
        for m in TEXT_TOKEN_RE.finditer(value)
        if m.group().startswith("\\") and m.group() not in VALID_ESCAPES
    ]


def insert_before(cl: ContentLine, indices: list[int], text: str) -> tuple[Edit, ...]:
    """Edits inserting ``text`` before each character ``indices`` of the raw value."""
    edits = []
    for index in indices:
        at = cl.position(cl.value_offset + index)
        edits.append(Edit(at, at, text))
    return tuple(edits)


def value_span(cl: ContentLine) -> tuple[tuple[int, int], tuple[int, int]]:
    """The (start, end) positions of the whole raw value."""
    return cl.position(cl.value_offset), cl.position(cl.value_offset + len(cl.value))


def param_span(cl: ContentLine, index: int) -> tuple[tuple[int, int], tuple[int, int]]:
    """Positions from the ``;`` before parameter ``index`` to the ``;`` or ``:`` after it.

    The caller knows the index: ``params.index(param)`` for each parameter
    reported was quadratic in a line's parameters.
    """
    param = cl.params[index]
    end = cl.params[index + 1].offset - 1 if index + 1 < len(cl.params) else cl.value_offset - 1
    return cl.position(param.offset - 1), cl.position(end)


def plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def quote(value: str, limit: int = 40) -> str:
    """A value in double quotes for a message (docs/rules/VC402.md: ``"+2011111" is not …``)."""
    shown = value if len(value) <= limit else value[: limit - 1] + "…"
    # What json.dumps(shown, ensure_ascii=False) returns, without its
    # encoder set up for each call: a message quotes a value for every fault.
    return _json_string(shown)


def describe(view: ContactView) -> str:
    """``contact 2 (line 14)``: how a message names another contact."""
    return described(remember(view))


def remember(view: ContactView) -> int:
    """A contact's index and line in one int, for a payload's tables."""
    return view.index << 32 | (view.line or 0)


def described(remembered: int) -> str:
    """:func:`describe` of a contact :func:`remember` packed."""
    index, line = remembered >> 32, remembered & 0xFFFFFFFF
    return f"contact {index}" + (f" (line {line})" if line else "")


class Fixer:
    """Builds fixes for one document, whichever form it is in."""

    __slots__ = ("doc",)

    def __init__(self, doc: VcfDocument | JsonDocument) -> None:
        self.doc = doc

    def _literal_span(self, pointer: str) -> tuple[tuple[int, int], tuple[int, int]] | None:
        """(start, end) of the JSON string literal at ``pointer``, quotes included."""
        doc = self.doc
        if not isinstance(doc, JsonDocument) or doc.source is None:
            return None
        start = doc.offset(pointer)
        if start is None or not doc.source.text.startswith('"', start):
            return None
        end = string_offsets(doc.source.text, start)[-1] + 1
        return doc.source.position(start), doc.source.position(end)

    def replace(
        self, ref: FieldRef, text: str, description: str, *, safe: bool = True
    ) -> Fix | None:
        """Replace the whole value ``ref`` with ``text``."""
        if ref.line is not None:
            vcf = ref.doc
            if vcf is None or vcf.embedded:
                return None
            start = ref.line.position(ref.start)
            end = ref.line.position(ref.start + len(ref.raw))
            return Fix(description, (Edit(start, end, text),), safe)
        if ref.pointer is None:
            return None
        if isinstance(self.doc, JsonDocument) and self.doc.source is None:
            return Fix(description, safe=safe, pointer=ref.pointer, value=text)
        span = self._literal_span(ref.pointer)
        if span is None:
            return None
        literal = json.dumps(text, ensure_ascii=False)
        return Fix(description, (Edit(span[0], span[1], literal),), safe)

    def has_key(self, pointer: str | None, key: str) -> bool:
        """The JSON object at ``pointer`` has ``key`` with a non-null value of any type.

        A view holds only string fields; a value of the wrong type is VC604's,
        and not a missing field for the rules here (one fault, one diagnostic).
        """
        doc = self.doc
        if pointer is None or not isinstance(doc, JsonDocument):
            return False
        value = member(doc.value, pointer_tokens(pointer))
        return isinstance(value, Mapping) and value.get(key) is not None

    def add_waid(self, phone: PhoneRef, digits: str, description: str) -> Fix | None:
        """Give ``phone`` a WhatsApp id (always unsafe: it is derived, not known)."""
        if phone.line is not None:
            vcf = phone.number.doc if phone.number is not None else None
            if vcf is None or vcf.embedded:
                return None
            # Before the ":" that ends the parameters: the waid is the last one.
            at = phone.line.position(phone.line.value_offset - 1)
            return Fix(description, (Edit(at, at, f";waid={digits}"),), False)
        if phone.pointer is None or phone.number is None or phone.number.pointer is None:
            return None
        if isinstance(self.doc, JsonDocument) and self.doc.source is None:
            return Fix(description, safe=False, pointer=f"{phone.pointer}/whatsappId", value=digits)
        span = self._literal_span(phone.number.pointer)
        if span is None:
            return None
        text = f', "whatsappId": {json.dumps(digits)}'
        return Fix(description, (Edit(span[1], span[1], text),), False)


class ContactRule(Rule):
    """A rule that looks at one contact at a time, from a card or a JSON object."""

    inputs = BOTH

    def check_vcf(self, doc: VcfDocument, ctx: Context) -> Iterator[Finding]:
        fixer = Fixer(doc)
        for view in doc.views():
            yield from self.check_contact(view, fixer, ctx)

    def check_json(self, doc: JsonDocument, ctx: Context) -> Iterator[Finding]:
        fixer = Fixer(doc)
        for view in doc.views():
            if view.source == "json":  # a `vcard` card is checked as VCF
                yield from self.check_contact(view, fixer, ctx)

    def check_contact(self, view: ContactView, fixer: Fixer, ctx: Context) -> Iterable[Finding]:
        """Findings in one contact."""
        return ()


class PayloadRule(Rule):
    """A rule that looks at a whole payload: a file of cards, or a JSON array.

    A file is checked a window of cards at a time: what the rule must
    remember of the windows before is in ``payload`` (the same object for
    every window of one file; a new one for a JSON payload, checked whole).
    """

    inputs = BOTH

    def check_vcf(self, doc: VcfDocument, ctx: Context) -> Iterable[Finding]:
        if doc.embedded:  # one contact of a JSON payload: checked with the payload
            return ()
        return self.check_views(doc.views(), ctx, doc.payload or Payload())

    def check_json(self, doc: JsonDocument, ctx: Context) -> Iterable[Finding]:
        return self.check_views(doc.views(), ctx, Payload())

    def check_views(
        self, views: list[ContactView], ctx: Context, payload: Payload
    ) -> Iterable[Finding]:
        """Findings across the contacts of one payload."""
        return ()


def decode_findings(doc: VcfDocument | JsonDocument, code: str) -> Iterator[tuple[str, Any]]:
    source = doc.source
    if source is None:
        return
    for event in doc.decode_events:
        if event.code == code:
            yield event.detail, (source.position(event.offset), event)
