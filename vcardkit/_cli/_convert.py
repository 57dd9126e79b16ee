"""``vcardkit convert IN... [-o OUT] [--to vcf|json] [--line-ending crlf|lf]``.

Several inputs become one payload, in order. JSON to VCF and VCF to JSON are
lossless as DESIGN.md defines it. When an input cannot be converted, the
errors that stop it are printed as diagnostics and the exit code is 1.

It streams, in flat memory however large the inputs: each input is read in
chunks, contact by contact (``iter_load`` for VCF, ``iter_json_items`` for
JSON), and each contact is written as soon as it is read. With ``-o``, the
output goes to a temporary file that replaces OUT only once all of it is
written, so when an input cannot be converted OUT is left as it was. On
stdout, output stops before the first contact that cannot be converted: the
contacts before it have been written already.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import stat
import sys
import tempfile
from collections.abc import Callable, Iterator
from functools import partial
from typing import IO, TYPE_CHECKING, Any, BinaryIO, Final

from vcardkit._cli._files import UsageError, open_atomic, read_input
from vcardkit._cli._output import text_line
from vcardkit._cli._terminal import printable
from vcardkit._errors import VCardError
from vcardkit._io import dumps, iter_load, loads, write_card
from vcardkit._model._contact import Contact
from vcardkit._model._json import contact_from_mapping, from_json, to_json
from vcardkit._model._jsonstream import iter_json_items
from vcardkit._rules._diagnostic import Severity
from vcardkit._validate import is_json_data, settings, validate_with

if TYPE_CHECKING:  # pragma: no cover - typing only
    from _typeshed import WriteableBuffer

__all__ = ["Stdout", "StdoutError", "add_parser", "blocking", "input_kind", "run", "stdout_failed"]

_SUFFIXES: Final = {".json": "json", ".vcf": "vcf", ".vcard": "vcf"}
# vcardkit's own formats, then the other senders' shapes (vcardkit.senders).
FORMATS: Final = ("vcf", "json", "cloud-api", "evolution", "baileys", "waha")
# How much of an input without a known suffix is looked at for its kind
# (is_json_data looks at no more).
_PEEK: Final = 4096
# An input that cannot be read twice (stdin, a pipe) is kept here as it is
# read, for the diagnostics of the error path; past this size, on disk.
_SPOOL_MEMORY: Final = 1 << 20
# json.dumps(..., ensure_ascii=False, indent=2), built once, not per contact.
_JSON: Final = json.JSONEncoder(ensure_ascii=False, indent=2)


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
        "--from",
        dest="source",
        choices=FORMATS,
        help="input format (default: each input's suffix, else its content: JSON or VCF)",
    )
    convert.add_argument(
        "--to",
        choices=FORMATS,
        help="output format (default: OUT's suffix, else VCF for JSON input and JSON for VCF)",
    )
    convert.add_argument(
        "--lossy",
        action="store_true",
        help="drop the fields the output shape cannot carry instead of refusing them",
    )
    convert.add_argument(
        "--line-ending",
        choices=("crlf", "lf"),
        default="crlf",
        help="line ending of VCF output (default: crlf, as RFC 2426 says)",
    )


def input_kind(path: str, data: bytes) -> str:
    """``json`` or ``vcf``: by the suffix (as ``lint`` tells them), else by the content."""
    suffix = "" if path == "-" else os.path.splitext(path)[1].lower()
    if suffix in _SUFFIXES:
        return _SUFFIXES[suffix]
    return "json" if is_json_data(data) else "vcf"


def blocking(display: str, data: bytes, exc: VCardError, *, kind: str | None = None) -> list[str]:
    """The diagnostics that stop conversion: validation's errors, else the exception.

    ``kind`` is the input's format: a ``.json`` file is validated as JSON
    whatever it holds (VC601 where it is not), as ``lint`` does, never
    sniffed and read as VCF; ``None`` sniffs the content.
    """
    if kind in (None, "vcf", "json"):
        config, ctx = settings("whatsapp", None, None, None, None, display, data, sending=False)
        lines = [
            text_line(d, color=False)
            for d in validate_with(data, config, ctx, kind=kind)
            if d.severity is Severity.ERROR
            and (d.code.startswith(("VC1", "VC6")) or d.code == "VC411")
        ]
        if lines:
            return lines
    where = display
    if exc.line is not None:
        where += f":{exc.line}:{exc.column}"
    elif exc.pointer is not None:
        where += f":{exc.pointer or '/'}"
    return [f"{where}: {exc.code or 'VC000'} [error] {exc.msg}"]


def _cannot_read(path: str, exc: OSError) -> UsageError:
    path = printable(path)  # a file's name is anyone's text too
    if isinstance(exc, FileNotFoundError):
        return UsageError(f"cannot read {path}: no such file or directory")
    return UsageError(f"cannot read {path}: {(exc.strerror or str(exc)).lower()}")


class _Reader(io.RawIOBase):
    """An input's bytes from its start: the bytes peeked first, then the rest.

    A read error is a :class:`UsageError` naming the input (exit 2), not an
    OSError that ``open_atomic`` would take for a write error. ``spool``
    keeps a copy of what is read from an input that cannot be read twice.
    ``owned``: the source is closed with the reader.
    """

    def __init__(
        self, path: str, source: BinaryIO, head: bytes, spool: IO[bytes] | None, *, owned: bool
    ) -> None:
        super().__init__()
        self._path = path
        self._source = source
        self._head = head
        self._spool = spool
        self._owned = owned

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: WriteableBuffer, /) -> int:
        view = memoryview(buffer).cast("B")
        if self._head:
            data, self._head = self._head[: len(view)], self._head[len(view) :]
        else:
            try:
                data = self._source.read(len(view))
            except OSError as exc:
                raise _cannot_read(self._path, exc) from None
            if self._spool is not None:
                self._spool.write(data)
        view[: len(data)] = data
        return len(data)

    def close(self) -> None:
        try:
            super().close()
        finally:
            if self._owned:
                self._source.close()


class _Input:
    """One IN: its kind, found before any is converted, and its bytes read as a stream.

    A regular file is opened again to be converted; stdin or a pipe, which
    cannot be, is kept open with the bytes peeked for its kind, and a copy
    of it is spooled as it is read (to a temporary file past 1 MiB) for the
    diagnostics of the error path.
    """

    def __init__(self, path: str) -> None:
        self.path = path
        self.display = "<stdin>" if path == "-" else path
        self._stream: BinaryIO | None = None
        self._head = b""
        self._spool: IO[bytes] | None = None
        self._whole: bytes | None = None
        suffix_kind = None if path == "-" else _SUFFIXES.get(os.path.splitext(path)[1].lower())
        if path == "-":
            stream: BinaryIO = sys.stdin.buffer
            regular = False
        else:
            # Opened now even when the suffix tells the kind: a missing input
            # is exit 2 before anything is written.
            try:
                stream = open(path, "rb")  # noqa: SIM115 - closed below or by close()
                regular = stat.S_ISREG(os.fstat(stream.fileno()).st_mode)
            except OSError as exc:
                raise _cannot_read(path, exc) from None
        try:
            head = b"" if regular and suffix_kind is not None else _peek(stream)
        except OSError as exc:
            raise _cannot_read(path, exc) from None
        finally:
            if regular:
                stream.close()  # read again from its start, in open()
        self.kind = suffix_kind or ("json" if is_json_data(head) else "vcf")
        if regular:
            return
        self._stream = stream
        self._head = head
        self._spool = tempfile.SpooledTemporaryFile(max_size=_SPOOL_MEMORY)  # noqa: SIM115
        self._spool.write(head)

    def open(self) -> io.BufferedReader:
        """The input's bytes from the start (once for stdin or a pipe)."""
        if self._stream is None:
            try:
                # Unbuffered: the BufferedReader around _Reader buffers.
                source = open(self.path, "rb", buffering=0)  # noqa: SIM115 - closed with it
            except OSError as exc:
                raise _cannot_read(self.path, exc) from None
            return io.BufferedReader(_Reader(self.path, source, b"", None, owned=True))
        head, self._head = self._head, b""
        return io.BufferedReader(_Reader(self.path, self._stream, head, self._spool, owned=False))

    def whole(self) -> bytes:
        """All of the input's bytes, for the diagnostics of the error path."""
        if self._whole is None:
            if self._stream is None:
                self._whole = read_input(self.path)
            else:
                assert self._spool is not None
                try:
                    rest = self._stream.read()
                except OSError as exc:
                    raise _cannot_read(self.path, exc) from None
                self._spool.seek(0)
                self._whole = self._spool.read() + rest
        return self._whole

    def close(self) -> None:
        if self._spool is not None:
            self._spool.close()
        if self._stream is not None and self.path != "-":
            self._stream.close()


