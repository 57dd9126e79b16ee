"""The registry matches RULES.md code for code: name, default severity, profile.

RULES.md is the catalogue the project was given (``../shared/RULES.md``
beside the clone, or ``$VCARDKIT_RULES``); codes and names are a public
contract, so a drift either way fails here.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

import vcardkit
from tests.conftest import ROOT

ROW_RE = re.compile(
    r"^\| (?P<code>VC\d{3}) \| (?P<name>[a-z0-9-]+) \| (?P<severity>error|warning|info) "
    r"\| (?P<profile>rfc|wa) \|",
    re.MULTILINE,
)


def rules_md() -> Path:
    return Path(os.environ.get("VCARDKIT_RULES", ROOT.parent / "shared" / "RULES.md"))


@pytest.fixture(scope="module")
def catalogue() -> dict[str, tuple[str, str, str]]:
    path = rules_md()
    if not path.is_file():
        pytest.skip(f"RULES.md is not at {path} (set VCARDKIT_RULES)")
    rows = {
        m.group("code"): (m.group("name"), m.group("severity"), m.group("profile"))
        for m in ROW_RE.finditer(path.read_text(encoding="utf-8"))
    }
    assert len(rows) >= 60, "RULES.md's tables were not read"
    return rows


def test_registry_matches_rules_md(catalogue: dict[str, tuple[str, str, str]]) -> None:
    registry = {
        rule.code: (rule.name, rule.severity.value, rule.profile.value) for rule in vcardkit.rules()
    }
    assert registry == catalogue
