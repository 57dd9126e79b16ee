"""A short fuzz in the suite: tests/fuzz/checks.py on hypothesis' inputs.

The long runs are atheris' (tests/fuzz/fuzz_vcardkit.py, see its docstring);
these keep the same guarantees from regressing between them.
"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.fuzz import checks

# Bytes that look like cards and JSON more often than random bytes would.
_PIECES = st.sampled_from(
    [
        b"BEGIN:VCARD\r\n", b"VERSION:3.0\r\n", b"END:VCARD\r\n", b"FN:", b"N:", b"TEL;",
        b"waid=", b"TYPE=", b":", b";", b",", b"\\", b"\r\n", b"\n", b"\r", b" ", b"\t",
        b"=", b'"', b"\xef\xbb\xbf", b"\xe9", b"\xff", b"\xe2\x80\xa8", b"\xc2\x85",
        b"[", b"]", b"{", b"}", b'"fullName"', b'"phoneNumber"', b'"vcard"', b"\\ud800",
        b"+20111", b"1" * 20, b"\x00", b"\x1b[2J",
    ]
)  # fmt: skip
_BYTES = st.one_of(st.binary(max_size=300), st.lists(_PIECES, max_size=40).map(b"".join))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_BYTES)
@example(b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Jos\xe9\r\nEND:VCARD\r\n")
@example(b'[{"fullName": "\\ud800"}]')
@example(b"\xef\xbb\xbf\xef\xbb\xbf")  # a BOM, then U+FEFF: it goes with the mark
@example(b"\xff\xfe\xff\xfe")  # the same after a UTF-16 mark, which a str cannot keep
@example(b"\xfe\xff\xfe\xff\x00\n\x00\n\x00$\n\x0b")  # U+FEFF is column 1 of its line
@example(b'[{"fullName": "A", "phoneNumber": ' + b"1" * 5000 + b"}]")
def test_any_bytes(data: bytes) -> None:
    """Readers raise only VCardError, validate never raises, every position lies
    inside the input, fixes apply cleanly, fixing twice equals fixing once."""
    checks.check_bytes(data)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(max_size=200), _BYTES.map(lambda b: b.decode("utf-8", "surrogateescape"))))
@example("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:\ud800\r\nEND:VCARD\r\n")
@example("\ufeffBEGIN:VCARD\r\nVERSION:3.0\r\nFN:A, B\r\nEND:VCARD\r\n")
def test_any_text(text: str) -> None:
    """As test_any_bytes, for text given as str (lone surrogates included)."""
    checks.check_text(text)


_VALUES = st.one_of(st.text(max_size=40), st.sampled_from(["\ud800", "\u2028", "X-A;=x:v", ""]))
_CONTACT = st.dictionaries(
    st.sampled_from(
        ["fullName", "firstName", "organization", "phoneNumber", "whatsappId", "note", "vcard"]
    ),
    _VALUES,
    min_size=1,
).map(dict)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_CONTACT, min_size=1, max_size=3), st.lists(_VALUES, max_size=2))
@example([{"fullName": "A", "extraProperties": ["X-A;=x:v"]}], [])
def test_any_contacts(contacts: list[dict[str, Any]], extras: list[str]) -> None:
    """dumps writes sendable text or raises VCardError; validate never raises; what
    check returns validates with no error."""
    if extras:
        contacts[0]["extraProperties"] = extras
    checks.check_contacts(contacts)
