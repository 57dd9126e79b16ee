"""``lint --format sarif``: end positions, fixes, rule help, artifact URIs, I/O errors.

Every log here goes through ``assert_valid_sarif`` (the OASIS 2.1.0 schema).
Expected values are worked out by hand in the comments: columns count code
points from 1, an end is exclusive (SARIF's ``endColumn``), and a URI is the
path's UTF-8 bytes with every byte outside RFC 3986's unreserved set and
``/`` percent-encoded.
"""

from __future__ import annotations

import json
import os
import pickle
from pathlib import Path
from typing import Any

import pytest

from tests.clitools import failing_open, run, write
from tests.sarif import assert_valid_sarif, sarif_errors
from vcardkit._cli import _lint
from vcardkit._cli._files import ReadError
from vcardkit._cli._main import _build_parser
from vcardkit._cli._output import Reporter, help_markdown, render, sarif
from vcardkit._docs import DOCS_URL, rule_url
from vcardkit._rules._diagnostic import Diagnostic, Edit, Fix, Severity
from vcardkit._rules._registry import REGISTRY

VERSION = "9.9.9-test"


def _log(diagnostics: list[Diagnostic], errors: tuple[str, ...] = ()) -> dict[str, Any]:
    return assert_valid_sarif(
        render("sarif", diagnostics, 1, color=False, version=VERSION, errors=errors)
    )


def _only(log: dict[str, Any]) -> dict[str, Any]:
    (result,) = log["runs"][0]["results"]
    assert isinstance(result, dict)
    return result


def _location(result: dict[str, Any]) -> dict[str, Any]:
    physical = result["locations"][0]["physicalLocation"]
    assert isinstance(physical, dict)
    return physical


def _diagnostic(**fields: Any) -> Diagnostic:
    base: dict[str, Any] = {
        "code": "VC412",
        "name": "phone-formatting",
        "severity": Severity.INFO,
        "message": "written with separators",
        "path": "cards/a.vcf",
        "line": 4,
        "column": 5,
    }
    base.update(fields)
    return Diagnostic(**base)


# ---------------------------------------------------------------------------
# regions: the end of the span


def test_a_region_ends_where_the_diagnostic_ends() -> None:
    # "TEL:+20 111 111 1111" on line 4: the value starts at column 5 and is 16
    # characters long, so its exclusive end is column 21.
    log = _log([_diagnostic(end_line=4, end_column=21)])
    assert _location(_only(log))["region"] == {
        "startLine": 4,
        "startColumn": 5,
        "endLine": 4,
        "endColumn": 21,
    }
    assert log["runs"][0]["columnKind"] == "unicodeCodePoints"


def test_a_span_over_lines_and_a_diagnostic_without_an_end() -> None:
    spanning = _location(_only(_log([_diagnostic(line=2, column=1, end_line=5, end_column=1)])))
    assert spanning["region"] == {"startLine": 2, "startColumn": 1, "endLine": 5, "endColumn": 1}
    # No end given: none written (SARIF then ends the region with the line).
    plain = _location(_only(_log([_diagnostic()])))
    assert plain["region"] == {"startLine": 4, "startColumn": 5}
    # An end without a line to start from (input that was Python objects):
    # the region stays the placeholder line 1 it always was, with no end.
    objects = _location(
        _only(_log([_diagnostic(line=None, column=None, end_line=3, end_column=9)]))
    )
    assert objects["region"] == {"startLine": 1}


# ---------------------------------------------------------------------------
# fixes


def test_edits_become_replacements_of_text_regions() -> None:
    fix = Fix(
        "write +201111111111 (E.164)",
        edits=(Edit((4, 5), (4, 21), "+201111111111"), Edit((6, 1), (7, 1), "")),
    )
    result = _only(_log([_diagnostic(fix=fix)]))
    assert result["fixes"] == [
        {
            "description": {"text": "write +201111111111 (E.164)"},
            "artifactChanges": [
                {
                    "artifactLocation": {"uri": "cards/a.vcf", "uriBaseId": "%SRCROOT%"},
                    "replacements": [
                        {
                            "deletedRegion": {
                                "startLine": 4,
                                "startColumn": 5,
                                "endLine": 4,
                                "endColumn": 21,
                            },
                            "insertedContent": {"text": "+201111111111"},
                        },
                        # Deleting line 6 whole (up to the start of line 7):
                        # no insertedContent, which SARIF reads as a deletion.
                        {
                            "deletedRegion": {
                                "startLine": 6,
                                "startColumn": 1,
                                "endLine": 7,
                                "endColumn": 1,
                            }
                        },
                    ],
                }
            ],
            "properties": {"safe": True},
        }
    ]


