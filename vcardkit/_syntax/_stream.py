"""A file read as decoded pieces, in bounded memory (docs/design.md "Encodings").

Each piece ends just after a line break (so the reader can carry a logical
line from one piece to the next) and comes with what the decoder found in
it, at offsets in the whole decoded text: a caller that stops at the first
undecodable byte (``iter_load``) and one that reports every one
(``iter_validate``, the commands) read files the same way.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Final, NamedTuple, Protocol

from vcardkit._syntax._decode import DecodeEvent, decode, lone_surrogates

__all__ = ["CHUNK", "SNIFF", "Piece", "Prepended", "pieces", "text_pieces"]

CHUNK: Final = 1 << 20
# What a file's kind (JSON or VCF) is told from: its first bytes, read before
# the rest comes in chunks.
SNIFF: Final = 4096


class Readable(Protocol):
    """What :func:`pieces` reads: a text or binary file, or anything with its ``read``."""

    def read(self, size: int = -1, /) -> Any: ...


class Piece(NamedTuple):
    """Consecutive decoded text of a file, and what decoding it found."""

    text: str
    offset: int  # the code-point offset of ``text`` in the whole decoded text
    events: tuple[DecodeEvent, ...] = ()  # offsets in the whole decoded text
    bom: str | None = None  # the file's byte-order mark, on its first piece


class Prepended:
    """A file whose first chunk was read already (to tell JSON from VCF)."""

    __slots__ = ("_first", "_fp")

    def __init__(self, first: str | bytes, fp: Readable) -> None:
        self._first: str | bytes | None = first
        self._fp = fp

    def read(self, size: int = -1) -> Any:
        first = self._first
        if first is None:
            return self._fp.read(size)
        self._first = None
        return first


def text_pieces(data: str | bytes) -> Iterator[Piece]:
    """Text or bytes held in memory, as one piece."""
    if isinstance(data, str):
        bom = "UTF-8" if data.startswith("\ufeff") else None
        text, events = lone_surrogates(data[1:] if bom else data)
        yield Piece(text, 0, events, bom)
        return
    decoded = decode(data)
    yield Piece(decoded.text, 0, decoded.events, decoded.bom)


def pieces(fp: Readable, chunk: int | None = None) -> Iterator[Piece]:
    """Read ``fp`` in chunks of about ``chunk`` (:data:`CHUNK`) cut at line breaks, decoded."""
    chunk = chunk or CHUNK
    first = fp.read(chunk)
    while len(first) < 4:
        # A short read (a pipe) must not hide a UTF-16 or UTF-32 BOM.
        more = fp.read(chunk)
        if not more:
            break
        first += more
    if isinstance(first, str):
        yield from _cut_text(first, fp, chunk)
        return
    if first[:2] in (b"\xff\xfe", b"\xfe\xff") or first[:4] == b"\x00\x00\xfe\xff":
        # UTF-16 and UTF-32 are rare here: read them whole.
        rest = fp.read()
        assert isinstance(rest, bytes)
        yield from text_pieces(first + rest)
        return
    buffer = first
    bytes_before = 0
    chars_before = 0
    while True:
        more = fp.read(chunk)
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
        events = decoded.events
        if events and chars_before:
            events = tuple(e._replace(offset=e.offset + chars_before) for e in events)
        yield Piece(decoded.text, chars_before, events, decoded.bom)
        chars_before += len(decoded.text)
        if not more:
            return


def _cut_text(first: str, fp: Readable, chunk: int) -> Iterator[Piece]:
    bom = "UTF-8" if first.startswith("\ufeff") else None
    buffer = first[1:] if bom else first
    offset = 0
    while True:
        more = fp.read(chunk)
        if not more:
            if buffer:
                text, events = lone_surrogates(buffer, offset)
                yield Piece(text, offset, events, bom)
            return
        buffer += more
        cut = _cut_point_text(buffer)
        if cut > 0:
            text, events = lone_surrogates(buffer[:cut], offset)
            yield Piece(text, offset, events, bom)
            offset += cut
            bom = None
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
