"""``vcardkit fix``: minimal edits, nothing dropped, idempotent, atomic, permissions kept."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.clitools import run, write
from vcardkit._syntax._reader import Card, read

# Three faults with safe fixes, each on its own line:
# - VC205 on line 4: "N:Example;Ann" has 2 components -> "N:Example;Ann;;;"
# - VC110 on line 5: the bare 2.1 parameter CELL in a 3.0 card -> TYPE=CELL
# - VC204 on the second card: no N; the fix inserts "N:;Bob;;;" before its FN.
# The file is CRLF throughout so that VC103 does not touch every line.
BROKEN = (
    b"BEGIN:VCARD\r\n"
    b"VERSION:3.0\r\n"
    b"FN:Ann Example\r\n"
    b"N:Example;Ann\r\n"
    b"TEL;CELL;waid=201111111111:+201111111111\r\n"
    b"item1.X-ABLabel:Office\r\n"
    b"X-UNKNOWN;X-PARAM=1:kept as it is\r\n"
    b"END:VCARD\r\n"
    b"BEGIN:VCARD\r\n"
    b"VERSION:3.0\r\n"
    b"FN:Bob\r\n"
    b"ORG:Wawp HQ\r\n"
    b"END:VCARD\r\n"
)
FIXED = (
    b"BEGIN:VCARD\r\n"
    b"VERSION:3.0\r\n"
    b"FN:Ann Example\r\n"
    b"N:Example;Ann;;;\r\n"
    b"TEL;TYPE=CELL;waid=201111111111:+201111111111\r\n"
    b"item1.X-ABLabel:Office\r\n"
    b"X-UNKNOWN;X-PARAM=1:kept as it is\r\n"
    b"END:VCARD\r\n"
    b"BEGIN:VCARD\r\n"
    b"VERSION:3.0\r\n"
    b"N:;Bob;;;\r\n"
    b"FN:Bob\r\n"
    b"ORG:Wawp HQ\r\n"
    b"END:VCARD\r\n"
)
SELECT = "VC110,VC204,VC205"


def properties(data: bytes) -> list[list[tuple[str | None, str, tuple[object, ...], str]]]:
    """Each card's properties: group, name, parameters, raw value."""
    cards = []
    for item in read((data.decode("utf-8"),)):
        if isinstance(item, Card):
            cards.append(
                [
                    (
                        cl.group,
                        cl.name.upper(),
                        tuple((p.name, p.values) for p in cl.params),
                        cl.value,
                    )
                    for cl in item.lines
                ]
            )
    return cards


def test_fix_applies_safe_fixes_and_prints_them(workdir: Path) -> None:
    path = write(workdir / "cards.vcf", BROKEN)
    result = run("fix", path, "--select", SELECT)
    assert result.err == ""
    assert result.out == (
        "cards.vcf:4:3: VC205 fixed: pad N to five components\n"
        "cards.vcf:5:5: VC110 fixed: write TYPE=CELL\n"
        "cards.vcf:9:1: VC204 fixed: add N with the full name as the given name\n"
        "3 fixes applied to 1 file; 1 file checked, remaining: 0 errors, 0 warnings, 0 infos.\n"
    )
    assert result.code == 0
    assert (workdir / "cards.vcf").read_bytes() == FIXED


def test_fix_keeps_every_property(workdir: Path) -> None:
    path = write(workdir / "cards.vcf", BROKEN)
    before = properties(BROKEN)
    assert run("fix", path, "--select", SELECT).code == 0
    after = properties((workdir / "cards.vcf").read_bytes())
    # Card 1: the same properties in the same order; N's value padded (the
    # same components) and TEL's bare parameter named.
    assert [p[:2] for p in after[0]] == [p[:2] for p in before[0]]
    assert after[0][2][3] == "Example;Ann;;;"
    assert after[0][3][2] == (("TYPE", ("CELL",)), ("waid", ("201111111111",)))
    for old, new in zip(before[0], after[0], strict=True):
        if old[1] not in ("N", "TEL"):
            assert old == new
    # Card 2: every property kept, N added before FN.
    assert after[1] == [before[1][0], (None, "N", (), ";Bob;;;"), *before[1][1:]]


