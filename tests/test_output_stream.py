"""``Reporter``: the lint output formats written as diagnostics arrive.

``render`` is now a ``Reporter`` collecting into a string, so comparing the
two only shows that batching does not matter. What the output must be is
pinned separately, by a reference: the whole-list implementation ``render``
had before streaming (for json and sarif, ``json.dumps`` of the whole
document, which is what it was).
"""

from __future__ import annotations

import itertools
import json
import random
import tracemalloc
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

import vcardkit
from tests.sarif import assert_valid_sarif
from vcardkit._cli._output import (
    FORMATS,
    Reporter,
    diagnostic_json,
    github_line,
    render,
    sarif,
    summary,
    summary_line,
    text_line,
)
from vcardkit._rules._diagnostic import Diagnostic, Edit, Fix, Severity

VERSION = "9.9.9-test"


def reference(
    fmt: str, diagnostics: Sequence[Diagnostic], files: int, *, color: bool, version: str
) -> str:
    """``render`` as it was before streaming: the whole output built at once."""
    if fmt == "json":
        return (
            json.dumps([diagnostic_json(d) for d in diagnostics], ensure_ascii=False, indent=2)
            + "\n"
        )
    if fmt == "sarif":
        return json.dumps(sarif(diagnostics, version), ensure_ascii=False, indent=2) + "\n"
    if fmt == "github":
        return "".join(github_line(d) + "\n" for d in diagnostics)
    lines = [text_line(d, color) for d in diagnostics]
    lines.append(summary(diagnostics, files))
    return "\n".join(lines) + "\n"


def _hand_made() -> list[Diagnostic]:
    outside = str(Path("/nonexistent-root/контакты/a b.vcf"))
    return [
        Diagnostic(
            "VC204",
            "missing-n",
            Severity.ERROR,
            "the card has no N",
            path="cards/a.vcf",
            line=1,
            column=1,
            card=1,
            fix=Fix(
                "add N from FN",
                edits=(Edit((2, 1), (2, 1), "N:;Ann;;;\r\n"),),
            ),
        ),
        Diagnostic(
            "VC103",
            "line-ending",
            Severity.INFO,
            'LF, not CRLF: "quotes", back\\slash, tab\t, bell\x07, NUL\x00, \x1b[31mred\x1b[0m',
            path="cards/a.vcf",
            line=1,
            column=12,
            fix=Fix("CRLF", edits=(Edit((1, 12), (1, 13), "\r\n"), Edit((2, 12), (2, 13), "\r\n"))),
        ),
        Diagnostic(
            "VC404",
            "waid-format",
            Severity.WARNING,
            "waid «٠١٢» is not digits — ünïcødé, 漢字, emoji 📇, line\nbreak, U+2028\u2028, %25",
            path="dir with space/ñ.vcf",
            line=5,
            column=None,
            fix=Fix("derive waid", safe=False, edits=()),
        ),
        Diagnostic(
            "VC604",
            "phone-format",
            Severity.ERROR,
            "phone 'abc' is not a number: a,b:c",
            path="contacts.json",
            card=3,
            pointer="/phones/0",
            fix=Fix("drop it", pointer="/phones/0", value=None),
        ),
        Diagnostic(
            "VC503",
            "no-phone",
            Severity.WARNING,
            "no phone",
            path=None,
            pointer="",
            fix=Fix("set a value", pointer="/name", value="Ann ✓"),
        ),
        Diagnostic("VC102", "byte-order-mark", Severity.WARNING, "", path=outside),
        Diagnostic("VC101", "invalid-utf8", Severity.ERROR, "bad byte 0xff", line=7, column=3),
    ]


def _validated() -> list[Diagnostic]:
    """Real diagnostics, as lint would report them, from a few faulty cards."""
    inputs: list[tuple[str, object]] = [
        ("a.vcf", "BEGIN:VCARD\nVERSION:3.0\nFN:A\nTEL:0111\nEND:VCARD\n"),
        (
            "sub/b.vcf",
            "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Ünïcødé\r\nEMAIL:nope\r\n"
            "TEL;waid=1:+20 111\r\nEND:VCARD\r\n",
        ),
        ("c.json", {"name": "x", "phones": ["abc"]}),
    ]
    out: list[Diagnostic] = []
    for path, data in inputs:
        report = vcardkit.validate(data)
        assert report.diagnostics, path
        out.extend(
            Diagnostic(
                d.code,
                d.name,
                d.severity,
                d.message,
                path=path,
                line=d.line,
                column=d.column,
                card=d.card,
                pointer=d.pointer,
                fix=d.fix,
            )
            for d in report.diagnostics
        )
    return out


CASES: dict[str, list[Diagnostic]] = {
    "empty": [],
    "one": _hand_made()[:1],
    "hand-made": _hand_made(),
    "validated": _validated(),
    "both": _hand_made() + _validated() + _hand_made(),
}


def _batchings(diagnostics: list[Diagnostic]) -> Iterator[tuple[str, list[list[Diagnostic]]]]:
    n = len(diagnostics)
    yield "whole", [diagnostics]
    if not n:
        yield "no-batches", []
    yield "one-at-a-time", [[d] for d in diagnostics]
    yield "empty-between", [[]] + [b for d in diagnostics for b in ([d], [])]
    rng = random.Random(n)
    for k in range(3):
        cuts = sorted(rng.sample(range(n + 1), min(n + 1, 3))) if n else []
        bounds = [0, *cuts, n]
        yield f"random-{k}", [diagnostics[a:b] for a, b in itertools.pairwise(bounds)]