def test_an_unsafe_fix_is_included_and_says_so() -> None:
    fix = Fix(
        "add the WhatsApp id 201111111111",
        safe=False,
        edits=(Edit((4, 4), (4, 4), ";waid=201111111111"),),
    )
    (only,) = _only(_log([_diagnostic(code="VC406", name="missing-waid", fix=fix)]))["fixes"]
    assert only["description"] == {
        "text": "add the WhatsApp id 201111111111 (unsafe: vcardkit fix applies it only with "
        "--unsafe-fixes)"
    }
    assert only["properties"] == {"safe": False}
    # The flag the description names is the one `vcardkit fix` takes.
    parser = _build_parser("fix")  # the command given is the one built whole
    assert parser.parse_args(["fix", "--unsafe-fixes", "a.vcf"]).unsafe_fixes is True


def test_the_byte_order_mark_is_a_binary_region() -> None:
    # The UTF-8 mark is EF BB BF: three bytes at the start of the file.
    fix = Fix("remove the UTF-8 byte-order mark", bom=False)
    result = _only(
        _log([_diagnostic(code="VC102", name="byte-order-mark", line=1, column=1, fix=fix)])
    )
    assert result["fixes"][0]["artifactChanges"][0]["replacements"] == [
        {"deletedRegion": {"byteOffset": 0, "byteLength": 3}}
    ]


@pytest.mark.parametrize(
    "fix",
    [
        # VC103: every line break of the file; SARIF would need one
        # replacement per line, as big as the file.
        Fix("end every line in CRLF", line_ending="\r\n"),
        # Python objects: a field of a value, no file to change.
        Fix("drop it", pointer="/phones/0", value=None),
        # A fix that names no change.
        Fix("derive waid", safe=False),
    ],
)
def test_fixes_sarif_cannot_say_are_left_out(fix: Fix) -> None:
    assert "fixes" not in _only(_log([_diagnostic(fix=fix)]))


def _apply(text: str, replacements: list[dict[str, Any]]) -> str:
    """Apply SARIF text replacements to LF-only ``text`` (code-point columns)."""
    starts = [0]
    for line in text.split("\n"):
        starts.append(starts[-1] + len(line) + 1)

    def offset(line: int, column: int) -> int:
        return starts[line - 1] + column - 1

    for rep in sorted(
        replacements,
        key=lambda r: (r["deletedRegion"]["startLine"], r["deletedRegion"]["startColumn"]),
        reverse=True,
    ):
        region = rep["deletedRegion"]
        start = offset(region["startLine"], region["startColumn"])
        end = offset(region["endLine"], region["endColumn"])
        text = text[:start] + rep.get("insertedContent", {}).get("text", "") + text[end:]
    return text


CARD = "BEGIN:VCARD\nVERSION:3.0\nFN:Ann\nTEL:+20 111 111 1111\nEND:VCARD\n"


def test_a_fix_from_lint_applied_gives_the_fixed_card(workdir: Path) -> None:
    path = write(workdir / "a.vcf", CARD.encode())
    result = run("lint", path, "--select", "VC412", "--format", "sarif")
    assert (result.code, result.err) == (0, "")
    (fix,) = _only(assert_valid_sarif(result.out))["fixes"]
    (change,) = fix["artifactChanges"]
    assert change["artifactLocation"] == {"uri": "a.vcf", "uriBaseId": "%SRCROOT%"}
    # The value "+20 111 111 1111" (columns 5 to 20 of line 4) written
    # without separators, as `vcardkit fix` writes it.
    assert _apply(CARD, change["replacements"]) == CARD.replace("+20 111 111 1111", "+201111111111")
    fixed = run("fix", path, "--select", "VC412")
    assert fixed.code == 0
    assert (workdir / "a.vcf").read_text(encoding="utf-8") == _apply(CARD, change["replacements"])


