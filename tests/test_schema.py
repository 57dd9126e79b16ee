"""The JSON Schema of the contact array: valid 2020-12, in step with the key tables and validate.

``vcardkit.json_schema()`` is a contract other senders check payloads with,
so it must say what vcardkit itself reads: the same keys as the tables of
``_model/_json.py``, the same types as ``from_json``, and the same verdict as
``validate`` on the shape of a payload (see
:func:`test_schema_agrees_with_validate_on_the_shape`).
"""

from __future__ import annotations

import copy
import json
import os
import re
import sys
from typing import Any, Final

import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

import vcardkit
from tests.clitools import run
from tests.conftest import ROOT
from vcardkit._model._json import ADDRESS_KEYS, CONTACT_KEYS, EMAIL_KEYS, PHONE_KEYS, URL_KEYS
from vcardkit._rules._documents import Context
from vcardkit._rules._engine import resolve
from vcardkit._rules._registry import REGISTRY
from vcardkit._validate import validate_with
from vcardkit.strategies import contacts, json_contacts

SETTINGS = settings(
    max_examples=int(os.environ.get("VCARDKIT_EXAMPLES", "150")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

SCHEMA: Final = vcardkit.json_schema()
VALIDATOR: Final = Draft202012Validator(SCHEMA)

# The codes whose verdict the schema shares: what validate says about the
# shape of the decoded payload. VC601 (text that is not JSON) cannot happen
# to a decoded value; it is selected so that the test fails if validate
# ever reports it for JSON it was given.
SHAPE_CODES: Final = ("VC601", "VC602", "VC603", "VC604", "VC605", "VC409", "VC410")


def test_schema_is_a_valid_2020_12_schema() -> None:
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    # Checks the "regex" format of the pattern too.
    Draft202012Validator.check_schema(SCHEMA)


def test_schema_top_level_is_a_strict_array() -> None:
    assert SCHEMA["type"] == "array"
    assert (SCHEMA["minItems"], SCHEMA["maxItems"]) == (1, 257)
    for name in ("contact", "phone", "email", "address", "url"):
        assert SCHEMA["$defs"][name]["additionalProperties"] is False, name


# What each kind of the key tables reads, as the schema must say it: null is
# an absent field (from_json and VC604 skip it).
KIND_SCHEMAS: Final[dict[str, dict[str, Any]]] = {
    "str": {"type": ["string", "null"]},
    "types": {"type": ["string", "array", "null"], "items": {"type": "string"}},
    "strs": {"type": ["array", "null"], "items": {"type": "string"}},
    **{
        kind: {"type": ["array", "null"], "items": {"$ref": f"#/$defs/{kind}"}}
        for kind in ("phone", "email", "address", "url")
    },
}
TABLES: Final = {
    "contact": CONTACT_KEYS,
    "phone": PHONE_KEYS,
    "email": EMAIL_KEYS,
    "address": ADDRESS_KEYS,
    "url": URL_KEYS,
}


@pytest.mark.parametrize("name", list(TABLES))
def test_schema_keys_and_types_follow_the_key_tables(name: str) -> None:
    """A key added to a table (or a kind changed) without the schema fails here."""
    properties = SCHEMA["$defs"][name]["properties"]
    table = TABLES[name]
    assert list(properties) == list(table)  # the same keys, in the same order
    for key, (_, kind) in table.items():
        described = dict(properties[key])
        assert described.pop("description", "").strip(), f"{name}.{key} has no description"
        assert described == KIND_SCHEMAS[kind], f"{name}.{key}"


def test_schema_description_names_real_rules() -> None:
    codes = {rule.code for rule in REGISTRY}
    named = set(re.findall(r"VC\d{3}", SCHEMA["description"]))
    assert named - codes == set()
    # What the schema shares with validate, and the main things it cannot say.
    assert set(SHAPE_CODES) - {"VC601"} <= named
    assert {"VC401", "VC402", "VC404", "VC405", "VC411", "VC501", "VC607", "VC608"} <= named


def test_the_name_pattern_is_what_str_strip_keeps() -> None:
    """VC605's blank fullName is one str.strip() empties: the pattern matches any other
    character (written with \\u escapes, it means the same to ECMA-262 regexes)."""
    (by_name,) = [b for b in SCHEMA["$defs"]["contact"]["anyOf"] if b["required"] == ["fullName"]]
    pattern = re.compile(by_name["properties"]["fullName"]["pattern"])
    kept = [c for c in range(sys.maxunicode + 1) if pattern.fullmatch(chr(c))]
    assert len(kept) + sum(chr(c).isspace() for c in range(sys.maxunicode + 1)) == (
        sys.maxunicode + 1
    )
    assert not any(chr(c).isspace() for c in kept)


def test_json_schema_is_a_new_dict_each_time() -> None:
    first = vcardkit.json_schema()
    first["type"] = "object"
    first["$defs"]["contact"]["properties"].clear()
    assert vcardkit.json_schema() == SCHEMA


def test_schema_is_shipped_in_the_package() -> None:
    """The file the package reads is inside it, and listed as package data."""
    path = ROOT / "vcardkit" / "contacts.schema.json"
    assert json.loads(path.read_text(encoding="utf-8")) == SCHEMA
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert re.search(r'(?m)^vcardkit = \[.*"contacts\.schema\.json".*\]$', pyproject)


def test_cli_schema_prints_the_schema() -> None:
    result = run("schema")
    assert (result.code, result.err) == (0, "")
    assert json.loads(result.out) == vcardkit.json_schema()
    # The shipped file is written as the command prints it: `vcardkit schema
    # > contacts.schema.json` gives the same bytes.
    path = ROOT / "vcardkit" / "contacts.schema.json"
    assert result.out == path.read_text(encoding="utf-8")


# ---------------------------------------------------------------------------
# The schema and validate agree


def shape_diagnostics(payload: Any) -> list[vcardkit.Diagnostic]:
    """What validate reports of ``payload``'s JSON text under the shape codes."""
    text = json.dumps(payload)
    if isinstance(payload, (list, dict)):
        return list(vcardkit.validate(text, select=SHAPE_CODES).diagnostics)
    # validate() sniffs text that does not start with [ or { as VCF; a .json
    # file of the CLI is JSON whatever it holds, as here.
    config = resolve(REGISTRY, profile="whatsapp", select=SHAPE_CODES)
    return list(validate_with(text, config, Context(), kind="json"))


def schema_errors(payload: Any) -> list[str]:
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in VALIDATOR.iter_errors(payload)
    ]


def assert_agree(payload: Any) -> list[vcardkit.Diagnostic]:
    errors = schema_errors(payload)
    diagnostics = shape_diagnostics(payload)
    shown = json.dumps(payload, ensure_ascii=False)[:2000]
    assert bool(errors) == bool(diagnostics), (
        f"{shown}\nschema: {errors[:5]}\nvalidate: "
        f"{[(d.code, d.pointer, d.message) for d in diagnostics]}"
    )
    return diagnostics


# Keys known somewhere, so that a key of an item put on a contact (or the
# other way round) is tried, and near misses that VC603 suggests a key for.
_KNOWN_ANYWHERE: Final = sorted({k for table in TABLES.values() for k in table})
_KEYS: Final = st.one_of(
    st.sampled_from(_KNOWN_ANYWHERE),
    st.sampled_from(["fullname", "phone", "Type", "e-mail", "", " ", "items", "$ref"]),
    st.text(max_size=8),
)
# Strings a blank-name check must tell apart: Python's white space (which
# str.strip() removes, \x1c-\x1f and \x85 included) and near-white-space
# that is not (U+FEFF, U+200B, U+180E).
_BLANKS: Final = st.text(
    alphabet="\t\n\x0b\x0c\r\x1c\x1f \x85\xa0\u1680\u2000\u200a\u2028\u2029\u202f\u205f\u3000"
    "\ufeff\u200b\u180ea",
    max_size=4,
)
_SCALARS: Final = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=6),
    _BLANKS,
)
_JSON: Final = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(_KEYS, inner, max_size=3)),
    max_leaves=6,
)
_CARD: Final = "BEGIN:VCARD\r\nVERSION:3.0\r\nN:;Ann;;;\r\nFN:Ann\r\nEND:VCARD\r\n"


