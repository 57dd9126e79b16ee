"""Where diagnostics point (docs/rules/index.md "Where a diagnostic points"), counted by hand.

Physical lines: CRLF, LF and a lone CR each end one line, so CR CR LF is
two. Columns: code points of the decoded line, 1-based, through folds. In
JSON: a value at its first character, an unknown key at the key, a missing
key at the object's ``{``. Inside a ``vcard`` string: positions in the JSON
file through the string's escapes; whole-card faults at its opening quote.
Each expectation carries the count that gives it.
"""

from __future__ import annotations

import codecs

import vcardkit

HEAD = "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Doe;Ann;;;\r\nFN:Ann Doe\r\n"
END = "END:VCARD\r\n"


def where(data: object, *select: str) -> list[tuple[str, int | None, int | None]]:
    report = vcardkit.validate(data, select=list(select))
    return [(d.code, d.line, d.column) for d in report.diagnostics]


def located(data: object, *select: str) -> list[tuple[object, ...]]:
    report = vcardkit.validate(data, select=list(select))
    return [(d.code, d.line, d.column, d.card, d.pointer) for d in report.diagnostics]


# ---------------------------------------------------------------------------
# JSON


MULTILINE_JSON = b"""[
  {
    "fullName": "Ann",
    "organisation": "Wawp",
    "phones": [
      {"phoneNumber": 15555550100}
    ]
  },
  {
    "phoneNumber": "+15555550100"
  }
]
"""


def test_multiline_json_key_value_and_missing_key() -> None:
    assert located(MULTILINE_JSON, "VC603", "VC604", "VC605") == [
        # Line 4: 4 spaces, the unknown key's quote at 5.
        ("VC603", 4, 5, 0, "/0/organisation"),
        # Line 6: 6 spaces, "{" 7, "phoneNumber" 8-20, ":" 21, space 22,
        # the number at 23.
        ("VC604", 6, 23, 0, "/0/phones/0/phoneNumber"),
        # Contact 1 lacks fullName: at its "{", line 9, column 3.
        ("VC605", 9, 3, 1, "/1"),
    ]


def test_json_columns_count_code_points() -> None:
    data = '[{"fullName": "Zoë 😀 日本", "x": 1}]'.encode()
    # "[" 1, "{" 2, "fullName" 3-12, ":" 13, space 14, quote 15, Z 16, o 17,
    # ë 18, space 19, emoji 20, space 21, 日 22, 本 23, quote 24, "," 25,
    # space 26, the key's quote at 27.
    assert where(data, "VC603") == [("VC603", 1, 27)]
    # The same in UTF-16: code points, not bytes or UTF-16 units.
    assert where(data.decode().encode("utf-16"), "VC603") == [("VC603", 1, 27)]


def test_json_bom_is_not_a_column() -> None:
    data = codecs.BOM_UTF8 + b'[{"x": 1, "fullName": "A"}]'
    assert where(data, "VC603") == [("VC603", 1, 3)]


def test_json_cr_cr_lf_is_two_lines() -> None:
    data = b'[\r\r\n{"fullName": "A",\r\r\n"x": 1}]\r\r\n'
    # Line 1 "[", line 2 empty, line 3 the object's start, line 4 empty,
    # line 5 '"x": 1}]'.
    assert where(data, "VC603") == [("VC603", 5, 1)]


def test_json_lone_cr_ends_a_line_and_u2028_does_not() -> None:
    data = '[{"fullName": "A\u2028B",\r"x": 1}]'.encode()
    assert where(data, "VC603") == [("VC603", 2, 1)]


def test_json_unknown_key_with_escapes_in_its_name() -> None:
    data = b'[{"fullName": "A",\n  "caf\\u00e9/\\"x\\"": 1}]'
    assert located(data, "VC603") == [("VC603", 2, 3, 0, '/0/café~1"x"')]


def test_python_objects_have_pointers_not_positions() -> None:
    data = [{"fullName": "A", "x": 1, "phones": [{"phoneNumber": 1}]}, {"title": "T"}]
    assert located(data, "VC6") == [
        ("VC603", None, None, 0, "/0/x"),
        ("VC604", None, None, 0, "/0/phones/0/phoneNumber"),
        ("VC605", None, None, 1, "/1"),
    ]