def test_lint_gives_the_bom_fix_and_no_line_ending_fix(workdir: Path) -> None:
    path = write(workdir / "bom.vcf", b"\xef\xbb\xbf" + CARD.encode())
    result = run("lint", path, "--select", "VC102,VC103", "--format", "sarif")
    assert (result.code, result.err) == (0, "")
    log = assert_valid_sarif(result.out)
    by_rule = {r["ruleId"]: r for r in log["runs"][0]["results"]}
    assert set(by_rule) == {"VC102", "VC103"}
    assert by_rule["VC102"]["fixes"][0]["description"] == {
        "text": "remove the UTF-8 byte-order mark"
    }
    assert by_rule["VC102"]["fixes"][0]["artifactChanges"][0]["replacements"] == [
        {"deletedRegion": {"byteOffset": 0, "byteLength": 3}}
    ]
    assert "fixes" not in by_rule["VC103"]


# ---------------------------------------------------------------------------
# rules: help, helpUri, descriptions


def test_every_rule_has_help_in_text_and_markdown_and_its_page() -> None:
    log = _log([])
    driver = log["runs"][0]["tool"]["driver"]
    assert driver["informationUri"] == DOCS_URL == "https://vcardkit.readthedocs.io/en/latest/"
    assert [r["id"] for r in driver["rules"]] == [rule.code for rule in REGISTRY]
    for entry, rule in zip(driver["rules"], REGISTRY, strict=True):
        doc = rule.documentation()
        assert entry["helpUri"] == f"https://vcardkit.readthedocs.io/en/latest/rules/{rule.code}/"
        assert entry["helpUri"] == rule_url(rule.code)
        assert entry["help"]["text"] == doc
        assert entry["help"]["markdown"] == help_markdown(doc, entry["helpUri"])
        assert entry["help"]["markdown"].startswith(f"**{rule.code} {rule.name}** — ")
        for section in ("**Why:** ", "**Fails:** ", "**Fix:** "):
            assert "\n\n" + section in entry["help"]["markdown"], (rule.code, section)
        assert entry["shortDescription"] == {"text": rule.summary()}
        assert entry["fullDescription"] == {"text": doc}


def test_help_markdown_keeps_code_and_escapes_the_rest() -> None:
    doc = (
        "VC999 made-up — a *summary* with <stdin>.\n"
        "\n"
        "Why: a line that wraps\n"
        "+55 here and 2019) there [U], snake_case & a `tick`.\n"
        "Fails: ``a*b_c [x] <y>``\n"
        "Fix: write ``A``."
    )
    assert help_markdown(doc, "https://example.invalid/VC999/") == (
        r"**VC999 made-up** — a \*summary\* with \<stdin\>."
        "\n\n"
        # The wrapped lines are one paragraph: "+55" and "2019)" no longer
        # begin a line, where Markdown would start a list.
        r"**Why:** a line that wraps +55 here and 2019) there \[U\], snake\_case \& a \`tick\`."
        "\n\n"
        # Inside a code span, nothing is markup and nothing is escaped.
        "**Fails:** ``a*b_c [x] <y>``"
        "\n\n"
        "**Fix:** write ``A``."
        "\n\n"
        "[VC999 made-up](https://example.invalid/VC999/) in the vcardkit documentation.\n"
    )


# ---------------------------------------------------------------------------
# artifact URIs


def test_a_relative_path_is_a_relative_uri_against_srcroot(workdir: Path) -> None:
    path = write(workdir / "my cards" / "ñ#1 100%.vcf", CARD.encode())
    assert path == "my cards/ñ#1 100%.vcf"
    result = run("lint", path, "--select", "VC412", "--format", "sarif")
    assert (result.code, result.err) == (0, "")
    log = assert_valid_sarif(result.out)
    # space -> %20, ñ (U+00F1) -> UTF-8 C3 B1, "#" -> %23, "%" -> %25.
    expected = {"uri": "my%20cards/%C3%B1%231%20100%25.vcf", "uriBaseId": "%SRCROOT%"}
    result_ = _only(log)
    assert _location(result_)["artifactLocation"] == expected
    assert result_["fixes"][0]["artifactChanges"][0]["artifactLocation"] == expected
    # %SRCROOT% is the folder lint ran in, as a file URI ending in "/".
    assert log["runs"][0]["originalUriBaseIds"] == {"%SRCROOT%": {"uri": workdir.as_uri() + "/"}}


