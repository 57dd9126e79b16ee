"""``vcardkit convert``: a ``.json`` input is JSON whatever it holds, as ``lint`` reads it."""

from __future__ import annotations

from pathlib import Path

from tests.clitools import run, write


def test_a_json_file_that_is_not_json_is_vc601_where_lint_says(workdir: Path) -> None:
    """It was read as VCF: "the payload starts with 'not json'"."""
    source = write(workdir / "nj.json", b"not json\n")
    result = run("convert", source)
    assert (result.code, result.out) == (1, "")
    assert result.err == "nj.json:1:1: VC601 [error] not JSON: Expecting value\n"
    lint = run("lint", source)
    assert "nj.json:1:1: VC601 [error] not JSON: Expecting value\n" in lint.out
    later = write(workdir / "later.json", b'[\n  {"fullName": "A"},\n  oops\n]\n')
    result = run("convert", later, "-o", "out.vcf")
    assert (result.code, result.out) == (1, "")
    assert result.err == "later.json:3:3: VC601 [error] not JSON: Expecting value\n"
    assert not (workdir / "out.vcf").exists()
    shapes = run("convert", source, "--to", "baileys")
    assert (shapes.code, shapes.err) == (1, result.err.replace("later.json:3:3", "nj.json:1:1"))


def test_a_vcf_file_that_holds_json_is_read_as_vcf(workdir: Path) -> None:
    """It was validated as JSON on the error path: "fullName is blank" for a .vcf file."""
    source = write(workdir / "c.vcf", b'[{"fullName": ""}]\n')
    result = run("convert", source)
    assert (result.code, result.out) == (1, "")
    expected = (
        'c.vcf:1:1: VC104 [error] the payload starts with \'[{"fullName": ""}]\', not BEGIN:VCARD\n'
    )
    assert result.err == expected
    assert expected in run("lint", source).out
