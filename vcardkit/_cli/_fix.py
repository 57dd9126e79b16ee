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
import sys
from bisect import bisect_left, insort
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Final

from vcardkit._cli._config import Settings, add_options, settings_from_args
from vcardkit._cli._files import UsageError, write_atomic, write_stdout
from vcardkit._cli._lint import Target, config_for, discover
from vcardkit._cli._output import summary, text_line
from vcardkit._rules._diagnostic import Diagnostic, Edit, Fix
from vcardkit._rules._documents import Context
from vcardkit._syntax._decode import decode
from vcardkit._syntax._reader import Card, read
from vcardkit._syntax._source import Source
from vcardkit._validate import Report, validate_with

__all__ = ["FixResult", "add_parser", "apply_fixes", "fix_text", "run"]

# Fixes can enable others (a padded N, then a refold): a few rounds, as ruff does.
_MAX_ROUNDS: Final = 8


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


@dataclass(frozen=True, slots=True)
class FixResult:
    """What fixing one text did."""

    text: str
    applied: tuple[Diagnostic, ...]  # the diagnostics whose fixes were applied
    remaining: tuple[Diagnostic, ...]  # what validation still reports after fixing


def _offsets(source: Source, edit: Edit) -> tuple[int, int]:
    return source.offset(*edit.start), source.offset(*edit.end)


def apply_fixes(text: str, fixes: Sequence[tuple[Diagnostic, Fix]]) -> tuple[str, list[Diagnostic]]:
    """Apply non-overlapping fixes (a fix's edits all or none); the applied ones.

    Linear in the number of edits: the spans taken are kept sorted, a new
    span is checked against its neighbours only, and the text is rebuilt in
    one pass.
    """
    source = Source(text)
    taken: list[tuple[int, int]] = []  # sorted, never overlapping
    edits: list[tuple[int, int, str]] = []
    applied: list[Diagnostic] = []
    seen: set[tuple[Edit, ...]] = set()
    for diagnostic, fix in fixes:
        if fix.edits in seen:
            applied.append(diagnostic)  # the same edits as a fix already taken
            continue
        spans = [(*_offsets(source, e), e.text) for e in fix.edits]
        if any(_overlaps(start, end, taken) for start, end, _ in spans):
            continue  # the next round will see it again, on the edited text
        seen.add(fix.edits)
        for start, end, _ in spans:
            insort(taken, (start, end))
        edits.extend(spans)
        applied.append(diagnostic)
    parts: list[str] = []
    at = 0
    for start, end, replacement in sorted(edits, key=lambda e: (e[0], e[1])):
        parts.append(text[at:start])
        parts.append(replacement)
        at = end
    parts.append(text[at:])
    return "".join(parts), applied


def _overlaps(start: int, end: int, taken: list[tuple[int, int]]) -> bool:
    """Whether ``[start, end)`` meets a span taken: only its neighbours can."""
    k = bisect_left(taken, (start, end))
    for s, e in taken[max(k - 2, 0) : k + 2]:
        if start < e and s < end:
            return True
        if start == end == s or (start == end and s < start < e):
            return True  # two insertions at one point: order would be a guess
    return False


def fix_text(text: str, validate_text: Callable[[str], Report], *, unsafe: bool) -> FixResult:
    """Fix ``text`` round by round until no fix applies (or the rounds run out)."""
    applied: list[Diagnostic] = []
    report = validate_text(text)
    for _ in range(_MAX_ROUNDS):
        fixes = [
            (d, d.fix)
            for d in report.diagnostics
            if d.fix is not None and d.fix.edits and (d.fix.safe or unsafe)
        ]
        if not fixes:
            break
        new_text, done = apply_fixes(text, fixes)
        if new_text == text:
            break
        text = new_text
        applied.extend(done)
        report = validate_text(text)
    return FixResult(text, tuple(applied), report.diagnostics)


def _property_counts(text: str) -> Counter[tuple[int, str]]:
    counts: Counter[tuple[int, str]] = Counter()
    for item in read((text,)):
        if isinstance(item, Card):
            for row in item.rows:
                counts[(item.index, row[2].upper())] += 1
    return counts


def _decoded(data: bytes) -> tuple[str, str | None]:
    decoded = decode(data)
    return decoded.text, decoded.bom


def _encode(text: str, bom: str | None, keep_bom: bool) -> bytes:
    """Back to the file's encoding; a UTF-8 BOM only if no fix removed it."""
    if bom == "UTF-16":
        return codecs.BOM_UTF16_LE + text.encode("utf-16-le")
    if bom == "UTF-32":
        return codecs.BOM_UTF32_LE + text.encode("utf-32-le")
    data = text.encode("utf-8", "surrogatepass")
    return codecs.BOM_UTF8 + data if bom == "UTF-8" and keep_bom else data


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
        unsafe = sum(1 for d in remaining if d.fix is not None and d.fix.edits and not d.fix.safe)
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
) -> tuple[int, tuple[Diagnostic, ...]] | None:
    assert target.path is not None
    try:
        with open(target.path, "rb") as fp:
            data = fp.read()
    except OSError as exc:
        errors.append(f"cannot read {target.display}: {(exc.strerror or str(exc)).lower()}")
        return None
    text, bom = _decoded(data)
    config = config_for(settings)(target.display)
    ctx = Context(settings.profile, settings.region, False, target.display)
    kind = target.kind

    def validate_text(t: str) -> Report:
        return validate_with(t, config, ctx, kind=kind)

    # The decoded text has no BOM: VC102 is seen on the text with it, and
    # its fix is to write the file back without it.
    bom_fix: list[Diagnostic] = []
    if bom == "UTF-8":
        bom_fix = [
            d for d in validate_text("\ufeff" + text).diagnostics if d.code == "VC102" and d.fix
        ]
    result = fix_text(text, validate_text, unsafe=args.unsafe_fixes)
    if bom_fix:
        result = FixResult(result.text, (*bom_fix, *result.applied), result.remaining)
    elif bom == "UTF-8":
        result = FixResult(
            result.text,
            result.applied,
            validate_text("\ufeff" + result.text).diagnostics,
        )
    bom_fixed = bool(bom_fix)
    if not result.applied:
        return 0, result.remaining
    if kind != "json":
        before, after = _property_counts(text), _property_counts(result.text)
        lost = [key for key, n in before.items() if after[key] < n]
        if lost:
            card, name = lost[0]
            errors.append(
                f"not fixing {target.display}: the fixes would drop {name} from card {card}"
            )
            return 0, result.remaining
    for d in result.applied:
        assert d.fix is not None
        where = f"{target.display}:{d.line}:{d.column}" if d.line is not None else target.display
        out.append(f"{where}: {d.code} fixed: {d.fix.description}")
    new_data = _encode(result.text, bom, keep_bom=not bom_fixed)
    if args.diff:
        diff = difflib.unified_diff(
            text.splitlines(keepends=True),
            result.text.splitlines(keepends=True),
            fromfile=f"a/{target.display}",
            tofile=f"b/{target.display}",
        )
        out.append("".join(diff).rstrip("\n"))
    else:
        try:
            write_atomic(target.path, new_data)
        except UsageError as exc:
            errors.append(str(exc))
            return 0, result.remaining
    return len(result.applied), result.remaining
