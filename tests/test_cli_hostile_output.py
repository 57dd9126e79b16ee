"""Printing whatever the input: names that are not UTF-8, a stdout that fails, bad config.

A file name is bytes: one that is not UTF-8 is shown escaped (``n\\xff.vcf``,
as Python's ``backslashreplace`` shows the byte) in every output format and
message, and the run goes on. A stdout that cannot be written (a full disk,
a closed pipe) and a pyproject.toml that is not UTF-8 are one line on
stderr and exit 2, never a traceback.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.clitools import run, write
from tests.sarif import assert_valid_sarif

ROOT = Path(__file__).resolve().parents[1]
# One fixable fault (VC205: N has two components) in a CRLF card.
# One fixable fault (VC205: N has two components) in a CRLF card.
CARD = b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann\r\nN:;Ann\r\nEND:VCARD\r\n"


FIXED = b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann\r\nN:;Ann;;;\r\nEND:VCARD\r\n"


ONE_FIX = "1 fix applied to 1 file; 1 file checked, remaining: 0 errors, 0 warnings, 0 infos.\n"


# ---------------------------------------------------------------------------
# File names that are not UTF-8


BAD_NAME = b"n\xff.vcf"


SHOWN = "n\\xff.vcf"


@pytest.fixture
def bad_name(workdir: Path) -> Path:
    with open(os.path.join(os.fsencode(workdir), BAD_NAME), "wb") as fp:
        fp.write(CARD)
    return workdir


def test_a_name_that_is_not_utf8_is_shown_escaped_in_text(bad_name: Path) -> None:
    result = run("lint", ".", "--select", "VC205")
    assert result.out == (
        f"{SHOWN}:4:3: VC205 [warning] N has 2 components, not 5\n"
        "1 file checked: 0 errors, 1 warning, 0 infos.\n"
    )
    assert (result.code, result.err) == (0, "")


def test_a_name_that_is_not_utf8_in_json_github_and_sarif(bad_name: Path) -> None:
    as_json = run("lint", ".", "--select", "VC205", "--format", "json")
    assert (as_json.code, as_json.err) == (0, "")
    assert [d["path"] for d in json.loads(as_json.out)] == [f"{SHOWN}"]
    github = run("lint", ".", "--select", "VC205", "--format", "github")
    # Line 4 "N:;Ann": the value ";Ann" is columns 3-6, so it ends at 7.
    assert github.out == (
        f"::warning file={SHOWN},line=4,col=3,endLine=4,endColumn=7,"
        "title=VC205 n-components::N has 2 components, not 5\n"
    )
    assert (github.code, github.err) == (0, "")
    sarif = run("lint", ".", "--select", "VC205", "--format", "sarif")
    assert (sarif.code, sarif.err) == (0, "")
    (result,) = assert_valid_sarif(sarif.out)["runs"][0]["results"]
    # A URI names bytes: the byte itself, percent-encoded.
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "n%FF.vcf"


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github"])
def test_a_stdin_filename_that_is_not_utf8(workdir: Path, fmt: str) -> None:
    # What Python makes of the argument $'a\xffb' (PEP 383).
    result = run(
        "lint", "-", "--stdin-filename", "a\udcffb", "--select", "VC205", "--format", fmt,
        stdin=CARD,
    )  # fmt: skip
    assert (result.code, result.err) == (0, "")
    if fmt == "sarif":
        assert_valid_sarif(result.out)
    if fmt == "json":
        assert json.loads(result.out)[0]["path"] == "a\\xffb"
    else:
        assert ("a%FFb" if fmt == "sarif" else "a\\xffb") in result.out
    assert "\ufffd" not in result.out


def test_fix_prints_a_name_that_is_not_utf8_after_writing_the_file(bad_name: Path) -> None:
    result = run("fix", ".", "--select", "VC205")
    assert result.out == f"{SHOWN}:4:3: VC205 fixed: pad N to five components\n" + ONE_FIX
    assert (result.code, result.err) == (0, "")
    with open(os.path.join(os.fsencode(bad_name), BAD_NAME), "rb") as fp:
        assert fp.read() == FIXED


def test_errors_name_a_path_that_is_not_utf8(workdir: Path) -> None:
    result = run("lint", "zz\udcff.vcf")
    assert result.err == "vcardkit: error: cannot read zz\\xff.vcf: no such file or directory\n"
    assert result.code == 2
    result = run("fix", "zz\udcff.vcf")
    assert result.err == "vcardkit: error: cannot read zz\\xff.vcf: no such file or directory\n"
    assert result.code == 2


def test_a_message_quoting_a_lone_surrogate_is_printed(workdir: Path) -> None:
    # JSON may escape a lone surrogate; a message quoting it must print.
    path = write(workdir / "s.json", b'[{"fullName": "A", "phoneNumber": "+20\\ud800"}]')
    for fmt in ("text", "json", "sarif", "github"):
        result = run("lint", path, "--format", fmt)
        assert result.code == 1, result
        assert result.err == ""
        if fmt == "sarif":
            assert_valid_sarif(result.out)


# ---------------------------------------------------------------------------
# A stdout that cannot be written; a configuration that is not UTF-8


def _to_full(*argv: str, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    with open("/dev/full", "wb") as full:
        return subprocess.run(
            [sys.executable, "-m", "vcardkit", *argv],
            stdout=full,
            stderr=subprocess.PIPE,
            cwd=cwd,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            check=False,
        )


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize(
    "argv",
    [("rules",), ("rules", "VC101"), ("rules", "--format", "markdown"), ("schema",),
     ("lint", "cards.vcf"), ("lint", "cards.vcf", "--format", "json"), ("fix", "cards.vcf")],
)  # fmt: skip
def test_a_full_stdout_is_one_line_and_exit_2(workdir: Path, argv: tuple[str, ...]) -> None:
    write(workdir / "cards.vcf", CARD)
    done = _to_full(*argv, cwd=workdir)
    assert done.stderr == b"vcardkit: error: cannot write to stdout: no space left on device\n"
    assert done.returncode == 2


def test_a_closed_pipe_is_one_line_and_exit_2(workdir: Path) -> None:
    write(workdir / "cards.vcf", CARD * 2000)
    proc = subprocess.Popen(
        [sys.executable, "-m", "vcardkit", "lint", "cards.vcf", "--format", "json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=workdir,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.read(10)
    proc.stdout.close()  # `| head -c 10`
    err = proc.stderr.read()
    assert proc.wait() == 2
    assert err == b"vcardkit: error: cannot write to stdout: broken pipe\n"


def test_a_pyproject_that_is_not_utf8_is_named(workdir: Path) -> None:
    (workdir / "pyproject.toml").write_bytes(b'[tool.vcardkit]\nselect = ["VC1\xff"]\n')
    write(workdir / "cards.vcf", CARD)
    result = run("lint", "cards.vcf")
    assert result.err == (
        f"vcardkit: error: cannot read {workdir / 'pyproject.toml'}: it is not UTF-8 "
        "(byte 0xff at offset 30)\n"
    )
    assert (result.code, result.out) == (2, "")
