"""The JSON contact (docs/design.md "The JSON contact"), both ways, and its schema.

``from_json`` is strict: an unknown key or a value of the wrong type raises
:class:`VCardError` with its JSON Pointer (and, for text input, its line and
column); nothing is dropped silently. ``validate`` reports the same problems
as diagnostics (VC603, VC604) instead.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any, Final

from vcardkit._errors import VCardError
from vcardkit._model._contact import Address, Contact, Email, Phone, Url, is_plain_phone
from vcardkit._syntax._decode import SURROGATE_RE
from vcardkit._syntax._jsondecode import DECODER, LongInteger

__all__ = [
    "ADDRESS_KEYS",
    "CONTACT_KEYS",
    "EMAIL_KEYS",
    "ITEM_KEYS",
    "MISSING",
    "PHONE_KEYS",
    "URL_KEYS",
    "escape_pointer",
    "from_json",
    "json_type",
    "member",
    "parse_json_text",
    "pointer_tokens",
    "suggest",
    "to_json",
]

# key -> (attribute, kind); kind is "str", "types", "strs" or an item kind.
CONTACT_KEYS: Final[dict[str, tuple[str, str]]] = {
    "fullName": ("full_name", "str"),
    "firstName": ("first_name", "str"),
    "lastName": ("last_name", "str"),
    "middleName": ("middle_name", "str"),
    "namePrefix": ("name_prefix", "str"),
    "nameSuffix": ("name_suffix", "str"),
    "organization": ("organization", "str"),
    "department": ("department", "str"),
    "title": ("title", "str"),
    "phoneNumber": ("phone_number", "str"),
    "whatsappId": ("whatsapp_id", "str"),
    "phones": ("phones", "phone"),
    "emails": ("emails", "email"),
    "addresses": ("addresses", "address"),
    "urls": ("urls", "url"),
    "birthday": ("birthday", "str"),
    "note": ("note", "str"),
    "vcard": ("vcard", "str"),
    "extraProperties": ("extra_properties", "strs"),
}
_COMMON: Final = {
    "type": ("type", "types"),
    "group": ("group", "str"),
    "parameters": ("parameters", "strs"),
}
PHONE_KEYS: Final[dict[str, tuple[str, str]]] = {
    "phoneNumber": ("phone_number", "str"),
    "whatsappId": ("whatsapp_id", "str"),
    **_COMMON,
}
EMAIL_KEYS: Final[dict[str, tuple[str, str]]] = {"email": ("email", "str"), **_COMMON}
ADDRESS_KEYS: Final[dict[str, tuple[str, str]]] = {
    "poBox": ("po_box", "str"),
    "extendedAddress": ("extended_address", "str"),
    "street": ("street", "str"),
    "city": ("city", "str"),
    "state": ("state", "str"),
    "zip": ("zip", "str"),
    "country": ("country", "str"),
    "countryCode": ("country_code", "str"),
    **_COMMON,
}
URL_KEYS: Final[dict[str, tuple[str, str]]] = {"url": ("url", "str"), **_COMMON}
ITEM_KEYS: Final[dict[str, dict[str, tuple[str, str]]]] = {
    "phone": PHONE_KEYS,
    "email": EMAIL_KEYS,
    "address": ADDRESS_KEYS,
    "url": URL_KEYS,
}
_ITEM_CLASSES: Final[dict[str, type[Any]]] = {
    "phone": Phone,
    "email": Email,
    "address": Address,
    "url": Url,
}
# The key an item cannot do without.
_ITEM_MAIN: Final = {"email": "email", "url": "url"}
# The attributes where "" is a value, not an absent field: a TEL read with an
# empty value (``TEL:``, ``item1.TEL:``) is a phone whose number is "", and a
# ``waid=`` with none an empty WhatsApp id; reading "" as absent would drop
# the TEL (docs/design.md "Lossless"), as an empty EMAIL is kept as "". Absent
# (or null) is None: a phone with no number, which only a waid makes.
_EMPTY_IS_A_VALUE: Final = frozenset({"phone_number", "whatsapp_id"})


def suggest(key: str, known: Sequence[str]) -> str | None:
    """The known key closest to ``key``, for "did you mean" messages."""
    lowered = {k.lower(): k for k in known}
    if key.lower() in lowered:
        return lowered[key.lower()]
    import difflib  # only a misspelt key needs it (start-up)

    matches = difflib.get_close_matches(key, list(known), n=1, cutoff=0.6)
    return matches[0] if matches else None


def parse_json_text(data: str | bytes) -> Any:
    """``json.loads`` with its errors as :class:`VCardError` (VC601) with a position."""
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise VCardError(
                f"the JSON text is not UTF-8: byte {exc.start} is {data[exc.start]:#04x}",
                code="VC101",
            ) from None
    else:
        text = data[1:] if data.startswith("\ufeff") else data
    try:
        return DECODER.decode(text)
    except json.JSONDecodeError as exc:
        # Line 1 of a str that starts with a BOM: the caller's str holds it,
        # as column 1 (as validate places diagnostics).
        shift = 1 if exc.lineno == 1 and text is not data and isinstance(data, str) else 0
        raise VCardError(
            f"not JSON: {exc.msg}", line=exc.lineno, column=exc.colno + shift, code="VC601"
        ) from None
    except RecursionError:
        raise VCardError("not JSON: nested too deeply", code="VC601") from None


def from_json(data: str | bytes | Sequence[Any] | Mapping[str, Any], /) -> list[Contact]:
    """Read JSON contacts: text, bytes, a decoded list of objects, or one object."""
    # Text can hold a lone surrogate only as a \uD800-\uDFFF escape (or, in a
    # str, as itself): only then are its strings looked through.
    surrogates = True
    if isinstance(data, (str, bytes)):
        if isinstance(data, str):
            surrogates = _SURROGATE_ESCAPE_RE.search(data) is not None or (
                not data.isascii() and SURROGATE_RE.search(data) is not None
            )
        else:  # UTF-8 encodes no surrogate: only an escape can write one
            surrogates = _SURROGATE_ESCAPE_BYTES_RE.search(data) is not None
        data = parse_json_text(data)
    if isinstance(data, Mapping):
        data = [data]
    if not isinstance(data, Sequence) or isinstance(data, (str, bytes)):
        raise VCardError(
            f"a JSON contact payload is an array of objects, not {json_type(data)}",
            pointer="",
            code="VC602",
        )
    contacts = [contact_from_mapping(item, f"/{i}") for i, item in enumerate(data)]
    if surrogates:
        for i, item in enumerate(data):
            if not isinstance(item, Contact):
                _check_encodable(item, CONTACT_KEYS, f"/{i}")
    return contacts


_SURROGATE_ESCAPE_RE: Final = re.compile(r"\\u[dD][89a-fA-F]")
_SURROGATE_ESCAPE_BYTES_RE: Final = re.compile(rb"\\u[dD][89a-fA-F]")


def _check_encodable(obj: Mapping[str, Any], keys: Mapping[str, tuple[str, str]], at: str) -> None:
    """VC101 at the first string no UTF-8 encodes: a lone surrogate (``"\\ud800"`` in JSON).

    Such a contact could be read and kept, but never written or sent. Looked
    for once the object has read without fault (every value has its type),
    in the order of ``keys``, so that the fault named does not depend on the
    order of the object's keys; ``dumps`` finds the same one in its own
    order of writing. ``isascii`` is a flag, not a scan: the common string
    costs nothing.
    """
    for key, (_, kind) in keys.items():
        value = obj.get(key)
        if value is None:
            continue
        pointer = f"{at}/{key}"
        if isinstance(value, str):
            _encodable(value, pointer)
        elif kind in ITEM_KEYS:
            for i, item in enumerate(value):
                _check_encodable(item, ITEM_KEYS[kind], f"{pointer}/{i}")
        else:
            for i, text in enumerate(value):
                _encodable(text, f"{pointer}/{i}")


def _encodable(value: str, pointer: str) -> None:
    if not value.isascii() and (m := SURROGATE_RE.search(value)) is not None:
        raise VCardError(
            f"the value at {pointer} holds the lone surrogate U+{ord(m.group()):04X}, "
            "which UTF-8 cannot encode",
            pointer=pointer,
            code="VC101",
        )


def json_type(value: object) -> str:
    """How a JSON value is named in messages: 'a string', 'an array', 'null'..."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float, LongInteger)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, Sequence):
        return "an array"
    return type(value).__name__


