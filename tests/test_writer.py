"""dumps / dump on hand-made contacts; every expected card written by hand from docs/design.md."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from vcardkit import Address, Contact, Email, Phone, Url, VCardError, dump, dumps, loads


def lines(*body: str, eol: str = "\r\n") -> str:
    return eol.join(("BEGIN:VCARD", "VERSION:3.0", *body, "END:VCARD")) + eol


# ---------------------------------------------------------------------------
# The canonical card


def test_every_field_in_the_fixed_order() -> None:
    c = Contact(
        "Ann Doe",
        first_name="Ann",
        last_name="Doe",
        middle_name="Q",
        name_prefix="Dr.",
        name_suffix="Jr.",
        organization="Wawp",
        department="Support",
        title="Lead",
        phone_number="+201111111111",
        whatsapp_id="201111111111",
        phones=[Phone("+442071838750", type=("WORK", "FAX"), parameters=("X-SIP=yes",))],
        emails=[Email("ann@example.com", type=("WORK",))],
        addresses=[Address(street="12 Nile St", city="Cairo", zip="11511", type=("HOME",))],
        urls=[Url("https://example.com", type=("WORK",))],
        birthday="1990-03-14",
        note="Hi",
        extra_properties=["X-WA-BIZ-NAME:Shop"],
    )
    assert dumps([c]) == lines(
        "N:Doe;Ann;Q;Dr.;Jr.",
        "FN:Ann Doe",
        "ORG:Wawp;Support",
        "TITLE:Lead",
        "TEL;type=CELL;type=VOICE;waid=201111111111:+201111111111",
        "TEL;type=WORK;type=FAX;X-SIP=yes:+442071838750",
        "EMAIL;type=INTERNET;type=WORK:ann@example.com",
        "ADR;type=HOME:;;12 Nile St;Cairo;;11511;",
        "URL;type=WORK:https://example.com",
        "BDAY:1990-03-14",
        "NOTE:Hi",
        "X-WA-BIZ-NAME:Shop",
    )


def test_n_falls_back_to_the_full_name() -> None:
    # docs/design.md "The canonical card": with no structured name, N is ";<fullName>;;;".
    assert dumps([Contact("Wawp Support")]) == lines("N:;Wawp Support;;;", "FN:Wawp Support")
    assert dumps([Contact(last_name="Doe")]) == lines("N:Doe;;;;")
    assert dumps([Contact()]) == lines()


def test_the_first_phone_has_its_own_type_or_cell_voice() -> None:
    c = Contact("A", phones=[Phone("+1", type=("HOME",)), Phone("+2"), Phone("+3", "3")])
    assert dumps([c]) == lines("N:;A;;;", "FN:A", "TEL;type=HOME:+1", "TEL:+2", "TEL;waid=3:+3")


def test_text_is_escaped_and_tel_email_url_bday_are_not() -> None:
    c = Contact(
        "Doe, Ann; \\x",
        note="line 1\r\nline 2\rline 3\nend",  # CRLF and CR become LF
        phone_number="+1,2;3",
        emails=[Email("a,b;c@x")],
        urls=[Url("http://x/?a=1;b=2,3")],
        birthday="1990-03-14;x",
    )
    assert dumps([c]) == lines(
        "N:;Doe\\, Ann\\; \\\\x;;;",
        "FN:Doe\\, Ann\\; \\\\x",
        "TEL;type=CELL;type=VOICE:+1,2;3",
        "EMAIL;type=INTERNET:a,b;c@x",
        "URL:http://x/?a=1;b=2,3",
        "BDAY:1990-03-14;x",
        "NOTE:line 1\\nline 2\\nline 3\\nend",
    )


def test_parameter_values_are_quoted_when_they_hold_delimiters() -> None:
    c = Contact(
        "A",
        phones=[Phone("+1", "1;2", ("a,b", "c:d", "plain text"))],
    )
    assert dumps([c]) == lines(
        "N:;A;;;", "FN:A", 'TEL;type="a,b";type="c:d";type=plain text;waid="1;2":+1'
    )


def test_email_types_never_repeat_internet() -> None:
    c = Contact("A", emails=[Email("a@x", type=("internet", "HOME"))])
    assert "EMAIL;type=INTERNET;type=HOME:a@x\r\n" in dumps([c])


def test_birthday_with_no_year_is_written_as_apple_does() -> None:
    assert "BDAY;X-APPLE-OMIT-YEAR=1604:1604-03-14\r\n" in dumps([Contact("A", birthday="--03-14")])
    # Not a month and a day in ASCII digits: written as it is.
    assert "BDAY:--٠٣-١٤\r\n" in dumps([Contact("A", birthday="--٠٣-١٤")])


def test_country_code_goes_in_a_free_item_group() -> None:
    c = Contact(
        "A",
        phones=[Phone("+1", group="item1")],
        addresses=[
            Address(city="Cairo", country="Egypt", country_code="EG", type=("WORK",)),
            Address(city="Bonn", country_code="DE", group="home"),
        ],
        extra_properties=["ITEM2.X-ABLabel:taken"],
    )
    assert dumps([c]) == lines(
        "N:;A;;;",
        "FN:A",
        "item1.TEL;type=CELL;type=VOICE:+1",
        # item1 is the phone's, ITEM2 an extra's (groups compare without
        # case): the first free number is 3.
        "item3.ADR;type=WORK:;;;Cairo;;;Egypt",
        "item3.X-ABADR:eg",
        "home.ADR:;;;Bonn;;;",
        "home.X-ABADR:de",
        "ITEM2.X-ABLabel:taken",
    )


def test_grouped_extras_follow_their_property_the_others_come_last() -> None:
    c = Contact(
        "A",
        phones=[Phone("+1", group="item1"), Phone("+2", group="item2")],
        extra_properties=["X-A:1", "item2.X-ABLabel:two", "item1.X-ABLabel:one", "X-B:2"],
    )
    assert dumps([c]) == lines(
        "N:;A;;;",
        "FN:A",
        "item1.TEL;type=CELL;type=VOICE:+1",
        "item1.X-ABLabel:one",
        "item2.TEL:+2",
        "item2.X-ABLabel:two",
        "X-A:1",
        "X-B:2",
    )


# ---------------------------------------------------------------------------
# Folding


def _physical(text: str) -> list[bytes]:
    return text.encode("utf-8").split(b"\r\n")[:-1]


def test_folding_is_greedy_at_75_octets() -> None:
    # "NOTE:" is 5 octets: 70 more make exactly 75, no fold.
    assert _physical(dumps([Contact(note="a" * 70)]))[2] == b"NOTE:" + b"a" * 70
    # One more: the 76th octet goes to a continuation line " a".
    folded = _physical(dumps([Contact(note="a" * 71)]))
    assert folded[2:4] == [b"NOTE:" + b"a" * 70, b" a"]
    # A continuation line holds its space and 74 octets.
    folded = _physical(dumps([Contact(note="b" * (70 + 74 + 1))]))
    assert folded[2:5] == [b"NOTE:" + b"b" * 70, b" " + b"b" * 74, b" b"]


def test_folding_never_splits_a_utf8_sequence() -> None:
    # é is 2 octets: 5 + 2 * 35 = 75, the 36th goes on.
    folded = _physical(dumps([Contact(note="é" * 40)]))
    assert folded[2:4] == [("NOTE:" + "é" * 35).encode(), (" " + "é" * 5).encode()]
    # € is 3: 5 + 1 + 3 * 23 = 75. 😀 is 4: 5 + 4 * 17 = 73, and 77 > 75.
    folded = _physical(dumps([Contact(note="a" + "€" * 30)]))
    assert folded[2:4] == [("NOTE:a" + "€" * 23).encode(), (" " + "€" * 7).encode()]
    folded = _physical(dumps([Contact(note="😀" * 20)]))
    assert folded[2:4] == [("NOTE:" + "😀" * 17).encode(), (" " + "😀" * 3).encode()]
    for line in folded:
        line.decode("utf-8")


def test_a_quoted_printable_line_never_ends_a_physical_line_in_equals() -> None:
    # A 2.1 value kept as it was: "=" at a line end reads as a soft break.
    head = "LABEL;ENCODING=QUOTED-PRINTABLE;CHARSET=X-BOGU:"  # 6 + 26 + 15 = 47
    extra = head + "=41" * 30
    text = dumps([Contact("A", extra_properties=[extra])])
    physical = text.split("\r\n")[:-1]
    assert all(len(p.encode()) <= 75 and not p.endswith("=") for p in physical)
    # Greedy, the first line would be 75 characters: the head and 28 more,
    # "=41" nine times and the "=" of the tenth. The fold moves before it.
    assert physical[4:6] == [extra[:74], " " + extra[74:]]
    assert loads(text)[0].extra_properties == (extra,)


# ---------------------------------------------------------------------------
# Line endings, files, payloads


def test_line_ending_lf_on_request() -> None:
    text = dumps([Contact("Ann", note="x" * 100)], line_ending="\n")
    assert "\r" not in text
    assert text.startswith("BEGIN:VCARD\nVERSION:3.0\nN:;Ann;;;\nFN:Ann\nNOTE:")
    assert "\n " in text  # folded with LF too
    with pytest.raises(ValueError):
        dumps([Contact("Ann")], line_ending="\r")


def test_dump_to_text_and_binary_files(tmp_path: Path) -> None:
    cs = [Contact("Zoë")]
    expected = lines("N:;Zoë;;;", "FN:Zoë")
    binary = tmp_path / "b.vcf"
    with binary.open("wb") as fp:
        dump(cs, fp)
    assert binary.read_bytes() == expected.encode("utf-8")
    text = tmp_path / "t.vcf"
    with text.open("w", encoding="utf-8", newline="") as fp:
        dump(cs, fp)
    assert text.read_bytes() == expected.encode("utf-8")
    buffer = io.StringIO()
    dump(cs, buffer, line_ending="\n")
    assert buffer.getvalue() == expected.replace("\r\n", "\n")
    raw = io.BytesIO()
    dump(cs, raw)
    assert raw.getvalue() == expected.encode("utf-8")


def test_several_contacts_are_cards_in_order() -> None:
    assert dumps([Contact("A"), Contact("B")]) == lines("N:;A;;;", "FN:A") + lines(
        "N:;B;;;", "FN:B"
    )
    assert dumps(Contact("A")) == lines("N:;A;;;", "FN:A")
    assert dumps({"fullName": "A"}) == lines("N:;A;;;", "FN:A")


def test_a_vcard_string_is_sent_as_it_is_with_line_endings_normalized() -> None:
    card = "BEGIN:VCARD\nVERSION:3.0\nFN:Raw\\, as is\r\nX-A:1\rEND:VCARD\n"
    expected = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Raw\\, as is\r\nX-A:1\r\nEND:VCARD\r\n"
    assert dumps([Contact(vcard=card)]) == expected
    assert dumps([{"vcard": card}], line_ending="\n") == expected.replace("\r\n", "\n")
    # With fields too, the string is what is sent (docs/design.md "`vcard` and fields").
    assert dumps([{"vcard": card, "fullName": "Other"}]) == expected
    assert dumps([Contact("A"), Contact(vcard=card)]) == lines("N:;A;;;", "FN:A") + expected


@pytest.mark.parametrize(
    "bad",
    [
        "BEGIN:VCARD\r\nFN:A\r\nEND:VCARD\r\nBEGIN:VCARD\r\nFN:B\r\nEND:VCARD\r\n",
        " BEGIN:VCARD\r\nFN:A\r\nEND:VCARD\r\n",
        "BEGIN:VCARD\r\nFN:A\r\n",
        "FN:A\r\n",
        "",
    ],
)
def test_a_vcard_string_must_be_exactly_one_card(bad: str) -> None:
    with pytest.raises(VCardError) as info:
        dumps([Contact("A"), Contact(vcard=bad)])
    assert info.value.pointer == "/1/vcard"


def test_what_no_30_line_carries_raises_with_its_pointer() -> None:
    cases = [
        (Contact("A\x00"), "/0/fullName"),
        (Contact("A", note="\x7f"), "/0/note"),
        (Contact("A", phone_number="+1\n2"), "/0/phoneNumber"),
        (Contact("A", phones=[Phone("+1", type=("W",)), Phone("+2\r")]), "/0/phones/1/phoneNumber"),
        (Contact("A", whatsapp_id='1"2', phone_number="+1"), "/0/whatsappId"),
        (Contact("A", whatsapp_id="1"), "/0/whatsappId"),
        (Contact("A", emails=[Email("a@x", type=("W\tX",))]), "/0/emails/0/type"),
        (Contact("A", extra_properties=["X-A:1", "END:VCARD"]), "/0/extraProperties/1"),
        (Contact("A", extra_properties=["X-A:1\nBEGIN:VCARD"]), "/0/extraProperties/0"),
        (Contact("A", extra_properties=["version:4.0"]), "/0/extraProperties/0"),
        (Contact("A", phones=[Phone("+1", parameters=("X-A=b:c",))]), "/0/phones/0/parameters/0"),
    ]
    for contact, pointer in cases:
        with pytest.raises(VCardError) as info:
            dumps([contact])
        assert info.value.pointer == pointer, contact
        assert info.value.line is None


def test_for_json_the_pointer_names_a_key_of_that_json() -> None:
    cases: list[tuple[dict[str, object], str]] = [
        # The first phone given in "phones", plain or not: /phones/0.
        ({"fullName": "A", "phones": [{"phoneNumber": "+1\n"}]}, "/0/phones/0/phoneNumber"),
        (
            {"fullName": "A", "phones": [{"phoneNumber": "+1"}, {"phoneNumber": "+2\n"}]},
            "/0/phones/1/phoneNumber",
        ),
        ({"fullName": "A", "phones": [{"whatsappId": "1"}]}, "/0/phones/0/whatsappId"),
        # With the shorthand keys, "phones" starts at the second phone.
        (
            {"fullName": "A", "phoneNumber": "+1", "phones": [{"phoneNumber": "+2\r"}]},
            "/0/phones/0/phoneNumber",
        ),
        ({"fullName": "A", "whatsappId": "1"}, "/0/whatsappId"),
        ({"fullName": "A", "phoneNumber": "+1", "whatsappId": '"'}, "/0/whatsappId"),
    ]
    for data, pointer in cases:
        with pytest.raises(VCardError) as info:
            dumps([data])
        assert info.value.pointer == pointer, data
