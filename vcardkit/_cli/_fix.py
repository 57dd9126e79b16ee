"""``vcardkit fix PATH...``: the rules' safe fixes, applied in place with minimal edits.

DESIGN.md "The command line": only the lines the fixes touch change; what
changed is printed; no property is ever dropped; the file is written through
a temporary file in the same folder and a rename (permissions kept); a
second run changes nothing. ``--unsafe-fixes`` adds the fixes that guess;
``--diff`` prints a unified diff and writes nothing.
"""

from __future__ import annotations

import argparse
import codecs
import difflib
import re
from collections.abc import Iterable, Iterator
from typing import BinaryIO, Final

from vcardkit._cli._config import Settings, add_options, settings_from_args
from vcardkit._cli._files import UsageError, open_atomic, print_error, shown, write_stdout
from vcardkit._cli._lint import Target, config_for, discover
from vcardkit._cli._output import summary_line, text_line
from vcardkit._fixing import Fixed, fix_document, fix_windows
from vcardkit._rules._diagnostic import Diagnostic, Severity
from vcardkit._rules._documents import Context, VcfDocument, vcf_documents
from vcardkit._rules._engine import Config
from vcardkit._rules._jsondoc import build_json_document
from vcardkit._syntax._stream import pieces
from vcardkit._validate import Prepended as _Prepended
from vcardkit._validate import is_json_data

__all__ = ["add_parser", "run"]


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    fix = sub.add_parser(
        "fix",
        help="apply the safe fixes to .vcf files in place",
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


class _Tally:
    """What a fix run has done and left, counted as it goes (nothing kept per diagnostic)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.fixes = 0
        self.files_changed = 0
        self.counts = dict.fromkeys(Severity, 0)
        self.unsafe = 0  # fixes left that --unsafe-fixes would apply
        self.failing = False

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
        len(targets),
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
    """Fix one file as it is read, printing what each window's fixes did and left.

    The lines are printed as the windows are fixed, before the file is
    renamed into place; if it then cannot be (a write error, a fix that
    would drop a property), an error says the file was left as it was.
    """
    assert target.path is not None
    config = config_for(settings)(target.display)
    ctx = Context(settings.profile, settings.region, False, target.display)
    fixes_before = tally.fixes
    try:
        with open(target.path, "rb") as fp:
            results = _results(fp, target, config, ctx, args.unsafe_fixes)
            if args.diff:
                _diff(results, target.display, tally)
            else:
                _write(results, target, tally)
    except OSError as exc:
        problem = f"cannot read {target.display}: {(exc.strerror or str(exc)).lower()}"
    except UsageError as exc:
        problem = str(exc)
    except _Lost as exc:
        card, name = exc.args
        problem = f"not fixing {target.display}: the fixes would drop {name} from card {card}"
    else:
        if tally.fixes > fixes_before:
            tally.files_changed += 1
        return
    if tally.fixes > fixes_before:
        problem += "; the file was left as it was, none of its fixes above is written"
        tally.fixes = fixes_before
    errors.append(problem)


class _Lost(Exception):
    """A fix would drop a property: (card, name)."""


def _results(
    fp: BinaryIO, target: Target, config: Config, ctx: Context, unsafe: bool
) -> Iterator[tuple[str, Fixed]]:
    """(original text, fixed) of each window of the file, or of the JSON document."""
    first = fp.read(4096)  # enough to tell JSON from VCF; the rest comes in chunks
    kind = target.kind or ("json" if is_json_data(first) else "vcf")
    if kind == "json":
        data = first + fp.read()
        doc = build_json_document(data, target.display)
        assert doc.source is not None
        fixed = fix_document(
            doc,
            lambda text: build_json_document(text, target.display),
            config,
            ctx,
            unsafe=unsafe,
        )
        yield doc.source.text, fixed
        return
    originals: list[str] = []

    def windows() -> Iterator[VcfDocument]:
        for doc in vcf_documents(pieces(_Prepended(first, fp)), target.display):
            originals.append(doc.source.text)
            yield doc

    for fixed in fix_windows(windows(), config, ctx, unsafe=unsafe):
        if fixed.lost is not None:
            raise _Lost(*fixed.lost)
        yield originals.pop(0), fixed


def _write(results: Iterator[tuple[str, Fixed]], target: Target, tally: _Tally) -> None:
    """Write the fixed windows as they come; replace the file only if a fix applied."""
    assert target.path is not None
    applied = False
    try:
        with open_atomic(target.path) as out:
            first = True
            for _, fixed in results:
                out.write(_encode(fixed.text, fixed.bom, first))
                first = False
                applied = applied or bool(fixed.applied)
                lines = tally.fixed(target.display, fixed.applied)
                lines.extend(tally.left(fixed.remaining))
                if lines:
                    write_stdout("\n".join(lines) + "\n")
            if not applied:
                raise _NotFixed  # nothing to change: the file is not touched
    except _NotFixed:
        pass


def _diff(results: Iterator[tuple[str, Fixed]], display: str, tally: _Tally) -> None:
    """A unified diff of the fixes, after what they fixed and left (the diff is held)."""
    line_a = line_b = 1
    diff: list[str] = []
    for original, fixed in results:
        lines = tally.fixed(display, fixed.applied)
        lines.extend(tally.left(fixed.remaining))
        if lines:
            write_stdout("\n".join(lines) + "\n")
        a = original.splitlines(keepends=True)
        b = fixed.text.splitlines(keepends=True)
        if a != b:
            hunks = list(difflib.unified_diff(a, b, n=3))[2:]  # the file header once
            if not diff:
                diff.extend([f"--- a/{shown(display)}\n", f"+++ b/{shown(display)}\n"])
            diff.extend(_shifted(h, line_a - 1, line_b - 1) for h in hunks)
        line_a += len(a)
        line_b += len(b)
    if diff:
        write_stdout("".join(diff).rstrip("\n") + "\n")


_HUNK_RE: Final = re.compile(r"^@@ -(\d+)((?:,\d+)?) \+(\d+)((?:,\d+)?) @@")


def _shifted(line: str, da: int, db: int) -> str:
    """A hunk header of a window's diff, renumbered for the whole file."""
    m = _HUNK_RE.match(line)
    if m is None:
        return line
    a, la, b, lb = m.groups()
    return f"@@ -{int(a) + da}{la} +{int(b) + db}{lb} @@" + line[m.end() :]
