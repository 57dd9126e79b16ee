"""vcardkit.fix(): the fix engine of ``vcardkit fix`` for data held in memory."""

from __future__ import annotations

import copy
import json
from collections import Counter
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import vcardkit
from tests.clitools import run, write
from tests.conftest import FIXTURES
from vcardkit import strategies
from vcardkit._syntax._reader import Card, read

DIRECTORY = FIXTURES / "examples" / "directory.vcf"


def _properties(text: str) -> Counter[tuple[int, str]]:
    counts: Counter[tuple[int, str]] = Counter()
    for item in read((text.lstrip("\ufeff"),)):
        if isinstance(item, Card):
            for row in item.rows:
                counts[(item.index, row[2].upper())] += 1
    return counts


def _mendable(report: vcardkit.Report) -> list[vcardkit.Diagnostic]:
    """Diagnostics a safe fix could still mend."""
    return [
        d
        for d in report.diagnostics
        if d.fix is not None and d.fix.safe and (d.fix.edits or d.fix.line_ending or d.fix.pointer)
    ]


def _damage(card: str, how: int) -> str:
    """A card as careless senders write it: no N, an unescaped comma, a JID waid, LF."""
    lines = card.split("\r\n")
    if how & 1:
        lines = [line for line in lines if not line.upper().startswith("N:")]
    if how & 2:
        lines.insert(2, "FN:Doe, John")
    if how & 4:
        lines.insert(2, "TEL;waid=201111111111@s.whatsapp.net:+201111111111")
    return ("\n" if how & 8 else "\r\n").join(lines)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(strategies.vcards(), st.integers(0, 15)), min_size=1, max_size=4))
def test_fixing_vcf_is_idempotent_loses_nothing_and_leaves_nothing_to_mend(
    cards: list[tuple[str, int]],
) -> None:
    """fix(text): fixing the output again applies nothing; every property of every
    card is still there; nothing a safe fix could mend is left."""
    text = "".join(_damage(card, how) for card, how in cards)
    result = vcardkit.fix(text)
    assert isinstance(result.output, str)
    again = vcardkit.fix(result.output)
    assert (again.output, again.applied) == (result.output, ())
    after = _properties(result.output)
    assert all(after[key] >= n for key, n in _properties(text).items())
    assert _mendable(result.remaining) == []
    assert result.remaining == vcardkit.validate(result.output)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(strategies.json_contacts(), min_size=1, max_size=3), st.data())
def test_fixing_contacts_is_idempotent_and_leaves_the_input_alone(
    contacts: list[dict[str, Any]], data: st.DataObject
) -> None:
    """fix(contacts): a new list; the input is untouched; fixing it again applies
    nothing; nothing a safe fix could mend is left."""
    for contact in contacts:
        if data.draw(st.booleans()):
            contact["whatsappId"] = "201111111111@s.whatsapp.net"  # VC404, fixable
            contact["phoneNumber"] = "+20 111 111 1111"  # VC412, fixable
    before = copy.deepcopy(contacts)
    result = vcardkit.fix(contacts)
    assert contacts == before
    assert isinstance(result.output, list)
    again = vcardkit.fix(result.output)
    assert (again.output, again.applied) == (result.output, ())
    assert _mendable(result.remaining) == []
    assert result.remaining == vcardkit.validate(result.output)


def test_fixing_the_example_applies_what_the_command_applies(workdir: Path) -> None:
    text = DIRECTORY.read_text(encoding="utf-8")
    result = vcardkit.fix(text)
    assert [(d.code, d.line, d.column) for d in result.applied] == [
        ("VC204", 1, 1),
        ("VC103", 1, 12),
        ("VC301", 3, 7),
        ("VC404", 5, 32),
        ("VC412", 12, 47),
    ]
    assert result.remaining.diagnostics == ()
    # The command runs the same engine on the file.
    path = write(workdir / "directory.vcf", DIRECTORY.read_bytes())
    assert run("fix", path).code == 0
    assert (workdir / "directory.vcf").read_bytes().decode("utf-8") == result.output