def _peek(stream: BinaryIO) -> bytes:
    head = b""
    while len(head) < _PEEK:
        more = stream.read(_PEEK - len(head))  # a pipe may give less: read again
        if not more:
            break
        head += more
    return head


def _contacts(inp: _Input, fp: io.BufferedReader) -> Iterator[tuple[int, Any, Contact]]:
    """(index in its input, the JSON it was read from or None, contact), one at a time."""
    if inp.kind == "vcf":
        for index, contact in enumerate(iter_load(fp)):
            yield index, None, contact
        return
    for index, item in iter_json_items(fp):
        # What from_json does with each element of the array.
        yield index, item, contact_from_mapping(item, f"/{index}")


def _convert(
    inputs: list[_Input], target: str, eol: str, write: Callable[[bytes], object]
) -> list[str]:
    """Write the contacts of ``inputs`` in order; the diagnostics that stop it, if any.

    As when convert read every input before writing: an input that cannot
    be read is reported, and so is each of the others that cannot; only
    when all can be read is the first contact that cannot be written
    reported. Once something fails, nothing more is written, but the
    inputs are still read to the end for their faults.
    """
    problems: list[str] = []
    unwritable: tuple[_Input, VCardError] | None = None
    written = 0
    for inp in inputs:
        try:
            with inp.open() as fp:
                for index, item, contact in _contacts(inp, fp):
                    if problems or unwritable is not None:
                        continue
                    try:
                        if target == "vcf":
                            text = write_card(contact, index, eol, source=item)
                        else:
                            # A one-item list, less "[\n" and "\n]": the item
                            # indented as in the encoding of the whole list.
                            text = _JSON.encode(to_json(contact))[2:-2]
                            text = ("[\n" if written == 0 else ",\n") + text
                    except VCardError as exc:
                        unwritable = (inp, exc)
                        continue
                    write(text.encode("utf-8"))
                    written += 1
        except VCardError as exc:
            problems.extend(blocking(inp.display, inp.whole(), exc, kind=inp.kind))
    if problems:
        return problems
    if unwritable is not None:
        where, fault = unwritable
        return blocking(where.display, where.whole(), fault, kind=where.kind)
    if target == "json":
        write(b"[]\n" if written == 0 else b"\n]\n")
    return []


