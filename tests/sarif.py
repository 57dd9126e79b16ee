"""Every SARIF log the tests produce is checked against the official 2.1.0 schema.

``assert_valid_sarif(text)`` parses the text, validates it against the
vendored OASIS schema (``tests/schemas/``, draft-04) and returns the log, so a
test reads what it checks from the log the schema passed.
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path
from typing import Any, Final

import jsonschema

__all__ = ["SCHEMA_PATH", "assert_valid_sarif", "sarif_errors"]

SCHEMA_PATH: Final = Path(__file__).parent / "schemas" / "sarif-schema-2.1.0.json"

# RFC 3986 §2: what a URI may hold, each other octet percent-encoded. The
# schema's "uri" and "uri-reference" formats are checked with it (jsonschema
# checks them only with an extra package): a raw space, a non-ASCII
# character or a bare "%" in an artifact's uri is an error here.
_URI_CHARS: Final = r"(?:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*"
_URI_REFERENCE: Final = re.compile(_URI_CHARS)
_URI: Final = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:" + _URI_CHARS)


@functools.cache
def _validator() -> jsonschema.Draft4Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft4Validator.check_schema(schema)
    checker = jsonschema.FormatChecker(formats=())
    for name, pattern in (("uri", _URI), ("uri-reference", _URI_REFERENCE)):
        checker.checks(name)(functools.partial(_matches, pattern))
    return jsonschema.Draft4Validator(schema, format_checker=checker)


def _matches(pattern: re.Pattern[str], value: object) -> bool:
    return not isinstance(value, str) or pattern.fullmatch(value) is not None


def sarif_errors(log: Any) -> list[str]:
    """What the schema finds wrong in ``log`` (a parsed SARIF log), then two rules it cannot say."""
    found = sorted(_validator().iter_errors(log), key=lambda e: [str(p) for p in e.absolute_path])
    errors = [
        f"{'/'.join(map(str, error.absolute_path)) or '(root)'}: {error.message}" for error in found
    ]
    return errors + _base_errors(log, "")


def _base_errors(value: Any, where: str) -> list[str]:
    """SARIF 2.1.0 §3.4.4 and §3.14.14, which the schema does not check.

    A ``uriBaseId`` goes with a relative reference only (against a base, an
    absolute URI would name another file), and a base in
    ``originalUriBaseIds`` is an absolute URI ending in ``/``.
    """
    errors: list[str] = []
    if isinstance(value, dict):
        uri = value.get("uri")
        if isinstance(uri, str) and "uriBaseId" in value and _URI.fullmatch(uri):
            errors.append(f"{where}: absolute uri {uri!r} with a uriBaseId")
        for name, base in (value.get("originalUriBaseIds") or {}).items():
            base_uri = base.get("uri", "") if isinstance(base, dict) else ""
            if not (_URI.fullmatch(base_uri) and base_uri.endswith("/")):
                errors.append(f"{where}/originalUriBaseIds/{name}: not an absolute uri ending /")
        for key, item in value.items():
            errors.extend(_base_errors(item, f"{where}/{key}"))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            errors.extend(_base_errors(item, f"{where}/{i}"))
    return errors


def assert_valid_sarif(text: str) -> dict[str, Any]:
    """``text`` is one SARIF 2.1.0 log the official schema accepts; the parsed log."""
    log = json.loads(text)
    errors = sarif_errors(log)
    assert not errors, "not valid SARIF 2.1.0:\n" + "\n".join(errors[:20])
    assert isinstance(log, dict)
    return log