def _slots(value: Any) -> list[tuple[Any, Any]]:
    """(container, key or index) of every value in a JSON tree."""
    out: list[tuple[Any, Any]] = []
    stack = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            pairs: list[tuple[Any, Any]] = list(node.items())
        elif isinstance(node, list):
            pairs = list(enumerate(node))
        else:
            continue
        for key, child in pairs:
            out.append((node, key))
            stack.append(child)
    return out


def _objects(value: Any) -> list[dict[str, Any]]:
    out = [value] if isinstance(value, dict) else []
    for container, key in _slots(value):
        if isinstance(container[key], dict):
            out.append(container[key])
    return out


_ITEM_KINDS: Final = {"phones": "phone", "emails": "email", "addresses": "address", "urls": "url"}


def _typed_objects(payload: Any) -> list[tuple[str, dict[str, Any]]]:
    """(kind, object) of the contacts of a payload and of their items."""
    out: list[tuple[str, dict[str, Any]]] = []
    for contact in payload if isinstance(payload, list) else [payload]:
        if not isinstance(contact, dict):
            continue
        out.append(("contact", contact))
        for key, kind in _ITEM_KINDS.items():
            items = contact.get(key)
            if isinstance(items, list):
                out.extend((kind, item) for item in items if isinstance(item, dict))
    return out


