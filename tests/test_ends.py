"""Where diagnostics end: ``end_line``/``end_column``, exclusive, counted by hand.

The end is in the start's coordinates (physical lines, code-point columns):
just past the character a fault is at, the whole value (on the last
physical line of a folded one), the property's group and name, the card's
BEGIN line; in JSON past the whole token (a string's closing quote), an
object at its ``{`` alone; a whole-card fault in a ``vcard`` string is the
whole string token. An empty value has no character: its span is the one
character where it would be (the line break at the end of its line).
Properties: every positioned diagnostic of any input ends after it starts
and inside the text.
"""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

import vcardkit
from tests.clitools import run, write
from tests.test_positions import MULTILINE_JSON
from tests.test_validation_properties import BYTES, SETTINGS, json_texts
from vcardkit._syntax._decode import decode
from vcardkit.strategies import vcards

Span = tuple[str, int | None, int | None, int | None, int | None]

HEAD = "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Doe;Ann;;;\r\nFN:Ann Doe\r\n"
END = "END:VCARD\r\n"


def spans(data: object, *select: str) -> list[Span]:
    report = vcardkit.validate(data, select=list(select))
    return [(d.code, d.line, d.column, d.end_line, d.end_column) for d in report.diagnostics]


# ---------------------------------------------------------------------------
# The property: an end after the start, inside the text


def span_faults(data: bytes, report: vcardkit.Report) -> list[str]:
    """What is wrong with each diagnostic's span; ``[]`` when every one is good."""
    # The physical lines; a text ending in a line break has an empty line
    # after it, where the end of that break is (line + 1, column 1).
    lines = re.split(r"\r\n|\r|\n", decode(data).text)
    faults: list[str] = []
    for d in report.diagnostics:
        if d.line is None or d.column is None:
            if (d.end_line, d.end_column) != (None, None):
                faults.append(f"an end without a start: {d}")
            continue
        if d.end_line is None or d.end_column is None:
            faults.append(f"no end: {d}")
            continue
        if (d.end_line, d.end_column) <= (d.line, d.column):
            faults.append(f"the end is not after the start: {d}")
        if not 1 <= d.end_line <= len(lines):
            faults.append(f"the end's line is not in the text ({len(lines)} lines): {d}")
            continue
        limit = len(lines[d.end_line - 1]) + 1
        # The one end past the text: a fault at the very end of it (an empty
        # file, JSON cut short) has no character to end past; its span is the
        # column after it.
        at_the_end = d.end_line == len(lines) and (d.line, d.column) == (
            d.end_line,
            d.end_column - 1,
        )
        if not 1 <= d.end_column <= limit + at_the_end:
            faults.append(f"the end's column is not in line {lines[d.end_line - 1]!r}: {d}")
    return faults


@SETTINGS
@given(BYTES, st.sampled_from(["whatsapp", "rfc2426"]))
def test_spans_of_diagnostics_on_arbitrary_bytes(data: bytes, profile: str) -> None:
    assert span_faults(data, vcardkit.validate(data, profile=profile)) == []


@SETTINGS
@given(json_texts())
def test_spans_of_diagnostics_on_hostile_json(data: bytes) -> None:
    assert span_faults(data, vcardkit.validate(data)) == []


@SETTINGS
@given(vcards().map(lambda s: s.encode("utf-8", "surrogatepass")))
def test_spans_of_diagnostics_on_producer_cards(data: bytes) -> None:
    assert span_faults(data, vcardkit.validate(data)) == []


def test_spans_of_diagnostics_on_the_corpus(corpus: Path) -> None:
    problems: list[str] = []
    checked = 0
    for path in sorted(p for p in corpus.rglob("*") if p.is_file()):
        data = path.read_bytes()
        report = vcardkit.validate(data, path=str(path.relative_to(corpus)))
        checked += len(report.diagnostics)
        problems.extend(span_faults(data, report))
    assert checked > 1000  # the corpus has faults to check, not only clean files
    assert problems == []


def test_the_property_catches_a_bad_end() -> None:
    # The check itself can fail: an end before the start, past its line.
    good = vcardkit.validate(b"BEGIN:VCARD\r\nFN:A\r\nEND:VCARD\r\n", select=["VC204"])
    (d,) = good.diagnostics
    assert span_faults(b"BEGIN:VCARD\r\nFN:A\r\nEND:VCARD\r\n", good) == []
    bad = vcardkit.Report((dataclasses.replace(d, end_line=1, end_column=1),))
    assert len(span_faults(b"BEGIN:VCARD\r\n", bad)) == 1
    past = vcardkit.Report((dataclasses.replace(d, end_line=1, end_column=13),))
    assert len(span_faults(b"BEGIN:VCARD\r\n", past)) == 1


# ---------------------------------------------------------------------------
# VCF


def test_a_folded_value_ends_on_its_last_physical_line() -> None:
    # Line 5 "BDAY:15/04/": the value starts at 6. Line 6 " 1996": the fold's
    # space is column 1, "1996" columns 2-5: the value ends at 6 on line 6.
    text = HEAD + "BDAY:15/04/\r\n 1996\r\n" + END
    assert spans(text, "VC306") == [("VC306", 5, 6, 6, 6)]


