"""Phones and WhatsApp ids in many countries (docs/rules/index.md "VC4xx: phones and WhatsApp ids").

Every expected value here was worked out by hand from the country's
numbering plan (country code, then the national significant number without
the trunk prefix 0), not copied from the tool's output.
"""

from __future__ import annotations

import json

import pytest

import vcardkit
from vcardkit._rules import _phonelib
from vcardkit._rules._formats import WHOLE
from vcardkit._rules._phonelib import (
    Kind,
    PhoneFacts,
    analyse_phone,
    analyse_waid,
    is_mobile,
    legitimate_difference,
    region_name,
)

# (as written, E.164, region, mobile): valid international numbers, most of
# them with the spaces, dashes and brackets WhatsApp itself writes.
VALID = [
    # Egypt +20: mobiles are 1X + 8 digits (national 01X XXXX XXXX).
    ("+20 11 1111 1111", "+201111111111", "EG", True),
    ("+201111111111", "+201111111111", "EG", True),
    # Brazil +55: area code 11 (São Paulo), mobile 9 + 8 digits.
    ("+55 11 91234-5678", "+5511912345678", "BR", True),
    # Mexico +52: 10-digit national numbers since 2019, no mobile "1".
    ("+52 55 1234 5678", "+525512345678", "MX", True),
    # Argentina +54: a mobile from abroad is 9 + area code 11 + 8 digits.
    ("+54 9 11 1234-5678", "+5491112345678", "AR", True),
    # United Kingdom +44: mobiles 7XXX XXXXXX (national 07XXX XXXXXX).
    ("+44 7400 123456", "+447400123456", "GB", True),
    # London landline, 20 + 8 digits: not a mobile.
    ("+44 20 7946 0958", "+442079460958", "GB", False),
    # United States +1: area code 650, exchange 253, line 0000.
    ("+1 (650) 253-0000", "+16502530000", "US", True),
    # India +91: 10-digit mobiles starting 9.
    ("+91 98765 43210", "+919876543210", "IN", True),
    # France +33: mobiles 6 + 8 digits (national 06 12 34 56 78).
    ("+33 6 12 34 56 78", "+33612345678", "FR", True),
    # Nigeria +234: MTN 803 + 7 digits.
    ("+234 803 123 4567", "+2348031234567", "NG", True),
    # Indonesia +62: Telkomsel 812 + 8 digits.
    ("+62 812-3456-7890", "+6281234567890", "ID", True),
    # Saudi Arabia +966: mobiles 5X + 7 digits.
    ("+966 50 123 4567", "+966501234567", "SA", True),
    # Russia +7: mobiles 9XX + 7 digits, written 912 345-67-89.
    ("+7 912 345-67-89", "+79123456789", "RU", True),
    # Japan +81: mobiles 90 + 8 digits (national 090-1234-5678).
    ("+81 90-1234-5678", "+819012345678", "JP", True),
    # Germany +49: Berlin 30 + subscriber number.
    ("+49 30 123456", "+4930123456", "DE", False),
]


@pytest.mark.parametrize(("written", "e164", "region", "mobile"), VALID)
def test_valid_numbers(written: str, e164: str, region: str, mobile: bool) -> None:
    facts = analyse_phone(written)
    assert facts.kind is Kind.VALID
    assert facts.e164 == e164
    assert facts.region == region
    assert is_mobile(e164) is mobile
    assert facts.country_code == int(e164[1 : 1 + len(str(facts.country_code))])


@pytest.mark.parametrize(("written", "e164", "region", "mobile"), VALID)
def test_whatsapp_spacing_is_information_only(
    written: str, e164: str, region: str, mobile: bool
) -> None:
    digits = e164[1:]
    card = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nN:;Ann;;;\r\nFN:Ann\r\nORG:Wawp\r\n"
        f"TEL;type=CELL;type=VOICE;waid={digits}:{written}\r\nEND:VCARD\r\n"
    )
    report = vcardkit.validate(card)
    assert report.ok
    codes = [d.code for d in report.diagnostics]
    assert codes == ([] if written == e164 else ["VC412"])