@st.composite
def payloads(draw: st.DrawFn) -> Any:
    """Generated contacts, then a few mutations that break (or keep) their shape."""
    payload: Any = draw(st.lists(json_contacts(), min_size=1, max_size=3))
    for contact in payload:
        # Mostly named, so that as many payloads pass as fail.
        if not str(contact.get("fullName", "")).strip() and draw(st.integers(0, 4)):
            contact["fullName"] = "Ann"
    for _ in range(draw(st.sampled_from([0, 0, 1, 1, 2, 3]))):
        mutation = draw(st.integers(0, 9))
        slots = _slots(payload)
        objects = _objects(payload)
        if mutation <= 2 and slots:  # any value replaced: a wrong type, or a right one
            container, key = draw(st.sampled_from(slots))
            container[key] = draw(_JSON)
        elif mutation <= 4 and objects:  # a key added, known elsewhere or not at all
            draw(st.sampled_from(objects))[draw(_KEYS)] = draw(_JSON)
        elif mutation == 5 and objects:  # a key removed (fullName, often)
            obj = draw(st.sampled_from(objects))
            if obj:
                del obj[draw(st.sampled_from(sorted(obj)))]
        elif mutation == 6 and objects:  # the name and the vcard
            obj = draw(st.sampled_from(objects))
            key = draw(st.sampled_from(["fullName", "vcard"]))
            obj[key] = draw(st.one_of(_BLANKS, st.just(_CARD), st.just("Ann"), _SCALARS))
        elif mutation == 7 and (typed := _typed_objects(payload)):
            # A known key of a contact or an item set to a scalar or an array
            # of scalars: a number where a string goes, null, [1] for "type"...
            kind, obj = draw(st.sampled_from(typed))
            key = draw(st.sampled_from(list(TABLES[kind])))
            obj[key] = draw(st.one_of(_SCALARS, st.lists(_SCALARS, max_size=2)))
        elif mutation == 8:  # the top level: one object, a scalar, empty, too long
            shape = draw(st.integers(0, 3))
            if shape == 0 and isinstance(payload, list) and payload:
                payload = payload[0]
            elif shape == 1:
                payload = draw(_SCALARS)
            elif shape == 2 and isinstance(payload, list):
                payload = payload[:0]
            elif shape == 3 and isinstance(payload, list) and payload:
                payload = [
                    copy.deepcopy(payload[0]) for _ in range(draw(st.sampled_from([257, 258])))
                ]
        elif isinstance(payload, list):  # an element that is not an object
            payload.insert(draw(st.integers(0, len(payload))), draw(_SCALARS))
    return payload


@SETTINGS
@given(payloads())
@example([{"fullName": "Ann"}])
@example({"fullName": "Ann"})  # a single object: VC602 at warning
@example([{"fullName": "Ann", "fullname": "Ann"}])  # VC603 at warning
@example([{"fullName": "Ann", "phones": [{"phoneNumber": "+1", "email": "a@b.c"}]}])
@example([{"fullName": "\x1c\u3000"}])  # blank to str.strip()
@example([{"fullName": "\ufeff"}])  # not blank to str.strip()
@example([{"fullName": None, "vcard": _CARD}])
@example([{"vcard": None}])
@example([{"fullName": 5}])
@example([{"fullName": "Ann", "emails": {"email": "a@b.c"}}])
@example([{"fullName": "Ann", "emails": [{"email": "a@b.c", "type": "WORK"}]}])
@example([{"fullName": "Ann", "urls": [{"url": "x", "type": ["A", 1]}]}])
@example([{"fullName": "Ann", "extraProperties": "X-A:1"}])
@example([{"fullName": "Ann"}] * 257)
@example([{"fullName": "Ann"}] * 258)
@example([])
@example([None])
@example("[]")
@example(None)
def test_schema_agrees_with_validate_on_the_shape(payload: Any) -> None:
    """A payload is schema-valid iff validate reports none of the shape codes.

    The shape codes are those a JSON Schema can decide on the decoded value:
    VC602 (not an array of objects), VC603 (unknown key), VC604 (wrong
    type), VC605 (no non-blank fullName and no vcard string), VC409 (more
    than 257 contacts) and VC410 (none). Their severity does not matter:
    VC602 for a single object and VC603 are warnings for validate, which
    reads past them, and errors for the schema, a contract. The other VC6xx
    rules judge content the schema leaves to validate (the cards in a vcard
    string, VC607; the content lines of extraProperties, VC608; a vcard with
    fields, VC606), as do the phone, name and value rules; VC601 is text that
    is not JSON, and never happens here.
    """
    diagnostics = assert_agree(payload)
    event("rejected" if diagnostics else "accepted")
    for code in sorted({d.code for d in diagnostics}):
        event(code)


