"""The rules check the Contact that ``loads`` and ``from_json`` return.

docs/design.md "Speed": one mapping from a card to a
Contact and one from a JSON mapping; the rules read that Contact, with the
positions beside it, so ``loads`` and ``validate`` cannot disagree about a
card. A test of each direction, on generated input and on every card of the
corpus, and the case where they used to disagree.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import vcardkit
from vcardkit import Contact, VCardError, strategies
from vcardkit._rules._documents import build_vcf_document
from vcardkit._rules._jsondoc import build_json_document
from vcardkit._syntax._decode import decode

_SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def assert_rules_read_what_loads_reads(text: str) -> None:
    """The Contact each card's view holds equals what ``loads`` gives for that card."""
    try:
        loaded = vcardkit.loads(text)
    except VCardError:
        return  # no cards to compare: the text cannot be read as cards
    views = build_vcf_document(text).views()
    assert [v.contact for v in views] == loaded


@_SETTINGS
@given(st.lists(strategies.vcards(), min_size=1, max_size=3))
def test_generated_cards(cards: list[str]) -> None:
    """For generated cards, the rules check the Contacts ``loads`` returns."""
    assert_rules_read_what_loads_reads("".join(cards))


@_SETTINGS
@given(st.lists(strategies.contacts(), min_size=1, max_size=3))
def test_generated_contacts_as_cards(contacts: list[Contact]) -> None:
    """For written contacts, the rules check the Contacts ``loads`` returns."""
    assert_rules_read_what_loads_reads(vcardkit.dumps(contacts))


@_SETTINGS
@given(st.lists(strategies.json_contacts(), min_size=1, max_size=3))
def test_generated_json_contacts(objs: list[dict[str, Any]]) -> None:
    """For JSON contacts that ``from_json`` reads, the rules check what it returns."""
    try:
        contacts = vcardkit.from_json(objs)
    except VCardError:
        return
    views = build_json_document(objs).views()
    by_index = {v.index: v.contact for v in views if v.source == "json"}
    for i, contact in enumerate(contacts):
        if i in by_index:
            assert by_index[i] == contact


def test_every_corpus_card(corpus: Path) -> None:
    checked = 0
    for path in sorted(corpus.rglob("*")):
        if path.is_file() and path.name != "MANIFEST.tsv":
            assert_rules_read_what_loads_reads(decode(path.read_bytes()).text)
            checked += 1
    assert checked > 100


def test_several_waid_values_mean_the_same_to_loads_validate_and_preview() -> None:
    """The first waid value is the TEL's waid; the others stay among its parameters."""
    card = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nN:;Ann;;;\r\nFN:Ann\r\n"
        "TEL;type=CELL;waid=1,2;waid=201111111111:+201111111111\r\nEND:VCARD\r\n"
    )
    (contact,) = vcardkit.loads(card)
    (phone,) = contact.phones
    assert phone.whatsapp_id == "1"
    assert phone.parameters == ("waid=2", "waid=201111111111")
    vc404 = [d for d in vcardkit.validate(card).diagnostics if d.code == "VC404"]
    assert [(d.line, d.column) for d in vc404] == [(5, 20)]  # the "1" after "waid="
    assert '"1"' in vc404[0].message
    from vcardkit._cli._preview import preview_card

    (preview,) = [preview_card(c) for c in build_vcf_document(card).cards]
    assert [p.waid for p in preview.phones] == ["1"]
    # Written back, read again: the same contact.
    assert vcardkit.loads(vcardkit.dumps([contact])) == [contact]


def test_a_json_contact_with_a_wrong_type_is_checked_for_the_rest() -> None:
    """A value of the wrong type is VC604's; the rest of the contact is still checked."""
    obj = {"fullName": 7, "phoneNumber": "01000000001", "whatsappId": "201000000001"}
    codes = {d.code for d in vcardkit.validate([obj]).diagnostics}
    assert "VC604" in codes  # fullName is a number
    assert "VC401" in codes  # the phone is not E.164: checked all the same


@pytest.mark.parametrize(
    ("org", "reported"),
    [
        ("ORG:Acme;Sales;Support\r\n", False),  # three units: kept whole, still an ORG
        ("ORG;LANGUAGE=en:Acme\r\n", False),  # parameters: kept whole, still an ORG
        ("ORG:;Billing\r\n", True),  # a department with no organization
        ("", True),
    ],
)
def test_an_org_kept_whole_is_still_an_organization(org: str, reported: bool) -> None:
    """VC503 reads the Contact's organization, or the first unit of an ORG it keeps whole."""
    card = f"BEGIN:VCARD\r\nVERSION:3.0\r\nN:;Ann;;;\r\nFN:Ann\r\n{org}END:VCARD\r\n"
    codes = [d.code for d in vcardkit.validate(card).diagnostics]
    assert ("VC503" in codes) is reported
