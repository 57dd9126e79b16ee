"""Other senders' payload shapes: vcardkit's contacts to each and back.

Each shape has a pair of functions. ``to_*(contacts, /, *, lossy=False)``
takes what :func:`vcardkit.dumps` takes (``Contact`` objects or JSON contact
mappings) and returns the shape, ready for ``json.dumps``; ``from_*(data, /)``
takes the shape (decoded, or JSON text or bytes) and returns
``list[Contact]``.

- :func:`to_cloud_api` / :func:`from_cloud_api`: Meta's WhatsApp Cloud API
  contacts object;
- :func:`to_evolution` / :func:`from_evolution`: Evolution API's
  ``sendContact`` contact;
- :func:`to_baileys` / :func:`from_baileys`: Baileys' ``contacts`` message;
- :func:`to_waha` / :func:`from_waha`: WAHA's and Wawp's body, vcardkit's own
  JSON contact, flat or as a ``vcard``.

A field the target shape cannot carry raises :class:`vcardkit.VCardError`
naming it by its JSON Pointer (``err.pointer == "/0/note"``), unless
``lossy=True`` is passed, in which case it is dropped; each ``to_*`` says what
its shape cannot carry. Malformed input to ``from_*`` raises ``VCardError``
with a pointer, never a ``KeyError`` or ``TypeError``.

:data:`SHAPES` maps each shape's name to its ``(reader, writer)`` pair, for a
caller that takes the format by name (``vcardkit convert --to cloud-api``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any, Final, NamedTuple, Protocol

from vcardkit._model._contact import Contact
from vcardkit._senders._baileys import from_baileys, to_baileys
from vcardkit._senders._cloud import from_cloud_api, to_cloud_api
from vcardkit._senders._common import Contacts
from vcardkit._senders._evolution import from_evolution, to_evolution
from vcardkit._senders._waha import from_waha, to_waha

__all__ = [
    "SHAPES",
    "Shape",
    "Writer",
    "from_baileys",
    "from_cloud_api",
    "from_evolution",
    "from_waha",
    "to_baileys",
    "to_cloud_api",
    "to_evolution",
    "to_waha",
]


class Writer(Protocol):
    """What every ``to_*`` is: ``writer(contacts, lossy=...)`` gives the shape."""

    def __call__(self, contacts: Contacts, /, *, lossy: bool = False) -> Any: ...


class Shape(NamedTuple):
    """A shape's reader (``from_*``) and writer (``to_*``); unpacks as a pair."""

    reader: Callable[[Any], list[Contact]]
    writer: Writer


#: The shapes by name: ``reader, writer = SHAPES["cloud-api"]``. Read-only.
SHAPES: Final[Mapping[str, Shape]] = MappingProxyType(
    {
        "cloud-api": Shape(from_cloud_api, to_cloud_api),
        "evolution": Shape(from_evolution, to_evolution),
        "baileys": Shape(from_baileys, to_baileys),
        "waha": Shape(from_waha, to_waha),
    }
)
