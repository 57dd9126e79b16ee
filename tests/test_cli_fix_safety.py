"""``vcardkit fix`` and hostile files: what it must never write, and how it writes.

docs/cli.md "fix": fix never writes a file it could not decode
or one that changed while it ran; it keeps a symlink (its target is fixed),
hard links (written in place), permissions and owner; it does not replace
a file with no write permission, whoever runs it; and it prints what it
fixed in a file only once the file is written.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import vcardkit
from tests.clitools import failing_open, run, write
from vcardkit._cli import _fix

# One fixable fault (VC205: N has two components) in a CRLF card.
# One fixable fault (VC205: N has two components) in a CRLF card.
CARD = b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann\r\nN:;Ann\r\nEND:VCARD\r\n"


FIXED = b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann\r\nN:;Ann;;;\r\nEND:VCARD\r\n"


FIXED_LINE = "cards.vcf:4:3: VC205 fixed: pad N to five components\n"


ONE_FIX = "1 fix applied to 1 file; 1 file checked, remaining: 0 errors, 0 warnings, 0 infos.\n"


def files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


# ---------------------------------------------------------------------------
# Bytes that do not decode (VC101): never written


LATIN1 = b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Jos\xe9\r\nN:;Jos\xe9\r\nEND:VCARD\r\n"


def test_fix_leaves_a_latin1_file_as_it_is_and_says_why(workdir: Path) -> None:
    path = write(workdir / "latin1.vcf", LATIN1)
    result = run("fix", path, "--select", "VC101,VC205")
    assert result.out == (
        "latin1.vcf:3:7: VC101 [error] the bytes e9 at byte offset 32 are not valid UTF-8\n"
        "latin1.vcf:4:7: VC101 [error] the bytes e9 at byte offset 41 are not valid UTF-8\n"
        "latin1.vcf: not fixed: writing it would lose the bytes that are not UTF-8 (VC101); "
        "save it as UTF-8 first\n"
        "0 fixes applied to 0 files; 1 file checked, remaining: 2 errors, 0 warnings, 0 infos.\n"
    )
    assert (result.code, result.err) == (1, "")
    assert (workdir / "latin1.vcf").read_bytes() == LATIN1
    assert files(workdir) == ["latin1.vcf", "pyproject.toml"]


@pytest.mark.parametrize(
    "data",
    [
        LATIN1,
        LATIN1.decode("latin-1").encode("utf-16-le"),  # UTF-16 without a BOM
        LATIN1.decode("latin-1").encode("utf-16-be"),
        bytes(range(256)) * 8,  # binary data
        b"\xff\xfe" + "BEGIN:VCARD\r\nFN:A\r\n".encode("utf-16-le") + b"\x00\xd8",  # bad UTF-16
    ],
    ids=["latin1", "utf16le-no-bom", "utf16be-no-bom", "binary", "utf16-bom-lone-surrogate"],
)
@pytest.mark.parametrize("select", [None, "VC205", "VC1,VC2"])
def test_fix_never_writes_bytes_that_do_not_decode(
    workdir: Path, data: bytes, select: str | None
) -> None:
    path = write(workdir / "bad.vcf", data)
    options = ["--select", select] if select else []
    result = run("fix", path, *options)
    assert result.code == 1, result
    assert result.err == ""
    assert ": VC" not in result.out.replace(": VC101 [", "")  # nothing but VC101s
    assert "bad.vcf: not fixed: " in result.out
    assert "remaining: 0 errors" not in result.out
    assert (workdir / "bad.vcf").read_bytes() == data
    assert files(workdir) == ["bad.vcf", "pyproject.toml"]
    diff = run("fix", path, "--diff", *options)
    assert (diff.code, diff.err) == (1, "")
    assert "+++ " not in diff.out


def test_a_bad_byte_in_a_late_window_stops_the_file_after_earlier_windows_were_fixed(
    workdir: Path,
) -> None:
    # 300 cards: the first window (256 cards) is fixed and written to the
    # temporary file before the window holding the bad byte is read.
    data = CARD * 299 + LATIN1
    path = write(workdir / "many.vcf", data)
    result = run("fix", path, "--select", "VC101,VC205")
    assert result.out == (
        "many.vcf:1498:7: VC101 [error] the bytes e9 at byte offset 15879 are not valid UTF-8\n"
        "many.vcf:1499:7: VC101 [error] the bytes e9 at byte offset 15888 are not valid UTF-8\n"
        "many.vcf: not fixed: writing it would lose the bytes that are not UTF-8 (VC101); "
        "save it as UTF-8 first\n"
        "0 fixes applied to 0 files; 1 file checked, remaining: 2 errors, 0 warnings, 0 infos.\n"
    )
    assert (result.code, result.err) == (1, "")
    assert (workdir / "many.vcf").read_bytes() == data
    assert files(workdir) == ["many.vcf", "pyproject.toml"]


def test_fix_leaves_utf16_without_a_bom_as_it_is(workdir: Path) -> None:
    # ASCII in UTF-16 is valid UTF-8 with a NUL after each character: no
    # VC101, but no vCard text holds NULs, and a fix would garble them.
    data = CARD.decode().encode("utf-16-le")
    path = write(workdir / "utf16.vcf", data)
    result = run("fix", path)
    assert result.out == (
        "utf16.vcf: not fixed: it holds NUL bytes (UTF-16 without a byte-order mark, or not "
        "text); save it as UTF-8 first\n"
        "0 fixes applied to 0 files; 1 file checked, remaining: 0 errors, 0 warnings, 0 infos.\n"
    )
    assert (result.code, result.err) == (1, "")
    assert (workdir / "utf16.vcf").read_bytes() == data


def test_fix_leaves_a_json_file_with_bad_bytes_as_it_is(workdir: Path) -> None:
    data = b'[{"fullName": "Jos\xe9", "phoneNumber": "+20 111 111 1111"}]'
    path = write(workdir / "bad.json", data)
    result = run("fix", path, "--select", "VC101,VC4")
    assert result.out == (
        "bad.json:1:19: VC101 [error] the bytes e9 at byte offset 18 are not valid UTF-8\n"
        "bad.json: not fixed: writing it would lose the bytes that are not UTF-8 (VC101); "
        "save it as UTF-8 first\n"
        "0 fixes applied to 0 files; 1 file checked, remaining: 1 error, 0 warnings, 0 infos.\n"
    )
    assert (result.code, result.err) == (1, "")
    assert (workdir / "bad.json").read_bytes() == data


def test_a_utf16_file_is_fixed_in_utf16_and_still_reported_as_such(workdir: Path) -> None:
    # The tester's finding: windows read again after a fix lost what the
    # decoder found. VC116 still holds of the file written (UTF-16 stays).
    data = b"\xff\xfe" + CARD.decode().encode("utf-16-le")
    path = write(workdir / "u16.vcf", data)
    result = run("fix", path, "--select", "VC116,VC205")
    assert result.out == (
        "u16.vcf:4:3: VC205 fixed: pad N to five components\n"
        "1 fix applied to 1 file; 1 file checked, remaining: 0 errors, 1 warning, 0 infos.\n"
    )
    assert (result.code, result.err) == (0, "")
    assert (workdir / "u16.vcf").read_bytes() == b"\xff\xfe" + FIXED.decode().encode("utf-16-le")
    lint = run("lint", path, "--select", "VC116,VC205")
    assert lint.out == (
        "u16.vcf:1:1: VC116 [warning] the payload is UTF-16, not UTF-8\n"
        "1 file checked: 0 errors, 1 warning, 0 infos.\n"
    )
    # The library returns text, which is no longer UTF-16: what validate says of it.
    fixed = vcardkit.fix(data, select=["VC116", "VC205"])
    assert (
        fixed.remaining.diagnostics
        == vcardkit.validate(fixed.output, select=["VC116", "VC205"]).diagnostics
    )


def test_the_other_files_of_the_run_are_fixed(workdir: Path) -> None:
    write(workdir / "a.vcf", LATIN1)
    write(workdir / "b.vcf", CARD)
    result = run("fix", ".", "--select", "VC101,VC205")
    assert result.out.endswith(
        "b.vcf:4:3: VC205 fixed: pad N to five components\n"
        "1 fix applied to 1 file; 2 files checked, remaining: 2 errors, 0 warnings, 0 infos.\n"
    )
    assert (result.code, result.err) == (1, "")
    assert (workdir / "a.vcf").read_bytes() == LATIN1
    assert (workdir / "b.vcf").read_bytes() == FIXED


@pytest.mark.parametrize(
    "data",
    [LATIN1, b'[{"fullName": "Jos\xe9"}]', b"\xef\xbb\xbf" + LATIN1],
    ids=["vcf", "json", "vcf-bom"],
)
def test_library_fix_refuses_bytes_that_do_not_decode(data: bytes) -> None:
    with pytest.raises(vcardkit.VCardError) as caught:
        vcardkit.fix(data)
    assert caught.value.code == "VC101"
    assert caught.value.line == (1 if data.startswith(b"[") else 3)
    # Whatever the selection: the bytes would be lost all the same.
    with pytest.raises(vcardkit.VCardError):
        vcardkit.fix(data, select=["VC205"])


def test_library_fix_still_fixes_text_and_clean_bytes() -> None:
    assert vcardkit.fix(CARD).output == FIXED.decode()
    assert vcardkit.fix(CARD.decode()).output == FIXED.decode()


# ---------------------------------------------------------------------------
# Links, owner, modes, changes while it runs; what is printed


def test_fix_writes_a_symlinks_target_and_keeps_the_link(workdir: Path) -> None:
    write(workdir / "real" / "cards.vcf", CARD)
    os.symlink(os.path.join("real", "cards.vcf"), "cards.vcf")
    result = run("fix", "cards.vcf", "--select", "VC205")
    assert result.out == FIXED_LINE + ONE_FIX
    assert (result.code, result.err) == (0, "")
    assert os.path.islink("cards.vcf")
    assert os.readlink("cards.vcf") == os.path.join("real", "cards.vcf")
    assert (workdir / "real" / "cards.vcf").read_bytes() == FIXED
    assert files(workdir / "real") == ["cards.vcf"]


def test_fix_through_a_symlinked_folder(workdir: Path) -> None:
    write(workdir / "real" / "cards.vcf", CARD)
    os.symlink("real", "linked")
    result = run("fix", "linked", "--select", "VC205")
    assert (result.code, result.err) == (0, "")
    assert os.path.islink("linked")
    assert (workdir / "real" / "cards.vcf").read_bytes() == FIXED


def test_fix_keeps_hard_links(workdir: Path) -> None:
    path = write(workdir / "cards.vcf", CARD)
    os.link(path, "other.vcf")
    inode = os.stat(path).st_ino
    result = run("fix", path, "--select", "VC205")
    assert result.out == FIXED_LINE + ONE_FIX
    assert (result.code, result.err) == (0, "")
    # Written in place: both names are still the one file, and see the fix.
    assert os.stat(path).st_ino == inode == os.stat("other.vcf").st_ino
    assert os.stat(path).st_nlink == 2
    assert (workdir / "other.vcf").read_bytes() == FIXED
    assert files(workdir) == ["cards.vcf", "other.vcf", "pyproject.toml"]


def test_fix_in_place_truncates_a_file_that_gets_shorter(workdir: Path) -> None:
    # VC104's fix removes the blank lines before BEGIN:VCARD.
    data = b"\r\n\r\n\r\n" + FIXED
    path = write(workdir / "cards.vcf", data)
    os.link(path, "other.vcf")
    result = run("fix", path, "--select", "VC104")
    assert (result.code, result.err) == (0, "")
    assert (workdir / "other.vcf").read_bytes() == FIXED


def test_a_full_disk_fails_an_in_place_write_before_it_starts(
    workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(workdir / "cards.vcf", CARD)
    os.link(path, "other.vcf")

    def full(fd: int, offset: int, length: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "posix_fallocate", full, raising=False)
    result = run("fix", path, "--select", "VC205")
    assert result.err == (
        "vcardkit: error: cannot write cards.vcf: no space left on device; "
        "the file was left as it was\n"
    )
    assert result.code == 2
    assert (workdir / "other.vcf").read_bytes() == CARD
    assert files(workdir) == ["cards.vcf", "other.vcf", "pyproject.toml"]


def test_an_in_place_write_failing_part_way_says_so(
    workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(workdir / "cards.vcf", CARD)
    os.link(path, "other.vcf")

    def failing(fd: int, data: Any) -> int:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "write", failing)
    result = run("fix", path, "--select", "VC205")
    assert result.err == (
        "vcardkit: error: cannot write cards.vcf: input/output error, part way through "
        "writing it in place: it may hold part of the new text\n"
    )
    assert result.code == 2
    assert files(workdir) == ["cards.vcf", "other.vcf", "pyproject.toml"]


@pytest.mark.skipif(os.geteuid() != 0, reason="only root gives a file to another user")
def test_fix_keeps_the_owner(workdir: Path) -> None:
    path = write(workdir / "cards.vcf", CARD)
    os.chown(path, 1234, 5678)
    os.chmod(path, 0o640)
    result = run("fix", path, "--select", "VC205")
    assert (result.code, result.err) == (0, "")
    st = os.stat(path)
    assert (st.st_uid, st.st_gid, stat.S_IMODE(st.st_mode)) == (1234, 5678, 0o640)
    assert (workdir / "cards.vcf").read_bytes() == FIXED


@pytest.mark.skipif(os.geteuid() != 0, reason="only root gives a file to another user")
def test_fix_writes_in_place_when_the_owner_cannot_be_kept(
    workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As a user who may write another's file (group-writable) but not give
    # a new file its owner: the file is written in place, which keeps it.
    path = write(workdir / "cards.vcf", CARD)
    os.chown(path, 1234, 5678)
    inode = os.stat(path).st_ino

    def refuse(*args: Any) -> None:
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(os, "chown", refuse)
    result = run("fix", path, "--select", "VC205")
    assert (result.code, result.err) == (0, "")
    st = os.stat(path)
    assert (st.st_ino, st.st_uid, st.st_gid) == (inode, 1234, 5678)
    assert (workdir / "cards.vcf").read_bytes() == FIXED
    assert files(workdir) == ["cards.vcf", "pyproject.toml"]


@pytest.mark.parametrize("mode", [0o444, 0o400, 0o000], ids=["0444", "0400", "0000"])
def test_fix_refuses_a_read_only_file_even_as_root(workdir: Path, mode: int) -> None:
    path = write(workdir / "cards.vcf", CARD)
    os.chmod(path, mode)
    try:
        result = run("fix", path, "--select", "VC205")
    finally:
        os.chmod(path, 0o644)
    if mode == 0o000 and os.geteuid() != 0:
        assert result.code == 2  # not readable either: cannot read
    else:
        assert result.err == (
            f"vcardkit: error: cannot write cards.vcf: it is read-only (mode {mode:04o}); "
            "the file was left as it was\n"
        )
    assert result.out == (
        "0 fixes applied to 0 files; 0 files checked, remaining: 0 errors, 0 warnings, 0 infos.\n"
    )
    assert result.code == 2
    assert (workdir / "cards.vcf").read_bytes() == CARD
    assert files(workdir) == ["cards.vcf", "pyproject.toml"]


def test_a_read_only_file_with_nothing_to_fix_is_fine(workdir: Path) -> None:
    path = write(workdir / "cards.vcf", FIXED)
    os.chmod(path, 0o444)
    result = run("fix", path, "--select", "VC205")
    assert (result.code, result.err) == (0, "")


def _appending(path: Path, extra: bytes) -> Any:
    """fix_windows that appends ``extra`` to ``path`` once the first window is fixed."""
    real = _fix.fix_windows

    def fix_windows(*args: Any, **kwargs: Any) -> Iterator[Any]:
        for i, fixed in enumerate(real(*args, **kwargs)):
            if i == 0:
                with open(path, "ab") as fp:
                    fp.write(extra)
            yield fixed

    return fix_windows


def test_fix_writes_nothing_when_the_file_changes_while_it_runs(
    workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(workdir / "cards.vcf", CARD)
    monkeypatch.setattr(_fix, "fix_windows", _appending(workdir / "cards.vcf", CARD))
    result = run("fix", path, "--select", "VC205")
    assert result.err == (
        "vcardkit: error: cannot write cards.vcf: it changed since it was read; "
        "the file was left as it was\n"
    )
    assert result.out == (
        "0 fixes applied to 0 files; 0 files checked, remaining: 0 errors, 0 warnings, 0 infos.\n"
    )
    assert result.code == 2
    # The card appended meanwhile is there; nothing of the fix is.
    assert (workdir / "cards.vcf").read_bytes() == CARD + CARD
    assert files(workdir) == ["cards.vcf", "pyproject.toml"]


def test_fix_writes_nothing_when_a_hard_linked_file_changes(
    workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(workdir / "cards.vcf", CARD)
    os.link(path, "other.vcf")
    monkeypatch.setattr(_fix, "fix_windows", _appending(workdir / "other.vcf", CARD))
    result = run("fix", path, "--select", "VC205")
    assert result.code == 2
    assert "it changed since it was read" in result.err
    assert (workdir / "cards.vcf").read_bytes() == CARD + CARD


def test_a_failed_write_prints_none_of_the_files_fixes(
    workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A read-only folder, as root sees one: the rename is refused.
    write(workdir / "a.vcf", CARD)
    write(workdir / "b.vcf", CARD)
    real = os.replace

    def refuse(src: str, dst: str) -> None:
        if dst.endswith("a.vcf"):
            raise PermissionError(13, "Permission denied", dst)
        real(src, dst)

    monkeypatch.setattr(os, "replace", refuse)
    result = run("fix", ".", "--select", "VC205")
    assert result.out == (
        "b.vcf:4:3: VC205 fixed: pad N to five components\n"
        "1 fix applied to 1 file; 1 file checked, remaining: 0 errors, 0 warnings, 0 infos.\n"
    )
    assert result.err == (
        "vcardkit: error: cannot write a.vcf: permission denied; the file was left as it was\n"
    )
    assert result.code == 2
    assert (workdir / "a.vcf").read_bytes() == CARD
    assert (workdir / "b.vcf").read_bytes() == FIXED


def test_a_large_report_is_held_on_disk_and_printed_whole(
    workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(workdir / "cards.vcf", CARD * 300)
    expected = run("fix", path, "--select", "VC205", "--diff")
    monkeypatch.setattr(_fix, "_HOLD_MEMORY", 64)  # spill after 64 bytes, read back in 64s
    spilled = run("fix", path, "--select", "VC205", "--diff")
    assert (spilled.code, spilled.err, spilled.out) == (expected.code, expected.err, expected.out)
    assert spilled.out.count(" fixed: ") == 300
    assert spilled.out.count("+N:;Ann;;;") == 300
    written = run("fix", path, "--select", "VC205")
    assert written.out.count(" fixed: ") == 300
    assert (workdir / "cards.vcf").read_bytes() == FIXED * 300


def test_fix_does_not_count_a_file_it_cannot_read(
    workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    good = write(workdir / "good.vcf", FIXED)
    bad = write(workdir / "bad.vcf", FIXED)
    monkeypatch.setattr(_fix, "open", failing_open("bad.vcf"), raising=False)
    result = run("fix", good, bad, "--select", "VC2")
    assert result.out == (
        "0 fixes applied to 0 files; 1 file checked, remaining: 0 errors, 0 warnings, 0 infos.\n"
    )
    assert result.err == "vcardkit: error: cannot read bad.vcf: input/output error\n"
    assert result.code == 2
