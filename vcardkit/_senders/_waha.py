"""The WAHA / Wawp ``contacts`` body: vcardkit's own JSON contact, flat or as a card.

WAHA's ``POST /api/sendContactVcard`` takes ``{"chatId", "contacts": [...]}``,
each contact either the four flat fields or ``{"vcard": ...}``. From the flat
fields WAHA builds its card by string interpolation, with no escaping:

    BEGIN:VCARD / VERSION:3.0 / FN:<fullName> / ORG:<organization>; /
    TEL;type=CELL;type=VOICE[;waid=<whatsappId>]:<phoneNumber> / END:VCARD

so the flat form carries a contact whole only when those lines say what
vcardkit's card says; a ``vcard`` is sent as it is.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Final

from vcardkit._io import write_card
from vcardkit._model._contact import Contact, is_plain_phone
from vcardkit._model._json import contact_from_mapping, from_json
from vcardkit._senders._common import Contacts, as_array, decode, iter_contacts

__all__ = ["from_waha", "to_waha"]

# A text value WAHA writes as it is must need no escape (RFC 2426 §4: "\"
# "," ";" and line breaks) and hold nothing 3.0 cannot carry.
_TEXT_UNSAFE_RE: Final = re.compile(r"[\x00-\x1f\x7f\\,;\ud800-\udfff]")
# TEL's value: no control character at all (docs/design.md "The canonical card").
_RAW_UNSAFE_RE: Final = re.compile(r"[\x00-\x1f\x7f\ud800-\udfff]")
# waid: bare, as vcardkit writes a parameter value that needs no quotes.
_PARAM_UNSAFE_RE: Final = re.compile(r'[\x00-\x1f\x7f";:,\ud800-\udfff]')


def to_waha(
    contacts: Contacts, /, *, lossy: bool = False, flat: bool = True
) -> list[dict[str, str]]:
    """The ``contacts`` array of WAHA's (and Wawp's) ``sendContactVcard`` body.

    A contact the four flat fields carry whole goes as ``{"fullName",
    "organization", "phoneNumber", "whatsappId"}`` (the keys that are set):
    it has a full name and one phone with a number, of the default type,
    and nothing else, with values that WAHA's unescaped card writes as
    vcardkit's does (no ``\\`` ``,`` ``;`` or line break in the name or the
    organization). Any other contact goes as ``{"vcard": ...}``, its
    canonical card (``vcardkit.dumps([contact])``), so that nothing is lost.

    ``flat=False`` sends every contact as its card: WAHA's card of the flat
    fields has no ``N`` line, which some clients need to show a name.

    Nothing is lossy; ``lossy`` is accepted so that every ``to_*`` is called
    alike, and changes nothing. A value no vCard 3.0 line can carry raises
    :class:`VCardError` as ``dumps`` does.
    """
    del lossy  # nothing to drop
    out: list[dict[str, str]] = []
    for index, item in iter_contacts(contacts, "to_waha"):
        contact = contact_from_mapping(item, f"/{index}")
        if flat and _flat_whole(contact):
            fields = {
                "fullName": contact.full_name,
                "organization": contact.organization,
                "phoneNumber": contact.phone_number,
                "whatsappId": contact.whatsapp_id,
            }
            out.append({key: value for key, value in fields.items() if value is not None})
        else:
            out.append({"vcard": write_card(contact, index, "\r\n", source=item)})
    return out


def _flat_whole(c: Contact) -> bool:
    if (
        c.vcard is not None
        or c.full_name is None
        or len(c.phones) != 1
        or c.has_structured_name
        or c.department is not None
        or c.title is not None
        or c.emails
        or c.addresses
        or c.urls
        or c.birthday is not None
        or c.note is not None
        or c.extra_properties
    ):
        return False
    phone = c.phones[0]
    return (
        is_plain_phone(phone)
        and phone.phone_number is not None
        and not _RAW_UNSAFE_RE.search(phone.phone_number)
        and (phone.whatsapp_id is None or not _PARAM_UNSAFE_RE.search(phone.whatsapp_id))
        and not _TEXT_UNSAFE_RE.search(c.full_name)
        and (c.organization is None or not _TEXT_UNSAFE_RE.search(c.organization))
    )


def from_waha(data: Any, /) -> list[Contact]:
    """Contacts from WAHA's shape: :func:`vcardkit.from_json`, which reads both forms.

    ``data`` is the ``contacts`` array (decoded, or JSON text or bytes), one
    contact, or the whole body (``{"chatId": ..., "contacts": [...]}``). A
    ``{"vcard": ...}`` contact stays a ``vcard`` string, as ``from_json``
    reads it (``dumps`` sends it as it is); :func:`vcardkit.loads` of it
    gives its fields.
    """
    data = decode(data)
    if isinstance(data, Mapping) and "contacts" in data:
        items = as_array(data["contacts"], "/contacts", "an array of contact objects")
        return [contact_from_mapping(item, f"/contacts/{i}") for i, item in enumerate(items)]
    return from_json(data)