def _stream(
    fmt: str, batches: list[list[Diagnostic]], files: int, *, color: bool = False
) -> tuple[str, list[str], Reporter]:
    writes: list[str] = []
    reporter = Reporter(fmt, writes.append, color=color, version=VERSION)
    for batch in batches:
        reporter.emit(iter(batch))  # any iterable, consumed once
    reporter.close(files)
    return "".join(writes), writes, reporter


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("case", CASES)
def test_streamed_output_is_the_whole_list_output(fmt: str, case: str) -> None:
    diagnostics = CASES[case]
    expected = reference(fmt, diagnostics, 3, color=False, version=VERSION)
    if fmt == "sarif":
        assert_valid_sarif(expected)
    assert render(fmt, diagnostics, 3, color=False, version=VERSION) == expected
    for name, batches in _batchings(diagnostics):
        assert sum(len(b) for b in batches) == len(diagnostics)
        out, writes, _ = _stream(fmt, batches, 3)
        assert out == expected, name
        # One write per non-empty batch, and one for the end (none in github).
        ends = 0 if fmt == "github" else 1
        assert len(writes) == sum(1 for b in batches if b) + ends, name
        assert all(writes), name


@pytest.mark.parametrize("case", ["hand-made", "validated"])
def test_colored_text_streams_the_same(case: str) -> None:
    diagnostics = CASES[case]
    expected = reference("text", diagnostics, 2, color=True, version=VERSION)
    assert "\x1b[" in expected
    for name, batches in _batchings(diagnostics):
        assert _stream("text", batches, 2, color=True)[0] == expected, name


@pytest.mark.parametrize("case", CASES)
def test_json_and_sarif_are_one_document(case: str) -> None:
    diagnostics = CASES[case]
    batches = [[d] for d in diagnostics]
    items = json.loads(_stream("json", batches, 1)[0])
    assert items == [diagnostic_json(d) for d in diagnostics]
    log = assert_valid_sarif(_stream("sarif", batches, 1)[0])
    assert log["version"] == "2.1.0"
    (run,) = log["runs"]
    assert run["tool"]["driver"]["version"] == VERSION
    results = run["results"]
    assert len(results) == len(diagnostics)
    assert [r["ruleId"] for r in results] == [d.code for d in diagnostics]
    assert [r["message"]["text"] for r in results] == [d.message for d in diagnostics]
    rules = run["tool"]["driver"]["rules"]
    assert all(rules[r["ruleIndex"]]["id"] == r["ruleId"] for r in results)


def test_empty_json_and_sarif_are_written_as_json_dumps_writes_them() -> None:
    assert _stream("json", [], 0)[0] == "[]\n"
    assert _stream("json", [[], []], 0)[0] == "[]\n"
    out = _stream("sarif", [[]], 0)[0]
    assert '"results": []' in out
    assert assert_valid_sarif(out)["runs"][0]["results"] == []


def test_counts_and_summary() -> None:
    diagnostics = CASES["both"]
    _, _, reporter = _stream("github", [[d] for d in diagnostics], 4)
    by = {s: sum(1 for d in diagnostics if d.severity is s) for s in Severity}
    assert (reporter.errors, reporter.warnings, reporter.infos) == (
        by[Severity.ERROR],
        by[Severity.WARNING],
        by[Severity.INFO],
    )
    assert reporter.count == len(diagnostics)
    assert all(by.values())
    line = summary_line(4, reporter.errors, reporter.warnings, reporter.infos)
    assert line == summary(diagnostics, 4)
    assert summary([], 1) == "1 file checked: 0 errors, 0 warnings, 0 infos."
    text = _stream("text", [diagnostics], 4)[0]
    assert text.endswith("\n" + line + "\n")


def test_nothing_is_written_before_the_first_diagnostic() -> None:
    # A run that fails before reporting prints no half document.
    for fmt in FORMATS:
        writes: list[str] = []
        reporter = Reporter(fmt, writes.append, color=False, version=VERSION)
        reporter.emit([])
        assert writes == [], fmt


def test_misuse_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown format"):
        Reporter("xml", print, color=False, version=VERSION)
    reporter = Reporter("json", lambda _: None, color=False, version=VERSION)
    reporter.close(0)
    with pytest.raises(ValueError, match="after close"):
        reporter.emit([])
    with pytest.raises(ValueError, match="twice"):
        reporter.close(0)


# ---------------------------------------------------------------------------
# memory

# Enough diagnostics, with long enough messages, that keeping what was written
# or the items (which are larger) would take several times the bound; not
# more, because tracemalloc makes the pure-Python JSON encoder ~10x slower.
MANY = 10_000
BOUND = 5 * 1024 * 1024
FILLER = "x" * 700


def _many() -> Iterator[Diagnostic]:
    """Diagnostics made one at a time: the source itself holds none."""
    fix = Fix("CRLF", edits=(Edit((1, 12), (1, 13), "\r\n"),))
    for i in range(MANY):
        yield Diagnostic(
            "VC103",
            "line-ending",
            Severity.INFO,
            f"LF, not CRLF, line {i}: {FILLER}",
            path=f"cards/{i % 97}.vcf",
            line=i + 1,
            column=12,
            fix=fix,
        )


@pytest.mark.parametrize("fmt", ["json", "sarif"])
def test_memory_does_not_grow_with_the_number_of_diagnostics(fmt: str) -> None:
    written = 0
    writes = 0

    def discard(text: str) -> None:
        nonlocal written, writes
        written += len(text)
        writes += 1

    tracemalloc.start()
    try:
        reporter = Reporter(fmt, discard, color=False, version=VERSION)
        for d in _many():
            reporter.emit((d,))
        reporter.close(1)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # Every diagnostic was written, and keeping the output (let alone the
    # items it is made from) would have taken at least twice the bound.
    assert reporter.count == MANY
    assert writes == MANY + 1
    assert written > 2 * BOUND
    assert peak < BOUND, f"peak {peak / 1e6:.1f} MB"