def test_an_absolute_path_is_a_file_uri_without_a_base(workdir: Path) -> None:
    write(workdir / "my cards" / "контакт #2.vcf", CARD.encode())
    absolute = workdir / "my cards" / "контакт #2.vcf"
    result = run("lint", str(absolute), "--select", "VC412", "--format", "sarif")
    assert (result.code, result.err) == (0, "")
    log = assert_valid_sarif(result.out)
    # к о н т а к т are D0 BA, D0 BE, D0 BD, D1 82, D0 B0, D0 BA, D1 82 in UTF-8.
    suffix = "/my%20cards/%D0%BA%D0%BE%D0%BD%D1%82%D0%B0%D0%BA%D1%82%20%232.vcf"
    expected = {"uri": workdir.as_uri() + suffix}
    assert expected["uri"].startswith("file:///")
    result_ = _only(log)
    assert _location(result_)["artifactLocation"] == expected
    assert result_["fixes"][0]["artifactChanges"][0]["artifactLocation"] == expected


def test_stdin_as_before(workdir: Path) -> None:
    unnamed = assert_valid_sarif(
        run("lint", "-", "--select", "VC412", "--format", "sarif", stdin=CARD.encode()).out
    )
    # "<stdin>", the name lint gives it, with "<" and ">" encoded.
    assert _location(_only(unnamed))["artifactLocation"] == {
        "uri": "%3Cstdin%3E",
        "uriBaseId": "%SRCROOT%",
    }
    named = run(
        "lint", "-", "--stdin-filename", "team/a b.vcf", "--select", "VC412", "--format", "sarif",
        stdin=CARD.encode(),
    )  # fmt: skip
    assert (named.code, named.err) == (0, "")
    assert _location(_only(assert_valid_sarif(named.out)))["artifactLocation"] == {
        "uri": "team/a%20b.vcf",
        "uriBaseId": "%SRCROOT%",
    }


# ---------------------------------------------------------------------------
# I/O errors: the invocation's notifications


def _invocation(log: dict[str, Any]) -> dict[str, Any]:
    (invocation,) = log["runs"][0]["invocations"]
    assert isinstance(invocation, dict)
    return invocation


def test_a_clean_run_is_a_successful_invocation(workdir: Path) -> None:
    path = write(workdir / "a.vcf", CARD.encode())
    # The card has no waid, so VC404 (a waid that is not digits) finds nothing.
    result = run("lint", path, "--select", "VC404", "--format", "sarif")
    assert (result.code, result.err) == (0, "")
    assert _invocation(assert_valid_sarif(result.out)) == {"executionSuccessful": True}


def test_a_missing_file_is_a_notification_besides_stderr_and_exit_2(workdir: Path) -> None:
    path = write(workdir / "a.vcf", CARD.encode())
    result = run("lint", path, "nope.vcf", "--select", "VC412", "--format", "sarif")
    assert result.code == 2
    assert result.err == "vcardkit: error: cannot read nope.vcf: no such file or directory\n"
    log = assert_valid_sarif(result.out)
    assert _only(log)["ruleId"] == "VC412"  # the good file is still reported
    assert _invocation(log) == {
        "executionSuccessful": False,
        "toolExecutionNotifications": [
            {
                "level": "error",
                "message": {"text": "cannot read nope.vcf: no such file or directory"},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": {"uri": "nope.vcf", "uriBaseId": "%SRCROOT%"}
                        }
                    }
                ],
            }
        ],
    }


