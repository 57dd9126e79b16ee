"""The fix engine: the rules' fixes applied a window of cards at a time.

docs/cli.md "fix": only the spans the fixes
touch change; a fix's edits apply all or none; fixes can enable others (a
padded N, then a refold), so a window is checked again after its fixes, a
few rounds at most, as ruff does; a second run changes nothing.

A VCF file is fixed as it is read (:func:`fix_windows`): each window of
cards :func:`vcardkit._rules._documents.vcf_documents` yields is checked,
its fixes applied in one linear pass, and the window read again from the
reader's state where the *written* text is (earlier fixes may have added
lines), so the diagnostics left point into the file as written. Memory
does not grow with the file. A JSON document is fixed whole
(:func:`fix_document`).
"""

from __future__ import annotations

import copy
import re
from bisect import bisect_left, insort
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import partial
from itertools import repeat
from operator import itemgetter
from typing import Any, Final

from vcardkit._errors import VCardError
from vcardkit._model._json import member, pointer_tokens
from vcardkit._rules._diagnostic import Diagnostic, Edit, Fix
from vcardkit._rules._documents import Context, VcfDocument, reread, vcf_documents
from vcardkit._rules._engine import Config, Selector, run
from vcardkit._rules._jsondoc import JsonDocument, build_json_document
from vcardkit._rules._registry import instances
from vcardkit._syntax._decode import DecodeEvent
from vcardkit._syntax._reader import START, ReaderState
from vcardkit._syntax._source import Source
from vcardkit._syntax._stream import text_pieces
from vcardkit._syntax._values import fold
from vcardkit._validate import Report, is_json_data, settings, validate_with

__all__ = [
    "FixResult",
    "Fixed",
    "apply_fixes",
    "fix",
    "fix_document",
    "fix_windows",
    "undecodable",
]

# Fixes can enable others: a few rounds, as ruff does.
MAX_ROUNDS: Final = 8


@dataclass(frozen=True, slots=True)
class Fixed:
    """One window (or one JSON document) with the fixes applied."""

    text: str
    applied: tuple[Diagnostic, ...]  # the diagnostics whose fixes were applied
    remaining: tuple[Diagnostic, ...]  # what the rules report on ``text``
    bom: str | None  # the byte-order mark to write before the first window
    # (card index, property name) of a property the fixes would drop: the
    # caller must not write the result (docs/cli.md "fix": nothing is ever dropped).
    lost: tuple[int, str] | None = None


def _wanted(d: Diagnostic, unsafe: bool) -> bool:
    return d.fix is not None and d.fix.applicable and (d.fix.safe or unsafe)


def apply_fixes(
    source: Source, fixes: Sequence[tuple[Diagnostic, Fix]], *, fold_lines: bool = False
) -> tuple[str, list[Diagnostic]]:
    """Apply non-overlapping edits (a fix's edits all or none); the applied ones.

    Linear in the number of edits: the spans taken are kept sorted, a new
    span is checked against its neighbours only, and the text is rebuilt in
    one pass. Fixes without edits (a line-ending change) are the caller's.
    ``fold_lines`` (VCF): fold again a content line an edit made too long.
    """
    text = source.text
    base = source.base
    taken: list[tuple[int, int]] = []  # sorted, never overlapping
    edits: list[tuple[int, int, str]] = []
    applied: list[Diagnostic] = []
    seen: set[tuple[Edit, ...]] = set()
    offset = source.offset
    for diagnostic, fix in fixes:
        if not fix.edits:
            continue
        if fix.edits in seen:
            applied.append(diagnostic)  # the same edits as a fix already taken
            continue
        spans = [(offset(*e.start) - base, offset(*e.end) - base, e.text) for e in fix.edits]
        if any(_overlaps(start, end, taken) for start, end, _ in spans):
            continue  # the next round will see it again, on the edited text
        seen.add(fix.edits)
        for start, end, _ in spans:
            insort(taken, (start, end))
        edits.extend(spans)
        applied.append(diagnostic)
    if not edits:
        return text, applied
    parts: list[str] = []
    touched: list[int] = []  # where each replacement ends in the new text
    at = 0
    length = 0
    for start, end, replacement in sorted(edits, key=_span):
        parts.append(text[at:start])
        parts.append(replacement)
        length += start - at + len(replacement)
        touched.append(length)
        at = end
    parts.append(text[at:])
    new = "".join(parts)
    return (_refolded(new, touched) if fold_lines else new), applied


