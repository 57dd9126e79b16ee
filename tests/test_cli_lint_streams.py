"""``vcardkit lint`` reads what ``convert`` and ``preview`` read, and counts what it read.

A FIFO, ``<(cmd)`` (``/dev/fd/N``) or a character device named explicitly is
linted (a folder walk takes regular files only: a FIFO there would block the
run); ``fix`` takes regular files only. "N files checked" counts the files
read, not those that could not be.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from tests.clitools import failing_open, run, write
from vcardkit._cli import _lint

# One fixable fault (VC205: N has two components) in a CRLF card.
# One fixable fault (VC205: N has two components) in a CRLF card.
CARD = b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann\r\nN:;Ann\r\nEND:VCARD\r\n"


FIXED = b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann\r\nN:;Ann;;;\r\nEND:VCARD\r\n"


def _feed(fifo: str, data: bytes) -> threading.Thread:
    def writer() -> None:
        with open(fifo, "wb") as fp:
            fp.write(data)

    thread = threading.Thread(target=writer, daemon=True)
    thread.start()
    return thread


def test_lint_reads_a_fifo_named_explicitly(workdir: Path) -> None:
    os.mkfifo("cards.vcf")
    thread = _feed("cards.vcf", CARD)
    result = run("lint", "cards.vcf", "--select", "VC205")
    thread.join(5)
    assert result.out == (
        "cards.vcf:4:3: VC205 [warning] N has 2 components, not 5\n"
        "1 file checked: 0 errors, 1 warning, 0 infos.\n"
    )
    assert (result.code, result.err) == (0, "")


def test_lint_reads_fifos_in_this_process_beside_many_files(workdir: Path) -> None:
    # Many files make lint share them among workers: a pipe stays here.
    names = [write(workdir / f"f{i:02}.vcf", FIXED) for i in range(20)]
    os.mkfifo("pipe")
    thread = _feed("pipe", CARD)
    result = run("lint", *names, "pipe", "--select", "VC205")
    thread.join(5)
    assert result.out == (
        "pipe:4:3: VC205 [warning] N has 2 components, not 5\n"
        "21 files checked: 0 errors, 1 warning, 0 infos.\n"
    )
    assert (result.code, result.err) == (0, "")


def test_lint_reads_a_process_substitution(workdir: Path) -> None:
    # What `vcardkit lint <(gen-cards)` names: a pipe, as /dev/fd/N.
    read, written = os.pipe()
    with os.fdopen(written, "wb") as fp:
        fp.write(CARD)
    try:
        result = run("lint", f"/dev/fd/{read}", "--select", "VC205")
    finally:
        os.close(read)
    assert result.out == (
        f"/dev/fd/{read}:4:3: VC205 [warning] N has 2 components, not 5\n"
        "1 file checked: 0 errors, 1 warning, 0 infos.\n"
    )
    assert (result.code, result.err) == (0, "")


def test_lint_reads_a_character_device(workdir: Path) -> None:
    result = run("lint", "/dev/null")
    assert result.out == (
        "/dev/null:1:1: VC410 [error] the payload holds no card\n"
        "1 file checked: 1 error, 0 warnings, 0 infos.\n"
    )
    assert (result.code, result.err) == (1, "")


def test_a_folder_walk_skips_fifos_and_fix_refuses_one(workdir: Path) -> None:
    os.mkfifo("cards.vcf")
    result = run("lint", ".")
    assert (result.code, result.out, result.err) == (
        0,
        "0 files checked: 0 errors, 0 warnings, 0 infos.\n",
        "",
    )
    result = run("fix", "cards.vcf")
    assert result.err == "vcardkit: error: not fixing cards.vcf: it is not a regular file\n"
    assert result.code == 2


def test_a_file_that_cannot_be_read_is_not_counted(
    workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    good = write(workdir / "good.vcf", FIXED)
    bad = write(workdir / "bad.vcf", FIXED)
    monkeypatch.setattr(_lint, "open", failing_open("bad.vcf"), raising=False)
    result = run("lint", good, bad, "--select", "VC2")
    assert result.out == "1 file checked: 0 errors, 0 warnings, 0 infos.\n"
    assert result.err == "vcardkit: error: cannot read bad.vcf: Input/output error\n"
    assert result.code == 2