def test_a_grouped_property_spans_its_group_and_name() -> None:
    # "item1.TELEPHONE": "item1" 1-5, "." 6, "TELEPHONE" 7-15: ends at 16.
    text = HEAD + "item1.TELEPHONE:+1\r\n" + END
    assert spans(text, "VC314") == [("VC314", 5, 1, 5, 16)]


def test_a_parameter_spans_its_name() -> None:
    text = HEAD + "ADR;CHARSET=UTF-8:;;1 Main St;;;;\r\n" + END
    # "ADR" 1-3, ";" 4, "CHARSET" 5-11: ends at 12.
    assert spans(text, "VC305") == [("VC305", 5, 5, 5, 12)]


def test_a_card_fault_spans_its_begin_line() -> None:
    # "BEGIN:VCARD" is 11 characters: ends at 12; a lower-case one as well.
    assert spans(b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:A\r\nEND:VCARD\r\n", "VC204") == [
        ("VC204", 1, 1, 1, 12)
    ]
    assert spans(b"begin:vcard\r\nVERSION:3.0\r\nFN:A\r\nend:vcard\r\n", "VC204") == [
        ("VC204", 1, 1, 1, 12)
    ]


def test_a_character_fault_ends_past_the_character() -> None:
    # Line 4 "FN:Doe, Ann", the unescaped "," VC301 reports: "FN:" 1-3,
    # "Doe" 4-6, "," 7: ends at 8.
    text = "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Doe;Ann;;;\r\nFN:Doe, Ann\r\n" + END
    assert spans(text, "VC301") == [("VC301", 4, 7, 4, 8)]


def test_an_empty_value_at_the_end_of_its_line_is_the_line_break() -> None:
    # Line 4 "FN:": the empty value is at column 4, where the CRLF is; the
    # span ends where line 5 starts.
    text = "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Doe;Ann;;;\r\nFN:\r\n" + END
    assert spans(text, "VC203") == [("VC203", 4, 4, 5, 1)]


def test_a_whole_line_fault_ends_past_its_text() -> None:
    # VC108: "junk" between the cards is line 6, 4 characters: ends at 5.
    card = "BEGIN:VCARD\r\nVERSION:3.0\r\nN:;A;;;\r\nFN:A\r\nEND:VCARD\r\n"
    assert spans(card + "junk\r\n" + card, "VC108") == [("VC108", 6, 1, 6, 5)]


# ---------------------------------------------------------------------------
# JSON


# The payload whose starts test_positions counts: here its ends.


def test_json_key_value_and_missing_key() -> None:
    assert spans(MULTILINE_JSON, "VC603", "VC604", "VC605") == [
        # Line 4: the key's quote at 5; '"organisation"' is 14 characters
        # with its quotes: ends at 19.
        ("VC603", 4, 5, 4, 19),
        # Line 6: the number at 23; 15555550100 is 11 digits: ends at 34.
        ("VC604", 6, 23, 6, 34),
        # Contact 1 lacks fullName: its "{" at line 9, column 3, ends at 4.
        ("VC605", 9, 3, 9, 4),
    ]


def test_json_string_value_ends_past_its_closing_quote() -> None:
    # '[{"fullName": "Ann", "phoneNumber": "0111"}]': "[" 1, "{" 2,
    # '"fullName"' 3-12, ":" 13, space 14, '"Ann"' 15-19, "," 20, space 21,
    # '"phoneNumber"' 22-34, ":" 35, space 36, '"0111"' 37-42: ends at 43.
    data = b'[{"fullName": "Ann", "phoneNumber": "0111"}]'
    assert spans(data, "VC401") == [("VC401", 1, 37, 1, 43)]


def test_a_vcard_string_card_fault_is_the_whole_string() -> None:
    # '[{"vcard": "BEGIN:VCARD\r\nFN:A\r\nEND:VCARD"}]' with the escapes as
    # written: "[" 1, "{" 2, '"vcard"' 3-9, ":" 10, space 11, the string's
    # quote at 12. Inside: "BEGIN:VCARD" 11, "\r\n" 4, "FN:A" 4, "\r\n" 4,
    # "END:VCARD" 9 = 32 characters, 13-44; the closing quote 45: ends at 46.
    data = b'[{"vcard": "BEGIN:VCARD\\r\\nFN:A\\r\\nEND:VCARD"}]'
    assert spans(data, "VC204") == [("VC204", 1, 12, 1, 46)]


def test_a_vcard_string_value_ends_past_its_last_escape() -> None:
    # The BDAY value "x\u00e9" (an escape written in the JSON text) maps
    # through the escapes: '[{"vcard": "' is 12 characters, then
    # "BEGIN:VCARD\r\n" 15 (13-27), "VERSION:3.0\r\n" 15 (28-42),
    # "N:;A;;;\r\n" 11 (43-53), "FN:A\r\n" 8 (54-61), "BDAY:" 62-66, "x" 67,
    # "\u00e9" 68-73: the value ends at 74.
    data = (
        b'[{"vcard": "BEGIN:VCARD\\r\\nVERSION:3.0\\r\\nN:;A;;;\\r\\nFN:A\\r\\n'
        b'BDAY:x\\u00e9\\r\\nEND:VCARD\\r\\n"}]'
    )
    assert spans(data, "VC306") == [("VC306", 1, 67, 1, 74)]