_span: Final = itemgetter(0, 1)  # an edit's (start, end): a sort key made in C
_BREAK_RE: Final = re.compile(r"\r\n|\r|\n")


def _line_start(text: str, pos: int) -> int:
    return max(text.rfind("\n", 0, pos), text.rfind("\r", 0, pos)) + 1


def _logical_start(text: str, pos: int) -> int:
    """Where the logical line holding ``pos`` starts: up past its continuation lines."""
    start = _line_start(text, pos)
    while 0 < start < len(text) and text[start] in " \t":
        end = start - 1  # the previous line's break, a CRLF counted once
        if text[end] == "\n" and end > 0 and text[end - 1] == "\r":
            end -= 1
        start = _line_start(text, end)
    return start


def _refolded(text: str, touched: list[int]) -> str:
    """``text`` with each logical line an edit made longer than 75 octets folded again.

    An escape added to a value (VC301's backslash) can push a line past
    RFC 2425's 75 octets; folding it with the fix, rather than in a next
    round (VC111), spares checking the window once more. A line written
    QUOTED-PRINTABLE is left alone: its soft breaks are not folds.
    """
    out: list[str] = []
    at = 0
    for offset in touched:
        start = _logical_start(text, min(offset, len(text)))
        if start < at:
            continue  # in the logical line just refolded
        m = _BREAK_RE.search(text, offset)
        while m is not None and text[m.end() : m.end() + 1] in (" ", "\t") and m.end() < len(text):
            m = _BREAK_RE.search(text, m.end())
        end = m.start() if m is not None else len(text)
        eol = m.group() if m is not None else "\r\n"
        segment = text[start:end]
        if len(segment) <= 75 and len(segment.encode("utf-8", "surrogatepass")) <= 75:
            continue  # the whole logical line fits: so does each of its lines
        physical = _BREAK_RE.split(segment)
        if all(len(p) <= 75 and len(p.encode("utf-8", "surrogatepass")) <= 75 for p in physical):
            continue
        if "QUOTED-PRINTABLE" in text[start:end].upper():
            continue
        logical = physical[0] + "".join(p[1:] for p in physical[1:])
        out.append(text[at:start])
        out.append(fold(logical, eol)[: -len(eol)])
        at = end
    if not out:
        return text
    out.append(text[at:])
    return "".join(out)


def _overlaps(start: int, end: int, taken: list[tuple[int, int]]) -> bool:
    """Whether ``[start, end)`` meets a span taken: only its neighbours can."""
    k = bisect_left(taken, (start, end))
    for s, e in taken[max(k - 2, 0) : k + 2]:
        if start < e and s < end:
            return True
        if start == end == s or (start == end and s < start < e):
            return True  # two insertions at one point: order would be a guess
    return False


