"""Output formats of ``vcardkit lint``: text, json, sarif, github (docs/cli.md "lint").

``Reporter`` writes each format as diagnostics arrive, so a lint run can
print what it finds per window of cards in bounded memory; ``render`` is
that same writer collecting into one string. There is one implementation of
each format: the streamed output, in any batching, is byte for byte what
``json.dumps`` of the whole document (or the whole list of lines) gives.
"""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, Final
from urllib.parse import quote

from vcardkit._cli._files import shown
from vcardkit._rules._base import Rule
from vcardkit._rules._diagnostic import Diagnostic, Fix, Severity
from vcardkit._rules._helpers import plural
from vcardkit._rules._registry import REGISTRY

__all__ = ["FORMATS", "Reporter", "render", "summary", "summary_line", "use_color"]

FORMATS: Final = ("text", "json", "sarif", "github")
_SARIF_LEVEL: Final = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
_GITHUB_LEVEL: Final = {
    Severity.ERROR: "error",
    Severity.WARNING: "warning",
    Severity.INFO: "notice",
}
_COLORS: Final = {
    Severity.ERROR: "\x1b[31m",
    Severity.WARNING: "\x1b[33m",
    Severity.INFO: "\x1b[36m",
}
_BOLD: Final = "\x1b[1m"
_RESET: Final = "\x1b[0m"
INFORMATION_URI: Final = "https://pypi.org/project/vcardkit/"


def use_color(stream: Any, mode: str) -> bool:
    """Colour only on a terminal, never with NO_COLOR set (https://no-color.org)."""
    if mode == "always":
        return True
    if mode == "never" or os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def _where(d: Diagnostic) -> str:
    path = shown(d.path or "<input>")
    if d.line is not None:
        return f"{path}:{d.line}:{d.column}:"
    if d.pointer is not None:
        return f"{path}:{d.pointer or '/'}:"
    return f"{path}:"


def text_line(d: Diagnostic, color: bool) -> str:
    """``path:line:col: CODE [severity] message``."""
    if not color:
        return f"{_where(d)} {d.code} [{d.severity}] {d.message}"
    tint = _COLORS[d.severity]
    return (
        f"{_BOLD}{_where(d)}{_RESET} {tint}{d.code}{_RESET} "
        f"[{tint}{d.severity}{_RESET}] {d.message}"
    )


def summary_line(files: int, errors: int, warnings: int, infos: int) -> str:
    """The one summary line of the text format, from counts (a stream keeps no list)."""
    return (
        f"{plural(files, 'file')} checked: {plural(errors, 'error')}, "
        f"{plural(warnings, 'warning')}, {plural(infos, 'info')}."
    )


def summary(diagnostics: Iterable[Diagnostic], files: int) -> str:
    """The summary line for diagnostics already in hand (``vcardkit fix`` has a list)."""
    counts = dict.fromkeys(Severity, 0)
    for d in diagnostics:
        counts[d.severity] += 1
    return summary_line(
        files, counts[Severity.ERROR], counts[Severity.WARNING], counts[Severity.INFO]
    )


def fix_json(fix: Fix | None) -> dict[str, Any] | None:
    if fix is None:
        return None
    return {
        "description": fix.description,
        "safe": fix.safe,
        "edits": [
            {
                "start": {"line": e.start[0], "column": e.start[1]},
                "end": {"line": e.end[0], "column": e.end[1]},
                "text": e.text,
            }
            for e in fix.edits
        ],
        "pointer": fix.pointer,
        "value": fix.value,
        "line_ending": fix.line_ending,
        "bom": fix.bom,
    }


def diagnostic_json(d: Diagnostic) -> dict[str, Any]:
    """Every field of a Diagnostic, ``fix`` included."""
    return {
        "code": d.code,
        "name": d.name,
        "severity": str(d.severity),
        "message": d.message,
        "path": shown(d.path) if d.path is not None else None,
        "line": d.line,
        "column": d.column,
        "card": d.card,
        "pointer": d.pointer,
        "fix": fix_json(d.fix),
    }


