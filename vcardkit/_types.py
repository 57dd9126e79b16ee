"""Static types of the public API: the JSON contact as TypedDicts, option values as Literals.

They describe for a type checker what ``contacts.schema.json`` describes for
a JSON validator, and :data:`~vcardkit._model._json.CONTACT_KEYS` and its
sibling tables for the reader: the keys of docs/design.md "The JSON contact".
``tests/test_typing.py`` fails when a key is in one and not the others.

Every key is optional (``total=False``) and may be ``None``: ``from_json``
and ``validate`` read a ``null`` (and an empty string) as an absent field,
and the schema accepts it. That a contact needs a ``fullName`` unless it has
a ``vcard`` is the schema's and VC605's business; a TypedDict cannot say it.
"""

from __future__ import annotations

from typing import Literal, TypedDict

__all__ = [
    "AddressDict",
    "ContactDict",
    "EmailDict",
    "PhoneDict",
    "ProfileName",
    "SeverityName",
    "UrlDict",
]

ProfileName = Literal["whatsapp", "rfc2426"]
"""The ``profile`` option: every rule, or only the RFC conformance rules."""

SeverityName = Literal["error", "warning", "info"]
"""A severity as the ``severity`` option spells it (``Severity`` is the enum)."""


class PhoneDict(TypedDict, total=False):
    """An item of ``phones``: a TEL."""

    phoneNumber: str | None
    whatsappId: str | None
    type: str | list[str] | None
    group: str | None
    parameters: list[str] | None


class EmailDict(TypedDict, total=False):
    """An item of ``emails``: an EMAIL."""

    email: str | None
    type: str | list[str] | None
    group: str | None
    parameters: list[str] | None


class AddressDict(TypedDict, total=False):
    """An item of ``addresses``: an ADR (``countryCode`` as Apple's ``X-ABADR``)."""

    poBox: str | None
    extendedAddress: str | None
    street: str | None
    city: str | None
    state: str | None
    zip: str | None
    country: str | None
    countryCode: str | None
    type: str | list[str] | None
    group: str | None
    parameters: list[str] | None


class UrlDict(TypedDict, total=False):
    """An item of ``urls``: a URL."""

    url: str | None
    type: str | list[str] | None
    group: str | None
    parameters: list[str] | None


class ContactDict(TypedDict, total=False):
    """A JSON contact (docs/design.md "The JSON contact"), as ``from_json`` reads it.

    ``to_json`` writes the same shape, with ``type`` always a list and no
    ``None``: empty fields are left out.
    """

    fullName: str | None
    firstName: str | None
    lastName: str | None
    middleName: str | None
    namePrefix: str | None
    nameSuffix: str | None
    organization: str | None
    department: str | None
    title: str | None
    phoneNumber: str | None
    whatsappId: str | None
    phones: list[PhoneDict] | None
    emails: list[EmailDict] | None
    addresses: list[AddressDict] | None
    urls: list[UrlDict] | None
    birthday: str | None
    note: str | None
    vcard: str | None
    extraProperties: list[str] | None