def _crlf(text: str) -> str:
    """Every line break CRLF (RFC 2425 §5.8.1): VC103's fix."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.replace("\n", "\r\n")


class _Rounds:
    """What the fixing of one file carries from window to window."""

    def __init__(self, config: Config, ctx: Context, unsafe: bool) -> None:
        self.config = config
        self.ctx = ctx
        self.unsafe = unsafe
        self.rules = instances()
        self.crlf = False  # VC103's fix applied: every later line break too
        self.drop_bom = False  # VC102's fix applied
        # A window is first checked by the rules that may offer the fixes
        # wanted; the others run once no fix is left. Checking a faulty
        # window whole, then checking its fixed text whole again, would cost
        # two full checks where a clean window costs one.
        kinds = ("safe", "unsafe") if unsafe else ("safe",)
        fixing = tuple(rule for rule in config.rules if rule.fixes in kinds)
        rest = tuple(rule for rule in config.rules if rule.fixes not in kinds)
        self.fixing = replace(config, rules=fixing)
        self.rest = replace(config, rules=rest)

    def fix(
        self,
        doc: VcfDocument | JsonDocument,
        again: Callable[[str, str | None], VcfDocument | JsonDocument],
        settled: Callable[[VcfDocument | JsonDocument], bool],
    ) -> tuple[VcfDocument | JsonDocument, list[Diagnostic], list[Diagnostic]]:
        """Rounds of fixes on ``doc``; ``again`` reads a changed text, ``settled`` says
        whether a document is as it will be written (text and positions)."""
        diagnostics = run(doc, self.fixing, self.ctx, self.rules)
        partial = True  # only the fixing rules have run on ``current``
        applied: list[Diagnostic] = []
        current = doc
        for _ in range(MAX_ROUNDS):
            source = _source(current)
            fixes = []
            done = []
            for d in diagnostics:
                if d.fix is None or not _wanted(d, self.unsafe):
                    continue
                if d.fix.bom is False:
                    # The BOM is not in the decoded text: it goes when written.
                    if not self.drop_bom:
                        self.drop_bom = True
                        done.append(d)
                elif d.fix.line_ending is not None:
                    if not self.crlf:
                        self.crlf = True
                        done.append(d)
                else:
                    fixes.append((d, d.fix))
            vcf = isinstance(current, VcfDocument)
            text, edited = (
                apply_fixes(source, fixes, fold_lines=vcf) if fixes else (source.text, [])
            )
            done.extend(edited)
            done.sort(key=Diagnostic.sort_key)
            if self.crlf and isinstance(current, VcfDocument):
                text = _crlf(text)
            if self.drop_bom and source.base == 0 and text.startswith("\ufeff"):
                # Written without its byte-order mark, a text that starts with
                # U+FEFF would be read as having one: the character goes with
                # the mark, or fixing the output would remove it again.
                text = text.lstrip("\ufeff")
            bom = None if self.drop_bom else doc.bom
            if text == source.text and bom == current.bom and settled(current):
                if partial:
                    more = run(current, self.rest, self.ctx, self.rules)
                    diagnostics = sorted(diagnostics + more, key=Diagnostic.sort_key)
                break
            applied.extend(done)
            payload = current.payload if isinstance(current, VcfDocument) else None
            if payload is not None:
                payload.rollback()  # the window is checked again: its cards once
            if current is not doc and isinstance(current, VcfDocument):
                current.release()  # a round's text, fixed again: nothing points at it
            current = again(text, bom)
            diagnostics = run(current, self.config, self.ctx, self.rules)
            partial = False
        return current, applied, diagnostics


def _source(doc: VcfDocument | JsonDocument) -> Source:
    assert doc.source is not None  # JSON held as Python objects is not fixed here
    return doc.source


def _reread(
    doc: VcfDocument,
    start: ReaderState,
    line: int,
    base: int,
    encoded: bool,
    text: str,
    bom: str | None,
) -> VcfDocument:
    """``doc``'s window, changed by fixes, read where the written text is."""
    new = reread(doc, text, start, line, base)
    new.bom = bom
    new.decode_events = _written_events(doc.decode_events, encoded)
    return new


def _written_events(events: Iterable[DecodeEvent], encoded: bool) -> tuple[DecodeEvent, ...]:
    """What the decoder found that is still true of the fixed text.

    ``encoded``: the text is written back in the encoding it was read in
    (``vcardkit fix`` does; UTF-16 stays UTF-16), so VC116, at the file's
    start, still holds; for text returned as ``str`` nothing does. A split
    UTF-8 sequence is written whole (VC112 is gone either way). VC101 never
    gets here: a text holding one is not fixed.
    """
    return tuple(e for e in events if e.code == "VC116") if encoded else ()


def _settled(
    doc: VcfDocument, start: ReaderState, line: int, base: int, current: VcfDocument | JsonDocument
) -> bool:
    """Whether ``current`` is as it will be written: read again, or read where it is written."""
    source = doc.source
    return current is not doc or (
        doc.start == start and source.line == line and source.base == base
    )


def _properties(doc: VcfDocument) -> Counter[tuple[int, str]]:
    counts: Counter[tuple[int, str]] = Counter()
    for card in doc.cards:
        rows = card.card.rows
        if rows:
            # One upper() a card, not one a row (twice a fixed window): a
            # name holds no line break (LENIENT_NAME), so the split gives
            # back each row's name.
            names = "\n".join([row[2] for row in rows]).upper().split("\n")
            counts.update(zip(repeat(card.index), names))
    return counts


