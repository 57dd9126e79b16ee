"""Output formats of ``vcardkit lint``: text, json, sarif, github (docs/cli.md "lint").

``Reporter`` writes each format as diagnostics arrive, so a lint run can
print what it finds per window of cards in bounded memory; ``render`` is
that same writer collecting into one string. There is one implementation of
each format: the streamed output, in any batching, is byte for byte what
``json.dumps`` of the whole document (or the whole list of lines) gives.
"""

from __future__ import annotations

import base64
import functools
import json
import os
import re
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, Final
from urllib.parse import quote

from vcardkit._cli._files import ReadError, shown
from vcardkit._docs import DOCS_URL, rule_url
from vcardkit._rules._base import Rule
from vcardkit._rules._diagnostic import Diagnostic, Fix, Severity
from vcardkit._rules._helpers import plural
from vcardkit._rules._registry import REGISTRY

__all__ = [
    "FORMATS",
    "STATISTICS_FORMATS",
    "Reporter",
    "Statistics",
    "render",
    "summary",
    "summary_line",
    "use_color",
]

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


def use_color(stream: Any, mode: str) -> bool:
    """Whether to colour what is written to ``stream``; ``mode`` is ``--color``.

    In this order: ``--color always|never`` (a command-line argument
    overrides the environment, as https://no-color.org asks); ``NO_COLOR``
    non-empty turns colour off; ``FORCE_COLOR`` non-empty turns it on even
    when ``stream`` is not a terminal (https://force-color.org); then
    ``TERM=dumb`` turns it off; then colour only on a terminal.
    """
    if mode == "always":
        return True
    if mode == "never" or os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
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


