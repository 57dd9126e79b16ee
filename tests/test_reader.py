"""loads / iter_load on hand-made input, every expectation worked out by hand.

Positions (docs/design.md "The public API", docs/rules/index.md "Where a diagnostic points"):
1-based physical lines, where CRLF, LF and a lone CR each end one; 1-based
columns counting code points of the line as the caller passed it, through
folds. Each expectation says how it is counted.
"""

from __future__ import annotations

import codecs
import io
from pathlib import Path

import pytest

from vcardkit import Contact, Phone, VCardError, iter_load, load, loads

ANN = Contact("Ann")


def card(*lines: str, eol: str = "\r\n") -> str:
    return eol.join(("BEGIN:VCARD", "VERSION:3.0", *lines, "END:VCARD")) + eol


def error(data: str | bytes) -> tuple[str | None, int | None, int | None]:
    with pytest.raises(VCardError) as info:
        loads(data)
    exc = info.value
    return exc.code, exc.line, exc.column


# ---------------------------------------------------------------------------
# Encodings


def test_utf8_bom_is_skipped_in_bytes_and_in_text() -> None:
    text = card("FN:Ann")
    assert loads(codecs.BOM_UTF8 + text.encode()) == [ANN]
    assert loads("\ufeff" + text) == [ANN]


@pytest.mark.parametrize(
    ("bom", "codec"),
    [
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
    ],
)
def test_utf16_and_utf32_with_a_bom_are_decoded(bom: bytes, codec: str) -> None:
    data = bom + card("FN:Zoë 😀").encode(codec)
    assert loads(data) == [Contact("Zoë 😀")]
    assert list(iter_load(io.BytesIO(data))) == [Contact("Zoë 😀")]


def test_empty_input_is_no_contacts() -> None:
    assert loads("") == []
    assert loads(b"") == []
    assert loads(b"\r\n\r\n") == []
    assert list(iter_load(io.BytesIO(b""))) == []
    assert list(iter_load(io.StringIO(""))) == []


# ---------------------------------------------------------------------------
# Line endings and folds


@pytest.mark.parametrize("eol", ["\r\n", "\n", "\r"])
def test_crlf_lf_and_cr_line_endings_read_alike(eol: str) -> None:
    text = card("FN:Ann", "TITLE:Boss", eol=eol)
    assert loads(text) == [Contact("Ann", title="Boss")]
    assert loads(text.encode()) == [Contact("Ann", title="Boss")]


def test_folds_with_space_and_tab_drop_one_white_space() -> None:
    # RFC 2425 §5.8.1: the line break and ONE white space go; a second space
    # on the continuation line is data.
    text = card("FN:Ann", "NOTE:Hello\r\n  World\r\n\t!")
    assert loads(text) == [Contact("Ann", note="Hello World!")]


def test_a_fold_splitting_a_utf8_sequence_is_joined() -> None:
    # "€" is E2 82 AC; the fold falls after E2 82 (RFC 6350 §3.2 asks readers
    # to join it).
    data = card("FN:Ann", "NOTE:5 \xe2\x82\r\n \xac!").encode("latin-1")
    assert loads(data) == [Contact("Ann", note="5 €!")]
    assert list(iter_load(io.BytesIO(data))) == [Contact("Ann", note="5 €!")]


# ---------------------------------------------------------------------------
# Parameters, groups, escapes


def test_quoted_parameter_values_keep_their_delimiters() -> None:
    text = card(
        "FN:Ann",
        'TEL;TYPE="WORK,VOICE";waid="2011:1";X-Q="a;b":+201111111111',
        'X-NOTE;X-P="x:y":v',
    )
    (c,) = loads(text)
    # A quoted value is one value, "," ";" ":" and all (RFC 2425 §5.8.2).
    assert c.phones == (Phone("+201111111111", "2011:1", ("WORK,VOICE",), None, ('X-Q="a;b"',)),)
    assert c.extra_properties == ('X-NOTE;X-P="x:y":v',)


def test_a_type_list_is_several_types() -> None:
    (c,) = loads(card("FN:Ann", "TEL;TYPE=WORK,FAX:+1", "TEL;TYPE=HOME;TYPE=VOICE:+2"))
    assert [p.type for p in c.phones] == [("WORK", "FAX"), ("HOME", "VOICE")]


def test_item_groups_stay_with_their_property() -> None:
    (c,) = loads(
        card("FN:Ann", "item1.TEL;TYPE=WORK:+201111111111", "item1.X-ABLabel:Desk", "X-A:1")
    )
    assert c.phones == (Phone("+201111111111", None, ("WORK",), "item1"),)
    assert c.extra_properties == ("item1.X-ABLabel:Desk", "X-A:1")


def test_text_escapes_of_rfc_2426() -> None:
    # \\ \, \; \n \N: backslash, comma, semicolon, and two spellings of LF.
    (c,) = loads(card("FN:Ann", "NOTE:a\\\\b\\, c\\; d\\ne\\Nf"))
    assert c.note == "a\\b, c; d\ne\nf"