def _unknown_key(key: Any, known: Mapping[str, object], pointer: str) -> VCardError:
    hint = suggest(str(key), list(known))
    did = f"; did you mean {hint!r}?" if hint else ""
    return VCardError(
        f"unknown key {key!r}{did}", pointer=f"{pointer}/{escape_pointer(str(key))}", code="VC603"
    )


def escape_pointer(key: str) -> str:
    """RFC 6901 escaping of one reference token."""
    return key.replace("~", "~0").replace("/", "~1")


def pointer_tokens(pointer: str) -> list[str]:
    """RFC 6901: a pointer's reference tokens, unescaped (``""`` is the whole value: none)."""
    return [t.replace("~1", "/").replace("~0", "~") for t in pointer.split("/")[1:]]


MISSING: Final = object()  # what member() gives where a pointer leads nowhere


def member(value: Any, tokens: Sequence[str]) -> Any:
    """The value ``tokens`` lead to inside JSON data, or :data:`MISSING`."""
    for token in tokens:
        if isinstance(value, Mapping):
            value = value.get(token, MISSING)
        elif isinstance(value, list) and token.isdigit() and int(token) < len(value):
            value = value[int(token)]
        else:
            return MISSING
        if value is MISSING:
            return MISSING
    return value


def _read(
    value: Any, kind: str, pointer: str, lenient: bool = False, keep_empty: bool = False
) -> Any:
    if value is None:
        return None if kind == "str" else ()
    if kind in ITEM_KEYS:
        if not isinstance(value, Sequence) or isinstance(value, str):
            if lenient:
                return ()
            raise _wrong(value, "an array of objects", pointer)
        if lenient:
            return tuple(
                _read_item(v, kind, f"{pointer}/{i}", True)
                for i, v in enumerate(value)
                if isinstance(v, Mapping)
            )
        return tuple([_read_item(v, kind, f"{pointer}/{i}") for i, v in enumerate(value)])
    try:
        return _read_value(value, kind, pointer, keep_empty)
    except VCardError:
        if lenient:
            return None if kind == "str" else ()
        raise


