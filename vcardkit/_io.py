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
from vcardkit._syntax._decode import DecodeEvent, decode
from vcardkit._syntax._reader import Card, SyntaxIssue, read
from vcardkit._syntax._source import Source

__all__ = ["dump", "dumps", "iter_load", "load", "loads"]

_CHUNK: Final = 1 << 20
_LINE_ENDINGS: Final = ("\r\n", "\n")


def _raise_decode(text: str, event: DecodeEvent, first_line: int = 1) -> None:
    if event.code == "VC101":
        line, column = Source(text).position(event.offset)
        raise VCardError(
            f"bytes that are not {'UTF-8' if event.byte_offset >= 0 else 'decodable'} "
            f"at byte offset {event.byte_offset}: {event.detail}",
            line=line + first_line - 1,
            column=column,
            code="VC101",
        )


def _cards(pieces: Iterable[str]) -> Iterator[Card]:
    for item in read(pieces):
        if isinstance(item, SyntaxIssue):
            if item.fatal:
                raise VCardError(item.message, line=item.line, column=item.column, code=item.code)
            continue
        yield item


def _decode_checked(data: str | bytes) -> str:
    if isinstance(data, str):
        return data[1:] if data.startswith("\ufeff") else data
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise TypeError(f"loads() takes str or bytes, not {type(data).__name__}")
    decoded = decode(bytes(data))
    for event in decoded.events:
        _raise_decode(decoded.text, event)
    return decoded.text


def loads(data: str | bytes, /) -> list[Contact]:
    """Read every card of ``data`` (str, or bytes in UTF-8, or UTF-16/32 with a BOM).

    Raises :class:`VCardError` only where the text cannot be read as cards;
    missing properties and bad values are :func:`vcardkit.validate`'s business.
    """
    text = _decode_checked(data)
    return [card_to_contact(card) for card in _cards((text,))]


def load(fp: IO[str] | IO[bytes], /) -> list[Contact]:
    """Read every card of a text or binary file."""
    return list(iter_load(fp))


def iter_load(fp: IO[str] | IO[bytes], /) -> Iterator[Contact]:
    """Yield the contacts of a text or binary file one card at a time, in bounded memory."""
    for card in _cards(_pieces(fp)):
        yield card_to_contact(card)


def _pieces(fp: IO[str] | IO[bytes]) -> Iterator[str]:
    """Read ``fp`` in chunks cut at line breaks, decoded."""
    first = fp.read(_CHUNK)
    while len(first) < 4:
        # A short read (a pipe) must not hide a UTF-16 or UTF-32 BOM.
        more = fp.read(_CHUNK)
        if not more:
            break
        first += more  # type: ignore[operator]
    if isinstance(first, str):
        yield from _cut_text(first, fp)  # type: ignore[arg-type]
        return
    if first[:2] in (b"\xff\xfe", b"\xfe\xff") or first[:4] == b"\x00\x00\xfe\xff":
        # UTF-16 and UTF-32 are rare here: read them whole.
        rest = fp.read()
        assert isinstance(rest, bytes)
        yield _decode_checked(first + rest)
        return
    buffer = first
    lines_before = 0
    bytes_before = 0
    while True:
        more = fp.read(_CHUNK)
        assert isinstance(more, bytes)
        buffer += more
        cut = _cut_point(buffer) if more else len(buffer)
        if cut == 0:
            if not more:
                return  # an empty file: nothing more will come
            continue
        piece, buffer = buffer[:cut], buffer[cut:]
        decoded = decode(piece, at=bytes_before)
        bytes_before += len(piece)
        text = decoded.text
        for event in decoded.events:
            _raise_decode(text, event, lines_before + 1)
        lines_before += _count_lines(text)
        yield text
        if not more:
            return


def _cut_text(first: str, fp: IO[str]) -> Iterator[str]:
    buffer = first[1:] if first.startswith("\ufeff") else first
    while True:
        more = fp.read(_CHUNK)
        if not more:
            if buffer:
                yield buffer
            return
        buffer += more
        cut = _cut_point_text(buffer)
        if cut > 0:
            yield buffer[:cut]
            buffer = buffer[cut:]


def _cut_point(buffer: bytes) -> int:
    """The offset just after the last line break where ``buffer`` may be cut, or 0.

    Each piece is decoded on its own, so a cut may not fall inside a CRLF nor
    after a fold that splits a UTF-8 sequence (``E2 82`` CRLF SP ``AC``, which
    the decoder joins). Any other line break will do: the reader carries a
    logical line, folded or QUOTED-PRINTABLE, from one piece to the next.
    Cutting only where a logical line starts would rescan a long folded line
    (a photo) for every chunk read, quadratic in its length.
    """
    pos = len(buffer) - 1  # the last byte may be a CR whose LF is still to come
    while True:
        lf = max(buffer.rfind(b"\n", 0, pos), buffer.rfind(b"\r", 0, pos))
        if lf < 0:
            return 0
        nxt = buffer[lf + 1]  # lf < pos <= len(buffer) - 1
        if buffer[lf] == 0x0D and nxt == 0x0A:
            pos = lf  # inside a CRLF
            continue
        if nxt in (0x20, 0x09):
            end = lf - 1 if buffer[lf] == 0x0A and lf > 0 and buffer[lf - 1] == 0x0D else lf
            if _inside_character(buffer, end):
                pos = end  # a fold inside a character: the decoder joins it
                continue
        return lf + 1


def _inside_character(buffer: bytes, end: int) -> bool:
    """Whether ``buffer[:end]`` ends inside a UTF-8 sequence."""
    k = end
    while k > 0 and end - k < 3 and 0x80 <= buffer[k - 1] <= 0xBF:
        k -= 1  # continuation bytes
    if k == 0:
        return False
    lead = buffer[k - 1]
    need = 2 if 0xC0 <= lead <= 0xDF else 3 if 0xE0 <= lead <= 0xEF else 4 if lead >= 0xF0 else 0
    return need > end - (k - 1)


def _cut_point_text(buffer: str) -> int:
    """As :func:`_cut_point`, in text: any line break but the inside of a CRLF."""
    pos = len(buffer) - 1
    while True:
        lf = max(buffer.rfind("\n", 0, pos), buffer.rfind("\r", 0, pos))
        if lf < 0:
            return 0
        if buffer[lf] == "\r" and buffer[lf + 1] == "\n":
            pos = lf
            continue
        return lf + 1


def _count_lines(text: str) -> int:
    return text.count("\n") + text.count("\r") - text.count("\r\n")


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
    contact = contact_from_mapping(item, f"/{index}")
    # A fault's pointer names a key of the JSON given: the first phone is at
    # /phoneNumber only if that JSON used the shorthand keys for it.
    # (A value that is not a string has failed in contact_from_mapping.)
    shorthand = None
    if contact is not item:
        shorthand = bool(item.get("phoneNumber") or item.get("whatsappId"))
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
