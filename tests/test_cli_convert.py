"""``vcardkit convert``: round trips both ways, several inputs, blocking errors exit 1."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

import vcardkit
from tests.clitools import run, write
from tests.conftest import FIXTURES, corpus_dir

SEED_JSON = (FIXTURES / "golden" / "seed.json").read_bytes()
SEED_VCF = (FIXTURES / "golden" / "seed.vcf").read_bytes()


def test_json_to_vcf_on_stdout(workdir: Path) -> None:
    path = write(workdir / "seed.json", SEED_JSON)
    result = run("convert", path)
    assert (result.code, result.err) == (0, "")
    assert result.out.encode("utf-8") == SEED_VCF


def test_vcf_to_json_on_stdout(workdir: Path) -> None:
    path = write(workdir / "seed.vcf", SEED_VCF)
    result = run("convert", path)
    assert (result.code, result.err) == (0, "")
    assert json.loads(result.out) == json.loads(SEED_JSON)


def test_output_file_and_line_ending(workdir: Path) -> None:
    path = write(workdir / "seed.json", SEED_JSON)
    result = run("convert", path, "-o", "out.vcf", "--line-ending", "lf")
    assert (result.code, result.out, result.err) == (0, "", "")
    assert (workdir / "out.vcf").read_bytes() == SEED_VCF.replace(b"\r\n", b"\n")


def test_several_inputs_become_one_payload(workdir: Path) -> None:
    a = write(workdir / "a.json", SEED_JSON)
    b = write(workdir / "b.vcf", (FIXTURES / "golden" / "support-directory.vcf").read_bytes())
    result = run("convert", a, b, "--to", "vcf")
    assert (result.code, result.err) == (0, "")
    expected = SEED_VCF + (FIXTURES / "golden" / "support-directory.vcf").read_bytes()
    assert result.out.encode("utf-8") == expected
    as_json = json.loads(run("convert", a, b, "--to", "json").out)
    assert [c["fullName"] for c in as_json] == [
        "Wawp Support",
        "Billing Support",
        "Technical Desk",
        "Human Resources",
    ]


def test_stdin(workdir: Path) -> None:
    result = run("convert", "-", "--to", "vcf", stdin=SEED_JSON)
    assert (result.code, result.err) == (0, "")
    assert result.out.encode("utf-8") == SEED_VCF


def test_blocking_errors_exit_1_with_diagnostics(workdir: Path) -> None:
    # Line 3 has no ':' (VC109 at 3:1); the card never ends (VC105 at 1:1).
    path = write(workdir / "bad.vcf", b"BEGIN:VCARD\r\nVERSION:3.0\r\nno colon here\r\n")
    result = run("convert", path)
    assert (result.code, result.out) == (1, "")
    assert result.err == (
        "bad.vcf:1:1: VC105 [error] the card that begins on line 1 has no END:VCARD\n"
        "bad.vcf:3:1: VC109 [error] the line 'no colon here' has no ':' between a name "
        "and a value\n"
    )


def test_json_that_cannot_be_written_exits_1(workdir: Path) -> None:
    # A C0 control character (U+0007) in fullName: no vCard 3.0 value carries it.
    path = write(workdir / "bell.json", b'[{"fullName": "A\\u0007B"}]')
    result = run("convert", path)
    assert (result.code, result.out) == (1, "")
    # VC113 points at the value's opening quote: `[{"fullName": ` is 14 characters.
    assert result.err == (
        "bell.json:1:15: VC113 [error] the field /0/fullName holds the control character "
        "U+0007, which RFC 2425 does not allow in a value\n"
    )


def test_missing_input_is_exit_2(workdir: Path) -> None:
    result = run("convert", "nope.json")
    assert (result.code, result.out) == (2, "")
    assert result.err == "vcardkit: error: cannot read nope.json: no such file or directory\n"


ROUND_TRIP_FIXTURES = [
    *sorted((FIXTURES / "golden").glob("*.vcf")),
    FIXTURES / "examples" / "directory.vcf",
]


@pytest.mark.parametrize("path", ROUND_TRIP_FIXTURES, ids=lambda p: p.name)
def test_vcf_json_vcf_round_trip_on_fixtures(workdir: Path, path: Path) -> None:
    """VCF -> JSON -> VCF gives the same contacts, and a second trip the same bytes."""
    original = write(workdir / path.name, path.read_bytes())
    assert run("convert", original, "-o", "a.json").code == 0
    assert run("convert", "a.json", "-o", "b.vcf").code == 0
    assert run("convert", "b.vcf", "-o", "c.json").code == 0
    assert run("convert", "c.json", "-o", "d.vcf").code == 0
    assert vcardkit.loads((workdir / "b.vcf").read_bytes()) == vcardkit.loads(path.read_bytes())
    assert (workdir / "a.json").read_bytes() == (workdir / "c.json").read_bytes()
    assert (workdir / "b.vcf").read_bytes() == (workdir / "d.vcf").read_bytes()


@pytest.mark.parametrize("path", sorted((FIXTURES / "golden").glob("*.json")), ids=lambda p: p.name)
def test_json_vcf_json_round_trip_on_fixtures(workdir: Path, path: Path) -> None:
    original = write(workdir / path.name, path.read_bytes())
    assert run("convert", original, "-o", "a.vcf").code == 0
    assert run("convert", "a.vcf", "-o", "b.json").code == 0
    assert json.loads((workdir / "b.json").read_bytes()) == json.loads(path.read_bytes())


def _valid_30_corpus_files() -> list[Path]:
    root = corpus_dir()
    manifest = root / "MANIFEST.tsv"
    if not manifest.is_file():
        return []
    with manifest.open(encoding="utf-8") as fp:
        rows = list(csv.DictReader(fp, delimiter="\t"))
    return [
        root / row["local_path"]
        for row in rows
        if row["kind"] in ("vcard", "vcard-extracted")
        and row["versions"] == "3.0"
        and row["validity"] == "valid"
    ]


def test_corpus_valid_30_files_round_trip(workdir: Path, corpus: Path) -> None:
    """Each valid 3.0 corpus file: VCF -> JSON -> VCF keeps its contacts."""
    files = _valid_30_corpus_files()
    assert len(files) >= 10
    for i, path in enumerate(files):
        data = path.read_bytes()
        try:
            expected = vcardkit.loads(data)
        except vcardkit.VCardError:
            continue  # cannot be read as cards: convert exits 1 (tested above)
        source = write(workdir / f"in{i}.vcf", data)
        first = run("convert", source, "-o", f"out{i}.json")
        assert (first.code, first.err) == (0, ""), path
        second = run("convert", f"out{i}.json", "-o", f"out{i}.vcf")
        assert (second.code, second.err) == (0, ""), path
        assert vcardkit.loads((workdir / f"out{i}.vcf").read_bytes()) == expected, path


def test_diagnostics_quote_the_input_escaped(workdir: Path) -> None:
    """A key that is an OSC sequence (it retitled the terminal) is shown as lint shows it."""
    path = write(workdir / "osc.json", b'[{"fullName": "A", "fulName\\u001b]0;x\\u0007": 1}]')
    result = run("convert", path)
    assert (result.code, result.out) == (1, "")
    assert result.err == (
        "osc.json:/0/fulName\\x1b]0;x\\x07: VC603 [error] unknown key "
        "'fulName\\x1b]0;x\\x07'; did you mean 'fullName'?\n"
    )


def test_a_path_is_shown_escaped(workdir: Path) -> None:
    bad = write(workdir / "a\x1b[2J.vcf", b"BEGIN:VCARD\r\nno colon\r\n")
    result = run("convert", bad)
    assert (result.code, result.out) == (1, "")
    assert result.err.startswith("a\\x1b[2J.vcf:1:1: VC105 [error]")
    assert "\x1b" not in result.err
    missing = run("convert", "gone\x1b[2J.json")
    assert (missing.code, missing.out) == (2, "")
    assert missing.err == (
        "vcardkit: error: cannot read gone\\x1b[2J.json: no such file or directory\n"
    )