def test_second_run_changes_nothing(workdir: Path) -> None:
    path = write(workdir / "cards.vcf", BROKEN)
    run("fix", path, "--select", SELECT)
    again = run("fix", path, "--select", SELECT)
    assert again.out == (
        "0 fixes applied to 0 files; 1 file checked, remaining: 0 errors, 0 warnings, 0 infos.\n"
    )
    assert (again.code, again.err) == (0, "")
    assert (workdir / "cards.vcf").read_bytes() == FIXED


def test_fix_keeps_permissions(workdir: Path) -> None:
    path = write(workdir / "cards.vcf", BROKEN)
    os.chmod(path, 0o640)
    inode_before = os.stat(path).st_ino
    assert run("fix", path, "--select", SELECT).code == 0
    mode = stat.S_IMODE(os.stat(path).st_mode)
    assert mode == 0o640
    # Written through a new file and a rename, not in place.
    assert os.stat(path).st_ino != inode_before
    assert sorted(p.name for p in workdir.iterdir()) == ["cards.vcf", "pyproject.toml"]


def test_failed_write_leaves_the_original_intact(
    workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A read-only folder: CI runs as root, which may write anyway, so the
    # refusal is made where the OS would make it, at the rename.
    path = write(workdir / "cards.vcf", BROKEN)

    def refuse(src: str, dst: str) -> None:
        raise PermissionError(13, "Permission denied", dst)

    monkeypatch.setattr(os, "replace", refuse)
    result = run("fix", path, "--select", SELECT)
    assert result.code == 2
    # What a file's fixes did is printed once it is written: here, never.
    assert result.err == (
        "vcardkit: error: cannot write cards.vcf: permission denied; the file was left as it was\n"
    )
    assert result.out == (
        "0 fixes applied to 0 files; 0 files checked, remaining: 0 errors, 0 warnings, 0 infos.\n"
    )
    assert (workdir / "cards.vcf").read_bytes() == BROKEN
    # No temporary file is left behind.
    assert sorted(p.name for p in workdir.iterdir()) == ["cards.vcf", "pyproject.toml"]


def test_diff_prints_the_changed_lines_and_writes_nothing(workdir: Path) -> None:
    path = write(workdir / "cards.vcf", BROKEN)
    result = run("fix", path, "--select", SELECT, "--diff")
    assert (result.code, result.err) == (0, "")
    assert (workdir / "cards.vcf").read_bytes() == BROKEN
    diff = [line for line in result.out.split("\n") if line and line[0] in "+-@"]
    assert diff == [
        "--- a/cards.vcf",
        "+++ b/cards.vcf",
        "@@ -1,13 +1,14 @@",
        "-N:Example;Ann\r",
        "-TEL;CELL;waid=201111111111:+201111111111\r",
        "+N:Example;Ann;;;\r",
        "+TEL;TYPE=CELL;waid=201111111111:+201111111111\r",
        "+N:;Bob;;;\r",
    ]
    assert result.out.endswith(
        "3 fixes would be applied to 1 file; 1 file checked, remaining: "
        "0 errors, 0 warnings, 0 infos.\n"
    )


def test_fix_exits_1_when_problems_remain(workdir: Path) -> None:
    # VC203 (no FN) has no automatic fix.
    path = write(
        workdir / "nofn.vcf", b"BEGIN:VCARD\r\nVERSION:3.0\r\nN:Doe;Ann;;;\r\nEND:VCARD\r\n"
    )
    result = run("fix", path, "--select", "VC203")
    assert result.out == (
        "nofn.vcf:1:1: VC203 [error] the card has no FN (formatted name)\n"
        "0 fixes applied to 0 files; 1 file checked, remaining: 1 error, 0 warnings, 0 infos.\n"
    )
    assert (result.code, result.err) == (1, "")


def test_fix_removes_a_bom_and_rewrites_line_endings(workdir: Path) -> None:
    path = write(
        workdir / "bom.vcf", b"\xef\xbb\xbfBEGIN:VCARD\nVERSION:3.0\nFN:A\nN:;A;;;\nEND:VCARD\n"
    )
    result = run("fix", path, "--select", "VC102,VC103")
    assert result.out.splitlines()[:2] == [
        "bom.vcf:1:1: VC102 fixed: remove the UTF-8 byte-order mark",
        "bom.vcf:1:12: VC103 fixed: end every line in CRLF",
    ]
    assert (workdir / "bom.vcf").read_bytes() == (
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:A\r\nN:;A;;;\r\nEND:VCARD\r\n"
    )
    assert result.code == 0


def test_a_bom_stays_when_its_rule_is_not_selected(workdir: Path) -> None:
    path = write(
        workdir / "bom.vcf",
        b"\xef\xbb\xbfBEGIN:VCARD\r\nVERSION:3.0\r\nFN:A\r\nN:;A\r\nEND:VCARD\r\n",
    )
    assert run("fix", path, "--select", "VC205").code == 0
    assert (workdir / "bom.vcf").read_bytes() == (
        b"\xef\xbb\xbfBEGIN:VCARD\r\nVERSION:3.0\r\nFN:A\r\nN:;A;;;\r\nEND:VCARD\r\n"
    )


def test_fix_refuses_stdin(workdir: Path) -> None:
    result = run("fix", "-")
    assert (result.code, result.out) == (2, "")
    assert result.err == (
        "vcardkit: error: fix edits files in place; it does not read stdin (use lint)\n"
    )


# A phone with no waid: VC406 (warning) offers to derive the waid from the
# number, a guess, so only with --unsafe-fixes.
NO_WAID = (
    b"BEGIN:VCARD\r\n"
    b"VERSION:3.0\r\n"
    b"N:;Ann;;;\r\n"
    b"FN:Ann\r\n"
    b"ORG:Wawp HQ\r\n"
    b"TEL;type=CELL:+201111111111\r\n"
    b"END:VCARD\r\n"
)


def test_unsafe_fixes_only_with_the_flag(workdir: Path) -> None:
    path = write(workdir / "nowaid.vcf", NO_WAID)
    safe_only = run("fix", path, "--select", "VC406")
    assert safe_only.out == (
        "0 fixes applied to 0 files; 1 file checked, remaining: 0 errors, 1 warning, 0 infos.\n"
        "1 more fix available with --unsafe-fixes.\n"
    )
    assert (safe_only.code, safe_only.err) == (0, "")
    assert (workdir / "nowaid.vcf").read_bytes() == NO_WAID
    unsafe = run("fix", path, "--select", "VC406", "--unsafe-fixes")
    assert unsafe.out == (
        "nowaid.vcf:1:1: VC406 fixed: add the WhatsApp id 201111111111\n"
        "1 fix applied to 1 file; 1 file checked, remaining: 0 errors, 0 warnings, 0 infos.\n"
    )
    assert (unsafe.code, unsafe.err) == (0, "")
    assert (workdir / "nowaid.vcf").read_bytes() == NO_WAID.replace(
        b"TEL;type=CELL:", b"TEL;type=CELL;waid=201111111111:"
    )


def _overlaps_any(start: int, end: int, taken: list[tuple[int, int]]) -> bool:
    """The rule, span by span: a shared character, or two insertions at one point."""
    for s, e in taken:
        if start < e and s < end:
            return True
        if start == end == s or (start == end and s < start < e):
            return True
    return False


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 30), st.sampled_from([0, 0, 1, 2, 5])), max_size=12),
    st.integers(0, 30),
    st.sampled_from([0, 0, 1, 2, 5, 10]),
)
def test_overlap_check_looks_at_neighbours_only(
    spans: list[tuple[int, int]], start: int, width: int
) -> None:
    """Checking a span against its sorted neighbours finds what checking every span finds."""
    from bisect import insort

    from vcardkit._fixing import _overlaps

    taken: list[tuple[int, int]] = []
    for a, w in spans:
        if not _overlaps_any(a, a + w, taken):
            insort(taken, (a, a + w))
    assert _overlaps(start, start + width, taken) == _overlaps_any(start, start + width, taken)
