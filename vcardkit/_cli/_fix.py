"""``vcardkit fix PATH...``: the rules' safe fixes, applied in place with minimal edits.

docs/cli.md "fix": only the lines the fixes touch change; what
changed is printed; no property is ever dropped; the file is written through
a temporary file in the same folder and a rename (permissions and owner
kept; a symlink's target written, a file with several hard links written in
place; see ``open_atomic``); a second run changes nothing. A file is never
written when its bytes do not decode (VC101), when it changed while it was
read, or when it has no write permission; what a file's fixes did is
printed only once it is written. ``--unsafe-fixes`` adds the fixes that
guess; ``--diff`` prints a unified diff and writes nothing.
"""

from __future__ import annotations

import argparse
import codecs
import difflib
import os
import re
from collections.abc import Callable, Iterable, Iterator
from typing import IO, BinaryIO, Final

from vcardkit._cli._config import Settings, add_options, settings_from_args
from vcardkit._cli._files import (
    PartialWrite,
    UsageError,
    open_atomic,
    print_error,
    shown,
    write_stdout,
)
from vcardkit._cli._lint import Target, config_for, discover
from vcardkit._cli._output import summary_line, text_line
from vcardkit._fixing import Fixed, fix_document, fix_windows, undecodable
from vcardkit._rules._diagnostic import Diagnostic, Severity
from vcardkit._rules._documents import Context, VcfDocument, vcf_documents
from vcardkit._rules._engine import Config, resolve
from vcardkit._rules._jsondoc import build_json_document
from vcardkit._rules._registry import REGISTRY
from vcardkit._syntax._decode import DecodeEvent
from vcardkit._syntax._stream import SNIFF, Prepended, pieces
from vcardkit._validate import is_json_data, validate_batches

__all__ = ["add_parser", "run"]


def add_parser(sub: argparse._SubParsersAction, summary: str) -> None:  # type: ignore[type-arg]
    fix = sub.add_parser(
        "fix",
        help=summary,
        description=(
            "Apply the rules' safe fixes to vCard files (and JSON files named or included), "
            "editing only the lines the fixes touch."
        ),
    )
    fix.add_argument("paths", nargs="+", metavar="PATH", help="files or folders")
    fix.add_argument("--unsafe-fixes", action="store_true", help="also apply fixes that guess")
    fix.add_argument("--diff", action="store_true", help="print a unified diff; write nothing")
    add_options(fix)


def _encode(text: str, bom: str | None, first: bool) -> bytes:
    """Back to the file's encoding, a BOM before the first window if it is kept."""
    if bom == "UTF-16":
        return (codecs.BOM_UTF16_LE if first else b"") + text.encode("utf-16-le")
    if bom == "UTF-32":
        return (codecs.BOM_UTF32_LE if first else b"") + text.encode("utf-32-le")
    data = text.encode("utf-8", "surrogatepass")
    return codecs.BOM_UTF8 + data if bom == "UTF-8" and first else data


class _NotFixed(Exception):
    """Stop writing a file: it is left as it was (the temporary file is removed)."""


class _Undecodable(Exception):
    """The file holds bytes that do not decode (VC101), or NULs: it is never written."""


def _not_text(events: Iterable[DecodeEvent], text: str) -> bool:
    """Whether fixing a text read from bytes would lose or garble them.

    Bytes that do not decode (VC101) would be written back as U+FFFD. NUL
    bytes decode, but no vCard or JSON text holds one: they are UTF-16
    without a byte-order mark (``B\\x00E\\x00``) or not text at all, which
    a fix (a CRLF after each CR) would garble.
    """
    return undecodable(events) is not None or "\x00" in text


# A file's report is held until the file is written; past this size, on disk.
_HOLD_MEMORY: Final = 1 << 20


