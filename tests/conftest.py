"""Shared test helpers: where the fixtures and the real-world corpus are."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures"


def corpus_dir() -> Path:
    """The shared corpus: $VCARDKIT_CORPUS, else ../shared/corpus beside the clone."""
    return Path(os.environ.get("VCARDKIT_CORPUS", ROOT.parent / "shared" / "corpus"))


@pytest.fixture(scope="session")
def corpus() -> Path:
    path = corpus_dir()
    if not (path / "MANIFEST.tsv").is_file():
        pytest.skip(f"the real-world corpus is not at {path} (set VCARDKIT_CORPUS)")
    return path


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A temporary folder as the current directory, with no configuration above it."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pyproject.toml").write_text("[tool.vcardkit]\n", encoding="utf-8")
    yield tmp_path