def summary_line(files: int, errors: int, warnings: int, infos: int, *, hidden: int = 0) -> str:
    """The one summary line of the text format, from counts (a stream keeps no list).

    ``hidden``: how many of the infos were not printed (``lint`` without
    ``--show-infos``); the line says so, and how to see them.
    """
    shown_infos = plural(infos, "info")
    if hidden:
        them = "it" if hidden == 1 else "them"
        hid = "hidden" if hidden == infos else f"{hidden} hidden"
        shown_infos += f" ({hid}: --show-infos shows {them})"
    return (
        f"{plural(files, 'file')} checked: {plural(errors, 'error')}, "
        f"{plural(warnings, 'warning')}, {shown_infos}."
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
        "end_line": d.end_line,
        "end_column": d.end_column,
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
    """A workflow-command annotation, ``::error file=…,line=…,col=…,endLine=…,``
    ``endColumn=…,title=…::message``.

    The end is exclusive, as the diagnostic's. GitHub takes columns only for
    a span on one line (the runner drops an annotation's columns otherwise,
    actions/runner#2082): a span over several lines gives its lines alone.
    A span that ends at the start of the next line is a line break (VC103,
    an empty value at the end of its line), which is one column of its line.
    """
    props = [f"file={_github_escape(shown(d.path or '<input>'), prop=True)}"]
    if d.line is not None:
        props.append(f"line={d.line}")
        end_line, end_column = d.end_line, d.end_column
        if end_line == d.line + 1 and end_column == 1 and d.column is not None:
            end_line, end_column = d.line, d.column + 1
        if end_line is None or end_line == d.line:
            props.append(f"col={d.column}")
        if end_line is not None:
            props.append(f"endLine={end_line}")
            if end_line == d.line:
                props.append(f"endColumn={end_column}")
    props.append(f"title={_github_escape(f'{d.code} {d.name}', prop=True)}")
    return f"::{_GITHUB_LEVEL[d.severity]} {','.join(props)}::{_github_escape(d.message)}"


def _sarif_rule(rule: type[Rule]) -> dict[str, Any]:
    doc = rule.documentation()
    return {
        "id": rule.code,
        "name": "".join(part.capitalize() for part in rule.name.split("-")),
        "shortDescription": {"text": rule.summary()},
        "fullDescription": {"text": doc},
        "helpUri": rule_url(rule.code),
        "help": {"text": doc, "markdown": help_markdown(doc, rule_url(rule.code))},
        "defaultConfiguration": {"level": _SARIF_LEVEL[rule.severity]},
        "properties": {"profile": rule.profile.value, "kebab-name": rule.name},
    }


# Outside ``code``, the characters Markdown could read as markup: a
# backslash escapes any ASCII punctuation in CommonMark, so these are shown
# as themselves. Inside a code span nothing is markup, and nothing escaped.
_MARKDOWN_SPECIAL: Final = re.compile(r"([\\`*_\[\]<>|~&])")
_CODE_SPAN: Final = re.compile(r"(``.+?``)", re.DOTALL)
_SECTION: Final = re.compile(r"^(Why|Fails|Fix):")


def help_markdown(doc: str, url: str) -> str:
    """A rule's docstring as Markdown: a bold title, a paragraph for each section, its page.

    The docstring's lines are wrapped for the source, so each section's lines
    are joined into one paragraph (a line that happens to begin with ``+55``
    or ``2019)`` would otherwise start a list). ``Why:``, ``Fails:`` and
    ``Fix:`` begin a paragraph in bold, and ````code```` stays a code span.
    """
    title, _, body = doc.partition("\n")
    ident, dash, summary = title.partition(" — ")
    paragraphs: list[list[str]] = []
    for line in body.strip().splitlines():
        if _SECTION.match(line) or not paragraphs:
            paragraphs.append([])
        paragraphs[-1].append(line.strip())
    out = [f"**{_markdown_text(ident)}**{dash}{_markdown_text(summary)}"]
    for lines in paragraphs:
        text = _markdown_text(" ".join(lines))
        out.append(_SECTION.sub(lambda m: f"**{m.group(1)}:**", text, count=1))
    out.append(f"[{ident}]({url}) in the vcardkit documentation.")
    return "\n\n".join(out) + "\n"


def _markdown_text(text: str) -> str:
    """``text`` with its ````code```` spans kept and markup characters elsewhere escaped."""
    return "".join(
        part if i % 2 else _MARKDOWN_SPECIAL.sub(r"\\\1", part)
        for i, part in enumerate(_CODE_SPAN.split(text))
    )


# A relative path is relative to the folder lint ran in: this base, which
# the run's originalUriBaseIds gives as that folder's file URI.
SRCROOT: Final = "%SRCROOT%"


def artifact_location(path: str | None) -> dict[str, str]:
    """A SARIF artifactLocation for a path as lint names it (``None``: stdin); a new dict."""
    return dict(_artifact_location(path))


# Every result of a file names it, twice with a fix: worked out once per path.
@functools.lru_cache(maxsize=256)
def _artifact_location(path: str | None) -> tuple[tuple[str, str], ...]:
    return tuple(_location_of(path).items())


def _location_of(path: str | None) -> dict[str, str]:
    """The artifactLocation of ``path``.

    SARIF 2.1.0 §3.4.4: ``uriBaseId`` is for a relative reference only, so
    a relative path is a relative URI against ``%SRCROOT%`` and an absolute
    path an absolute ``file://`` URI, alone. Either is percent-encoded
    (spaces, ``#``, ``%``, every non-ASCII byte of the name in UTF-8).
    """
    if not path:
        return {"uri": "stdin", "uriBaseId": SRCROOT}
    candidate = Path(path)
    if candidate.is_absolute():
        try:
            return {"uri": candidate.as_uri()}
        except UnicodeEncodeError:  # a surrogate no file name holds
            return {"uri": "file://" + quote(_name_bytes(candidate.as_posix()))}
    # A URI names the file's bytes: a name that is not UTF-8 keeps them (%FF).
    return {"uri": quote(_name_bytes(candidate.as_posix())), "uriBaseId": SRCROOT}


def _name_bytes(name: str) -> bytes:
    """A file name as the bytes it is on disk (PEP 383's surrogates back to bytes)."""
    try:
        return os.fsencode(name)
    except UnicodeEncodeError:  # a surrogate no file name holds: shown escaped
        return shown(name).encode("utf-8")


def _original_uri_base_ids() -> dict[str, Any]:
    """Where ``%SRCROOT%`` is: the folder lint runs in, as SARIF viewers resolve it."""
    try:
        uri = Path.cwd().as_uri()
    except (OSError, UnicodeEncodeError):  # the folder was removed: no base to give
        return {}
    # A base URI ends in "/" (SARIF 2.1.0 §3.14.14); the root's already does.
    return {SRCROOT: {"uri": uri if uri.endswith("/") else uri + "/"}}


def _region(start: tuple[int, int], end: tuple[int, int]) -> dict[str, int]:
    return {"startLine": start[0], "startColumn": start[1], "endLine": end[0], "endColumn": end[1]}


# Bytes, not text: the UTF-8 mark is not in the decoded text that lines and
# columns count, so VC102's fix is a binary region (SARIF 2.1.0 §3.30.1).
_UTF8_BOM: Final = "\ufeff".encode()


def sarif_fixes(fix: Fix | None, location: dict[str, str]) -> list[dict[str, Any]]:
    """The SARIF ``fixes`` of a diagnostic's fix: none where SARIF cannot say it.

    Edits become replacements of text regions, in the diagnostic's own
    coordinates (code-point columns, end exclusive, as the run's
    ``columnKind``). Removing (or adding) the UTF-8 byte-order mark is a
    replacement of bytes 0 to 3. A change of the line endings (VC103) gets
    no fix: it is one replacement per line break of the file, as big as the
    file, which is why ``Fix`` does not list them either; and a fix of Python
    objects (``pointer``/``value``) changes no file. Unsafe fixes are
    included, since SARIF has no such flag: their description says so, and
    the property bag has ``safe``.
    """
    if fix is None or fix.line_ending is not None:
        return []
    replacements: list[dict[str, Any]] = []
    if fix.bom is False:
        replacements.append({"deletedRegion": {"byteOffset": 0, "byteLength": len(_UTF8_BOM)}})
    elif fix.bom is True:
        replacements.append(
            {
                "deletedRegion": {"byteOffset": 0, "byteLength": 0},
                "insertedContent": {"binary": base64.b64encode(_UTF8_BOM).decode("ascii")},
            }
        )
    for edit in fix.edits:
        replacement: dict[str, Any] = {"deletedRegion": _region(edit.start, edit.end)}
        if edit.text:  # no insertedContent: a deletion (§3.57.3)
            replacement["insertedContent"] = {"text": edit.text}
        replacements.append(replacement)
    if not replacements:
        return []
    description = fix.description
    if not fix.safe:
        description += " (unsafe: vcardkit fix applies it only with --unsafe-fixes)"
    return [
        {
            "description": {"text": description},
            "artifactChanges": [{"artifactLocation": location, "replacements": replacements}],
            "properties": {"safe": fix.safe},
        }
    ]


def _sarif_result(d: Diagnostic, index: dict[str, int]) -> dict[str, Any]:
    """One SARIF result; ``index`` maps a rule code to its place in the driver's rules."""
    region: dict[str, int] = {
        "startLine": d.line if d.line is not None else 1,
    }
    if d.column is not None:
        region["startColumn"] = d.column
    # The end only where the start is the diagnostic's own line (SARIF's
    # endLine defaults to startLine, endColumn to the end of the line).
    if d.line is not None:
        if d.end_line is not None:
            region["endLine"] = d.end_line
        if d.end_column is not None:
            region["endColumn"] = d.end_column
    location = artifact_location(d.path)
    result: dict[str, Any] = {
        "ruleId": d.code,
        "ruleIndex": index[d.code],
        "level": _SARIF_LEVEL[d.severity],
        "message": {"text": d.message},
        "locations": [{"physicalLocation": {"artifactLocation": location, "region": region}}],
    }
    fixes = sarif_fixes(d.fix, dict(location))
    if fixes:
        result["fixes"] = fixes
    if d.pointer:
        result["properties"] = {"pointer": d.pointer}
    return result


def _rule_index() -> dict[str, int]:
    return {rule.code: i for i, rule in enumerate(REGISTRY)}


def _invocation(errors: Sequence[str]) -> dict[str, Any]:
    """The run's one invocation: whether it succeeded, and each I/O error as a notification.

    An error that names a file (a ``ReadError``) points at it; the text is
    the line stderr shows, without the ``vcardkit: error:`` prefix.
    """
    invocation: dict[str, Any] = {"executionSuccessful": not errors}
    if errors:
        notifications = []
        for error in errors:
            notification: dict[str, Any] = {"level": "error", "message": {"text": shown(error)}}
            path = error.path if isinstance(error, ReadError) else None
            if path is not None:
                notification["locations"] = [
                    {"physicalLocation": {"artifactLocation": artifact_location(path)}}
                ]
            notifications.append(notification)
        invocation["toolExecutionNotifications"] = notifications
    return invocation


def _sarif_document(
    results: list[Any],
    errors: Sequence[str] = (),
    *,
    version: str,
    bases: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The SARIF log around ``results``: the one place its shape is written down.

    ``invocations`` comes after ``results``: the I/O errors are known only
    once every file was read, and the streamed document writes everything
    after the results at ``close``.
    """
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "vcardkit",
                "version": version,
                "informationUri": DOCS_URL,
                "rules": [_sarif_rule(rule) for rule in REGISTRY],
            }
        },
    }
    if bases is None:
        bases = _original_uri_base_ids()
    if bases:
        run["originalUriBaseIds"] = bases
    run["columnKind"] = "unicodeCodePoints"
    run["results"] = results
    run["invocations"] = [_invocation(errors)]
    return {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [run],
    }


def sarif(
    diagnostics: Iterable[Diagnostic], version: str, errors: Sequence[str] = ()
) -> dict[str, Any]:
    """SARIF 2.1.0, as GitHub code scanning accepts it, as one dict.

    The CLI does not build this (it grows with the diagnostics): ``Reporter``
    writes the same document a result at a time, and the tests check that
    its output is ``json.dumps`` of this. ``errors`` are the run's I/O errors.
    """
    index = _rule_index()
    return _sarif_document([_sarif_result(d, index) for d in diagnostics], errors, version=version)


# An array holding only this string is dumped to find where the items go. It
# is not a string the document can otherwise contain (a NUL each side).
_SENTINEL: Final = "\x00vcardkit:items\x00"


def _json_document(items: list[Any], errors: Sequence[str] = ()) -> list[Any]:
    """The json format's document is the list of diagnostics itself (errors go to stderr)."""
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
    ``]`` of the json list, the closing of SARIF's results, its invocation
    (the I/O errors), the end of its run and log.
    The document's opening is written with the first diagnostic (or by
    ``close``), so a run that fails before reporting anything prints nothing.
    Fed the same diagnostics in any batching, the output is the same bytes.
    """

    def __init__(
        self,
        fmt: str,
        write: Callable[[str], None],
        *,
        color: bool,
        version: str,
        show_infos: bool = True,
        quiet: bool = False,
    ) -> None:
        if fmt not in FORMATS:
            raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
        self.fmt = fmt
        self.errors = 0
        self.warnings = 0
        self.infos = 0
        # The text format only: infos not printed but counted in the summary
        # (they can be hundreds, one per card, and drown the rest); quiet:
        # no summary line. The other formats are for machines: everything.
        self._hide_infos = fmt == "text" and not show_infos
        self._quiet = quiet
        self.hidden = 0
        self._write = write
        self._color = color
        self._closed = False
        self._index: dict[str, int] = {}
        # json and sarif are one JSON document around an array of items. Its
        # text before, between and after the items is derived from json.dumps
        # of the very document, with a sentinel as the only item, so that the
        # stream cannot drift from the dict nor from json.dumps of it whole.
        self._document: Callable[[list[Any], Sequence[str]], Any] | None = None
        self._head = self._item_indent = ""
        if fmt == "json":
            self._document = _json_document
        elif fmt == "sarif":
            self._index = _rule_index()
            # The folder once: the head and the tail are cut from one document.
            self._document = functools.partial(
                _sarif_document, version=version, bases=_original_uri_base_ids()
            )
        if self._document is not None:
            self._head, self._item_indent, _ = self._split(())

    def _split(self, errors: Sequence[str]) -> tuple[str, str, str]:
        """The document's text before its items, their indent, and the text after them."""
        assert self._document is not None
        whole = _dumps(self._document([_SENTINEL], errors))
        marker = _dumps(_SENTINEL)
        if whole.count(marker) != 1:  # pragma: no cover - the sentinel has NULs
            raise RuntimeError(f"the {self.fmt} document holds the results sentinel")
        at = whole.index(marker)
        line_start = whole.rindex("\n", 0, at)
        return whole[:line_start], whole[line_start + 1 : at], whole[at + len(marker) :] + "\n"

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
            if self.fmt == "text" and self._hide_infos and d.severity is Severity.INFO:
                self.hidden += 1
            elif self.fmt == "text":
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

    def close(self, files: int, errors: Sequence[str] = ()) -> None:
        """Write the end of the output.

        ``files`` is how many were checked (text's summary); ``errors`` the
        run's I/O errors, which SARIF's invocation lists after the results
        (the other formats leave them to stderr).
        """
        if self._closed:
            raise ValueError("close twice")
        self._closed = True
        if self.fmt == "text":
            if not self._quiet:
                line = summary_line(
                    files, self.errors, self.warnings, self.infos, hidden=self.hidden
                )
                self._write(line + "\n")
        elif self._document is not None:
            if not self.count:
                # json.dumps writes an empty array as "[]", not as the head
                # and tail around nothing: so the whole document without items.
                self._write(_dumps(self._document([], errors)) + "\n")
                return
            head, _, tail = self._split(errors)
            # What the errors change comes after the items, already written.
            if head != self._head:  # pragma: no cover - a document's shape error
                raise RuntimeError(f"the {self.fmt} document changed before its items")
            self._write(tail)


