"""Bytes to text: the encodings docs/design.md "Encodings" accepts, and what was found.

UTF-8 with or without a BOM is the norm. UTF-16 and UTF-32 with a BOM are
decoded and reported (VC116). Bytes that do not decode become U+FFFD and are
reported (VC101) with their byte offset; decoding goes on. A fold that splits
a UTF-8 sequence (``E2 82`` CRLF SP ``AC``) is joined as RFC 6350 §3.2 says a
reader must, and reported (VC112).
"""

from __future__ import annotations

import codecs
import re
from typing import Final, NamedTuple

__all__ = ["SURROGATE_RE", "DecodeEvent", "Decoded", "decode", "lone_surrogates"]

_BOMS: Final = (
    # Longest first: the UTF-32-LE BOM starts with the UTF-16-LE one.
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16"),
)

# A UTF-8 lead byte and some of its continuation bytes, a line break and the
# fold's white space, then the rest of the continuation bytes.
_SPLIT_FOLD_RE: Final = re.compile(
    rb"([\xc2-\xf4][\x80-\xbf]{0,2})(\r\n|\r|\n)([ \t])([\x80-\xbf]{1,3})"
)


class DecodeEvent(NamedTuple):
    """Something the decoder found: ``code`` is the rule code it concerns."""

    code: str
    offset: int  # code-point offset in the decoded text
    byte_offset: int  # -1 for text given as str: a lone surrogate has no bytes
    detail: str


# A code point of U+D800 to U+DFFF on its own: a Python str may hold one
# ("\ud800" in JSON, bytes decoded with surrogateescape), a pair of them
# too, but no UTF-8 byte sequence encodes either (RFC 3629 §3).
SURROGATE_RE: Final = re.compile("[\ud800-\udfff]")


def lone_surrogates(text: str, base: int = 0) -> tuple[str, tuple[DecodeEvent, ...]]:
    """``text`` with each surrogate code point replaced by U+FFFD, and a VC101 event for each.

    Text given as ``str`` is read as decoded bytes are: what no UTF-8 can
    carry is reported (VC101, at its position; ``detail`` is ``U+D800``)
    and reading goes on with U+FFFD in its place, so that no step after
    this one meets a character it cannot encode. ``base`` is the offset of
    ``text`` in the whole text.
    """
    if text.isascii() or SURROGATE_RE.search(text) is None:
        return text, ()
    events = tuple(
        DecodeEvent("VC101", base + m.start(), -1, f"U+{ord(m.group()):04X}")
        for m in SURROGATE_RE.finditer(text)
    )
    return SURROGATE_RE.sub("\ufffd", text), events


class Decoded(NamedTuple):
    text: str
    bom: str | None  # "UTF-8", "UTF-16", "UTF-32" or None
    events: tuple[DecodeEvent, ...]


def decode(data: bytes, *, at: int = 0) -> Decoded:
    """Decode ``data``; never raises.

    ``at`` is the byte offset of ``data`` in its file when a file is decoded
    piece by piece: byte offsets are reported from the file's start, and only
    a piece at offset 0 can start with a BOM (U+FEFF further on is text).
    """
    if at:
        text, events = _decode_utf8(data, at)
        return Decoded(text, None, events)
    for bom, codec, label in _BOMS:
        if data.startswith(bom):
            body = data[len(bom) :]
            if codec == "utf-8":
                text, events = _decode_utf8(body, len(bom))
                return Decoded(text, label, events)
            found = [DecodeEvent("VC116", 0, 0, label)]
            try:
                text = body.decode(codec)
            except UnicodeDecodeError as exc:
                good = body[: exc.start].decode(codec)
                text = good + "\ufffd" + body[exc.end :].decode(codec, errors="replace")
                bad = body[exc.start : exc.end].hex(" ")
                found.append(DecodeEvent("VC101", len(good), len(bom) + exc.start, bad))
            return Decoded(text, label, tuple(found))
    text, events = _decode_utf8(data, 0)
    return Decoded(text, None, events)


def _decode_utf8(data: bytes, base: int) -> tuple[str, tuple[DecodeEvent, ...]]:
    try:
        return data.decode("utf-8"), ()
    except UnicodeDecodeError:
        pass
    parts: list[str] = []
    events: list[DecodeEvent] = []
    length = 0  # code points emitted so far
    pos = 0
    while pos < len(data):
        try:
            chunk = data[pos:].decode("utf-8")
        except UnicodeDecodeError as exc:
            good = data[pos : pos + exc.start].decode("utf-8")
            parts.append(good)
            length += len(good)
            bad_at = pos + exc.start
            m = _SPLIT_FOLD_RE.match(data, bad_at)
            if m is not None:
                joined = m.group(1) + m.group(4)
                try:
                    char = joined.decode("utf-8")
                except UnicodeDecodeError:
                    char = ""
                if len(char) == 1:
                    # Keep the character on the line where it started; the
                    # continuation line keeps its fold white space.
                    events.append(DecodeEvent("VC112", length, base + bad_at, char))
                    piece = char + m.group(2).decode() + m.group(3).decode()
                    parts.append(piece)
                    length += len(piece)
                    pos = m.end()
                    continue
            events.append(
                DecodeEvent("VC101", length, base + bad_at, data[bad_at : pos + exc.end].hex(" "))
            )
            parts.append("\ufffd")
            length += 1
            pos = pos + exc.end
        else:
            parts.append(chunk)
            break
    return "".join(parts), tuple(events)