def test_a_file_that_cannot_be_read_and_an_absolute_missing_one(
    workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = write(workdir / "bad.vcf", CARD.encode())
    gone = str(workdir / "gone dir" / "x.vcf")
    monkeypatch.setattr(_lint, "open", failing_open("bad.vcf"), raising=False)
    result = run("lint", bad, gone, "--format", "sarif")
    assert result.code == 2
    # discover meets the missing file first; reading bad.vcf fails after.
    assert result.err == (
        f"vcardkit: error: cannot read {gone}: no such file or directory\n"
        "vcardkit: error: cannot read bad.vcf: Input/output error\n"
    )
    log = assert_valid_sarif(result.out)
    assert log["runs"][0]["results"] == []
    invocation = _invocation(log)
    assert invocation["executionSuccessful"] is False
    assert [
        (
            n["level"],
            n["message"]["text"],
            n["locations"][0]["physicalLocation"]["artifactLocation"],
        )
        for n in invocation["toolExecutionNotifications"]
    ] == [
        (
            "error",
            f"cannot read {gone}: no such file or directory",
            {"uri": workdir.as_uri() + "/gone%20dir/x.vcf"},
        ),
        (
            "error",
            "cannot read bad.vcf: Input/output error",
            {"uri": "bad.vcf", "uriBaseId": "%SRCROOT%"},
        ),
    ]


def test_an_unreadable_folder_is_a_notification(
    workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As in test_cli_lint: root reads anything, so os.access says no.
    (workdir / "locked").mkdir()
    real_access = os.access

    def access(path: object, mode: int) -> bool:
        return False if str(path) == "locked" else real_access(path, mode)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "access", access)
    result = run("lint", "locked", "--format", "sarif")
    assert (result.code, result.err) == (
        2,
        "vcardkit: error: cannot read locked: permission denied\n",
    )
    (notification,) = _invocation(assert_valid_sarif(result.out))["toolExecutionNotifications"]
    assert notification["message"] == {"text": "cannot read locked: permission denied"}
    assert notification["locations"][0]["physicalLocation"]["artifactLocation"] == {
        "uri": "locked",
        "uriBaseId": "%SRCROOT%",
    }


def test_a_read_error_in_a_worker_keeps_its_path(
    workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 20 files are linted by worker processes, which return a read error
    # pickled: the path must survive the trip.
    for i in range(19):
        write(workdir / "many" / f"{i:02d}.vcf", CARD.encode())
    write(workdir / "many" / "bad.vcf", CARD.encode())
    monkeypatch.setattr(_lint, "open", failing_open("bad.vcf"), raising=False)
    result = run("lint", "many", "--select", "VC204", "--format", "sarif")
    assert (result.code, result.err) == (
        2,
        "vcardkit: error: cannot read many/bad.vcf: Input/output error\n",
    )
    (notification,) = _invocation(assert_valid_sarif(result.out))["toolExecutionNotifications"]
    assert notification["locations"][0]["physicalLocation"]["artifactLocation"] == {
        "uri": "many/bad.vcf",
        "uriBaseId": "%SRCROOT%",
    }
    copy = pickle.loads(pickle.dumps(ReadError("cannot read x: EIO", "x")))
    assert (copy, copy.path) == ("cannot read x: EIO", "x")


def test_notifications_stream_as_the_whole_document_gives_them() -> None:
    diagnostics = [_diagnostic(line=i, end_line=i, end_column=9) for i in range(1, 6)]
    errors = (ReadError("cannot read a b.vcf: denied", "a b.vcf"), "cannot read somewhere")
    expected = json.dumps(sarif(diagnostics, VERSION, errors), ensure_ascii=False, indent=2) + "\n"
    log = assert_valid_sarif(expected)
    # A plain line (no path) is a notification without a location.
    assert _invocation(log)["toolExecutionNotifications"][1] == {
        "level": "error",
        "message": {"text": "cannot read somewhere"},
    }
    for batches in (
        [diagnostics],
        [[d] for d in diagnostics],
        [diagnostics[:2], [], diagnostics[2:]],
        [],
    ):
        writes: list[str] = []
        reporter = Reporter("sarif", writes.append, color=False, version=VERSION)
        for batch in batches:
            reporter.emit(batch)
        reporter.close(1, errors)
        if batches:
            assert "".join(writes) == expected
        else:  # no results at all: the same document around an empty list
            assert _invocation(assert_valid_sarif("".join(writes))) == _invocation(log)


def test_the_schema_check_can_fail() -> None:
    # The helper every SARIF test relies on rejects what the schema does,
    # and an absolute uri given a base.
    log = _log([_diagnostic()])
    location = _location(_only(log))["artifactLocation"]
    location["uri"] = "file:///x.vcf"
    log["runs"][0]["results"][0]["level"] = "fatal"
    errors = sarif_errors(log)
    assert any("'fatal' is not one of" in e for e in errors), errors
    assert any("absolute uri 'file:///x.vcf' with a uriBaseId" in e for e in errors), errors
    location["uri"] = "a b.vcf"
    assert any("is not a 'uri-reference'" in e for e in sarif_errors(log))


def test_the_base_of_a_run_in_the_root_or_in_a_removed_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir("/")
    # The root's file URI already ends in "/": not "file:////".
    assert _log([])["runs"][0]["originalUriBaseIds"] == {"%SRCROOT%": {"uri": "file:///"}}
    gone = tmp_path / "gone"
    gone.mkdir()
    monkeypatch.chdir(gone)
    gone.rmdir()
    # No folder to name: no base given, and relative URIs still valid.
    log = _log([_diagnostic()])
    assert "originalUriBaseIds" not in log["runs"][0]
    assert _location(_only(log))["artifactLocation"] == {
        "uri": "cards/a.vcf",
        "uriBaseId": "%SRCROOT%",
    }