def test_structured_values_split_at_unescaped_semicolons() -> None:
    (c,) = loads(card("FN:Ann Doe", "N:Doe\\;Smith;Ann;;Dr.;", "ORG:A\\, B;R\\;D"))
    assert (c.last_name, c.first_name, c.middle_name, c.name_prefix, c.name_suffix) == (
        "Doe;Smith",
        "Ann",
        None,
        "Dr.",
        None,
    )
    assert (c.organization, c.department) == ("A, B", "R;D")


def test_several_cards_with_blank_lines_between() -> None:
    text = card("FN:Ann") + "\r\n\r\n" + card("FN:Bob") + card("FN:Cy")
    assert loads(text) == [ANN, Contact("Bob"), Contact("Cy")]


# ---------------------------------------------------------------------------
# vCard 2.1

V21 = (
    "BEGIN:VCARD\r\n"
    "VERSION:2.1\r\n"
    "N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:M=C3=BCller;J=C3=BCrgen;;;\r\n"
    "FN;CHARSET=ISO-8859-1;ENCODING=QUOTED-PRINTABLE:J=FCrgen M=FCller\r\n"
    "NOTE;ENCODING=QUOTED-PRINTABLE;CHARSET=UTF-8:Line one=0D=0A=\r\n"
    "line two, =E2=82=AC=\r\n"
    " 5\r\n"
    "TEL;CELL:+4915112345678\r\n"
    "TEL;WORK;VOICE:+4930123456\r\n"
    "END:VCARD\r\n"
)


def test_quoted_printable_with_soft_line_breaks_and_charset() -> None:
    (c,) = loads(V21)
    # =C3=BC is "ü" in UTF-8; =FC is "ü" in ISO-8859-1.
    assert (c.last_name, c.first_name) == ("Müller", "Jürgen")
    assert c.full_name == "Jürgen Müller"
    # CRLF (=0D=0A) becomes LF; "=" at a line end is a soft break (RFC 2045
    # §6.7), and the space that starts the next line is data.
    assert c.note == "Line one\nline two, € 5"
    # 2.1 bare parameters are TYPE values (vCard 2.1 §2.1.2).
    assert [(p.phone_number, p.type) for p in c.phones] == [
        ("+4915112345678", ("CELL",)),
        ("+4930123456", ("WORK", "VOICE")),
    ]
    assert c.extra_properties == ()


def test_rfc_2045_soft_break_example() -> None:
    text = (
        "BEGIN:VCARD\r\nVERSION:2.1\r\nFN:Ann\r\n"
        "NOTE;ENCODING=QUOTED-PRINTABLE:Now's the time =\r\n"
        "for all folk to come=\r\n"
        " to the aid of their country.\r\n"
        "END:VCARD\r\n"
    )
    (c,) = loads(text)
    assert c.note == "Now's the time for all folk to come to the aid of their country."


def test_a_value_ending_in_equals_is_not_a_soft_break_without_quoted_printable() -> None:
    # QUOTED-PRINTABLE as a TYPE value or in a name is not an encoding.
    text = card("FN:Ann", "TEL;TYPE=QUOTED-PRINTABLE:+1=", "X-QUOTED-PRINTABLE:a=", "NOTE:n")
    (c,) = loads(text)
    assert c.phones == (Phone("+1=", None, ("QUOTED-PRINTABLE",)),)
    assert c.extra_properties == ("X-QUOTED-PRINTABLE:a=",)
    assert c.note == "n"


# ---------------------------------------------------------------------------
# Fatal faults and where they are


def test_vc101_undecodable_bytes_at_their_line_and_column() -> None:
    # Line 3 "FN:Ann\xff": F1 N2 :3 A4 n5 n6, the bad byte at 7.
    assert error(card("FN:Ann\xff").encode("latin-1")) == ("VC101", 3, 7)
    # Columns count code points: "é" is one (two bytes).
    assert error(card("FN:é\xff").encode("latin-1").replace(b"\xe9", "é".encode())) == (
        "VC101",
        3,
        5,
    )
    # On a continuation line (line 4): space 1, B 2, the bad byte 3.
    assert error(card("FN:Ann\r\n B\xffx").encode("latin-1")) == ("VC101", 4, 3)


def test_vc104_text_before_the_first_card() -> None:
    assert error("hello\r\n" + card("FN:Ann")) == ("VC104", 1, 1)
    # After a blank first line, the text is on line 2.
    assert error("\r\nhello\r\n" + card("FN:Ann")) == ("VC104", 2, 1)


def test_vc105_a_card_with_no_end() -> None:
    assert error("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann\r\n") == ("VC105", 1, 1)
    # The second card begins on line 5 (the first is lines 1-4).
    assert error(card("FN:Ann") + "BEGIN:VCARD\r\nFN:Bob\r\n") == ("VC105", 5, 1)


def test_vc106_end_with_no_begin() -> None:
    assert error("END:VCARD\r\n") == ("VC106", 1, 1)
    assert error(card("FN:Ann") + "END:VCARD\r\n") == ("VC106", 5, 1)


def test_vc107_a_card_inside_a_card() -> None:
    # BEGIN 1, VERSION 2, FN 3, the inner BEGIN 4.
    assert error(card("FN:Ann", "BEGIN:VCARD", "FN:Bob", "END:VCARD")) == ("VC107", 4, 1)


