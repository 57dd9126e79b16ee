"""The canonical card written straight from a JSON mapping, with no Contact built.

DESIGN.md "Speed is part of the design": serialize from the mappings, build
objects only when asked. :func:`fast_write` takes the mappings a sender
passes (a ``dict`` with the common keys, string values, phones, e-mails and
URLs with a ``type`` at most) and returns the exact text of
``write_contact(contact_from_mapping(obj))``. For anything else, and for any
value the writer would refuse, it returns ``None``: the caller then takes the
full path, which raises the one error it always raised. ``tests/test_fast_path.py``
holds both paths to the same output.
"""

from __future__ import annotations

import re
from typing import Any, Final

from vcardkit._syntax._values import escape_text, fold

__all__ = ["fast_write"]

_STR_KEYS: Final = (
    "fullName",
    "firstName",
    "lastName",
    "middleName",
    "namePrefix",
    "nameSuffix",
    "organization",
    "department",
    "title",
    "phoneNumber",
    "whatsappId",
    "birthday",
    "note",
)
_KEYS: Final = frozenset({*_STR_KEYS, "phones", "emails", "urls"})
_PHONE_KEYS: Final = frozenset({"phoneNumber", "whatsappId", "type"})
_EMAIL_KEYS: Final = frozenset({"email", "type"})
_URL_KEYS: Final = frozenset({"url", "type"})
# What the full writer refuses, or treats with care: in a text value, a C0
# control other than TAB, LF and CR, DEL, a lone surrogate; in any other
# value, any control or '"' (refused in a parameter value). A value holding
# one goes to the full path, which raises or writes it.
_TEXT_ODD_RE: Final = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
_ODD_RE: Final = re.compile(r'["\x00-\x1f\x7f\ud800-\udfff]')
_PARAM_QUOTE_RE: Final = re.compile(r"[;:,]")
_OMIT_YEAR_RE: Final = re.compile(r"--([0-9]{2})-([0-9]{2})")


def _str(value: Any) -> str | bool | None:
    """A string field as ``from_json`` reads it; ``False`` when it is not one."""
    if value is None:
        return None
    if type(value) is str:
        return value or None
    return False


def _types(value: Any) -> tuple[str, ...] | None:
    if value is None:
        return ()
    if type(value) is str:
        return (value,) if value else ()
    if type(value) is list and all(type(v) is str for v in value):
        return tuple(v for v in value if v)
    return None


def _type_params(types: tuple[str, ...]) -> str:
    return "".join(f';type="{t}"' if _PARAM_QUOTE_RE.search(t) else f";type={t}" for t in types)


def fast_write(obj: Any, eol: str) -> str | None:
    """The canonical card of a plain JSON contact, or ``None`` for the full path."""
    if type(obj) is not dict or not obj.keys() <= _KEYS:
        return None
    get = obj.get
    values: list[str | None] = []
    for key in _STR_KEYS:
        value = _str(get(key))
        if value is False:
            return None
        values.append(value)  # type: ignore[arg-type]
    (
        full_name,
        first_name,
        last_name,
        middle_name,
        name_prefix,
        name_suffix,
        organization,
        department,
        title,
        phone_number,
        whatsapp_id,
        birthday,
        note,
    ) = values
    texts = [v for v in values[:9] if v is not None]
    if note is not None:
        texts.append(note)
    if texts and _TEXT_ODD_RE.search("".join(texts)):
        return None

    # Phones: the shorthand first, then the items, as Contact() orders them.
    phones: list[tuple[str | None, str | None, tuple[str, ...]]] = []
    if phone_number is not None or whatsapp_id is not None:
        phones.append((phone_number, whatsapp_id, ()))
    items = get("phones")
    if items is not None:
        if type(items) is not list:
            return None
        for item in items:
            if type(item) is not dict or not item.keys() <= _PHONE_KEYS:
                return None
            number = _str(item.get("phoneNumber"))
            waid = _str(item.get("whatsappId"))
            types = _types(item.get("type"))
            if number is False or waid is False or types is None:
                return None
            phones.append((number, waid, types))  # type: ignore[arg-type]
    emails = _items(get("emails"), "email", _EMAIL_KEYS)
    urls = _items(get("urls"), "url", _URL_KEYS)
    if emails is None or urls is None:
        return None
    raw = [v for v in (phone_number, whatsapp_id, birthday) if v is not None]
    for number, waid, types in phones[1 if phone_number or whatsapp_id else 0 :]:
        raw.extend(v for v in (number, waid) if v is not None)
        raw.extend(types)
    for value, types in emails:
        raw.append(value)
        raw.extend(types)
    for value, types in urls:
        raw.append(value)
        raw.extend(types)
    if raw and _ODD_RE.search("".join(raw)):
        return None

    lines = ["BEGIN:VCARD", "VERSION:3.0"]
    if (
        last_name is not None
        or first_name is not None
        or middle_name is not None
        or name_prefix is not None
        or name_suffix is not None
    ):
        lines.append(
            "N:"
            + ";".join(
                escape_text(v or "")
                for v in (last_name, first_name, middle_name, name_prefix, name_suffix)
            )
        )
    elif full_name:
        lines.append(f"N:;{escape_text(full_name)};;;")
    if full_name:
        lines.append("FN:" + escape_text(full_name))
    if organization or department:
        org = escape_text(organization or "")
        if department:
            org += ";" + escape_text(department)
        lines.append("ORG:" + org)
    if title:
        lines.append("TITLE:" + escape_text(title))
    for k, (number, waid, types) in enumerate(phones):
        if number is None:
            return None  # VC411: the full path raises it
        head = "TEL" + _type_params(types if (k > 0 or types) else ("CELL", "VOICE"))
        if waid is not None:
            head += f';waid="{waid}"' if _PARAM_QUOTE_RE.search(waid) else f";waid={waid}"
        lines.append(head + ":" + number)
    for value, types in emails:
        head = "EMAIL;type=INTERNET" + _type_params(
            tuple(t for t in types if t.upper() != "INTERNET")
        )
        lines.append(head + ":" + value)
    for value, types in urls:
        lines.append("URL" + _type_params(types) + ":" + value)
    if birthday:
        m = _OMIT_YEAR_RE.fullmatch(birthday)
        if m is not None:
            lines.append(f"BDAY;X-APPLE-OMIT-YEAR=1604:1604-{m.group(1)}-{m.group(2)}")
        else:
            lines.append("BDAY:" + birthday)
    if note:
        lines.append("NOTE:" + escape_text(note))
    lines.append("END:VCARD")
    for line in lines:
        if line[-1] == "=":
            return None  # maybe a QUOTED-PRINTABLE soft break: the full path decides
    text = eol.join(lines) + eol
    if text.isascii() and max(map(len, lines)) <= 75:
        return text
    return "".join(fold(line, eol) for line in lines)


def _items(value: Any, main: str, keys: frozenset[str]) -> list[tuple[str, tuple[str, ...]]] | None:
    """E-mails or URLs as ``from_json`` reads them, or ``None`` for the full path."""
    if value is None:
        return []
    if type(value) is not list:
        return None
    out: list[tuple[str, tuple[str, ...]]] = []
    for item in value:
        if type(item) is not dict or not item.keys() <= keys:
            return None
        text = item.get(main)
        if text is None:
            text = ""
        elif type(text) is not str:
            return None
        types = _types(item.get("type"))
        if types is None:
            return None
        out.append((text, types))
    return out
