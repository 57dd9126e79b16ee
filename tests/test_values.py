"""VC3xx (values): fixes applied by hand, profiles, JSON inputs, and the value grammars.

The fixture folders ``fixtures/rules/VC3xx/`` hold what each rule reports and
where; these tests check what the fixture format cannot: the text a fix
produces, severities per case, profile-dependent cases, and the grammars in
:mod:`vcardkit._rules._formats` case by case.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Sequence

import pytest
from hypothesis import given
from hypothesis import strategies as st

import vcardkit
from vcardkit import Severity
from vcardkit._rules._diagnostic import Diagnostic, Edit
from vcardkit._rules._formats import (
    LANGUAGE_TAG_RE,
    WHOLE,
    base64_fault,
    date_30,
    date_40,
    date_time_30,
    json_birthday,
    no_year_date,
    uri_fault,
)
from vcardkit._syntax._source import Source
from vcardkit._syntax._values import split_list, split_structured, unescape_text

CRLF = "\r\n"


def card(*lines: str, version: str = "3.0") -> str:
    return CRLF.join(
        ("BEGIN:VCARD", f"VERSION:{version}", "N:Doe;John;;;", "FN:John Doe", *lines, "END:VCARD")
    )


def apply(text: str, edits: Sequence[Edit]) -> str:
    """Apply (line, column) edits, last first, as ``vcardkit fix`` does."""
    source = Source(text)
    spans = [(source.offset(*e.start), source.offset(*e.end), e.text) for e in edits]
    for start, end, replacement in sorted(spans, reverse=True):
        text = text[:start] + replacement + text[end:]
    return text


def only(
    text: str, code: str, *, profile: str = "whatsapp", severity: dict[str, str] | None = None
) -> Diagnostic:
    """The one diagnostic ``code`` reports in ``text``."""
    report = vcardkit.validate(text, select=[code], profile=profile, severity=severity)
    assert len(report.diagnostics) == 1, report.diagnostics
    return report.diagnostics[0]


def fixed(text: str, code: str, *, profile: str = "whatsapp") -> str:
    """``text`` with the fix of its one ``code`` diagnostic applied."""
    diagnostic = only(text, code, profile=profile)
    assert diagnostic.fix is not None
    result = apply(text, diagnostic.fix.edits)
    # A second run finds nothing left to fix.
    assert not vcardkit.validate(result, select=[code], profile=profile).diagnostics
    return result


# ---------------------------------------------------------------------------
# Fixes, checked against text written by hand


def test_comma_fix_escapes_every_bare_comma() -> None:
    text = card("TITLE:Sales, Marketing\\, and, Support")
    assert fixed(text, "VC301") == card("TITLE:Sales\\, Marketing\\, and\\, Support")


def test_comma_fix_through_a_fold() -> None:
    # The comma sits on the continuation line: the edit lands there, after
    # the fold's leading space, and the fold is kept.
    text = card("NOTE:first part", " second, part")
    assert fixed(text, "VC301") == card("NOTE:first part", " second\\, part")


def test_comma_in_adr_is_fixed_only_under_rfc2426() -> None:
    text = card("ADR:;;1 Main St, Suite 4;Cairo;;;Egypt")
    wa = only(text, "VC301")
    assert wa.fix is None  # escaping would trade it for VC310: WhatsApp shows "\,"
    assert fixed(text, "VC301", profile="rfc2426") == card(
        "ADR:;;1 Main St\\, Suite 4;Cairo;;;Egypt"
    )


def test_semicolon_fix() -> None:
    text = card("NICKNAME:Johnny;JD,Jo;J")
    assert fixed(text, "VC302") == card("NICKNAME:Johnny\\;JD,Jo\\;J")


def test_invalid_escape_fix_is_unsafe_and_doubles_the_backslash() -> None:
    text = card("NOTE:C:\\Users\\ann\\")
    diagnostic = only(text, "VC303")
    assert diagnostic.fix is not None and not diagnostic.fix.safe
    assert fixed(text, "VC303") == card("NOTE:C:\\\\Users\\\\ann\\\\")


def test_charset_fix_removes_the_parameter() -> None:
    text = card("NOTE;CHARSET=UTF-8;LANGUAGE=en:a", "TITLE;LANGUAGE=en;charset=utf8:b")
    diagnostics = vcardkit.validate(text, select=["VC305"]).diagnostics
    assert [(d.line, d.severity) for d in diagnostics] == [
        (5, Severity.INFO),
        (6, Severity.INFO),
    ]
    edits = [e for d in diagnostics if d.fix is not None for e in d.fix.edits]
    assert apply(text, edits) == card("NOTE;LANGUAGE=en:a", "TITLE;LANGUAGE=en:b")


def test_other_charset_is_a_warning_without_fix() -> None:
    diagnostic = only(card("NOTE;CHARSET=SHIFT_JIS:a"), "VC305")
    assert diagnostic.severity is Severity.WARNING
    assert diagnostic.fix is None
    # A severity override applies to every case of the rule.
    override = only(card("NOTE;CHARSET=SHIFT_JIS:a"), "VC305", severity={"VC305": "info"})
    assert override.severity is Severity.INFO


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("BDAY:--04-15", "BDAY;X-APPLE-OMIT-YEAR=1604:1604-04-15"),
        ("BDAY:--0229", "BDAY;X-APPLE-OMIT-YEAR=1604:1604-02-29"),
        (
            "item1.BDAY;VALUE=date:--12-31",
            "item1.BDAY;VALUE=date;X-APPLE-OMIT-YEAR=1604:1604-12-31",
        ),
        # The parameter is there already: only the value changes.
        ("BDAY;X-APPLE-OMIT-YEAR=1604:--04-15", "BDAY;X-APPLE-OMIT-YEAR=1604:1604-04-15"),
    ],
)
def test_no_year_birthday_fix_writes_apples_form(line: str, expected: str) -> None:
    assert fixed(card(line), "VC306") == card(expected)


def test_no_year_birthday_that_does_not_exist_has_no_fix() -> None:
    assert only(card("BDAY:--02-30"), "VC306").fix is None


def test_base64_fix_writes_b() -> None:
    text = card('PHOTO;TYPE=JPEG;ENCODING="BASE64":QUJD')
    assert fixed(text, "VC309") == card('PHOTO;TYPE=JPEG;ENCODING="b":QUJD')


def test_fixes_inside_a_json_vcard_are_not_offered() -> None:
    # An edit of the card is not an edit of the JSON string that holds it.
    payload = '[{"vcard": "BEGIN:VCARD\\r\\nVERSION:3.0\\r\\nFN:Doe, John\\r\\nEND:VCARD"}]'
    diagnostic = only(payload, "VC301")
    # "[{" 1-2, "vcard" 3-9, ":" 10, " " 11, the quote 12; inside the string
    # "BEGIN:VCARD" 13-23, "\r\n" 24-27, "VERSION:3.0" 28-38, "\r\n" 39-42,
    # "FN:Doe" 43-48: the comma is column 49.
    assert (diagnostic.line, diagnostic.column) == (1, 49)
    assert diagnostic.fix is None


# ---------------------------------------------------------------------------
# Versions and profiles


def test_escape_rules_skip_vcard_21() -> None:
    text = card("NOTE:C:\\dir, a;b", version="2.1")
    assert not vcardkit.validate(text, select=["VC301", "VC302", "VC303"]).diagnostics


def test_waid_is_known_only_to_the_whatsapp_profile() -> None:
    text = card("TEL;type=CELL;waid=201111111111:+201111111111")
    assert not vcardkit.validate(text, select=["VC313"]).diagnostics
    diagnostic = only(text, "VC313", profile="rfc2426")
    # "TEL;" 1-4, "type=CELL" 5-13, ";" 14: "waid" at 15.
    assert (diagnostic.line, diagnostic.column) == (5, 15)


def test_adr_escapes_is_a_whatsapp_rule() -> None:
    text = card("ADR:;;Main St\\, 4;Cairo;;;Egypt")
    assert only(text, "VC310").column == 14
    assert not vcardkit.validate(text, profile="rfc2426").diagnostics


def test_profiles_of_the_value_rules() -> None:
    values = {r.code: r.profile.value for r in vcardkit.rules() if r.code.startswith("VC3")}
    assert values == {f"VC3{n:02d}": "wa" if n == 10 else "rfc" for n in range(1, 16)}


# ---------------------------------------------------------------------------
# JSON given as Python objects: no text, so pointers and no positions


def test_json_objects_are_reported_by_pointer() -> None:
    contacts = [
        {
            "fullName": "Ann",
            "birthday": "1996-02-30",
            "emails": [{"email": "ann@example.com"}, {"email": "ann.example.com"}],
            "urls": [{"url": "example.com"}],
            "addresses": [{"street": "Main St; 4", "city": "Cairo"}],
        }
    ]
    report = vcardkit.validate(contacts, select=["VC306", "VC307", "VC308", "VC310"])
    found = sorted((d.code, d.pointer, d.line, d.card) for d in report.diagnostics)
    assert found == [
        ("VC306", "/0/birthday", None, 0),
        ("VC307", "/0/emails/1/email", None, 0),
        ("VC308", "/0/urls/0/url", None, 0),
        ("VC310", "/0/addresses/0/street", None, 0),
    ]


def test_a_line_break_in_a_json_address_field_is_an_escape_to_be() -> None:
    report = vcardkit.validate([{"fullName": "A", "addresses": [{"street": "a\nb"}]}])
    assert [d.code for d in report.diagnostics if d.code == "VC310"] == ["VC310"]


def test_email_validator_is_imported_only_when_an_address_is_checked() -> None:
    code = (
        "import sys, vcardkit; vcardkit.validate('BEGIN:VCARD\\r\\nFN:A\\r\\nEND:VCARD'); "
        "print('email_validator' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# ---------------------------------------------------------------------------
# The grammars, case by case


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("1996-04-15", True),
        ("19960415", True),
        ("2000-02-29", True),
        ("1996-0415", False),  # the RFC 2425 ABNF allows it; ISO 8601 does not
        ("1900-02-29", False),  # divisible by 100, not by 400: not a leap year
        ("2024-02-29", True),  # divisible by 4
        ("2023-02-29", False),
        ("2023-02-28", True),
        ("2023-12-31", True),
        ("2023-13-01", False),
        ("2023-00-10", False),
        ("2023-01-00", False),
        ("1996-04-31", False),
        ("1996-4-15", False),
        ("--04-15", False),
        ("", False),
    ],
)
def test_date_30(value: str, ok: bool) -> None:
    assert date_30(value) is ok


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("1953-10-15T23:10:00Z", True),
        ("19531015T231000Z", True),
        ("1987-09-27T08:30:00-06:00", True),
        ("1987-09-27T08:30:00,5+0100", True),
        ("1987-09-27T24:00:00", False),
        ("1987-09-27T08:3000", False),
        ("1987-09-27", False),
    ],
)
def test_date_time_30(value: str, ok: bool) -> None:
    assert date_time_30(value) is ok


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("--0415", True),
        ("---15", True),
        ("1985-04", True),
        ("1985", True),
        ("T102200Z", True),
        ("19961022T140000", True),
        ("1996-10-22", True),  # the 3.0 spelling, taken in 4.0 cards too
        ("--04-15", False),  # ISO 8601:2000 extended: not RFC 6350
        ("--1345", False),
    ],
)
def test_date_40(value: str, ok: bool) -> None:
    assert date_40(value) is ok


def test_no_year_date() -> None:
    assert no_year_date("--04-15") == ("04", "15")
    assert no_year_date("--0229") == ("02", "29")
    assert no_year_date("--02-30") is None
    assert no_year_date("--04-15T") is None


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("1996-04-15", True),
        ("--04-15", True),
        ("--02-29", True),
        ("19960415", False),
        ("--0415", False),
        ("1996-02-30", False),
        ("--13-01", False),
        (" 1996-04-15", False),
    ],
)
def test_json_birthday(value: str, ok: bool) -> None:
    assert json_birthday(value) is ok


@pytest.mark.parametrize(
    ("value", "fault"),
    [
        ("https://example.com", None),
        ("https://例え.jp/パス?q=ü#x", None),
        ("mailto:ann@example.com", None),
        ("urn:isbn:0451450523", None),
        ("file:///etc/hosts", None),
        ("https://[2001:db8::1]:8443/a", None),
        # WHOLE: a fault of the whole value (empty, no scheme, no host, not
        # the URI syntax), not of one character in it.
        ("", WHOLE),
        ("www.example.com", WHOLE),
        ("http\\://example.com", 4),
        ("https://example.com/a b", 21),
        ('https://example.com/"q"', 20),
        ("https://example.com/%4", 20),
        ("https://example.com/#a#b", 22),
        ("https://example.com:8o/", WHOLE),
        ("http:///path", WHOLE),
        ("https://[fe80::zz]/", WHOLE),  # not an IP literal, and "[" is no reg-name
        ("https://[fe80::1::2]/", 8),  # an IP literal, but no IPv6 address
    ],
)
def test_uri_fault(value: str, fault: int | None) -> None:
    result = uri_fault(value)
    assert (result[0] if result is not None else None) == fault


@pytest.mark.parametrize(
    ("tag", "ok"),
    [
        ("de", True),
        ("en-US", True),
        ("zh-Hant-TW", True),
        ("de-CH-1901", True),
        ("sl-rozaj-biske", True),
        ("zh-yue-HK", True),
        ("es-419", True),
        ("en-a-bbb-x-a-ccc", True),
        ("x-whatsapp", True),
        ("i-klingon", True),
        ("EN-gb-OED", True),
        ("en_US", False),
        ("en-", False),
        ("e", False),
        ("123", False),
        ("de-419-DE", False),
        ("a-DE", False),
        ("en-x", False),
        ("toolonglanguage", False),
    ],
)
def test_language_tags(tag: str, ok: bool) -> None:
    assert (LANGUAGE_TAG_RE.fullmatch(tag) is not None) is ok


@pytest.mark.parametrize(
    ("value", "fault"),
    [
        ("QUJD", None),
        ("QUI=", None),
        ("QQ==", None),
        ("QUJD QUJD", None),
        ("", None),
        ("QUJ", WHOLE),  # a length not a multiple of 4: the whole value's fault
        ("QUJDR", WHOLE),
        ("QU=D", 2),
        ("QQ===", 4),
        ("QU-D", 2),
        ("QU_D", 2),
    ],
)
def test_base64_fault(value: str, fault: int | None) -> None:
    result = base64_fault(value)
    assert (result[0] if result is not None else None) == fault


def _unescape_by_hand(value: str, legacy: bool) -> str:
    """RFC 2426 §4 escapes read left to right (2.1: only ``\\;``); others kept."""
    known = {";": ";"} if legacy else {"\\": "\\", ";": ";", ",": ",", "n": "\n", "N": "\n"}
    out: list[str] = []
    i = 0
    while i < len(value):
        if value[i] == "\\" and i + 1 < len(value) and value[i + 1] in known:
            out.append(known[value[i + 1]])
            i += 2
        elif value[i] == "\\" and i + 1 < len(value):
            out.append(value[i : i + 2])
            i += 2
        else:
            out.append(value[i])
            i += 1
    return "".join(out)


@given(st.text(alphabet="\\,;nNx\n", max_size=12), st.booleans())
def test_unescape_matches_a_left_to_right_reading(value: str, legacy: bool) -> None:
    """Unescaping equals reading the escapes left to right, whichever branch it takes."""
    assert unescape_text(value, legacy=legacy) == _unescape_by_hand(value, legacy)


@given(st.text(alphabet="\\,;ab", max_size=12))
def test_splits_match_a_left_to_right_reading(value: str) -> None:
    """A structured value splits at the ';' (a list at the ',') no backslash escapes."""
    for sep, split in ((";", split_structured), (",", split_list)):
        parts = [""]
        i = 0
        while i < len(value):
            if value[i] == "\\" and i + 1 < len(value):
                parts[-1] += value[i : i + 2]
                i += 2
            elif value[i] == sep:
                parts.append("")
                i += 1
            else:
                parts[-1] += value[i]
                i += 1
        assert split(value) == parts
