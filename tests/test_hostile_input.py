"""Hostile and careless input: what raises, what never raises, and where it points.

Each section is one promise of the README's "What vcardkit guarantees for bad
input": bad content is a diagnostic from ``validate`` and a ``VCardError``
(with its code and pointer or position) from ``loads``, ``from_json`` and
``dumps``; a bad option is a ``ValueError`` (exit 2 on the command line), a
wrong Python type a ``TypeError``; nothing else ever escapes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import vcardkit
from tests.clitools import run, write

CRLF = "\r\n"
CLEAN = {
    "fullName": "Wawp Support",
    "organization": "Wawp HQ",
    "phoneNumber": "+201111111111",
    "whatsappId": "201111111111",
}


def card(*lines: str) -> str:
    return CRLF.join(
        ("BEGIN:VCARD", "VERSION:3.0", "N:;Ann;;;", "FN:Ann", "ORG:Wawp", *lines, "END:VCARD", "")
    )


# ---------------------------------------------------------------------------
# Options: a region phonenumbers knows; the file's selections are arrays


@pytest.mark.parametrize("region", ["XX", "UK", "E1", "Egypt", "", "001"])
def test_an_unknown_region_is_a_value_error_naming_the_accepted_codes(region: str) -> None:
    with pytest.raises(ValueError, match=r"^region: ") as info:
        vcardkit.validate([CLEAN], region=region)
    message = str(info.value)
    if region == "UK":
        assert "'GB' (United Kingdom)" in message
    else:
        assert "ISO 3166-1 alpha-2" in message
        assert "AC, AD, AE" in message  # phonenumbers.SUPPORTED_REGIONS, listed


@pytest.mark.parametrize("call", [vcardkit.check, vcardkit.iter_validate, vcardkit.fix])
def test_every_entry_point_checks_the_region(call: Any) -> None:
    with pytest.raises(ValueError, match=r"^region: 'UK'"):
        call(CLEAN, region="UK")


def test_a_region_in_any_case_is_read_in_upper_case() -> None:
    national = [{**CLEAN, "phoneNumber": "01111111111"}]
    (diagnostic,) = vcardkit.validate(national, region="eg", select=["VC401"]).diagnostics
    assert "+201111111111" in diagnostic.message
    assert "region EG" in diagnostic.message


@pytest.mark.parametrize(
    ("options", "error"),
    [
        ({"region": 20}, TypeError),
        ({"profile": 1}, TypeError),
        ({"select": 4}, TypeError),
        ({"severity": "error"}, TypeError),
        ({"profile": "strict"}, ValueError),
        ({"select": ["VC9"]}, ValueError),
    ],
)
def test_an_option_of_the_wrong_type_or_value(options: dict[str, Any], error: type) -> None:
    with pytest.raises(error) as info:
        vcardkit.validate([CLEAN], **options)
    assert type(info.value) is error  # not an AttributeError from deep inside
    assert str(info.value).startswith(next(iter(options)))


def test_a_list_that_holds_itself_is_a_value_error() -> None:
    contact: dict[str, Any] = {"fullName": "Ann"}
    contact["phones"] = [contact]
    payload: list[Any] = [{"fullName": "Ann"}]
    payload.append(payload)
    for data, where in ((contact, "'/phones/0'"), (payload, "'/1'")):
        for call in (vcardkit.validate, vcardkit.check, vcardkit.fix):
            with pytest.raises(ValueError, match=f"at {where} is the") as info:
                call(data)
            assert not isinstance(info.value, RecursionError)


def test_data_nested_deeply_is_reported_not_a_recursion_error() -> None:
    deep: list[Any] = []
    inner = deep
    for _ in range(5000):
        inner.append([])
        inner = inner[0]
    report = vcardkit.validate([{**CLEAN, "nested": deep}])
    assert [d.code for d in report.diagnostics] == ["VC603"]


def test_a_wrong_type_of_data_stays_a_type_error() -> None:
    for data in (5, {1, 2}, None):
        with pytest.raises(TypeError):
            vcardkit.validate(data)


def _config(workdir: Path, body: str) -> None:
    (workdir / "pyproject.toml").write_text(f"[tool.vcardkit]\n{body}", encoding="utf-8")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('region = "XX"\n', "region: 'XX' is not a region phonenumbers knows"),
        ('region = "UK"\n', "region: 'UK' is not an ISO 3166-1 alpha-2 code; use 'GB'"),
        ('select = "VC4"\n', "select: expected an array of rule codes"),
        ('ignore = "VC503"\n', "ignore: expected an array of rule codes"),
        ('[tool.vcardkit.per-path-ignores]\n"*.vcf" = "VC2"\n', "expected an array"),
    ],
)
def test_a_bad_region_or_selection_in_the_file_is_exit_2(
    workdir: Path, body: str, message: str
) -> None:
    _config(workdir, body)
    path = write(workdir / "a.vcf", card().encode())
    result = run("lint", path)
    assert (result.code, result.out) == (2, "")
    assert result.err.startswith("vcardkit: error: ")
    assert message in result.err
    assert result.err.count("\n") == 1


@pytest.mark.parametrize("command", ["lint", "fix"])
def test_a_bad_region_flag_is_exit_2(workdir: Path, command: str) -> None:
    path = write(workdir / "a.vcf", card().encode())
    result = run(command, path, "--region", "UK")
    assert (result.code, result.out) == (2, "")
    assert result.err == (
        "vcardkit: error: --region: 'UK' is not an ISO 3166-1 alpha-2 code; "
        "use 'GB' (United Kingdom)\n"
    )
    assert run(command, path, "--region", "gb").code == 0


# ---------------------------------------------------------------------------
# A JSON integer longer than int() takes (sys.get_int_max_str_digits)

LONG = "1" * 5000
LONG_NOTE = '[{"fullName": "Ann", "note": ' + LONG + "}]"


def test_a_long_integer_is_a_wrong_type_for_from_json() -> None:
    with pytest.raises(vcardkit.VCardError) as info:
        vcardkit.from_json(LONG_NOTE)
    assert (info.value.code, info.value.pointer) == ("VC604", "/0/note")


def test_a_long_integer_is_a_wrong_type_for_validate_and_check() -> None:
    (wrong,) = vcardkit.validate(LONG_NOTE, select=["VC6"]).diagnostics
    assert (wrong.code, wrong.pointer, wrong.line, wrong.column) == ("VC604", "/0/note", 1, 30)
    assert "(5000 digits)" in wrong.message
    with pytest.raises(vcardkit.ValidationError) as info:
        vcardkit.check(LONG_NOTE)
    assert [d.code for d in info.value.diagnostics if d.severity.value == "error"] == ["VC604"]


@pytest.mark.parametrize(
    ("text", "code", "pointer"),
    [
        (LONG, "VC104", None),  # not JSON text at all: read as VCF
        ("[" + LONG + "]", "VC602", "/0"),
        ('{"fullName": "Ann", "x": -' + LONG + "}", "VC603", "/x"),
        ('[{"fullName": "Ann", "phones": [{"type": [' + LONG + "]}]}]", "VC604", None),
    ],
)
def test_a_long_integer_is_reported_where_it_is(text: str, code: str, pointer: str | None) -> None:
    codes = {(d.code, d.pointer) for d in vcardkit.validate(text).diagnostics}
    assert code in {c for c, _ in codes}
    if pointer is not None:
        assert (code, pointer) in codes


def test_a_python_int_too_long_to_print_is_a_wrong_type() -> None:
    (wrong,) = vcardkit.validate(
        [{"fullName": "Ann", "note": 10**5000}], select=["VC604"]
    ).diagnostics
    assert "100000000000… (5001 digits)" in wrong.message


def test_a_long_integer_cut_by_the_stream_is_read_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    from vcardkit._model import _jsonstream

    monkeypatch.setattr(_jsonstream, "_CHUNK", 7)
    ((index, value),) = list(_jsonstream.iter_json_items(io.BytesIO(f"[{LONG}]".encode())))
    assert index == 0
    assert repr(value) == "111111111111… (5000 digits)"


@pytest.mark.parametrize("command", ["lint", "fix", "convert", "preview"])
def test_a_long_integer_on_the_command_line(workdir: Path, command: str) -> None:
    path = write(workdir / "long.json", LONG_NOTE.encode())
    result = run(command, path)
    assert result.code == 1
    assert "Traceback" not in result.err
    assert "long.json:1:30: VC604 [error] 'note' is a number" in result.out + result.err