def _read_value(value: Any, kind: str, pointer: str, keep_empty: bool = False) -> Any:
    if kind == "str":
        if not isinstance(value, str):
            raise _wrong(value, "a string", pointer)
        return str(value) if keep_empty else (value or None)
    if kind == "types":
        if isinstance(value, str):
            return (value,) if value else ()
        if isinstance(value, Sequence) and all(isinstance(v, str) for v in value):
            return tuple(v for v in value if v)
        raise _wrong(value, "a string or an array of strings", pointer)
    # kind == "strs"
    if isinstance(value, Sequence) and not isinstance(value, str):
        for i, v in enumerate(value):
            if not isinstance(v, str):
                raise _wrong(v, "a string", f"{pointer}/{i}")
        return tuple(value)
    raise _wrong(value, "an array of strings", pointer)


def _read_fields(
    obj: Mapping[str, Any], keys: Mapping[str, tuple[str, str]], pointer: str, lenient: bool
) -> dict[str, Any]:
    """The attributes ``obj`` gives, by ``keys``, for the class's constructor.

    A string where a string or a TYPE is expected, the common case, is taken
    as it is; any other value is read by :func:`_read`, in the order of
    ``keys``, so that the first fault raised is the same whatever the order
    of ``obj``. ``lenient``: an unknown key is left out, a wrong value absent.
    """
    kwargs: dict[str, Any] = {}
    others: list[str] = []
    for key, value in obj.items():
        field = keys.get(key)
        if field is None:
            if lenient:
                continue
            raise _unknown_key(key, keys, pointer)
        if type(value) is str:
            attr, kind = field
            if kind == "str":
                if value or attr in _EMPTY_IS_A_VALUE:
                    kwargs[attr] = value
                continue
            if kind == "types":
                if value:
                    kwargs[attr] = (value,)
                continue
        elif value is None:
            continue
        others.append(key)
    if others:
        if len(others) > 1:
            others.sort(key=list(keys).index)
        for key in others:
            attr, kind = keys[key]
            keep = attr in _EMPTY_IS_A_VALUE
            kwargs[attr] = _read(obj[key], kind, f"{pointer}/{key}", lenient, keep)
    return kwargs


