"""vcardkit: WhatsApp-style contact cards, vCard 3.0 and JSON, both ways, validated.

The public API; the implementation lives in the underscore modules.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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

# The names are imported on first use (PEP 562): `vcardkit lint` imports this
# package before anything else, and importing every implementation module here
# (the fix engine, the JSON Schema, the sender shapes) was a fifth of a
# one-card lint's start-up. `from vcardkit import dumps` reads the same.
_SOURCES: dict[str, str] = {
    "Address": "vcardkit._model._contact",
    "AddressDict": "vcardkit._types",
    "Contact": "vcardkit._model._contact",
    "ContactDict": "vcardkit._types",
    "Diagnostic": "vcardkit._rules._diagnostic",
    "Edit": "vcardkit._rules._diagnostic",
    "Email": "vcardkit._model._contact",
    "EmailDict": "vcardkit._types",
    "Fix": "vcardkit._rules._diagnostic",
    "FixResult": "vcardkit._fixing",
    "Phone": "vcardkit._model._contact",
    "PhoneDict": "vcardkit._types",
    "ProfileName": "vcardkit._types",
    "Report": "vcardkit._validate",
    "Severity": "vcardkit._rules._diagnostic",
    "SeverityName": "vcardkit._types",
    "Url": "vcardkit._model._contact",
    "UrlDict": "vcardkit._types",
    "VCardError": "vcardkit._errors",
    "ValidationError": "vcardkit._errors",
    "check": "vcardkit._validate",
    "dump": "vcardkit._io",
    "dumps": "vcardkit._io",
    "fix": "vcardkit._fixing",
    "from_json": "vcardkit._model._json",
    "iter_load": "vcardkit._io",
    "iter_validate": "vcardkit._validate",
    "json_schema": "vcardkit._schema",
    "load": "vcardkit._io",
    "loads": "vcardkit._io",
    "rules": "vcardkit._validate",
    "to_json": "vcardkit._model._json",
    "validate": "vcardkit._validate",
}


def __getattr__(name: str) -> Any:
    module = _SOURCES.get(name)
    if module is None:
        raise AttributeError(f"module 'vcardkit' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # the next lookup does not come here
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
