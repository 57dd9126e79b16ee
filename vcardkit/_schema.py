"""json_schema(): the JSON Schema (2020-12) of the contact array, shipped as package data.

``contacts.schema.json`` is written by hand, with a description for every
key; ``tests/test_schema.py`` checks it against the key tables of
``_model/_json.py`` (so a key cannot be added to one and not the other) and
against ``validate`` on generated payloads.
"""

from __future__ import annotations

import json
from typing import Any, Final

__all__ = ["SCHEMA_FILE", "json_schema", "schema_text"]

SCHEMA_FILE: Final = "contacts.schema.json"

_text: str | None = None


def schema_text() -> str:
    """The schema file's text, read once (it is the package's own data)."""
    global _text
    if _text is None:
        # Imported here: importlib.resources is about 10 ms of import time
        # that only this function needs.
        from importlib import resources

        _text = resources.files("vcardkit").joinpath(SCHEMA_FILE).read_text(encoding="utf-8")
    return _text


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a payload of JSON contacts.

    A new dict at each call: the caller may change it. It rejects what
    :func:`validate` reports as VC602, VC603, VC604, VC605, VC409 and VC410,
    an unknown key and a single object included (warnings for ``validate``);
    its ``description`` lists what it cannot express and the rules that
    check it.
    """
    schema: dict[str, Any] = json.loads(schema_text())
    return schema
