"""Baileys' ``contacts`` message content, both ways.

``sock.sendMessage(jid, {contacts: {displayName, contacts: [{displayName,
vcard}]}})``: Baileys sends one contact as a ``contactMessage`` made of the
inner entry (the outer ``displayName`` is discarded), several as a
``contactsArrayMessage`` whose ``displayName`` is the outer one. The cards
travel as they are, so nothing is lost.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, Final

from vcardkit._errors import VCardError
from vcardkit._io import write_card
from vcardkit._model._contact import Contact
from vcardkit._model._json import contact_from_mapping, json_type
from vcardkit._senders._common import (
    Contacts,
    as_array,
    as_object,
    as_text,
    check_keys,
    decode,
    display_name,
    iter_contacts,
    read_vcard,
)

__all__ = ["from_baileys", "to_baileys"]

# What a received ContactMessage may carry besides the card; contextInfo is
# the message's (quote, forwarding), not the contact's.
_ENTRY_KEYS: Final = ("displayName", "vcard", "contextInfo")
_CONTENT_KEYS: Final = ("displayName", "contacts", "contextInfo")


def to_baileys(contacts: Contacts, /, *, lossy: bool = False) -> dict[str, Any]:
    """The ``contacts`` content of Baileys' ``sendMessage``.

    ``{"displayName": ..., "contacts": [{"displayName": ..., "vcard": ...}]}``:
    each ``vcard`` is the contact's canonical card, ``vcardkit.dumps([contact])``
    (a ``vcard`` string given is sent as it is, line endings normalized). Every
    entry carries its own ``displayName`` (the full name; else the
    structured name, else the first number): Baileys discards the outer one
    for a single contact and shows the entry's. For several, the outer one
    reads ``"<n> contacts"``, as WhatsApp's own.

    Nothing is lossy: the card carries every field. ``lossy`` is accepted so
    that every ``to_*`` is called alike, and changes nothing. A value no
    vCard 3.0 line can carry raises :class:`VCardError` as ``dumps`` does.
    """
    del lossy  # nothing to drop
    entries: list[dict[str, str]] = []
    for index, item in iter_contacts(contacts, "to_baileys"):
        contact = contact_from_mapping(item, f"/{index}")
        # The same text as dumps([item]), with pointers that name this index.
        vcard = write_card(contact, index, "\r\n", source=item)
        named = read_vcard(contact.vcard, f"/{index}/vcard") if contact.vcard else contact
        entries.append({"displayName": display_name(named), "vcard": vcard})
    top = entries[0]["displayName"] if len(entries) == 1 else f"{len(entries)} contacts"
    return {"displayName": top, "contacts": entries}


def from_baileys(message: Any, /) -> list[Contact]:
    """Contacts from a Baileys contacts message: each entry's card, read by
    :func:`vcardkit.loads`.

    ``message`` (decoded, or JSON text or bytes) is the ``sendMessage``
    content (``{"displayName", "contacts": [...]}``, or wrapped as
    ``{"contacts": {...}}``), or a received message's ``contactMessage``
    (``{"displayName", "vcard"}``) or ``contactsArrayMessage``, bare or under
    their own key. Each ``vcard`` must be exactly one card; ``displayName``
    is what the chat bubble shows, not part of the contact. A malformed
    message raises :class:`VCardError` with its pointer (and, for a card
    that cannot be read, the line and column in that ``vcard`` string).
    """
    message = decode(message)
    out: list[Contact] = []
    for entry, pointer in _entries(message):
        entry = as_object(entry, pointer, "a contact entry")
        check_keys(entry, _ENTRY_KEYS, pointer, "a Baileys contact entry")
        as_text(entry, "displayName", pointer)  # type-checked, not read
        vcard = entry.get("vcard")
        if not isinstance(vcard, str):
            found = "nothing" if "vcard" not in entry else json_type(vcard)
            raise VCardError(
                f"a contact entry's vcard is a string holding one card, not {found}",
                pointer=f"{pointer}/vcard",
                code="VC604",
            )
        out.append(read_vcard(vcard, f"{pointer}/vcard"))
    return out


def _entries(message: Any) -> Iterator[tuple[Any, str]]:
    message = as_object(message, "", "a contacts message object")
    base = ""
    for key in ("contactsArrayMessage", "contactMessage"):
        if key in message:
            base = f"/{key}"
            message = as_object(message[key], base)
            break
    else:
        inner = message.get("contacts")
        if isinstance(inner, Mapping):  # sendMessage(jid, {contacts: {...}})
            base = "/contacts"
            message = inner
    if "vcard" in message:  # one ContactMessage
        yield message, base
        return
    check_keys(message, _CONTENT_KEYS, base, "a Baileys contacts message")
    as_text(message, "displayName", base)
    entries = as_array(message.get("contacts"), f"{base}/contacts", "an array of contact entries")
    for i, entry in enumerate(entries):
        yield entry, f"{base}/contacts/{i}"
