"""What the sender shapes share: their input read as ``dumps`` reads it, the
fields a shape cannot carry (raised, or dropped with ``lossy=True``), and strict
readers that raise :class:`VCardError` with a JSON Pointer for malformed input.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any, Final, TypeAlias

from vcardkit._errors import VCardError
from vcardkit._io import loads
from vcardkit._model._contact import Contact, is_plain_phone
from vcardkit._model._json import (
    contact_from_mapping,
    escape_pointer,
    json_type,
    parse_json_text,
    suggest,
)

__all__ = [
    "DIGITS_RE",
    "Contacts",
    "Target",
    "as_array",
    "as_object",
    "as_text",
    "check_keys",
    "decode",
    "display_name",
    "iter_contacts",
    "read_vcard",
    "targets",
]

#: What every ``to_*`` takes: what :func:`vcardkit.dumps` takes.
Contacts: TypeAlias = Sequence[Contact | Mapping[str, Any]] | Contact | Mapping[str, Any]

# A WhatsApp id as the senders' APIs take it: ASCII digits only ("\d" would
# take Arabic-Indic digits, which no API reads as a number).
DIGITS_RE: Final = re.compile(r"[0-9]+")


def iter_contacts(contacts: Any, function: str) -> Iterator[tuple[int, Any]]:
    """``(index, item)`` of what ``dumps`` takes: one contact, or a sequence of them.

    A wrong Python type is a :class:`TypeError` (docs/design.md "The public API"),
    as ``dumps`` raises it; what is wrong inside a contact is a
    :class:`VCardError` with its pointer.
    """
    if isinstance(contacts, (Contact, Mapping)):
        contacts = [contacts]
    if not isinstance(contacts, Iterable) or isinstance(contacts, (str, bytes)):
        raise TypeError(
            f"{function}() takes a list of Contact objects or JSON contact mappings, "
            f"not {type(contacts).__name__}"
        )
    yield from enumerate(contacts)


def read_vcard(text: str, pointer: str) -> Contact:
    """The one card of a ``vcard`` string, as :func:`vcardkit.loads` reads it.

    A string that is not exactly one card raises :class:`VCardError` at
    ``pointer``, with the line and column in that string where ``loads`` gave
    them.
    """
    try:
        cards = loads(text)
    except VCardError as exc:
        raise VCardError(
            f"the vcard string cannot be read: {exc.msg}",
            line=exc.line,
            column=exc.column,
            pointer=pointer,
            code=exc.code,
        ) from None
    if len(cards) != 1:
        raise VCardError(
            f"the vcard string holds {len(cards)} cards; it must hold exactly one",
            pointer=pointer,
            code="VC607",
        )
    return cards[0]


class Target:
    """One contact on its way to a shape: where its fields are, and what to do
    with a field the shape cannot carry.

    A fault's pointer names a key of the JSON the caller gave (``/0/note``);
    the first phone is at ``/0/phoneNumber`` only if that JSON used the
    shorthand keys (for a ``Contact``: if :func:`~vcardkit.to_json` would),
    as ``dumps`` points. A contact given as a ``vcard`` string is that card's
    contact, and every fault of it points at ``/0/vcard``.
    """

    __slots__ = ("contact", "in_vcard", "index", "lossy", "shape", "shorthand")

    def __init__(
        self,
        contact: Contact,
        index: int,
        *,
        shape: str,
        lossy: bool,
        shorthand: bool,
        in_vcard: bool = False,
    ) -> None:
        self.contact = contact
        self.index = index
        self.shape = shape
        self.lossy = lossy
        self.shorthand = shorthand
        self.in_vcard = in_vcard

    def pointer(self, key: str) -> str:
        return f"/{self.index}/vcard" if self.in_vcard else f"/{self.index}{key}"

    def phone_key(self, k: int) -> str:
        """The key of the ``k``-th phone (the first one's fields are top-level keys
        when it is given with the shorthand)."""
        if self.shorthand:
            return "" if k == 0 else f"/phones/{k - 1}"
        return f"/phones/{k}"

    def lose(self, key: str, what: str, why: str) -> None:
        """A field the shape cannot carry: dropped with ``lossy=True``, else raised.

        ``what`` names the field and its value, ``why`` says what the shape has
        (or lacks) instead.
        """
        if not self.lossy:
            where = f" (the vcard string's {key[1:]})" if self.in_vcard else ""
            raise VCardError(
                f"{self.shape} cannot carry {what}{where}: {why}; lossy=True drops it",
                pointer=self.pointer(key),
            )

    def fail(self, key: str, message: str, code: str | None = None) -> VCardError:
        """A value the shape needs and cannot be given: raised whatever ``lossy`` says."""
        return VCardError(message, pointer=self.pointer(key), code=code)


def targets(contacts: Any, function: str, *, shape: str, lossy: bool) -> Iterator[Target]:
    """Each contact of ``contacts`` read as ``dumps`` reads it (``contact_from_mapping``),
    a ``vcard`` string read into its fields."""
    for index, item in iter_contacts(contacts, function):
        contact = contact_from_mapping(item, f"/{index}")
        if contact.vcard is not None:
            # docs/design.md "`vcard` and fields": the string is what is sent, the
            # fields are ignored; its card is the contact.
            parsed = read_vcard(contact.vcard, f"/{index}/vcard")
            yield Target(parsed, index, shape=shape, lossy=lossy, shorthand=False, in_vcard=True)
            continue
        phones = contact.phones
        if isinstance(item, Contact):
            shorthand = bool(phones) and is_plain_phone(phones[0])
        else:
            shorthand = bool(item.get("phoneNumber") or item.get("whatsappId"))
        yield Target(contact, index, shape=shape, lossy=lossy, shorthand=shorthand)


def display_name(contact: Contact) -> str:
    """The name a chat bubble shows for ``contact``: its full name, else its
    structured name in reading order, else its first number, else ``""``."""
    if contact.full_name:
        return contact.full_name
    parts = (
        contact.name_prefix,
        contact.first_name,
        contact.middle_name,
        contact.last_name,
        contact.name_suffix,
    )
    joined = " ".join(p for p in parts if p)
    return joined or contact.phone_number or ""


# --- strict readers for from_*: malformed input is a VCardError with a pointer.


def decode(data: Any) -> Any:
    """JSON text or bytes decoded (errors as :class:`VCardError`); anything else as it is."""
    if isinstance(data, (str, bytes, bytearray)):
        return parse_json_text(bytes(data) if isinstance(data, bytearray) else data)
    return data


def as_object(value: Any, pointer: str, what: str = "an object") -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise VCardError(
            f"expected {what}, found {json_type(value)}", pointer=pointer, code="VC602"
        )
    return value


def as_array(value: Any, pointer: str, what: str = "an array") -> Sequence[Any]:
    if not isinstance(value, Sequence) or isinstance(value, (str, bytes)):
        raise VCardError(
            f"expected {what}, found {json_type(value)}", pointer=pointer, code="VC602"
        )
    return value


def as_text(
    obj: Mapping[str, Any], key: str, pointer: str, *, keep_empty: bool = False
) -> str | None:
    """The string at ``obj[key]``; absent, ``null`` or ``""`` is ``None`` (as ``from_json``).

    ``keep_empty``: ``""`` is a value, as ``from_json`` reads a phone's
    number (a TEL with an empty value).
    """
    value = obj.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise VCardError(
            f"expected a string, found {json_type(value)}",
            pointer=f"{pointer}/{escape_pointer(key)}",
            code="VC604",
        )
    return value if keep_empty else (value or None)


def check_keys(obj: Mapping[str, Any], known: Sequence[str], pointer: str, what: str) -> None:
    """Refuse a key ``what`` does not have, with a "did you mean": nothing read is
    dropped silently (docs/design.md "The JSON contact")."""
    for key in obj:
        if key not in known:
            hint = suggest(str(key), known)
            did = f"; did you mean {hint!r}?" if hint else ""
            raise VCardError(
                f"{what} has no key {key!r}{did}",
                pointer=f"{pointer}/{escape_pointer(str(key))}",
                code="VC603",
            )