def _github_escape(text: str, *, prop: bool = False) -> str:
    # The workflow-command escapes GitHub's runner applies.
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def github_line(d: Diagnostic) -> str:
    """A workflow-command annotation: ``::error file=…,line=…,col=…,title=…::message``."""
    props = [f"file={_github_escape(shown(d.path or '<input>'), prop=True)}"]
    if d.line is not None:
        props.append(f"line={d.line}")
        props.append(f"col={d.column}")
    props.append(f"title={_github_escape(f'{d.code} {d.name}', prop=True)}")
    return f"::{_GITHUB_LEVEL[d.severity]} {','.join(props)}::{_github_escape(d.message)}"


def _sarif_rule(rule: type[Rule]) -> dict[str, Any]:
    doc = rule.documentation()
    return {
        "id": rule.code,
        "name": "".join(part.capitalize() for part in rule.name.split("-")),
        "shortDescription": {"text": rule.summary()},
        "fullDescription": {"text": doc},
        "help": {"text": doc, "markdown": doc},
        "defaultConfiguration": {"level": _SARIF_LEVEL[rule.severity]},
        "properties": {"profile": rule.profile.value, "kebab-name": rule.name},
    }


def _artifact_uri(path: str | None) -> str:
    if not path:
        return "stdin"
    candidate = Path(path)
    if candidate.is_absolute():
        try:
            candidate = candidate.relative_to(Path.cwd())
        except ValueError:
            try:
                return candidate.as_uri()
            except UnicodeEncodeError:  # a surrogate no file name holds
                return "file://" + quote(_name_bytes(candidate.as_posix()))
    # A URI names the file's bytes: a name that is not UTF-8 keeps them (%FF).
    return quote(_name_bytes(candidate.as_posix()))


def _name_bytes(name: str) -> bytes:
    """A file name as the bytes it is on disk (PEP 383's surrogates back to bytes)."""
    try:
        return os.fsencode(name)
    except UnicodeEncodeError:  # a surrogate no file name holds: shown escaped
        return shown(name).encode("utf-8")


def _sarif_result(d: Diagnostic, index: dict[str, int]) -> dict[str, Any]:
    """One SARIF result; ``index`` maps a rule code to its place in the driver's rules."""
    region: dict[str, int] = {
        "startLine": d.line if d.line is not None else 1,
    }
    if d.column is not None:
        region["startColumn"] = d.column
    result: dict[str, Any] = {
        "ruleId": d.code,
        "ruleIndex": index[d.code],
        "level": _SARIF_LEVEL[d.severity],
        "message": {"text": d.message},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {
                        "uri": _artifact_uri(d.path),
                        "uriBaseId": "%SRCROOT%",
                    },
                    "region": region,
                }
            }
        ],
    }
    if d.pointer:
        result["properties"] = {"pointer": d.pointer}
    return result


def _rule_index() -> dict[str, int]:
    return {rule.code: i for i, rule in enumerate(REGISTRY)}


def _sarif_document(results: list[Any], *, version: str) -> dict[str, Any]:
    """The SARIF log around ``results``: the one place its shape is written down."""
    return {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "vcardkit",
                        "version": version,
                        "informationUri": INFORMATION_URI,
                        "rules": [_sarif_rule(rule) for rule in REGISTRY],
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }


def sarif(diagnostics: Iterable[Diagnostic], version: str) -> dict[str, Any]:
    """SARIF 2.1.0, as GitHub code scanning accepts it, as one dict.

    The CLI does not build this (it grows with the diagnostics): ``Reporter``
    writes the same document a result at a time, and the tests check that
    its output is ``json.dumps`` of this.
    """
    index = _rule_index()
    return _sarif_document([_sarif_result(d, index) for d in diagnostics], version=version)


# An array holding only this string is dumped to find where the items go. It
# is not a string the document can otherwise contain (a NUL each side).
_SENTINEL: Final = "\x00vcardkit:items\x00"


def _json_document(items: list[Any]) -> list[Any]:
    """The json format's document is the list of diagnostics itself."""
    return items


def _dumps(value: Any) -> str:
    """The one JSON style of every format: UTF-8 as is, two-space indents."""
    return json.dumps(value, ensure_ascii=False, indent=2)


