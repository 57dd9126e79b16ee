"""loads / load / iter_load / dumps / dump: the reader and writer, like ``json``."""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import IO, Any, Final

from vcardkit._errors import VCardError
from vcardkit._model._card import card_to_contact
from vcardkit._model._contact import Contact
from vcardkit._model._json import contact_from_mapping
from vcardkit._model._writer import write_contact
from vcardkit._syntax._reader import Card, SyntaxIssue, read
from vcardkit._syntax._source import Source
from vcardkit._syntax._stream import CHUNK, Piece, Prepended, pieces, text_pieces

__all__ = ["dump", "dumps", "iter_load", "load", "loads", "write_card"]

_LINE_ENDINGS: Final = ("\r\n", "\n")


def _texts(pieces: Iterable[Piece]) -> Iterator[str]:
    """The pieces' text; :class:`VCardError` at the first byte that does not decode."""
    line = 1
    for piece in pieces:
        text = piece.text
        for event in piece.events:
            if event.code == "VC101":
                at, column = Source(text, line=line, base=piece.offset).position(event.offset)
                message = (
                    f"bytes that are not UTF-8 at byte offset {event.byte_offset}: {event.detail}"
                    if event.byte_offset >= 0
                    # Text given as str: a code point no UTF-8 encodes.
                    else f"the text holds the lone surrogate {event.detail}, which UTF-8 "
                    "cannot encode"
                )
                raise VCardError(message, line=at, column=column, code="VC101")
        line += text.count("\n") + text.count("\r") - text.count("\r\n")
        yield text


def _cards(pieces: Iterable[str]) -> Iterator[Card]:
    for item in read(pieces):
        if isinstance(item, SyntaxIssue):
            if item.fatal:
                raise VCardError(item.message, line=item.line, column=item.column, code=item.code)
            continue
        yield item


def loads(data: str | bytes, /) -> list[Contact]:
    """Read every card of ``data`` (str, or bytes in UTF-8, or UTF-16/32 with a BOM).

    Raises :class:`VCardError` only where the text cannot be read as cards;
    missing properties and bad values are :func:`vcardkit.validate`'s business.
    """
    if not isinstance(data, (str, bytes, bytearray, memoryview)):
        raise TypeError(f"loads() takes str or bytes, not {type(data).__name__}")
    try:
        # Decoded and checked whole before any card is read.
        texts = list(_texts(text_pieces(data if isinstance(data, str) else bytes(data))))
        return [card_to_contact(card) for card in _cards(texts)]
    except VCardError as exc:
        raise _in_str_coordinates(exc, data) from None


def load(fp: IO[str] | IO[bytes], /) -> list[Contact]:
    """Read every card of a text or binary file."""
    return list(iter_load(fp))


def iter_load(fp: IO[str] | IO[bytes], /) -> Iterator[Contact]:
    """Yield the contacts of a text or binary file one card at a time, in bounded memory."""
    first = fp.read(CHUNK)
    try:
        for card in _cards(_texts(pieces(Prepended(first, fp)))):
            yield card_to_contact(card)
    except VCardError as exc:
        raise _in_str_coordinates(exc, first) from None


def _in_str_coordinates(exc: VCardError, data: object) -> VCardError:
    """``exc`` in the coordinates of a text given as ``str`` (or read from a text file).

    The text is read without its byte-order mark; the caller's str holds it,
    as column 1 of line 1 (as :func:`vcardkit.validate` places diagnostics).
    """
    if not (isinstance(data, str) and data[:1] == "\ufeff" and exc.line == 1):
        return exc
    column = None if exc.column is None else exc.column + 1
    return VCardError(exc.msg, line=1, column=column, pointer=exc.pointer, code=exc.code)


def _contacts(contacts: Any) -> Iterator[tuple[int, Any]]:
    if isinstance(contacts, (Contact, Mapping)):
        contacts = [contacts]
    if not isinstance(contacts, (Sequence, Iterable)) or isinstance(contacts, (str, bytes)):
        raise TypeError(
            "dumps() takes a list of Contact objects or JSON contact mappings, "
            f"not {type(contacts).__name__}"
        )
    yield from enumerate(contacts)


def _write(item: Any, index: int, eol: str) -> str:
    return write_card(contact_from_mapping(item, f"/{index}"), index, eol, source=item)


def write_card(
    contact: Contact, index: int, eol: str, *, source: Mapping[str, Any] | Contact | None = None
) -> str:
    """One card of :func:`dumps`: ``contact`` as the payload's ``index``-th.

    For a caller that reads and writes one contact at a time (``convert``
    streams); ``source`` is the JSON mapping ``contact`` was read from, if any.
    """
    # A fault's pointer names a key of the JSON given: the first phone is at
    # /phoneNumber only if that JSON used the shorthand keys for it ("" too:
    # an empty TEL). (A value that is not a string has failed in
    # contact_from_mapping.)
    shorthand = None
    if source is not None and not isinstance(source, Contact):
        shorthand = source.get("phoneNumber") is not None or source.get("whatsappId") is not None
    return write_contact(contact, index, eol, shorthand=shorthand)


def dumps(
    contacts: Sequence[Contact | Mapping[str, Any]] | Contact | Mapping[str, Any],
    /,
    *,
    line_ending: str = "\r\n",
) -> str:
    """The canonical vCard 3.0 payload of ``contacts``: cards concatenated, in order.

    Raises :class:`VCardError`, with the field's JSON Pointer, for a value no
    vCard 3.0 line can carry.
    """
    if line_ending not in _LINE_ENDINGS:
        raise ValueError(f"line_ending must be '\\r\\n' or '\\n', not {line_ending!r}")
    return "".join([_write(c, i, line_ending) for i, c in _contacts(contacts)])


def dump(
    contacts: Sequence[Contact | Mapping[str, Any]] | Contact | Mapping[str, Any],
    fp: IO[str] | IO[bytes],
    /,
    *,
    line_ending: str = "\r\n",
) -> None:
    """Write :func:`dumps` of ``contacts`` to a text or binary file (UTF-8)."""
    text = dumps(contacts, line_ending=line_ending)
    if isinstance(fp, io.TextIOBase) or "b" not in getattr(fp, "mode", "b"):
        fp.write(text)  # type: ignore[call-overload]
    else:
        fp.write(text.encode("utf-8"))  # type: ignore[arg-type]