@pytest.mark.parametrize(
    ("written", "region", "e164"),
    [
        # National numbers: trunk prefix 0 dropped, country code added.
        ("01111111111", "EG", "+201111111111"),
        ("07400 123456", "GB", "+447400123456"),
        ("(650) 253-0000", "US", "+16502530000"),
        ("011 15-1234-5678", "AR", "+5491112345678"),  # Buenos Aires mobile, local form
        # 00 is the international prefix dialled from Egypt.
        ("0020 111 111 1111", "EG", "+201111111111"),
    ],
)
def test_national_numbers_complete_with_a_region(written: str, region: str, e164: str) -> None:
    assert analyse_phone(written).kind is Kind.NATIONAL
    assert analyse_phone(written).e164 is None  # no region: no guess
    facts = analyse_phone(written, region)
    assert facts.kind is Kind.NATIONAL
    assert facts.e164 == e164


@pytest.mark.parametrize(
    ("written", "index", "e164"),
    [
        # Dots and a no-break space are formatting only: E.164 is known.
        ("+20.111.111.1111", 3, "+201111111111"),
        ("+33\u00a06 12 34 56 78", 3, "+33612345678"),
        # Arabic-Indic digits: read, but not what a TEL should hold.
        ("+20 ١١١١١١١١١١", 4, "+201111111111"),
        # An extension, letters, a URI scheme: not formatting, no E.164.
        ("+20 111 111 1111 ext 5", 17, None),
        ("+1-800-FLOWERS", 7, None),
        ("tel:+201111111111", 0, None),
    ],
)
def test_characters_other_than_digits(written: str, index: int, e164: str | None) -> None:
    facts = analyse_phone(written)
    assert facts.kind is Kind.BAD_CHARACTER
    assert facts.index == index
    assert facts.e164 == e164


@pytest.mark.parametrize("written", ["+999 123 456", "+0123456789", "+2", "+"])
def test_no_country_code(written: str) -> None:
    # 999 and 99 are unassigned, 9 is not a code; nothing starts with 0;
    # 2 alone is not a code (20, 27, 210-299 are).
    assert analyse_phone(written).kind is Kind.UNKNOWN_COUNTRY


@pytest.mark.parametrize(
    ("written", "place"),
    [
        ("+2011111", "Egypt (+20)"),  # 5 digits after +20; Egypt has 8-10
        ("+20", "Egypt (+20)"),
        ("+1 555 123 4567", "United States (+1)"),  # 555: no area code
        ("+5511812345678", "Brazil (+55)"),  # 9 digits after 11 must start with 9
        ("+5215512345678", "Mexico (+52)"),  # the mobile 1 was dropped in 2019
        ("+4471234", "United Kingdom (+44)"),
    ],
)
def test_invalid_numbers_name_their_country(written: str, place: str) -> None:
    facts = analyse_phone(written)
    assert facts.kind is Kind.INVALID
    assert facts.place == place
    assert facts.e164 is None


def test_phone_invalid_message_is_worded_as_rules_md() -> None:
    card = "BEGIN:VCARD\r\nVERSION:3.0\r\nN:;A;;;\r\nFN:A\r\nTEL:+2011111\r\nEND:VCARD\r\n"
    (diagnostic,) = vcardkit.validate(card, select=["VC402"]).diagnostics
    assert diagnostic.message == '"+2011111" is not a valid number for Egypt (+20)'


def test_region_names() -> None:
    assert region_name("EG") == "Egypt"
    assert region_name("AR") == "Argentina"
    assert region_name("001") == "international services"
    assert region_name(None) == "an unknown region"


def test_empty_phone() -> None:
    assert analyse_phone("").kind is Kind.EMPTY
    assert analyse_phone("   ").kind is Kind.EMPTY


# ---------------------------------------------------------------------------
# WhatsApp ids


