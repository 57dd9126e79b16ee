"""What rules run on for JSON input: the payload, positions through its text,
and the ``vcard`` strings inside it as embedded VCF documents.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache, partial
from typing import Any, Final

from vcardkit._model._contact import Contact
from vcardkit._model._json import contact_from_mapping, contact_to_mapping
from vcardkit._rules._diagnostic import Where
from vcardkit._rules._documents import (
    ContactView,
    FieldRef,
    PhoneRef,
    VcfDocument,
    build_vcf_document,
)
from vcardkit._syntax._decode import DecodeEvent, decode
from vcardkit._syntax._jsondecode import DECODER
from vcardkit._syntax._jsonpos import JsonLocator, string_offsets
from vcardkit._syntax._reader import ContentLine, parse_content_line
from vcardkit._syntax._source import Source

__all__ = [
    "JsonDocument",
    "build_json_document",
    "json_extra_lines",
    "json_items",
    "json_objects",
    "json_strings",
]


_VCARD_KEY: Final = "vcard"


@dataclass(slots=True)
class JsonDocument:
    """A JSON payload: its value, or why it is not JSON; positions when it was text."""

    path: str | None
    source: Source | None  # None for Python objects
    value: Any = None
    error: tuple[str, int] | None = None  # VC601: message, offset
    bom: str | None = None
    decode_events: tuple[DecodeEvent, ...] = ()
    embedded: list[VcfDocument] = field(default_factory=list)
    _locator: JsonLocator | None = None
    _views: list[ContactView] | None = None  # built once, as VcfDocument's
    # Every string of each contact with its pointer, by the contact's pointer:
    # several rules walk them (VC101, VC113, VC114, VC117), the walk is made once.
    strings: dict[str, list[tuple[str, str]]] = field(default_factory=dict)

    def at(self, pointer: str, *, key: bool = False, card: int | None = None) -> Where:
        """The value at ``pointer``, or its key: from the token's first character
        to past its last (a string's closing quote, a number's last digit); an
        object or array is just its opening bracket."""
        offset = self.offset(pointer, key=key)
        source = self.source
        if offset is None or source is None:
            return Where(None, None, card, pointer)
        assert self._locator is not None  # made by offset()
        line, column = source.position(offset)
        end_line, end_column = source.position(self._locator.token_end(offset))
        return Where(line, column, card, pointer, end_line, end_column)

    def at_offset(self, offset: int) -> Where:
        """The character at ``offset`` of the text: to past it; a line break
        (or an offset past the end of a text that ends in one) to where the
        next line starts; past the end of the text, the column after it."""
        source = self.source
        assert source is not None
        line, column = source.position(offset)
        if column <= len(source.line_text(line)):
            return Where(line, column, None, None, line, column + 1)
        if source.line_break(line):
            return Where(line, column, None, None, line + 1, 1)
        return Where(line, column, None, None, line, column + 1)

    def offset(self, pointer: str, *, key: bool = False) -> int | None:
        if self.source is None:
            return None
        if self._locator is None:
            self._locator = JsonLocator(self.source.text)
        return self._locator.key_offset(pointer) if key else self._locator.value_offset(pointer)

    def contacts(self) -> Iterator[tuple[int, Mapping[str, Any], str]]:
        """(index, object, pointer) of each contact object of the payload."""
        value = self.value
        if isinstance(value, Mapping):
            yield 0, value, ""
        elif isinstance(value, Sequence) and not isinstance(value, (str, bytes)):
            for i, item in enumerate(value):
                if isinstance(item, Mapping):
                    yield i, item, f"/{i}"

    def views(self) -> list[ContactView]:
        """A view of each contact: from its `vcard` when it has one, else its fields."""
        if self._views is not None:
            return self._views
        by_index = {doc.card_base: doc for doc in self.embedded}
        out: list[ContactView] = []
        for index, obj, pointer in self.contacts():
            embedded = by_index.get(index)
            if embedded is not None and len(embedded.cards) == 1:
                view = embedded.cards[0].view()
                out.append(view)
                continue
            if embedded is not None:
                continue
            out.append(self._view(index, obj, pointer))
        self._views = out
        return out

    def _ref(self, value: str | None, pointer: str, card: int) -> FieldRef | None:
        if value is None:
            return None
        return FieldRef(value, partial(self.at, pointer, card=card), value, pointer=pointer)

    def _view(self, index: int, obj: Mapping[str, Any], pointer: str) -> ContactView:
        """The contact ``from_json`` reads, leniently, with each field's pointer."""
        contact = contact_from_mapping(obj, pointer, lenient=True)
        # The phones' objects: the shorthand keys, then each object of
        # `phones` (the lenient reading skips any other item).
        objects: list[tuple[str, Mapping[str, Any]]] = []
        items = [(at, item) for item, at in json_objects(obj, "phones", pointer)]
        if len(contact.phones) > len(items):
            objects.append((pointer, obj))
        objects.extend(items)
        phones: list[PhoneRef] = []
        for phone, (at, item) in zip(contact.phones, objects, strict=True):
            number = _blank(item, "phoneNumber", phone.phone_number)
            waid = _blank(item, "whatsappId", phone.whatsapp_id)
            phones.append(
                PhoneRef(
                    self._ref(number, f"{at}/phoneNumber", index),
                    self._ref(waid, f"{at}/whatsappId", index),
                    partial(self.at, at, card=index),
                    at,
                )
            )
        return ContactView(
            index,
            "json",
            partial(self.at, pointer, card=index),
            contact,
            self._ref(_blank(obj, "fullName", contact.full_name), f"{pointer}/fullName", index),
            self._ref(
                _blank(obj, "organization", contact.organization), f"{pointer}/organization", index
            ),
            tuple(phones),
            self._item_refs(obj, "emails", "email", pointer, index),
            self._item_refs(obj, "urls", "url", pointer, index),
            None,
            pointer,
            None,
        )

    def _item_refs(
        self, obj: Mapping[str, Any], key: str, main: str, pointer: str, index: int
    ) -> tuple[FieldRef | None, ...]:
        """Refs to the value of each object of ``obj[key]``, as the lenient reading keeps them."""
        refs: list[FieldRef | None] = []
        for item, at in json_objects(obj, key, pointer):
            value = item.get(main)
            at = f"{at}/{main}"
            refs.append(self._ref(value, at, index) if isinstance(value, str) else None)
        return tuple(refs)


