"""Every rule against its fixtures: hand-counted positions, and near misses.

``fixtures/rules/<CODE>/`` holds ``fail-<what>.vcf`` (or ``.json``), each
beside ``fail-<what>.expected``: one diagnostic a line, ``CODE LINE COLUMN
END_LINE END_COLUMN``, worked out by hand from docs/rules/index.md "Where a
diagnostic points" (lines starting ``#`` say how). The end is exclusive:
just past the character, the value, the property or parameter name, or the
card's BEGIN line the fault is about. ``pass-<what>`` files are near misses
that must not trigger the rule. Each file is validated with only its
folder's rule selected, and the sorted list of the five must equal the
expected one exactly.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import vcardkit
from tests.conftest import FIXTURES

RULES_DIR = FIXTURES / "rules"
SUFFIXES = (".vcf", ".json")


def _cases(prefix: str) -> list[Path]:
    return sorted(
        path
        for path in RULES_DIR.glob(f"*/{prefix}-*")
        if path.suffix in SUFFIXES and path.is_file()
    )


FAIL = _cases("fail")
PASS = _cases("pass")


def _id(path: Path) -> str:
    return f"{path.parent.name}/{path.name}"


Row = tuple[str, int, int, int, int]


def read_expected(path: Path) -> list[Row]:
    """The ``CODE LINE COLUMN END_LINE END_COLUMN`` lines of an ``.expected`` file,
    comments skipped."""
    rows: list[Row] = []
    for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        text = text.strip()
        if not text or text.startswith("#"):
            continue
        parts = text.split()
        assert len(parts) == 5, (
            f"{path}:{number}: want 'CODE LINE COLUMN END_LINE END_COLUMN', got {text!r}"
        )
        code, line, column, end_line, end_column = parts
        rows.append((code, int(line), int(column), int(end_line), int(end_column)))
    return sorted(rows)


def test_the_fixture_folders_are_not_empty() -> None:
    # A guard as tomli has one: a glob that finds nothing must not pass.
    assert len(FAIL) >= 60
    assert len(PASS) >= 40


@pytest.mark.parametrize("path", FAIL, ids=_id)
def test_fail_fixture_gives_exactly_the_expected_diagnostics(path: Path) -> None:
    code = path.parent.name
    expected_path = path.with_suffix(".expected")
    assert expected_path.is_file(), f"{_id(path)} has no .expected file beside it"
    expected = read_expected(expected_path)
    assert expected, f"{expected_path} lists no diagnostic"
    assert {row[0] for row in expected} == {code}, "a fixture expects only its folder's code"
    report = vcardkit.validate(path.read_bytes(), select=[code])
    got = sorted((d.code, d.line, d.column, d.end_line, d.end_column) for d in report.diagnostics)
    assert got == expected


@pytest.mark.parametrize("path", PASS, ids=_id)
def test_pass_fixture_does_not_trigger_its_rule(path: Path) -> None:
    code = path.parent.name
    report = vcardkit.validate(path.read_bytes(), select=[code])
    assert [d for d in report.diagnostics if d.code == code] == []


def test_every_expected_file_has_its_input() -> None:
    orphans = [
        p
        for p in RULES_DIR.glob("*/*.expected")
        if not any(p.with_suffix(s).is_file() for s in SUFFIXES)
    ]
    assert orphans == []
    # fail-x.vcf and fail-x.json would share one fail-x.expected.
    stems = [p.with_suffix("") for p in FAIL]
    assert len(stems) == len(set(stems))
