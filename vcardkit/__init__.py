"""vcardkit: WhatsApp-style contact cards, vCard 3.0 and JSON, both ways, validated.

The public API; the implementation lives in the underscore modules.
"""

from __future__ import annotations

from vcardkit._errors import ValidationError, VCardError
from vcardkit._fixing import FixResult, fix
from vcardkit._io import dump, dumps, iter_load, load, loads
from vcardkit._model._contact import Address, Contact, Email, Phone, Url
from vcardkit._model._json import from_json, to_json
from vcardkit._rules._diagnostic import Diagnostic, Edit, Fix, Severity
from vcardkit._schema import json_schema
from vcardkit._types import (
    AddressDict,
    ContactDict,
    EmailDict,
    PhoneDict,
    ProfileName,
    SeverityName,
    UrlDict,
)
from vcardkit._validate import Report, check, iter_validate, rules, validate

__all__ = [
    "Address",
    "AddressDict",
    "Contact",
    "ContactDict",
    "Diagnostic",
    "Edit",
    "Email",
    "EmailDict",
    "Fix",
    "FixResult",
    "Phone",
    "PhoneDict",
    "ProfileName",
    "Report",
    "Severity",
    "SeverityName",
    "Url",
    "UrlDict",
    "VCardError",
    "ValidationError",
    "check",
    "dump",
    "dumps",
    "fix",
    "from_json",
    "iter_load",
    "iter_validate",
    "json_schema",
    "load",
    "loads",
    "rules",
    "to_json",
    "validate",
]

__version__ = "0.1.0"
