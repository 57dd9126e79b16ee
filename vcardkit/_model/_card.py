"""The mapping from a card (its rows) to a Contact.

Reading follows docs/design.md "Canonical form and the edges": a property maps to
a field only when the field can carry all of it; otherwise it is kept whole,
as an extra property, and written back (by ``_writer.py``).
"""

from __future__ import annotations

import dataclasses
import re
from typing import Final

from vcardkit._model._contact import Address, Contact, Email, Phone, Url, is_default_first
from vcardkit._syntax._grammar import BARE_ENCODINGS
from vcardkit._syntax._lines import quote_param_value
from vcardkit._syntax._reader import Card, Param, split_params
from vcardkit._syntax._values import (
    decode_quoted_printable,
    split_list,
    split_structured,
    unescape_text,
)

__all__ = ["card_to_contact"]

# vCard 2.1 §2.1.2: a bare parameter value that names a VALUE (the ones that
# name an ENCODING are the grammar's); any other is a TYPE.
_BARE_VALUES: Final = frozenset({"INLINE", "URL", "CONTENT-ID", "CID"})
_APPLE_NO_YEAR_RE: Final = re.compile(r"1604-([0-9]{2})-([0-9]{2})")


def _normalized(section: str, value: str, legacy: bool) -> tuple[list[Param], str, bool]:
    """A row's parameters and value in 3.0 form: bare 2.1 parameters named, QP decoded.

    Returns the parameters, the value and whether anything was converted.
    """
    parsed, _ = split_params(section, 0)  # a row's parameters are well formed
    converted = False
    params: list[Param] = []
    for p in parsed:
        if p.name is None:
            upper = p.values[0].upper()
            name = (
                "ENCODING"
                if upper in BARE_ENCODINGS
                else "VALUE"
                if upper in _BARE_VALUES
                else "TYPE"
            )
            params.append(Param(name, p.values, p.offset))
            converted = True
        else:
            params.append(p)
    encoding = _find(params, "ENCODING")
    if encoding is not None and encoding.values[0].upper() == "QUOTED-PRINTABLE":
        charset = _find(params, "CHARSET")
        decoded = decode_quoted_printable(value, charset.values[0] if charset else None)
        if decoded is not None:
            value = decoded
            params = [p for p in params if p is not encoding and p is not charset]
            converted = True
            # The decoded text is written back as plain 3.0 text, where a
            # line break can only be "\n" (docs/design.md "Legacy input").
            if "\r" in value or "\n" in value:
                value = value.replace("\r\n", "\n").replace("\r", "\n")
                if not legacy:
                    value = value.replace("\n", "\\n")
    charset = _find(params, "CHARSET")
    if charset is not None and charset.values[0].upper() in ("UTF-8", "UTF8"):
        # The file was decoded as UTF-8 already; the parameter says nothing
        # more (and RFC 2426 removed it).
        params = [p for p in params if p is not charset]
    return params, value, converted


def _extra(group: str, name: str, params: list[Param], value: str) -> str:
    """A line as an extra property: unfolded, parameters in their order."""
    head = f"{group}.{name}" if group else name
    return head + "".join(";" + _param_string(p) for p in params) + ":" + value


def _find(params: list[Param], name: str) -> Param | None:
    for p in params:
        if p.name is not None and p.name.upper() == name:
            return p
    return None


def _param_string(p: Param) -> str:
    values = ",".join(quote_param_value(v) for v in p.values)
    return f"{p.name}={values}"


def _types(params: list[Param]) -> tuple[list[str], list[Param]]:
    types: list[str] = []
    rest: list[Param] = []
    for p in params:
        if p.name is not None and p.name.upper() == "TYPE":
            types.extend(v for v in p.values if v != "")
        else:
            rest.append(p)
    return types, rest


def _text(value: str, legacy: bool) -> str:
    return unescape_text(value, legacy=legacy) if "\\" in value else value


