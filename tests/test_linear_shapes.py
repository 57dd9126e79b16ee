"""Shapes that once grew quadratically: the same diagnostics, found in one pass.

Nothing here is timed; each test pins what the single-pass code must still
report (worked out by hand from the rules' pages), on inputs of the shape that was slow.
"""

from __future__ import annotations

import json

import vcardkit
from vcardkit._syntax._jsonpos import JsonLocator


def _lines(*lines: str) -> str:
    return "".join(line + "\r\n" for line in lines)


def test_orphan_labels_name_their_property_wherever_it_is() -> None:
    card = _lines(
        "BEGIN:VCARD",
        "VERSION:3.0",
        "N:;Ann;;;",
        "FN:Ann",
        "item1.X-ABLabel:A",  # 5: before its property (line 7)
        "item2.X-ABLabel:B",  # 6: item2 has only labels
        "item1.TEL:+15555550100",
        "EMAIL:ann@example.com",
        "item1.X-ABLabel:C",  # 9: after EMAIL, not item1.TEL
        "item3.EMAIL:ann@example.org",
        "ITEM3.x-ablabel:D",  # follows its property (groups ignore case)
        "item3.X-ABLabel:E",  # follows a label of its group
        "END:VCARD",
    )
    report = vcardkit.validate(card, select=["VC207"])
    assert [(d.line, d.message) for d in report.diagnostics] == [
        (
            5,
            "the label item1.X-ABLabel does not follow a item1. property; "
            "its property is on line 7",
        ),
        (
            6,
            "the label item2.X-ABLabel does not follow a item2. property; "
            "no property has that group",
        ),
        (
            9,
            "the label item1.X-ABLabel does not follow a item1. property; "
            "its property is on line 7",
        ),
    ]


def test_every_orphan_label_of_a_long_card_is_reported() -> None:
    count = 400
    body = []
    for i in range(count):
        body += [f"item{i}.TEL:+1555555{i:04d}", "NOTE:x", f"item{i}.X-ABLabel:L{i}"]
    card = _lines("BEGIN:VCARD", "VERSION:3.0", "N:;Ann;;;", "FN:Ann", *body, "END:VCARD")
    report = vcardkit.validate(card, select=["VC207"])
    assert len(report.diagnostics) == count
    for i, d in enumerate(report.diagnostics):
        # item{i}.TEL is on line 5 + 3i, its label two lines below.
        assert d.line == 7 + 3 * i
        assert d.message.endswith(f"its property is on line {5 + 3 * i}")


def test_every_key_of_a_wide_object_is_located() -> None:
    count = 2000
    text = "{" + ", ".join(f'"k{i}": [{i}]' for i in range(count)) + "}"
    locator = JsonLocator(text)
    for i in range(count):
        key = text.index(f'"k{i}"')
        assert locator.key_offset(f"/k{i}") == key
        assert locator.value_offset(f"/k{i}") == key + len(f'"k{i}": ')
        assert locator.value_offset(f"/k{i}/0") == key + len(f'"k{i}": [')
    assert locator.value_offset(f"/k{count}") is None


def test_a_repeated_key_is_the_last_that_holds_the_rest_of_the_pointer() -> None:
    text = '{"a": {"x": 1}, "b": 2, "a": {"y": 3}, "a": 4}'
    locator = JsonLocator(text)
    assert locator.key_offset("/a") == text.rindex('"a"')
    assert locator.value_offset("/a/y") == text.index("3")
    assert locator.value_offset("/a/x") == text.index("1")
    assert locator.value_offset("/a/z") is None
    assert locator.value_offset("/b") == text.index("2")


def test_unknown_keys_of_a_wide_contact_each_point_at_their_key() -> None:
    count = 500
    obj = {"fullName": "Ann", "phoneNumber": "+201111111111", "whatsappId": "201111111111"}
    obj.update({f"zz{i}": "x" for i in range(count)})
    text = json.dumps([obj])
    report = vcardkit.validate(text, select=["VC603"])
    assert len(report.diagnostics) == count
    for i, d in enumerate(report.diagnostics):
        assert d.pointer == f"/0/zz{i}"
        assert (d.line, d.column) == (1, text.index(f'"zz{i}"') + 1)


def test_each_utf8_charset_of_a_line_is_removed_by_its_own_fix() -> None:
    count = 300
    note = "NOTE" + ";CHARSET=UTF-8" * count + ":A"  # each ";CHARSET=UTF-8" is 14 characters
    card = _lines("BEGIN:VCARD", "VERSION:3.0", "N:;Ann;;;", "FN:Ann", note, "END:VCARD")
    report = vcardkit.validate(card, select=["VC305"])
    assert len(report.diagnostics) == count
    for k, d in enumerate(report.diagnostics):
        assert (d.line, d.column) == (5, 6 + 14 * k)  # the parameter's name
        assert d.fix is not None
        (edit,) = d.fix.edits
        # From its ";" to the next parameter's ";" (the ":" for the last).
        assert (edit.start, edit.end, edit.text) == ((5, 5 + 14 * k), (5, 19 + 14 * k), "")
