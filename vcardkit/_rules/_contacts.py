"""What the VC4xx, VC5xx and VC7xx rules share: contact views, and fixes in either form.

These rules run on cards and on JSON contacts alike (RULES.md "Inputs")
through :class:`~vcardkit._rules._context.ContactView`. A JSON contact whose
``vcard`` holds a card is checked as that card, once: by ``check_vcf`` on the
embedded document (the engine runs it), not again by ``check_json``.

A fix replaces a value in the text the user opened: in a card, the raw value
(its span through folds); in JSON text, the whole string literal, quotes
included, written back with JSON escaping; for Python objects, the field at
a JSON Pointer. Inside a ``vcard`` string no fix is offered: an edit of the
card is not an edit of the JSON string that holds it (escapes differ).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from typing import Final

from vcardkit._rules._base import Finding, Input, Rule
from vcardkit._rules._context import (
    ContactView,
    Context,
    FieldRef,
    JsonDocument,
    PhoneRef,
    VcfDocument,
)
from vcardkit._rules._diagnostic import Edit, Fix
from vcardkit._syntax._jsonpos import string_offsets

__all__ = ["BOTH", "ContactRule", "Fixer", "PayloadRule", "describe", "quote"]

BOTH: Final = frozenset({Input.VCF, Input.JSON})


def quote(value: str, limit: int = 40) -> str:
    """A value in double quotes for a message (RULES.md: ``"+2011111" is not …``)."""
    shown = value if len(value) <= limit else value[: limit - 1] + "…"
    return json.dumps(shown, ensure_ascii=False)


def describe(view: ContactView) -> str:
    """``contact 2 (line 14)``: how a message names another contact."""
    line = view.where.line
    return f"contact {view.index}" + (f" (line {line})" if line is not None else "")


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
        value: object = doc.value
        for token in pointer.split("/")[1:]:
            token = token.replace("~1", "/").replace("~0", "~")
            if isinstance(value, Mapping):
                value = value.get(token)
            elif isinstance(value, list) and token.isdigit() and int(token) < len(value):
                value = value[int(token)]
            else:
                return False
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
    """A rule that looks at a whole payload: a file of cards, or a JSON array."""

    inputs = BOTH

    def check_vcf(self, doc: VcfDocument, ctx: Context) -> Iterable[Finding]:
        if doc.embedded:  # one contact of a JSON payload: checked with the payload
            return ()
        return self.check_views(doc.views(), ctx)

    def check_json(self, doc: JsonDocument, ctx: Context) -> Iterable[Finding]:
        return self.check_views(doc.views(), ctx)

    def check_views(self, views: list[ContactView], ctx: Context) -> Iterable[Finding]:
        """Findings across the contacts of one payload."""
        return ()