class _Held:
    """Lines of output held back (in memory, in a temporary file past 1 MB), then printed.

    ``fix`` prints what it fixed in a file only once the file is written:
    a file that cannot be (a read-only folder, a change meanwhile) must not
    be reported as fixed. A million-card file's report is held on disk, so
    memory stays flat.
    """

    def __init__(self) -> None:
        self._spool: IO[bytes] | None = None

    def add(self, lines: Iterable[str]) -> None:
        text = "".join(f"{line}\n" for line in lines)
        if text:
            # Encoded now as write_stdout would: a message quoting a lone
            # surrogate is written as its escape.
            self.add_bytes(text.encode("utf-8", "backslashreplace"))

    def release(self) -> None:
        """Print what is held, in chunks, and forget it."""
        self._drain(write_stdout)

    def take(self, other: _Held) -> None:
        """Hold ``other``'s lines after these (``other`` is emptied)."""
        other._drain(self.add_bytes)

    def _drain(self, sink: Callable[[bytes], object]) -> None:
        """Give what is held to ``sink``, in chunks, and forget it."""
        spool, self._spool = self._spool, None
        if spool is None:
            return
        with spool:
            spool.seek(0)
            while chunk := spool.read(_HOLD_MEMORY):
                sink(chunk)

    def add_bytes(self, data: bytes) -> None:
        if self._spool is None:
            import tempfile  # local: most runs hold nothing

            # Held across calls; release() or discard() closes it.
            self._spool = tempfile.SpooledTemporaryFile(max_size=_HOLD_MEMORY)  # noqa: SIM115
        self._spool.write(data)

    def discard(self) -> None:
        spool, self._spool = self._spool, None
        if spool is not None:
            spool.close()


class _Tally:
    """What a fix run has done and left, counted as it goes (nothing kept per diagnostic)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.fixes = 0
        self.files_changed = 0
        self.files_checked = 0
        self.counts = dict.fromkeys(Severity, 0)
        self.unsafe = 0  # fixes left that --unsafe-fixes would apply
        self.failing = False

    def save(self) -> tuple[int, int, dict[Severity, int], int, bool]:
        return self.fixes, self.files_changed, dict(self.counts), self.unsafe, self.failing

    def restore(self, saved: tuple[int, int, dict[Severity, int], int, bool]) -> None:
        """Forget a file's share: its report is not printed, so it is not counted."""
        self.fixes, self.files_changed, counts, self.unsafe, self.failing = saved
        self.counts = dict(counts)

    def fixed(self, display: str, applied: Iterable[Diagnostic]) -> list[str]:
        lines = []
        name = shown(display)
        for d in applied:
            assert d.fix is not None
            where = f"{name}:{d.line}:{d.column}" if d.line is not None else name
            lines.append(f"{where}: {d.code} fixed: {d.fix.description}")
        self.fixes += len(lines)
        return lines

    def left(self, remaining: Iterable[Diagnostic]) -> list[str]:
        lines = []
        for d in remaining:
            self.counts[d.severity] += 1
            if d.fix is not None and d.fix.applicable and not d.fix.safe:
                self.unsafe += 1
            if self.settings.fails(d):
                self.failing = True
                lines.append(text_line(d, color=False))
        return lines


def run(args: argparse.Namespace) -> int:
    settings = settings_from_args(args)
    if "-" in args.paths:
        raise UsageError("fix edits files in place; it does not read stdin (use lint)")
    # Regular files only: a FIFO or a device cannot be rewritten.
    targets, errors = discover(args.paths, settings, None, special=False)
    tally = _Tally(settings)
    for target in targets:
        _fix_file(target, settings, args, tally, errors)
    verb = "would be applied" if args.diff else "applied"
    files = summary_line(
        tally.files_checked,
        tally.counts[Severity.ERROR],
        tally.counts[Severity.WARNING],
        tally.counts[Severity.INFO],
    )
    out = [
        f"{tally.fixes} fix{'es' if tally.fixes != 1 else ''} {verb} to "
        f"{tally.files_changed} file{'s' if tally.files_changed != 1 else ''}; "
        + files.replace("checked:", "checked, remaining:")
    ]
    if not args.unsafe_fixes and tally.unsafe:
        out.append(
            f"{tally.unsafe} more fix{'es' if tally.unsafe != 1 else ''} available with "
            "--unsafe-fixes."
        )
    write_stdout("\n".join(out) + "\n")
    for error in errors:
        print_error(error)
    if errors:
        return 2
    return 1 if tally.failing else 0


