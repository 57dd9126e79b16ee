"""Golden files: JSON contacts and their VCF, by hand from docs/design.md "The canonical card"."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import vcardkit
from tests.conftest import FIXTURES

GOLDEN = sorted((FIXTURES / "golden").glob("*.json"))


def test_golden_folder_is_not_empty() -> None:
    assert len(GOLDEN) >= 2


@pytest.mark.parametrize("path", GOLDEN, ids=lambda p: p.stem)
def test_dumps_matches_hand_written_vcf(path: Path) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    expected = path.with_suffix(".vcf").read_bytes()
    assert vcardkit.dumps(data).encode("utf-8") == expected


@pytest.mark.parametrize("path", GOLDEN, ids=lambda p: p.stem)
def test_loads_of_golden_vcf_gives_the_json_back(path: Path) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    vcf = path.with_suffix(".vcf").read_bytes()
    assert vcardkit.to_json(vcardkit.loads(vcf)) == data
    assert vcardkit.loads(vcf) == vcardkit.from_json(data)