def _read_item(obj: Any, kind: str, pointer: str, lenient: bool = False) -> Any:
    if type(obj) is not dict and not isinstance(obj, Mapping):
        raise _wrong(obj, "an object", pointer)
    kwargs = _read_fields(obj, ITEM_KEYS[kind], pointer, lenient)
    main = _ITEM_MAIN.get(kind)
    if main is not None and kwargs.get(main) is None:
        value = obj.get(main)
        kwargs[main] = value if isinstance(value, str) else ""
    return _ITEM_CLASSES[kind](**kwargs)


def _wrong(value: Any, expected: str, pointer: str) -> VCardError:
    return VCardError(
        f"expected {expected}, found {json_type(value)}", pointer=pointer, code="VC604"
    )


def contact_from_mapping(obj: Any, pointer: str, *, lenient: bool = False) -> Contact:
    """The one reading of a JSON contact.

    Strict for ``from_json`` and the writer: an unknown key or a wrong type
    raises. ``lenient`` is for the rules, which report those faults
    themselves (VC603, VC604) and check the rest: an unknown key is left
    out, a value of the wrong type is absent, an item that is not an object
    is skipped.
    """
    if isinstance(obj, Contact):
        return obj
    if type(obj) is not dict and not isinstance(obj, Mapping):
        raise VCardError(
            f"a contact is a JSON object, not {json_type(obj)}", pointer=pointer, code="VC602"
        )
    kwargs = _read_fields(obj, CONTACT_KEYS, pointer, lenient)
    return Contact(**kwargs)


def to_json(contacts: Sequence[Contact] | Contact, /) -> list[dict[str, Any]]:
    """JSON-ready dicts with the camelCase keys of the JSON contact, empty fields omitted.

    Each key has one shape: a string, or a list (``type`` too, even of one value).
    """
    if isinstance(contacts, Contact):
        contacts = [contacts]
    return [contact_to_mapping(c) for c in contacts]


def contact_to_mapping(contact: Contact) -> dict[str, Any]:
    out: dict[str, Any] = {}
    phones = contact.phones
    for key, (attr, kind) in CONTACT_KEYS.items():
        if key == "phoneNumber":
            if phones and is_plain_phone(phones[0]):
                if phones[0].phone_number is not None:
                    out["phoneNumber"] = phones[0].phone_number
                if phones[0].whatsapp_id is not None:
                    out["whatsappId"] = phones[0].whatsapp_id
                phones = phones[1:]
            continue
        if key == "whatsappId":
            continue
        if key == "phones":
            value: Any = phones
        else:
            value = getattr(contact, attr)
        if kind == "str":
            if value:
                out[key] = value
        elif kind == "strs":
            if value:
                out[key] = list(value)
        elif value:
            out[key] = [_item_to_mapping(item, ITEM_KEYS[kind], kind) for item in value]
    return out


def _item_to_mapping(item: Any, keys: Mapping[str, tuple[str, str]], kind: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    main = _ITEM_MAIN.get(kind)
    for key, (attr, sub) in keys.items():
        value = getattr(item, attr)
        if key == main or (kind == "phone" and value is not None and attr in _EMPTY_IS_A_VALUE):
            out[key] = value
        elif sub in ("types", "strs"):
            # One shape for each field: "type" is a list even of one value
            # (from_json still takes a string), as "parameters" is.
            if value:
                out[key] = list(value)
        elif value:
            out[key] = value
    return out