def test_fixing_contacts_sets_the_fields_the_fixes_name() -> None:
    contacts = [
        {
            "fullName": "Wawp Support",
            "phoneNumber": "+20 111 111 1111",
            "whatsappId": "201111111111@s.whatsapp.net",
        }
    ]
    result = vcardkit.fix(contacts)
    # Without positions, diagnostics sort by card, then code.
    assert [(d.code, d.pointer) for d in result.applied] == [
        ("VC404", "/0/whatsappId"),
        ("VC412", "/0/phoneNumber"),
    ]
    assert result.output == [
        {"fullName": "Wawp Support", "phoneNumber": "+201111111111", "whatsappId": "201111111111"}
    ]


def test_json_text_is_fixed_as_text_with_minimal_edits() -> None:
    text = '[{"fullName": "A", "phoneNumber": "+20 111 111 1111"}]'
    result = vcardkit.fix(text)
    assert result.output == '[{"fullName": "A", "phoneNumber": "+201111111111"}]'
    assert [d.code for d in result.applied] == ["VC412"]
    assert json.loads(str(result.output)) == [{"fullName": "A", "phoneNumber": "+201111111111"}]


def test_unsafe_fixes_run_only_when_asked() -> None:
    text = "BEGIN:VCARD\r\nVERSION:3.0\r\nN:;A;;;\r\nFN:A\r\nTEL:0111 111 1111\r\nEND:VCARD\r\n"
    assert vcardkit.fix(text, region="EG").applied == ()
    result = vcardkit.fix(text, region="EG", unsafe=True)
    # The national number completed in EG (VC401, at the value) and its waid
    # derived (VC406, at the TEL name): in order of position.
    assert "TEL;waid=201111111111:+201111111111\r\n" in str(result.output)
    assert [d.code for d in result.applied] == ["VC406", "VC401"]


def test_bytes_and_a_kept_bom() -> None:
    data = b"\xef\xbb\xbfBEGIN:VCARD\r\nVERSION:3.0\r\nFN:A\r\nEND:VCARD\r\n"
    kept = vcardkit.fix(data, select="VC204")
    assert kept.output == "\ufeffBEGIN:VCARD\r\nVERSION:3.0\r\nN:;A;;;\r\nFN:A\r\nEND:VCARD\r\n"
    dropped = vcardkit.fix(data, select="VC102,VC204")
    assert str(dropped.output).startswith("BEGIN:VCARD")
    assert [d.code for d in dropped.applied] == ["VC102", "VC204"]


def test_fixed_windows_are_freed_without_the_cycle_collector() -> None:
    """Each window is freed when it is written, not left to the cycle collector.

    600 cards are three windows of 256 (WINDOW_CARDS). Each card lacks N, so
    every window is fixed (VC204) and read again: two documents a window.
    A document and its cards point at each other; unless the engine lets go
    of them, they outlive the run with the collector off, and the full
    collections that would free them walk every window dropped so far.
    """
    import gc

    from vcardkit._rules._documents import CardView, VcfDocument

    text = "".join(
        f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Person {k}\r\nTEL:+20100{k:07d}\r\nEND:VCARD\r\n"
        for k in range(600)
    )
    gc.collect()
    gc.disable()
    try:
        result = vcardkit.fix(text)
        left = [o for o in gc.get_objects() if isinstance(o, (VcfDocument, CardView))]
    finally:
        gc.enable()
    assert left == []
    # One VC204 fix a card; and the windows still count their cards when
    # let go: 600 contacts are over WhatsApp's 257 (VC409), reported once.
    assert Counter(d.code for d in result.applied) == {"VC204": 600}
    assert [d.code for d in result.remaining.diagnostics if d.code == "VC409"] == ["VC409"]
