"""The reader's two paths read the same cards, on every input we have.

docs/design.md "Speed": one reader, which reads a card in
one batch when it can and line by line when it cannot (that card alone).
Both fill the same fields; these tests read every input both ways (the
batch turned off with ``read(..., batch=False)``), whole and cut into
pieces as ``iter_load`` cuts a file: the golden fixtures,
``fixtures/rules/**``, generated contacts and cards, and the corpus.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import vcardkit
from tests.conftest import FIXTURES
from vcardkit import Contact, strategies
from vcardkit._model._card import card_to_contact
from vcardkit._model._writer import write_contact
from vcardkit._syntax._decode import decode
from vcardkit._syntax._reader import Card, SyntaxIssue, read
from vcardkit._syntax._stream import _cut_point_text

_LINE_RE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")
_SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


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
                    list(item.rows),
                    list(item.lines),
                    card_to_contact(item),
                )
            )
        else:
            out.append(item)
    return out


def _pieces(text: str, rnd: random.Random) -> list[str]:
    """``text`` cut at random line breaks, as ``iter_load`` cuts a file."""
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
    """The batch and the line path read the same, whole and in pieces."""
    lines = _events(read((text,), batch=False))
    assert _events(read((text,))) == lines
    if pieces:
        cut = _pieces(text, random.Random(seed))
        assert _events(read(cut)) == lines
        assert _events(read(cut, batch=False)) == lines
        # Every physical line its own piece: the look-ahead always waits for more.
        one_each = [line for line in _LINE_RE.findall(text) if line]
        assert _events(read(one_each)) == lines


def _texts(paths: Iterable[Path]) -> Iterator[tuple[str, str]]:
    for path in sorted(paths):
        if path.is_file():
            yield str(path), decode(path.read_bytes()).text


def _fixture_vcf() -> list[Path]:
    return sorted(FIXTURES.rglob("*.vcf"))


def test_fixture_folder_is_not_empty() -> None:
    assert len(_fixture_vcf()) > 50


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


_PLAIN = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nN:;Ann;;;\r\nFN:Ann\r\n"
    "TEL;type=CELL;type=VOICE;waid=201000000001:+201000000001\r\nEND:VCARD\r\n"
)
_FOLDED = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:A name long enough to be folded at seventy-f\r\n"
    ' ive octets, as RFC 2426 asks\r\nitem1.TEL;type="WORK,VOICE":+201000000002\r\n'
    "item1.X-ABLabel:Desk\r\nEND:VCARD\r\n"
)


def test_folded_and_grouped_cards_take_the_batch() -> None:
    """A fold, a group or a quoted parameter does not send a card line by line.

    The line path builds its content lines as it reads; the batch builds them
    only when asked, so a card read in one batch has none yet.
    """
    cards = [item for item in read((_FOLDED + _PLAIN,)) if isinstance(item, Card)]
    assert [c._lines for c in cards] == [None, None]
    assert cards[0].rows[1][4] == (
        "A name long enough to be folded at seventy-five octets, as RFC 2426 asks"
    )
    # Positions are still physical: the TEL is on line 5, after the fold.
    assert [(cl.name, cl.line) for cl in cards[0].lines][2:] == [("TEL", 5), ("X-ABLabel", 6)]
    # Logical offset 50 is the space after "ive": line 4 is " ive octets...",
    # its first column the fold's white space.
    assert cards[0].lines[1].position(50) == (4, 5)


def test_one_odd_card_costs_only_itself() -> None:
    """A card the batch cannot take is read line by line, and the next one in a batch."""
    odd = "BEGIN:VCARD\r\nVERSION:2.1\r\nNOTE;ENCODING=QUOTED-PRINTABLE:a=\r\nb\r\nEND:VCARD\r\n"
    cards = [item for item in read((odd + _PLAIN + _PLAIN,)) if isinstance(item, Card)]
    assert [c._lines is None for c in cards] == [False, True, True]
    assert [c.begin_line for c in cards] == [1, 6, 12]
    assert vcardkit.loads(odd)[0].note == "ab"


@_SETTINGS
@given(st.lists(strategies.contacts(), min_size=1, max_size=3), st.sampled_from(["\r\n", "\n"]))
def test_generated_contacts(contacts: list[Contact], eol: str) -> None:
    """Written contacts are read the same by both paths."""
    text = "".join(write_contact(c, i, eol) for i, c in enumerate(contacts))
    assert_same_reading(text)


@_SETTINGS
@given(st.lists(strategies.vcards(), min_size=1, max_size=3))
def test_generated_cards(cards: list[str]) -> None:
    """Generated cards, 3.0 and odd ones alike, are read the same by both paths."""
    assert_same_reading("".join(cards))


def test_cards_with_other_line_breaks_after_vc103() -> None:
    """Once mixed line breaks are reported, a card of either kind is read in a batch."""
    lf = _PLAIN.replace("\r\n", "\n")
    text = _PLAIN + lf + _PLAIN + lf
    assert_same_reading(text)
    items = list(read((text,)))
    cards = [item for item in items if isinstance(item, Card)]
    # The first LF card is read line by line: its first LF is reported there.
    assert [c._lines is None for c in cards] == [True, False, True, True]
    (vc103,) = [i for i in items if isinstance(i, SyntaxIssue) and i.code == "VC103"]
    assert (vc103.line, vc103.column) == (7, 12)  # "BEGIN:VCARD" is 11 characters long


_P = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann\r\n"
_EDGES = {
    "lower-case end": _P + "end:vcard\r\n" + _PLAIN,
    "lower-case begin and end": "begin:vcard\r\nFN:A\r\nend:vcard\r\n" + _PLAIN + _PLAIN,
    "fold after END:VCARD": _P + "END:VCARD\r\n x\r\n" + _PLAIN,
    "blank lines then a fold after END:VCARD": _P + "END:VCARD\r\n\r\n\r\n x\r\n" + _PLAIN,
    "white-space-only line after END:VCARD": _P + "END:VCARD\r\n \r\n" + _PLAIN,
    "blank line inside a card": _P + "\r\nTEL:+201000000001\r\nEND:VCARD\r\n" + _PLAIN,
    "fold onto BEGIN:VCARD": "BEGIN:VCARD\r\n X\r\nFN:A\r\nEND:VCARD\r\n" + _PLAIN,
    "nested card": _P + _PLAIN + "END:VCARD\r\n" + _PLAIN,
    "no END:VCARD at all": _PLAIN + _P,
    "END:VCARD with no line break at the end": _PLAIN + _P + "END:VCARD",
    "END:VCARDS is not an end": _P + "END:VCARDS\r\nEND:VCARD\r\n" + _PLAIN,
    "QUOTED-PRINTABLE soft break before END": (
        "BEGIN:VCARD\r\nVERSION:2.1\r\nNOTE;ENCODING=QUOTED-PRINTABLE:a=\r\nEND:VCARD\r\n" + _PLAIN
    ),
    "CR line ends": _PLAIN.replace("\r\n", "\r") * 2,
    "mixed inside one card": _P + "TEL:+201000000001\nEND:VCARD\r\n" + _PLAIN,
    "unclosed quote": _P + 'TEL;TYPE="CELL:+201000000001\r\nEND:VCARD\r\n' + _PLAIN,
    "text between cards": _PLAIN + "junk\r\n" + _PLAIN,
    "a BOM-less empty card": "BEGIN:VCARD\r\nEND:VCARD\r\n" + _PLAIN,
}


@pytest.mark.parametrize("text", list(_EDGES.values()), ids=list(_EDGES))
def test_edges_read_the_same(text: str) -> None:
    """Where the batch must step aside (or may not), both paths read the same."""
    for seed in range(4):
        assert_same_reading(text, seed)
        assert_same_reading(text.replace("\r\n", "\n"), seed)