def fix_windows(
    docs: Iterable[VcfDocument],
    config: Config,
    ctx: Context,
    *,
    unsafe: bool = False,
    encoded: bool = False,
) -> Iterator[Fixed]:
    """Fix a VCF text's windows (:func:`vcf_documents`) one at a time, in order.

    ``encoded``: the caller writes the fixed text back in the encoding it
    was read in (a UTF-16 file stays UTF-16), and ``remaining`` says so.
    """
    rounds = _Rounds(config, ctx, unsafe)
    state = START  # the reader's state where the written text is
    line = 1
    base = 0
    written: tuple[VcfDocument, ...] = ()
    for doc in docs:
        # The window before is written, and ``docs`` has counted its cards:
        # its documents are not read again (see VcfDocument.release).
        for old in written:
            old.release()
        again = partial(_reread, doc, state, line, base, encoded)
        settled = partial(_settled, doc, state, line, base)
        current, applied, remaining = rounds.fix(doc, again, settled)
        assert isinstance(current, VcfDocument)
        lost = None
        if current is not doc:
            after = _properties(current)
            lost = next((k for k, n in _properties(doc).items() if after[k] < n), None)
        yield Fixed(current.source.text, tuple(applied), tuple(remaining), current.bom, lost)
        written = (doc, current)
        state = current.end
        line = current.source.line + current.source.line_count
        base = current.source.base + len(current.source.text)
    for old in written:
        old.release()


def fix_document(
    doc: JsonDocument,
    build: Callable[[str], JsonDocument],
    config: Config,
    ctx: Context,
    *,
    unsafe: bool = False,
    encoded: bool = False,
) -> Fixed:
    """Fix a JSON document whole; ``build`` reads a changed text (``encoded``: as above)."""
    rounds = _Rounds(config, ctx, unsafe)
    assert doc.source is not None

    def again(text: str, bom: str | None) -> JsonDocument:
        new = build(text)
        new.bom = bom
        new.decode_events = _written_events(doc.decode_events, encoded)
        return new

    current, applied, remaining = rounds.fix(doc, again, lambda _: True)
    return Fixed(_source(current).text, tuple(applied), tuple(remaining), current.bom)


@dataclass(frozen=True, slots=True)
class FixResult:
    """What :func:`fix` did: the payload fixed, the fixes applied, what is left."""

    output: str | list[Any]  # text for text input; JSON contacts for Python objects
    applied: tuple[Diagnostic, ...]  # the diagnostics whose fixes were applied
    remaining: Report  # what validation reports on ``output``


def fix(
    data: Any,
    /,
    *,
    unsafe: bool = False,
    region: str | None = None,
    profile: str = "whatsapp",
    select: Selector = None,
    ignore: Selector = None,
) -> FixResult:
    """Apply the rules' fixes to ``data``, as ``vcardkit fix`` does to a file.

    ``data`` is what :func:`vcardkit.validate` takes: VCF or JSON text or
    bytes (the output is text, decoded; a VCF text is fixed a window of
    cards at a time, by the engine the command streams), or contacts as
    ``Contact`` objects or JSON mappings (the output is a new list of JSON
    contacts; ``data`` is not changed). Only safe fixes apply unless
    ``unsafe=True`` (a ``waid`` derived from the phone, a national number
    completed with ``region``). Idempotent: fixing ``output`` again applies
    nothing. A fix that would drop a property raises :class:`VCardError`
    (it never happens by design; the check guards it).

    Bytes that do not decode (VC101: Latin-1, UTF-16 without a BOM, binary
    data) raise :class:`VCardError` with ``code == "VC101"`` and the line
    and column of the first, whatever ``select`` and ``ignore`` say: the
    output would hold U+FFFD where they were, and the bytes would be lost
    (``vcardkit fix`` leaves such a file as it is, and so should a caller
    that writes ``output`` back). Nothing is fixed; decode the data the
    right way and fix the text.
    """
    config, ctx = settings(profile, select, ignore, None, region, None, data, sending=False)
    if callable(getattr(data, "read", None)):
        data = data.read()
    if isinstance(data, (bytearray, memoryview)):
        data = bytes(data)
    if isinstance(data, (str, bytes)):
        if is_json_data(data):
            doc = build_json_document(data)
            if doc.source is not None:
                _refuse_undecodable(doc.decode_events, doc.source)
            fixed = fix_document(doc, build_json_document, config, ctx, unsafe=unsafe)
            text = ("\ufeff" if fixed.bom == "UTF-8" else "") + fixed.text
            return FixResult(text, fixed.applied, Report(fixed.remaining))
        return _fix_vcf(data, config, ctx, unsafe)
    return _fix_objects(data, config, ctx, unsafe)