# ---------------------------------------------------------------------------
# VCF


def test_fault_on_a_continuation_line_through_folds() -> None:
    text = HEAD + "NOTE:日本\r\n\t😀e\u0301\x07\r\n \u2028\r\n" + END
    assert where(text.encode(), "VC113", "VC117") == [
        # Line 6 continues line 5 (with a TAB): TAB 1, emoji 2, e 3, the
        # combining accent 4, U+0007 at 5.
        ("VC113", 6, 5),
        # Line 7: the fold's space 1, U+2028 at 2.
        ("VC117", 7, 2),
    ]


def test_a_whole_value_on_a_continuation_line() -> None:
    text = "BEGIN:VCARD\r\nVERSION:\r\n 4.0\r\nFN:Ann\r\n" + END
    # The value of VERSION starts after the fold's space on line 3.
    assert where(text.encode(), "VC202") == [("VC202", 3, 2)]


def test_non_ascii_before_the_fault_counts_code_points() -> None:
    text = HEAD + "TITLE:Zoë 😀 日本\x07\r\n" + END
    # "TITLE:" 1-6, Z 7, o 8, ë 9, space 10, emoji 11, space 12, 日 13, 本 14,
    # U+0007 at 15.
    assert where(text.encode(), "VC113") == [("VC113", 5, 15)]
    assert where(text.encode("utf-16"), "VC113") == [("VC113", 5, 15)]


def test_cr_cr_lf_doubles_the_lines() -> None:
    text = HEAD.replace("\r\n", "\r\r\n") + "NOTE:a\x07b\r\r\nEND:VCARD\r\r\n"
    # Each line is followed by an empty one: NOTE is physical line 9.
    assert where(text.encode(), "VC113", "VC103") == [("VC103", 1, 12), ("VC113", 9, 7)]


def test_lone_cr_ends_a_line() -> None:
    text = HEAD.replace("\r\n", "\r") + "NOTE:a\x07b\rEND:VCARD\r"
    assert where(text.encode(), "VC113") == [("VC113", 5, 7)]


def test_quoted_printable_soft_break_continues_on_the_next_line() -> None:
    data = (
        b"BEGIN:VCARD\r\nVERSION:2.1\r\nN:Doe;Ann\r\n"
        b"NOTE;ENCODING=QUOTED-PRINTABLE:abc=\r\ndef\x07\r\nEND:VCARD\r\n"
    )
    # The soft break joins line 5 to line 4: d 1, e 2, f 3, U+0007 at 4.
    assert where(data, "VC113") == [("VC113", 5, 4)]


# ---------------------------------------------------------------------------
# A vcard string inside JSON

VCARD_JSON = (
    b"[\n"
    b'  {"organization": "W",\n'
    b'   "vcard": "BEGIN:VCARD\\r\\nVERSION:3.0\\r\\nN:D\\u00f6e;Ann;;;\\r\\n'
    b'FN:\\ud83d\\ude00 \\"A\\" \\\\ \\/\\u0007\\r\\nTEL;WORK:+1\\r\\nEND:VCARD\\r\\n"},\n'
    b'  {"vcard": "BEGIN:VCARD\\nVERSION:3.0\\nFN:B\\nEND:VCARD"}\n'
    b"]\n"
)


def test_vcard_string_positions_go_through_the_escapes() -> None:
    assert located(VCARD_JSON, "VC110", "VC113", "VC204") == [
        # Line 3: 3 spaces, "vcard" 4-10, ":" 11, space 12, quote 13,
        # BEGIN:VCARD 14-24, \r 25-26, \n 27-28, VERSION:3.0 29-39, \r\n
        # 40-43, N 44, ":" 45, D 46, \u00f6 47-52, e 53, ";Ann;;;" 54-60,
        # \r\n 61-64, F 65, N 66, ":" 67, the surrogate pair 68-79, space 80,
        # \" 81-82, A 83, \" 84-85, space 86, \\ 87-88, space 89, \/ 90-91,
        # \u0007 at 92.
        ("VC113", 3, 92, 0, "/0/vcard"),
        # Then \r\n 98-101, T 102, E 103, L 104, ";" 105, the bare WORK at 106.
        ("VC110", 3, 106, 0, "/0/vcard"),
        # Contact 1's card has no N: a whole-card fault, at the string's
        # opening quote (2 spaces, "{" 3, "vcard" 4-10, ":" 11, space 12, 13).
        ("VC204", 4, 13, 1, "/1/vcard"),
    ]


