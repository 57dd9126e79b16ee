"""The command line: ``vcardkit lint | fix | convert | rules | preview | schema``.

``main(argv=None) -> int`` never raises for bad input: problems in the input
are reported with their position and exit 1; usage and I/O errors are one
line on stderr and exit 2 (docs/cli.md "Exit codes").
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

from vcardkit import __version__
from vcardkit._cli import _convert as convert
from vcardkit._cli import _fix as fix
from vcardkit._cli import _preview as preview
from vcardkit._cli._config import ConfigError, add_options, settings_from_args
from vcardkit._cli._files import UsageError, print_error, write_stdout
from vcardkit._cli._lint import discover, lint_targets
from vcardkit._cli._output import FORMATS, Reporter, use_color
from vcardkit._rules._engine import matches
from vcardkit._rules._registry import REGISTRY
from vcardkit._schema import json_schema

__all__ = ["main"]

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_USAGE = 2


class _UsageError(Exception):
    """A usage, configuration or I/O error: one line on stderr, exit 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise _UsageError(message)


def _build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="vcardkit",
        description="WhatsApp-style contact cards: convert, validate and lint vCard and JSON.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    convert.add_parser(sub)
    fix.add_parser(sub)
    preview.add_parser(sub)
    lint = sub.add_parser(
        "lint",
        help="check .vcf/.vcard files, folders and JSON contact files",
        description=(
            "Check vCard and JSON contact files. Folders are searched for *.vcf and "
            "*.vcard (and JSON files matching the configuration's include globs); "
            "- reads stdin."
        ),
    )
    lint.add_argument("paths", nargs="+", metavar="PATH", help="files, folders, or -")
    lint.add_argument(
        "--format",
        choices=FORMATS,
        help="output format (default: github under GitHub Actions, else text)",
    )
    add_options(lint)
    lint.add_argument("--stdin-filename", metavar="NAME", help="the name of - in output and config")
    lint.add_argument(
        "--color", choices=("auto", "always", "never"), default="auto", help="colour text output"
    )
    rules = sub.add_parser(
        "rules",
        help="list the rules, or print one rule's documentation",
        description="List the rule catalogue, or print the documentation of one rule.",
    )
    rules.add_argument("rule", nargs="?", metavar="CODE", help="a code (VC404) or name")
    rules.add_argument(
        "--format",
        choices=("text", "markdown"),
        default="text",
        help="markdown: the catalogue as the README's table",
    )
    sub.add_parser(
        "schema",
        help="print the JSON Schema of the JSON contact array",
        description=(
            "Print the JSON Schema (draft 2020-12) of a payload of JSON contacts, "
            "as vcardkit.json_schema() returns it."
        ),
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    parser = _build_parser()
    try:
        args = parser.parse_args(argv)
        if args.command is None:
            parser.print_help(sys.stderr)
            return EXIT_USAGE
        if args.command == "convert":
            return convert.run(args)
        if args.command == "fix":
            return fix.run(args)
        if args.command == "preview":
            return preview.run(args)
        if args.command == "lint":
            return _lint(args)
        if args.command == "rules":
            return _rules(args)
        if args.command == "schema":
            return _schema()
        raise _UsageError(f"unknown command {args.command!r}")  # pragma: no cover
    except (_UsageError, UsageError, ConfigError) as exc:
        print_error(str(exc))
        return EXIT_USAGE
    except KeyboardInterrupt:  # pragma: no cover - interactive only
        return 130


def _lint(args: argparse.Namespace) -> int:
    settings = settings_from_args(args)
    if args.paths.count("-") > 1:
        raise _UsageError("- (stdin) can be given once")
    fmt = args.format or ("github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text")
    targets, errors = discover(args.paths, settings, args.stdin_filename)
    color = fmt == "text" and use_color(sys.stdout, args.color)
    # write_stdout: UTF-8 to stdout's buffer, flushed, so each batch shows as
    # it is found; a write error there ends the run (exit 2).
    reporter = Reporter(fmt, write_stdout, color=color, version=__version__)
    failing = False
    found = len(errors)
    for batch in lint_targets(targets, settings, sys.stdin.buffer, errors):
        reporter.emit(batch)
        failing = failing or any(settings.fails(d) for d in batch)
    # lint_targets adds one error for each file it could not read: those
    # were not checked.
    reporter.close(len(targets) - (len(errors) - found))
    for error in errors:
        print_error(error)
    if errors:
        return EXIT_USAGE
    return EXIT_PROBLEMS if failing else EXIT_OK


def _rules(args: argparse.Namespace) -> int:
    if args.rule is None and args.format == "markdown":
        write_stdout(rules_markdown())
        return EXIT_OK
    if args.rule is None:
        width = max(len(rule.name) for rule in REGISTRY)
        lines = [
            f"{rule.code}  {rule.name:<{width}}  {rule.severity.value:<7}  "
            f"{rule.profile.value:<3}  {rule.summary()}"
            for rule in REGISTRY
        ]
        write_stdout("\n".join(lines) + "\n")
        return EXIT_OK
    found = [
        rule
        for rule in REGISTRY
        if rule.code.upper() == args.rule.upper() or rule.name == args.rule.lower()
    ]
    if not found:
        prefix = [rule for rule in REGISTRY if matches(rule, args.rule)]
        hint = (
            f" ({len(prefix)} rules start with it; list them with vcardkit rules)" if prefix else ""
        )
        raise _UsageError(f"rules: {args.rule!r} is not a rule code or name{hint}")
    rule = found[0]
    header = (
        f"{rule.code} {rule.name}  (default severity: {rule.severity.value}; "
        f"profile: {rule.profile.value})"
    )
    body = rule.documentation().split("\n", 1)[1].strip() if "\n" in rule.documentation() else ""
    write_stdout(f"{header}\n\n{rule.summary()}\n\n{body}\n")
    return EXIT_OK


def _schema() -> int:
    write_stdout(json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n")
    return EXIT_OK


def rules_markdown() -> str:
    """The catalogue as a Markdown table (the README's rule list is this)."""
    lines = ["| code | name | severity | profile | what |", "|---|---|---|---|---|"]
    for rule in REGISTRY:
        summary = rule.summary().replace("|", "\\|")
        lines.append(
            f"| {rule.code} | {rule.name} | {rule.severity.value} | {rule.profile.value} "
            f"| {summary} |"
        )
    return "\n".join(lines) + "\n"
