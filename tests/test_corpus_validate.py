"""The real-world corpus: validate() and check() never raise on any of its files.

Every file under the corpus folder (``$VCARDKIT_CORPUS``, else
``../shared/corpus``), whatever it holds (cards of every version and
producer, JSON, test expectations, the manifest itself), is validated under
both profiles; each position must lie inside the file, and check() may only
return a payload or raise ValidationError. The test skips only when the
corpus is absent (the ``corpus`` fixture says why).
"""

from __future__ import annotations

import re
from pathlib import Path

import vcardkit
from vcardkit._syntax._decode import decode


def _files(corpus: Path) -> list[Path]:
    return sorted(p for p in corpus.rglob("*") if p.is_file())


def _outside(data: bytes, report: vcardkit.Report) -> list[vcardkit.Diagnostic]:
    lines = re.split(r"\r\n|\r|\n", decode(data).text)
    return [
        d
        for d in report.diagnostics
        if d.line is not None
        and not (
            1 <= d.line <= len(lines)
            and d.column is not None
            and 1 <= d.column <= len(lines[d.line - 1]) + 1
        )
    ]


def test_the_corpus_has_files(corpus: Path) -> None:
    files = _files(corpus)
    assert len(files) >= 100
    assert any(p.suffix == ".vcf" for p in files)


def test_validate_never_raises_on_any_corpus_file(corpus: Path) -> None:
    problems: list[str] = []
    for path in _files(corpus):
        data = path.read_bytes()
        name = str(path.relative_to(corpus))
        for profile in ("whatsapp", "rfc2426"):
            try:
                report = vcardkit.validate(data, profile=profile, path=name)
            except Exception as exc:  # the property under test: nothing escapes
                problems.append(f"{name} [{profile}]: {type(exc).__name__}: {exc}")
                continue
            problems.extend(f"{name}: outside the file: {d}" for d in _outside(data, report))
    assert problems == []


def test_check_returns_or_raises_validation_error_on_any_corpus_file(corpus: Path) -> None:
    problems: list[str] = []
    for path in _files(corpus):
        try:
            payload = vcardkit.check(path.read_bytes())
        except vcardkit.ValidationError as exc:
            if not any(d.severity is vcardkit.Severity.ERROR for d in exc.diagnostics):
                problems.append(f"{path.name}: ValidationError without an error")
        except Exception as exc:  # the property under test: nothing else escapes
            problems.append(f"{path.name}: {type(exc).__name__}: {exc}")
        else:
            if not isinstance(payload, str):
                problems.append(f"{path.name}: check() returned {type(payload).__name__}")
    assert problems == []
