"""loads / load / iter_load / dumps / dump: the reader and writer, like ``json``."""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import IO, Any, Final

from vcardkit._errors import VCardError
from vcardkit._model._card import card_to_contact, write_contact
from vcardkit._model._contact import Contact
from vcardkit._model._fastwrite import fast_write
from vcardkit._model._json import contact_from_mapping
from vcardkit._syntax._decode import DecodeEvent, decode
from vcardkit._syntax._fast import read
from vcardkit._syntax._lexer import Card, SyntaxIssue

__all__ = ["dump", "dumps", "iter_load", "load", "loads"]

_CHUNK: Final = 1 << 20
_LINE_BREAK_RE: Final = re.compile(r"\r\n|\r|\n")
_LINE_ENDINGS: Final = ("\r\n", "\n")


def _position(text: str, offset: int) -> tuple[int, int]:
    """1-based physical line and code-point column of ``offset`` in ``text``."""
    line = 1
    start = 0
    for m in _LINE_BREAK_RE.finditer(text, 0, offset):
        line += 1
        start = m.end()
    return line, offset - start + 1


def _raise_decode(text: str, event: DecodeEvent, first_line: int = 1) -> None:
    if event.code == "VC101":
        line, column = _position(text, event.offset)
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
    """Read ``fp`` in chunks cut where a logical line starts, decoded."""
    first = fp.read(_CHUNK)
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
    while True:
        more = fp.read(_CHUNK)
        assert isinstance(more, bytes)
        buffer += more
        cut = _cut_point(buffer) if more else len(buffer)
        if cut == 0:
            continue
        piece, buffer = buffer[:cut], buffer[cut:]
        decoded = decode(piece)
        text = decoded.text
        if lines_before == 0 and text.startswith("\ufeff"):
            text = text[1:]
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
    """The offset after the last line break that starts a logical line."""
    pos = len(buffer) - 1
    while True:
        lf = max(buffer.rfind(b"\n", 0, pos), buffer.rfind(b"\r", 0, pos))
        if lf < 0:
            return 0
        nxt = buffer[lf + 1 : lf + 2]
        if nxt not in (b" ", b"\t", b"\n", b"\r", b""):
            return lf + 1
        pos = lf


def _cut_point_text(buffer: str) -> int:
    pos = len(buffer) - 1
    while True:
        lf = max(buffer.rfind("\n", 0, pos), buffer.rfind("\r", 0, pos))
        if lf < 0:
            return 0
        nxt = buffer[lf + 1 : lf + 2]
        if nxt not in (" ", "\t", "\n", "\r", ""):
            return lf + 1
        pos = lf


def _count_lines(text: str) -> int:
    return text.count("\n") + text.count("\r") - text.count("\r\n")


def _contacts(contacts: Any) -> Iterator[tuple[int, Contact]]:
    if isinstance(contacts, (Contact, Mapping)):
        contacts = [contacts]
    if not isinstance(contacts, (Sequence, Iterable)) or isinstance(contacts, (str, bytes)):
        raise TypeError(
            "dumps() takes a list of Contact objects or JSON contact mappings, "
            f"not {type(contacts).__name__}"
        )
    for i, item in enumerate(contacts):
        yield i, contact_from_mapping(item, f"/{i}")


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
    if type(contacts) is list:
        # The common case, JSON mappings: written straight from them; a
        # contact the fast writer leaves alone takes the full path.
        out: list[str] = []
        for i, item in enumerate(contacts):
            text = fast_write(item, line_ending)
            if text is None:
                text = write_contact(contact_from_mapping(item, f"/{i}"), i, line_ending)
            out.append(text)
        return "".join(out)
    return "".join(write_contact(c, i, line_ending) for i, c in _contacts(contacts))


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
