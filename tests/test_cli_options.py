"""The flags people reach for first, as ruff has them: return code, stdout and stderr together.

``--version``, ``lint`` with no path, ``--exit-zero``, ``--statistics``,
``-q``, ``-o``, ``--output-format``, infos hidden from the text format,
"did you mean" for a misspelt command or flag, ``rules --format json``, and
colour (``FORCE_COLOR``, ``NO_COLOR``, ``--color``). Expected outputs are
worked out by hand from the cards below (see test_cli_lint.py for the rules).
"""

from __future__ import annotations

import io
import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.clitools import run, write
from vcardkit._cli import _lint
from vcardkit._cli._lint import lint_targets
from vcardkit._cli._output import use_color
from vcardkit._rules._diagnostic import Diagnostic

# No N (VC204 [error] at 1:1) and LF endings (VC103 [info] at 1:12: the LF
# after the 11 characters of "BEGIN:VCARD").
FAULTY = b"BEGIN:VCARD\nVERSION:3.0\nFN:Ann\nORG:Wawp HQ\nEND:VCARD\n"
# The same with an N: only VC103 of the two.
LF_ONLY = b"BEGIN:VCARD\nVERSION:3.0\nN:;Ann;;;\nFN:Ann\nORG:Wawp HQ\nEND:VCARD\n"
VC204 = "VC204 [error] the card has no N (structured name)"
VC103 = "VC103 [info] lines end in LF, not CRLF"
# Nothing from the environment the tests run in decides colour.
PLAIN = {"NO_COLOR": "", "FORCE_COLOR": ""}


# ---------------------------------------------------------------------------
# --version


@pytest.mark.parametrize("flag", ["--version", "-V"])
def test_version(flag: str) -> None:
    result = run(flag)
    # pyproject.toml's version is 0.1.0, and vcardkit.__version__ says it.
    assert (result.code, result.out, result.err) == (0, "vcardkit 0.1.0\n", "")


# ---------------------------------------------------------------------------
# lint with no path: the current folder


def test_lint_without_a_path_lints_the_current_folder(workdir: Path) -> None:
    write(workdir / "faulty.vcf", FAULTY)
    write(workdir / "sub" / "b.vcf", FAULTY)
    result = run("lint", "--select", "VC204")
    # The folder's own file first, then the subfolder's (as os.walk goes),
    # named from the current folder without "./", as ruff names them.
    assert (result.code, result.err) == (1, "")
    assert result.out == (
        f"faulty.vcf:1:1: {VC204}\nsub/b.vcf:1:1: {VC204}\n"
        "2 files checked: 2 errors, 0 warnings, 0 infos.\n"
    )
    assert run("lint", ".", "--select", "VC204").out == result.out


# ---------------------------------------------------------------------------
# --exit-zero


def test_exit_zero_with_problems(workdir: Path) -> None:
    path = write(workdir / "faulty.vcf", FAULTY)
    result = run("lint", path, "--select", "VC204", "--exit-zero")
    assert (result.code, result.out, result.err) == (
        0,
        f"faulty.vcf:1:1: {VC204}\n1 file checked: 1 error, 0 warnings, 0 infos.\n",
        "",
    )


def test_exit_zero_keeps_exit_2_for_io_and_usage_errors(workdir: Path) -> None:
    path = write(workdir / "faulty.vcf", FAULTY)
    missing = run("lint", path, "nope.vcf", "--select", "VC204", "--exit-zero")
    assert (missing.code, missing.out, missing.err) == (
        2,
        f"faulty.vcf:1:1: {VC204}\n1 file checked: 1 error, 0 warnings, 0 infos.\n",
        "vcardkit: error: cannot read nope.vcf: no such file or directory\n",
    )
    bad = run("lint", path, "--select", "VC999", "--exit-zero")
    assert (bad.code, bad.out) == (2, "")
    assert bad.err.startswith("vcardkit: error: --select: 'VC999' names no rule")


