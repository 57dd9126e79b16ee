"""The fast paths give what the exact paths give, on every input we have.

DESIGN.md "Speed is part of the design": the fast card reader and the fast
card-to-contact mapping are implementation details, covered by the same
inputs as the exact paths: the golden fixtures, ``fixtures/rules/**``,
generated contacts and cards, and the corpus. A divergence fails here. There
is one writer; on the same inputs, a JSON mapping and the Contact it reads as
are written the same (the same card, or the same fault).
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import FIXTURES
from vcardkit import Contact, VCardError, dumps, from_json, loads, strategies
from vcardkit._io import _cut_point_text
from vcardkit._model._card import card_to_contact
from vcardkit._model._json import contact_from_mapping, to_json
from vcardkit._model._writer import write_contact
from vcardkit._syntax._decode import decode
from vcardkit._syntax._fast import FastCard, read
from vcardkit._syntax._lexer import Card, SyntaxIssue, lex

_SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _plain_card(card: Card) -> Card:
    """The same card as the exact lexer's kind, so the full mapping reads it."""
    plain = Card(card.index, card.begin_line)
    plain.end_line = card.end_line
    plain.lines = list(card.lines)
    plain.version = card.version
    plain.version_line = card.version_line
    return plain


def _events(items: Iterable[Card | SyntaxIssue]) -> list[Any]:
    out: list[Any] = []
    for item in items:
        if isinstance(item, Card):
            out.append(
                (
                    "card",
                    item.index,
                    item.begin_line,
                    item.end_line,
                    item.version,
                    item.version_line,
                    list(item.lines),
                    card_to_contact(item),
                    card_to_contact(_plain_card(item)),
                )
            )
        else:
            out.append(item)
    return out


def _pieces(text: str, rnd: random.Random) -> list[str]:
    """``text`` cut at random starts of logical lines, as ``iter_load`` cuts a file."""
    out = []
    while text:
        k = rnd.randint(1, 600)
        while k < len(text) and _cut_point_text(text[:k]) == 0:
            k += 64
        cut = _cut_point_text(text[:k]) if k < len(text) else len(text)
        out.append(text[:cut])
        text = text[cut:]
    return out


def assert_same_reading(text: str, seed: int = 0, *, pieces: bool = True) -> None:
    """``read`` yields what ``lex`` yields, whole and in pieces; fast contacts equal full ones."""
    exact = _events(lex((text,)))
    fast_items = list(read((text,)))
    assert _events(fast_items) == exact
    for item in fast_items:
        if isinstance(item, Card):
            assert card_to_contact(item) == card_to_contact(_plain_card(item))
    if pieces:
        cut = _pieces(text, random.Random(seed))
        assert _events(read(cut)) == _events(lex(cut))


def _texts(paths: Iterable[Path]) -> Iterator[tuple[str, str]]:
    for path in sorted(paths):
        if path.is_file():
            yield str(path), decode(path.read_bytes()).text


def _fixture_vcf() -> list[Path]:
    return sorted(FIXTURES.rglob("*.vcf"))


def _fixture_json() -> list[Path]:
    return sorted(FIXTURES.rglob("*.json"))


def test_fixture_folders_are_not_empty() -> None:
    assert len(_fixture_vcf()) > 50
    assert len(_fixture_json()) > 20


@pytest.mark.parametrize("path", _fixture_vcf(), ids=lambda p: str(p.relative_to(FIXTURES)))
def test_fixture_cards_read_the_same(path: Path) -> None:
    text = decode(path.read_bytes()).text
    assert_same_reading(text)
    # The same cards with the other line break, and blank lines between them.
    lf = text.replace("\r\n", "\n")
    assert_same_reading(lf, 1)
    assert_same_reading(lf.replace("\n", "\r\n"), 2)
    assert_same_reading(text.replace("END:VCARD\r\n", "END:VCARD\r\n\r\n"), 3)


def test_corpus_cards_read_the_same(corpus: Path) -> None:
    count = 0
    for _, text in _texts(p for p in corpus.rglob("*") if p.name != "MANIFEST.tsv"):
        # Cut into pieces too, for one file in four (the whole corpus is slow).
        assert_same_reading(text, count, pieces=count % 4 == 0)
        count += 1
    assert count > 100


def _json_contacts(value: Any) -> list[Any]:
    if isinstance(value, dict):
        return [value]
    return list(value) if isinstance(value, list) else []


