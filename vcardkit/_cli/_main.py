"""The command line: ``vcardkit convert`` (and, as they land, lint, fix, rules, preview).

``main(argv=None) -> int`` never raises for bad input: problems in the input
are reported with their position and exit 1; usage and I/O errors are one
line on stderr and exit 2 (DESIGN.md "The command line").
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import tempfile
from collections.abc import Sequence
from typing import IO, NoReturn

from vcardkit import __version__
from vcardkit._cli._config import LEVELS, ConfigError, load_settings
from vcardkit._cli._lint import discover, lint_targets
from vcardkit._cli._output import FORMATS, render, use_color
from vcardkit._errors import VCardError
from vcardkit._io import dumps, loads
from vcardkit._model._json import from_json, to_json
from vcardkit._rules._engine import PROFILES, matches
from vcardkit._rules._registry import REGISTRY

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
    convert = sub.add_parser(
        "convert",
        help="convert .json contacts to .vcf, or .vcf cards to .json",
        description="Convert JSON contacts to vCard 3.0, or vCard to JSON contacts.",
    )
    convert.add_argument("input", metavar="IN", help="a .json or .vcf file, or - for stdin")
    convert.add_argument("-o", "--output", metavar="OUT", help="write here (default: stdout)")
    convert.add_argument(
        "--to",
        choices=("vcf", "json"),
        help="output format (default: from OUT's suffix, else the other format than IN's)",
    )
    convert.add_argument(
        "--line-ending",
        choices=("crlf", "lf"),
        default="crlf",
        help="line ending of VCF output (default: crlf, as RFC 2426 says)",
    )
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
    lint.add_argument("--select", metavar="CODES", help="only these rules (replaces the file's)")
    lint.add_argument(
        "--ignore",
        metavar="CODES",
        action="append",
        default=[],
        help="also skip these rules (adds to the file's)",
    )
    lint.add_argument("--profile", choices=PROFILES, help="rule profile (default: whatsapp)")
    lint.add_argument("--region", metavar="CC", help="region for national numbers, e.g. EG")
    lint.add_argument(
        "--fail-on",
        choices=LEVELS,
        help="exit 1 when a diagnostic at or above this severity remains (default: error)",
    )
    lint.add_argument("--stdin-filename", metavar="NAME", help="the name of - in output and config")
    lint.add_argument("--config", metavar="FILE", help="read [tool.vcardkit] from this file")
    lint.add_argument(
        "--no-config", action="store_true", help="ignore pyproject.toml configuration"
    )
    lint.add_argument(
        "--color", choices=("auto", "always", "never"), default="auto", help="colour text output"
    )
    rules = sub.add_parser(
        "rules",
        help="list the rules, or print one rule's documentation",
        description="List the rule catalogue, or print the documentation of one rule.",
    )
    rules.add_argument("rule", nargs="?", metavar="CODE", help="a code (VC404) or name")
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
            return _convert(args)
        if args.command == "lint":
            return _lint(args)
        if args.command == "rules":
            return _rules(args)
        raise _UsageError(f"unknown command {args.command!r}")  # pragma: no cover
    except (_UsageError, ConfigError) as exc:
        print(f"vcardkit: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:  # pragma: no cover - interactive only
        return 130


def _read_input(path: str) -> bytes:
    if path == "-":
        return sys.stdin.buffer.read()
    try:
        with open(path, "rb") as fp:
            return fp.read()
    except OSError as exc:
        raise _UsageError(f"cannot read {path}: {exc.strerror or exc}") from None


def is_json(data: bytes | str) -> bool:
    """DESIGN.md: text whose first non-white-space character (after a BOM) is ``[`` or ``{``."""
    if isinstance(data, bytes):
        head = data[:4096].lstrip(b"\xef\xbb\xbf").lstrip()
        return head[:1] in (b"[", b"{")
    return data.lstrip("\ufeff").lstrip()[:1] in ("[", "{")


def _convert(args: argparse.Namespace) -> int:
    data = _read_input(args.input)
    display = "<stdin>" if args.input == "-" else args.input
    source_is_json = is_json(data)
    target = args.to
    if target is None and args.output and args.output != "-":
        suffix = os.path.splitext(args.output)[1].lower()
        target = {".json": "json", ".vcf": "vcf", ".vcard": "vcf"}.get(suffix)
    if target is None:
        target = "vcf" if source_is_json else "json"
    eol = "\r\n" if args.line_ending == "crlf" else "\n"
    try:
        contacts = from_json(data) if source_is_json else loads(data)
        if target == "vcf":
            out = dumps(contacts, line_ending=eol)
        else:
            out = json.dumps(to_json(contacts), ensure_ascii=False, indent=2) + "\n"
    except VCardError as exc:
        print(_format_error(display, exc), file=sys.stderr)
        return EXIT_PROBLEMS
    if args.output and args.output != "-":
        _write_atomic(args.output, out.encode("utf-8"))
    else:
        _write_stdout(out)
    return EXIT_OK


def _format_error(path: str, exc: VCardError) -> str:
    where = path
    if exc.line is not None:
        where += f":{exc.line}:{exc.column}"
    elif exc.pointer is not None:
        where += f":{exc.pointer or '/'}"
    code = f" {exc.code}" if exc.code else ""
    return f"{where}:{code} [error] {exc.msg}"


def _write_stdout(text: str) -> None:
    stream: IO[bytes] = sys.stdout.buffer
    stream.write(text.encode("utf-8"))
    stream.flush()


def _write_atomic(path: str, data: bytes) -> None:
    """Write through a temporary file in the same folder and a rename."""
    folder = os.path.dirname(os.path.abspath(path))
    try:
        mode = os.stat(path).st_mode & 0o7777
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        raise _UsageError(f"cannot write {path}: {exc.strerror or exc}") from None
    try:
        fd, tmp = tempfile.mkstemp(prefix=".vcardkit-", dir=folder)
    except OSError as exc:
        raise _UsageError(f"cannot write {path}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb") as fp:
            fp.write(data)
            fp.flush()
            os.fsync(fp.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise _UsageError(f"cannot write {path}: {exc.strerror or exc}") from None


_RANK = {"info": 0, "warning": 1, "error": 2}


def _lint(args: argparse.Namespace) -> int:
    settings = load_settings(
        config=args.config,
        use_config=not args.no_config,
        select=args.select,
        extend_ignore=args.ignore,
        profile=args.profile,
        region=args.region,
        fail_on=args.fail_on,
    )
    if args.paths.count("-") > 1:
        raise _UsageError("- (stdin) can be given once")
    fmt = args.format or ("github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text")
    targets, errors = discover(args.paths, settings, args.stdin_filename)
    diagnostics, read_errors = lint_targets(targets, settings, sys.stdin.buffer.read)
    errors.extend(read_errors)
    color = fmt == "text" and use_color(sys.stdout, args.color)
    _write_stdout(render(fmt, diagnostics, len(targets), color=color, version=__version__))
    for error in errors:
        print(f"vcardkit: error: {error}", file=sys.stderr)
    if errors:
        return EXIT_USAGE
    threshold = _RANK[settings.fail_on]
    failing = any(_RANK[str(d.severity)] >= threshold for d in diagnostics)
    return EXIT_PROBLEMS if failing else EXIT_OK


def _rules(args: argparse.Namespace) -> int:
    if args.rule is None:
        width = max(len(rule.name) for rule in REGISTRY)
        lines = [
            f"{rule.code}  {rule.name:<{width}}  {rule.severity.value:<7}  "
            f"{rule.profile.value:<3}  {rule.summary()}"
            for rule in REGISTRY
        ]
        _write_stdout("\n".join(lines) + "\n")
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
    _write_stdout(f"{header}\n\n{rule.summary()}\n\n{body}\n")
    return EXIT_OK