def undecodable(events: Iterable[DecodeEvent]) -> DecodeEvent | None:
    """The first byte sequence that did not decode (VC101), if any.

    Fixed text is written back encoded: such bytes would come back as
    U+FFFD, so a text that holds one is never fixed (docs/cli.md "fix").
    """
    return next((e for e in events if e.code == "VC101"), None)


def _refuse_undecodable(events: Iterable[DecodeEvent], source: Source) -> None:
    event = undecodable(events)
    if event is not None:
        line, column = source.position(event.offset)
        raise VCardError(
            f"the bytes {event.detail} at byte offset {event.byte_offset} are not valid "
            "UTF-8; fixing would replace them with U+FFFD: nothing was fixed",
            line=line,
            column=column,
            code="VC101",
        )


def _fix_vcf(data: str | bytes, config: Config, ctx: Context, unsafe: bool) -> FixResult:
    parts: list[str] = []
    applied: list[Diagnostic] = []
    remaining: list[Diagnostic] = []
    # The data is in memory: one piece, checked before any window is fixed.
    whole = list(text_pieces(data))
    for piece in whole:
        _refuse_undecodable(piece.events, Source(piece.text))
    for fixed in fix_windows(vcf_documents(whole), config, ctx, unsafe=unsafe):
        if fixed.lost is not None:
            card, name = fixed.lost
            raise VCardError(f"a fix would drop {name} from card {card}: nothing was fixed")
        text = fixed.text
        if not parts and fixed.bom == "UTF-8":
            parts.append("\ufeff")  # kept: VC102 was not selected
        elif not parts and fixed.bom is not None:
            # A str has no encoding: a UTF-16 or UTF-32 mark does not come
            # with it, and a U+FEFF right after the mark would read as one.
            text = text.lstrip("\ufeff")
        parts.append(text)
        applied.extend(fixed.applied)
        remaining.extend(fixed.remaining)
    return FixResult("".join(parts), tuple(applied), Report(tuple(remaining)))


def _fix_objects(data: Any, config: Config, ctx: Context, unsafe: bool) -> FixResult:
    """Contacts held as Python objects: fixes name a field by its pointer and give its value."""
    value = copy.deepcopy(build_json_document(data).value)
    applied: list[Diagnostic] = []
    remaining: tuple[Diagnostic, ...] = ()
    for _ in range(MAX_ROUNDS):
        remaining = tuple(validate_with(value, config, ctx))
        done: set[str] = set()
        for d in remaining:
            if d.fix is None or d.fix.pointer is None or d.fix.value is None:
                continue
            if not (d.fix.safe or unsafe) or d.fix.pointer in done:
                continue
            if _set(value, d.fix.pointer, d.fix.value):
                done.add(d.fix.pointer)
                applied.append(d)
        if not done:
            break
    else:
        remaining = tuple(validate_with(value, config, ctx))
    out = value if isinstance(value, list) else [value]
    return FixResult(out, tuple(applied), Report(remaining))


def _set(value: Any, pointer: str, new: str) -> bool:
    """Set the member at JSON ``pointer`` (its parent must exist); whether it was set."""
    tokens = pointer_tokens(pointer)
    if not tokens:
        return False
    parent = member(value, tokens[:-1])
    last = tokens[-1]
    if isinstance(parent, dict):
        parent[last] = new
        return True
    if isinstance(parent, list) and last.isdigit() and int(last) < len(parent):
        parent[int(last)] = new
        return True
    return False
