"""The one writer: a JSON mapping is written as the Contact ``from_json`` reads.

docs/design.md "Speed": one writer with one set of checks,
whichever form the contact is given in. ``dumps`` of a mapping, of the
Contact it reads as, and of that Contact's ``to_json`` mapping give the same
card, or the same fault.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import FIXTURES
from vcardkit import VCardError, dumps, from_json, loads, to_json
from vcardkit._syntax._decode import decode

_SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _written(contacts: Any) -> str:
    """The payload written, or the fault's code."""
    try:
        return dumps(contacts)
    except VCardError as exc:
        return f"fault {exc.code}"


def assert_written_as_read(obj: Any) -> None:
    """``dumps`` of a mapping is ``dumps`` of the Contact it reads as, and of its JSON."""
    try:
        contacts = from_json([obj])
    except VCardError as exc:
        with pytest.raises(VCardError) as info:
            dumps([obj])
        assert (info.value.pointer, info.value.code) == (exc.pointer, exc.code)
        return
    written = _written([obj])
    assert written == _written(contacts)
    # A phone with neither number nor id does not survive to_json yet (an
    # empty TEL, which to_json drops): compare where it does.
    if from_json(to_json(contacts)) == contacts:
        assert written == _written(to_json(contacts))


def _json_fixtures() -> list[Path]:
    return sorted(FIXTURES.rglob("*.json"))


def test_fixture_folder_is_not_empty() -> None:
    assert len(_json_fixtures()) > 20


@pytest.mark.parametrize("path", _json_fixtures(), ids=lambda p: str(p.relative_to(FIXTURES)))
def test_fixture_contacts(path: Path) -> None:
    try:
        value = json.loads(decode(path.read_bytes()).text)
    except ValueError:
        return
    for obj in [value] if isinstance(value, dict) else value if isinstance(value, list) else []:
        assert_written_as_read(obj)


def test_corpus_contacts(corpus: Path) -> None:
    """Every card of the corpus, read, is written as its JSON mapping is."""
    checked = 0
    for path in sorted(corpus.rglob("*.vcf")):
        try:
            contacts = loads(path.read_bytes())
        except VCardError:
            continue
        for obj in to_json(contacts):
            assert_written_as_read(obj)
            checked += 1
    assert checked > 100


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
    assert_written_as_read(obj)
    try:
        text = dumps([obj])
    except VCardError:
        return
    assert dumps(loads(text)) == text