# ---------------------------------------------------------------------------
# --statistics


@pytest.fixture
def three(workdir: Path) -> Path:
    """a.vcf and b.vcf: VC204 and VC103 each; c.vcf: VC103 only. So VC103 3, VC204 2."""
    write(workdir / "a.vcf", FAULTY)
    write(workdir / "b.vcf", FAULTY)
    write(workdir / "c.vcf", LF_ONLY)
    return workdir


def test_statistics_text(three: Path) -> None:
    result = run("lint", "--select", "VC204,VC103", "--statistics")
    # Most frequent first; the count right-aligned in four columns (ruff's
    # look); the summary counts the infos, none hidden (a count drowns
    # nothing); exit 1 as usual, for the two errors.
    assert (result.code, result.err) == (1, "")
    assert result.out == (
        "   3  VC103  line-ending\n"
        "   2  VC204  missing-n\n"
        "3 files checked: 2 errors, 0 warnings, 3 infos.\n"
    )
    quiet = run("lint", "--select", "VC204,VC103", "--statistics", "-q")
    assert (quiet.code, quiet.out, quiet.err) == (
        1,
        "   3  VC103  line-ending\n   2  VC204  missing-n\n",
        "",
    )


def test_statistics_ties_are_by_code(three: Path) -> None:
    (three / "c.vcf").unlink()
    result = run("lint", "--select", "VC204,VC103", "--statistics", "-q")
    # 2 and 2: VC103 before VC204.
    assert (result.code, result.out, result.err) == (
        1,
        "   2  VC103  line-ending\n   2  VC204  missing-n\n",
        "",
    )


def test_statistics_json(three: Path) -> None:
    result = run("lint", "--select", "VC204,VC103", "--statistics", "--format", "json")
    assert (result.code, result.err) == (1, "")
    assert json.loads(result.out) == [
        {"code": "VC103", "name": "line-ending", "severity": "info", "count": 3},
        {"code": "VC204", "name": "missing-n", "severity": "error", "count": 2},
    ]


def test_statistics_of_a_clean_run(workdir: Path) -> None:
    write(workdir / "c.vcf", LF_ONLY)
    text = run("lint", "--select", "VC204", "--statistics")
    assert (text.code, text.out, text.err) == (
        0,
        "1 file checked: 0 errors, 0 warnings, 0 infos.\n",
        "",
    )
    as_json = run("lint", "--select", "VC204", "--statistics", "--format", "json")
    assert (as_json.code, as_json.out, as_json.err) == (0, "[]\n", "")


def test_statistics_under_github_actions_is_text(three: Path) -> None:
    # github is the default format there, but --statistics has no github
    # form: without --format it is the table.
    result = run("lint", "--select", "VC204", "--statistics", env={"GITHUB_ACTIONS": "true"})
    assert (result.code, result.out, result.err) == (
        1,
        "   2  VC204  missing-n\n3 files checked: 2 errors, 0 warnings, 0 infos.\n",
        "",
    )


@pytest.mark.parametrize("fmt", ["sarif", "github"])
def test_statistics_refuses_sarif_and_github(three: Path, fmt: str) -> None:
    result = run("lint", "--statistics", "--format", fmt)
    assert (result.code, result.out, result.err) == (
        2,
        "",
        f"vcardkit: error: --statistics takes --format text or json, not {fmt}\n",
    )


# ---------------------------------------------------------------------------
# -q / --quiet


def test_quiet_prints_only_the_diagnostics(workdir: Path) -> None:
    path = write(workdir / "faulty.vcf", FAULTY)
    result = run("lint", path, "--select", "VC204", "-q")
    assert (result.code, result.out, result.err) == (1, f"faulty.vcf:1:1: {VC204}\n", "")
    clean = run("lint", path, "--select", "VC103", "--quiet")
    # Only an info, hidden: nothing at all to print, and exit 0.
    assert (clean.code, clean.out, clean.err) == (0, "", "")


