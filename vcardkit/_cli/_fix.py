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
import sys
from collections.abc import Iterator
from typing import BinaryIO, Final

from vcardkit._cli._config import Settings, add_options, settings_from_args
from vcardkit._cli._files import UsageError, open_atomic, write_stdout
from vcardkit._cli._lint import Target, config_for, discover
from vcardkit._cli._output import summary, text_line
from vcardkit._fixing import Fixed, fix_document, fix_windows
from vcardkit._rules._diagnostic import Diagnostic
from vcardkit._rules._documents import Context, VcfDocument, vcf_documents
from vcardkit._rules._engine import Config
from vcardkit._rules._jsondoc import build_json_document
from vcardkit._syntax._stream import CHUNK, pieces
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


def run(args: argparse.Namespace) -> int:
    settings = settings_from_args(args)
    if "-" in args.paths:
        raise UsageError("fix edits files in place; it does not read stdin (use lint)")
    targets, errors = discover(args.paths, settings, None)
    remaining: list[Diagnostic] = []
    changed_files = 0
    fixes_applied = 0
    out: list[str] = []
    for target in targets:
        result = _fix_file(target, settings, args, out, errors)
        if result is None:
            continue
        count, left = result
        remaining.extend(left)
        if count:
            changed_files += 1
            fixes_applied += count
    shown = [d for d in remaining if settings.fails(d)]
    out.extend(text_line(d, color=False) for d in shown)
    verb = "would be applied" if args.diff else "applied"
    out.append(
        f"{fixes_applied} fix{'es' if fixes_applied != 1 else ''} {verb} to "
        f"{changed_files} file{'s' if changed_files != 1 else ''}; "
        + summary(remaining, len(targets)).replace("checked:", "checked, remaining:")
    )
    if not args.unsafe_fixes:
        unsafe = sum(
            1 for d in remaining if d.fix is not None and d.fix.applicable and not d.fix.safe
        )
        if unsafe:
            out.append(
                f"{unsafe} more fix{'es' if unsafe != 1 else ''} available with --unsafe-fixes."
            )
    write_stdout("\n".join(out) + "\n")
    for error in errors:
        print(f"vcardkit: error: {error}", file=sys.stderr)
    if errors:
        return 2
    return 1 if shown else 0


def _fix_file(
    target: Target,
    settings: Settings,
    args: argparse.Namespace,
    out: list[str],
    errors: list[str],
) -> tuple[int, list[Diagnostic]] | None:
    """Fix one file as it is read; the number of fixes and what remains, or None on error."""
    assert target.path is not None
    config = config_for(settings)(target.display)
    ctx = Context(settings.profile, settings.region, False, target.display)
    applied: list[Diagnostic] = []
    remaining: list[Diagnostic] = []
    diff: list[str] = []
    try:
        with open(target.path, "rb") as fp:
            results = _results(fp, target, config, ctx, args.unsafe_fixes)
            if args.diff:
                _diff(results, target.display, applied, remaining, diff)
            else:
                _write(results, target, applied, remaining)
    except OSError as exc:
        errors.append(f"cannot read {target.display}: {(exc.strerror or str(exc)).lower()}")
        return None
    except UsageError as exc:
        errors.append(str(exc))
        return None
    except _Lost as exc:
        card, name = exc.args
        errors.append(f"not fixing {target.display}: the fixes would drop {name} from card {card}")
        return 0, remaining
    for d in applied:
        assert d.fix is not None
        where = f"{target.display}:{d.line}:{d.column}" if d.line is not None else target.display
        out.append(f"{where}: {d.code} fixed: {d.fix.description}")
    if diff:
        out.append("".join(diff).rstrip("\n"))
    return len(applied), remaining


class _Lost(Exception):
    """A fix would drop a property: (card, name)."""


def _results(
    fp: BinaryIO, target: Target, config: Config, ctx: Context, unsafe: bool
) -> Iterator[tuple[str, Fixed]]:
    """(original text, fixed) of each window of the file, or of the JSON document."""
    first = fp.read(CHUNK)
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


def _write(
    results: Iterator[tuple[str, Fixed]],
    target: Target,
    applied: list[Diagnostic],
    remaining: list[Diagnostic],
) -> None:
    """Write the fixed windows as they come, replacing the file only if a fix applied."""
    assert target.path is not None
    try:
        with open_atomic(target.path) as out:
            first = True
            for _, fixed in results:
                out.write(_encode(fixed.text, fixed.bom, first))
                first = False
                applied.extend(fixed.applied)
                remaining.extend(fixed.remaining)
            if not applied:
                raise _NotFixed  # nothing to change: the file is not touched
    except _NotFixed:
        pass


def _diff(
    results: Iterator[tuple[str, Fixed]],
    display: str,
    applied: list[Diagnostic],
    remaining: list[Diagnostic],
    out: list[str],
) -> None:
    """A unified diff of the fixes, window by window, numbered as in the whole file."""
    line_a = line_b = 1
    for original, fixed in results:
        applied.extend(fixed.applied)
        remaining.extend(fixed.remaining)
        a = original.splitlines(keepends=True)
        b = fixed.text.splitlines(keepends=True)
        if a != b:
            hunks = list(difflib.unified_diff(a, b, n=3))[2:]  # the file header once
            if not out:
                out.extend([f"--- a/{display}\n", f"+++ b/{display}\n"])
            out.extend(_shifted(h, line_a - 1, line_b - 1) for h in hunks)
        line_a += len(a)
        line_b += len(b)


_HUNK_RE: Final = re.compile(r"^@@ -(\d+)((?:,\d+)?) \+(\d+)((?:,\d+)?) @@")


def _shifted(line: str, da: int, db: int) -> str:
    """A hunk header of a window's diff, renumbered for the whole file."""
    m = _HUNK_RE.match(line)
    if m is None:
        return line
    a, la, b, lb = m.groups()
    return f"@@ -{int(a) + da}{la} +{int(b) + db}{lb} @@" + line[m.end() :]
