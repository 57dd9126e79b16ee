"""Output formats of ``vcardkit lint``: text, json, sarif, github (DESIGN.md "The command line")."""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Final
from urllib.parse import quote

from vcardkit._rules._base import Rule
from vcardkit._rules._diagnostic import Diagnostic, Fix, Severity
from vcardkit._rules._helpers import plural
from vcardkit._rules._registry import REGISTRY

__all__ = ["FORMATS", "render", "summary", "use_color"]

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
    path = d.path or "<input>"
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


def summary(diagnostics: Sequence[Diagnostic], files: int) -> str:
    """The one summary line of the text format."""
    errors = sum(1 for d in diagnostics if d.severity is Severity.ERROR)
    warnings = sum(1 for d in diagnostics if d.severity is Severity.WARNING)
    infos = sum(1 for d in diagnostics if d.severity is Severity.INFO)
    return (
        f"{plural(files, 'file')} checked: {plural(errors, 'error')}, "
        f"{plural(warnings, 'warning')}, {plural(infos, 'info')}."
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
    }


def diagnostic_json(d: Diagnostic) -> dict[str, Any]:
    """Every field of a Diagnostic, ``fix`` included."""
    return {
        "code": d.code,
        "name": d.name,
        "severity": str(d.severity),
        "message": d.message,
        "path": d.path,
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
    props = [f"file={_github_escape(d.path or '<input>', prop=True)}"]
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
            return candidate.as_uri()
    return quote(candidate.as_posix())


def sarif(diagnostics: Sequence[Diagnostic], version: str) -> dict[str, Any]:
    """SARIF 2.1.0, as GitHub code scanning accepts it."""
    index = {rule.code: i for i, rule in enumerate(REGISTRY)}
    results = []
    for d in diagnostics:
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
        results.append(result)
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


def render(
    fmt: str, diagnostics: Sequence[Diagnostic], files: int, *, color: bool, version: str
) -> str:
    """The whole output of a lint run in ``fmt``, ending in a newline."""
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
