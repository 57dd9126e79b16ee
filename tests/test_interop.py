"""vobject, the interoperability oracle (docs/design.md "Dependencies"), reads what dumps writes."""

from __future__ import annotations

import dataclasses
import logging
import os
from collections.abc import Iterator

import pytest
import vobject  # type: ignore[import-untyped]
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vcardkit import Contact, dumps
from vcardkit.strategies import contacts


@pytest.fixture(autouse=True)
def _quiet_vobject() -> Iterator[None]:
    # vobject logs what it cannot unescape; the assertions say what matters.
    logging.disable(logging.ERROR)
    yield
    logging.disable(logging.NOTSET)


def _vobject_safe_phone(contact: Contact) -> Contact:
    """The contact with no "," or "\\" in its phone numbers.

    vobject is wrong there: RFC 2426 §3.3.1 makes TEL a phone-number value,
    not text, so "," and "\\" are themselves (and dumps does not escape them,
    docs/design.md "The canonical card"). vobject decodes every property it has no
    behaviour for as text: it splits "+1,2" at the comma and keeps "+1",
    and unescapes "\\n" into a line break (a final "\\" even becomes "\\eof").
    """
    phones = tuple(
        dataclasses.replace(
            p, phone_number=(p.phone_number or "").replace(",", "/").replace("\\", "/")
        )
        for p in contact.phones
    )
    return dataclasses.replace(contact, phones=phones)


@settings(
    max_examples=int(os.environ.get("VCARDKIT_EXAMPLES", "100")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(st.lists(contacts().map(_vobject_safe_phone), min_size=1, max_size=2))
def test_vobject_reads_the_same_fields(cs: list[Contact]) -> None:
    """vobject reads every card dumps writes with its FN, N, ORG, TITLE, TEL, waid, ADR, NOTE."""
    text = dumps(cs)
    cards = list(vobject.readComponents(text))
    assert len(cards) == len(cs)
    for card, c in zip(cards, cs, strict=True):
        if c.full_name:
            assert card.fn.value == c.full_name
        else:
            assert "fn" not in card.contents
        n = card.n.value if "n" in card.contents else None
        parts = (c.last_name, c.first_name, c.middle_name, c.name_prefix, c.name_suffix)
        if any(v is not None for v in parts):
            assert n is not None
            assert [n.family, n.given, n.additional, n.prefix, n.suffix] == [v or "" for v in parts]
        elif c.full_name:
            # docs/design.md "The canonical card": with no structured name, N is ";<fullName>;;;".
            assert n is not None
            assert [n.family, n.given, n.additional, n.prefix, n.suffix] == [
                "",
                c.full_name,
                "",
                "",
                "",
            ]
        else:
            assert n is None
        if c.organization or c.department:
            want = [c.organization or ""] + ([c.department] if c.department else [])
            assert card.org.value == want
        else:
            assert "org" not in card.contents
        if c.title:
            assert card.title.value == c.title
        if c.note:
            assert card.note.value == c.note
        tels = card.contents.get("tel", [])
        assert [t.value for t in tels] == [p.phone_number for p in c.phones]
        assert [t.params.get("WAID") for t in tels] == [
            [p.whatsapp_id] if p.whatsapp_id is not None else None for p in c.phones
        ]
        for k, (tel, phone) in enumerate(zip(tels, c.phones, strict=True)):
            # The first phone is CELL and VOICE unless it has its own type.
            want_types = list(phone.type) if (phone.type or k) else ["CELL", "VOICE"]
            assert tel.params.get("TYPE", []) == want_types
        adrs = card.contents.get("adr", [])
        assert len(adrs) == len(c.addresses)
        for adr, address in zip(adrs, c.addresses, strict=True):
            v = adr.value
            assert [v.box, v.extended, v.street, v.city, v.region, v.code, v.country] == [
                x or ""
                for x in (
                    address.po_box,
                    address.extended_address,
                    address.street,
                    address.city,
                    address.state,
                    address.zip,
                    address.country,
                )
            ]
            if address.group is not None:
                assert adr.group == address.group


def test_vobject_reads_a_hand_checked_card() -> None:
    """One card with every escape RFC 2426 §4 names, read by vobject."""
    c = Contact(
        "Ann, the \\ boss; \n2nd",
        organization="A;B, C",
        department="R&D\\",
        title="x\ny",
        phone_number="+201111111111",
        whatsapp_id="201111111111",
    )
    text = dumps([c])
    assert "FN:Ann\\, the \\\\ boss\\; \\n2nd\r\n" in text
    assert "ORG:A\\;B\\, C;R&D\\\\\r\n" in text
    card = vobject.readOne(text)
    assert card.fn.value == "Ann, the \\ boss; \n2nd"
    assert card.org.value == ["A;B, C", "R&D\\"]
    assert card.title.value == "x\ny"
    assert card.tel.value == "+201111111111"
    assert card.tel.params["WAID"] == ["201111111111"]
    assert card.tel.params["TYPE"] == ["CELL", "VOICE"]