def test_quiet_leaves_json_whole(workdir: Path) -> None:
    path = write(workdir / "faulty.vcf", FAULTY)
    result = run("lint", path, "--select", "VC204", "-q", "--format", "json")
    assert (result.code, result.err) == (1, "")
    assert [d["code"] for d in json.loads(result.out)] == ["VC204"]


# ---------------------------------------------------------------------------
# -o / --output-file


def test_output_file(workdir: Path) -> None:
    path = write(workdir / "faulty.vcf", FAULTY)
    (workdir / "report.txt").write_text("old report\n", encoding="utf-8")
    result = run("lint", path, "--select", "VC204", "-o", "report.txt")
    assert (result.code, result.out, result.err) == (1, "", "")
    assert (workdir / "report.txt").read_text(encoding="utf-8") == (
        f"faulty.vcf:1:1: {VC204}\n1 file checked: 1 error, 0 warnings, 0 infos.\n"
    )
    as_json = run("lint", path, "--select", "VC204", "--output-file", "r.json", "--format", "json")
    assert (as_json.code, as_json.out, as_json.err) == (1, "", "")
    assert [d["code"] for d in json.loads((workdir / "r.json").read_text("utf-8"))] == ["VC204"]


def test_output_file_errors_still_go_to_stderr(workdir: Path) -> None:
    path = write(workdir / "faulty.vcf", FAULTY)
    result = run("lint", path, "nope.vcf", "--select", "VC204", "-o", "report.txt")
    assert (result.code, result.out, result.err) == (
        2,
        "",
        "vcardkit: error: cannot read nope.vcf: no such file or directory\n",
    )
    # The report of what could be read is written all the same.
    assert (workdir / "report.txt").read_text(encoding="utf-8") == (
        f"faulty.vcf:1:1: {VC204}\n1 file checked: 1 error, 0 warnings, 0 infos.\n"
    )


def test_output_file_that_cannot_be_written(workdir: Path) -> None:
    path = write(workdir / "faulty.vcf", FAULTY)
    result = run("lint", path, "-o", "no/such/folder/report.txt")
    assert (result.code, result.out, result.err) == (
        2,
        "",
        "vcardkit: error: cannot write no/such/folder/report.txt: no such file or directory\n",
    )


