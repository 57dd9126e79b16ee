"""VC601–VC608: the JSON shape of a contact payload."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, Final

from vcardkit._model._json import CONTACT_KEYS, ITEM_KEYS, escape_pointer, json_type, suggest
from vcardkit._model._writer import extra_line
from vcardkit._rules._base import Finding, Input, Profile, Rule
from vcardkit._rules._diagnostic import Severity
from vcardkit._rules._documents import Context
from vcardkit._rules._jsondoc import JsonDocument, json_items
from vcardkit._syntax._jsondecode import LongInteger, show_number
from vcardkit._syntax._lines import show

JSON: Final = frozenset({Input.JSON})


class InvalidJson(Rule):
    """VC601 invalid-json — the payload is not JSON.

    Why: the sending API rejects it whole. Reported at the line and column
    where the JSON parser stopped.
    Fails: ``[{"fullName": "Ann",}]`` (a trailing comma)
    Fix: correct the JSON at that position.
    """

    code = "VC601"
    name = "invalid-json"
    severity = Severity.ERROR
    profile = Profile.RFC
    inputs = JSON

    def check_json(self, doc: JsonDocument, ctx: Context) -> Iterator[Finding]:
        if doc.error is not None and doc.source is not None:
            message, offset = doc.error
            # The character the parser stopped at.
            yield Finding(f"not JSON: {message}", doc.at_offset(offset))


class NotAContactArray(Rule):
    """VC602 not-a-contact-array — the top level is not an array of objects.

    Why: the payload is an array of contact objects (docs/design.md,
    "The JSON contact"). A single object
    is read as a one-contact payload and reported at warning; anything else
    (a string, a number, an array holding a non-object) is an error.
    Fails: ``{"fullName": "Ann"}`` (warning); ``["Ann"]`` (error)
    Fix: wrap the contact in ``[`` ``]``; make each element an object.
    """

    code = "VC602"
    name = "not-a-contact-array"
    severity = Severity.ERROR
    profile = Profile.RFC
    inputs = JSON

    def check_json(self, doc: JsonDocument, ctx: Context) -> Iterator[Finding]:
        if doc.error is not None:
            return
        value = doc.value
        if isinstance(value, Mapping):
            yield Finding(
                "the payload is one object, not an array of contacts; it is read as one contact",
                doc.at(""),
                severity=Severity.WARNING,
            )
        elif isinstance(value, list):
            for i, item in enumerate(value):
                if not isinstance(item, Mapping):
                    yield Finding(
                        f"element {i} of the payload is {json_type(item)}, not a contact object",
                        doc.at(f"/{i}", card=i),
                    )
        else:
            yield Finding(
                f"the payload is {json_type(value)}, not an array of contact objects", doc.at("")
            )


class UnknownKey(Rule):
    """VC603 unknown-key — a key the JSON contact schema does not know.

    Why: a misspelt key (``fullname``, ``phone``) is silently ignored by the
    sending API and the card goes out without that field. The message
    suggests the closest known key.
    Fails: ``{"fullname": "Ann"}``
    Fix: ``{"fullName": "Ann"}``
    """

    code = "VC603"
    name = "unknown-key"
    severity = Severity.WARNING
    profile = Profile.RFC
    inputs = JSON

    def check_json(self, doc: JsonDocument, ctx: Context) -> Iterator[Finding]:
        for index, obj, pointer in doc.contacts():
            yield from self._keys(doc, obj, CONTACT_KEYS, pointer, index, "contact")
            for kind, item, p in json_items(obj, pointer):
                yield from self._keys(doc, item, ITEM_KEYS[kind], p, index, kind)

    def _keys(
        self,
        doc: JsonDocument,
        obj: Mapping[str, Any],
        known: Mapping[str, object],
        pointer: str,
        index: int,
        what: str,
    ) -> Iterator[Finding]:
        for key in obj:
            if key in known:
                continue
            hint = suggest(str(key), list(known))
            did = f"; did you mean {hint!r}?" if hint else ""
            yield Finding(
                f"{what} key {str(key)!r} is not known{did}",
                doc.at(f"{pointer}/{escape_pointer(str(key))}", key=True, card=index),
            )


_EXPECTED: Final = {
    "str": "a string",
    "types": "a string or an array of strings",
    "strs": "an array of strings",
}


class WrongType(Rule):
    """VC604 wrong-type — a value of the wrong JSON type.

    Why: the sending API rejects the payload, or drops the field. Strings
    are strings (a phone number too), ``type`` is a string or an array of
    strings, ``phones``/``emails``/``addresses``/``urls`` are arrays of
    objects, ``extraProperties`` and ``parameters`` arrays of strings.
    Fails: ``{"fullName": "Ann", "phoneNumber": 201111111111}``
    Fix: ``"phoneNumber": "+201111111111"``
    """

    code = "VC604"
    name = "wrong-type"
    severity = Severity.ERROR
    profile = Profile.RFC
    inputs = JSON

    def check_json(self, doc: JsonDocument, ctx: Context) -> Iterator[Finding]:
        for index, obj, pointer in doc.contacts():
            yield from self._object(doc, obj, CONTACT_KEYS, pointer, index)
            for kind, item, p in json_items(obj, pointer):
                yield from self._object(doc, item, ITEM_KEYS[kind], p, index)

    def _object(
        self,
        doc: JsonDocument,
        obj: Mapping[str, Any],
        known: Mapping[str, tuple[str, str]],
        pointer: str,
        index: int,
    ) -> Iterator[Finding]:
        for key, (_, kind) in known.items():
            if key not in obj or obj[key] is None:
                continue
            value = obj[key]
            p = f"{pointer}/{key}"
            if kind == "str":
                if not isinstance(value, str):
                    yield self._wrong(doc, key, value, "a string", p, index)
            elif kind == "types":
                if isinstance(value, list):
                    for i, v in enumerate(value):
                        if not isinstance(v, str):
                            yield self._wrong(doc, f"{key}[{i}]", v, "a string", f"{p}/{i}", index)
                elif not isinstance(value, str):
                    yield self._wrong(doc, key, value, _EXPECTED[kind], p, index)
            elif kind == "strs":
                if isinstance(value, list):
                    for i, v in enumerate(value):
                        if not isinstance(v, str):
                            yield self._wrong(doc, f"{key}[{i}]", v, "a string", f"{p}/{i}", index)
                else:
                    yield self._wrong(doc, key, value, _EXPECTED[kind], p, index)
            elif isinstance(value, list):
                for i, v in enumerate(value):
                    if not isinstance(v, Mapping):
                        yield self._wrong(doc, f"{key}[{i}]", v, "an object", f"{p}/{i}", index)
            else:
                yield self._wrong(doc, key, value, "an array of objects", p, index)

    def _wrong(
        self, doc: JsonDocument, key: str, value: Any, expected: str, pointer: str, index: int
    ) -> Finding:
        shown = (
            f" ({show(show_number(value))})" if isinstance(value, (int, float, LongInteger)) else ""
        )
        return Finding(
            f"{key!r} is {json_type(value)}{shown}; it must be {expected}",
            doc.at(pointer, card=index),
        )


class MissingName(Rule):
    """VC605 missing-name — a contact with neither a non-blank ``fullName`` nor a ``vcard``.

    Why: WhatsApp's sending APIs require a display name; without one the
    request fails or the card arrives nameless.
    Fails: ``{"phoneNumber": "+201111111111"}``; ``{"fullName": "  "}``
    Fix: add ``"fullName"``.
    """

    code = "VC605"
    name = "missing-name"
    severity = Severity.ERROR
    profile = Profile.RFC
    inputs = JSON

    def check_json(self, doc: JsonDocument, ctx: Context) -> Iterator[Finding]:
        for index, obj, pointer in doc.contacts():
            if isinstance(obj.get("vcard"), str):
                continue
            name = obj.get("fullName")
            if isinstance(name, str) and name.strip():
                continue
            if isinstance(name, str):
                yield Finding("fullName is blank", doc.at(f"{pointer}/fullName", card=index))
            elif "fullName" in obj and name is None:
                # The key is there: point at its null, not at the "{".
                yield Finding(
                    "fullName is null (and there is no vcard)",
                    doc.at(f"{pointer}/fullName", card=index),
                )
            elif name is None:
                yield Finding(
                    f"contact {index} has no fullName (and no vcard)", doc.at(pointer, card=index)
                )


class VcardAndFields(Rule):
    """VC606 vcard-and-fields — both a ``vcard`` string and contact fields.

    Why: the HTTP APIs that accept both send the ``vcard`` and ignore the
    fields, so an edit to a field silently changes nothing. Reported at the
    contact's ``{``.
    Fails: ``{"vcard": "BEGIN:VCARD…", "fullName": "Ann"}``
    Fix: keep one of the two forms.
    """

    code = "VC606"
    name = "vcard-and-fields"
    severity = Severity.WARNING
    profile = Profile.RFC
    inputs = JSON

    def check_json(self, doc: JsonDocument, ctx: Context) -> Iterator[Finding]:
        for index, obj, pointer in doc.contacts():
            if not isinstance(obj.get("vcard"), str):
                continue  # no vcard (null is none), or one VC604 reports
            # A field set to null is not given (as VC604 and the model read it).
            others = [k for k in obj if k != "vcard" and obj[k] is not None]
            if others:
                yield Finding(
                    f"contact {index} has a vcard and the fields {', '.join(map(repr, others))}; "
                    "the vcard is sent and the fields are ignored",
                    doc.at(pointer, card=index),
                )


class VcardNotOneCard(Rule):
    """VC607 vcard-not-one-card — a ``vcard`` string that holds zero or several cards.

    Why: the ``vcard`` field is one contact; a string with two cards is sent
    as one message that most clients show as the first card only.
    Fails: ``{"vcard": "BEGIN:VCARD…END:VCARD\\r\\nBEGIN:VCARD…END:VCARD"}``
    Fix: one contact object per card.
    """

    code = "VC607"
    name = "vcard-not-one-card"
    severity = Severity.ERROR
    profile = Profile.RFC
    inputs = JSON

    def check_json(self, doc: JsonDocument, ctx: Context) -> Iterator[Finding]:
        for sub in doc.embedded:
            # A card with no END:VCARD is still a card (VC105 reports it):
            # "BEGIN:VCARD…" alone holds one card, not zero.
            count = len(sub.cards) + sum(1 for i in sub.issues if i.code == "VC105")
            if count != 1:
                where = sub.at_card(1, sub.card_base)
                yield Finding(
                    f"the vcard string holds {count} cards; it must hold exactly one", where
                )


class InvalidExtraProperty(Rule):
    """VC608 invalid-extra-property — an ``extraProperties`` entry that is not one content line.

    Why: each entry is written as one line of the card; a line break would
    add properties (or cards) of its own, and BEGIN, END and VERSION are the
    writer's. A TEL, EMAIL or URL line is always read as a phone, an e-mail
    or a URL: given as an extra it would come back as one, unchecked by the
    rules of phones (and a card read never keeps one as an extra).
    Fails: ``"extraProperties": ["X-A:1\\nTEL:+1555"]``, ``["END:VCARD"]``,
    ``["TEL;TYPE=FAX:+15551234"]``
    Fix: one ``NAME:value`` per entry, line breaks escaped as ``\\n``; a
    phone in ``phones``, an e-mail in ``emails``, a URL in ``urls``.
    """

    code = "VC608"
    name = "invalid-extra-property"
    severity = Severity.ERROR
    profile = Profile.RFC
    inputs = JSON

    def check_json(self, doc: JsonDocument, ctx: Context) -> Iterator[Finding]:
        for index, obj, pointer in doc.contacts():
            extras = obj.get("extraProperties")
            if not isinstance(extras, list):
                continue
            for i, text in enumerate(extras):
                if not isinstance(text, str):
                    continue
                # The writer's own reading: what it refuses as VC608 (the
                # other codes are their rules' to report).
                line = extra_line(text)
                if isinstance(line, tuple) and line[0] == self.code:
                    p = f"{pointer}/extraProperties/{i}"
                    yield Finding(
                        f"the extra property {show(text)} {line[1]}", doc.at(p, card=index)
                    )
