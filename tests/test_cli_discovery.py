"""Which files a folder walk lints: .gitignore in a git work tree, exclude, named paths.

The repositories are real (``git init`` in a temporary folder). The expected
file lists are worked out by hand from gitignore(5), and each is checked
against git's own answer too (``git ls-files --others --exclude-standard``
lists the files git does not ignore), which vcardkit never runs itself.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.clitools import run, write

# Every file is this card: one VC204 [error] at 1:1, so each linted file is
# one output line naming it.
FAULTY = b"BEGIN:VCARD\nVERSION:3.0\nFN:Ann\nORG:Wawp HQ\nEND:VCARD\n"


def _linted(out: str) -> list[str]:
    """The files named in a text output (one VC204 line each), without the summary."""
    return [line.split(":", 1)[0] for line in out.splitlines()[:-1]]


def _summary(files: int) -> str:
    s = "" if files == 1 else "s"
    return f"{files} file{s} checked: {files} error{s}, 0 warnings, 0 infos."


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=repo, check=True, capture_output=True, text=True
    ).stdout


def _git_unignored(repo: Path) -> list[str]:
    """The .vcf files git does not ignore, in the walk's order (a folder's files first)."""
    names = _git(repo, "ls-files", "--others", "--exclude-standard").split()
    vcf = [n for n in names if n.endswith(".vcf")]
    return sorted(vcf, key=lambda n: (n.split("/")[:-1], n.split("/")[-1]))


@pytest.fixture
def repo(workdir: Path) -> Path:
    """A git work tree with a root and a nested .gitignore, and .git/info/exclude."""
    _git(workdir, "init", "-q", ".")
    (workdir / ".gitignore").write_text(
        "# exports and build output\n"
        "build/\n"  # a directory pattern, at any depth
        "!build/keep.vcf\n"  # cannot re-include: its folder is ignored (gitignore(5))
        "*.tmp.vcf\n"
        "secret*.vcf\n"
        "!secret-ok.vcf\n"  # negation: re-included
        "/anchored.vcf\n",  # only at the root
        encoding="utf-8",
    )
    (workdir / "sub").mkdir()
    (workdir / "sub" / ".gitignore").write_text(
        "local.vcf\n!keep.tmp.vcf\n",  # deeper: overrides the root's *.tmp.vcf
        encoding="utf-8",
    )
    (workdir / ".git" / "info").mkdir(exist_ok=True)
    (workdir / ".git" / "info" / "exclude").write_text("mine.vcf\n", encoding="utf-8")
    for name in [
        "a.vcf",
        "anchored.vcf",
        "local.vcf",
        "mine.vcf",
        "secret-ok.vcf",
        "secret1.vcf",
        "x.tmp.vcf",
        "build/b.vcf",
        "build/keep.vcf",
        "sub/anchored.vcf",
        "sub/keep.tmp.vcf",
        "sub/local.vcf",
        "sub/other.tmp.vcf",
        "sub/build/c.vcf",
    ]:
        write(workdir / name, FAULTY)
    return workdir


# By hand: the root's a.vcf, local.vcf (sub's pattern is sub's only) and
# secret-ok.vcf (re-included); not anchored.vcf, mine.vcf (info/exclude),
# secret1.vcf, x.tmp.vcf, nor build/ (keep.vcf too: its folder is ignored).
# In sub: anchored.vcf (the pattern is anchored at the root) and
# keep.tmp.vcf (sub's negation wins over the root's *.tmp.vcf); not
# local.vcf, other.tmp.vcf, nor sub/build/.
EXPECTED = [
    "a.vcf",
    "local.vcf",
    "secret-ok.vcf",
    "sub/anchored.vcf",
    "sub/keep.tmp.vcf",
]


def test_gitignore_is_respected(repo: Path) -> None:
    assert _git_unignored(repo) == EXPECTED  # git agrees with the list above
    result = run("lint", "--select", "VC204")
    assert (result.code, result.err) == (1, "")
    assert _linted(result.out) == EXPECTED
    assert result.out.splitlines()[-1] == _summary(5)


def test_gitignore_applies_from_a_subfolder_and_above_it(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Walking sub/ (from the root, and from inside it): the root's
    # .gitignore still applies there (other.tmp.vcf, build/), as git reads
    # every .gitignore up to the work tree's root.
    from_root = run("lint", "sub", "--select", "VC204")
    assert (from_root.code, from_root.err) == (1, "")
    assert _linted(from_root.out) == ["sub/anchored.vcf", "sub/keep.tmp.vcf"]
    monkeypatch.chdir(repo / "sub")
    inside = run("lint", "--select", "VC204")
    assert (inside.code, inside.err) == (1, "")
    assert _linted(inside.out) == ["anchored.vcf", "keep.tmp.vcf"]


def test_a_path_named_explicitly_is_always_linted(repo: Path) -> None:
    files = run("lint", "build/b.vcf", "x.tmp.vcf", "mine.vcf", "--select", "VC204")
    assert (files.code, files.err) == (1, "")
    assert _linted(files.out) == ["build/b.vcf", "x.tmp.vcf", "mine.vcf"]
    # An ignored folder named explicitly is walked: "build/" does not apply
    # inside the build folder it names (its files were asked for).
    folder = run("lint", "build", "--select", "VC204")
    assert (folder.code, folder.err) == (1, "")
    assert _linted(folder.out) == ["build/b.vcf", "build/keep.vcf"]
    # ...while the other patterns still do: sub/build/ is named, but in it
    # a *.tmp.vcf is ignored all the same.
    write(repo / "sub" / "build" / "d.tmp.vcf", FAULTY)
    nested = run("lint", "sub/build", "--select", "VC204")
    assert (nested.code, nested.err) == (1, "")
    assert _linted(nested.out) == ["sub/build/c.vcf"]


def test_outside_a_git_work_tree_gitignore_is_not_read(workdir: Path) -> None:
    (workdir / ".gitignore").write_text("*.vcf\n", encoding="utf-8")
    write(workdir / "a.vcf", FAULTY)
    result = run("lint", "--select", "VC204")
    assert (result.code, result.out, result.err) == (
        1,
        "a.vcf:1:1: VC204 [error] the card has no N (structured name)\n" + _summary(1) + "\n",
        "",
    )


def test_fix_walks_folders_the_same_way(repo: Path) -> None:
    result = run("fix", ".", "--select", "VC204", "--diff")
    assert (result.code, result.err) == (0, "")
    fixed = [line.split(":", 1)[0] for line in result.out.splitlines() if " fixed: " in line]
    assert fixed == EXPECTED


# ---------------------------------------------------------------------------
# exclude, extend-exclude, --exclude


def config(workdir: Path, body: str) -> None:
    (workdir / "pyproject.toml").write_text(f"[tool.vcardkit]\n{body}", encoding="utf-8")


@pytest.fixture
def tree(workdir: Path) -> Path:
    """Not a git work tree: a.vcf, legacy/old.vcf, data/new.vcf, .hidden/h.vcf."""
    for name in ["a.vcf", "legacy/old.vcf", "data/new.vcf", ".hidden/h.vcf"]:
        write(workdir / name, FAULTY)
    return workdir


def test_hidden_folders_are_excluded_by_default(tree: Path) -> None:
    result = run("lint", "--select", "VC204")
    assert (result.code, result.err) == (1, "")
    assert _linted(result.out) == ["a.vcf", "data/new.vcf", "legacy/old.vcf"]


def test_extend_exclude_adds_and_exclude_replaces(tree: Path) -> None:
    config(tree, 'extend-exclude = ["legacy/"]\n')
    extended = run("lint", "--select", "VC204")
    assert (extended.code, extended.err) == (1, "")
    assert _linted(extended.out) == ["a.vcf", "data/new.vcf"]
    # exclude replaces the default list, hidden folders and all (ruff's).
    config(tree, 'exclude = ["legacy/"]\n')
    replaced = run("lint", "--select", "VC204")
    assert (replaced.code, replaced.err) == (1, "")
    assert _linted(replaced.out) == ["a.vcf", ".hidden/h.vcf", "data/new.vcf"]


def test_exclude_flag_adds_to_the_file(tree: Path) -> None:
    config(tree, 'extend-exclude = ["legacy/"]\n')
    result = run("lint", "--select", "VC204", "--exclude", "new.vcf", "--exclude", "/a.vcf")
    # new.vcf (no slash) matches at any depth; /a.vcf only at the root.
    assert (result.code, result.out, result.err) == (0, _summary(0) + "\n", "")


def test_exclude_negation_and_explicit_paths(tree: Path) -> None:
    config(tree, 'extend-exclude = ["*.vcf", "!data/*.vcf"]\n')
    walked = run("lint", "--select", "VC204")
    assert (walked.code, walked.err) == (1, "")
    assert _linted(walked.out) == ["data/new.vcf"]
    named = run("lint", "a.vcf", "legacy", "--select", "VC204")
    # A named file is linted; a named folder is walked, and "*.vcf" still
    # excludes the files in it (the pattern does not match the folder).
    assert (named.code, named.err) == (1, "")
    assert _linted(named.out) == ["a.vcf"]


def test_an_excluded_folder_named_explicitly_is_linted(tree: Path) -> None:
    result = run("lint", "legacy", ".hidden", "--exclude", "legacy", "--select", "VC204")
    assert (result.code, result.err) == (1, "")
    assert _linted(result.out) == ["legacy/old.vcf", ".hidden/h.vcf"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            'exclude = "legacy/"\n',
            'exclude: expected a list of gitignore-style patterns (like ["old/"])',
        ),
        ('extend-exclude = ["!"]\n', "extend-exclude: '!' is not a gitignore pattern"),
        ("extend_exclude = []\n", "unknown key 'extend_exclude'; did you mean 'extend-exclude'?"),
    ],
)
def test_bad_exclude_is_exit_2(tree: Path, body: str, message: str) -> None:
    config(tree, body)
    result = run("lint", "--select", "VC204")
    assert (result.code, result.out) == (2, "")
    assert result.err == (
        f"vcardkit: error: {tree / 'pyproject.toml'} [tool.vcardkit]: {message}\n"
    )


def test_bad_exclude_flag_is_exit_2(tree: Path) -> None:
    result = run("lint", "--exclude", "!")
    assert (result.code, result.out, result.err) == (
        2,
        "",
        "vcardkit: error: --exclude: '!' is not a gitignore pattern\n",
    )
