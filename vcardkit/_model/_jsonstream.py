"""A JSON contact payload read element by element from a binary file, in bounded memory.

docs/design.md "The JSON contact": a JSON payload is an array of contacts or one object. The array
is read a chunk at a time and each element decoded as soon as it is whole,
by the :mod:`json` module's own C scanner (``raw_decode``), so a payload of
any length needs only a chunk and its largest element in memory. The text
is what :func:`~vcardkit._model._json.parse_json_text` accepts (UTF-8, one
optional BOM, the same :class:`json.JSONDecoder`), and its faults are
:class:`VCardError` as there: VC101, VC601 at json.loads' line and column,
VC602.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterator
from typing import Any, Final, Protocol

from vcardkit._errors import VCardError
from vcardkit._model._json import json_type
from vcardkit._syntax._jsondecode import DECODER, LongInteger

__all__ = ["iter_json_items"]

# Bytes read at a time (tests make it tiny to cut elements anywhere).
_CHUNK = 1 << 20
# from_json's own decoder: NaN and Infinity, duplicate keys (the last wins),
# control characters in strings and integers too long for int() are what
# from_json makes of them.
_DECODER: Final = DECODER
# JSON's white space (RFC 8259 §2), as json.loads skips it.
_WHITESPACE_RE: Final = re.compile(r"[ \t\n\r]*")
# What may follow a whole number in JSON text: white space or a delimiter.
_AFTER_NUMBER: Final = frozenset(" \t\n\r,]}")


class Readable(Protocol):
    """What is read: a binary file, or anything whose ``read(n)`` returns bytes."""

    def read(self, size: int, /) -> bytes: ...


class _Buffer:
    """The decoded text not yet consumed, from ``pos``, and where it starts in the file.

    Consumed text is dropped when a chunk is appended; ``lines`` and
    ``column`` remember how many line feeds it held and how many characters
    followed the last one, so that an error is placed as ``json.loads`` of
    the whole text would place it.
    """

    __slots__ = ("bom", "column", "decoder", "eof", "fed", "fp", "lines", "pos", "text")

    def __init__(self, fp: Readable) -> None:
        self.fp = fp
        self.decoder = codecs.getincrementaldecoder("utf-8")("strict")
        self.text = ""
        self.pos = 0
        self.eof = False
        self.bom = True  # a BOM may still come: no character decoded yet
        self.fed = 0  # bytes given to the decoder
        self.lines = 0
        self.column = 0

    def more(self) -> bool:
        """Append the next chunk; False when the file had ended already."""
        if self.eof:
            return False
        data = self.fp.read(_CHUNK)
        if not data:
            self.eof = True
        pending = self.decoder.getstate()[0]
        try:
            new = self.decoder.decode(data, final=self.eof)
        except UnicodeDecodeError as exc:
            at = self.fed - len(pending) + exc.start
            raise VCardError(
                f"the JSON text is not UTF-8: byte {at} is {(pending + data)[exc.start]:#04x}",
                code="VC101",
            ) from None
        self.fed += len(data)
        if self.bom and new:
            self.bom = False
            if new.startswith("\ufeff"):
                new = new[1:]  # one, as the utf-8-sig codec strips it
        if self.pos:
            done = self.pos
            breaks = self.text.count("\n", 0, done)
            if breaks:
                self.lines += breaks
                self.column = done - self.text.rfind("\n", 0, done) - 1
            else:
                self.column += done
            self.text = self.text[done:] + new
            self.pos = 0
        else:
            self.text += new
        return True

    def grow(self) -> None:
        """Read until the unconsumed text has doubled (or the file ends).

        A value cut by the end of the text is decoded again from its start
        once more text has come: doubling keeps that linear, however long
        the value (a photo in a ``vcard`` string).
        """
        want = max(2 * (len(self.text) - self.pos), 1)
        while self.more() and len(self.text) - self.pos < want:
            pass

    def skip(self) -> bool:
        """Move past white space; False when the text ends first."""
        while True:
            m = _WHITESPACE_RE.match(self.text, self.pos)
            self.pos = m.end() if m else self.pos
            if self.pos < len(self.text):
                return True
            if not self.more():
                return False

    def value(self) -> Any:
        """Decode the value at ``pos`` and move past it."""
        while True:
            try:
                obj, end = _DECODER.raw_decode(self.text, self.pos)
            except json.JSONDecodeError as exc:
                # The value may only be cut by the end of the chunk: an
                # error is an error only once there is no more text.
                if self.eof:
                    raise self.error(exc.msg, exc.pos) from None
                self.grow()
                continue
            except RecursionError:
                raise VCardError("not JSON: nested too deeply", code="VC601") from None
            if (
                not self.eof
                and type(obj) in (int, float, LongInteger)
                and (end == len(self.text) or self.text[end] not in _AFTER_NUMBER)
            ):
                # A number may go on in the next chunk: "12" of "123", or
                # "4" of "4." of "4.5". (A string, an object, an array or a
                # literal ends where it says it ends.)
                self.grow()
                continue
            self.pos = end
            return obj

    def end(self) -> None:
        """Nothing but white space may follow the payload."""
        if self.skip():
            raise self.error("Extra data", self.pos)

    def error(self, msg: str, pos: int) -> VCardError:
        """VC601 at ``pos`` of the text, placed as json.loads places it (by line feeds)."""
        breaks = self.text.count("\n", 0, pos)
        line = self.lines + breaks + 1
        # On the first line of the text, the column goes on from the text dropped.
        column = pos - self.text.rfind("\n", 0, pos) if breaks else self.column + pos + 1
        return VCardError(f"not JSON: {msg}", line=line, column=column, code="VC601")


def iter_json_items(fp: Readable, /) -> Iterator[tuple[int, Any]]:
    """Yield ``(index, value)`` for each element of the top-level JSON array in ``fp``.

    A top-level object is one contact: ``(0, object)``. Each element is
    yielded as soon as it is read, before the rest of the file; a fault is
    raised when it is reached, as :class:`VCardError`: VC101 for bytes that
    are not UTF-8, VC601 for text that is not JSON, VC602 for JSON that is
    neither an array nor an object.
    """
    buf = _Buffer(fp)
    if not buf.skip():
        raise buf.error("Expecting value", buf.pos)
    if buf.text[buf.pos] != "[":
        item = buf.value()
        buf.end()
        if not isinstance(item, dict):
            raise VCardError(
                f"a JSON contact payload is an array of objects, not {json_type(item)}",
                pointer="",
                code="VC602",
            )
        yield 0, item
        return
    buf.pos += 1
    if buf.skip() and buf.text[buf.pos] == "]":
        buf.pos += 1
        buf.end()
        return
    index = 0
    while True:
        # At the end of the text, value() raises json's "Expecting value".
        yield index, buf.value()
        index += 1
        if not buf.skip():
            raise buf.error("Expecting ',' delimiter", buf.pos)
        delimiter = buf.text[buf.pos]
        if delimiter == "]":
            buf.pos += 1
            buf.end()
            return
        if delimiter != ",":
            raise buf.error("Expecting ',' delimiter", buf.pos)
        buf.pos += 1
        buf.skip()