def card_to_contact(card: Card, rows: dict[str, int] | None = None) -> Contact:
    """Map a card's rows to a Contact, keeping what the fields cannot carry.

    The one mapping: ``loads`` returns it and the rules check it. A row with
    no parameters in a 3.0 card (most of them) is read as it is; only rows
    with parameters, or of a 2.1 card, are normalized first. ``rows``, when
    given, gets the index of the row each of ``FN`` and ``ORG`` came from
    (phones, e-mails and URLs come from every TEL, EMAIL and URL row, in
    order), so that the rules can point at them.
    """
    legacy = card.version == "2.1"
    full_name: str | None = None
    n_value: str | None = None
    n_extra = ""
    organization: str | None = None
    department: str | None = None
    title: str | None = None
    birthday: str | None = None
    note: str | None = None
    phones: list[Phone] = []
    emails: list[Email] = []
    addresses: list[tuple[Address, str]] = []
    urls: list[Url] = []
    # (group as written or "", name in upper case, has no parameters, text).
    extras: list[tuple[str, str, bool, str]] = []

    for k, (raw, group, name, section, value) in enumerate(card.rows):
        upper = name.upper()
        if upper == "VERSION":
            continue
        if section and not legacy and (upper == "TEL" or upper == "EMAIL") and '"' not in section:
            # The common TEL and EMAIL of a WhatsApp-style card: only TYPE and
            # one waid, read straight from the section; anything else takes
            # the general path below.
            types: list[str] = []
            waid: str | None = None
            for item in section[1:].split(";"):
                pname, eq, joined = item.partition("=")
                pname = pname.upper()
                if pname == "TYPE" and eq:
                    if "," in joined:
                        types.extend(v for v in joined.split(",") if v)
                    elif joined:
                        types.append(joined)
                elif pname == "WAID" and eq and waid is None and upper == "TEL":
                    waid, _, more = joined.partition(",")
                    if more:
                        break
                else:
                    break
            else:
                if upper == "TEL":
                    if not phones and is_default_first(types):
                        types = []  # the writer's default for the first phone
                    phones.append(Phone(value, waid, tuple(types), group or None, ()))
                else:
                    types = [t for t in types if t.upper() != "INTERNET"]
                    emails.append(Email(value, tuple(types), group or None, ()))
                continue
        if section or legacy:
            params, value, converted = _normalized(section, value, legacy)
            text = _extra(group, name, params, value)
            if legacy and converted and "\n" in value:
                text = _extra(group, name, params, value.replace("\n", "\\n"))
        else:
            params = []
            text = raw
        plain = not params and not group
        if upper == "TEL":
            phones.append(_read_phone(params, value, group))
            continue
        if upper == "EMAIL":
            types, rest = _types(params)
            types = [t for t in types if t.upper() != "INTERNET"]
            emails.append(Email(value, tuple(types), group or None, _param_strings(rest)))
            continue
        if upper == "URL":
            types, rest = _types(params)
            urls.append(Url(value, tuple(types), group or None, _param_strings(rest)))
            continue
        if upper == "ADR":
            address = _read_address(params, value, group, legacy)
            if address is not None:
                addresses.append((address, group))
                continue
        elif not plain:
            if (
                upper == "BDAY"
                and birthday is None
                and not group
                and len(params) == 1
                and (params[0].name or "").upper() == "X-APPLE-OMIT-YEAR"
                and params[0].values == ("1604",)
            ):
                m = _APPLE_NO_YEAR_RE.fullmatch(value)
                if m is not None:
                    birthday = f"--{m.group(1)}-{m.group(2)}"
                    continue
        elif upper == "FN":
            if full_name is None:
                full = _text(value, legacy)
                if full:
                    full_name = full
                    if rows is not None:
                        rows["FN"] = k
                    continue
        elif upper == "N":
            if n_value is None:
                n_value = value
                n_extra = text
                continue
        elif upper == "ORG":
            if organization is None and department is None:
                units = split_structured(value)
                if len(units) == 2 and units[1] == "":
                    units = units[:1]  # "ORG:Company;" as WhatsApp writes it
                texts = [_text(u, legacy) for u in units]
                # "ORG:;Billing" is a department with no organization: the
                # fields carry it (the writer writes it so), so it is mapped.
                if 1 <= len(texts) <= 2 and texts[-1]:
                    organization = texts[0] or None
                    department = texts[1] if len(texts) == 2 else None
                    if rows is not None:
                        rows["ORG"] = k
                    continue
        elif upper == "TITLE":
            if title is None:
                title = _text(value, legacy) or None
                if title:
                    continue
        elif upper == "NOTE":
            if note is None:
                note = _text(value, legacy) or None
                if note:
                    continue
        elif upper == "BDAY" and birthday is None and value:
            birthday = value
            continue
        extras.append((group, upper, not params, text))

    if phones and phones[0].type and is_default_first(phones[0].type):
        # The writer's default for the first phone reads back as no type.
        first = phones[0]
        phones[0] = Phone(first.phone_number, first.whatsapp_id, (), first.group, first.parameters)

    first_name = last_name = middle_name = name_prefix = name_suffix = None
    if n_value is not None:
        parts = _read_n(n_value, full_name, legacy)
        if parts is None or (not any(parts) and any(u == "N" and not g for g, u, _, _ in extras)):
            # Kept whole: an N the fields cannot carry, or the fallback N of a
            # card that has another N (which would read as the name next time).
            extras.insert(0, ("", "N", True, n_extra))
        else:
            last_name, first_name, middle_name, name_prefix, name_suffix = parts

    # Apple's country code: itemN.X-ABADR beside an itemN.ADR.
    final_addresses: list[Address] = []
    if addresses:
        codes: dict[str, int] = {}
        for k, (group, upper, bare, _) in enumerate(extras):
            if upper == "X-ABADR" and group and bare:
                codes.setdefault(group.upper(), k)
        used: set[int] = set()
        for address, group in addresses:
            k = codes.pop(group.upper(), -1) if group else -1
            value = extras[k][3].partition(":")[2] if k >= 0 else ""
            if k >= 0 and value and value == value.lower() and value.isalpha():
                address = dataclasses.replace(address, country_code=value.upper())
                used.add(k)
            final_addresses.append(address)
        if used:
            extras = [e for k, e in enumerate(extras) if k not in used]

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
        addresses=final_addresses,
        urls=urls,
        birthday=birthday,
        note=note,
        extra_properties=_writer_order(extras, phones, emails, final_addresses, urls),
    )


