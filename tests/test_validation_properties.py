"""Properties of validation: it never raises, points inside its input, accepts what dumps writes.

The first two run on arbitrary bytes and on hostile JSON; the others on the
contacts of :mod:`vcardkit.strategies`, which are in canonical form.
"""

from __future__ import annotations

import json
import os
import re
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import vcardkit
from vcardkit import Severity, ValidationError
from vcardkit._syntax._decode import decode
from vcardkit.strategies import contacts, vcards

SETTINGS = settings(
    max_examples=int(os.environ.get("VCARDKIT_EXAMPLES", "150")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# Pieces that reach the reader's and the decoder's corners: fold white space,
# every line ending, quotes, escapes, split UTF-8 sequences, BOMs, JSON.
ATOMS = [
    *(
        s.encode()
        for s in (
            "BEGIN:VCARD",
            "END:VCARD",
            "VERSION:3.0",
            "VERSION:2.1",
            "N:",
            "FN:",
            "TEL",
            "item1.",
            "X-ABLabel",
            ";",
            ":",
            ",",
            "\\",
            "=",
            '"',
            " ",
            "\t",
            "\r\n",
            "\n",
            "\r",
            "TYPE=",
            "ENCODING=QUOTED-PRINTABLE",
            "=0D=0A",
            "é",
            "😀",
            "\u2028",
            "\x00",
            "\x07",
            "[",
            "]",
            "{",
            "}",
            '"vcard"',
            '"fullName"',
            '"phones"',
            '"extraProperties"',
            "\\u00e9",
            "\\ud83d",
            "\\n",
            "null",
            "1",
            "a" * 80,
        )
    ),
    b"\xe2\x82",
    b"\xac",
    b"\xff",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
]
BYTES = st.one_of(
    st.binary(max_size=200),
    st.lists(st.sampled_from(ATOMS), max_size=60).map(b"".join),
)

TEXT = st.lists(
    st.sampled_from(
        [
            "BEGIN:VCARD",
            "END:VCARD",
            "VERSION:3.0",
            "N:;A;;;",
            "FN:A",
            "TEL;WORK:+1",
            "\r\n",
            "\n",
            "\r",
            " ",
            ";",
            ",",
            ":",
            '"',
            "\\",
            "=",
            "\x07",
            "\ud800",
            "é",
            "😀",
            "\u2028",
            "a" * 80,
            "item 1",
            "X-A=b",
        ]
    ),
    max_size=25,
).map("".join)
KEYS = st.sampled_from(
    [
        "fullName",
        "organization",
        "phoneNumber",
        "whatsappId",
        "birthday",
        "note",
        "vcard",
        "phones",
        "emails",
        "urls",
        "addresses",
        "extraProperties",
        "fulname",
    ]
)
ITEM = st.dictionaries(
    st.sampled_from(["phoneNumber", "email", "url", "type", "group", "parameters", "x"]),
    st.one_of(TEXT, st.lists(TEXT, max_size=2), st.none(), st.integers()),
    max_size=4,
)
VALUE = st.one_of(
    TEXT, st.none(), st.integers(), st.lists(TEXT, max_size=3), st.lists(ITEM, max_size=2)
)
CONTACT = st.dictionaries(KEYS, VALUE, max_size=6)
PAYLOAD = st.one_of(st.lists(CONTACT, max_size=3), CONTACT)


@st.composite
def json_texts(draw: st.DrawFn) -> bytes:
    payload = draw(PAYLOAD)
    text = json.dumps(
        payload, ensure_ascii=draw(st.booleans()), indent=draw(st.sampled_from([None, 2]))
    )
    text = text.replace("\n", draw(st.sampled_from(["\n", "\r\n", "\r", "\r\r\n"])))
    return text.encode(draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16"])), "surrogatepass")


def _lines(data: bytes) -> list[str]:
    """The physical lines of the decoded input (docs/rules/index.md "Where a diagnostic points")."""
    return re.split(r"\r\n|\r|\n", decode(data).text)


def _assert_inside(data: bytes, report: vcardkit.Report) -> None:
    lines = _lines(data)
    for d in report.diagnostics:
        assert (d.line is None) == (d.column is None), d
        if d.line is None:
            continue
        assert 1 <= d.line <= len(lines), (d, len(lines))
        # A column may address the line break itself (one past the last character).
        assert 1 <= d.column <= len(lines[d.line - 1]) + 1, (d, lines[d.line - 1])  # type: ignore[operator]


@SETTINGS
@given(BYTES, st.sampled_from(["whatsapp", "rfc2426"]))
def test_diagnostics_on_arbitrary_bytes_never_raise_and_lie_inside(
    data: bytes, profile: str
) -> None:
    """Any bytes validate without raising, and every position is inside the input."""
    _assert_inside(data, vcardkit.validate(data, profile=profile))


@SETTINGS
@given(json_texts())
def test_diagnostics_on_hostile_json_never_raise_and_lie_inside(data: bytes) -> None:
    """Any JSON payload (vcard strings, escapes, every line ending) validates inside its text."""
    _assert_inside(data, vcardkit.validate(data))


@SETTINGS
@given(vcards().map(lambda s: s.encode("utf-8", "surrogatepass")))
def test_diagnostics_on_producer_cards_lie_inside(data: bytes) -> None:
    """Cards as other producers write them validate with positions inside them."""
    _assert_inside(data, vcardkit.validate(data))


@SETTINGS
@given(st.one_of(PAYLOAD, st.lists(contacts(), max_size=2)))
def test_check_raises_only_validation_error_and_only_when_it_must(data: Any) -> None:
    """check() returns a payload or raises ValidationError; it raises when validate() errs."""
    report = vcardkit.validate(data)
    try:
        payload = vcardkit.check(data)
    except ValidationError as exc:
        assert any(d.severity is Severity.ERROR for d in exc.diagnostics)
        return
    assert report.ok
    assert isinstance(payload, str)


NAMED = contacts().filter(lambda c: bool((c.full_name or "").strip()))
STRUCTURAL = ("VC1", "VC2")
# What the writer alone decides: the line endings asked for, fold lengths and
# UTF-8 boundaries, five N components, no extra components.
WRITER_FAULTS = {"VC111", "VC112", "VC205", "VC208"}


@SETTINGS
@given(st.lists(NAMED, min_size=1, max_size=2), st.sampled_from(["\r\n", "\n"]))
def test_what_dumps_and_to_json_write_validates(cs: list[vcardkit.Contact], eol: str) -> None:
    """Named contacts dump to cards free of structural errors, and to JSON free of VC6xx."""
    text = vcardkit.dumps(cs, line_ending=eol)
    report = vcardkit.validate(text, select=list(STRUCTURAL))
    assert report.errors == ()
    faults = WRITER_FAULTS | ({"VC103"} if eol == "\r\n" else set())
    assert [d for d in report.diagnostics if d.code in faults] == []
    assert {d.card for d in report.diagnostics if d.card is not None} <= set(range(len(cs)))
    data = json.dumps(vcardkit.to_json(cs)).encode()
    assert vcardkit.validate(data, select=["VC6"]).diagnostics == ()