def json_objects(
    obj: Mapping[str, Any], key: str, pointer: str
) -> Iterator[tuple[Mapping[str, Any], str]]:
    """(object, pointer) of each object in the array ``obj[key]``; other items are skipped."""
    items = obj.get(key)
    if isinstance(items, list):
        for i, item in enumerate(items):
            if isinstance(item, Mapping):
                yield item, f"{pointer}/{key}/{i}"


def json_extra_lines(obj: Mapping[str, Any]) -> list[tuple[int, ContentLine]]:
    """(index, content line) of each entry of ``extraProperties`` that is one content line.

    An entry is written as it is, as one line of the card: the rules that
    check a card's lines check it as that line. One that is not a string
    (VC604), holds a line break or does not parse (VC608) is not a line.
    """
    extras = obj.get("extraProperties")
    if not extras or not isinstance(extras, list):
        return []
    out: list[tuple[int, ContentLine]] = []
    for k, text in enumerate(extras):
        if not isinstance(text, str) or "\r" in text or "\n" in text:
            continue
        line = _parsed_extra(text)
        if line is not None:
            out.append((k, line))
    return out


@lru_cache(maxsize=1024)
def _parsed_extra(text: str) -> ContentLine | None:
    # Several rules read each extra: parsed once (a ContentLine is immutable).
    line = parse_content_line(text, 1, ())
    return line if isinstance(line, ContentLine) else None


def json_items(
    obj: Mapping[str, Any], pointer: str
) -> Iterator[tuple[str, Mapping[str, Any], str]]:
    """(kind, object, pointer) of each object in a contact's phones, emails, addresses, urls."""
    for key, kind in (
        ("phones", "phone"),
        ("emails", "email"),
        ("addresses", "address"),
        ("urls", "url"),
    ):
        for item, at in json_objects(obj, key, pointer):
            yield kind, item, at


def _blank(obj: Mapping[str, Any], key: str, value: str | None) -> str | None:
    """A field's value; ``""`` where the JSON holds an empty string (read as absent)."""
    if value is None and obj.get(key) == "":
        return ""
    return value


def build_json_document(data: str | bytes | Any, path: str | None = None) -> JsonDocument:
    """Parse JSON text (or take Python objects) and lex the `vcard` strings in it."""
    if isinstance(data, bytes):
        decoded = decode(data)
        doc = JsonDocument(
            path, Source(decoded.text), bom=decoded.bom, decode_events=decoded.events
        )
        text = decoded.text
    elif isinstance(data, str):
        text = data[1:] if data.startswith("\ufeff") else data
        doc = JsonDocument(path, Source(text), bom="UTF-8" if text is not data else None)
    else:
        doc = JsonDocument(path, None, value=_objects_to_json(data))
        _walk_objects(doc, data)
        _embed(doc)
        return doc
    try:
        doc.value = DECODER.decode(text)
    except json.JSONDecodeError as exc:
        doc.error = (exc.msg, exc.pos)
        return doc
    except RecursionError:
        doc.error = ("nested too deeply", 0)
        return doc
    _embed(doc)
    return doc


