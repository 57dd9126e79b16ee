"""``vcardkit lint`` and ``vcardkit rules``: return code, stdout and stderr asserted together.

Expected diagnostics are worked out by hand from docs/rules/index.md; most runs pin the
rules with ``--select`` so that a rule added later does not change them.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import vcardkit
from tests.clitools import run, write
from tests.sarif import assert_valid_sarif
from vcardkit._cli._output import use_color

# A clean card: N, FN, ORG, a valid Egyptian mobile with its waid, CRLF.
CLEAN = (
    b"BEGIN:VCARD\r\n"
    b"VERSION:3.0\r\n"
    b"N:;Wawp Support;;;\r\n"
    b"FN:Wawp Support\r\n"
    b"ORG:Wawp HQ\r\n"
    b"TEL;type=CELL;type=VOICE;waid=201111111111:+201111111111\r\n"
    b"END:VCARD\r\n"
)
# No N (VC204 at the BEGIN line, 1:1) and LF endings (VC103 at line 1,
# column 12: "BEGIN:VCARD" is 11 characters, the LF is the 12th).
FAULTY = b"BEGIN:VCARD\nVERSION:3.0\nFN:Ann\nORG:Wawp HQ\nEND:VCARD\n"


# ---------------------------------------------------------------------------
# text


def test_text_clean_file(workdir: Path) -> None:
    path = write(workdir / "clean.vcf", CLEAN)
    result = run("lint", path)
    assert (result.code, result.out, result.err) == (
        0,
        "1 file checked: 0 errors, 0 warnings, 0 infos.\n",
        "",
    )


def test_text_faulty_file(workdir: Path) -> None:
    path = write(workdir / "faulty.vcf", FAULTY)
    result = run("lint", path, "--select", "VC204,VC103", "--show-infos")
    assert (result.code, result.err) == (1, "")
    assert result.out == (
        "faulty.vcf:1:1: VC204 [error] the card has no N (structured name)\n"
        "faulty.vcf:1:12: VC103 [info] lines end in LF, not CRLF\n"
        "1 file checked: 1 error, 0 warnings, 1 info.\n"
    )


def test_fail_on_levels(workdir: Path) -> None:
    path = write(workdir / "faulty.vcf", FAULTY)
    only_info = run("lint", path, "--select", "VC103", "--show-infos")
    assert (only_info.code, only_info.err) == (0, "")
    assert only_info.out.endswith("1 file checked: 0 errors, 0 warnings, 1 info.\n")
    # --fail-on info shows the infos without --show-infos: they fail the run.
    failing = run("lint", path, "--select", "VC103", "--fail-on", "info")
    assert (failing.code, failing.out, failing.err) == (1, only_info.out, "")
    warning = run("lint", path, "--select", "VC103", "--fail-on", "warning")
    assert (warning.code, warning.err) == (0, "")


# ---------------------------------------------------------------------------
# json, github, sarif


def test_json_format(workdir: Path) -> None:
    path = write(workdir / "faulty.vcf", FAULTY)
    result = run("lint", path, "--select", "VC204,VC103", "--format", "json")
    assert (result.code, result.err) == (1, "")
    data = json.loads(result.out)
    # Ends, exclusive: VC204 is the card, its BEGIN line "BEGIN:VCARD" (11
    # characters), so it ends at column 12; VC103 is the LF at column 12,
    # which ends where line 2 starts.
    assert [(d["code"], d["line"], d["column"], d["end_line"], d["end_column"]) for d in data] == [
        ("VC204", 1, 1, 1, 12),
        ("VC103", 1, 12, 2, 1),
    ]
    first = data[0]
    assert set(first) == {
        "code", "name", "severity", "message", "path", "line", "column", "end_line",
        "end_column", "card", "pointer", "fix",
    }  # fmt: skip
    assert (first["name"], first["severity"], first["path"], first["card"]) == (
        "missing-n",
        "error",
        "faulty.vcf",
        0,
    )
    # VC204's fix inserts N before the FN line (line 3); VC103's rewrites
    # every line break of the file (not listed edit by edit: a fix of a
    # million-line file would be as big as the file).
    assert data[0]["fix"]["edits"] == [
        {"start": {"line": 3, "column": 1}, "end": {"line": 3, "column": 1}, "text": "N:;Ann;;;\n"}
    ]
    assert (data[1]["fix"]["edits"], data[1]["fix"]["line_ending"]) == ([], "\r\n")


def test_json_format_clean_is_empty_array(workdir: Path) -> None:
    path = write(workdir / "clean.vcf", CLEAN)
    result = run("lint", path, "--format", "json")
    assert (result.code, result.out, result.err) == (0, "[]\n", "")


def test_github_format(workdir: Path) -> None:
    path = write(workdir / "faulty.vcf", FAULTY)
    result = run("lint", path, "--select", "VC204,VC103", "--format", "github")
    assert (result.code, result.err) == (1, "")
    assert result.out == (
        # The ends as in test_json_format; VC103's LF, which ends at the
        # start of line 2, is column 12 of line 1 (to column 13) for GitHub,
        # which takes columns only for a span on one line.
        "::error file=faulty.vcf,line=1,col=1,endLine=1,endColumn=12,title=VC204 missing-n::"
        "the card has no N (structured name)\n"
        "::notice file=faulty.vcf,line=1,col=12,endLine=1,endColumn=13,"
        "title=VC103 line-ending::"
        "lines end in LF, not CRLF\n"
    )


def test_github_is_default_under_actions(workdir: Path) -> None:
    path = write(workdir / "faulty.vcf", FAULTY)
    result = run("lint", path, "--select", "VC204", env={"GITHUB_ACTIONS": "true"})
    assert result.out.startswith("::error file=faulty.vcf,line=1,col=1,")
    assert (result.code, result.err) == (1, "")


def test_sarif_format_has_what_code_scanning_needs(workdir: Path) -> None:
    path = write(workdir / "dir" / "faulty.vcf", FAULTY)
    result = run("lint", path, "--select", "VC204", "--format", "sarif")
    assert (result.code, result.err) == (1, "")
    log = assert_valid_sarif(result.out)
    assert log["version"] == "2.1.0"
    assert log["$schema"].endswith("sarif-2.1.0.json")
    (run_,) = log["runs"]
    assert run_["columnKind"] == "unicodeCodePoints"
    driver = run_["tool"]["driver"]
    assert driver["name"] == "vcardkit"
    ids = [rule["id"] for rule in driver["rules"]]
    assert ids == [rule.code for rule in vcardkit.rules()]
    for rule in driver["rules"]:
        assert rule["fullDescription"]["text"].startswith(rule["id"])
        assert "Why:" in rule["help"]["text"]
        assert rule["defaultConfiguration"]["level"] in ("error", "warning", "note")
    (res,) = run_["results"]
    assert res["ruleId"] == "VC204"
    assert ids[res["ruleIndex"]] == "VC204"
    assert res["level"] == "error"
    assert res["message"]["text"] == "the card has no N (structured name)"
    location = res["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "dir/faulty.vcf"
    # VC204 is the card: its BEGIN line, "BEGIN:VCARD" (11 characters), ends at 12.
    assert location["region"] == {"startLine": 1, "startColumn": 1, "endLine": 1, "endColumn": 12}


def test_sarif_clean_has_no_results(workdir: Path) -> None:
    path = write(workdir / "clean.vcf", CLEAN)
    result = run("lint", path, "--format", "sarif")
    assert (result.code, result.err) == (0, "")
    assert assert_valid_sarif(result.out)["runs"][0]["results"] == []


# ---------------------------------------------------------------------------
# exit 2: usage, configuration, I/O


def test_missing_file_is_exit_2(workdir: Path) -> None:
    result = run("lint", "nope.vcf")
    assert result.code == 2
    assert result.err == "vcardkit: error: cannot read nope.vcf: no such file or directory\n"
    assert result.out == "0 files checked: 0 errors, 0 warnings, 0 infos.\n"


def test_missing_file_beside_a_good_one_still_exit_2(workdir: Path) -> None:
    path = write(workdir / "faulty.vcf", FAULTY)
    result = run("lint", path, "nope.vcf", "--select", "VC204")
    assert result.code == 2
    assert result.out.startswith("faulty.vcf:1:1: VC204 [error]")
    assert result.err == "vcardkit: error: cannot read nope.vcf: no such file or directory\n"


def test_unreadable_folder_is_exit_2(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Tests run as root in CI, where chmod 0 does not stop reading; deny it
    # the way the OS would, at os.access and os.scandir.
    folder = workdir / "locked"
    folder.mkdir()
    write(folder / "a.vcf", FAULTY)
    real_access = os.access

    def access(path: object, mode: int) -> bool:
        return False if str(path) == "locked" else real_access(path, mode)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "access", access)
    result = run("lint", "locked")
    assert (result.code, result.err) == (
        2,
        "vcardkit: error: cannot read locked: permission denied\n",
    )
    assert result.out == "0 files checked: 0 errors, 0 warnings, 0 infos.\n"


def test_unknown_select_is_exit_2(workdir: Path) -> None:
    path = write(workdir / "clean.vcf", CLEAN)
    result = run("lint", path, "--select", "VC999")
    assert (result.code, result.out) == (2, "")
    assert result.err.startswith("vcardkit: error: --select: 'VC999' names no rule")
    assert result.err.count("\n") == 1


def test_no_arguments_is_exit_2() -> None:
    result = run()
    assert result.code == 2
    assert result.out == ""
    assert "usage: vcardkit" in result.err


def test_bad_format_is_exit_2(workdir: Path) -> None:
    result = run("lint", "x.vcf", "--format", "xml")
    assert result.code == 2
    assert result.out == ""
    assert result.err.startswith(
        "vcardkit: error: argument --format/--output-format: invalid choice: 'xml'"
    )


def config(workdir: Path, body: str) -> None:
    (workdir / "pyproject.toml").write_text(f"[tool.vcardkit]\n{body}", encoding="utf-8")


def test_config_unknown_key_is_exit_2(workdir: Path) -> None:
    config(workdir, 'fail_on = "warning"\n')
    write(workdir / "clean.vcf", CLEAN)
    result = run("lint", "clean.vcf")
    assert (result.code, result.out) == (2, "")
    assert result.err == (
        f"vcardkit: error: {workdir / 'pyproject.toml'} [tool.vcardkit]: unknown key "
        "'fail_on'; did you mean 'fail-on'?\n"
    )


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('profile = "strict"\n', "profile: 'strict' is not one of whatsapp, rfc2426"),
        ('fail-on = "fatal"\n', "fail-on: 'fatal' is not one of error, warning, info"),
        ('region = "Egypt"\n', "region: 'Egypt' is not a two-letter region code"),
        ('select = ["VC9"]\n', "select: 'VC9' names no rule"),
        ('[tool.vcardkit.severity]\nVC204 = "fatal"\n', "severity.VC204: 'fatal' is not one of"),
    ],
)
def test_config_bad_value_is_exit_2(workdir: Path, body: str, message: str) -> None:
    config(workdir, body)
    write(workdir / "clean.vcf", CLEAN)
    result = run("lint", "clean.vcf")
    assert (result.code, result.out) == (2, "")
    assert message in result.err
    assert result.err.startswith("vcardkit: error: ")
    assert result.err.count("\n") == 1


def test_rules_unknown_code_is_exit_2() -> None:
    result = run("rules", "VC999")
    assert (result.code, result.out) == (2, "")
    assert result.err == "vcardkit: error: rules: 'VC999' is not a rule code or name\n"


# ---------------------------------------------------------------------------
# configuration and precedence


def test_config_select_and_flag_replaces_it(workdir: Path) -> None:
    config(workdir, 'select = ["VC103"]\n')
    path = write(workdir / "faulty.vcf", FAULTY)
    from_file = run("lint", path, "--show-infos")
    assert [line.split()[1] for line in from_file.out.splitlines()[:-1]] == ["VC103"]
    replaced = run("lint", path, "--select", "VC204")
    assert [line.split()[1] for line in replaced.out.splitlines()[:-1]] == ["VC204"]
    assert (replaced.code, replaced.err) == (1, "")


def test_config_ignore_and_flag_adds_to_it(workdir: Path) -> None:
    config(workdir, 'select = ["VC103", "VC204"]\nignore = ["VC103"]\n')
    path = write(workdir / "faulty.vcf", FAULTY)
    from_file = run("lint", path)
    assert [line.split()[1] for line in from_file.out.splitlines()[:-1]] == ["VC204"]
    both = run("lint", path, "--ignore", "missing-n")
    assert both.out == "1 file checked: 0 errors, 0 warnings, 0 infos.\n"
    assert (both.code, both.err) == (0, "")


def test_config_severity_and_fail_on(workdir: Path) -> None:
    config(
        workdir,
        'select = ["VC103"]\nfail-on = "warning"\n[tool.vcardkit.severity]\nVC103 = "warning"\n',
    )
    path = write(workdir / "faulty.vcf", FAULTY)
    result = run("lint", path)
    assert result.out == (
        "faulty.vcf:1:12: VC103 [warning] lines end in LF, not CRLF\n"
        "1 file checked: 0 errors, 1 warning, 0 infos.\n"
    )
    assert (result.code, result.err) == (1, "")
    assert run("lint", path, "--fail-on", "error").code == 0


def test_config_found_in_a_parent_folder(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config(workdir, 'select = ["VC204"]\n')
    write(workdir / "sub" / "faulty.vcf", FAULTY)
    monkeypatch.chdir(workdir / "sub")
    result = run("lint", "faulty.vcf")
    assert [line.split()[1] for line in result.out.splitlines()[:-1]] == ["VC204"]
    ignored = run("lint", "faulty.vcf", "--no-config", "--select", "VC103", "--show-infos")
    assert [line.split()[1] for line in ignored.out.splitlines()[:-1]] == ["VC103"]


def test_per_path_ignores(workdir: Path) -> None:
    config(
        workdir,
        'select = ["VC204", "VC103"]\n'
        '[tool.vcardkit.per-path-ignores]\n"legacy/*.vcf" = ["VC204"]\n',
    )
    write(workdir / "legacy" / "old.vcf", FAULTY)
    write(workdir / "new" / "old.vcf", FAULTY)
    result = run("lint", "legacy", "new", "--show-infos")
    codes = [(line.split(":")[0], line.split()[1]) for line in result.out.splitlines()[:-1]]
    assert codes == [
        ("legacy/old.vcf", "VC103"),
        ("new/old.vcf", "VC204"),
        ("new/old.vcf", "VC103"),
    ]
    assert result.out.splitlines()[-1] == "2 files checked: 1 error, 0 warnings, 2 infos."


# ---------------------------------------------------------------------------
# inputs: stdin, names, folders, JSON


def test_stdin_with_stdin_filename(workdir: Path) -> None:
    result = run(
        "lint", "-", "--stdin-filename", "team/agents.vcf", "--select", "VC204", stdin=FAULTY
    )
    assert result.out == (
        "team/agents.vcf:1:1: VC204 [error] the card has no N (structured name)\n"
        "1 file checked: 1 error, 0 warnings, 0 infos.\n"
    )
    assert (result.code, result.err) == (1, "")


def test_stdin_filename_selects_per_path_config(workdir: Path) -> None:
    config(workdir, '[tool.vcardkit.per-path-ignores]\n"team/*" = ["VC204"]\n')
    result = run("lint", "-", "--stdin-filename", "team/a.vcf", "--select", "VC204", stdin=FAULTY)
    assert (result.code, result.err) == (0, "")


def test_stdin_json_is_sniffed(workdir: Path) -> None:
    payload = b'[{"fullName": "Ann", "fullname": "x"}]'
    result = run("lint", "-", "--select", "VC603", stdin=payload)
    # The unknown key "fullname" starts at column 22: `[{"fullName": "Ann", ` is 21.
    assert result.out == (
        "<stdin>:1:22: VC603 [warning] contact key 'fullname' is not known; "
        "did you mean 'fullName'?\n"
        "1 file checked: 0 errors, 1 warning, 0 infos.\n"
    )
    assert (result.code, result.err) == (0, "")


def test_non_ascii_file_names(workdir: Path) -> None:
    path = write(workdir / "контакты" / "رقم.vcf", FAULTY)
    result = run("lint", path, "--select", "VC204")
    assert result.out.startswith("контакты/رقم.vcf:1:1: VC204 [error]")
    sarif = assert_valid_sarif(run("lint", path, "--select", "VC204", "--format", "sarif").out)
    uri = sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert uri["uri"] == "%D0%BA%D0%BE%D0%BD%D1%82%D0%B0%D0%BA%D1%82%D1%8B/%D8%B1%D9%82%D9%85.vcf"


def test_folders_are_searched_for_vcf_and_vcard(workdir: Path) -> None:
    write(workdir / "cards" / "a.vcf", FAULTY)
    write(workdir / "cards" / "deep" / "b.VCARD", FAULTY)
    write(workdir / "cards" / "notes.txt", FAULTY)
    write(workdir / "cards" / "c.json", b"not json")
    write(workdir / "cards" / ".git" / "d.vcf", FAULTY)
    result = run("lint", "cards", "--select", "VC204")
    assert result.out == (
        "cards/a.vcf:1:1: VC204 [error] the card has no N (structured name)\n"
        "cards/deep/b.VCARD:1:1: VC204 [error] the card has no N (structured name)\n"
        "2 files checked: 2 errors, 0 warnings, 0 infos.\n"
    )
    assert (result.code, result.err) == (1, "")


def test_json_named_or_included(workdir: Path) -> None:
    config(workdir, 'include = ["data/*.json"]\n')
    write(workdir / "data" / "agents.json", b'[{"fullName": "A"},\n 3]')
    write(workdir / "other" / "x.json", b"[3]")
    result = run("lint", "data", "other", "--select", "VC602")
    # Element 1 (the 3) is on line 2, column 2.
    assert result.out == (
        "data/agents.json:2:2: VC602 [error] element 1 of the payload is a number, "
        "not a contact object\n"
        "1 file checked: 1 error, 0 warnings, 0 infos.\n"
    )
    named = run("lint", "other/x.json", "--select", "VC602")
    assert named.out.startswith("other/x.json:1:2: VC602 [error]")
    assert (named.code, named.err) == (1, "")


def test_a_json_file_is_json_whatever_it_holds(workdir: Path) -> None:
    path = write(workdir / "broken.json", b"BEGIN:VCARD\n")
    result = run("lint", path, "--select", "VC601,VC104")
    assert result.out.startswith("broken.json:1:1: VC601 [error] not JSON")
    assert result.code == 1


def test_many_files_in_parallel_give_the_same_output(workdir: Path) -> None:
    for i in range(20):
        write(workdir / "many" / f"{i:02d}.vcf", FAULTY if i % 2 else CLEAN)
    result = run("lint", "many", "--select", "VC204")
    lines = result.out.splitlines()
    assert lines[:-1] == [
        f"many/{i:02d}.vcf:1:1: VC204 [error] the card has no N (structured name)"
        for i in range(1, 20, 2)
    ]
    assert lines[-1] == "20 files checked: 10 errors, 0 warnings, 0 infos."
    assert (result.code, result.err) == (1, "")


# ---------------------------------------------------------------------------
# colour


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_colour_only_on_a_terminal_and_not_with_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    assert use_color(_Tty(), "auto") is True
    assert use_color(io.StringIO(), "auto") is False
    monkeypatch.setenv("NO_COLOR", "1")
    assert use_color(_Tty(), "auto") is False
    assert use_color(_Tty(), "always") is True


def test_colour_always_and_never(workdir: Path) -> None:
    path = write(workdir / "faulty.vcf", FAULTY)
    coloured = run("lint", path, "--select", "VC204", "--color", "always")
    assert "\x1b[31mVC204\x1b[0m" in coloured.out
    plain = run("lint", path, "--select", "VC204")
    assert "\x1b[" not in plain.out


# ---------------------------------------------------------------------------
# rules


def test_rules_lists_the_catalogue() -> None:
    result = run("rules")
    assert (result.code, result.err) == (0, "")
    lines = result.out.splitlines()
    assert len(lines) == len(vcardkit.rules())
    first = lines[0].split()
    assert first[:4] == ["VC101", "invalid-utf8", "error", "rfc"]


def test_rules_prints_one_rules_documentation() -> None:
    by_code = run("rules", "VC204")
    by_name = run("rules", "missing-n")
    assert (by_code.code, by_code.err) == (0, "")
    assert by_code.out == by_name.out
    assert by_code.out.startswith("VC204 missing-n  (default severity: error; profile: rfc)\n")
    assert "Why: RFC 2426 §3.1.2" in by_code.out
    assert "Fix:" in by_code.out


# ---------------------------------------------------------------------------
# the installed command


def test_installed_command_and_module(workdir: Path) -> None:
    path = write(workdir / "faulty.vcf", FAULTY)
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("GITHUB_ACTIONS", "NO_COLOR", "FORCE_COLOR")
    }
    script = Path(sys.executable).with_name("vcardkit")
    commands = [[sys.executable, "-m", "vcardkit"]]
    assert script.is_file(), "the console script is installed beside the interpreter"
    commands.append([str(script)])
    for command in commands:
        proc = subprocess.run(
            [*command, "lint", path, "--select", "VC204"],
            capture_output=True,
            env=env,
            check=False,
        )
        assert proc.returncode == 1
        assert proc.stdout == (
            b"faulty.vcf:1:1: VC204 [error] the card has no N (structured name)\n"
            b"1 file checked: 1 error, 0 warnings, 0 infos.\n"
        )
        assert proc.stderr == b""


def test_a_number_in_many_files_is_analysed_once_per_run(
    workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Three files (linted in this process: too few for workers) holding the
    # same number: the run's one memo analyses it once.
    from vcardkit._rules import _phonelib

    analysed: list[str] = []
    analyse = _phonelib.analyse_phone

    def counting(text: str, region: str | None = None) -> _phonelib.PhoneFacts:
        analysed.append(text)
        return analyse(text, region)

    monkeypatch.setattr(_phonelib, "analyse_phone", counting)
    paths = [write(workdir / f"c{i}.vcf", CLEAN) for i in range(3)]
    result = run("lint", *paths)
    assert result.code == 0, result
    assert analysed == ["+201111111111"]
