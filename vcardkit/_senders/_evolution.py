"""The Evolution API ``sendContact`` contact, both ways.

``POST /message/sendContact/{instance}`` takes ``{"number": ..., "contact":
[...]}``, each contact ``fullName``, ``wuid``, ``phoneNumber`` and, optionally,
``organization``, ``email``, ``url``. Evolution builds the card itself, by
string interpolation with no escaping:

    BEGIN:VCARD / VERSION:3.0 / N:<fullName> / FN:<fullName> /
    ORG:<organization>; / EMAIL:<email> / URL:<url> /
    item1.TEL;waid=<wuid>:<phoneNumber> / item1.X-ABLabel:Celular / END:VCARD

and, with no ``wuid``, makes one of the number with ``@s.whatsapp.net``
appended: a JID, which leaves the card's Message button disabled (VC404).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any, Final

from vcardkit._model._contact import Contact, Email, Phone, Url, is_default_first
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

__all__ = ["from_evolution", "to_evolution"]

_SHAPE: Final = "the Evolution API contact"
_KEYS: Final = ("fullName", "wuid", "phoneNumber", "organization", "email", "url")

# Evolution writes its values into content lines as they are: a line break or
# another control character would end the line and start a property of the
# value's choosing. TAB is allowed in a vCard value.
_CONTROL_RE: Final = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
# In N and ORG, which Evolution does not escape, ";" separates components and
# "\" starts an escape (RFC 2426 §4): the card would say something else.
_UNESCAPED_RE: Final = re.compile(r"[\x00-\x08\x0a-\x1f\x7f;\\]")

_NAME_PARTS: Final = (
    ("/firstName", "first_name", "the first name"),
    ("/lastName", "last_name", "the last name"),
    ("/middleName", "middle_name", "the middle name"),
    ("/namePrefix", "name_prefix", "the name prefix"),
    ("/nameSuffix", "name_suffix", "the name suffix"),
)


def to_evolution(contacts: Contacts, /, *, lossy: bool = False) -> list[dict[str, str]]:
    """The ``contact`` array of Evolution API's ``sendContact`` body.

    ``contacts`` is what :func:`vcardkit.dumps` takes; a contact given as a
    ``vcard`` string is read into its fields first.

    Required, so a :class:`VCardError` whatever ``lossy`` says: a
    ``fullName``; a first phone with a ``phoneNumber``; and its
    ``whatsappId``, digits only, written as ``wuid``. Without a ``wuid``
    Evolution makes one of the number with ``@s.whatsapp.net`` appended,
    and its card then carries that JID where WhatsApp wants digits (VC404):
    vcardkit writes digits or nothing, and guesses no id from the number. A
    value Evolution would write into its card in a way that changes the
    card is refused the same way: a line break or control character in any
    value, a ``;`` or ``\\`` in ``fullName`` or ``organization`` (Evolution
    escapes nothing).

    The shape cannot carry, so these raise :class:`VCardError` at their
    pointer, or are dropped with ``lossy=True``:

    - ``firstName``, ``lastName``, ``middleName``, ``namePrefix``,
      ``nameSuffix`` (Evolution writes ``N:<fullName>``);
    - ``department``, ``title``;
    - every phone after the first, every e-mail and URL after the first,
      every address (``/0/addresses``);
    - the first phone's type (other than the ``CELL,VOICE`` default), and the
      ``type``, ``group``, ``parameters`` of the phone, e-mail and URL sent;
    - ``birthday``, ``note``, ``extraProperties``.
    """
    return [
        _contact_to_evolution(t)
        for t in targets(contacts, "to_evolution", shape=_SHAPE, lossy=lossy)
    ]


def _checked(t: Target, value: str, key: str, pattern: re.Pattern[str]) -> str:
    m = pattern.search(value)
    if m is not None:
        raise t.fail(
            key,
            f"the value {value!r} holds {m.group()!r} (U+{ord(m.group()):04X}), which "
            f"Evolution API writes into its card unescaped: the card would not say "
            f"what the {key[1:]} says",
            code="VC113" if m.group() not in ";\\" else None,
        )
    return value


def _contact_to_evolution(t: Target) -> dict[str, str]:
    c = t.contact
    out: dict[str, str] = {}
    if c.full_name is None:
        raise t.fail("/fullName", f"{_SHAPE} requires a fullName, and the contact has none")
    full_name = _checked(t, c.full_name, "/fullName", _UNESCAPED_RE)
    for key, attr, what in _NAME_PARTS:
        value = getattr(c, attr)
        if value is not None:
            t.lose(key, f"{what} {value!r}", "Evolution writes N from fullName alone")
    organization = None
    if c.organization is not None:
        organization = _checked(t, c.organization, "/organization", _UNESCAPED_RE)
    if c.department is not None:
        t.lose("/department", f"the department {c.department!r}", "it has an organization only")
    if c.title is not None:
        t.lose("/title", f"the title {c.title!r}", "it has no title field")

    # With no phone at all, the place to give one is the shorthand key.
    first_key = t.phone_key(0) if c.phones else ""
    first = c.phones[0] if c.phones else Phone()
    if first.phone_number is None:
        raise t.fail(
            first_key + "/phoneNumber",
            f"{_SHAPE} requires a phoneNumber, and the contact's first phone has none",
        )
    phone_number = _checked(t, first.phone_number, first_key + "/phoneNumber", _CONTROL_RE)
    waid = first.whatsapp_id
    if waid is None or DIGITS_RE.fullmatch(waid) is None:
        found = "none" if waid is None else repr(waid)
        raise t.fail(
            first_key + "/whatsappId",
            f"{_SHAPE} needs the first phone's WhatsApp id, digits only, as wuid "
            f"(found {found}): Evolution writes the wuid as the card's waid, and "
            "with none makes one of the number with '@s.whatsapp.net' appended, "
            "a JID WhatsApp does not link",
            code="VC404",
        )
    if first.type and not is_default_first(first.type):
        t.lose(
            first_key + "/type",
            f"the phone type {','.join(first.type)!r}",
            "Evolution labels its one phone 'Celular'",
        )
    _item_extras(t, first, first_key)
    for k in range(1, len(c.phones)):
        key = t.phone_key(k)
        t.lose(key, f"the phone {c.phones[k].phone_number!r}", "it has one phone")

    out["fullName"] = full_name
    out["wuid"] = waid
    out["phoneNumber"] = phone_number
    if organization is not None:
        out["organization"] = organization

    for k, e in enumerate(c.emails):
        key = f"/emails/{k}"
        if k == 0:
            out["email"] = _checked(t, e.email, key + "/email", _CONTROL_RE)
            types = tuple(x for x in e.type if x.upper() != "INTERNET")
            if types:
                t.lose(key + "/type", f"the e-mail type {','.join(types)!r}", "it has no types")
            _item_extras(t, e, key)
        else:
            t.lose(key, f"the e-mail {e.email!r}", "it has one e-mail")
    if c.addresses:
        t.lose("/addresses", "addresses", "it has no address field")
    for k, u in enumerate(c.urls):
        key = f"/urls/{k}"
        if k == 0:
            out["url"] = _checked(t, u.url, key + "/url", _CONTROL_RE)
            if u.type:
                t.lose(key + "/type", f"the URL type {','.join(u.type)!r}", "it has no types")
            _item_extras(t, u, key)
        else:
            t.lose(key, f"the URL {u.url!r}", "it has one URL")
    if c.birthday is not None:
        t.lose("/birthday", f"the birthday {c.birthday!r}", "it has no birthday field")
    if c.note is not None:
        t.lose("/note", f"the note {c.note!r}", "it has no note field")
    if c.extra_properties:
        t.lose(
            "/extraProperties",
            f"the extra properties {list(c.extra_properties)!r}",
            "it has no field for other vCard properties",
        )
    return out


def _item_extras(t: Target, item: Phone | Email | Url, key: str) -> None:
    if item.group is not None:
        t.lose(key + "/group", f"the item group {item.group!r}", "its fields have no group")
    if item.parameters:
        t.lose(
            key + "/parameters",
            f"the parameters {list(item.parameters)!r}",
            "its fields have no parameters",
        )


def from_evolution(data: Any, /) -> list[Contact]:
    """Contacts from Evolution API's ``sendContact`` shape.

    ``data`` is the ``contact`` array (decoded, or JSON text or bytes), one
    contact object, or the whole request body (``{"number": ...,
    "contact": [...]}``; version 1's ``contactMessage`` key too). Keys are
    read strictly: an unknown key or a value of the wrong JSON type raises
    :class:`VCardError` with its pointer. Values are kept as given: a
    ``wuid`` with a JID suffix is read as it is, for
    :func:`vcardkit.validate` to report (VC404).
    """
    data = decode(data)
    return [_contact_from_evolution(obj, pointer) for obj, pointer in _evolution_contacts(data)]


def _evolution_contacts(data: Any) -> Iterator[tuple[Any, str]]:
    if isinstance(data, Mapping):
        for key in ("contact", "contactMessage"):
            if key in data:
                items = as_array(data[key], f"/{key}", "an array of contact objects")
                for i, item in enumerate(items):
                    yield item, f"/{key}/{i}"
                return
        yield data, ""  # one contact object
        return
    for i, item in enumerate(as_array(data, "", "an array of contact objects")):
        yield item, f"/{i}"


def _contact_from_evolution(obj: Any, pointer: str) -> Contact:
    obj = as_object(obj, pointer, "a contact object")
    check_keys(obj, _KEYS, pointer, "an Evolution API contact")
    number = as_text(obj, "phoneNumber", pointer)
    wuid = as_text(obj, "wuid", pointer)
    email = as_text(obj, "email", pointer)
    url = as_text(obj, "url", pointer)
    return Contact(
        as_text(obj, "fullName", pointer),
        organization=as_text(obj, "organization", pointer),
        phone_number=number,
        whatsapp_id=wuid,
        emails=[Email(email)] if email is not None else [],
        urls=[Url(url)] if url is not None else [],
    )
