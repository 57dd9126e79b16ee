"""The engine and the preflight API: selection, severity, profiles, order, check(), Report.

Expectations come from docs/rules/index.md (profiles, "Diagnostics come sorted by line,
column, code", "a severity override applies to all of a rule's cases") and
docs/design.md "The public API"; the inputs are small cards whose faults are
known by construction.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import vcardkit
from tests.conftest import FIXTURES
from vcardkit import Severity, ValidationError
from vcardkit._rules._base import Profile
from vcardkit._rules._engine import resolve

# No VERSION (VC201), no N (VC204), a bare 2.1 parameter (VC110), N missing
# so no VC205; LF endings (VC103); no organization (VC503), no waid (VC406).
CARD = b"BEGIN:VCARD\nFN:Ann\nTEL;CELL:+201111111111\nEND:VCARD\n"
CLEAN_JSON = (
    b'[{"fullName": "Wawp Support", "organization": "Wawp HQ",'
    b' "phoneNumber": "+201111111111", "whatsappId": "201111111111"}]'
)
ALL_FIXTURES = sorted(p for p in (FIXTURES / "rules").glob("*/*") if p.suffix in (".vcf", ".json"))


def codes(data: object, **options: object) -> list[str]:
    return [d.code for d in vcardkit.validate(data, **options).diagnostics]  # type: ignore[arg-type]


def test_the_sample_card_has_the_faults_it_was_built_with() -> None:
    found = set(codes(CARD))
    assert {"VC103", "VC110", "VC201", "VC204"} <= found


# ---------------------------------------------------------------------------
# select and ignore


def test_select_by_code() -> None:
    assert codes(CARD, select=["VC204"]) == ["VC204"]


def test_select_by_prefix() -> None:
    found = codes(CARD, select=["VC2"])
    assert found and all(c.startswith("VC2") for c in found)
    assert {"VC201", "VC204"} <= set(found)


def test_select_by_kebab_name_and_comma_string() -> None:
    assert codes(CARD, select=["missing-n"]) == ["VC204"]
    assert sorted(codes(CARD, select="VC204, missing-version")) == ["VC201", "VC204"]


def test_select_is_case_insensitive_for_codes_and_names() -> None:
    assert codes(CARD, select=["vc204"]) == ["VC204"]
    assert codes(CARD, select=["Missing-N"]) == ["VC204"]


def test_ignore_by_code_prefix_and_name() -> None:
    everything = set(codes(CARD))
    assert set(codes(CARD, ignore=["VC204"])) == everything - {"VC204"}
    assert not any(c.startswith("VC2") for c in codes(CARD, ignore=["VC2"]))
    assert "VC201" not in codes(CARD, ignore=["missing-version"])


def test_ignore_wins_over_select() -> None:
    assert codes(CARD, select=["VC2"], ignore=["VC204"]) == ["VC201"]


@pytest.mark.parametrize("option", ["select", "ignore"])
@pytest.mark.parametrize("selector", ["VC999", "VC2x", "no-such-rule", "W404"])
def test_unknown_selector_is_a_value_error_naming_it(option: str, selector: str) -> None:
    with pytest.raises(ValueError, match=selector):
        vcardkit.validate(CARD, **{option: [selector]})  # type: ignore[arg-type]


def test_a_selector_that_is_not_a_string_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="select"):
        vcardkit.validate(CARD, select=[204])  # type: ignore[list-item]


def test_unknown_profile_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="rfc6350"):
        vcardkit.validate(CARD, profile="rfc6350")


def test_input_of_the_wrong_type_is_a_type_error() -> None:
    with pytest.raises(TypeError):
        vcardkit.validate(42)


# ---------------------------------------------------------------------------
# severity overrides


def test_severity_override_by_code_name_and_prefix() -> None:
    def severity_of(code: str, overrides: dict[str, str | Severity]) -> set[Severity]:
        report = vcardkit.validate(CARD, severity=overrides)
        return {d.severity for d in report.diagnostics if d.code == code}

    assert severity_of("VC204", {}) == {Severity.ERROR}
    assert severity_of("VC204", {"VC204": "warning"}) == {Severity.WARNING}
    assert severity_of("VC204", {"missing-n": "INFO"}) == {Severity.INFO}
    assert severity_of("VC201", {"VC2": Severity.INFO}) == {Severity.INFO}
    assert severity_of("VC103", {"VC2": "error"}) == {Severity.INFO}


def test_severity_override_applies_to_every_case_of_a_rule() -> None:
    # VC602 reports a single object at warning and a non-object element at
    # error; an override sets both.
    data = b'[{"fullName": "A"}, 1]'
    single = b'{"fullName": "A"}'
    assert [d.severity for d in vcardkit.validate(single, select=["VC602"]).diagnostics] == [
        Severity.WARNING
    ]
    for payload in (data, single):
        report = vcardkit.validate(payload, select=["VC602"], severity={"VC602": "info"})
        assert report.diagnostics
        assert {d.severity for d in report.diagnostics} == {Severity.INFO}


@pytest.mark.parametrize("level", ["fatal", "", "warn"])
def test_bad_severity_level_is_a_value_error(level: str) -> None:
    with pytest.raises(ValueError, match="VC204"):
        vcardkit.validate(CARD, severity={"VC204": level})


def test_severity_key_must_name_a_rule() -> None:
    with pytest.raises(ValueError, match="VC999"):
        vcardkit.validate(CARD, severity={"VC999": "info"})


# ---------------------------------------------------------------------------
# profiles


WA_CODES = {rule.code for rule in vcardkit.rules() if rule.profile is Profile.WA}


def test_there_are_wa_rules_to_keep_out() -> None:
    assert {"VC112", "VC114", "VC117", "VC205", "VC207"} <= WA_CODES


def test_rfc2426_profile_resolves_to_rfc_rules_only() -> None:
    config = resolve(vcardkit.rules(), profile="rfc2426")
    assert config.rules
    # docs/rules/index.md "Profiles": VC117's error cases, which the writer refuses,
    # run under both.
    assert all(rule.profile is Profile.RFC or rule.code == "VC117" for rule in config.rules)
    assert [rule.code for rule in vcardkit.rules() if rule.refusals] == ["VC117"]
    # Selecting a wa rule by name does not smuggle it in.
    assert resolve(vcardkit.rules(), profile="rfc2426", select=["VC205"]).rules == ()


@pytest.mark.parametrize("path", ALL_FIXTURES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_rfc2426_profile_never_reports_a_wa_rule(path: Path) -> None:
    report = vcardkit.validate(path.read_bytes(), profile="rfc2426")
    # VC117's error cases, which the writer refuses, run under both profiles.
    found = {d.code for d in report.diagnostics if d.code != "VC117" or d.severity.value != "error"}
    assert found & WA_CODES == set()


def test_whatsapp_profile_runs_wa_rules() -> None:
    data = (FIXTURES / "rules" / "VC205" / "fail-short-n.vcf").read_bytes()
    assert "VC205" in codes(data)
    assert "VC205" not in codes(data, profile="rfc2426")


# ---------------------------------------------------------------------------
# order and uniqueness


@pytest.mark.parametrize("path", ALL_FIXTURES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_diagnostics_are_sorted_and_never_duplicated(path: Path) -> None:
    diagnostics = vcardkit.validate(path.read_bytes()).diagnostics
    keys = [(d.line or 0, d.column or 0, d.code) for d in diagnostics]
    assert keys == sorted(keys)
    assert len(set(diagnostics)) == len(diagnostics)
    # Nor the same rule twice at one place (one fault, one diagnostic).
    spots = [(d.code, d.line, d.column, d.pointer) for d in diagnostics]
    assert len(set(spots)) == len(spots)


def test_objects_without_text_are_sorted_by_card_then_code() -> None:
    data = [{"fullName": "A", "x": 1}, {"phoneNumber": "+201111111111", "y": 2}]
    diagnostics = vcardkit.validate(data, select=["VC6"]).diagnostics
    assert [(d.card, d.code) for d in diagnostics] == [(0, "VC603"), (1, "VC603"), (1, "VC605")]
    assert all(d.line is None and d.column is None for d in diagnostics)


# ---------------------------------------------------------------------------
# Report


def test_report_partitions_by_severity() -> None:
    report = vcardkit.validate(CARD)
    assert report.errors and report.infos
    assert set(report.errors) | set(report.warnings) | set(report.infos) == set(report.diagnostics)
    assert all(d.severity is Severity.ERROR for d in report.errors)
    assert all(d.severity is Severity.WARNING for d in report.warnings)
    assert all(d.severity is Severity.INFO for d in report.infos)
    assert len(report.errors) + len(report.warnings) + len(report.infos) == len(report.diagnostics)
    assert report.ok is False


def test_report_is_ok_with_warnings_and_infos_only() -> None:
    report = vcardkit.validate(CARD, severity={"VC1": "warning", "VC2": "info"})
    assert report.diagnostics and not report.errors
    assert report.ok is True


def test_a_clean_payload_is_ok() -> None:
    report = vcardkit.validate(CLEAN_JSON)
    assert report.ok
    assert report.errors == ()


# ---------------------------------------------------------------------------
# check()


def test_check_returns_dumps_of_json_contacts() -> None:
    expected = vcardkit.dumps(vcardkit.from_json(CLEAN_JSON))
    assert vcardkit.check(CLEAN_JSON) == expected
    assert vcardkit.check(CLEAN_JSON.decode()) == expected
    assert vcardkit.check(bytearray(CLEAN_JSON)) == expected
    assert vcardkit.check(vcardkit.from_json(CLEAN_JSON)) == expected


def test_check_returns_vcf_input_itself_decoded() -> None:
    card = vcardkit.check(CLEAN_JSON).encode()
    assert vcardkit.check(card) == card.decode()
    assert vcardkit.check(b"\xef\xbb\xbf" + card, ignore=["VC102"]) == card.decode()


def test_check_raises_validation_error_carrying_the_diagnostics() -> None:
    with pytest.raises(ValidationError) as info:
        vcardkit.check(CARD)
    error = info.value
    assert error.diagnostics == vcardkit.validate(CARD).diagnostics
    assert isinstance(error, vcardkit.VCardError)
    first = next(d for d in error.diagnostics if d.severity is Severity.ERROR)
    assert (error.line, error.column) == (first.line, first.column)


def test_check_passes_once_the_errors_are_ignored() -> None:
    payload = vcardkit.check(CARD, ignore=["VC1", "VC2"])
    assert payload == CARD.decode()


def test_check_never_sends_what_the_writer_refuses() -> None:
    # An unknown key is a warning for validate(), but it cannot be sent:
    # check() raises ValidationError with it as an error, never VCardError.
    data = b'[{"fullName": "Ann", "organization": "W", "fulName": "x"}]'
    assert vcardkit.validate(data).ok
    with pytest.raises(ValidationError) as info:
        vcardkit.check(data)
    refused = [d for d in info.value.diagnostics if d.code == "VC603"]
    assert [(d.severity, d.line, d.column, d.pointer) for d in refused] == [
        (Severity.ERROR, 1, 43, "/0/fulName")
    ]


def test_check_of_one_object_with_an_unknown_key() -> None:
    with pytest.raises(ValidationError) as info:
        vcardkit.check({"fullName": "Ann", "fulName": "x"})
    errors = [(d.code, d.pointer) for d in info.value.diagnostics if d.severity is Severity.ERROR]
    assert errors == [("VC603", "/fulName")]


def test_check_error_for_a_field_only_the_writer_checks_points_at_it() -> None:
    # Text after END:VCARD in a vcard string is VC108 (a warning) for
    # validate(); dumps() refuses a string that is not exactly one card.
    vcard = r"BEGIN:VCARD\r\nVERSION:3.0\r\nN:;A;;;\r\nFN:A\r\nEND:VCARD\r\nX"
    data = '[{"organization": "W", "vcard": "' + vcard + '"}]'
    assert vcardkit.validate(data).ok
    with pytest.raises(ValidationError) as info:
        vcardkit.check(data)
    # "[" 1, "{" 2, "organization" 3-16, ":" 17, space 18, "W" 19-21, "," 22,
    # space 23, "vcard" 24-30, ":" 31, space 32, the quote at 33.
    errors = [
        (d.code, d.line, d.column, d.card, d.pointer)
        for d in info.value.diagnostics
        if d.severity is Severity.ERROR
    ]
    assert errors == [("VC607", 1, 33, 0, "/0/vcard")]


def test_validate_and_check_take_a_file_object(tmp_path: Path) -> None:
    """A text or binary file is read whole; its name is the path of its diagnostics."""
    card = "BEGIN:VCARD\r\nVERSION:3.0\r\nN:;Ann;;;\r\nFN:Ann\r\nORG:X\r\nEND:VCARD\r\n"
    path = tmp_path / "ann.vcf"
    path.write_text(
        card + "BEGIN:VCARD\r\nVERSION:3.0\r\nEND:VCARD\r\n", encoding="utf-8", newline=""
    )
    with path.open("rb") as fp:
        report = vcardkit.validate(fp)
    assert not report.ok
    assert {d.path for d in report.diagnostics} == {str(path)}
    assert report.diagnostics == vcardkit.validate(path.read_bytes(), path=str(path)).diagnostics
    path.write_text(card, encoding="utf-8", newline="")
    with path.open(encoding="utf-8", newline="") as fp:
        assert vcardkit.check(fp) == card
