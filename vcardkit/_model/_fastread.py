"""A plain card's rows straight to a Contact, with no object per content line.

The fast half of :func:`vcardkit._model._card.card_to_contact`: it takes the
rows of a :class:`~vcardkit._syntax._fast.FastCard` and maps the lines a
WhatsApp-style card is made of (no group; parameters only ``type`` and
``waid`` on TEL, ``type`` on EMAIL; no ADR). For anything else it returns
``None`` and the caller takes the full path, so both give the same Contact
(``tests/test_fast_path.py`` holds them to it).
"""

from __future__ import annotations

from vcardkit._model._contact import Contact, Email, Phone, Url
from vcardkit._syntax._fast import FastCard
from vcardkit._syntax._values import split_list, split_structured, unescape_text

__all__ = ["fast_contact"]


def _types(section: str, waid_ok: bool) -> tuple[list[str], str | None] | None:
    """TYPE values and the ``waid`` of a parameter section; ``None`` if it holds more."""
    types: list[str] = []
    waid: str | None = None
    for item in section[1:].split(";"):
        name, _, values = item.partition("=")
        upper = name.upper()
        if upper == "TYPE":
            types.extend(v for v in values.split(",") if v != "")
        elif waid_ok and upper == "WAID" and waid is None and "," not in values:
            waid = values
        else:
            return None
    return types, waid


def fast_contact(card: FastCard) -> Contact | None:
    """The Contact of a plain card, or ``None`` when the full path must read it."""
    if card.version == "2.1":
        return None
    full_name: str | None = None
    n_value: str | None = None
    n_raw = ""
    organization: str | None = None
    department: str | None = None
    title: str | None = None
    birthday: str | None = None
    note: str | None = None
    phones: list[Phone] = []
    emails: list[Email] = []
    urls: list[Url] = []
    extras: list[str] = []
    for raw, group, name, section, value in card.rows:
        if group:
            return None
        upper = name.upper()
        if section:
            if upper == "TEL":
                found = _types(section, True)
                if found is None:
                    return None
                phones.append(Phone(value, found[1], tuple(found[0]), None, ()))
                continue
            if upper == "EMAIL":
                found = _types(section, False)
                if found is None:
                    return None
                types = tuple(t for t in found[0] if t.upper() != "INTERNET")
                emails.append(Email(value, types, None, ()))
                continue
            return None
        if upper == "VERSION":
            continue
        if upper == "TEL":
            phones.append(Phone(value, None, (), None, ()))
            continue
        if upper == "EMAIL":
            emails.append(Email(value, (), None, ()))
            continue
        if upper == "URL":
            urls.append(Url(value, (), None, ()))
            continue
        if upper == "ADR":
            return None
        if upper == "FN" and full_name is None:
            text = unescape_text(value)
            if text:
                full_name = text
                continue
        elif upper == "N" and n_value is None:
            n_value = value
            n_raw = raw
            continue
        elif upper == "ORG" and organization is None:
            units = split_structured(value)
            if len(units) == 2 and units[1] == "":
                units = units[:1]  # "ORG:Company;" as WhatsApp writes it
            texts = [unescape_text(u) for u in units]
            if 1 <= len(texts) <= 2 and texts[-1]:
                organization = texts[0] or None
                department = texts[1] if len(texts) == 2 else None
                continue
        elif upper == "TITLE" and title is None:
            text = unescape_text(value)
            if text:
                title = text
                continue
        elif upper == "NOTE" and note is None:
            text = unescape_text(value)
            if text:
                note = text
                continue
        elif upper == "BDAY" and birthday is None and value:
            birthday = value
            continue
        extras.append(raw)

    if phones and phones[0].type and sorted(t.upper() for t in phones[0].type) == ["CELL", "VOICE"]:
        # The writer's default for the first phone reads back as no type.
        phones[0] = Phone(phones[0].phone_number, phones[0].whatsapp_id, (), None, ())

    parts: tuple[str | None, ...] = (None, None, None, None, None)
    if n_value is not None:
        read = _read_n(n_value, full_name)
        if read is None or (
            not any(read) and any(e[:2].upper() == "N:" or e[:2].upper() == "N;" for e in extras)
        ):
            extras.insert(0, n_raw)
        else:
            parts = read
    last_name, first_name, middle_name, name_prefix, name_suffix = parts
    return Contact(
        full_name,
        first_name=first_name,
        last_name=last_name,
        middle_name=middle_name,
        name_prefix=name_prefix,
        name_suffix=name_suffix,
        organization=organization,
        department=department,
        title=title,
        phones=phones,
        emails=emails,
        urls=urls,
        birthday=birthday,
        note=note,
        extra_properties=extras,
    )


def _read_n(value: str, full_name: str | None) -> tuple[str | None, ...] | None:
    """As ``_card._read_n`` for a 3.0 line: the five components, or ``None``."""
    raw = split_structured(value)
    if len(raw) > 5:
        return None
    if any(len(split_list(c)) > 1 for c in raw):
        return None
    texts = [unescape_text(c) for c in raw]
    texts += [""] * (5 - len(texts))
    if not any(texts):
        return None
    if full_name is not None and texts == ["", full_name, "", "", ""]:
        return (None, None, None, None, None)
    return tuple(t or None for t in texts)
