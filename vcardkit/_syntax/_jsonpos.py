"""Where a JSON value is in the text the user wrote.

JSON Pointers are resolved to offsets by walking down to the value with the
:mod:`json` module's own C scanner (no JSON parser written here, no loop over
characters), only when a diagnostic needs a position; offsets become (line,
column) through :class:`Source`, which follows docs/rules/index.md
"Where a diagnostic points".
Inside a string, :func:`string_offsets` maps each decoded character to the
offset of its escape in the text, so a ``vcard`` string's positions land in
the JSON file.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Final

from vcardkit._syntax._jsondecode import DECODER

__all__ = ["JsonLocator", "string_offsets"]


class JsonLocator:
    """Pointer -> offsets of a value (its first character) and of its key.

    A pointer is resolved by walking down to its value, skipping siblings
    with the C scanner of :mod:`json` (``raw_decode``, ``scanstring``): no
    loop over characters, and only the containers on the way are read.
    Each container's members are indexed once, so resolving every field of
    a payload stays linear. A repeated key is the last one written that
    holds the rest of the pointer, as with json-source-map, used before
    (building its map of the whole payload was most of JSON validation's
    time).
    """

    __slots__ = ("_members", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        # A container's offset -> its members: an object's keys, each to its
        # (value offset, key offset) pairs in order, an array's value offsets.
        self._members: dict[int, dict[str, list[tuple[int, int]]] | list[int]] = {}

    def _index(self, start: int) -> dict[str, list[tuple[int, int]]] | list[int] | None:
        members = self._members.get(start)
        if members is not None:
            return members
        text = self.text
        opening = text[start : start + 1]
        if opening not in ("{", "["):
            return None
        closing = "}" if opening == "{" else "]"
        pos = _skip(text, start + 1)
        if opening == "{":
            keys: dict[str, list[tuple[int, int]]] = {}
            while not text.startswith(closing, pos):
                key, after = _scanstring(text, pos + 1)
                value = _skip(text, _skip(text, after) + 1)  # past ":"
                keys.setdefault(key, []).append((value, pos))
                pos = _skip(text, _DECODER.raw_decode(text, value)[1])
                if text.startswith(",", pos):
                    pos = _skip(text, pos + 1)
            self._members[start] = keys
            return keys
        items: list[int] = []
        while not text.startswith(closing, pos):
            items.append(pos)
            pos = _skip(text, _DECODER.raw_decode(text, pos)[1])
            if text.startswith(",", pos):
                pos = _skip(text, pos + 1)
        self._members[start] = items
        return items

    def _find(
        self, start: int, key: int | None, tokens: list[str]
    ) -> tuple[int, int | None] | None:
        if not tokens:
            return start, key
        members = self._index(start)
        if not members:
            return None
        token, rest = tokens[0], tokens[1:]
        if isinstance(members, dict):
            for value, at in reversed(members.get(token, ())):
                found = self._find(value, at, rest)
                if found is not None:
                    return found
            return None
        if _INDEX_RE.fullmatch(token) is None or int(token) >= len(members):
            return None
        return self._find(members[int(token)], None, rest)

    def _entry(self, pointer: str) -> tuple[int, int | None] | None:
        if pointer and not pointer.startswith("/"):
            return None
        tokens = pointer.split("/")[1:]
        for token in tokens:
            if "~" in token and _BAD_TILDE_RE.search(token):
                return None  # not a pointer this text could hold
        try:
            return self._find(
                _skip(self.text, 0),
                None,
                [t.replace("~1", "/").replace("~0", "~") for t in tokens],
            )
        except (ValueError, IndexError):  # not JSON: nothing to point at
            return None

    def value_offset(self, pointer: str) -> int | None:
        entry = self._entry(pointer)
        return entry[0] if entry else None

    def key_offset(self, pointer: str) -> int | None:
        entry = self._entry(pointer)
        return entry[1] if entry else None

    def token_end(self, offset: int) -> int:
        """The offset just past the token at ``offset`` (a key or a value): a
        string's closing quote, a number's or literal's last character; an
        object or array ends its token at its opening bracket (its extent may
        be a whole file, which no editor wants underlined)."""
        text = self.text
        char = text[offset : offset + 1]
        if char in ("{", "[", ""):
            return offset + 1
        try:
            return _DECODER.raw_decode(text, offset)[1]
        except (ValueError, IndexError):  # not a whole token: its first character
            return offset + 1


_DECODER: Final = DECODER  # the readers' own: a 5000-digit integer is a value to skip
# The C scanner: (the string, the offset after its closing quote).
_scanstring: Final[Callable[[str, int], tuple[str, int]]] = json.decoder.scanstring  # type: ignore[attr-defined]
_WHITESPACE_RE: Final = re.compile(r"[ \t\n\r]*")
_INDEX_RE: Final = re.compile(r"0|[1-9][0-9]*")
_BAD_TILDE_RE: Final = re.compile(r"~(?![01])")


def _skip(text: str, pos: int) -> int:
    """The offset of the first character at or after ``pos`` that is not white space."""
    m = _WHITESPACE_RE.match(text, pos)
    return m.end() if m else pos


def string_offsets(text: str, quote: int) -> list[int]:
    """Offsets in ``text`` of each decoded character of the string opening at ``quote``.

    The list has one more item than the decoded string: the closing quote.
    """
    offsets: list[int] = []
    pos = quote + 1
    end = len(text)
    while pos < end:
        char = text[pos]
        if char == '"':
            break
        if char != "\\":
            offsets.append(pos)
            pos += 1
            continue
        nxt = text[pos + 1 : pos + 2]
        if nxt == "u":
            code = int(text[pos + 2 : pos + 6], 16)
            if 0xD800 <= code < 0xDC00 and text[pos + 6 : pos + 8] == "\\u":
                low = int(text[pos + 8 : pos + 12], 16)
                if 0xDC00 <= low < 0xE000:
                    offsets.append(pos)
                    pos += 12
                    continue
            offsets.append(pos)
            pos += 6
        else:
            offsets.append(pos)
            pos += 2
    offsets.append(pos)
    return offsets