def render(
    fmt: str,
    diagnostics: Iterable[Diagnostic],
    files: int,
    *,
    color: bool,
    version: str,
    errors: Sequence[str] = (),
) -> str:
    """The whole output of a lint run in ``fmt``, ending in a newline: a ``Reporter``'s output."""
    chunks: list[str] = []
    reporter = Reporter(fmt, chunks.append, color=color, version=version)
    reporter.emit(diagnostics)
    reporter.close(files, errors)
    return "".join(chunks)


STATISTICS_FORMATS: Final = ("text", "json")


class Statistics:
    """``lint --statistics``: a count per rule instead of the diagnostics, as ruff's.

    Same interface as :class:`Reporter`; keeps one count per rule, so memory
    does not grow with the diagnostics. ``text``: one line per rule,
    ``  12  VC404  waid-format``, most frequent first (then by code), and the
    summary line unless ``quiet``; ``json``: an array of
    ``{"code", "name", "severity", "count"}`` in the same order. Infos are
    counted like the rest: a count does not drown anything.
    """

    def __init__(self, fmt: str, write: Callable[[str], None], *, quiet: bool = False) -> None:
        if fmt not in STATISTICS_FORMATS:
            raise ValueError(f"--statistics takes --format text or json, not {fmt}")
        self.fmt = fmt
        self._write = write
        self._quiet = quiet
        self._closed = False
        self._rules: dict[str, tuple[str, Severity]] = {}
        self._counts: dict[str, int] = {}
        self._severities = dict.fromkeys(Severity, 0)

    @property
    def count(self) -> int:
        return sum(self._counts.values())

    def emit(self, diagnostics: Iterable[Diagnostic]) -> None:
        if self._closed:
            raise ValueError("emit after close")
        for d in diagnostics:
            # The first severity met is the rule's: severities are set per
            # rule ([tool.vcardkit.severity]), not per file.
            self._rules.setdefault(d.code, (d.name, d.severity))
            self._counts[d.code] = self._counts.get(d.code, 0) + 1
            self._severities[d.severity] += 1

    def rows(self) -> list[tuple[str, str, Severity, int]]:
        """(code, name, severity, count), by count descending, then by code."""
        order = sorted(self._counts.items(), key=lambda item: (-item[1], item[0]))
        return [(code, *self._rules[code], count) for code, count in order]

    def close(self, files: int) -> None:
        if self._closed:
            raise ValueError("close twice")
        self._closed = True
        rows = self.rows()
        if self.fmt == "json":
            items = [
                {"code": code, "name": name, "severity": str(severity), "count": count}
                for code, name, severity, count in rows
            ]
            self._write(_dumps(items) + "\n")
            return
        width = max([4, *(len(str(count)) for *_, count in rows)])
        lines = [f"{count:>{width}}  {code}  {name}\n" for code, name, _, count in rows]
        if not self._quiet:
            counts = self._severities
            lines.append(
                summary_line(
                    files, counts[Severity.ERROR], counts[Severity.WARNING], counts[Severity.INFO]
                )
                + "\n"
            )
        self._write("".join(lines))