def _writer_order(
    extras: list[tuple[str, str, bool, str]],
    phones: list[Phone],
    emails: list[Email],
    addresses: list[Address],
    urls: list[Url],
) -> list[str]:
    """Extras in the order the writer puts them, so that a second trip is the same.

    The writer puts an extra of an item group right after the first field
    property of that group (phones, then e-mails, addresses, URLs), and the
    others after every field, in their order (docs/design.md "The canonical card").
    """
    by_group: dict[str, list[str]] = {}
    for group, _, _, text in extras:
        if group:
            by_group.setdefault(group.upper(), []).append(text)
    if not by_group:
        return [text for _, _, _, text in extras]
    ordered: list[str] = []
    items: list[Phone | Email | Address | Url] = [*phones, *emails, *addresses, *urls]
    for item in items:
        if item.group is not None:
            ordered.extend(by_group.pop(item.group.upper(), ()))
    for group, _, _, text in extras:
        if not group or group.upper() in by_group:
            ordered.append(text)
    return ordered


def _param_strings(params: list[Param]) -> tuple[str, ...]:
    return tuple(_param_string(p) for p in params)


def _read_phone(params: list[Param], value: str, group: str) -> Phone:
    """A TEL: its types, and its waid, the first value of its first ``waid``.

    Other ``waid`` values stay among its parameters, for ``loads``, the rules
    and ``preview`` alike.
    """
    types: list[str] = []
    waid: str | None = None
    others: list[Param] = []
    for p in params:
        upper = (p.name or "").upper()
        if upper == "TYPE":
            types.extend(v for v in p.values if v != "")
        elif waid is None and upper == "WAID":
            waid = p.values[0]
            if len(p.values) > 1:
                others.append(Param(p.name, p.values[1:], p.offset))
        else:
            others.append(p)
    return Phone(value, waid, tuple(types), group or None, _param_strings(others))


def _read_n(value: str, full_name: str | None, legacy: bool) -> tuple[str | None, ...] | None:
    """N's five components, or ``None`` when N must stay whole as an extra.

    ``N:;<fullName>;;;`` is the fallback the writer makes: it reads back as no
    structured name (docs/design.md "Names").
    """
    raw = split_structured(value)
    if len(raw) > 5:
        return None
    if "\\" not in value:
        if not legacy and "," in value:
            return None  # a comma list: no field carries it
        texts = raw
    elif not legacy and any(len(split_list(c)) > 1 for c in raw):
        return None
    else:
        texts = [unescape_text(c, legacy=legacy) for c in raw]
    texts += [""] * (5 - len(texts))
    if not any(texts):
        return None
    if full_name is not None and texts == ["", full_name, "", "", ""]:
        return (None, None, None, None, None)
    return tuple(t or None for t in texts)


def _read_address(params: list[Param], value: str, group: str, legacy: bool) -> Address | None:
    raw = split_structured(value)
    if len(raw) > 7:
        return None
    texts = [unescape_text(c, legacy=legacy) or None for c in raw]
    texts += [None] * (7 - len(texts))
    types, rest = _types(params)
    return Address(
        texts[0],
        texts[1],
        texts[2],
        texts[3],
        texts[4],
        texts[5],
        texts[6],
        None,
        tuple(types),
        group or None,
        _param_strings(rest),
    )
