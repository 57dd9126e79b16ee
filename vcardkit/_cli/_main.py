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
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final, NoReturn

from vcardkit import __version__
from vcardkit._cli._files import UsageError, open_atomic, print_error, write_stdout
from vcardkit._docs import rule_page, rule_url

# Each command imports what it runs (lint: the rules, the configuration, the
# outputs) in its function: `vcardkit --version` or `--help` imports none.
if TYPE_CHECKING:
    from vcardkit._cli._config import Settings
    from vcardkit._cli._lint import Target
    from vcardkit._rules._base import Rule

__all__ = ["main"]

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_USAGE = 2


class _UsageError(Exception):
    """A usage, configuration or I/O error: one line on stderr, exit 2.

    ``usage``: a usage line printed before it (a misspelt command or flag).
    """

    def __init__(self, message: str, usage: str | None = None) -> None:
        super().__init__(message)
        self.usage = usage


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise _UsageError(message)


# The commands whose code lives in a module of their own: the module, and the
# line `vcardkit --help` shows for it.
_COMMANDS: Final = {
    "convert": ("_convert", "convert JSON contacts to vCard 3.0, or vCard to JSON contacts"),
    "fix": ("_fix", "apply the safe fixes to .vcf files in place"),
    "preview": ("_preview", "show each card as a WhatsApp recipient sees it"),
}


def _command(name: str) -> Any:
    """The module of command ``name``, imported now (see ``_COMMANDS``)."""
    import importlib

    return importlib.import_module(f"vcardkit._cli.{_COMMANDS[name][0]}")


def _build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser; ``command`` is the one given, whose parser alone is built whole."""
    parser = _Parser(
        prog="vcardkit",
        description="WhatsApp-style contact cards: convert, validate and lint vCard and JSON.",
    )
    parser.add_argument(
        "-V", "--version", action="store_true", help="print vcardkit's version and exit"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name, (_, summary) in _COMMANDS.items():
        if name == command:
            _command(name).add_parser(sub, summary)
        else:
            # Only the command that runs gets its whole parser: the others are
            # a line of --help each, and importing them (the fix engine, the
            # converters) was a third of a one-card lint's start-up.
            sub.add_parser(name, help=summary)
    if command == "lint":
        _add_lint_parser(sub, _LINT)
    else:
        sub.add_parser("lint", help=_LINT)  # and its options only when it runs
    rules = sub.add_parser(
        "rules",
        help="list the rules, or print one rule's documentation",
        description="List the rule catalogue, or print the documentation of one rule.",
    )
    rules.add_argument("rule", nargs="?", metavar="CODE", help="a code (VC404) or name")
    rules.add_argument(
        "--format",
        choices=("text", "markdown", "json"),
        default="text",
        help="markdown: the catalogue as the README's table; json: an array of the rules "
        "(with CODE, the one rule with its documentation)",
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


_LINT: Final = "check .vcf/.vcard files, folders and JSON contact files"


def _add_lint_parser(sub: Any, summary: str) -> None:
    """``lint``'s parser: its options come from the configuration and output modules,
    which import the rules, so it is built only when lint runs."""
    from vcardkit._cli._config import add_options
    from vcardkit._cli._output import FORMATS

    lint = sub.add_parser(
        "lint",
        help=summary,
        description=(
            "Check vCard and JSON contact files (by default the current folder). Folders "
            "are searched for *.vcf and *.vcard (and JSON files matching the configuration's "
            "include globs), skipping what .gitignore ignores inside a git work tree and what "
            "exclude, extend-exclude and --exclude match; a path named here is always "
            "checked; - reads stdin."
        ),
    )
    lint.add_argument("paths", nargs="*", metavar="PATH", help="files, folders, or - (default: .)")
    lint.add_argument(
        "--format",
        "--output-format",
        dest="format",
        choices=FORMATS,
        metavar="FORMAT",
        help=f"{', '.join(FORMATS)} (default: github under GitHub Actions, else text)",
    )
    lint.add_argument(
        "-o", "--output-file", metavar="FILE", help="write the report to FILE, not stdout"
    )
    lint.add_argument(
        "--statistics",
        action="store_true",
        help="a count per rule instead of the diagnostics (--format text or json)",
    )
    lint.add_argument(
        "--show-infos",
        action="store_true",
        help="print info diagnostics in the text format too (hidden and counted otherwise)",
    )
    lint.add_argument("-q", "--quiet", action="store_true", help="text format: no summary line")
    lint.add_argument(
        "--exit-zero",
        action="store_true",
        help="exit 0 even when problems are found (usage, configuration and I/O errors "
        "still exit 2)",
    )
    add_options(lint)
    lint.add_argument("--stdin-filename", metavar="NAME", help="the name of - in output and config")
    lint.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help="colour text output (auto: NO_COLOR, then FORCE_COLOR, then whether it is a terminal)",
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    arguments = sys.argv[1:] if argv is None else list(argv)
    given = next((a for a in arguments if not a.startswith("-")), None)
    parser = _build_parser(given)
    try:
        args = _parse(parser, arguments)
        if args.version:
            write_stdout(f"vcardkit {__version__}\n")
            return EXIT_OK
        if args.command is None:
            parser.print_help(sys.stderr)
            return EXIT_USAGE
        if args.command in _COMMANDS:
            return int(_command(args.command).run(args))
        if args.command == "lint":
            return _lint(args)
        if args.command == "rules":
            return _rules(args)
        if args.command == "schema":
            return _schema()
        raise _UsageError(f"unknown command {args.command!r}")  # pragma: no cover
    except _UsageError as exc:
        if exc.usage:
            sys.stderr.write(exc.usage)
        print_error(str(exc))
        return EXIT_USAGE
    except UsageError as exc:  # ConfigError is one
        print_error(str(exc))
        return EXIT_USAGE
    except KeyboardInterrupt:  # pragma: no cover - interactive only
        return 130


def _commands(parser: argparse.ArgumentParser) -> Mapping[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return action.choices
    raise AssertionError("the parser has no commands")  # pragma: no cover


def _short_usage(parser: argparse.ArgumentParser) -> str:
    """``usage: vcardkit lint [options] [PATH ...]``: one line, where argparse's wraps."""
    parts = [parser.prog, "[options]"]
    for action in parser._actions:
        if action.option_strings or isinstance(action, argparse._SubParsersAction):
            continue
        name = str(action.metavar or action.dest)
        parts.append(
            {"*": f"[{name} ...]", "+": f"{name} [{name} ...]", "?": f"[{name}]"}.get(
                str(action.nargs), name
            )
        )
    return f"usage: {' '.join(parts)}\n"


