"""The real-world corpus: vcardkit's verdict against the one its source project gives.

The issue asks: vCard 3.0 files their source labels ``valid`` get no error
under the ``rfc2426`` profile; files labelled ``invalid`` get an error that
names their fault, not merely VC202 for being 2.1. Where vcardkit and the
source disagree, the case is decided from the RFC and recorded, with its
reason, in ``corpus_disagreements.tsv``: these tests fail whenever a file's
outcome differs from what that table (or, for a file not in it, the source's
label) says, so a change of verdict is always a decision someone writes down.

An outcome is a verdict and the codes of the errors: ``valid`` (no error),
``invalid`` (an error other than VC202), or ``version-only`` (VC202 is the
only error). A table row's ``fault`` column names the code that reports the
file's fault at any severity, when one does.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import vcardkit

TABLE = Path(__file__).with_name("corpus_disagreements.tsv")
KINDS = ("vcard", "vcard-extracted")


@dataclass(frozen=True)
class Outcome:
    verdict: str
    errors: tuple[str, ...]
    codes: frozenset[str]  # every code reported, at any severity


def _manifest(corpus: Path) -> list[dict[str, str]]:
    with (corpus / "MANIFEST.tsv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def _in_scope(row: dict[str, str]) -> bool:
    """The files the issue names (a byte-identical duplicate has its original's outcome)."""
    if row["kind"] not in KINDS or row["duplicate_of"]:
        return False
    versions = {v.strip() for v in row["versions"].split(",")}
    return row["validity"] == "invalid" or (row["validity"] == "valid" and "3.0" in versions)


def _table() -> dict[str, dict[str, str]]:
    with TABLE.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    table = {row["path"]: row for row in rows}
    assert len(table) == len(rows), "a file is in the table twice"
    return table


def outcome(path: Path) -> Outcome:
    report = vcardkit.validate(path.read_bytes(), profile="rfc2426", path=str(path))
    errors = tuple(sorted({d.code for d in report.errors}))
    if not errors:
        verdict = "valid"
    elif errors == ("VC202",):
        verdict = "version-only"
    else:
        verdict = "invalid"
    return Outcome(verdict, errors, frozenset(d.code for d in report.diagnostics))


def test_every_file_agrees_with_its_label_or_with_the_table(corpus: Path) -> None:
    table = _table()
    rows = [row for row in _manifest(corpus) if _in_scope(row)]
    # A guard against passing on nothing: the corpus holds 19 labelled 3.0
    # files and 3 labelled invalid.
    assert len(rows) >= 20
    differences = []
    for row in rows:
        path = row["local_path"]
        got = outcome(corpus / path)
        recorded = table.get(path)
        if recorded is None:
            want = "valid" if row["validity"] == "valid" else "invalid"
            if got.verdict != want:
                differences.append(
                    f"{path}: the source says {row['validity']}, vcardkit finds "
                    f"{got.verdict} ({' '.join(got.errors) or 'no error'}); decide from the "
                    f"RFC and record it in {TABLE.name}"
                )
            continue
        errors = tuple(recorded["errors"].split()) if recorded["errors"] != "-" else ()
        if (got.verdict, got.errors) != (recorded["vcardkit"], errors):
            differences.append(
                f"{path}: {TABLE.name} says {recorded['vcardkit']} ({recorded['errors']}), "
                f"vcardkit now finds {got.verdict} ({' '.join(got.errors) or 'no error'})"
            )
        fault = recorded["fault"]
        if fault and fault not in got.codes:
            differences.append(f"{path}: {fault} no longer reports the file's fault")
    assert not differences, "\n".join(differences)


def test_the_table_records_only_disagreements_about_files_in_scope(corpus: Path) -> None:
    manifest = {row["local_path"]: row for row in _manifest(corpus)}
    for path, recorded in _table().items():
        row = manifest.get(path)
        assert row is not None and _in_scope(row), f"{path} is not a file the issue names"
        assert recorded["source"] == row["validity"], path
        assert recorded["vcardkit"] in ("valid", "invalid", "version-only"), path
        # A row whose verdict matches the label is no disagreement: for an
        # invalid file, an error other than VC202 is agreement.
        agrees = recorded["vcardkit"] == row["validity"]
        assert not agrees, f"{path} agrees with its source; it does not belong in the table"
        assert len(recorded["reason"]) > 40, f"{path}: say why, from the RFC"