def test_output_file_is_replaced_only_at_the_end(
    workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run stopped part way (Ctrl-C here) leaves the old report, and no temporary file."""
    path = write(workdir / "faulty.vcf", FAULTY)
    (workdir / "report.txt").write_text("old report\n", encoding="utf-8")
    real = lint_targets

    def interrupted(*args: object, **kwargs: object) -> Iterator[list[Diagnostic]]:
        yield from real(*args, **kwargs)  # type: ignore[arg-type]
        raise KeyboardInterrupt

    # _main imports lint_targets from the lint module when lint runs.
    monkeypatch.setattr(_lint, "lint_targets", interrupted)
    result = run("lint", path, "--select", "VC204", "-o", "report.txt")
    assert (result.code, result.out, result.err) == (130, "", "")
    assert (workdir / "report.txt").read_text(encoding="utf-8") == "old report\n"
    assert sorted(p.name for p in workdir.iterdir()) == [
        "faulty.vcf",
        "pyproject.toml",
        "report.txt",
    ]


# ---------------------------------------------------------------------------
# --output-format


def test_output_format_is_format(workdir: Path) -> None:
    path = write(workdir / "faulty.vcf", FAULTY)
    long = run("lint", path, "--select", "VC204", "--output-format", "github")
    short = run("lint", path, "--select", "VC204", "--format", "github")
    assert (long.code, long.out, long.err) == (short.code, short.out, short.err)
    # VC204 spans the BEGIN line, "BEGIN:VCARD": columns 1 to 12.
    assert long.out == (
        "::error file=faulty.vcf,line=1,col=1,endLine=1,endColumn=12,title=VC204 missing-n::"
        "the card has no N (structured name)\n"
    )


# ---------------------------------------------------------------------------
# infos: hidden from text, counted; every finding in the other formats


def test_text_hides_infos_and_counts_them(workdir: Path) -> None:
    path = write(workdir / "faulty.vcf", FAULTY)
    result = run("lint", path, "--select", "VC204,VC103")
    assert (result.code, result.err) == (1, "")
    assert result.out == (
        f"faulty.vcf:1:1: {VC204}\n"
        "1 file checked: 1 error, 0 warnings, 1 info (hidden: --show-infos shows it).\n"
    )
    shown = run("lint", path, "--select", "VC204,VC103", "--show-infos")
    assert (shown.code, shown.err) == (1, "")
    assert shown.out == (
        f"faulty.vcf:1:1: {VC204}\nfaulty.vcf:1:12: {VC103}\n"
        "1 file checked: 1 error, 0 warnings, 1 info.\n"
    )


def test_hidden_infos_are_plural(three: Path) -> None:
    result = run("lint", "--select", "VC103")
    # Three files with LF endings: three infos, none shown, and exit 0
    # (fail-on is error).
    assert (result.code, result.out, result.err) == (
        0,
        "3 files checked: 0 errors, 0 warnings, 3 infos (hidden: --show-infos shows them).\n",
        "",
    )


def test_infos_never_change_the_exit_code(workdir: Path) -> None:
    path = write(workdir / "c.vcf", LF_ONLY)
    hidden = run("lint", path, "--select", "VC103")
    shown = run("lint", path, "--select", "VC103", "--show-infos")
    assert (hidden.code, shown.code) == (0, 0)
    # Unless --fail-on info asks: then they fail the run, and are shown
    # (an exit 1 with nothing printed would say nothing).
    failing = run("lint", path, "--select", "VC103", "--fail-on", "info")
    assert (failing.code, failing.out, failing.err) == (
        1,
        f"c.vcf:1:12: {VC103}\n1 file checked: 0 errors, 0 warnings, 1 info.\n",
        "",
    )


@pytest.mark.parametrize("fmt", ["json", "sarif", "github"])
def test_machine_formats_keep_the_infos(workdir: Path, fmt: str) -> None:
    path = write(workdir / "faulty.vcf", FAULTY)
    result = run("lint", path, "--select", "VC204,VC103", "--format", fmt)
    assert (result.code, result.err) == (1, "")
    if fmt == "json":
        codes = [d["code"] for d in json.loads(result.out)]
    elif fmt == "sarif":
        codes = [r["ruleId"] for r in json.loads(result.out)["runs"][0]["results"]]
    else:
        codes = [line.split("title=")[1].split()[0] for line in result.out.splitlines()]
    assert codes == ["VC204", "VC103"]


# ---------------------------------------------------------------------------
# did you mean


def test_misspelt_command() -> None:
    result = run("lnt", "cards/")
    assert (result.code, result.out, result.err) == (
        2,
        "",
        "usage: vcardkit [-h] [-V] COMMAND ...\n"
        "vcardkit: error: unknown command 'lnt'; did you mean 'lint'?\n",
    )


def test_unknown_command_with_nothing_close() -> None:
    result = run("zzz")
    assert (result.code, result.out, result.err) == (
        2,
        "",
        "usage: vcardkit [-h] [-V] COMMAND ...\n"
        "vcardkit: error: unknown command 'zzz' "
        "(one of convert, fix, preview, lint, rules, schema)\n",
    )


@pytest.mark.parametrize("argv", [["--formt", "json"], ["--formt=json"]])
def test_misspelt_flag(workdir: Path, argv: list[str]) -> None:
    write(workdir / "faulty.vcf", FAULTY)
    result = run("lint", *argv)
    assert (result.code, result.out, result.err) == (
        2,
        "",
        "usage: vcardkit lint [options] [PATH ...]\n"
        "vcardkit: error: unknown option '--formt'; did you mean '--format'?\n",
    )


def test_misspelt_flag_of_another_command_and_the_top_level() -> None:
    rules = run("rules", "VC404", "--fromat", "json")
    assert (rules.code, rules.out, rules.err) == (
        2,
        "",
        "usage: vcardkit rules [options] [CODE]\n"
        "vcardkit: error: unknown option '--fromat'; did you mean '--format'?\n",
    )
    top = run("--verison")
    assert (top.code, top.out, top.err) == (
        2,
        "",
        "usage: vcardkit [-h] [-V] COMMAND ...\n"
        "vcardkit: error: unknown option '--verison'; did you mean '--version'?\n",
    )


def test_extra_argument() -> None:
    result = run("rules", "VC404", "VC405")
    assert (result.code, result.out, result.err) == (
        2,
        "",
        "usage: vcardkit rules [options] [CODE]\nvcardkit: error: unexpected argument 'VC405'\n",
    )


# ---------------------------------------------------------------------------
# rules


def test_rules_json() -> None:
    result = run("rules", "--format", "json")
    assert (result.code, result.err) == (0, "")
    rules = json.loads(result.out)
    assert len(rules) == 66  # VC101..VC7xx, the catalogue of docs/rules/index.md
    assert all(set(r) == {"code", "name", "severity", "profile", "summary"} for r in rules)
    by_code = {r["code"]: r for r in rules}
    # README "rules": VC404 waid-format, error, profile wa, and its summary.
    assert by_code["VC404"] == {
        "code": "VC404",
        "name": "waid-format",
        "severity": "error",
        "profile": "wa",
        "summary": "the WhatsApp id is not 7 to 15 digits.",
    }
    assert [r["code"] for r in rules] == sorted(by_code)


def test_rules_code_says_where_its_documentation_is() -> None:
    result = run("rules", "VC404")
    assert (result.code, result.err) == (0, "")
    assert result.out.startswith("VC404 waid-format  (default severity: error; profile: wa)\n")
    assert result.out.endswith(
        "\n\nFull documentation: https://vcardkit.readthedocs.io/en/latest/rules/VC404/ "
        "(docs/rules/VC404.md in the repository)\n"
    )


def test_rules_code_json() -> None:
    result = run("rules", "waid-format", "--format", "json")
    assert (result.code, result.err) == (0, "")
    rule = json.loads(result.out)
    assert set(rule) == {"code", "name", "severity", "profile", "summary", "documentation", "url"}
    assert (rule["code"], rule["url"]) == (
        "VC404",
        "https://vcardkit.readthedocs.io/en/latest/rules/VC404/",
    )
    # The docstring: its first line, then Why, Fails and Fix.
    assert rule["documentation"].startswith("VC404 waid-format — ")
    assert "\nWhy: " in rule["documentation"]
    assert "\nFix: " in rule["documentation"]


# ---------------------------------------------------------------------------
# colour


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    ("env", "mode", "tty", "expected"),
    [
        ({}, "auto", True, True),
        ({}, "auto", False, False),
        ({"FORCE_COLOR": "1"}, "auto", False, True),  # forced when not a terminal
        ({"FORCE_COLOR": ""}, "auto", False, False),  # empty: not set
        ({"NO_COLOR": "1"}, "auto", True, False),
        ({"NO_COLOR": ""}, "auto", True, True),  # empty: not set
        ({"NO_COLOR": "1", "FORCE_COLOR": "1"}, "auto", True, False),  # NO_COLOR first
        ({"FORCE_COLOR": "1", "TERM": "dumb"}, "auto", False, True),
        ({"TERM": "dumb"}, "auto", True, False),
        ({"FORCE_COLOR": "1"}, "never", True, False),  # the command line first
        ({"NO_COLOR": "1"}, "always", False, True),
    ],
)
def test_colour_precedence(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], mode: str, tty: bool, expected: bool
) -> None:
    for name in ("NO_COLOR", "FORCE_COLOR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TERM", "xterm")
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert use_color(_Tty() if tty else io.StringIO(), mode) is expected


def test_force_color_on_the_command_line(workdir: Path) -> None:
    path = write(workdir / "faulty.vcf", FAULTY)
    forced = run("lint", path, "--select", "VC204", "-q", env={**PLAIN, "FORCE_COLOR": "1"})
    # text_line's colours: the place bold, the code and severity red (an error).
    assert (forced.code, forced.out, forced.err) == (
        1,
        "\x1b[1mfaulty.vcf:1:1:\x1b[0m \x1b[31mVC204\x1b[0m [\x1b[31merror\x1b[0m] "
        "the card has no N (structured name)\n",
        "",
    )
    never = run(
        "lint", path, "--select", "VC204", "-q", "--color", "never", env={"FORCE_COLOR": "1"}
    )
    assert (never.code, never.out, never.err) == (1, f"faulty.vcf:1:1: {VC204}\n", "")
    off = run("lint", path, "--select", "VC204", "-q", env={"FORCE_COLOR": "1", "NO_COLOR": "1"})
    assert (off.code, off.out, off.err) == (1, f"faulty.vcf:1:1: {VC204}\n", "")


def test_colour_goes_to_the_output_file_only_when_forced(workdir: Path) -> None:
    path = write(workdir / "faulty.vcf", FAULTY)
    plain = run("lint", path, "--select", "VC204", "-q", "-o", "r.txt", env=PLAIN)
    assert (plain.code, plain.out, plain.err) == (1, "", "")
    assert (workdir / "r.txt").read_text("utf-8") == f"faulty.vcf:1:1: {VC204}\n"
    forced = run("lint", path, "--select", "VC204", "-q", "-o", "r.txt", "--color", "always")
    assert (forced.code, forced.out, forced.err) == (1, "", "")
    assert "\x1b[31mVC204\x1b[0m" in (workdir / "r.txt").read_text("utf-8")


def test_rules_code_explains_the_source_tags_it_uses() -> None:
    # VC204's reason ends "nameless contacts in WhatsApp [U]": the legend
    # says what [U] is, and nothing about [WA], which VC204 does not use.
    result = run("rules", "VC204")
    assert (result.code, result.err) == (0, "")
    assert "\n[U]: problems users of WhatsApp senders report\n" in result.out
    assert "[WA]: " not in result.out
    # VC101 (bytes that are not UTF-8) cites no source tag: no legend.
    result = run("rules", "VC101")
    assert (result.code, result.err) == (0, "")
    assert "[U]: " not in result.out and "[WA]: " not in result.out
    # VC409 cites [WA, Cloud API]: both sources are explained.
    result = run("rules", "VC409")
    assert (result.code, result.err) == (0, "")
    assert "\n[WA]: what WhatsApp's Android client was seen to do when it read cards\n" in (
        result.out
    )
    assert "\nCloud API: what the WhatsApp Cloud API documents\n" in result.out


def test_output_file_that_is_an_input_is_refused(workdir: Path) -> None:
    """-o naming a file being linted (by its name, a hard link or a symlink) replaces nothing."""
    card = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann\r\nEND:VCARD\r\n"
    (workdir / "a.vcf").write_text(card, encoding="utf-8", newline="")
    os.link(workdir / "a.vcf", workdir / "hard.vcf.txt")
    os.symlink(workdir / "a.vcf", workdir / "soft.txt")
    for output in ("a.vcf", "hard.vcf.txt", "soft.txt"):
        result = run("lint", "a.vcf", "-o", output)
        assert (result.code, result.out) == (2, "")
        assert result.err == (
            f"vcardkit: error: -o {output} is a.vcf, a file being linted: "
            "the report would replace it\n"
        )
        assert (workdir / "a.vcf").read_bytes() == card.encode()
    # A folder walk finds it too.
    result = run("lint", ".", "-o", "a.vcf")
    assert result.code == 2
    assert result.err.endswith("the report would replace it\n")
    assert (workdir / "a.vcf").read_bytes() == card.encode()
