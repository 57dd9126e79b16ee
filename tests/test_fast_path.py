"""The fast paths give what the exact paths give, on every input we have.

DESIGN.md "Speed is part of the design": the fast card reader, the fast
card-to-contact mapping and the mapping-to-text writer are implementation
details, covered by the same inputs as the exact paths: the golden fixtures,
``fixtures/rules/**``, generated contacts and cards, and the corpus. A
divergence fails here.
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
from vcardkit import Contact, VCardError, strategies
from vcardkit._io import _cut_point_text
from vcardkit._model._card import card_to_contact
from vcardkit._model._fastwrite import fast_write
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


def _slow_write(obj: Any, index: int, eol: str) -> str | VCardError:
    try:
        return write_contact(contact_from_mapping(obj, f"/{index}"), index, eol)
    except VCardError as exc:
        return exc


def assert_same_writing(obj: Any, index: int = 0) -> None:
    """The fast writer writes what the full one writes, or leaves the contact to it."""
    for eol in ("\r\n", "\n"):
        fast = fast_write(obj, eol)
        if fast is not None:
            assert fast == _slow_write(obj, index, eol)


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
    """Every card of the corpus, read and turned to JSON, is written the same by both."""
    for _, text in _texts(p for p in corpus.rglob("*.vcf")):
        cards = [item for item in lex((text,)) if isinstance(item, Card)]
        for i, obj in enumerate(to_json([card_to_contact(c) for c in cards])):
            assert_same_writing(obj, i)


def test_the_fast_paths_are_taken() -> None:
    """The common cards and contacts do take the fast paths (else this file tests nothing)."""
    obj = {
        "fullName": "Agent 1, Support",
        "organization": "Wawp HQ",
        "phoneNumber": "+201000000001",
        "whatsappId": "201000000001",
        "emails": [{"email": "a@wawp.example", "type": "WORK"}],
        "note": "Office hours:\nSun-Thu",
    }
    text = fast_write(obj, "\r\n")
    assert text is not None
    (card,) = read((text,))
    assert isinstance(card, FastCard)
    assert card_to_contact(card) == contact_from_mapping(obj, "/0")


@_SETTINGS
@given(st.lists(strategies.contacts(), min_size=1, max_size=3), st.sampled_from(["\r\n", "\n"]))
def test_generated_contacts(contacts: list[Contact], eol: str) -> None:
    """Generated contacts are read and written the same by both paths."""
    text = "".join(write_contact(c, i, eol) for i, c in enumerate(contacts))
    assert_same_reading(text)
    for i, obj in enumerate(to_json(contacts)):
        assert_same_writing(obj, i)


@_SETTINGS
@given(strategies.json_contacts())
def test_generated_json_contacts(obj: dict[str, Any]) -> None:
    """Generated JSON contacts are written the same by both paths."""
    assert_same_writing(obj)


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
    """Odd mappings (wrong types, control characters, unknown keys) never diverge."""
    assert_same_writing(obj)