def _convert_shapes(
    inputs: list[_Input],
    target: str,
    eol: str,
    write: Callable[[bytes], object],
    *,
    lossy: bool,
) -> list[str]:
    """Convert from or to another sender's shape (:mod:`vcardkit.senders`), whole."""
    from vcardkit.senders import SHAPES  # local: most conversions are VCF and JSON

    contacts: list[Contact] = []
    problems: list[str] = []
    for inp in inputs:
        data = inp.whole()
        try:
            if inp.kind == "vcf":
                contacts.extend(loads(data))
            elif inp.kind == "json":
                contacts.extend(from_json(data))
            else:
                contacts.extend(SHAPES[inp.kind].reader(data))
        except VCardError as exc:
            problems.extend(blocking(inp.display, data, exc, kind=inp.kind))
    if problems:
        return problems
    try:
        if target == "vcf":
            text = dumps(contacts, line_ending=eol)
        else:
            shape = (
                to_json(contacts)
                if target == "json"
                else SHAPES[target].writer(contacts, lossy=lossy)
            )
            text = _JSON.encode(shape) + "\n"
    except VCardError as exc:
        where = f"<{target} output>"
        if exc.pointer is not None:
            where += f":{exc.pointer or '/'}"
        # The library's advice, as the command line gives it.
        message = exc.msg.replace("lossy=True drops it", "--lossy drops it")
        return [f"{where}: {exc.code or 'VC000'} [error] {message}"]
    write(text.encode("utf-8"))
    return []


