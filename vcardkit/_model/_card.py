"""The mapping from a lexed card to a Contact.

Reading follows DESIGN.md "Canonical form and the edges": a property maps to
a field only when the field can carry all of it; otherwise it is kept whole,
as an extra property, and written back (by ``_writer.py``).
"""

from __future__ import annotations

import dataclasses
import re
from typing import Final

from vcardkit._model._contact import Address, Contact, Email, Phone, Url
from vcardkit._model._fastread import fast_contact
from vcardkit._syntax._fast import FastCard
from vcardkit._syntax._lexer import Card, ContentLine, Param
from vcardkit._syntax._values import (
    decode_quoted_printable,
    split_list,
    split_structured,
    unescape_text,
)

__all__ = ["card_to_contact"]

# vCard 2.1 §2.1.2 lets a parameter be written by its value alone: these are
# the values that name an ENCODING or a VALUE; any other is a TYPE.
_BARE_ENCODINGS: Final = frozenset({"QUOTED-PRINTABLE", "BASE64", "8BIT", "7BIT", "B"})
_BARE_VALUES: Final = frozenset({"INLINE", "URL", "CONTENT-ID", "CID"})
_APPLE_NO_YEAR_RE: Final = re.compile(r"1604-([0-9]{2})-([0-9]{2})")
_PARAM_QUOTE_RE: Final = re.compile(r"[;:,]")


class _Line:
    """A content line normalized to 3.0 form: bare 2.1 parameters named, QP decoded."""

    __slots__ = ("converted", "group", "legacy", "name", "params", "upper", "value")

    def __init__(self, line: ContentLine, legacy: bool) -> None:
        self.group = line.group
        self.name = line.name
        self.upper = line.name.upper()
        self.legacy = legacy
        self.converted = False
        params: list[Param] = []
        for p in line.params:
            if p.name is None:
                value = p.values[0]
                upper = value.upper()
                name = (
                    "ENCODING"
                    if upper in _BARE_ENCODINGS
                    else "VALUE"
                    if upper in _BARE_VALUES
                    else "TYPE"
                )
                params.append(Param(name, p.values, p.offset))
                self.converted = True
            else:
                params.append(p)
        value = line.value
        encoding = _find(params, "ENCODING")
        if encoding is not None and encoding.values[0].upper() == "QUOTED-PRINTABLE":
            charset = _find(params, "CHARSET")
            decoded = decode_quoted_printable(value, charset.values[0] if charset else None)
            if decoded is not None:
                value = decoded
                params = [p for p in params if p is not encoding and p is not charset]
                self.converted = True
                # The decoded text is written back as plain 3.0 text, where a
                # line break can only be "\n" (DESIGN.md "Legacy input").
                if "\r" in value or "\n" in value:
                    value = value.replace("\r\n", "\n").replace("\r", "\n")
                    if not legacy:
                        value = value.replace("\n", "\\n")
        charset = _find(params, "CHARSET")
        if charset is not None and charset.values[0].upper() in ("UTF-8", "UTF8"):
            # The file was decoded as UTF-8 already; the parameter says nothing
            # more (and RFC 2426 removed it).
            params = [p for p in params if p is not charset]
        self.params = params
        self.value = value

    def extra(self) -> str:
        """The line as an extra property: unfolded, parameters in their order."""
        value = self.value
        if self.legacy and self.converted and "\n" in value:
            value = value.replace("\n", "\\n")
        head = f"{self.group}.{self.name}" if self.group else self.name
        return head + "".join(_format_param(p) for p in self.params) + ":" + value

    def text(self) -> str:
        return unescape_text(self.value, legacy=self.legacy)


def _find(params: list[Param], name: str) -> Param | None:
    for p in params:
        if p.name is not None and p.name.upper() == name:
            return p
    return None


def _format_param(p: Param) -> str:
    return ";" + _param_string(p)


def _param_string(p: Param) -> str:
    values = ",".join(_quote(v) for v in p.values)
    return f"{p.name}={values}"


def _quote(value: str) -> str:
    return f'"{value}"' if _PARAM_QUOTE_RE.search(value) else value


def _types(params: list[Param]) -> tuple[list[str], list[Param]]:
    types: list[str] = []
    rest: list[Param] = []
    for p in params:
        if p.name is not None and p.name.upper() == "TYPE":
            types.extend(v for v in p.values if v != "")
        else:
            rest.append(p)
    return types, rest