def _fix_file(
    target: Target,
    settings: Settings,
    args: argparse.Namespace,
    tally: _Tally,
    errors: list[str],
) -> None:
    """Fix one file as it is read; print what its fixes did and left once it is written.

    The file's lines (what was fixed, what remains) are held until the
    fixed file is in place, then printed: if it cannot be written (a write
    error, a read-only file, a change while it was read, a fix that would
    drop a property), none is printed nor counted, an error says why, and
    the file is left as it was. A file holding bytes that do not decode
    (VC101) is never written: its VC101 diagnostics are printed instead.
    """
    assert target.path is not None
    config = config_for(settings)(target.display)
    ctx = Context(settings.profile, settings.region, False, target.display)
    saved = tally.save()
    report = _Held()
    problem: str | None
    try:
        with open(target.path, "rb") as fp:
            # What the file was when it was read: it is replaced only if it
            # is still that file, unchanged, when the fixed text is complete.
            read = os.fstat(fp.fileno())
            results = _results(fp, target, config, ctx, args.unsafe_fixes)
            if args.diff:
                _diff(results, target.display, tally, report)
            else:
                _write(results, target, tally, report, read)
    except _Undecodable:
        report.discard()
        tally.restore(saved)
        try:
            report = _refusal(target, settings, ctx, tally)
        except OSError as exc:
            problem = _cannot_read(target, exc)
        else:
            problem = None
    except OSError as exc:
        problem = _cannot_read(target, exc)
    except PartialWrite as exc:
        problem = str(exc)  # written in place, part way: not "left as it was"
    except UsageError as exc:
        problem = f"{exc}; the file was left as it was"
    except _Lost as exc:
        card, name = exc.args
        problem = (
            f"not fixing {target.display}: the fixes would drop {name} from card {card}; "
            "the file was left as it was"
        )
    else:
        problem = None
    if problem is not None:
        report.discard()
        tally.restore(saved)
        errors.append(problem)
        return
    tally.files_checked += 1
    if tally.fixes > saved[0]:
        tally.files_changed += 1
    # Outside the try: stdout failing is the run's error (exit 2), not the file's.
    report.release()


def _cannot_read(target: Target, exc: OSError) -> str:
    return f"cannot read {target.display}: {(exc.strerror or str(exc)).lower()}"


def _refusal(target: Target, settings: Settings, ctx: Context, tally: _Tally) -> _Held:
    """The report of a file that is not fixed for bytes that do not decode: its VC101s.

    The file is read again, checked for VC101 alone (whatever the
    selection: this is why it is not fixed), in windows as lint reads it.
    """
    assert target.path is not None
    config = resolve(
        REGISTRY, profile=settings.profile, select=("VC101",), severity=dict(settings.severity)
    )
    report = _Held()
    found = 0
    with open(target.path, "rb") as fp:
        for batch in validate_batches(fp, config, ctx, kind=target.kind):
            found += len(batch)
            report.add(tally.left(batch))
    why = (
        "writing it would lose the bytes that are not UTF-8 (VC101)"
        if found
        else "it holds NUL bytes (UTF-16 without a byte-order mark, or not text)"
    )
    report.add([f"{shown(target.display)}: not fixed: {why}; save it as UTF-8 first"])
    tally.failing = True
    return report


class _Lost(Exception):
    """A fix would drop a property: (card, name)."""