def _indented(text: str, indent: str) -> str:
    """``text`` (a ``json.dumps`` with indent) as it is nested ``indent`` deep.

    ``json.dumps`` puts every line of a nested value at its depth and escapes
    newlines inside strings, so prefixing each line is exactly the nesting.
    """
    return indent + text.replace("\n", "\n" + indent)


class Reporter:
    """Writes a lint run's output as diagnostics arrive, in one format.

    ``emit`` writes a batch at once (one ``write`` call per non-empty
    batch) and keeps only counts, so memory does not grow with the number
    of diagnostics; ``close`` writes the end: the text format's summary, the
    ``]`` of the json list, the closing of SARIF's results, run and log.
    The document's opening is written with the first diagnostic (or by
    ``close``), so a run that fails before reporting anything prints nothing.
    Fed the same diagnostics in any batching, the output is the same bytes.
    """

    def __init__(
        self, fmt: str, write: Callable[[str], None], *, color: bool, version: str
    ) -> None:
        if fmt not in FORMATS:
            raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
        self.fmt = fmt
        self.errors = 0
        self.warnings = 0
        self.infos = 0
        self._write = write
        self._color = color
        self._closed = False
        self._index: dict[str, int] = {}
        # json and sarif are one JSON document around an array of items. Its
        # text before, between and after the items is derived from json.dumps
        # of the very document, with a sentinel as the only item, so that the
        # stream cannot drift from the dict nor from json.dumps of it whole.
        self._document: Callable[[list[Any]], Any] | None = None
        self._head = self._tail = self._item_indent = ""
        if fmt == "json":
            self._document = _json_document
        elif fmt == "sarif":
            self._index = _rule_index()
            self._document = functools.partial(_sarif_document, version=version)
        if self._document is not None:
            whole = _dumps(self._document([_SENTINEL]))
            marker = _dumps(_SENTINEL)
            if whole.count(marker) != 1:  # pragma: no cover - the sentinel has NULs
                raise RuntimeError(f"the {fmt} document holds the results sentinel")
            at = whole.index(marker)
            line_start = whole.rindex("\n", 0, at)
            self._head = whole[:line_start]
            self._item_indent = whole[line_start + 1 : at]
            self._tail = whole[at + len(marker) :] + "\n"

    @property
    def count(self) -> int:
        """How many diagnostics have been written."""
        return self.errors + self.warnings + self.infos

    def _count(self, d: Diagnostic) -> None:
        if d.severity is Severity.ERROR:
            self.errors += 1
        elif d.severity is Severity.WARNING:
            self.warnings += 1
        else:
            self.infos += 1

    def emit(self, diagnostics: Iterable[Diagnostic]) -> None:
        """Write these diagnostics now, in one ``write`` (none for an empty batch)."""
        if self._closed:
            raise ValueError("emit after close")
        parts: list[str] = []
        for d in diagnostics:
            if self.fmt == "text":
                parts.append(text_line(d, self._color) + "\n")
            elif self.fmt == "github":
                parts.append(github_line(d) + "\n")
            else:
                # A JSON array item: the opening before the first, a comma
                # before the others, each on its own lines at its depth.
                parts.append(self._head + "\n" if self.count == 0 else ",\n")
                item = diagnostic_json(d) if self.fmt == "json" else _sarif_result(d, self._index)
                parts.append(_indented(_dumps(item), self._item_indent))
            self._count(d)
        if parts:
            self._write("".join(parts))

    def close(self, files: int) -> None:
        """Write the end of the output; ``files`` is how many were checked (text's summary)."""
        if self._closed:
            raise ValueError("close twice")
        self._closed = True
        if self.fmt == "text":
            self._write(summary_line(files, self.errors, self.warnings, self.infos) + "\n")
        elif self._document is not None:
            # json.dumps writes an empty array as "[]", not as the head and
            # tail around nothing: so the whole document without items.
            self._write(self._tail if self.count else _dumps(self._document([])) + "\n")


def render(
    fmt: str, diagnostics: Iterable[Diagnostic], files: int, *, color: bool, version: str
) -> str:
    """The whole output of a lint run in ``fmt``, ending in a newline: a ``Reporter``'s output."""
    chunks: list[str] = []
    reporter = Reporter(fmt, chunks.append, color=color, version=version)
    reporter.emit(diagnostics)
    reporter.close(files)
    return "".join(chunks)
