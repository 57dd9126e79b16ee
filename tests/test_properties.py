"""Property tests of the core: round trip, no injection, line limits, folds, lossless.

Every expectation is worked out here from docs/design.md ("The canonical card",
"Canonical form and the edges") and RFC 2425/2426, not from the code: the
lines a contact implies, the pointers of the fields, the unfolding of RFC
2425 §5.8.1 and the text escapes of RFC 2426 §4.
"""

from __future__ import annotations

import binascii
import bisect
import dataclasses
import io
import itertools
import json
import os
import re
from collections import Counter
from collections.abc import Iterator
from typing import Any
from unittest import mock

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

import vcardkit._io
from vcardkit import (
    Address,
    Contact,
    Email,
    Phone,
    Url,
    VCardError,
    dumps,
    from_json,
    iter_load,
    loads,
    to_json,
)
from vcardkit._syntax._reader import Card, ContentLine, read
from vcardkit.strategies import (
    CardLine,
    _contact,
    _json_contact,
    _Strategies,
    card_lines,
    contacts,
    json_contacts,
    raw_values,
    texts,
)

SETTINGS = settings(
    max_examples=int(os.environ.get("VCARDKIT_EXAMPLES", "100")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    # VCARDKIT_NO_SHRINK=1 for a quick look while working on the code.
    phases=[Phase.explicit, Phase.reuse, Phase.generate]
    + ([] if os.environ.get("VCARDKIT_NO_SHRINK") else [Phase.shrink, Phase.explain]),
)

payloads = st.lists(contacts(), min_size=1, max_size=2)


# ---------------------------------------------------------------------------
# Helpers written from the RFCs, independent of vcardkit's codecs


def physical(text: str) -> list[str]:
    """Physical lines of ``text`` (RFC 2425 §5.8.1: CRLF, LF or CR end one)."""
    lines = re.split(r"\r\n|\r|\n", text)
    assert lines[-1] == "", "the payload ends with a line break"
    return lines[:-1]


def unfold(text: str) -> list[str]:
    """Logical lines: a line starting with a space or a tab continues the previous one."""
    out: list[str] = []
    for line in physical(text):
        if line[:1] in (" ", "\t") and out:
            out[-1] += line[1:]
        else:
            out.append(line)
    return out


_COMPONENT_RE = re.compile(r"(?:\\.|[^\\;])*", re.DOTALL)
_ITEM_RE = re.compile(r"(?:\\.|[^\\,])*", re.DOTALL)


def _split(value: str, item_re: re.Pattern[str]) -> list[str]:
    out: list[str] = []
    pos = 0
    while True:
        m = item_re.match(value, pos)
        assert m is not None
        out.append(m.group())
        pos = m.end() + 1
        if pos > len(value):
            return out


def unescape(value: str) -> str:
    """RFC 2426 §4: ``\\\\`` ``\\,`` ``\\;`` ``\\n`` ``\\N``."""
    return re.sub(r"\\([\\,;nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def decode_3(value: str) -> tuple[tuple[str, ...], ...]:
    """A 3.0 value as components of list items, unescaped (RFC 2426 §4)."""
    return tuple(
        tuple(unescape(item) for item in _split(component, _ITEM_RE))
        for component in _split(value, _COMPONENT_RE)
    )


def lex_cards(text: str) -> list[Card]:
    cards: list[Card] = []
    for item in read([text]):
        assert isinstance(item, Card), f"the written payload has a syntax issue: {item}"
        cards.append(item)
    return cards


def parse_parameter_string(text: str) -> tuple[str, tuple[str, ...]]:
    """``NAME=v1,"v;2"`` as (NAME, values) (RFC 2425 §5.8.2 param)."""
    name, _, raw = text.partition("=")
    values: list[str] = []
    pos = 0
    while True:
        m = re.compile(r'"([^"]*)"|([^",]*)').match(raw, pos)
        assert m is not None
        values.append(m.group(1) if m.group(1) is not None else m.group(2))
        pos = m.end()
        if pos >= len(raw):
            return name, tuple(values)
        pos += 1  # the ","


# ---------------------------------------------------------------------------
# 1. Round trip


@SETTINGS
@given(payloads)
def test_round_trip_of_canonical_contacts(cs: list[Contact]) -> None:
    """For contacts in canonical form, from_json(to_json(loads(dumps(cs)))) == cs."""
    text = dumps(cs)
    assert loads(text) == cs
    assert from_json(to_json(loads(text))) == cs
    # Through JSON text too, as a sender would store it.
    assert from_json(json.dumps(to_json(loads(text)))) == cs
    assert loads(text.encode("utf-8")) == cs


@SETTINGS
@given(st.lists(json_contacts(), min_size=1, max_size=3))
def test_json_contacts_read_back_to_the_same_contacts(payload: list[dict[str, Any]]) -> None:
    """Every spelling of a JSON contact dumps to the card of its contact and reads back to it."""
    cs = from_json(payload)
    assert from_json(json.dumps(payload, ensure_ascii=False)) == cs
    assert dumps(payload) == dumps(cs)
    assert loads(dumps(payload)) == cs
    assert from_json(to_json(cs)) == cs


TEXT_FIELDS = (
    ("full_name", "fullName"),
    ("first_name", "firstName"),
    ("last_name", "lastName"),
    ("middle_name", "middleName"),
    ("name_prefix", "namePrefix"),
    ("name_suffix", "nameSuffix"),
    ("organization", "organization"),
    ("department", "department"),
    ("title", "title"),
    ("note", "note"),
)
ADDRESS_TEXT = (
    ("po_box", "poBox"),
    ("extended_address", "extendedAddress"),
    ("street", "street"),
    ("city", "city"),
    ("state", "state"),
    ("zip", "zip"),
    ("country", "country"),
)
# docs/design.md "Control characters": C0 but TAB and LF (CR becomes LF), and DEL;
# a lone surrogate cannot be written in UTF-8 at all.
TEXT_FORBIDDEN = [chr(c) for c in range(0x20) if c not in (0x09, 0x0A, 0x0D)] + [
    "\x7f",
    "\ud800",
]
LINE_BREAKS = ["\n", "\r", "\r\n"]
PARAM_FORBIDDEN = ['"', "\t", "\n", "\r", "\x00", "\x1b", "\x7f"]


def phone_pointer(contact: Contact, k: int, key: str) -> str:
    """The JSON Pointer of a phone's key, as docs/design.md "The JSON contact" spells it.

    A plain first phone is written with the shorthand keys; the other phones
    are the ``phones`` array, which then starts at the second phone.
    """
    first = contact.phones[0]
    plain = (
        first.group is None
        and not first.parameters
        and (not first.type or sorted(t.upper() for t in first.type) == ["CELL", "VOICE"])
    )
    if plain:
        return f"/{key}" if k == 0 else f"/phones/{k - 1}/{key}"
    return f"/phones/{k}/{key}"


def _insert(draw: st.DrawFn, value: str | None, bad: str) -> str:
    value = value or ""
    at = draw(st.integers(0, len(value)))
    return value[:at] + bad + value[at:]


@st.composite
def faulty_payloads(draw: st.DrawFn) -> tuple[list[Contact], str]:
    """A canonical payload with one value no 3.0 line can carry, and that field's pointer."""
    cs = draw(payloads)
    i = draw(st.integers(0, len(cs) - 1))
    c = cs[i]
    kinds = ["text", "extra"]
    if c.phones:
        kinds += ["raw-phone", "waid", "type", "no-number"]
    if c.emails:
        kinds.append("raw-email")
    if c.urls:
        kinds.append("raw-url")
    if c.addresses:
        kinds.append("address-text")
    kinds.append("birthday")
    kind = draw(st.sampled_from(kinds))
    if kind == "text":
        attr, key = draw(st.sampled_from(TEXT_FIELDS))
        bad = _insert(draw, getattr(c, attr), draw(st.sampled_from(TEXT_FORBIDDEN)))
        change: dict[str, Any] = {attr: bad}
        c = dataclasses.replace(c, **change)
        pointer = f"/{key}"
    elif kind == "address-text":
        k = draw(st.integers(0, len(c.addresses) - 1))
        attr, key = draw(st.sampled_from(ADDRESS_TEXT))
        a = c.addresses[k]
        bad = _insert(draw, getattr(a, attr), draw(st.sampled_from(TEXT_FORBIDDEN)))
        addresses = list(c.addresses)
        change = {attr: bad}
        addresses[k] = dataclasses.replace(a, **change)
        c = dataclasses.replace(c, addresses=tuple(addresses))
        pointer = f"/addresses/{k}/{key}"
    elif kind == "raw-phone":
        k = draw(st.integers(0, len(c.phones) - 1))
        pointer = phone_pointer(c, k, "phoneNumber")
        phones = list(c.phones)
        bad = _insert(draw, phones[k].phone_number, draw(st.sampled_from(LINE_BREAKS)))
        phones[k] = dataclasses.replace(phones[k], phone_number=bad)
        c = dataclasses.replace(c, phones=tuple(phones))
    elif kind == "raw-email":
        k = draw(st.integers(0, len(c.emails) - 1))
        emails = list(c.emails)
        bad = _insert(draw, emails[k].email, draw(st.sampled_from(LINE_BREAKS)))
        emails[k] = dataclasses.replace(emails[k], email=bad)
        c = dataclasses.replace(c, emails=tuple(emails))
        pointer = f"/emails/{k}/email"
    elif kind == "raw-url":
        k = draw(st.integers(0, len(c.urls) - 1))
        urls = list(c.urls)
        urls[k] = dataclasses.replace(
            urls[k], url=_insert(draw, urls[k].url, draw(st.sampled_from(LINE_BREAKS)))
        )
        c = dataclasses.replace(c, urls=tuple(urls))
        pointer = f"/urls/{k}/url"
    elif kind == "birthday":
        bad = _insert(draw, c.birthday or "2000-01-01", draw(st.sampled_from(LINE_BREAKS)))
        c = dataclasses.replace(c, birthday=bad)
        pointer = "/birthday"
    elif kind == "waid":
        k = draw(st.integers(0, len(c.phones) - 1))
        pointer = phone_pointer(c, k, "whatsappId")
        phones = list(c.phones)
        bad = _insert(draw, phones[k].whatsapp_id, draw(st.sampled_from(PARAM_FORBIDDEN)))
        phones[k] = dataclasses.replace(phones[k], whatsapp_id=bad)
        c = dataclasses.replace(c, phones=tuple(phones))
    elif kind == "type":
        k = draw(st.integers(0, len(c.phones) - 1))
        phones = list(c.phones)
        types = list(phones[k].type)
        at = draw(st.integers(0, len(types)))
        types.insert(at, _insert(draw, "WORK", draw(st.sampled_from(PARAM_FORBIDDEN))))
        phones[k] = dataclasses.replace(phones[k], type=tuple(types))
        c = dataclasses.replace(c, phones=tuple(phones))
        pointer = phone_pointer(c, k, "type")  # the phone is no longer plain
    elif kind == "no-number":
        k = draw(st.integers(0, len(c.phones) - 1))
        phones = list(c.phones)
        phones[k] = dataclasses.replace(
            phones[k], phone_number=None, whatsapp_id=phones[k].whatsapp_id or "201111111111"
        )
        c = dataclasses.replace(c, phones=tuple(phones))
        pointer = phone_pointer(c, k, "whatsappId")
    else:
        bad = draw(
            st.sampled_from(
                [
                    "BEGIN:VCARD",
                    "END:VCARD",
                    "VERSION:4.0",
                    "end:vcard",
                    "item1.END:VCARD",
                    "X-A:b\nEND:VCARD",
                    "X-A:b\r\nBEGIN:VCARD",
                    "X-A:b\rc",
                    "X-A:b\x00",
                ]
            )
        )
        extras = list(c.extra_properties)
        k = draw(st.integers(0, len(extras)))
        extras.insert(k, bad)
        c = dataclasses.replace(c, extra_properties=tuple(extras))
        pointer = f"/extraProperties/{k}"
    cs = list(cs)
    cs[i] = c
    return cs, f"/{i}{pointer}"


@SETTINGS
@given(faulty_payloads(), st.data())
def test_dumps_names_the_field_no_3_0_value_can_carry(
    case: tuple[list[Contact], str], data: st.DataObject
) -> None:
    """A value no vCard 3.0 line can carry makes dumps raise VCardError pointing at its field."""
    cs, pointer = case
    with pytest.raises(VCardError) as info:
        dumps(cs)
    assert info.value.pointer == pointer
    assert info.value.line is None
    # The same contacts as JSON, in any spelling: the pointer names a key of
    # that JSON (a first phone given in "phones" is /phones/0, not /phoneNumber).
    payload = [data.draw(_json_contact(c)) for c in cs]
    with pytest.raises(VCardError) as info:
        dumps(payload)
    assert info.value.pointer == json_pointer(pointer, cs, payload)


def json_pointer(pointer: str, cs: list[Contact], payload: list[dict[str, Any]]) -> str:
    """``pointer`` (into to_json's spelling of ``cs``) into ``payload``'s spelling."""
    m = re.fullmatch(r"/(\d+)/(?:(phoneNumber|whatsappId)|phones/(\d+)/(.+))", pointer)
    if m is None:
        return pointer  # not a phone's: the same key in every spelling
    i = int(m.group(1))
    first = cs[i].phones[0]
    to_json_shorthand = (
        first.group is None
        and not first.parameters
        and (not first.type or sorted(t.upper() for t in first.type) == ["CELL", "VOICE"])
    )
    if m.group(2) is not None:
        k, key = 0, m.group(2)
    else:
        k, key = int(m.group(3)) + (1 if to_json_shorthand else 0), m.group(4)
    if "phoneNumber" in payload[i] or "whatsappId" in payload[i]:
        return f"/{i}/{key}" if k == 0 else f"/{i}/phones/{k - 1}/{key}"
    return f"/{i}/phones/{k}/{key}"


# ---------------------------------------------------------------------------
# 2. No injection

_ANY_CHAR = st.characters(codec=None, exclude_categories=[])
_HOSTILE_PIECES = (
    "\r",
    "\r\n",
    "\n",
    "\x00",
    "\x0b",
    "\x1b",
    "\x7f",
    "\ud83d",
    '"',
    '";X-INJ=1',
    "\r\nEND:VCARD\r\nBEGIN:VCARD\r\nFN:x",
    "\nTEL:+1",
    ":",
    ";",
    ",",
    "\\",
    "=",
    "QUOTED-PRINTABLE",
    "\t",
)


def _hostile() -> st.SearchStrategy[str]:
    fragment = st.one_of(
        st.sampled_from(_HOSTILE_PIECES),
        st.text(_ANY_CHAR, min_size=1, max_size=6),
        texts(),
    )
    return st.lists(fragment, min_size=1, max_size=5).map("".join)


HOSTILE = _Strategies(_hostile(), st.one_of(raw_values(), _hostile()), _hostile())


def _params_of(line: ContentLine) -> list[tuple[str, tuple[str, ...]]]:
    return [(p.name.lower() if p.name else "", p.values) for p in line.params]


def expected_lines(c: Contact) -> list[tuple[str | None, str, list[tuple[str, tuple[str, ...]]]]]:
    """(group, NAME, parameters) of every line of the canonical card of ``c``, in order.

    Written from docs/design.md "The canonical card"; the group of an address
    whose group the writer makes up is ``"?"``. No extra properties here.
    """
    out: list[tuple[str | None, str, list[tuple[str, tuple[str, ...]]]]] = [(None, "VERSION", [])]
    structured = any(
        v is not None
        for v in (c.last_name, c.first_name, c.middle_name, c.name_prefix, c.name_suffix)
    )
    if structured or c.full_name:
        out.append((None, "N", []))
    if c.full_name:
        out.append((None, "FN", []))
    if c.organization or c.department:
        out.append((None, "ORG", []))
    if c.title:
        out.append((None, "TITLE", []))

    def others(parameters: tuple[str, ...]) -> list[tuple[str, tuple[str, ...]]]:
        return [(n.lower(), v) for n, v in map(parse_parameter_string, parameters)]

    def typed(types: tuple[str, ...]) -> list[tuple[str, tuple[str, ...]]]:
        return [("type", (t,)) for t in types]

    for k, p in enumerate(c.phones):
        types = p.type if (k > 0 or p.type) else ("CELL", "VOICE")
        params = typed(types)
        if p.whatsapp_id is not None:
            params.append(("waid", (p.whatsapp_id,)))
        out.append((p.group, "TEL", params + others(p.parameters)))
    for e in c.emails:
        params = [("type", ("INTERNET",)), *typed(e.type), *others(e.parameters)]
        out.append((e.group, "EMAIL", params))
    for a in c.addresses:
        group = a.group if a.group is not None or not a.country_code else "?"
        out.append((group, "ADR", typed(a.type) + others(a.parameters)))
        if a.country_code:
            out.append((group, "X-ABADR", []))
    for u in c.urls:
        out.append((u.group, "URL", typed(u.type) + others(u.parameters)))
    if c.birthday:
        if re.fullmatch(r"--[0-9]{2}-[0-9]{2}", c.birthday):
            out.append((None, "BDAY", [("x-apple-omit-year", ("1604",))]))
        else:
            out.append((None, "BDAY", []))
    if c.note:
        out.append((None, "NOTE", []))
    return out


@SETTINGS
@given(_contact(HOSTILE, extras=False), st.data())
def test_no_field_adds_a_property_or_a_card(c: Contact, data: st.DataObject) -> None:
    """Whatever its fields hold, a contact dumps to one card of exactly the lines they imply."""
    # The JSON mapping of the contact goes through the same writer: it
    # writes the same card, or refuses the same field.
    payload = [data.draw(_json_contact(c))]
    try:
        text = dumps([c])
    except VCardError as exc:
        assert exc.pointer is not None and exc.pointer.startswith("/0/")
        with pytest.raises(VCardError) as info:
            dumps(payload)
        assert info.value.pointer == json_pointer(exc.pointer, [c], payload)
        return
    assert dumps(payload) == text
    lines = physical(text)
    assert sum(1 for line in lines if line.upper() == "BEGIN:VCARD") == 1
    assert sum(1 for line in lines if line.upper() == "END:VCARD") == 1
    assert lines[0] == "BEGIN:VCARD" and lines[-1] == "END:VCARD"
    (card,) = lex_cards(text)
    found = [(line.group, line.name.upper(), _params_of(line)) for line in card.lines]
    expected = expected_lines(c)
    assert len(found) == len(expected)
    items: list[Phone | Email | Address | Url] = [*c.phones, *c.emails, *c.addresses, *c.urls]
    used = {x.group.upper() for x in items if x.group}
    for (group, name, params), (want_group, want_name, want_params) in zip(
        found, expected, strict=True
    ):
        assert name == want_name
        assert params == want_params
        if want_group == "?":
            # A made-up Apple group: itemN, free in this card.
            assert group is not None and re.fullmatch(r"item[0-9]+", group)
            assert group.upper() not in used
        else:
            assert group == want_group
    assert len(loads(text)) == 1


_EXTRA_TRAPS = (
    " X-A:v",  # a continuation of the line before
    "\tX-A:v",
    "X-A:v\r\nEND:VCARD",
    "X-A:v\rBEGIN:VCARD",
    "BEGIN :VCARD",
    "end:vcard",
    "item1.END:VCARD",
    "VERSION:2.1",
    "X-A;ENCODING=QUOTED-PRINTABLE:a=",  # a soft line break eats END:VCARD
    'X-A;P="x:y',
    "X-A",
    ":v",
    "",
    "X-A:v\x00",
    "X-A:ok",
    "item1.X-ABLabel:ok",
    'X-A;P="x:y";Q=1:ok',
    "NOTE:two notes",
)


@SETTINGS
@given(contacts(), st.lists(st.one_of(st.sampled_from(_EXTRA_TRAPS), _hostile()), max_size=4))
def test_an_extra_property_is_one_content_line_or_refused(c: Contact, extras: list[str]) -> None:
    """Each extra property is written as exactly one content line, or dumps refuses it (VC608)."""
    # A structured name: N is then written whatever the extras hold.
    c = dataclasses.replace(c, last_name=c.last_name or "Doe", extra_properties=())
    base = dumps([c])
    with_extras = dataclasses.replace(c, extra_properties=tuple(extras))
    try:
        text = dumps([with_extras])
    except VCardError as exc:
        assert exc.pointer is not None
        m = re.fullmatch(r"/0/extraProperties/([0-9]+)", exc.pointer)
        assert m is not None
        # VC101 for a lone surrogate, which no UTF-8 (so no card) carries;
        # VC113 for a control character other than a line break; VC117 for
        # a line separator in a TEL, EMAIL, URL or BDAY line, or in a TYPE
        # or waid; VC608 for anything else that is not one content line.
        extra = extras[int(m.group(1))]
        if re.search("[\ud800-\udfff]", extra):
            assert exc.code == "VC101"
        elif re.search("[\r\n]", extra):
            assert exc.code == "VC608"
        elif re.search("[\x00-\x08\x0b-\x1f\x7f]", extra):
            assert exc.code == "VC113"
        else:
            assert exc.code in ("VC608", "VC117")
            assert exc.code == "VC608" or re.search("[\x85\u2028\u2029]", extra)
        return
    # The base card's lines, unchanged, and each extra once, as it is.
    assert Counter(unfold(text)) == Counter(unfold(base)) + Counter(extras)
    (card,) = lex_cards(text)
    assert len(card.lines) == len(lex_cards(base)[0].lines) + len(extras)


_PARAMETER_TRAPS = (
    "X-A=b:c",  # ":" would end the parameters
    "X-A=b;X-B=c",  # two parameters
    'X-A="b',
    "X-A",
    "=b",
    "X A=b",
    "X-A=b\r\nEND:VCARD",
    "X-A=\x00",
    'X-A="b:c;d"',
    "X-A=,",
    "x-a=b,c",
    "X-A=",
)


@SETTINGS
@given(
    raw_values(),
    st.lists(st.one_of(st.sampled_from(_PARAMETER_TRAPS), _hostile()), min_size=1, max_size=3),
)
def test_a_parameter_string_is_one_parameter_or_refused(number: str, params: list[str]) -> None:
    """Each string of an item's parameters is written as exactly one parameter, or refused."""
    c = Contact("A", phones=[Phone(number, type=("WORK",), parameters=tuple(params))])
    try:
        text = dumps([c])
    except VCardError as exc:
        assert exc.pointer is not None
        m = re.fullmatch(r"/0/phones/0/parameters/([0-9]+)", exc.pointer)
        assert m is not None
        # VC101 for a lone surrogate, which no UTF-8 (so no card) carries.
        surrogate = re.search("[\ud800-\udfff]", params[int(m.group(1))])
        assert exc.code == ("VC101" if surrogate else "VC110")
        return
    (card,) = lex_cards(text)
    (tel,) = [line for line in card.lines if line.name.upper() == "TEL"]
    assert tel.value == number
    want = [("type", ("WORK",))] + [
        (name.lower(), values) for name, values in map(parse_parameter_string, params)
    ]
    assert _params_of(tel) == want


# ---------------------------------------------------------------------------
# 3. Physical lines


def _utf8_width(char: str) -> int:
    return len(char.encode("utf-8"))


@SETTINGS
@given(payloads, st.sampled_from(["\r\n", "\n"]))
def test_physical_lines_are_at_most_75_octets_of_whole_utf8(cs: list[Contact], eol: str) -> None:
    """Every physical line is valid UTF-8 of at most 75 octets, folded greedily (RFC 2425)."""
    data = dumps(cs, line_ending=eol).encode("utf-8")
    assert data.endswith(eol.encode())
    raw_lines = data.split(eol.encode())[:-1]
    decoded: list[str] = []
    for raw in raw_lines:
        assert b"\r" not in raw and b"\n" not in raw
        assert len(raw) <= 75
        decoded.append(raw.decode("utf-8"))  # each line on its own
    for line, following in itertools.pairwise(decoded):
        if following.startswith(" "):
            # Greedy: the next character did not fit on this line.
            assert len(line.encode("utf-8")) + _utf8_width(following[1]) > 75


# ---------------------------------------------------------------------------
# 4. Fold invariance


@st.composite
def refolded(draw: st.DrawFn, text: str) -> str:
    """``text`` unfolded, then folded again at random code points, with space or tab."""
    eol = draw(st.sampled_from(["\r\n", "\n", "\r"]))
    out: list[str] = []
    for line in unfold(text):
        cuts = sorted(
            draw(st.lists(st.integers(1, max(1, len(line) - 1)), max_size=6, unique=True))
        )
        cuts = [c for c in cuts if 0 < c < len(line)]
        pieces = [line[a:b] for a, b in zip([0, *cuts], [*cuts, len(line)], strict=True)]
        folded = pieces[0]
        for piece in pieces[1:]:
            folded += eol + draw(st.sampled_from([" ", "\t"])) + piece
        out.append(folded + eol)
    return "".join(out)


@st.composite
def byte_refolded(draw: st.DrawFn, text: str) -> bytes:
    """``text`` unfolded and folded again at byte offsets, inside UTF-8 sequences too.

    RFC 6350 §3.2 asks readers to join a multi-octet character split by a
    fold. At most one fold falls inside one character. Line ends are CRLF,
    LF or CR, folds a space or a tab.
    """
    eol = draw(st.sampled_from([b"\r\n", b"\n", b"\r"]))
    out = bytearray()
    for line in unfold(text):
        data = line.encode("utf-8")
        starts: list[int] = []  # byte offset where each character starts
        pos = 0
        for char in line:
            starts.append(pos)
            pos += _utf8_width(char)
        cuts = sorted(
            draw(st.lists(st.integers(1, max(1, len(data) - 1)), max_size=5, unique=True))
        )
        chosen: list[int] = []
        inside: set[int] = set()
        for cut in cuts:
            if not 0 < cut < len(data):
                continue
            # The character the cut falls in (or starts at).
            owner = bisect.bisect_right(starts, cut) - 1
            if starts[owner] != cut:
                if owner in inside:
                    continue
                inside.add(owner)
            chosen.append(cut)
        pieces = [data[a:b] for a, b in zip([0, *chosen], [*chosen, len(data)], strict=True)]
        out += pieces[0]
        for piece in pieces[1:]:
            out += eol + draw(st.sampled_from([b" ", b"\t"])) + piece
        out += eol
    return bytes(out)


@SETTINGS
@given(payloads, st.data())
def test_folding_elsewhere_reads_the_same(cs: list[Contact], data: st.DataObject) -> None:
    """The card folded at other points, with space or tab, LF or CR line ends, reads the same."""
    text = dumps(cs)
    again = data.draw(refolded(text))
    assert loads(again) == cs
    assert loads(again.encode("utf-8")) == cs
    split = data.draw(byte_refolded(text))
    assert loads(split) == cs
    assert list(iter_load(io.BytesIO(split))) == cs


@settings(SETTINGS, max_examples=max(1, SETTINGS.max_examples // 2))
@given(payloads, st.data(), st.integers(1, 64))
def test_reading_in_chunks_of_any_size_reads_the_same(
    cs: list[Contact], data: st.DataObject, chunk: int
) -> None:
    """iter_load reading a file in chunks of any size yields what loads returns."""
    folded = data.draw(refolded(dumps(cs)))
    split = data.draw(byte_refolded(dumps(cs)))
    # vcardkit._io reads 1 MiB at a time; a few bytes put a cut everywhere.
    with mock.patch.object(vcardkit._syntax._stream, "CHUNK", chunk):
        assert list(iter_load(io.BytesIO(folded.encode("utf-8")))) == cs
        assert list(iter_load(io.StringIO(folded, newline=""))) == cs
        assert list(iter_load(io.BytesIO(split))) == cs
        # Other producers' cards: 2.1 soft line breaks, bare parameters, groups.
        other, _ = data.draw(producer_payloads())
        assert list(iter_load(io.BytesIO(other.encode("utf-8")))) == loads(other)


# ---------------------------------------------------------------------------
# 5. Lossless: what other producers write comes back


def _legacy_pieces(value: str) -> tuple[tuple[str, ...], ...]:
    """A 2.1 value as components: ";" separates, "\\;" is one (vCard 2.1 §2.1.3)."""
    return tuple((c.replace("\\;", ";"),) for c in re.split(r"(?<!\\);", value))


Key = tuple[str, str]  # (GROUP or "", NAME)


def _norm_params(line: CardLine) -> Counter[tuple[str, str]]:
    found: Counter[tuple[str, str]] = Counter()
    for name, values in line.params:
        for v in values:
            # vCard 2.1's bare "TEL;CELL" is TYPE=CELL (vCard 2.1 §2.1.2).
            found[("TYPE" if name is None else name.upper(), v)] += 1
    return _types_as_set(found)


def _out_params(line: ContentLine) -> Counter[tuple[str, str]]:
    found: Counter[tuple[str, str]] = Counter()
    for p in line.params:
        for v in p.values:
            found[((p.name or "TYPE").upper(), v)] += 1
    return _types_as_set(found)


def _types_as_set(found: Counter[tuple[str, str]]) -> Counter[tuple[str, str]]:
    # TYPE values are a set (RFC 2426 §3: "TYPE=work,voice" is the same as
    # repeating TYPE): saying one twice says nothing more.
    for key in found:
        if key[0] == "TYPE":
            found[key] = 1
    return found


def _same_value(given: CardLine, legacy: bool, written: ContentLine) -> bool:
    if "ENCODING" in {(n or "").upper() for n, _ in given.params}:
        # QUOTED-PRINTABLE (only NOTE here): decoded with its CHARSET and
        # written as 3.0 text, a line break as "\n" (docs/design.md "Legacy input").
        text = binascii.a2b_qp(given.value.replace("=\r\n", "")).decode("utf-8")
        return unescape(written.value) == text
    if written.value == given.value:
        return True  # kept as it was
    if legacy:
        if given.name.upper() in ("N", "ADR", "ORG"):
            return decode_3(written.value) == _legacy_pieces(given.value)
        return decode_3(written.value) == ((given.value,),)
    return decode_3(written.value) == decode_3(given.value)


@st.composite
def producer_payloads(draw: st.DrawFn) -> tuple[str, list[tuple[str, list[CardLine]]]]:
    """Cards as other producers write them (3.0 and 2.1), and their lines."""
    cards: list[tuple[str, list[CardLine]]] = []
    for _ in range(draw(st.integers(1, 3))):
        version = draw(st.sampled_from(["3.0", "2.1"]))
        lines = draw(card_lines(version))
        if version == "2.1" and draw(st.booleans()):
            # A QUOTED-PRINTABLE NOTE with a CHARSET and soft line breaks.
            note = draw(texts()).replace("\\", "/")
            qp = binascii.b2a_qp(note.encode("utf-8"), istext=False).decode("ascii")
            qp = qp.replace("=\n", "=\r\n")
            params = (("ENCODING", ("QUOTED-PRINTABLE",)), ("CHARSET", ("UTF-8",)))
            lines.append(CardLine(None, "NOTE", params, qp))
        cards.append((version, lines))
    text = "".join(
        "\r\n".join(
            ["BEGIN:VCARD", f"VERSION:{version}", *(line.text() for line in lines), "END:VCARD"]
        )
        + "\r\n"
        for version, lines in cards
    )
    return text, cards


def _assert_kept(version: str, given: list[CardLine], card: Card) -> None:
    legacy = version == "2.1"
    written = [line for line in card.lines if line.name.upper() != "VERSION"]
    unmatched = list(range(len(written)))
    for line in given:
        want_params = _norm_params(line)
        qp = "ENCODING" in {(n or "").upper() for n, _ in line.params}
        if qp:
            # Decoded with its CHARSET and written as plain 3.0 text.
            want_params = Counter(
                {k: v for k, v in want_params.items() if k[0] not in ("ENCODING", "CHARSET")}
            )
        for k in unmatched:
            out = written[k]
            if (
                (out.group or "").upper() == (line.group or "").upper()
                and out.name.upper() == line.name.upper()
                and not (want_params - _out_params(out))
                and _same_value(line, legacy, out)
            ):
                unmatched.remove(k)
                break
        else:
            raise AssertionError(f"{line.text()!r} is not in {[w.raw for w in written]}")
    # What the writer may add: the N fallback (docs/design.md "The canonical card").
    assert all(written[k].name.upper() == "N" for k in unmatched), [
        written[k].raw for k in unmatched
    ]
    # Grouped properties stay together.
    order = [(line.group or "").upper() for line in written]
    for group in {g for g in order if g}:
        at = [k for k, g in enumerate(order) if g == group]
        assert at == list(range(at[0], at[0] + len(at))), (group, [w.raw for w in written])


@SETTINGS
@given(producer_payloads())
def test_what_other_producers_write_comes_back(
    case: tuple[str, list[tuple[str, list[CardLine]]]],
) -> None:
    """dumps(loads(x)) keeps every property, group, parameter and decoded value, groups together."""
    text, cards = case
    contacts_read = loads(text)
    assert len(contacts_read) == len(cards)
    written = dumps(contacts_read)
    for (version, lines), card in zip(cards, lex_cards(written), strict=True):
        _assert_kept(version, lines, card)
    # A second trip changes nothing.
    assert loads(written) == contacts_read
    assert dumps(loads(written)) == written


@SETTINGS
@given(producer_payloads())
def test_vcf_to_json_to_vcf_keeps_everything(
    case: tuple[str, list[tuple[str, list[CardLine]]]],
) -> None:
    """vcf -> json -> vcf keeps every property, group, parameter and value (extraProperties too)."""
    text, cards = case
    as_json = json.loads(json.dumps(to_json(loads(text)), ensure_ascii=False))
    written = dumps(from_json(as_json))
    assert written == dumps(loads(text))
    for (version, lines), card in zip(cards, lex_cards(written), strict=True):
        _assert_kept(version, lines, card)


def _iter_groups(c: dict[str, Any]) -> Iterator[str]:
    for key in ("phones", "emails", "addresses", "urls"):
        for item in c.get(key, ()):
            if "group" in item:
                yield item["group"]


def test_example_producer_card_through_json() -> None:
    """One hand-checked card: the JSON keeps the group, the parameters and the extras."""
    vcf = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann\r\n"
        "item1.TEL;TYPE=WORK;X-SIP=yes:+201000000001\r\n"
        "item1.X-ABLabel:desk\r\n"
        "ORG:A;B;C\r\nX-WA-BIZ-NAME:Shop\r\nEND:VCARD\r\n"
    )
    (data,) = to_json(loads(vcf))
    assert data["phones"] == [
        {
            "phoneNumber": "+201000000001",
            "type": ["WORK"],
            "group": "item1",
            "parameters": ["X-SIP=yes"],
        }
    ]
    assert data["extraProperties"] == ["item1.X-ABLabel:desk", "ORG:A;B;C", "X-WA-BIZ-NAME:Shop"]
    assert list(_iter_groups(data)) == ["item1"]
    assert "organization" not in data