def test_vcard_string_in_python_objects_has_its_pointer() -> None:
    data = [{"vcard": "BEGIN:VCARD\nVERSION:3.0\nFN:\x07\nEND:VCARD"}]
    assert located(data, "VC113", "VC204") == [
        ("VC113", None, None, 0, "/0/vcard"),
        ("VC204", None, None, 0, "/0/vcard"),
    ]


def test_vcard_string_line_endings_are_not_reported() -> None:
    # docs/design.md "The JSON contact": a vcard string's line endings are normalized.
    assert where(VCARD_JSON, "VC103") == []


# ---------------------------------------------------------------------------
# One fault, one diagnostic (docs/rules/index.md)


def codes(data: object) -> list[str]:
    return [d.code for d in vcardkit.validate(data).diagnostics]


def test_a_bom_is_vc102_not_vc104() -> None:
    found = codes(codecs.BOM_UTF8 + (HEAD + END).encode())
    assert "VC102" in found
    assert "VC104" not in found


def test_text_before_the_first_card_is_vc104_only() -> None:
    found = codes(("Here it is:\r\nno colon here\r\nX;Y\r\n" + HEAD + END).encode())
    assert found.count("VC104") == 1
    assert not {"VC108", "VC109", "VC110"} & set(found)


def test_an_empty_name_is_vc203_in_a_card_and_vc605_in_json() -> None:
    card = codes(b"BEGIN:VCARD\r\nVERSION:3.0\r\nN:;;;;\r\nFN:\r\nEND:VCARD\r\n")
    assert "VC203" in card
    assert "VC504" not in card
    json = codes(b'[{"fullName": " ", "organization": "W"}]')
    assert "VC605" in json
    assert not {"VC504", "VC203"} & set(json)


def test_an_end_before_any_begin_is_vc106_not_vc104() -> None:
    found = codes(("END:VCARD\r\n" + HEAD + END).encode())
    assert found.count("VC106") == 1
    assert "VC104" not in found


def test_a_value_of_the_wrong_type_is_not_also_a_missing_name() -> None:
    found = codes(b'[{"fullName": 5, "organization": "W"}]')
    assert "VC604" in found
    assert "VC605" not in found


def test_an_unterminated_vcard_string_is_vc105_not_vc607() -> None:
    found = codes(b'[{"vcard": "BEGIN:VCARD\\r\\nVERSION:3.0\\r\\nN:;A;;;\\r\\nFN:A\\r\\n"}]')
    assert "VC105" in found
    assert "VC607" not in found


def test_a_vcard_string_without_a_card_is_vc607_not_vc104() -> None:
    found = codes(b'[{"vcard": "just text"}]')
    assert "VC607" in found
    assert "VC104" not in found


def test_an_unclosed_quote_is_one_vc110() -> None:
    found = codes((HEAD + 'X-A;X-P="ok";X-Q="bad:x\r\n' + END).encode())
    assert found.count("VC110") == 1
    assert "VC109" not in found


def test_long_lines_each_reported_and_refolded_once() -> None:
    # A PHOTO on line 5 ("PHOTO;ENCODING=b;TYPE=JPEG:" is 27 octets, then 50)
    # and 2000 continuation lines (a space and 76 characters): 2001 lines of
    # 77 octets, VC111 at column 1 of each (lines 5 to 2005), and the fix
    # that refolds the whole property offered once, at the first.
    lines = ["PHOTO;ENCODING=b;TYPE=JPEG:" + "A" * 50] + [" " + "A" * 76] * 2000
    text = HEAD + "\r\n".join(lines) + "\r\n" + END
    report = vcardkit.validate(text.encode(), select=["VC111"])
    assert [(d.line, d.column) for d in report.diagnostics] == [(k, 1) for k in range(5, 2006)]
    fixes = [d for d in report.diagnostics if d.fix is not None]
    assert [d.line for d in fixes] == [5]