def json_strings(
    value: Any, pointer: str, outer: dict[int, str] | None = None
) -> list[tuple[str, str]]:
    """Every string in a JSON value (in its mappings and lists) with its pointer.

    ``ValueError`` when a list or mapping holds itself (``outer``: the
    containers above ``value``, by id, with their pointers): no JSON text
    can, such data is not contacts, and a walk of it would never end. A
    value met twice on different branches is fine. Walked with a stack of
    its own: nested generators cost more than the walk itself (VC101, VC113,
    VC114 and VC117 read every string), and recursion would fail on data
    nested a thousand deep, which is data to report on.
    """
    if isinstance(value, str):
        return [(pointer, value)]
    out: list[tuple[str, str]] = []
    on_path: dict[int, str] = dict(outer) if outer else {}  # the containers down to here
    stack: list[tuple[Any, str | None]] = [(value, pointer)]
    while stack:
        item, at = stack.pop()
        if at is None:  # done with the container of this id
            del on_path[item]
            continue
        if isinstance(item, (dict, Mapping)):
            members: Iterable[tuple[Any, Any]] = item.items()
        elif isinstance(item, list):
            members = enumerate(item)
        else:
            continue
        key = id(item)
        seen = on_path.get(key)
        if seen is not None:
            kind = "object" if isinstance(item, Mapping) else "array"
            outer_one = f"the {kind} at {seen!r}" if seen else f"the top-level {kind}"
            raise ValueError(
                f"the {kind} at {at!r} is {outer_one} again: contacts are JSON data, and no "
                "JSON value holds itself"
            )
        on_path[key] = at
        stack.append((key, None))
        for k, member in members:
            token = str(k)
            if "~" in token or "/" in token:
                token = token.replace("~", "~0").replace("/", "~1")
            if isinstance(member, str):
                out.append((f"{at}/{token}", member))
            elif isinstance(member, (dict, list, Mapping)):
                stack.append((member, f"{at}/{token}"))
    return out


def _walk_objects(doc: JsonDocument, data: Any) -> None:
    """The strings of each contact of Python data, walked once, as JSON text cannot
    hold a cycle and Python data can: ``ValueError`` for one, before any rule runs."""
    value = doc.value
    top = {id(value): "", id(data): ""}
    if isinstance(value, Mapping):
        doc.strings[""] = json_strings(value, "", {id(data): ""} if value is not data else None)
        return
    if not isinstance(value, list):
        return
    for i, item in enumerate(value):
        if isinstance(item, Mapping):
            doc.strings[f"/{i}"] = json_strings(item, f"/{i}", top)
        elif isinstance(item, list):
            json_strings(item, f"/{i}", top)  # only to refuse a cycle


def _objects_to_json(data: Any) -> Any:
    """Contact objects become their JSON mapping; mappings and lists are kept."""
    if isinstance(data, Contact):
        return [contact_to_mapping(data)]
    if isinstance(data, Sequence) and not isinstance(data, (str, bytes)):
        return [contact_to_mapping(c) if isinstance(c, Contact) else c for c in data]
    return data


def _embed(doc: JsonDocument) -> None:
    for index, obj, pointer in doc.contacts():
        vcard = obj.get(_VCARD_KEY)
        if not isinstance(vcard, str):
            continue
        vpointer = f"{pointer}/{_VCARD_KEY}"
        if doc.source is None:
            sub = build_vcf_document(vcard, doc.path, card_base=index, pointer=vpointer)
            # No text: every position is the field's pointer alone.
            sub.embedded = sub.positionless = True
            doc.embedded.append(sub)
            continue
        quote = doc.offset(vpointer)
        if quote is None:
            continue
        source = doc.source
        offsets = string_offsets(source.text, quote)
        inner = Source(vcard)

        def mapper(
            line: int,
            column: int,
            inner: Source = inner,
            offsets: list[int] = offsets,
            source: Source = source,
        ) -> tuple[int, int]:
            at = min(inner.offset(line, column), len(offsets) - 1)
            return source.position(offsets[at])

        sub = build_vcf_document(
            vcard,
            doc.path,
            mapper=mapper,
            quote=source.position(quote),
            card_base=index,
            pointer=vpointer,
        )
        sub.embedded = True
        sub.quote_end = source.position(offsets[-1] + 1)
        doc.embedded.append(sub)