# One value of each JSON type and of each kind the tables read, for every key.
_EACH_KIND: Final = [None, "", "Ann", " ", 5, 1.5, True, {}, [], ["WORK"], [5], [None], [{}], [[]]]
_ITEM_ARRAY: Final = {kind: key for key, kind in _ITEM_KINDS.items()}


@pytest.mark.parametrize(
    ("kind", "key"), [(kind, key) for kind, table in TABLES.items() for key in table]
)
def test_schema_agrees_with_validate_on_every_key(kind: str, key: str) -> None:
    """Each key of each table, set to a value of each JSON type, on a contact or an item."""
    for value in _EACH_KIND:
        if kind == "contact":
            payload: Any = [{"fullName": "Ann", key: value}]
        else:
            payload = [{"fullName": "Ann", _ITEM_ARRAY[kind]: [{key: value}]}]
        assert_agree(payload)


@SETTINGS
@given(st.lists(contacts(), min_size=1, max_size=3))
def test_what_to_json_writes_the_schema_accepts(cs: list[vcardkit.Contact]) -> None:
    """to_json of any contacts passes the schema, but for a missing name (VC605)."""
    data = vcardkit.to_json(cs)
    named = all(c.full_name is not None and c.full_name.strip() for c in cs)
    assert VALIDATOR.is_valid(data) == named, schema_errors(data)


@pytest.mark.parametrize(
    ("payload", "ok"),
    [
        ({"fullName": "Ann"}, True),
        ([{"fullName": "Ann", "fullname": "Ann"}], True),
    ],
)
def test_schema_rejects_what_validate_only_warns_about(payload: Any, ok: bool) -> None:
    report = vcardkit.validate(payload, select=SHAPE_CODES)
    assert report.ok is ok and report.warnings
    assert not VALIDATOR.is_valid(payload)


def test_golden_and_example_json_files_pass_the_schema() -> None:
    paths = [
        *sorted((ROOT / "fixtures" / "golden").glob("*.json")),
        ROOT / "fixtures" / "examples" / "contacts.json",
    ]
    for path in paths:
        data = json.loads(path.read_text(encoding="utf-8"))
        assert schema_errors(data) == [], path


# ---------------------------------------------------------------------------
# to_json: one shape for each field


@SETTINGS
@given(st.lists(contacts(), min_size=1, max_size=3))
def test_to_json_writes_each_field_in_one_shape(cs: list[vcardkit.Contact]) -> None:
    """Every value to_json writes is a string, a list of strings, or a list of objects
    whose values are strings or lists of strings: ``type`` is a list even of one."""
    for contact in vcardkit.to_json(cs):
        for key, value in contact.items():
            kind = CONTACT_KEYS[key][1]
            if kind == "str":
                # "" is a value only for a phone's number and WhatsApp id (an
                # empty TEL, an empty waid); any other empty field is left out.
                assert isinstance(value, str), key
                assert value or key in ("phoneNumber", "whatsappId"), key
            elif kind in ("types", "strs"):
                assert isinstance(value, list) and all(isinstance(v, str) for v in value), key
            else:
                for item in value:
                    for k, v in item.items():
                        if TABLES[kind][k][1] == "str":
                            assert isinstance(v, str), (key, k)
                        else:
                            assert isinstance(v, list) and v, (key, k)
                            assert all(isinstance(s, str) for s in v), (key, k)


def test_from_json_still_reads_a_type_string() -> None:
    as_string = [{"fullName": "Ann", "emails": [{"email": "a@b.c", "type": "WORK"}]}]
    as_list = [{"fullName": "Ann", "emails": [{"email": "a@b.c", "type": ["WORK"]}]}]
    assert vcardkit.from_json(as_string) == vcardkit.from_json(as_list)
    assert vcardkit.to_json(vcardkit.from_json(as_string)) == as_list
