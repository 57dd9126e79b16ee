"""The VC4xx, VC5xx and VC7xx rules beyond their fixtures: fixes, severities, imports.

Fixes are checked by applying their edits and validating the result again,
and by their ``safe`` flag: E.164 formatting and a cleaned-up WhatsApp id are
safe; a ``waid`` derived from the phone, a national number completed with a
region, and a ``waid`` replaced by the phone's digits are not.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Sequence

import pytest

import vcardkit
from vcardkit import Diagnostic, Edit, Fix, Severity
from vcardkit._rules._vc5xx import count_emoji, graphemes

CRLF = "\r\n"


def card(*lines: str) -> str:
    return CRLF.join(("BEGIN:VCARD", "VERSION:3.0", "N:;Ann;;;", "FN:Ann", *lines, "END:VCARD"))


def apply(text: str, edits: Sequence[Edit]) -> str:
    """Apply (line, column) edits to ``text`` (lines end in CRLF, LF or CR)."""
    starts = [0]
    i = 0
    while i < len(text):
        if text[i] == "\r" and text[i + 1 : i + 2] == "\n":
            starts.append(i + 2)
            i += 2
            continue
        if text[i] in "\r\n":
            starts.append(i + 1)
        i += 1

    def offset(at: tuple[int, int]) -> int:
        return starts[at[0] - 1] + at[1] - 1

    for edit in sorted(edits, key=lambda e: e.start, reverse=True):
        text = text[: offset(edit.start)] + edit.text + text[offset(edit.end) :]
    return text


def only(data: object, code: str, region: str | None = None) -> Diagnostic:
    (diagnostic,) = vcardkit.validate(data, select=[code], region=region).diagnostics
    return diagnostic


def fixed(text: str, code: str, region: str | None = None) -> tuple[Fix, str]:
    diagnostic = only(text, code, region)
    assert diagnostic.fix is not None
    return diagnostic.fix, apply(text, diagnostic.fix.edits)


# ---------------------------------------------------------------------------
# Safe fixes: E.164 formatting, a WhatsApp id's own digits


def test_phone_formatting_fix_is_safe_e164() -> None:
    text = card("TEL;type=CELL;waid=201111111111:+20 111 111 1111")
    fix, after = fixed(text, "VC412")
    assert fix.safe
    # "TEL;type=CELL;waid=201111111111:" is 32 characters: the value spans
    # columns 33 to 48, and the edit ends after it, at 49.
    assert fix.edits == (Edit((5, 33), (5, 49), "+201111111111"),)
    assert "TEL;type=CELL;waid=201111111111:+201111111111\r\n" in after
    assert not vcardkit.validate(after, select=["VC4"]).diagnostics


def test_formatting_characters_fix_is_safe() -> None:
    fix, after = fixed(card("TEL;waid=201111111111:+20.111.111.1111"), "VC401")
    assert fix.safe
    assert "TEL;waid=201111111111:+201111111111\r\n" in after


def test_no_fix_where_e164_would_lose_something() -> None:
    assert only(card("TEL:+20 111 111 1111 ext 5"), "VC401").fix is None
    assert only(card("TEL:+1-800-FLOWERS"), "VC401").fix is None


def test_waid_cleanup_fix_is_safe() -> None:
    text = card("TEL;waid=201111111111@s.whatsapp.net:+201111111111")
    fix, after = fixed(text, "VC404")
    assert fix.safe
    assert "TEL;waid=201111111111:+201111111111\r\n" in after


def test_quoted_waid_is_replaced_inside_its_quotes() -> None:
    _, after = fixed(card('TEL;waid="+20 111 111 1111":+201111111111'), "VC404")
    assert 'TEL;waid="201111111111":+201111111111' in after
    assert not vcardkit.validate(after, select=["VC4"]).diagnostics


def test_json_fix_replaces_the_whole_literal() -> None:
    # A JSON escape inside the literal: the edit spans the text as written.
    text = '[{"fullName": "Ann", "phoneNumber": "+20 111\\u0020111 1111", "whatsappId": "2011"}]'
    fix, after = fixed(text, "VC412")
    assert fix.safe
    (edit,) = fix.edits
    assert edit.text == '"+201111111111"'
    assert json.loads(after) == [
        {"fullName": "Ann", "phoneNumber": "+201111111111", "whatsappId": "2011"}
    ]


def test_python_objects_get_a_pointer_fix() -> None:
    data = [{"fullName": "Ann", "phoneNumber": "+20 111 111 1111", "whatsappId": "201111111111"}]
    diagnostic = only(data, "VC412")
    assert diagnostic.fix == Fix(
        "write +201111111111 (E.164)", (), True, "/0/phoneNumber", "+201111111111"
    )
    assert diagnostic.line is None and diagnostic.pointer == "/0/phoneNumber"


def test_no_edit_inside_a_vcard_string() -> None:
    inner = card("TEL;waid=201111111111:+20 111 111 1111")
    diagnostic = only(json.dumps([{"vcard": inner}]), "VC412")
    assert diagnostic.fix is None
    # The position is in the JSON file: line 1, inside the string.
    assert diagnostic.line == 1 and diagnostic.column is not None and diagnostic.column > 1


# ---------------------------------------------------------------------------
# Unsafe fixes: a derived waid, a completed national number, a replaced waid


def test_missing_waid_fix_derives_from_the_first_mobile_and_is_unsafe() -> None:
    text = card("TEL;type=WORK:+20 2 2345 6789", "TEL;type=CELL:+20 111 111 1111")
    fix, after = fixed(text, "VC406")
    assert not fix.safe
    assert "TEL;type=CELL;waid=201111111111:+20 111 111 1111\r\n" in after
    assert not vcardkit.validate(after, select=["VC405", "VC406"]).diagnostics


def test_missing_waid_fix_in_json_text_adds_the_key() -> None:
    text = '[{"fullName": "Ann", "phones": [{"phoneNumber": "+201111111111"}]}]'
    fix, after = fixed(text, "VC406")
    assert not fix.safe
    assert json.loads(after)[0]["phones"][0] == {
        "phoneNumber": "+201111111111",
        "whatsappId": "201111111111",
    }


def test_missing_waid_fix_for_objects() -> None:
    diagnostic = only([{"fullName": "Ann", "phoneNumber": "+201111111111"}], "VC406")
    assert diagnostic.fix is not None
    assert not diagnostic.fix.safe
    assert (diagnostic.fix.pointer, diagnostic.fix.value) == ("/0/whatsappId", "201111111111")


def test_missing_waid_without_a_valid_phone_has_no_fix() -> None:
    assert only(card("TEL:+2011111"), "VC406").fix is None


def test_national_number_completed_with_region_is_unsafe() -> None:
    fix, after = fixed(card("TEL:01111111111"), "VC401", region="EG")
    assert not fix.safe
    assert "TEL:+201111111111\r\n" in after
    assert only(card("TEL:01111111111"), "VC401").fix is None  # no region, no guess


def test_digits_beside_their_whatsapp_id_get_an_unsafe_plus() -> None:
    text = '[{"fullName": "Ann", "phoneNumber": "201111111111", "whatsappId": "201111111111"}]'
    fix, after = fixed(text, "VC401")
    assert not fix.safe
    assert json.loads(after)[0]["phoneNumber"] == "+201111111111"


def test_waid_mismatch_fix_is_unsafe() -> None:
    fix, after = fixed(card("TEL;waid=201111111112:+201111111111"), "VC405")
    assert not fix.safe
    assert "TEL;waid=201111111111:+201111111111" in after


def test_every_fix_is_safe_only_where_it_guesses_nothing() -> None:
    text = "".join(
        card(tel) + CRLF
        for tel in (
            "TEL;waid=201111111112:+201111111111",  # VC405: unsafe
            "TEL:01111111111",  # VC401 with region: unsafe; VC406: unsafe
            "TEL;waid=+201111111113:+20 111 111 1113",  # VC404, VC412: safe
        )
    )
    fixes = {
        d.code: d.fix.safe
        for d in vcardkit.validate(text, region="EG").diagnostics
        if d.fix is not None and d.code[2] in "457"
    }
    assert fixes == {"VC401": False, "VC404": True, "VC405": False, "VC406": False, "VC412": True}


# ---------------------------------------------------------------------------
# Severities and where payload-wide rules point


def _cards(n: int) -> str:
    return "".join(card(f"TEL;waid=2011111{k:05d}:+2011111{k:05d}") + CRLF for k in range(n))


def test_too_many_contacts_in_a_file_is_a_warning_and_an_error_when_sent() -> None:
    text = _cards(258)
    diagnostic = only(text, "VC409")
    assert diagnostic.severity is Severity.WARNING
    assert (diagnostic.line, diagnostic.column, diagnostic.card) == (257 * 6 + 1, 1, 257)
    with pytest.raises(vcardkit.ValidationError) as raised:
        vcardkit.check(text, select=["VC409"])
    assert [(d.code, d.severity) for d in raised.value.diagnostics] == [("VC409", Severity.ERROR)]
    assert vcardkit.check(_cards(257), select=["VC409"]) == _cards(257)


def test_too_many_contacts_in_json_is_an_error() -> None:
    data = [{"fullName": f"C{k}", "organization": "O"} for k in range(258)]
    diagnostic = only(data, "VC409")
    assert diagnostic.severity is Severity.ERROR
    assert (diagnostic.card, diagnostic.pointer) == (257, "/257")


def test_empty_payload_is_an_rfc_rule() -> None:
    empty: tuple[object, ...] = ("", b"", "[]", [])
    for data in empty:
        assert [d.code for d in vcardkit.validate(data, profile="rfc2426").diagnostics] == ["VC410"]


def test_duplicates_point_at_the_later_contact() -> None:
    text = _cards(1) + _cards(1)
    diagnostic = only(text, "VC701")
    assert diagnostic.card == 1
    assert diagnostic.line == 6 + 5  # the second card's TEL
    assert "contact 0 (line 1)" in diagnostic.message


def test_an_empty_name_is_not_a_name_rule() -> None:
    # VC203 in a card, VC605 in JSON (docs/rules/index.md "One fault, one diagnostic").
    text = CRLF.join(("BEGIN:VCARD", "VERSION:3.0", "N:;;;;", "FN: ", "END:VCARD"))
    assert [d.code for d in vcardkit.validate(text, select=["VC2", "VC5"]).diagnostics] == [
        "VC503",  # at BEGIN:VCARD
        "VC203",  # at the FN line
    ]
    data = [{"fullName": "", "organization": "O"}]
    assert [d.code for d in vcardkit.validate(data, select=["VC5", "VC6"]).diagnostics] == ["VC605"]


def test_a_vcard_string_is_checked_once() -> None:
    inner = card("TEL:+2011111")
    codes = [d.code for d in vcardkit.validate([{"vcard": inner}], select=["VC4"]).diagnostics]
    assert codes == ["VC402", "VC406"]


# ---------------------------------------------------------------------------
# Names: user-perceived characters


def test_graphemes_and_emoji() -> None:
    family = "👩\u200d👩\u200d👧\u200d👦"
    assert len(graphemes(family + "🇪🇬" + "e\u0301")) == 3
    assert count_emoji(f"Ann {family} 🇪🇬") == 2
    assert count_emoji("Acme™ © ☎") == 0  # text presentation
    assert count_emoji("☎\ufe0f 1\ufe0f\u20e3") == 2  # VS16 and a keycap


def test_name_length_counts_clusters() -> None:
    flags = "🇪🇬" * 40
    assert not vcardkit.validate([{"fullName": flags}], select=["VC501"]).diagnostics
    assert only([{"fullName": flags + "x"}], "VC501").pointer == "/0/fullName"


# ---------------------------------------------------------------------------
# Imports


def _modules_after(code: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", code + "\nimport sys; print(' '.join(sys.modules))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return set(out.split())


def test_import_does_not_load_phonenumbers_or_regex() -> None:
    loaded = _modules_after("import vcardkit")
    assert "phonenumbers" not in loaded
    assert "regex" not in loaded


def test_phonenumbers_only_when_a_phone_is_checked() -> None:
    no_phone = card("ORG:Wawp")
    loaded = _modules_after(f"import vcardkit; vcardkit.validate({no_phone!r})")
    assert "phonenumbers" not in loaded
    assert "phonenumbers.geodata" not in loaded
    loaded = _modules_after(f"import vcardkit; vcardkit.validate({card('TEL:+2011111')!r})")
    assert "phonenumbers" in loaded
    # Naming Egypt reads the region names, not the 1-second geocoding data.
    assert not any(m.startswith("phonenumbers.geodata.data") for m in loaded)


def test_a_fault_inside_a_value_keeps_its_card() -> None:
    text = card("TEL:+2011111") + CRLF + card("TEL:+20 111 111 1111")
    (diagnostic,) = vcardkit.validate(text, select=["VC412"]).diagnostics
    assert (diagnostic.line, diagnostic.column, diagnostic.card) == (11, 8, 1)


@pytest.mark.parametrize(
    "contact",
    [
        {"phoneNumber": 201111111111, "whatsappId": "201111111111"},
        {"phoneNumber": "+201111111111", "whatsappId": 201111111111},
        {"phones": [{"phoneNumber": 5, "whatsappId": "201111111111"}]},
    ],
)
def test_a_value_of_the_wrong_type_is_only_vc604(contact: dict[str, object]) -> None:
    data = [{"fullName": "Ann", "organization": "Wawp", **contact}]
    for item in (data, json.dumps(data)):
        assert [d.code for d in vcardkit.validate(item).diagnostics] == ["VC604"]


# ---------------------------------------------------------------------------
# Messages say what is there, in the right number


def test_missing_waid_says_the_phone_carries_none() -> None:
    one = only(card("TEL:+201111111111"), "VC406").message
    assert "its phone carries none," in one
    assert "carries one" not in one
    two = only(card("TEL:+201111111111", "TEL:+201111111112"), "VC406").message
    assert "none of its 2 phones carries one," in two


@pytest.mark.parametrize(
    ("waid", "says"),
    [("1", "has 1 digit;"), ("12", "has 2 digits;"), ("1" * 16, "has 16 digits;")],
)
def test_a_waid_of_the_wrong_length_counts_its_digits(waid: str, says: str) -> None:
    diagnostic = only(card(f"TEL;waid={waid}:+201111111111"), "VC404")
    assert says in diagnostic.message


def test_base64_of_one_character_is_one_character_long() -> None:
    (diagnostic,) = vcardkit.validate(
        card("PHOTO;ENCODING=b;TYPE=JPEG:A"), select=["VC312"]
    ).diagnostics
    assert "(1 character)" in diagnostic.message


def test_import_loads_no_implementation_module() -> None:
    """`import vcardkit` defers every implementation module to its first use."""
    loaded = _modules_after("import vcardkit")
    assert {m for m in loaded if m.startswith("vcardkit.")} == set()
    # The first use of a name loads its module, and only what that needs.
    loaded = _modules_after("import vcardkit; vcardkit.dumps([{'fullName': 'Ann'}])")
    assert "vcardkit._io" in loaded
    assert "vcardkit._fixing" not in loaded
    assert "vcardkit._schema" not in loaded


def test_lazy_names_are_the_public_api() -> None:
    assert set(vcardkit._SOURCES) == set(vcardkit.__all__)
    for name in vcardkit.__all__:
        assert getattr(vcardkit, name) is not None
        assert name in dir(vcardkit)
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        vcardkit.nothing  # noqa: B018


def test_lint_loads_no_calendar_and_no_other_command() -> None:
    """A one-card lint imports the lint path only: no calendar, no fix engine, no convert."""
    loaded = _modules_after(
        "from vcardkit._cli._main import main\n"
        f"import tempfile, os\nd = tempfile.mkdtemp(); p = os.path.join(d, 'one.vcf')\n"
        f"open(p, 'w').write({card('TEL;waid=201111111111:+201111111111')!r})\n"
        "main(['lint', '--format', 'json', p])"
    )
    assert "phonenumbers" in loaded  # the card has a phone
    for module in ("calendar", "vcardkit._fixing", "vcardkit._schema", "tqdm", "regex"):
        assert module not in loaded, module


def test_version_and_help_import_no_command() -> None:
    """`vcardkit --version` and `--help` load neither the rules nor any command's code."""
    for flag in ("--version", "--help"):
        loaded = _modules_after(
            f"from vcardkit._cli._main import main\ntry:\n    main([{flag!r}])\n"
            "except SystemExit:\n    pass"
        )
        ours = {m for m in loaded if m.startswith("vcardkit.")}
        assert ours == {
            "vcardkit._cli",
            "vcardkit._cli._files",
            "vcardkit._cli._main",
            "vcardkit._docs",
        }, flag
