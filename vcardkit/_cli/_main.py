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

from vcardkit._errors import VCardError
from vcardkit._io import dumps, loads
from vcardkit._model._json import from_json, to_json

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
        raise _UsageError(f"unknown command {args.command!r}")  # pragma: no cover
    except _UsageError as exc:
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