def _results(
    fp: BinaryIO, target: Target, config: Config, ctx: Context, unsafe: bool
) -> Iterator[tuple[str, Fixed]]:
    """(original text, fixed) of each window of the file, or of the JSON document.

    :class:`_Undecodable` before the first window (or the JSON document)
    holding bytes that do not decode: fixed and encoded again, they would
    come back as U+FFFD.
    """
    first = fp.read(SNIFF)  # the rest comes in the stream's chunks
    kind = target.kind or ("json" if is_json_data(first) else "vcf")
    if kind == "json":
        data = first + fp.read()
        doc = build_json_document(data, target.display)
        assert doc.source is not None
        if _not_text(doc.decode_events, doc.source.text):
            raise _Undecodable
        fixed = fix_document(
            doc,
            lambda text: build_json_document(text, target.display),
            config,
            ctx,
            unsafe=unsafe,
            encoded=True,
        )
        yield doc.source.text, fixed
        return
    originals: list[str] = []

    def windows() -> Iterator[VcfDocument]:
        for doc in vcf_documents(pieces(Prepended(first, fp)), target.display):
            # A window's decoding events are its own bytes': checked before
            # it is fixed, as the windows before it may be written already
            # (to the temporary file, which the exception discards).
            if _not_text(doc.decode_events, doc.source.text):
                raise _Undecodable
            originals.append(doc.source.text)
            yield doc

    # encoded: the windows are written back in the file's encoding (_encode).
    for fixed in fix_windows(windows(), config, ctx, unsafe=unsafe, encoded=True):
        if fixed.lost is not None:
            raise _Lost(*fixed.lost)
        yield originals.pop(0), fixed


def _write(
    results: Iterator[tuple[str, Fixed]],
    target: Target,
    tally: _Tally,
    report: _Held,
    read: os.stat_result,
) -> None:
    """Write the fixed windows as they come; replace the file only if a fix applied."""
    assert target.path is not None
    applied = False
    try:
        with open_atomic(target.path, unchanged=read) as out:
            first = True
            for _, fixed in results:
                out.write(_encode(fixed.text, fixed.bom, first))
                first = False
                applied = applied or bool(fixed.applied)
                report.add(tally.fixed(target.display, fixed.applied))
                report.add(tally.left(fixed.remaining))
            if not applied:
                raise _NotFixed  # nothing to change: the file is not touched
    except _NotFixed:
        pass


def _diff(results: Iterator[tuple[str, Fixed]], display: str, tally: _Tally, report: _Held) -> None:
    """A unified diff of the fixes, after what they fixed and left (both held)."""
    line_a = line_b = 1
    diff = _Held()
    name = shown(display)
    started = False
    try:
        for original, fixed in results:
            report.add(tally.fixed(display, fixed.applied))
            report.add(tally.left(fixed.remaining))
            a = original.splitlines(keepends=True)
            b = fixed.text.splitlines(keepends=True)
            if a != b:
                hunks = list(difflib.unified_diff(a, b, n=3))[2:]  # the file header once
                if not started:
                    diff.add([f"--- a/{name}", f"+++ b/{name}"])
                    started = True
                text = "".join(_shifted(h, line_a - 1, line_b - 1) for h in hunks)
                diff.add([text.rstrip("\n")])
            line_a += len(a)
            line_b += len(b)
    except BaseException:
        diff.discard()
        raise
    # The diff after the file's other lines: moved into the report's spool.
    report.take(diff)


_HUNK_RE: Final = re.compile(r"^@@ -(\d+)((?:,\d+)?) \+(\d+)((?:,\d+)?) @@")


def _shifted(line: str, da: int, db: int) -> str:
    """A hunk header of a window's diff, renumbered for the whole file."""
    m = _HUNK_RE.match(line)
    if m is None:
        return line
    a, la, b, lb = m.groups()
    return f"@@ -{int(a) + da}{la} +{int(b) + db}{lb} @@" + line[m.end() :]
