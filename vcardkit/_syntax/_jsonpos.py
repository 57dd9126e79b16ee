"""Where a JSON value is in the text the user wrote.

JSON Pointers are resolved to offsets with ``json-source-map`` (a small,
maintained library that computes exactly this) rather than a JSON parser
written here; offsets become (line, column) through :class:`Source`, which
follows RULES.md's line rules (json-source-map counts a lone CR as a column).
Inside a string, :func:`string_offsets` maps each decoded character to the
offset of its escape in the text, so a ``vcard`` string's positions land in
the JSON file.
"""

from __future__ import annotations

import json
from typing import Final

__all__ = ["JsonLocator", "string_offsets"]

_SIMPLE_ESCAPES: Final = frozenset('"\\/bfnrt')


class JsonLocator:
    """Pointer -> offsets of a value (its first character) and of its key."""

    __slots__ = ("_map", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self._map: dict[str, tuple[int, int | None]] | None = None

    def _entries(self) -> dict[str, tuple[int, int | None]]:
        if self._map is None:
            import json_source_map  # type: ignore[import-untyped]  # no stubs; local: only a diagnostic with a position needs it

            try:
                raw = json_source_map.calculate(self.text)
            except Exception:  # the library's own errors; the text was valid JSON
                raw = {}
            # json-source-map builds its pointers from the keys as written
            # (escapes kept, "/" and "~" not escaped as RFC 6901 says), so
            # "a/b" or "\u00e9" would find nothing: rebuild each pointer from
            # its parent's (which comes first, in document order) and the
            # decoded key.
            text = self.text
            pointers: dict[str, str] = {"": ""}
            self._map = {}
            for written, entry in raw.items():
                if written == "":
                    pointer = ""
                elif entry.key_start is not None:
                    literal = text[entry.key_start.position : entry.key_end.position]
                    parent = pointers.get(written[: len(written) - len(literal) + 1], "")
                    key = json.loads(literal)
                    pointer = f"{parent}/{key.replace('~', '~0').replace('/', '~1')}"
                else:
                    head, _, index = written.rpartition("/")
                    pointer = f"{pointers.get(head, '')}/{index}"
                pointers[written] = pointer
                self._map[pointer] = (
                    entry.value_start.position,
                    entry.key_start.position if entry.key_start else None,
                )
        return self._map

    def value_offset(self, pointer: str) -> int | None:
        entry = self._entries().get(pointer)
        return entry[0] if entry else None

    def key_offset(self, pointer: str) -> int | None:
        entry = self._entries().get(pointer)
        return entry[1] if entry else None


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
