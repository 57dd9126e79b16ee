"""Hostile and careless input: what raises, what never raises, and where it points.

Each section is one promise of the README's "What vcardkit guarantees for bad
input": bad content is a diagnostic from ``validate`` and a ``VCardError``
(with its code and pointer or position) from ``loads``, ``from_json`` and
``dumps``; a bad option is a ``ValueError`` (exit 2 on the command line), a
wrong Python type a ``TypeError``; nothing else ever escapes.
"""

from __future__ import annotations

import dataclasses
import io
import json
import os
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import vcardkit
from tests.clitools import run, write
from vcardkit.strategies import contacts, vcards

SETTINGS = settings(
    max_examples=int(os.environ.get("VCARDKIT_EXAMPLES", "100")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

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


# ---------------------------------------------------------------------------
# A lone surrogate: a str may hold one, no UTF-8 encodes it (VC101)

SURROGATE_CARD = card("NOTE:a\ud800b")  # line 6, column 7


def test_a_surrogate_in_vcf_text_is_vc101_at_its_position() -> None:
    (fault,) = vcardkit.validate(SURROGATE_CARD, select=["VC101"]).diagnostics
    assert (fault.code, fault.severity.value, fault.line, fault.column) == ("VC101", "error", 6, 7)
    assert "U+D800" in fault.message
    # A card whose fixes copy the text (VC204 builds an N from the FN) too.
    no_n = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:a\udfff\r\nEND:VCARD\r\n"
    codes = [(d.code, d.line, d.column) for d in vcardkit.validate(no_n).diagnostics]
    assert ("VC101", 3, 5) in codes
    assert ("VC204", 1, 1) in codes


def test_a_surrogate_in_vcf_text_is_a_vcard_error_from_loads() -> None:
    for read in (vcardkit.loads, lambda t: list(vcardkit.iter_load(io.StringIO(t)))):
        with pytest.raises(vcardkit.VCardError) as info:
            read(SURROGATE_CARD)
        assert (info.value.code, info.value.line, info.value.column) == ("VC101", 6, 7)
    report = vcardkit.validate(io.StringIO(SURROGATE_CARD), select=["VC101"])
    assert [(d.line, d.column) for d in report.diagnostics] == [(6, 7)]


def test_check_never_returns_text_utf8_cannot_encode() -> None:
    with pytest.raises(vcardkit.ValidationError) as info:
        vcardkit.check(SURROGATE_CARD, ignore=["VC101"])
    (fault,) = [d for d in info.value.diagnostics if d.code == "VC101"]
    assert (fault.severity.value, fault.line, fault.column) == ("error", 6, 7)


ESCAPED = '[{"fullName": "Ann\\ud800", "organization": "Wawp"}]'  # the JSON escape


@pytest.mark.parametrize(
    ("data", "pointer"),
    [
        (ESCAPED, "/0/fullName"),
        (json.loads(ESCAPED), "/0/fullName"),
        ([{"fullName": "Ann", "phones": [{"phoneNumber": "+1", "type": ["\udc00"]}]}], None),
        ([{"fullName": "Ann", "extraProperties": ["X-A:\ud83d"]}], "/0/extraProperties/0"),
        ([{"fullName": "Ann", "emails": [{"email": "a@b", "parameters": ["X-A=\ud800"]}]}], None),
        ([{"vcard": "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:\ud800\r\nEND:VCARD"}], "/0/vcard"),
    ],
)
def test_a_surrogate_in_json_is_vc101_with_its_pointer(data: Any, pointer: str | None) -> None:
    faults = [d for d in vcardkit.validate(data).diagnostics if d.code == "VC101"]
    assert [d.severity.value for d in faults] == ["error"]
    expected = (
        pointer
        or {
            "phones": "/0/phones/0/type/0",
            "emails": "/0/emails/0/parameters/0",
        }[next(k for k in ("phones", "emails") if k in json.dumps(data))]
    )
    assert faults[0].pointer == expected
    for call in (vcardkit.from_json, vcardkit.dumps):
        if call is vcardkit.from_json or not isinstance(data, str):
            with pytest.raises(vcardkit.VCardError) as info:
                call(data)
            assert info.value.code == "VC101"
            # dumps names a contact's type as a whole: it does not know
            # whether the JSON gave a string or a list.
            assert info.value.pointer == expected or expected.startswith(f"{info.value.pointer}/")


def test_dumps_refuses_a_surrogate_in_a_contact_object() -> None:
    cases = [
        (vcardkit.Contact("Ann\ud800"), "/0/fullName"),
        (vcardkit.Contact("Ann", phone_number="+20\udc00"), "/0/phoneNumber"),
        (vcardkit.Contact("Ann", phone_number="+20", whatsapp_id="\ud800"), "/0/whatsappId"),
        (vcardkit.Contact("Ann", urls=[vcardkit.Url("http://x/\ud800")]), "/0/urls/0/url"),
        (vcardkit.Contact("Ann", extra_properties=["X-A:\ud800"]), "/0/extraProperties/0"),
    ]
    for contact, pointer in cases:
        with pytest.raises(vcardkit.VCardError) as info:
            vcardkit.dumps(contact)
        assert (info.value.code, info.value.pointer) == ("VC101", pointer)


_HOSTILE_TEXT = st.lists(
    st.one_of(
        st.sampled_from(["\ud800", "\udfff", "\ud83d\ude00", "\u2028", "\ufeff", "\r\n", ","]),
        vcards(),
    ),
    max_size=6,
).map("".join)


@SETTINGS
@given(_HOSTILE_TEXT)
def test_text_with_surrogates_validates_without_raising(text: str) -> None:
    """Any str, surrogates and all, validates as VCF and as JSON without raising."""
    for data in (text, json.dumps([{"fullName": text, "vcard": text}], ensure_ascii=False)):
        report = vcardkit.validate(data)
        for d in report.diagnostics:
            d.message.encode("utf-8")  # a message can be printed, an edit written
            for edit in d.fix.edits if d.fix else ():
                edit.text.encode("utf-8")
    if re.search("[\ud800-\udfff]", text):
        assert any(d.code == "VC101" for d in vcardkit.validate(text).diagnostics)


# A field, and a vcard string (a card whose VC204 fix copies its FN: the fix
# encoded the surrogate and the commands ended in a traceback).
SURROGATE_FILES = [
    (ESCAPED, "s.json:1:15: VC101 [error] the field /0/fullName holds the lone surrogate U+D800"),
    (
        '[{"vcard": "BEGIN:VCARD\\r\\nVERSION:3.0\\r\\nFN:A\\ud800\\r\\nEND:VCARD"}]',
        "s.json:1:47: VC101 [error] the text holds the lone surrogate U+D800",
    ),
]


@pytest.mark.parametrize("command", ["lint", "fix", "convert", "preview"])
@pytest.mark.parametrize(("text", "expected"), SURROGATE_FILES)
def test_a_surrogate_escape_on_the_command_line(
    workdir: Path, command: str, text: str, expected: str
) -> None:
    path = write(workdir / "s.json", text.encode())
    result = run(command, path)
    assert result.code == 1
    assert "Traceback" not in result.err
    assert expected in result.out + result.err


# ---------------------------------------------------------------------------
# Unicode line separators (U+0085, U+2028, U+2029): text may carry them, the
# values that are not text, TYPE and waid may not (VC117)

SEPARATORS = ["\x85", "\u2028", "\u2029"]
INJECTION = "http://x/\u2028END:VCARD\u2028BEGIN:VCARD\u2028FN:Mallory\u2028END:VCARD"


def _refusing_fields(sep: str) -> list[tuple[dict[str, Any], str]]:
    return [
        ({"urls": [{"url": INJECTION.replace("\u2028", sep)}]}, "/0/urls/0/url"),
        ({"phoneNumber": f"+20111111111{sep}1"}, "/0/phoneNumber"),
        ({"phoneNumber": "+201111111111", "whatsappId": f"2011{sep}"}, "/0/whatsappId"),
        ({"emails": [{"email": f"ann@example.com{sep}"}]}, "/0/emails/0/email"),
        ({"birthday": f"2000-01-01{sep}"}, "/0/birthday"),
        ({"phones": [{"phoneNumber": "+1", "type": f"WORK{sep}"}]}, "/0/phones/0/type"),
        (
            {"addresses": [{"city": "Cairo", "countryCode": f"E{sep}"}]},
            "/0/addresses/0/countryCode",
        ),
        ({"extraProperties": [f"BDAY;X-A=1:2000-01-01{sep}"]}, "/0/extraProperties/0"),
        (
            {"phones": [{"phoneNumber": "+1", "parameters": [f"TYPE=a{sep}"]}]},
            "/0/phones/0/parameters/0",
        ),
        ({"extraProperties": [f"X-A;TYPE=a{sep}:v"]}, "/0/extraProperties/0"),
    ]


@pytest.mark.parametrize("sep", SEPARATORS)
def test_dumps_refuses_a_separator_where_a_line_break_is_refused(sep: str) -> None:
    for fields, pointer in _refusing_fields(sep):
        contact = {"fullName": "Ann", **fields}
        for data in (contact, vcardkit.from_json(contact)):
            with pytest.raises(vcardkit.VCardError) as info:
                vcardkit.dumps(data)
            assert (info.value.code, info.value.pointer) == ("VC117", pointer), fields


@pytest.mark.parametrize("sep", SEPARATORS)
@pytest.mark.parametrize("profile", ["whatsapp", "rfc2426"])
def test_validate_reports_a_refused_separator_at_error(sep: str, profile: str) -> None:
    for fields, pointer in _refusing_fields(sep):
        data = [{"fullName": "Ann", **fields}]
        for payload in (data, json.dumps(data)):
            found = vcardkit.validate(payload, profile=profile, select=["VC117"]).diagnostics
            assert [(d.severity.value, d.pointer) for d in found] == [("error", pointer)]
        with pytest.raises(vcardkit.ValidationError):
            vcardkit.check(data, profile=profile)


def test_a_separator_in_text_stays_a_warning_of_the_whatsapp_profile() -> None:
    data = [
        {**CLEAN, "fullName": "Ann\u2028Doe", "note": "a\x85b", "extraProperties": ["X-A:\u2029"]}
    ]
    found = vcardkit.validate(data, select=["VC117"]).diagnostics
    assert {(d.severity.value, d.pointer) for d in found} == {
        ("warning", "/0/fullName"),
        ("warning", "/0/note"),
        ("warning", "/0/extraProperties/0"),
    }
    assert vcardkit.validate(data, profile="rfc2426", select=["VC117"]).diagnostics == ()
    text = vcardkit.check(data)  # written, as text values carry them
    assert "FN:Ann\u2028Doe\r\n" in text


@pytest.mark.parametrize("profile", ["whatsapp", "rfc2426"])
def test_a_card_with_a_separator_in_a_url_is_vc117_at_error(profile: str) -> None:
    text = card(f"URL:{INJECTION}", "NOTE:a\u2028b")
    found = vcardkit.validate(text, profile=profile, select=["VC117"]).diagnostics
    expected = [("error", 6, 14)] + ([("warning", 7, 7)] if profile == "whatsapp" else [])
    assert [(d.severity.value, d.line, d.column) for d in found] == expected


# ---------------------------------------------------------------------------
# An empty TEL (and an empty waid) survives VCF -> JSON -> VCF: "" is a value

EMPTY_PHONES = [
    ("TEL;TYPE=HOME:", {"phones": [{"phoneNumber": "", "type": ["HOME"]}]}),
    ("TEL:", {"phoneNumber": ""}),
    (
        "item1.TEL:\r\nitem1.X-ABLabel:Fax",
        {
            "phones": [{"phoneNumber": "", "group": "item1"}],
            "extraProperties": ["item1.X-ABLabel:Fax"],
        },
    ),
    ("TEL;waid=:+201111111111", {"phoneNumber": "+201111111111", "whatsappId": ""}),
]


@pytest.mark.parametrize(("line", "fields"), EMPTY_PHONES)
def test_an_empty_phone_is_lossless(line: str, fields: dict[str, Any]) -> None:
    text = card(line)
    contacts = vcardkit.loads(text)
    data = vcardkit.to_json(contacts)
    assert data == [{"fullName": "Ann", "organization": "Wawp", **fields}]
    again = vcardkit.from_json(data)
    assert again == contacts
    assert vcardkit.loads(vcardkit.dumps(again)) == contacts
    assert vcardkit.from_json(json.dumps(data)) == contacts
    written = vcardkit.dumps(data)  # the JSON mapping, through the same writer
    assert vcardkit.loads(written) == contacts
    assert len([x for x in written.split("\r\n") if "TEL" in x]) == 1


@pytest.mark.parametrize(("line", "fields"), EMPTY_PHONES)
def test_validate_says_the_same_of_the_card_and_of_its_json(line: str, fields: Any) -> None:
    """The JSON of a card with an empty TEL has the card's phone faults, nothing more."""
    text = card(line)
    data = vcardkit.to_json(vcardkit.loads(text))
    for profile in ("whatsapp", "rfc2426"):
        of_card = [d.code for d in vcardkit.validate(text, profile=profile, select=["VC4"]).errors]
        of_json = [d.code for d in vcardkit.validate(data, profile=profile, select=["VC4"]).errors]
        assert of_card == of_json


@pytest.mark.parametrize(("line", "fields"), EMPTY_PHONES[:3])
def test_convert_there_and_back_keeps_an_empty_tel(
    workdir: Path, line: str, fields: dict[str, Any]
) -> None:
    write(workdir / "a.vcf", card(line).encode())
    to_json = run("convert", "a.vcf", "-o", "a.json")
    assert (to_json.code, to_json.err) == (0, "")
    back = run("convert", "a.json", "-o", "b.vcf")
    assert (back.code, back.err) == (0, "")
    assert vcardkit.loads((workdir / "b.vcf").read_bytes()) == vcardkit.loads(card(line))


def test_a_null_phone_number_is_no_number() -> None:
    (contact,) = vcardkit.from_json(
        [{"fullName": "Ann", "phones": [{"phoneNumber": None, "type": "FAX"}]}]
    )
    assert contact.phones[0].phone_number is None
    with pytest.raises(vcardkit.VCardError) as info:
        vcardkit.dumps(contact)
    assert info.value.code == "VC411"


# ---------------------------------------------------------------------------
# What check() returns validates: no error, under the same options

# Extra properties and parameters that are one content line (so the writer
# writes them) yet a fault of the card they land in.
_EXTRA_FAULTS = [
    "X-A;=x:v",  # a parameter with no name (VC110)
    "X-A;FOO:v",  # a bare 2.1 parameter in 3.0 (VC110)
    "X-A;X P=a:v",  # a parameter name with a space (VC110)
    "X-A;X_P=a:v",
    "X_B:v",  # a property name that is not letters, digits and "-" (VC109)
    "item 1.X-A:v",  # a group likewise (VC109)
    "N:a;b;c;d;e;f",  # six components (VC208)
    "ADR:1;2;3;4;5;6;7;8",  # eight components (VC208)
    "X-A;ENCODING=QUOTED-PRINTABLE:=41",  # QP in a 3.0 card (VC304)
    "TEL:abc",  # a phone the phone rules never see
    "TEL;waid=1:+201111111111",
    "EMAIL:x",
    "URL:y",
    "item1.TEL:+1",
    "BDAY:2000-01-01\u2028",  # a separator where a line break is refused (VC117)
    "X-A;TYPE=a\x85:v",
    "FN:",
    "FN:Other",
    "N:",
    "VERSION:4.0",
    "X-A:" + "a" * 16400,  # over WhatsApp's line limit (VC114)
    "X-A;CHARSET=latin1:v",
    "PHOTO:abc",
    "AGENT:BEGIN:VCARD",
    "X-A:\\",
    'X-A;X-B="a":v',
    "X-A;X-B=:v",
]
_PARAMETER_FAULTS = [
    "X-A",
    "=b",
    "X A=b",
    "FOO",
    "X-A=b:c",
    'X-A="b',
    "X-A=\u2028",
    "TYPE=a\u2028",
    "TYPE=a",
    "waid=abc",  # read back as the phone's WhatsApp id when it has none
    "ENCODING=QUOTED-PRINTABLE",
    "X-A=b\tc",
]
_OPTIONS = st.fixed_dictionaries(
    {
        "profile": st.sampled_from(["whatsapp", "rfc2426"]),
        "ignore": st.sampled_from(
            [[], ["VC4"], ["VC4", "VC5"], ["VC110"], ["VC109", "VC110"], ["VC608"], ["VC117"]]
        ),
    }
)


def _chance(draw: st.DrawFn) -> bool:
    return draw(st.integers(0, 9)) == 0


@st.composite
def _payloads(draw: st.DrawFn) -> Any:
    """Generated contacts, with faulty extras and parameters mixed in, as objects or JSON."""
    out: list[vcardkit.Contact] = []
    for c in draw(st.lists(contacts(), min_size=1, max_size=2)):
        extras = list(c.extra_properties)
        for _ in range(draw(st.integers(0, 2))):
            extras.insert(draw(st.integers(0, len(extras))), draw(st.sampled_from(_EXTRA_FAULTS)))
        phones = list(c.phones)
        if phones and draw(st.booleans()):
            bad = draw(st.sampled_from(_PARAMETER_FAULTS))
            phones[0] = dataclasses.replace(phones[0], parameters=(*phones[0].parameters, bad))
        note = c.note
        if _chance(draw):  # a line over WhatsApp's 16384 characters (VC114)
            note = "a\\" * 5000 if draw(st.booleans()) else "b" * 17000
        c = dataclasses.replace(c, extra_properties=tuple(extras), phones=tuple(phones), note=note)
        out.append(c)
    form = draw(st.sampled_from(["objects", "mappings", "text"]))
    if form == "objects":
        return out
    mappings = vcardkit.to_json(out)
    return mappings if form == "mappings" else json.dumps(mappings)


@settings(SETTINGS, max_examples=max(1, SETTINGS.max_examples * 3))
@given(_payloads(), _OPTIONS)
def test_what_check_returns_validates_with_no_error(data: Any, options: dict[str, Any]) -> None:
    """Whatever check() returns validates with no error under the same options."""
    try:
        payload = vcardkit.check(data, **options)
    except vcardkit.ValidationError as exc:
        assert any(d.severity.value == "error" for d in exc.diagnostics)
        return
    errors = vcardkit.validate(payload, **options).errors
    assert errors == (), [(d.code, d.line, d.message) for d in errors]


@pytest.mark.parametrize("extra", _EXTRA_FAULTS)
@pytest.mark.parametrize("profile", ["whatsapp", "rfc2426"])
def test_an_extra_property_that_faults_the_card_is_an_error_of_the_json(
    extra: str, profile: str
) -> None:
    """validate() of the JSON errs where validate() of the card dumps writes would."""
    data = [{**CLEAN, "extraProperties": [extra]}]
    json_errors = {d.code for d in vcardkit.validate(data, profile=profile).errors}
    try:
        text = vcardkit.dumps(data)
    except vcardkit.VCardError as exc:
        assert exc.code in json_errors, (exc.code, json_errors)
        return
    card_errors = {d.code for d in vcardkit.validate(text, profile=profile).errors}
    assert card_errors <= json_errors


# ---------------------------------------------------------------------------
# A str that starts with a BOM: positions and edits in that str's coordinates


def _apply(text: str, edits: list[vcardkit.Edit]) -> str:
    """Edits applied by hand: (line, column) to offsets in ``text`` itself."""
    starts = [0] + [m.end() for m in re.finditer(r"\r\n|\r|\n", text)]
    for edit in sorted(edits, key=lambda e: (e.start, e.end), reverse=True):
        start = starts[edit.start[0] - 1] + edit.start[1] - 1
        end = starts[edit.end[0] - 1] + edit.end[1] - 1
        text = text[:start] + edit.text + text[end:]
    return text


# A BOM, a blank line (VC104), an N to pad (VC205), a comma to escape (VC301).
BOM_CARD = (
    "\ufeff \r\nBEGIN:VCARD\r\nVERSION:3.0\r\nN:Doe;Ann\r\nFN:Doe, Ann\r\nORG:Wawp\r\nEND:VCARD\r\n"
)
FIXED_CARD = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Doe;Ann;;;\r\nFN:Doe\\, Ann\r\nORG:Wawp\r\nEND:VCARD\r\n"
)


def test_edits_of_a_str_with_a_bom_apply_to_that_str() -> None:
    report = vcardkit.validate(BOM_CARD, select=["VC102", "VC104", "VC205", "VC301"])
    where = {d.code: (d.line, d.column) for d in report.diagnostics}
    # The BOM is column 1 of line 1; the white space before BEGIN:VCARD, 2.
    assert where == {"VC102": (1, 1), "VC104": (1, 2), "VC205": (4, 3), "VC301": (5, 7)}
    kept = [e for d in report.diagnostics if d.fix and d.code != "VC102" for e in d.fix.edits]
    assert _apply(BOM_CARD, kept) == "\ufeff" + FIXED_CARD
    # VC102's fix removes the BOM: by an edit of column 1, or by saying so
    # (``bom=False``, as VC103's says line endings), not an edit of another.
    (bom,) = [d.fix for d in report.diagnostics if d.code == "VC102"]
    assert bom is not None
    edits = [e for d in report.diagnostics if d.fix for e in d.fix.edits]
    removed = _apply(BOM_CARD, edits)
    if getattr(bom, "bom", None) is False:
        assert not bom.edits
        removed = removed.removeprefix("\ufeff")
    assert removed == FIXED_CARD


def test_fix_of_a_str_with_a_bom_fixes_the_right_spans() -> None:
    select = ["VC102", "VC104", "VC205", "VC301"]
    assert vcardkit.fix(BOM_CARD, select=select).output == FIXED_CARD
    kept = vcardkit.fix(BOM_CARD, select=select, ignore=["VC102"]).output
    assert kept == "\ufeff" + FIXED_CARD


def test_a_json_str_with_a_bom_gets_edits_in_its_coordinates() -> None:
    text = "\ufeff" + json.dumps([{**CLEAN, "phoneNumber": "+20 111 111 1111"}])
    (formatting,) = vcardkit.validate(text, select=["VC412"]).diagnostics
    assert formatting.fix is not None
    fixed = _apply(text, list(formatting.fix.edits))
    assert fixed == "\ufeff" + json.dumps([CLEAN])
    # Bytes are positioned in the decoded text, which does not hold the BOM.
    (of_bytes,) = vcardkit.validate(text.encode(), select=["VC412"]).diagnostics
    assert of_bytes.column == formatting.column - 1


def test_errors_of_a_str_with_a_bom_are_in_its_coordinates() -> None:
    with pytest.raises(vcardkit.VCardError) as info:
        vcardkit.loads("\ufeffjunk\r\nBEGIN:VCARD\r\nEND:VCARD\r\n")
    assert (info.value.code, info.value.line, info.value.column) == ("VC104", 1, 2)
    with pytest.raises(vcardkit.VCardError) as info:
        list(vcardkit.iter_load(io.StringIO("\ufeffjunk\r\nBEGIN:VCARD\r\nEND:VCARD\r\n")))
    assert (info.value.line, info.value.column) == (1, 2)
    with pytest.raises(vcardkit.VCardError) as info:
        vcardkit.from_json("\ufeff[x]")
    assert (info.value.code, info.value.line, info.value.column) == ("VC601", 1, 3)
    with pytest.raises(vcardkit.ValidationError) as checked:
        vcardkit.check("\ufeff" + json.dumps([{**CLEAN, "x": 1}]), profile="rfc2426")
    (unknown,) = [d for d in checked.value.diagnostics if d.code == "VC603"]
    assert unknown.column == len(
        '\ufeff[{"fullName": "Wawp Support", "organization": "Wawp HQ", '
    ) + 1 + len('"phoneNumber": "+201111111111", "whatsappId": "201111111111", ')
