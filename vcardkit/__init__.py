"""vcardkit: WhatsApp-style contact cards, vCard 3.0 and JSON, both ways, validated.

The public API; the implementation lives in the underscore modules.
"""

from __future__ import annotations

from vcardkit._errors import ValidationError, VCardError
from vcardkit._io import dump, dumps, iter_load, load, loads
from vcardkit._model._contact import Address, Contact, Email, Phone, Url
from vcardkit._model._json import from_json, to_json

__all__ = [
    "Address",
    "Contact",
    "Email",
    "Phone",
    "Url",
    "VCardError",
    "ValidationError",
    "dump",
    "dumps",
    "from_json",
    "iter_load",
    "load",
    "loads",
    "to_json",
]

__version__ = "0.1.0"
