"""Hypothesis strategies for vcardkit's contacts, JSON contacts and cards.

Offered to users for their own tests (install the ``strategies`` extra)::

    from hypothesis import given
    from vcardkit.strategies import contacts

    @given(contacts())
    def test_my_sender_accepts_every_card(contact): ...

:func:`contacts` produces :class:`~vcardkit.Contact` objects in *canonical
form* (docs/design.md "Canonical form and the edges"), so that
``loads(dumps([c])) == [c]`` and ``from_json(to_json([c])) == [c]``; every
text field holds arbitrary Unicode (line breaks, ``,`` ``;`` ``\\`` ``:``,
emoji and ZWJ sequences, CJK, combining marks). :func:`json_contacts` produces
the same contacts in the JSON shape, in any of the spellings docs/design.md
"The JSON contact" accepts. :func:`vcards` produces card text the way other producers write it:
unknown properties, item groups, extra parameters, 2.1 bare parameters.

This module imports hypothesis; ``vcardkit`` itself does not.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, Final

from hypothesis import strategies as st

from vcardkit._model._contact import Address, Contact, Email, Phone, Url, is_plain_phone
from vcardkit.strategies._cards import CardLine, card_lines, vcards
from vcardkit.strategies._pieces import (
    _CANONICAL,
    _COMMON_TYPES,
    _COUNTRY_CODES,
    _DATES,
    _GROUP_NAMES,
    _PARAMETER_LISTS,
    _chance,
    _extra_line,
    _has_internet,
    _is_cell_voice,
    _opt,
    _Strategies,
    group_names,
    parameter_values,
    raw_values,
    texts,
)

__all__ = [
    "CardLine",
    "card_lines",
    "contacts",
    "group_names",
    "json_contacts",
    "parameter_values",
    "raw_values",
    "texts",
    "vcards",
]


@st.composite
def _contact(draw: st.DrawFn, s: _Strategies, *, extras: bool = True) -> Contact:
    used_groups: set[str] = set()

    def group(p: float = 0.3) -> str | None:
        if not _chance(draw, p):
            return None
        name = draw(_GROUP_NAMES)
        n = 1
        while name.upper() in used_groups:  # unique in the card, whatever the case
            name = f"item{n}"
            n += 1
        used_groups.add(name.upper())
        return name

    def params() -> tuple[str, ...]:
        return draw(_PARAMETER_LISTS)

    types_strategy = st.lists(st.one_of(_COMMON_TYPES, s.param), max_size=3).map(tuple)

    def types(exclude: Callable[[tuple[str, ...]], bool] | None = None) -> tuple[str, ...]:
        found = draw(types_strategy)
        if exclude is not None and exclude(found):
            return ()
        return found

    text = s.text
    full_name = _opt(draw, text, 0.85)
    names = [_opt(draw, text, 0.3) for _ in range(5)]
    last_name, first_name, middle_name, name_prefix, name_suffix = names
    if (
        first_name is not None
        and first_name == full_name
        and not any((last_name, middle_name, name_prefix, name_suffix))
    ):
        # docs/design.md "Names": the same card as one with no structured name.
        first_name = None

    phones: list[Phone] = []
    for k in range(draw(st.integers(0, 2))):
        # Now and then an empty TEL value, or an empty waid: what "TEL:" and
        # "waid=" read as, which the JSON carries as "" (docs/design.md "Lossless").
        number = "" if _chance(draw, 0.05) else draw(s.raw)
        waid = "" if _chance(draw, 0.03) else _opt(draw, s.param)
        phones.append(
            Phone(
                number,
                waid,
                types(_is_cell_voice if k == 0 else None),
                group(),
                params(),
            )
        )
    emails = [
        Email(draw(s.raw), types(_has_internet), group(), params())
        for _ in range(draw(st.integers(0, 1)))
    ]
    addresses: list[Address] = []
    for _ in range(draw(st.integers(0, 2))):
        parts = [_opt(draw, text, 0.4) for _ in range(7)]
        code = _opt(draw, _COUNTRY_CODES, 0.4)
        # An address with a country code carries its item group; without one
        # the writer makes one up, and the card read back has it.
        po_box, extended, street, city, state, zip_code, country = parts
        addresses.append(
            Address(
                po_box,
                extended,
                street,
                city,
                state,
                zip_code,
                country,
                code,
                types(),
                group(1.0 if code else 0.3),
                params(),
            )
        )
    urls = [Url(draw(s.raw), types(), group(), params()) for _ in range(draw(st.integers(0, 1)))]
    birthday = _opt(
        draw,
        st.one_of(
            _DATES.map(lambda d: d.isoformat()),
            _DATES.map(lambda d: d.strftime("--%m-%d")),
            st.sampled_from(["--١٢-٣٤", "--02-30", "1604-05-06", "--1-2"]),
            s.raw,
        ),
        0.3,
    )
    extra_properties: list[str] = []
    if extras:
        items: list[Phone | Email | Address | Url] = [*phones, *emails, *addresses, *urls]
        item_groups = [x.group for x in items if x.group is not None]
        for _ in range(draw(st.integers(0, 3))):
            choice = draw(st.integers(0, 2))
            if choice == 1 and item_groups:
                g: str | None = draw(st.sampled_from(item_groups))
            elif choice == 2:
                g = group(1.0)
            else:
                g = None
            extra_properties.append(_extra_line(draw, g))
        extra_properties = _canonical_extra_order(
            extra_properties, [g.upper() for g in item_groups]
        )

    return Contact(
        full_name,
        first_name=first_name,
        last_name=last_name,
        middle_name=middle_name,
        name_prefix=name_prefix,
        name_suffix=name_suffix,
        organization=_opt(draw, text, 0.5),
        department=_opt(draw, text, 0.3),
        title=_opt(draw, text, 0.4),
        phones=phones,
        emails=emails,
        addresses=addresses,
        urls=urls,
        birthday=birthday,
        note=_opt(draw, text, 0.4),
        extra_properties=extra_properties,
    )


_GROUP_OF_RE: Final = re.compile(r"([A-Za-z0-9-]+)\.")


def _canonical_extra_order(extras: list[str], item_groups: list[str]) -> list[str]:
    """The order the canonical card writes extra properties in (docs/design.md
    "The canonical card").

    The extras of an item's group follow that item, items in the order
    phones, emails, addresses, urls; the others come last in their order.
    """

    def group_of(line: str) -> str | None:
        m = _GROUP_OF_RE.match(line)
        return m.group(1).upper() if m else None

    out: list[str] = []
    for g in item_groups:
        out.extend(line for line in extras if group_of(line) == g)
    out.extend(line for line in extras if group_of(line) not in item_groups)
    return out


def contacts() -> st.SearchStrategy[Contact]:
    """Contacts in canonical form, arbitrary Unicode in every text field."""
    return _contact(_CANONICAL)


def _type_json(draw: st.DrawFn, types: tuple[str, ...]) -> dict[str, Any]:
    if not types:
        return {}
    if len(types) == 1 and draw(st.booleans()):
        return {"type": types[0]}
    return {"type": list(types)}


def _item_common(draw: st.DrawFn, item: Phone | Email | Address | Url) -> dict[str, Any]:
    out = _type_json(draw, item.type)
    if item.group is not None:
        out["group"] = item.group
    if item.parameters:
        out["parameters"] = list(item.parameters)
    return out


@st.composite
def _json_contact(draw: st.DrawFn, contact: Contact) -> dict[str, Any]:
    """The JSON shape of docs/design.md "The JSON contact", built here, not by to_json."""
    out: dict[str, Any] = {}
    for key, value in (
        ("fullName", contact.full_name),
        ("firstName", contact.first_name),
        ("lastName", contact.last_name),
        ("middleName", contact.middle_name),
        ("namePrefix", contact.name_prefix),
        ("nameSuffix", contact.name_suffix),
        ("organization", contact.organization),
        ("department", contact.department),
        ("title", contact.title),
    ):
        if value is not None:
            out[key] = value
    phones = list(contact.phones)
    # A plain first phone may use the shorthand keys or be the first item of
    # "phones": both read into the same Contact.
    if phones and is_plain_phone(phones[0]) and draw(st.booleans()):
        first = phones.pop(0)
        if first.phone_number is not None:
            out["phoneNumber"] = first.phone_number
        if first.whatsapp_id is not None:
            out["whatsappId"] = first.whatsapp_id
    if phones:
        items = []
        for p in phones:
            item: dict[str, Any] = {}
            if p.phone_number is not None:
                item["phoneNumber"] = p.phone_number
            if p.whatsapp_id is not None:
                item["whatsappId"] = p.whatsapp_id
            items.append(item | _item_common(draw, p))
        out["phones"] = items
    if contact.emails:
        out["emails"] = [{"email": e.email} | _item_common(draw, e) for e in contact.emails]
    if contact.addresses:
        items = []
        for a in contact.addresses:
            item = {}
            for key, value in (
                ("poBox", a.po_box),
                ("extendedAddress", a.extended_address),
                ("street", a.street),
                ("city", a.city),
                ("state", a.state),
                ("zip", a.zip),
                ("country", a.country),
                ("countryCode", a.country_code),
            ):
                if value is not None:
                    item[key] = value
            items.append(item | _item_common(draw, a))
        out["addresses"] = items
    if contact.urls:
        out["urls"] = [{"url": u.url} | _item_common(draw, u) for u in contact.urls]
    if contact.birthday is not None:
        out["birthday"] = contact.birthday
    if contact.note is not None:
        out["note"] = contact.note
    if contact.extra_properties:
        out["extraProperties"] = list(contact.extra_properties)
    return out


def json_contacts() -> st.SearchStrategy[dict[str, Any]]:
    """JSON contacts (docs/design.md "The JSON contact") of canonical contacts.

    ``type`` is a string or a list, a plain first phone uses the shorthand
    keys or the ``phones`` array: the spellings that read into the same contact.
    """
    return contacts().flatmap(_json_contact)
