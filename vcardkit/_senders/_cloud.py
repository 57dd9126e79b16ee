"""The Meta WhatsApp Cloud API contacts object, both ways.

The shape is the ``contacts`` array of a ``type: "contacts"`` message (what
``POST /<PHONE_NUMBER_ID>/messages`` takes) and of the contacts message an
incoming webhook delivers: ``name``, ``phones``, ``emails``, ``urls``,
``addresses``, ``org``, ``birthday``.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, Final

from vcardkit._errors import VCardError
from vcardkit._model._contact import Address, Contact, Email, Phone, Url, is_default_first
from vcardkit._senders._common import (
    DIGITS_RE,
    Contacts,
    Target,
    as_array,
    as_object,
    as_text,
    check_keys,
    decode,
    targets,
)

__all__ = ["from_cloud_api", "to_cloud_api"]

_SHAPE: Final = "the Cloud API contacts object"

# The types the Cloud API documents, one per item.
PHONE_TYPES: Final = frozenset({"CELL", "MAIN", "IPHONE", "HOME", "WORK"})
OTHER_TYPES: Final = frozenset({"HOME", "WORK"})

_CONTACT_KEYS: Final = ("name", "phones", "emails", "urls", "addresses", "org", "birthday")
# name key -> Contact attribute; the order is Meta's.
_NAME_KEYS: Final = {
    "formatted_name": "full_name",
    "first_name": "first_name",
    "last_name": "last_name",
    "middle_name": "middle_name",
    "suffix": "name_suffix",
    "prefix": "name_prefix",
}
_ORG_KEYS: Final = {"company": "organization", "department": "department", "title": "title"}
_PHONE_KEYS: Final = ("phone", "type", "wa_id")
_EMAIL_KEYS: Final = ("email", "type")
_URL_KEYS: Final = ("url", "type")
# Cloud API address key -> Address attribute.
_ADDRESS_KEYS: Final = {
    "street": "street",
    "city": "city",
    "state": "state",
    "zip": "zip",
    "country": "country",
    "country_code": "country_code",
}
_ISO_DATE_RE: Final = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def to_cloud_api(contacts: Contacts, /, *, lossy: bool = False) -> list[dict[str, Any]]:
    """The ``contacts`` array of a Cloud API ``type: "contacts"`` message.

    ``contacts`` is what :func:`vcardkit.dumps` takes (``Contact`` objects or
    JSON contact mappings); a contact given as a ``vcard`` string is read
    into its fields first.

    The name: ``formatted_name`` is the full name, and Meta refuses a ``name``
    with nothing beside it, so the structured name fills the other fields,
    or, with none, ``first_name`` is the full name (the same card:
    vCard's ``N:;<fullName>;;;`` fallback). A contact with no full name raises
    :class:`VCardError` at ``/i/fullName``, whatever ``lossy`` says: the shape
    requires one and vcardkit does not make one up.

    A first phone with no type (the writer's ``CELL,VOICE`` default) is
    ``CELL``, which reads back as that default: nothing is lost.

    The shape cannot carry, so these raise :class:`VCardError` at their
    pointer, or are dropped with ``lossy=True``:

    - ``note``, ``extraProperties``;
    - ``poBox`` and ``extendedAddress`` of an address;
    - ``group`` and ``parameters`` of a phone, e-mail, address or URL;
    - a type other than one of ``CELL``, ``MAIN``, ``IPHONE``, ``HOME``,
      ``WORK`` for a phone, or ``HOME``, ``WORK`` for an e-mail, address or
      URL (``FAX``, ``pref``, two types at once); the item stays, untyped;
    - a ``whatsappId`` that is not digits only (``wa_id`` is a WhatsApp id,
      not a JID);
    - a ``birthday`` that is not a ``YYYY-MM-DD`` date (``--04-15``, with
      no year, included).
    """
    return [
        _contact_to_cloud(t) for t in targets(contacts, "to_cloud_api", shape=_SHAPE, lossy=lossy)
    ]


def _type(
    t: Target, types: tuple[str, ...], allowed: frozenset[str], key: str, what: str
) -> str | None:
    if not types:
        return None
    if len(types) == 1 and types[0].upper() in allowed:
        # TYPE values are case-insensitive (RFC 2426 §4); Meta documents upper case.
        return types[0].upper()
    names = ", ".join(sorted(allowed))
    t.lose(key, f"the {what} type {','.join(types)!r}", f"its {what} types are {names}, one each")
    return None


def _contact_to_cloud(t: Target) -> dict[str, Any]:
    c = t.contact
    if c.full_name is None:
        raise t.fail(
            "/fullName",
            f"{_SHAPE} requires name.formatted_name, and the contact has no fullName",
        )
    name: dict[str, str] = {"formatted_name": c.full_name}
    for key, attr in _NAME_KEYS.items():
        value = getattr(c, attr)
        if attr != "full_name" and value is not None:
            name[key] = value
    if len(name) == 1:
        # Meta requires a name field beside formatted_name: the full name as
        # the given name is vCard's own fallback (N:;<fullName>;;;).
        name["first_name"] = c.full_name

    org = {key: getattr(c, attr) for key, attr in _ORG_KEYS.items() if getattr(c, attr)}

    phones: list[dict[str, str]] = []
    for k, p in enumerate(c.phones):
        key = t.phone_key(k)
        phone: dict[str, str] = {}
        if p.phone_number is not None:
            phone["phone"] = p.phone_number
        if p.whatsapp_id is not None:
            if DIGITS_RE.fullmatch(p.whatsapp_id):
                phone["wa_id"] = p.whatsapp_id
            else:
                t.lose(
                    key + "/whatsappId",
                    f"the WhatsApp id {p.whatsapp_id!r}",
                    "wa_id is digits only (a JID suffix or a '+' is not a WhatsApp id)",
                )
        if k == 0 and (not p.type or is_default_first(p.type)):
            # The writer's CELL,VOICE default; VOICE is TEL's own default
            # (RFC 2426 §3.3.1), so CELL says the same.
            phone_type: str | None = "CELL"
        else:
            phone_type = _type(t, p.type, PHONE_TYPES, key + "/type", "phone")
            if phone_type is None and k == 0:
                phone_type = "CELL"  # the type dropped: the first phone's default
        if phone_type is not None:
            phone["type"] = phone_type
        _item_extras(t, p, key)
        phones.append({k2: phone[k2] for k2 in _PHONE_KEYS if k2 in phone})

    emails: list[dict[str, str]] = []
    for k, e in enumerate(c.emails):
        key = f"/emails/{k}"
        email = {"email": e.email}
        # Every EMAIL is written with type=INTERNET: it says nothing.
        types = tuple(x for x in e.type if x.upper() != "INTERNET")
        email_type = _type(t, types, OTHER_TYPES, key + "/type", "e-mail")
        if email_type is not None:
            email["type"] = email_type
        _item_extras(t, e, key)
        emails.append(email)

    addresses: list[dict[str, str]] = []
    for k, a in enumerate(c.addresses):
        key = f"/addresses/{k}"
        if a.po_box is not None:
            t.lose(key + "/poBox", f"the post office box {a.po_box!r}", "addresses have no PO box")
        if a.extended_address is not None:
            t.lose(
                key + "/extendedAddress",
                f"the extended address {a.extended_address!r}",
                "addresses have no extended address",
            )
        address = {
            cloud: getattr(a, attr)
            for cloud, attr in _ADDRESS_KEYS.items()
            if getattr(a, attr) is not None
        }
        address_type = _type(t, a.type, OTHER_TYPES, key + "/type", "address")
        if address_type is not None:
            address["type"] = address_type
        _item_extras(t, a, key)
        addresses.append(address)

    urls: list[dict[str, str]] = []
    for k, u in enumerate(c.urls):
        key = f"/urls/{k}"
        url = {"url": u.url}
        url_type = _type(t, u.type, OTHER_TYPES, key + "/type", "URL")
        if url_type is not None:
            url["type"] = url_type
        _item_extras(t, u, key)
        urls.append(url)

    birthday = c.birthday
    if birthday is not None and not _is_iso_date(birthday):
        t.lose(
            "/birthday",
            f"the birthday {birthday!r}",
            "birthday is a YYYY-MM-DD date, with a year",
        )
        birthday = None
    if c.note is not None:
        t.lose("/note", f"the note {c.note!r}", "it has no note field")
    if c.extra_properties:
        t.lose(
            "/extraProperties",
            f"the extra properties {list(c.extra_properties)!r}",
            "it has no field for other vCard properties",
        )

    out: dict[str, Any] = {"name": name}
    if phones:
        out["phones"] = phones
    if emails:
        out["emails"] = emails
    if urls:
        out["urls"] = urls
    if addresses:
        out["addresses"] = addresses
    if org:
        out["org"] = org
    if birthday is not None:
        out["birthday"] = birthday
    return out


def _item_extras(t: Target, item: Phone | Email | Address | Url, key: str) -> None:
    if item.group is not None:
        t.lose(key + "/group", f"the item group {item.group!r}", "its items have no group")
    if item.parameters:
        t.lose(
            key + "/parameters",
            f"the parameters {list(item.parameters)!r}",
            "its items have a type and nothing else",
        )


def _is_iso_date(value: str) -> bool:
    if _ISO_DATE_RE.fullmatch(value) is None:
        return False
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        return False  # 2023-02-30
    return True


def from_cloud_api(data: Any, /) -> list[Contact]:
    """Contacts from the Cloud API shape.

    ``data`` is the ``contacts`` array (decoded, or JSON text or bytes), one
    contact object, the whole message object (``{"type": "contacts",
    "contacts": [...]}``, sent or received), or a webhook notification
    (``{"object": ..., "entry": [...]}``) or its ``value``: then the
    contacts of every ``type: "contacts"`` message in it, in order (the
    ``contacts`` beside the messages there are the senders' profiles, not
    cards).

    Keys are read strictly: an unknown key or a value of the wrong JSON type
    raises :class:`VCardError` with its pointer, nothing is dropped. The
    first phone's ``CELL`` reads as no type (the writer's default, written
    ``CELL,VOICE``); a ``name`` whose only field beside ``formatted_name``
    is a ``first_name`` equal to it reads as no structured name (docs/design.md
    "Names"); country codes read upper-cased, as from a card.
    """
    data = decode(data)
    return [_contact_from_cloud(obj, pointer) for obj, pointer in _cloud_contacts(data)]


def _cloud_contacts(data: Any) -> Iterator[tuple[Any, str]]:
    """Each contact object of ``data`` with its pointer."""
    if isinstance(data, Mapping):
        if "entry" in data:
            for i, entry in enumerate(as_array(data["entry"], "/entry")):
                entry_p = f"/entry/{i}"
                changes = as_object(entry, entry_p).get("changes", [])
                for j, change in enumerate(as_array(changes, f"{entry_p}/changes")):
                    change_p = f"{entry_p}/changes/{j}"
                    value = as_object(change, change_p).get("value", {})
                    yield from _webhook_value(value, f"{change_p}/value")
            return
        if "messages" in data:
            yield from _webhook_value(data, "")
            return
        if "contacts" in data or data.get("type") == "contacts":
            yield from _message(data, "")
            return
        yield data, ""  # one contact object
        return
    for i, item in enumerate(as_array(data, "", "an array of contact objects")):
        yield item, f"/{i}"


def _webhook_value(value: Any, pointer: str) -> Iterator[tuple[Any, str]]:
    messages = as_object(value, pointer).get("messages", [])
    for k, message in enumerate(as_array(messages, f"{pointer}/messages")):
        message_p = f"{pointer}/messages/{k}"
        if as_object(message, message_p).get("type") == "contacts":
            yield from _message(message, message_p)


def _message(message: Mapping[str, Any], pointer: str) -> Iterator[tuple[Any, str]]:
    kind = message.get("type", "contacts")
    if kind != "contacts":
        raise VCardError(
            f"a contacts message has type 'contacts', not {kind!r}",
            pointer=f"{pointer}/type",
            code="VC604",
        )
    contacts = as_array(
        message.get("contacts"), f"{pointer}/contacts", "an array of contact objects"
    )
    for i, item in enumerate(contacts):
        yield item, f"{pointer}/contacts/{i}"


def _items(obj: Mapping[str, Any], key: str, pointer: str) -> Sequence[Any]:
    value = obj.get(key)
    if value is None:
        return ()
    return as_array(value, f"{pointer}/{key}", "an array of objects")


def _types(obj: Mapping[str, Any], pointer: str) -> tuple[str, ...]:
    value = as_text(obj, "type", pointer)
    return (value,) if value is not None else ()


def _contact_from_cloud(obj: Any, pointer: str) -> Contact:
    obj = as_object(obj, pointer, "a contact object")
    check_keys(obj, _CONTACT_KEYS, pointer, "a Cloud API contact")
    kwargs: dict[str, Any] = {}

    if obj.get("name") is not None:
        name_p = f"{pointer}/name"
        name = as_object(obj["name"], name_p)
        check_keys(name, tuple(_NAME_KEYS), name_p, "a Cloud API name")
        for key, attr in _NAME_KEYS.items():
            kwargs[attr] = as_text(name, key, name_p)
        parts = ("last_name", "middle_name", "name_prefix", "name_suffix")
        if kwargs["first_name"] == kwargs["full_name"] and not any(kwargs[a] for a in parts):
            # What to_cloud_api writes for a contact with no structured name,
            # as Meta requires a field beside formatted_name.
            kwargs["first_name"] = None

    if obj.get("org") is not None:
        org_p = f"{pointer}/org"
        org = as_object(obj["org"], org_p)
        check_keys(org, tuple(_ORG_KEYS), org_p, "a Cloud API org")
        for key, attr in _ORG_KEYS.items():
            kwargs[attr] = as_text(org, key, org_p)

    phones: list[Phone] = []
    for k, item in enumerate(_items(obj, "phones", pointer)):
        item_p = f"{pointer}/phones/{k}"
        item = as_object(item, item_p)
        check_keys(item, _PHONE_KEYS, item_p, "a Cloud API phone")
        types = _types(item, item_p)
        if k == 0 and len(types) == 1 and types[0].upper() == "CELL":
            types = ()  # the first phone's default, which the writer writes CELL,VOICE
        number = as_text(item, "phone", item_p, keep_empty=True)  # "": an empty TEL
        phones.append(Phone(number, as_text(item, "wa_id", item_p), types))

    emails: list[Email] = []
    for k, item in enumerate(_items(obj, "emails", pointer)):
        item_p = f"{pointer}/emails/{k}"
        item = as_object(item, item_p)
        check_keys(item, _EMAIL_KEYS, item_p, "a Cloud API e-mail")
        emails.append(Email(as_text(item, "email", item_p) or "", _types(item, item_p)))

    urls: list[Url] = []
    for k, item in enumerate(_items(obj, "urls", pointer)):
        item_p = f"{pointer}/urls/{k}"
        item = as_object(item, item_p)
        check_keys(item, _URL_KEYS, item_p, "a Cloud API URL")
        urls.append(Url(as_text(item, "url", item_p) or "", _types(item, item_p)))

    addresses: list[Address] = []
    for k, item in enumerate(_items(obj, "addresses", pointer)):
        item_p = f"{pointer}/addresses/{k}"
        item = as_object(item, item_p)
        check_keys(item, (*_ADDRESS_KEYS, "type"), item_p, "a Cloud API address")
        fields: dict[str, Any] = {
            attr: as_text(item, key, item_p) for key, attr in _ADDRESS_KEYS.items()
        }
        code = fields.pop("country_code")
        addresses.append(
            Address(
                **fields,
                # As a card's X-ABADR reads (ISO 3166 codes are case-insensitive).
                country_code=code.upper() if code is not None else None,
                type=_types(item, item_p),
            )
        )

    return Contact(
        **kwargs,
        phones=phones,
        emails=emails,
        addresses=addresses,
        urls=urls,
        birthday=as_text(obj, "birthday", pointer),
    )