def test_python_objects_have_no_ends() -> None:
    assert spans([{"phoneNumber": "+15555550100"}], "VC605") == [("VC605", None, None, None, None)]


# ---------------------------------------------------------------------------
# A str that starts with U+FEFF: line 1 is one column on, its ends too


def test_a_bom_in_a_str_shifts_the_ends_on_line_1() -> None:
    # The str holds the BOM at column 1: "BEGIN:VCARD" is 2-12, ends at 13;
    # VC102's span is the BOM itself, 1 to 2. Lines after 1 do not move:
    # line 3 "FN:Doe, Ann", the "," at 7, ends at 8.
    text = "\ufeffBEGIN:VCARD\r\nVERSION:3.0\r\nFN:Doe, Ann\r\n" + END
    assert spans(text, "VC102", "VC204", "VC301") == [
        ("VC102", 1, 1, 1, 2),
        ("VC204", 1, 2, 1, 13),
        ("VC301", 3, 7, 3, 8),
    ]


def test_a_bom_in_a_json_str_shifts_the_ends_on_line_1() -> None:
    # '\ufeff[{"fullName": "Ann", "nick": 1}]': the BOM 1, "[" 2, "{" 3,
    # '"fullName"' 4-13, ":" 14, space 15, '"Ann"' 16-20, "," 21, space 22,
    # '"nick"' 23-28: ends at 29.
    assert spans('\ufeff[{"fullName": "Ann", "nick": 1}]', "VC603") == [("VC603", 1, 23, 1, 29)]


# ---------------------------------------------------------------------------
# The command line: json and github carry the ends

FOLDED = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Doe;Ann;;;\r\nFN:Ann Doe\r\nBDAY:15/04/\r\n 1996\r\n" + END
).encode()


def test_lint_json_carries_the_ends(workdir: Path) -> None:
    path = write(workdir / "folded.vcf", FOLDED)
    result = run("lint", path, "--select", "VC306", "--format", "json", "--fail-on", "warning")
    assert (result.code, result.err) == (1, "")
    # As test_a_folded_value_ends_on_its_last_physical_line: 5:6 to 6:6.
    assert [
        (d["code"], d["line"], d["column"], d["end_line"], d["end_column"])
        for d in json.loads(result.out)
    ] == [("VC306", 5, 6, 6, 6)]


def test_lint_github_gives_lines_alone_for_a_span_over_lines(workdir: Path) -> None:
    # GitHub takes columns only on one line: the folded BDAY (5:6 to 6:6)
    # is lines 5 to 6; the "," of FN (line 4 "FN:Doe, Ann": the "," at 7)
    # is one line, col 7 to endColumn 8.
    path = write(workdir / "folded.vcf", FOLDED.replace(b"FN:Ann Doe", b"FN:Doe, Ann"))
    result = run(
        "lint", path, "--select", "VC306,VC301", "--format", "github", "--fail-on", "warning"
    )
    assert (result.code, result.err) == (1, "")
    assert result.out.splitlines() == [
        "::warning file=folded.vcf,line=4,col=7,endLine=4,endColumn=8,"
        "title=VC301 unescaped-comma::the FN value 'Doe, Ann' holds a ',' that is not "
        "escaped; a text value writes it '\\,'",
        "::warning file=folded.vcf,line=5,endLine=6,title=VC306 invalid-date::"
        "BDAY '15/04/1996' is not a vCard 3.0 date (YYYY-MM-DD or YYYYMMDD, a day that "
        "exists)",
    ]


# ---------------------------------------------------------------------------
# check()'s refusals: the diagnostic it adds has its end too


def _refused(data: object) -> list[Span]:
    try:
        vcardkit.check(data, ignore=["VC101"])
    except vcardkit.ValidationError as exc:
        return [
            (d.code, d.line, d.column, d.end_line, d.end_column)
            for d in exc.diagnostics
            if d.code == "VC101"
        ]
    raise AssertionError("check() let a lone surrogate through")


def test_a_refused_character_ends_past_it() -> None:
    # Line 5 "NOTE:a\ud800b": "NOTE:" 1-5, "a" 6, the surrogate 7: ends at 8.
    text = "BEGIN:VCARD\r\nVERSION:3.0\r\nN:;A;;;\r\nFN:A\r\nNOTE:a\ud800b\r\n" + END
    assert _refused(text) == [("VC101", 5, 7, 5, 8)]


def test_a_refused_json_value_in_a_str_with_a_bom_is_shifted() -> None:
    # '\ufeff[{"fullName": "Ann\\ud800"}]': the BOM 1, "[" 2, "{" 3,
    # '"fullName"' 4-13, ":" 14, space 15, then the string: its quotes,
    # "Ann" and the 6-character escape are 11 characters, 16-26: ends at 27.
    assert _refused('\ufeff[{"fullName": "Ann\\ud800"}]') == [("VC101", 1, 16, 1, 27)]