class StdoutError(Exception):
    """Writing to stdout failed (a closed pipe, a full disk)."""

    def __init__(self, error: OSError) -> None:
        super().__init__(error)
        self.error = error


class Stdout:
    """sys.stdout's bytes, UTF-8 whatever the locale (a VCF or JSON payload is UTF-8)."""

    def __init__(self) -> None:
        sys.stdout.flush()  # anything written through the text layer first
        self._buffer = sys.stdout.buffer

    def write(self, data: bytes) -> None:
        try:
            self._buffer.write(data)
        except OSError as exc:
            raise StdoutError(exc) from None

    def flush(self) -> None:
        try:
            self._buffer.flush()
        except OSError as exc:
            raise StdoutError(exc) from None


def _silence_stdout() -> None:
    """Point stdout at /dev/null: nothing left for the interpreter to flush into a closed pipe."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(devnull, sys.stdout.fileno())
        finally:
            os.close(devnull)
    except (OSError, ValueError):
        pass  # not a file (a test's stream): nothing to silence


def stdout_failed(failed: StdoutError) -> UsageError:
    """What a failed write to stdout is: one line and exit 2, an I/O error, not a traceback.

    Streaming makes ``convert big.vcf | head`` a broken pipe; stdout is
    silenced so that the interpreter's own flush at exit does not fail again.
    """
    _silence_stdout()
    exc = failed.error
    return UsageError(f"cannot write to stdout: {(exc.strerror or str(exc)).lower()}")


class _Blocked(Exception):
    """Raised in ``open_atomic``'s block so that OUT is left as it was."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(problems)
        self.problems = problems


def run(args: argparse.Namespace) -> int:
    if args.inputs.count("-") > 1:
        raise UsageError("- (stdin) can be given once")
    # Every input's kind first: the default output format depends on all.
    inputs: list[_Input] = []
    try:
        for path in args.inputs:
            inputs.append(_Input(path))
        return _run(args, inputs)
    finally:
        for inp in inputs:
            inp.close()


def _run(args: argparse.Namespace, inputs: list[_Input]) -> int:
    if args.source is not None:
        for inp in inputs:
            inp.kind = args.source
    kinds = {inp.kind for inp in inputs}
    target = args.to
    if target is None and args.output and args.output != "-":
        target = _SUFFIXES.get(os.path.splitext(args.output)[1].lower())
    if target is None:
        target = "json" if "vcf" in kinds else "vcf"
    eol = "\r\n" if args.line_ending == "crlf" else "\n"
    convert: Callable[[list[_Input], str, str, Callable[[bytes], object]], list[str]] = _convert
    if target not in ("vcf", "json") or not kinds <= {"vcf", "json"}:
        # A sender's payload is a message: read and written whole.
        convert = partial(_convert_shapes, lossy=args.lossy)
    if args.output and args.output != "-":
        try:
            with open_atomic(args.output) as out:
                problems = convert(inputs, target, eol, out.write)
                if problems:
                    raise _Blocked(problems)
        except _Blocked as blocked:
            problems = blocked.problems
    else:
        stdout = Stdout()
        try:
            problems = convert(inputs, target, eol, stdout.write)
            stdout.flush()
        except StdoutError as failed:
            raise stdout_failed(failed) from None
    for line in problems:
        # A diagnostic quotes the input's values (and its path): a control
        # character in them is shown escaped, never sent to the terminal.
        print(printable(line), file=sys.stderr)
    return 1 if problems else 0