def _parse(parser: argparse.ArgumentParser, argv: list[str]) -> argparse.Namespace:
    """``parse_args``, with a "did you mean" for a misspelt command or flag.

    The commands are told apart before argparse sees them (its message for
    an unknown one lists every choice); unknown flags are collected with
    ``parse_known_args`` so that the command they were given to is known.
    """
    commands = _commands(parser)
    for token in argv:
        if token.startswith("-"):
            continue  # the top level's flags (-h, -V) take no value
        if token not in commands:
            import difflib  # local: only a mistyped command line needs it

            close = difflib.get_close_matches(token, list(commands), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else f" (one of {', '.join(commands)})"
            raise _UsageError(f"unknown command {token!r}{hint}", parser.format_usage())
        break
    args, extras = parser.parse_known_args(argv)
    if extras:
        owner = commands.get(args.command) if args.command else None
        where = owner or parser
        token = extras[0]
        flag = token.split("=", 1)[0]
        if not flag.startswith("-"):
            raise _UsageError(f"unexpected argument {token!r}", _usage(where, owner))
        known = [option for action in where._actions for option in action.option_strings]
        import difflib

        close = difflib.get_close_matches(flag, known, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise _UsageError(f"unknown option {flag!r}{hint}", _usage(where, owner))
    return args


def _usage(parser: argparse.ArgumentParser, command: argparse.ArgumentParser | None) -> str:
    return _short_usage(parser) if command is not None else parser.format_usage()


def _lint(args: argparse.Namespace) -> int:
    from vcardkit._cli._config import settings_from_args
    from vcardkit._cli._lint import discover
    from vcardkit._cli._output import STATISTICS_FORMATS

    settings = settings_from_args(args)
    # No path: the current folder, as ruff does.
    paths: list[str] = args.paths or ["."]
    if paths.count("-") > 1:
        raise _UsageError("- (stdin) can be given once")
    # Under GitHub Actions the default is annotations, which have no
    # statistics form: --statistics alone still prints its table there.
    actions = os.environ.get("GITHUB_ACTIONS") == "true" and not args.statistics
    fmt = args.format or ("github" if actions else "text")
    if args.statistics and fmt not in STATISTICS_FORMATS:
        raise _UsageError(f"--statistics takes --format text or json, not {fmt}")
    targets, errors = discover(paths, settings, args.stdin_filename)
    if args.output_file is not None:
        _check_output_file(args.output_file, targets)
    if args.output_file is None:
        # write_stdout: UTF-8 to stdout's buffer, flushed, so each batch
        # shows as it is found; a write error there ends the run (exit 2).
        failing = _report(args, fmt, settings, targets, errors, write_stdout, sys.stdout)
    else:
        # Through a temporary file renamed over FILE at the end: a run that
        # stops part way (an error, Ctrl-C) leaves FILE as it was.
        with open_atomic(args.output_file) as fp:

            def write(text: str) -> None:
                fp.write(text.encode("utf-8", "backslashreplace"))

            failing = _report(args, fmt, settings, targets, errors, write, fp)
    for error in errors:
        print_error(error)
    if errors:
        return EXIT_USAGE
    # --exit-zero: problems found are not a failure (ruff's); an error
    # above still is.
    return EXIT_PROBLEMS if failing and not args.exit_zero else EXIT_OK


def _check_output_file(output: str, targets: list[Target]) -> None:
    """Refuse an ``-o`` that is one of the files linted (by any of its names).

    The report would replace the file it reports on: the contacts would be
    gone, and a run that reads them after the rename would read the report.
    """
    try:
        out = os.stat(output)
    except OSError:
        return  # a new file, or one that cannot be written: open_atomic says so
    for target in targets:
        if target.path is None:
            continue
        try:
            st = os.stat(target.path)
        except OSError:
            continue
        if (st.st_dev, st.st_ino) == (out.st_dev, out.st_ino):
            raise _UsageError(
                f"-o {output} is {target.display}, a file being linted: the report would replace it"
            )


def _report(
    args: argparse.Namespace,
    fmt: str,
    settings: Settings,
    targets: list[Target],
    errors: list[str],
    write: Callable[[str], None],
    stream: Any,
) -> bool:
    """Lint ``targets``, writing the report with ``write``; whether something fails."""
    from vcardkit._cli._lint import lint_targets
    from vcardkit._cli._output import Reporter, Statistics, use_color

    reporter: Reporter | Statistics
    if args.statistics:
        reporter = Statistics(fmt, write, quiet=args.quiet)
    else:
        color = fmt == "text" and use_color(stream, args.color)
        # Infos are hidden from the text format unless asked for, or unless
        # they are what fails the run (--fail-on info): an exit 1 with
        # nothing shown would say nothing.
        show_infos = args.show_infos or settings.fail_on == "info"
        reporter = Reporter(
            fmt, write, color=color, version=__version__, show_infos=show_infos, quiet=args.quiet
        )
    failing = False
    found = len(errors)
    for batch in lint_targets(targets, settings, sys.stdin.buffer, errors):
        reporter.emit(batch)
        failing = failing or any(settings.fails(d) for d in batch)
    # lint_targets adds one error for each file it could not read: those
    # were not checked. SARIF lists the errors too (its invocation's
    # notifications), besides the lines on stderr.
    checked = len(targets) - (len(errors) - found)
    if isinstance(reporter, Statistics):
        reporter.close(checked)
    else:
        reporter.close(checked, errors)
    return failing


def _rule_json(rule: type[Rule]) -> dict[str, Any]:
    return {
        "code": rule.code,
        "name": rule.name,
        "severity": rule.severity.value,
        "profile": rule.profile.value,
        "summary": rule.summary(),
    }


def _rules(args: argparse.Namespace) -> int:
    from vcardkit._rules._engine import matches
    from vcardkit._rules._registry import REGISTRY

    if args.rule is None and args.format == "markdown":
        write_stdout(rules_markdown())
        return EXIT_OK
    if args.rule is None and args.format == "json":
        items = [_rule_json(rule) for rule in REGISTRY]
        write_stdout(json.dumps(items, indent=2, ensure_ascii=False) + "\n")
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
    if args.format == "json":
        item = _rule_json(rule)
        item["documentation"] = rule.documentation()
        item["url"] = rule_url(rule.code)
        write_stdout(json.dumps(item, indent=2, ensure_ascii=False) + "\n")
        return EXIT_OK
    header = (
        f"{rule.code} {rule.name}  (default severity: {rule.severity.value}; "
        f"profile: {rule.profile.value})"
    )
    body = rule.documentation().split("\n", 1)[1].strip() if "\n" in rule.documentation() else ""
    where = f"Full documentation: {rule_url(rule.code)} ({rule_page(rule.code)} in the repository)"
    # The bracketed sources of a rule's reasons, said where they appear
    # (the rules index of the docs has them too).
    legend = "".join(
        f"{tag}: {meaning}\n"
        for tag, meaning in _SOURCE_TAGS.items()
        if tag in body or tag[:-1] + "," in body  # [WA, Cloud API] names two sources
    )
    legend = f"\n{legend}" if legend else ""
    write_stdout(f"{header}\n\n{rule.summary()}\n\n{body}\n{legend}\n{where}\n")
    return EXIT_OK


_SOURCE_TAGS: Final = {
    "[WA]": "what WhatsApp's Android client was seen to do when it read cards",
    "[U]": "problems users of WhatsApp senders report",
    "Cloud API": "what the WhatsApp Cloud API documents",
}


def _schema() -> int:
    from vcardkit._schema import json_schema

    write_stdout(json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n")
    return EXIT_OK


def rules_markdown() -> str:
    """The catalogue as a Markdown table (the README's rule list is this)."""
    from vcardkit._rules._registry import REGISTRY

    lines = ["| code | name | severity | profile | what |", "|---|---|---|---|---|"]
    for rule in REGISTRY:
        summary = rule.summary().replace("|", "\\|")
        lines.append(
            f"| {rule.code} | {rule.name} | {rule.severity.value} | {rule.profile.value} "
            f"| {summary} |"
        )
    return "\n".join(lines) + "\n"