def test_vc108_text_between_cards() -> None:
    assert error(card("FN:Ann") + "junk\r\n" + card("FN:Bob")) == ("VC108", 5, 1)


def test_vc109_a_line_with_no_colon() -> None:
    assert error(card("FN Ann")) == ("VC109", 3, 1)
    # Folded: the fault is the property's, at its name on line 3.
    assert error(card("FN\r\n Ann")) == ("VC109", 3, 1)


def test_vc110_an_unbalanced_quote() -> None:
    # At the name of the parameter that opens the quote: T1 E2 L3 ;4 T5.
    assert error(card("FN:Ann", 'TEL;TYPE="WORK:+1')) == ("VC110", 4, 5)
    # The parameter on a continuation line (line 5): space 1, X 2.
    assert error(card("FN:Ann", 'TEL;TYPE=WORK;\r\n X-A="b:+1')) == ("VC110", 5, 2)
    # Columns are code points: X1 -2 É3 ;4 X5, whatever "É" takes in UTF-8.
    assert error(card("FN:Ann", 'X-É;X-P="ü:v').encode()) == ("VC110", 4, 5)


def test_vcarderror_is_a_valueerror_with_its_place_in_the_message() -> None:
    with pytest.raises(ValueError, match=r"line 3, column 1"):
        loads(card("FN Ann"))


# ---------------------------------------------------------------------------
# Files and streaming


def test_load_reads_text_and_binary_files(tmp_path: Path) -> None:
    path = tmp_path / "ann.vcf"
    path.write_bytes(codecs.BOM_UTF8 + card("FN:Zoë").encode())
    with path.open("rb") as fp:
        assert load(fp) == [Contact("Zoë")]
    with path.open(encoding="utf-8") as fp:
        assert load(fp) == [Contact("Zoë")]


CHUNK = 1 << 20  # vcardkit._io reads files in chunks of 1 MiB


def _big_file(eol: str) -> tuple[bytes, int]:
    """Over two chunks of cards; a folded NOTE straddles the first chunk's end,
    the boundary falling inside a UTF-8 sequence on a continuation line.
    Returns the data and its number of cards."""
    filler = card("FN:Filler", "NOTE:" + "x" * 60, eol=eol).encode()
    note = "NOTE:" + "é€😀" * 400  # folded by hand, 20 characters a line
    folded = note[:20] + "".join(eol + " " + note[i : i + 20] for i in range(20, len(note), 20))
    straddle = card("FN:Straddle", folded, eol=eol).encode()
    base = filler * ((CHUNK - 3000) // len(filler))
    for pad in range(1, 200):
        data = base + card("FN:Pad", "NOTE:" + "p" * pad, eol=eol).encode() + straddle
        line_start = data.rfind(eol.encode(), 0, CHUNK) + len(eol)
        if data[line_start] == 0x20 and 0x80 <= data[CHUNK] <= 0xBF:
            data += filler * (CHUNK // len(filler) + 10)
            return data, data.count(b"BEGIN:VCARD")
    raise AssertionError("no padding puts a fold on the chunk boundary")


@pytest.mark.parametrize("eol", ["\r\n", "\n"])
def test_iter_load_over_several_chunks_is_loads(eol: str) -> None:
    data, count = _big_file(eol)
    assert len(data) > 2 * CHUNK
    expected = loads(data)
    assert len(expected) == count
    straddle = [c for c in expected if c.full_name == "Straddle"]
    assert straddle == [Contact("Straddle", note="é€😀" * 400)]
    assert list(iter_load(io.BytesIO(data))) == expected
    assert list(iter_load(io.StringIO(data.decode(), newline=""))) == expected


def test_a_fault_in_a_later_chunk_reports_its_physical_line() -> None:
    data, _ = _big_file("\r\n")
    # A line with no colon, then a bad byte, well past the first chunk.
    at = data.index(b"BEGIN:VCARD", CHUNK + 1000)
    bad = data[:at] + b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN Oops\r\nEND:VCARD\r\n" + data[at:]
    line = bad[:at].count(b"\r\n") + 3  # BEGIN, VERSION, then the bad line
    seen = 0
    with pytest.raises(VCardError) as info:
        for _ in iter_load(io.BytesIO(bad)):
            seen += 1
    assert (info.value.code, info.value.line, info.value.column) == ("VC109", line, 1)
    assert seen == bad[:at].count(b"BEGIN:VCARD")  # every card before it came out
    assert error(bad) == ("VC109", line, 1)

    # Undecodable bytes: "FN:Ann" then 0xFF at column 7.
    undecodable = data[:at] + b"BEGIN:VCARD\r\nFN:Ann\xff\r\nEND:VCARD\r\n" + data[at:]
    line = undecodable[:at].count(b"\r\n") + 2
    with pytest.raises(VCardError) as info:
        list(iter_load(io.BytesIO(undecodable)))
    assert (info.value.code, info.value.line, info.value.column) == ("VC101", line, 7)
    assert str(at + len(b"BEGIN:VCARD\r\nFN:Ann")) in info.value.msg  # its byte offset