def _written(contact: Any, index: int, eol: str) -> str | tuple[str | None, str | None]:
    """The card written, or the fault's pointer (relative to the contact) and code."""
    try:
        return write_contact(contact_from_mapping(contact, f"/{index}"), index, eol)
    except VCardError as exc:
        pointer = exc.pointer
        return (pointer and pointer.removeprefix(f"/{index}"), exc.code)


def assert_same_writing(obj: Any, index: int = 0) -> None:
    """A JSON mapping is written as the Contact it reads as is (the same card or fault)."""
    try:
        contact = contact_from_mapping(obj, f"/{index}")
    except VCardError:
        return
    for eol in ("\r\n", "\n"):
        mapping = _written(obj, index, eol)
        if isinstance(mapping, str):
            assert mapping == _written(contact, index, eol)
        else:
            # Only the pointer of a first phone may differ: the mapping may
            # give it in "phones" where the Contact's JSON has the shorthand.
            fault = _written(contact, index, eol)
            assert isinstance(fault, tuple) and fault[1] == mapping[1]


@pytest.mark.parametrize("path", _fixture_json(), ids=lambda p: str(p.relative_to(FIXTURES)))
def test_fixture_contacts_write_the_same(path: Path) -> None:
    try:
        value = json.loads(decode(path.read_bytes()).text)
    except ValueError:
        return
    for i, obj in enumerate(_json_contacts(value)):
        assert_same_writing(obj, i)
        if isinstance(obj, dict) and isinstance(obj.get("vcard"), str):
            assert_same_reading(obj["vcard"], i)


def test_corpus_contacts_write_the_same(corpus: Path) -> None:
    """Every card of the corpus, read and turned to JSON, is written as its contact is."""
    for _, text in _texts(p for p in corpus.rglob("*.vcf")):
        cards = [item for item in lex((text,)) if isinstance(item, Card)]
        for i, obj in enumerate(to_json([card_to_contact(c) for c in cards])):
            assert_same_writing(obj, i)


def test_the_fast_paths_are_taken() -> None:
    """The common cards do take the fast paths (else this file tests nothing)."""
    obj = {
        "fullName": "Agent 1, Support",
        "organization": "Wawp HQ",
        "phoneNumber": "+201000000001",
        "whatsappId": "201000000001",
        "emails": [{"email": "a@wawp.example", "type": "WORK"}],
        "note": "Office hours:\nSun-Thu",
    }
    text = dumps([obj])
    (card,) = read((text,))
    assert isinstance(card, FastCard)
    assert card_to_contact(card) == contact_from_mapping(obj, "/0")


@_SETTINGS
@given(st.lists(strategies.contacts(), min_size=1, max_size=3), st.sampled_from(["\r\n", "\n"]))
def test_generated_contacts(contacts: list[Contact], eol: str) -> None:
    """Generated contacts are read the same by both paths, and written as their JSON is."""
    text = "".join(write_contact(c, i, eol) for i, c in enumerate(contacts))
    assert_same_reading(text)
    for i, obj in enumerate(to_json(contacts)):
        assert_same_writing(obj, i)


@_SETTINGS
@given(st.lists(strategies.vcards(), min_size=1, max_size=3))
def test_generated_cards(cards: list[str]) -> None:
    """Generated cards, 3.0 and odd ones alike, are read the same by both paths."""
    assert_same_reading("".join(cards))


@_SETTINGS
@given(
    st.dictionaries(
        st.sampled_from(
            ["fullName", "firstName", "phoneNumber", "whatsappId", "note", "phones", "emails", "x"]
        ),
        st.one_of(
            st.none(),
            st.text(max_size=8),
            st.integers(),
            st.lists(
                st.dictionaries(
                    st.sampled_from(["phoneNumber", "whatsappId", "email", "type", "group"]),
                    st.one_of(st.none(), st.text(max_size=6), st.lists(st.text(max_size=4))),
                ),
                max_size=2,
            ),
        ),
    )
)
def test_odd_mappings(obj: dict[str, Any]) -> None:
    """Odd mappings (wrong types, control characters, unknown keys): dumps raises
    the fault from_json raises, or writes what the contact read writes, a card
    that reads back to a contact written the same."""
    try:
        (contact,) = from_json([obj])
    except VCardError as exc:
        with pytest.raises(VCardError) as info:
            dumps([obj])
        assert (info.value.pointer, info.value.code) == (exc.pointer, exc.code)
        return
    assert_same_writing(obj)
    try:
        text = dumps([obj])
    except VCardError:
        return
    assert text == dumps([contact])
    assert dumps(loads(text)) == text