def card_to_contact(card: Card) -> Contact:
    """Map a lexed card to a Contact, keeping what the fields cannot carry."""
    if isinstance(card, FastCard):
        contact = fast_contact(card)
        if contact is not None:
            return contact
    legacy = card.version == "2.1"
    full_name: str | None = None
    n_line: _Line | None = None
    organization: str | None = None
    department: str | None = None
    title: str | None = None
    birthday: str | None = None
    note: str | None = None
    phones: list[Phone] = []
    emails: list[Email] = []
    addresses: list[tuple[Address, str | None]] = []
    urls: list[Url] = []
    extras: list[_Line] = []

    for raw in card.lines:
        line = _Line(raw, legacy)
        name = line.upper
        plain = not line.params and line.group is None
        if name == "VERSION":
            continue
        if name == "TEL":
            phones.append(_read_phone(line))
            continue
        if name == "EMAIL":
            types, rest = _types(line.params)
            types = [t for t in types if t.upper() != "INTERNET"]
            emails.append(Email(line.value, tuple(types), line.group, _param_strings(rest)))
            continue
        if name == "URL":
            types, rest = _types(line.params)
            urls.append(Url(line.value, tuple(types), line.group, _param_strings(rest)))
            continue
        if name == "ADR":
            address = _read_address(line)
            if address is not None:
                addresses.append((address, line.group))
                continue
        elif plain and name == "FN" and full_name is None:
            text = line.text()
            if text:
                full_name = text
                continue
        elif plain and name == "N" and n_line is None:
            n_line = line
            continue
        elif plain and name == "ORG" and organization is None:
            units = split_structured(line.value)
            if len(units) == 2 and units[1] == "":
                units = units[:1]  # "ORG:Company;" as WhatsApp writes it
            texts = [unescape_text(u, legacy=legacy) for u in units]
            # "ORG:;Billing" is a department with no organization: the fields
            # carry it (the writer writes it so), so it is mapped, not kept.
            if 1 <= len(texts) <= 2 and texts[-1]:
                organization = texts[0] or None
                department = texts[1] if len(texts) == 2 else None
                continue
        elif plain and name == "TITLE" and title is None:
            text = line.text()
            if text:
                title = text
                continue
        elif plain and name == "NOTE" and note is None:
            text = line.text()
            if text:
                note = text
                continue
        elif name == "BDAY" and birthday is None and line.group is None:
            if plain and line.value:
                birthday = line.value
                continue
            if (
                len(line.params) == 1
                and (line.params[0].name or "").upper() == "X-APPLE-OMIT-YEAR"
                and line.params[0].values == ("1604",)
            ):
                m = _APPLE_NO_YEAR_RE.fullmatch(line.value)
                if m is not None:
                    birthday = f"--{m.group(1)}-{m.group(2)}"
                    continue
        extras.append(line)

    if phones and phones[0].type and _is_default_first(phones[0].type):
        # The writer's default for the first phone reads back as no type.
        first = phones[0]
        phones[0] = Phone(first.phone_number, first.whatsapp_id, (), first.group, first.parameters)

    first_name = last_name = middle_name = name_prefix = name_suffix = None
    if n_line is not None:
        parts = _read_n(n_line, full_name)
        if parts is None or (
            not any(parts) and any(line.upper == "N" and line.group is None for line in extras)
        ):
            # Kept whole: an N the fields cannot carry, or the fallback N of a
            # card that has another N (which would read as the name next time).
            extras.insert(0, n_line)
        else:
            last_name, first_name, middle_name, name_prefix, name_suffix = parts

    # Apple's country code: itemN.X-ABADR beside an itemN.ADR.
    final_addresses: list[Address] = []
    if addresses:
        codes: dict[str, _Line] = {}
        for line in extras:
            if line.upper == "X-ABADR" and line.group and not line.params:
                codes.setdefault(line.group.upper(), line)
        used: set[int] = set()
        for address, group in addresses:
            code_line = codes.pop(group.upper(), None) if group else None
            value = code_line.value if code_line is not None else ""
            if code_line is not None and value and value == value.lower() and value.isalpha():
                address = dataclasses.replace(address, country_code=value.upper())
                used.add(id(code_line))
            final_addresses.append(address)
        extras = [line for line in extras if id(line) not in used]
    extras = _writer_order(extras, phones, emails, final_addresses, urls)

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
        extra_properties=[line.extra() for line in extras],
    )


def _writer_order(
    extras: list[_Line],
    phones: list[Phone],
    emails: list[Email],
    addresses: list[Address],
    urls: list[Url],
) -> list[_Line]:
    """Extras in the order the writer puts them, so that a second trip is the same.

    The writer puts an extra of an item group right after the first field
    property of that group (phones, then e-mails, addresses, URLs), and the
    others after every field, in their order (DESIGN.md "The canonical card").
    """
    if not any(line.group for line in extras):
        return extras
    ordered: list[_Line] = []
    taken: set[int] = set()
    items: list[Phone | Email | Address | Url] = [*phones, *emails, *addresses, *urls]
    for item in items:
        if item.group is None:
            continue
        group = item.group.upper()
        for line in extras:
            if id(line) not in taken and line.group is not None and line.group.upper() == group:
                ordered.append(line)
                taken.add(id(line))
    ordered.extend(line for line in extras if id(line) not in taken)
    return ordered


def _is_default_first(types: tuple[str, ...]) -> bool:
    return sorted(t.upper() for t in types) == ["CELL", "VOICE"]


def _param_strings(params: list[Param]) -> tuple[str, ...]:
    return tuple(_param_string(p) for p in params)


def _read_phone(line: _Line) -> Phone:
    types, rest = _types(line.params)
    waid: str | None = None
    others: list[Param] = []
    for p in rest:
        if waid is None and (p.name or "").upper() == "WAID" and len(p.values) == 1:
            waid = p.values[0]
        else:
            others.append(p)
    return Phone(line.value, waid, tuple(types), line.group, _param_strings(others))


def _read_n(line: _Line, full_name: str | None) -> tuple[str | None, ...] | None:
    """N's five components, or ``None`` when N must stay whole as an extra.

    ``N:;<fullName>;;;`` is the fallback the writer makes: it reads back as no
    structured name (DESIGN.md "Names").
    """
    raw = split_structured(line.value)
    if len(raw) > 5:
        return None
    if not line.legacy and any(len(split_list(c)) > 1 for c in raw):
        return None  # a comma list: no field carries it
    texts = [unescape_text(c, legacy=line.legacy) for c in raw]
    texts += [""] * (5 - len(texts))
    if not any(texts):
        return None
    if full_name is not None and texts == ["", full_name, "", "", ""]:
        return (None, None, None, None, None)
    return tuple(t or None for t in texts)


def _read_address(line: _Line) -> Address | None:
    raw = split_structured(line.value)
    if len(raw) > 7:
        return None
    texts = [unescape_text(c, legacy=line.legacy) or None for c in raw]
    texts += [None] * (7 - len(texts))
    types, rest = _types(line.params)
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
        line.group,
        _param_strings(rest),
    )