@pytest.mark.parametrize(
    ("waid", "index", "digits"),
    [
        ("+201111111111", 0, "201111111111"),
        ("20 111 111 1111", 2, "201111111111"),
        ("5511912345678@s.whatsapp.net", 13, "5511912345678"),
        ("201111111111@C.US", 12, "201111111111"),
        # A group JID is no phone's id: nothing to keep.
        ("120363041234567890@g.us", 18, None),
        # A count of digits or an empty id is a fault of the whole id: WHOLE.
        ("123456", WHOLE, None),  # 6 digits
        ("1234567890123456", WHOLE, None),  # 16 digits
        ("", WHOLE, None),
        ("２０１１１１１１１１１１", 0, None),  # full-width digits
    ],
)
def test_waid_problems(waid: str, index: int, digits: str | None) -> None:
    facts = analyse_waid(waid)
    assert facts.problem is not None
    assert facts.index == index
    assert facts.digits == digits


@pytest.mark.parametrize("waid", ["1234567", "123456789012345", "201111111111"])
def test_waid_of_7_to_15_digits(waid: str) -> None:
    assert analyse_waid(waid).problem is None
    assert analyse_waid(waid).digits == waid


@pytest.mark.parametrize(
    ("phone", "waid", "why"),
    [
        # Brazil: the id of an account made before the ninth digit lacks it.
        ("5511912345678", "551112345678", "without Brazil's ninth digit"),
        ("551112345678", "5511912345678", "with Brazil's ninth digit"),
        # Mexico: WhatsApp ids keep 521 for mobiles written +52 since 2019.
        ("525512345678", "5215512345678", "with Mexico's mobile prefix 1 (521)"),
        ("5215512345678", "525512345678", "without Mexico's mobile prefix 1 (521)"),
        # Argentina: a mobile's id has the 9 after 54 that a phone may omit.
        ("541112345678", "5491112345678", "with Argentina's mobile prefix 9 (549)"),
        ("5491112345678", "541112345678", "without Argentina's mobile prefix 9 (549)"),
    ],
)
def test_legitimate_differences(phone: str, waid: str, why: str) -> None:
    assert legitimate_difference(phone, waid) == why


@pytest.mark.parametrize(
    ("phone", "waid"),
    [
        ("5511812345678", "551112345678"),  # an 8, not a 9, is taken out
        ("5511912345678", "5511912345679"),  # same length, other digit
        ("525512345678", "5225512345678"),  # 522, not 521
        ("541112345678", "5481112345678"),  # 548, not 549
        ("201111111111", "2091111111111"),  # Egypt has no such rule
        ("5511912345678", "5511123456789"),  # the 9 is not the difference
    ],
)
def test_other_differences_are_not_legitimate(phone: str, waid: str) -> None:
    assert legitimate_difference(phone, waid) is None


def _tel_card(tel: str) -> str:
    return (
        f"BEGIN:VCARD\r\nVERSION:3.0\r\nN:;Ann;;;\r\nFN:Ann\r\nORG:Wawp\r\n{tel}\r\nEND:VCARD\r\n"
    )


@pytest.mark.parametrize(
    "tel",
    [
        "TEL;waid=551112345678:+55 11 91234-5678",
        "TEL;waid=5215512345678:+52 55 1234 5678",
        "TEL;waid=5491112345678:+54 11 1234-5678",
    ],
)
def test_brazil_mexico_argentina_ids_are_info(tel: str) -> None:
    report = vcardkit.validate(_tel_card(tel), select=["VC405"])
    (diagnostic,) = report.diagnostics
    assert diagnostic.severity is vcardkit.Severity.INFO
    assert diagnostic.fix is None
    assert (diagnostic.line, diagnostic.column) == (6, 10)


def test_other_mismatch_is_a_warning() -> None:
    report = vcardkit.validate(_tel_card("TEL;waid=201111111112:+201111111111"), select=["VC405"])
    (diagnostic,) = report.diagnostics
    assert diagnostic.severity is vcardkit.Severity.WARNING
    assert "201111111112" in diagnostic.message
    assert "+201111111111" in diagnostic.message


def test_severity_override_applies_to_every_case() -> None:
    report = vcardkit.validate(
        _tel_card("TEL;waid=551112345678:+5511912345678"),
        select=["VC405"],
        severity={"VC405": "error"},
    )
    assert [d.severity for d in report.diagnostics] == [vcardkit.Severity.ERROR]


