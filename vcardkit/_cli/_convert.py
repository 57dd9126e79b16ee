"""``vcardkit convert IN... [-o OUT] [--to vcf|json] [--line-ending crlf|lf]``.

Several inputs become one payload, in order. JSON to VCF and VCF to JSON are
lossless as DESIGN.md defines it. When an input cannot be converted, the
errors that stop it are printed as diagnostics and the exit code is 1.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Final

from vcardkit._cli._files import UsageError, read_input, write_atomic, write_stdout
from vcardkit._cli._output import text_line
from vcardkit._errors import VCardError
from vcardkit._io import dumps, loads
from vcardkit._model._contact import Contact
from vcardkit._model._json import from_json, to_json
from vcardkit._validate import is_json_data, validate

__all__ = ["add_parser", "blocking", "run"]

_SUFFIXES: Final = {".json": "json", ".vcf": "vcf", ".vcard": "vcf"}


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    convert = sub.add_parser(
        "convert",
        help="convert JSON contacts to vCard 3.0, or vCard to JSON contacts",
        description=(
            "Convert JSON contacts to vCard 3.0, or vCard (2.1, 3.0, 4.0) to JSON "
            "contacts. Several inputs become one payload, in order."
        ),
    )
    convert.add_argument("inputs", nargs="+", metavar="IN", help=".json or .vcf files, - for stdin")
    convert.add_argument("-o", "--output", metavar="OUT", help="write here (default: stdout)")
    convert.add_argument(
        "--to",
        choices=("vcf", "json"),
        help="output format (default: OUT's suffix, else VCF for JSON input and JSON for VCF)",
    )
    convert.add_argument(
        "--line-ending",
        choices=("crlf", "lf"),
        default="crlf",
        help="line ending of VCF output (default: crlf, as RFC 2426 says)",
    )


def _kind(path: str, data: bytes) -> str:
    suffix = os.path.splitext(path)[1].lower()
    if suffix in _SUFFIXES:
        return _SUFFIXES[suffix]
    return "json" if is_json_data(data) else "vcf"


def blocking(display: str, data: bytes, exc: VCardError) -> list[str]:
    """The diagnostics that stop conversion: validation's errors, else the exception."""
    report = validate(data, path=display)
    lines = [
        text_line(d, color=False)
        for d in report.errors
        if d.code.startswith(("VC1", "VC6")) or d.code == "VC411"
    ]
    if lines:
        return lines
    where = display
    if exc.line is not None:
        where += f":{exc.line}:{exc.column}"
    elif exc.pointer is not None:
        where += f":{exc.pointer or '/'}"
    return [f"{where}: {exc.code or 'VC000'} [error] {exc.msg}"]


def run(args: argparse.Namespace) -> int:
    if args.inputs.count("-") > 1:
        raise UsageError("- (stdin) can be given once")
    contacts: list[Contact] = []
    kinds: set[str] = set()
    problems: list[str] = []
    # (index of the input's first contact, display name, bytes) of each input.
    inputs: list[tuple[int, str, bytes]] = []
    for path in args.inputs:
        data = read_input(path)
        display = "<stdin>" if path == "-" else path
        kind = _kind(path, data)
        kinds.add(kind)
        inputs.append((len(contacts), display, data))
        try:
            contacts.extend(from_json(data) if kind == "json" else loads(data))
        except VCardError as exc:
            problems.extend(blocking(display, data, exc))
    target = args.to
    if target is None and args.output and args.output != "-":
        target = _SUFFIXES.get(os.path.splitext(args.output)[1].lower())
    if target is None:
        target = "vcf" if kinds == {"json"} else "json"
    out = ""
    if not problems:
        try:
            if target == "vcf":
                eol = "\r\n" if args.line_ending == "crlf" else "\n"
                out = dumps(contacts, line_ending=eol)
            else:
                out = json.dumps(to_json(contacts), ensure_ascii=False, indent=2) + "\n"
        except VCardError as exc:
            # The field no vCard 3.0 line can carry: find the input it came from.
            index = int((exc.pointer or "/0").split("/")[1] or 0)
            _, display, data = next(i for i in reversed(inputs) if i[0] <= index)
            problems.extend(blocking(display, data, exc))
    if problems:
        for line in problems:
            print(line, file=sys.stderr)
        return 1
    if args.output and args.output != "-":
        write_atomic(args.output, out.encode("utf-8"))
    else:
        write_stdout(out)
    return 0
