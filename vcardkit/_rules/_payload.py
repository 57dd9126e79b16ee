"""What payload-wide rules keep while a payload is checked a window of cards at a time.

A file of a million cards is checked in windows (:func:`vcf_documents`), so
VC409, VC410, VC701 and VC702 cannot look at every card at once. They keep
only what they must: how many cards came before, whether one could not be
read, and the phones, WhatsApp ids and UIDs seen, each in a compact table
(:class:`Seen`, 16 bytes a slot). Those tables are the only state that grows
with the input.
"""

from __future__ import annotations

from array import array
from typing import Final

__all__ = ["Payload", "Seen", "text_key"]

_EMPTY: Final = 0
_GOLDEN: Final = 0x9E3779B97F4A7C15  # Fibonacci hashing: 2**64 / the golden ratio
_WORD: Final = (1 << 64) - 1
_KEYS: Final = 1 << 62  # keys are below this


def text_key(text: str) -> int:
    """A 62-bit key for a text (a UID): a hash, since the text may be anything.

    Two different texts share a key with a probability of about n**2 / 2**63
    among n texts (5e-8 for a million): a duplicate reported wrongly is that
    rare.
    """
    from hashlib import blake2b  # local: few payloads have a UID, every run starts up

    digest = blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "big") % _KEYS


class Seen:
    """A set of int keys, each with the value recorded when it was first seen.

    An open-addressing table in two ``array('q')``: 16 bytes a slot, at most
    three quarters full (linear probing stays short there), where a
    ``dict`` of ints costs about 105 bytes an entry. What was added since
    the last :meth:`commit` can be taken back (:meth:`rollback`): a window
    of cards that a fix changed is checked again.
    """

    __slots__ = ("_count", "_journal", "_keys", "_resized", "_shift", "_values")

    def __init__(self) -> None:
        self._count = 0
        self._shift = 64 - 10
        self._keys = array("q", bytes(8 << 10))
        self._values = array("q", bytes(8 << 10))
        self._journal: list[int] = []
        self._resized = False

    def __len__(self) -> int:
        return self._count

    def _slot(self, key: int) -> int:
        """The slot that holds ``key``, or the empty slot where it would go."""
        keys = self._keys
        mask = len(keys) - 1
        stored = key + 1  # 0 marks an empty slot
        k = ((key * _GOLDEN) & _WORD) >> self._shift
        while True:
            found = keys[k]
            if found in (stored, _EMPTY):
                return k
            k = (k + 1) & mask

    def get(self, key: int) -> int | None:
        """The value recorded with ``key``, or None."""
        k = self._slot(key)
        return self._values[k] if self._keys[k] != _EMPTY else None

    def first(self, key: int, value: int) -> int | None:
        """The value recorded with ``key``; if it is new, record ``value`` and return None."""
        if not 0 <= key < _KEYS:
            raise ValueError(f"a key is a non-negative int below 2**62, not {key}")
        k = self._slot(key)
        if self._keys[k] != _EMPTY:
            return self._values[k]
        self._keys[k] = key + 1
        self._values[k] = value
        self._count += 1
        self._journal.append(key)
        if self._count * 4 > len(self._keys) * 3:
            self._grow()
        return None

    def _grow(self, size: int | None = None) -> None:
        old_keys, old_values = self._keys, self._values
        size = size or 2 * len(old_keys)
        self._keys = array("q", bytes(8 * size))
        self._values = array("q", bytes(8 * size))
        self._shift = 64 - (size.bit_length() - 1)
        keys, values = self._keys, self._values
        for stored, value in zip(old_keys, old_values, strict=True):
            if stored != _EMPTY:
                k = self._slot(stored - 1)
                keys[k] = stored
                values[k] = value
        self._resized = True

    def commit(self) -> None:
        """Keep what was added: it can no longer be taken back."""
        self._journal.clear()
        self._resized = False

    def rollback(self) -> None:
        """Forget what was added since the last :meth:`commit`."""
        journal = self._journal
        if not journal:
            return
        if self._resized:
            # Slots moved: rebuild without the keys taken back.
            drop = {key + 1 for key in journal}
            for k, stored in enumerate(self._keys):
                if stored in drop:
                    self._keys[k] = _EMPTY
            self._count -= len(journal)
            self._grow(len(self._keys))
        else:
            # Linear probing: removing the latest keys in reverse order of
            # their adding leaves the table as it was before them.
            for key in reversed(journal):
                k = self._slot(key)
                self._keys[k] = _EMPTY
                self._values[k] = 0
            self._count -= len(journal)
        self.commit()


class Payload:
    """One payload's state across its windows: cards before, a fatal issue, tables."""

    __slots__ = ("cards", "fatal", "tables")

    def __init__(self) -> None:
        self.cards = 0  # cards in the windows checked before
        self.fatal = False  # a card in them could not be read (VC104-VC107)
        self.tables: dict[str, Seen] = {}

    def table(self, name: str) -> Seen:
        table = self.tables.get(name)
        if table is None:
            table = self.tables[name] = Seen()
        return table

    def commit(self) -> None:
        for table in self.tables.values():
            table.commit()

    def rollback(self) -> None:
        for table in self.tables.values():
            table.rollback()