def test_region_reaches_the_rules() -> None:
    card = _tel_card("TEL;waid=201111111111:01111111111")
    without = vcardkit.validate(card, select=["VC4"])
    assert [d.code for d in without.diagnostics] == ["VC401"]
    with_region = vcardkit.validate(card, select=["VC4"], region="eg")
    (diagnostic,) = with_region.diagnostics
    assert diagnostic.code == "VC401"
    assert "+201111111111" in diagnostic.message
    assert "EG" in diagnostic.message


def _count_analyses(monkeypatch: pytest.MonkeyPatch) -> tuple[list[str], list[str]]:
    """The phones and ids analysed from now on (what the run's memo asks for)."""
    phones: list[str] = []
    waids: list[str] = []

    def phone(text: str, region: str | None = None) -> _phonelib.PhoneFacts:
        phones.append(text)
        return analyse_phone(text, region)

    def waid(text: str) -> _phonelib.WaidFacts:
        waids.append(text)
        return analyse_waid(text)

    monkeypatch.setattr(_phonelib, "analyse_phone", phone)
    monkeypatch.setattr(_phonelib, "analyse_waid", waid)
    return phones, waids


def test_phone_results_are_cached_per_number(monkeypatch: pytest.MonkeyPatch) -> None:
    asked = 0
    ask = _phonelib.PhoneMemo.phone

    def counting(self: _phonelib.PhoneMemo, text: str, region: str | None = None) -> PhoneFacts:
        nonlocal asked
        asked += 1
        return ask(self, text, region)

    monkeypatch.setattr(_phonelib.PhoneMemo, "phone", counting)
    phones, _ = _count_analyses(monkeypatch)
    cards = "".join(_tel_card("TEL;waid=201111111111:+201111111111") for _ in range(50))
    vcardkit.validate(cards)
    assert len(phones) == 1
    assert asked > 50


def test_each_distinct_number_is_analysed_once_per_run(monkeypatch: pytest.MonkeyPatch) -> None:
    # N = 120 cards sharing M = 7 numbers (each with its waid), with every
    # rule on: however many rules ask, each number is analysed once.
    numbers = [f"+2010{k:08d}" for k in range(7)]
    cards = "".join(
        _tel_card(f"TEL;waid={numbers[i % 7][1:]}:{numbers[i % 7]}") for i in range(120)
    )
    phones, waids = _count_analyses(monkeypatch)
    first = vcardkit.validate(cards)
    assert sorted(phones) == numbers
    assert sorted(waids) == [n[1:] for n in numbers]
    # A second call has its own memo: nothing kept from the first (no
    # global cache growing across calls), and the same diagnostics.
    second = vcardkit.validate(cards)
    assert sorted(phones) == sorted(numbers * 2)
    assert sorted(waids) == sorted([n[1:] for n in numbers] * 2)
    assert first.diagnostics == second.diagnostics


def test_each_distinct_number_is_analysed_once_in_json(monkeypatch: pytest.MonkeyPatch) -> None:
    contacts = [
        {"fullName": f"A {i}", "phoneNumber": f"+2010{i % 5:08d}", "whatsappId": f"2010{i % 5:08d}"}
        for i in range(60)
    ]
    phones, waids = _count_analyses(monkeypatch)
    vcardkit.validate(json.dumps(contacts))
    assert len(phones) == len(set(phones)) == 5
    assert len(waids) == len(set(waids)) == 5


def test_a_national_number_and_its_twin_are_each_analysed_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # VC401 reads "201111111111" beside its waid as "+201111111111": two
    # numbers, each analysed once however many cards hold them.
    cards = "".join(_tel_card("TEL;waid=201111111111:201111111111") for _ in range(30))
    phones, _ = _count_analyses(monkeypatch)
    report = vcardkit.validate(cards, select=["VC401"])
    assert sorted(phones) == ["+201111111111", "201111111111"]
    assert len(report.diagnostics) == 30
