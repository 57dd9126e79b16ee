"""The Contact model: frozen, slotted, hashable dataclasses (docs/design.md "The layers").

Tuples, not lists; absent scalars are ``None``, absent lists empty tuples.
Positions are not kept here (they live in the syntax layer), so two equal
cards read from different places compare equal.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from typing import Final

__all__ = ["Address", "Contact", "Email", "Phone", "Url", "is_default_first", "is_plain_phone"]


@dataclass(frozen=True, slots=True)
class Phone:
    """A TEL: its number, its WhatsApp id (``waid``), types, item group, other parameters.

    ``parameters`` holds what the other fields do not express, as
    ``"NAME=value"`` strings in their original order and spelling.
    """

    phone_number: str | None = None
    whatsapp_id: str | None = None
    type: tuple[str, ...] = ()
    group: str | None = None
    parameters: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Email:
    """An EMAIL; ``type`` never lists INTERNET, which every written EMAIL carries."""

    email: str
    type: tuple[str, ...] = ()
    group: str | None = None
    parameters: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Address:
    """An ADR's seven components, an Apple country code (``X-ABADR``), types, group."""

    po_box: str | None = None
    extended_address: str | None = None
    street: str | None = None
    city: str | None = None
    state: str | None = None
    zip: str | None = None
    country: str | None = None
    country_code: str | None = None
    type: tuple[str, ...] = ()
    group: str | None = None
    parameters: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Url:
    """A URL with its types, group and other parameters."""

    url: str
    type: tuple[str, ...] = ()
    group: str | None = None
    parameters: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, init=False)
class Contact:
    """One contact, as docs/design.md "The JSON contact" describes it.

    ``phones`` holds every phone, the first included; ``phone_number`` and
    ``whatsapp_id`` are the first phone's. As in the JSON shape, the
    constructor accepts them as a shorthand for that first phone::

        Contact(full_name="Wawp Support", phone_number="+201111111111",
                whatsapp_id="201111111111")
    """

    full_name: str | None
    first_name: str | None
    last_name: str | None
    middle_name: str | None
    name_prefix: str | None
    name_suffix: str | None
    organization: str | None
    department: str | None
    title: str | None
    phones: tuple[Phone, ...]
    emails: tuple[Email, ...]
    addresses: tuple[Address, ...]
    urls: tuple[Url, ...]
    birthday: str | None
    note: str | None
    vcard: str | None
    extra_properties: tuple[str, ...]

    def __init__(
        self,
        full_name: str | None = None,
        *,
        first_name: str | None = None,
        last_name: str | None = None,
        middle_name: str | None = None,
        name_prefix: str | None = None,
        name_suffix: str | None = None,
        organization: str | None = None,
        department: str | None = None,
        title: str | None = None,
        phone_number: str | None = None,
        whatsapp_id: str | None = None,
        phones: tuple[Phone, ...] | list[Phone] = (),
        emails: tuple[Email, ...] | list[Email] = (),
        addresses: tuple[Address, ...] | list[Address] = (),
        urls: tuple[Url, ...] | list[Url] = (),
        birthday: str | None = None,
        note: str | None = None,
        vcard: str | None = None,
        extra_properties: tuple[str, ...] | list[str] = (),
    ) -> None:
        all_phones = tuple(phones)
        if phone_number is not None or whatsapp_id is not None:
            all_phones = (Phone(phone_number, whatsapp_id), *all_phones)
        # Each field's slot is set directly: the frozen class refuses setattr,
        # and object.__setattr__ costs half as much again (docs/design.md "Speed").
        (
            set_full_name,
            set_first_name,
            set_last_name,
            set_middle_name,
            set_name_prefix,
            set_name_suffix,
            set_organization,
            set_department,
            set_title,
            set_phones,
            set_emails,
            set_addresses,
            set_urls,
            set_birthday,
            set_note,
            set_vcard,
            set_extra_properties,
        ) = _CONTACT_SETTERS
        set_full_name(self, full_name)
        set_first_name(self, first_name)
        set_last_name(self, last_name)
        set_middle_name(self, middle_name)
        set_name_prefix(self, name_prefix)
        set_name_suffix(self, name_suffix)
        set_organization(self, organization)
        set_department(self, department)
        set_title(self, title)
        set_phones(self, all_phones)
        set_emails(self, tuple(emails))
        set_addresses(self, tuple(addresses))
        set_urls(self, tuple(urls))
        set_birthday(self, birthday)
        set_note(self, note)
        set_vcard(self, vcard)
        set_extra_properties(self, tuple(extra_properties))

    @property
    def phone_number(self) -> str | None:
        """The first phone's number, or ``None``."""
        return self.phones[0].phone_number if self.phones else None

    @property
    def whatsapp_id(self) -> str | None:
        """The first phone's WhatsApp id, or ``None``."""
        return self.phones[0].whatsapp_id if self.phones else None

    @property
    def has_structured_name(self) -> bool:
        return not (
            self.last_name is None
            and self.first_name is None
            and self.middle_name is None
            and self.name_prefix is None
            and self.name_suffix is None
        )


_CONTACT_SETTERS: Final = tuple(getattr(Contact, f.name).__set__ for f in fields(Contact))


# The types the writer gives a first phone that has none (as WhatsApp writes
# it); read back, they mean "no type". The one place that says so.
DEFAULT_FIRST_TYPES: Final = ("CELL", "VOICE")


def is_default_first(types: Sequence[str]) -> bool:
    """Whether ``types`` are the first phone's default, in any order and case."""
    return len(types) == 2 and {types[0].upper(), types[1].upper()} == {"CELL", "VOICE"}


def is_plain_phone(phone: Phone) -> bool:
    """The first phone takes the JSON shorthand keys when it is plain: its types
    are the default or none; no group; no extra parameters."""
    plain_types = not phone.type or is_default_first(phone.type)
    return phone.group is None and not phone.parameters and plain_types
