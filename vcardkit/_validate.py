"""validate() and check(): the preflight API (docs/design.md "The public API")."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import IO, Any

from vcardkit._errors import ValidationError, VCardError
from vcardkit._io import dumps
from vcardkit._model._contact import Contact
from vcardkit._model._json import from_json
from vcardkit._rules._base import Rule
from vcardkit._rules._diagnostic import Diagnostic, Edit, Severity
from vcardkit._rules._documents import Context, VcfDocument, vcf_documents
from vcardkit._rules._engine import Config, Selector, resolve, run
from vcardkit._rules._jsondoc import JsonDocument, build_json_document
from vcardkit._rules._phonelib import check_region
from vcardkit._rules._registry import REGISTRY, instances
from vcardkit._syntax._decode import SURROGATE_RE, decode
from vcardkit._syntax._source import Source
from vcardkit._syntax._stream import SNIFF, Prepended, pieces, text_pieces
from vcardkit._types import ProfileName, SeverityName

__all__ = [
    "Report",
    "check",
    "in_str_coordinates",
    "is_json_data",
    "is_json_text",
    "iter_validate",
    "rules",
    "settings",
    "validate",
    "validate_batches",
    "validate_with",
]


@dataclass(frozen=True, slots=True)
class Report:
    """What :func:`validate` found: every diagnostic, sorted."""

    diagnostics: tuple[Diagnostic, ...]

    @property
    def ok(self) -> bool:
        """No error remains (warnings and infos may)."""
        return not any(d.severity is Severity.ERROR for d in self.diagnostics)

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.diagnostics if d.severity is Severity.ERROR)

    @property
    def warnings(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.diagnostics if d.severity is Severity.WARNING)

    @property
    def infos(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.diagnostics if d.severity is Severity.INFO)


def rules() -> tuple[type[Rule], ...]:
    """The registry: every rule class, in code order."""
    return REGISTRY


def is_json_text(text: str) -> bool:
    """JSON when the first non-white-space character (after a BOM) is ``[`` or ``{``.

    docs/design.md "The public API".
    """
    return text.lstrip("\ufeff").lstrip()[:1] in ("[", "{")


def is_json_data(data: str | bytes) -> bool:
    """:func:`is_json_text` of text, or of the decoded start of bytes."""
    if isinstance(data, str):
        return is_json_text(data)
    return is_json_text(decode(data[:SNIFF]).text)


def _documents(
    data: Any, path: str | None, kind: str | None = None
) -> Iterator[VcfDocument | JsonDocument]:
    """The documents the rules run on: a VCF text's windows, or one JSON document."""
    if isinstance(data, (bytes, bytearray, memoryview)):
        raw = bytes(data)
        if kind == "json" or (kind is None and is_json_data(raw)):
            yield build_json_document(raw, path)
        else:
            yield from vcf_documents(text_pieces(raw), path)
        return
    if isinstance(data, str):
        if kind == "json" or (kind is None and is_json_text(data)):
            yield build_json_document(data, path)
        else:
            yield from vcf_documents(text_pieces(data), path)
        return
    if isinstance(data, (Contact, Mapping)) or (
        isinstance(data, Sequence) and not isinstance(data, (str, bytes))
    ):
        yield build_json_document(data, path)
        return
    raise TypeError(
        "validate() takes contacts (Contact objects or mappings), JSON text or bytes, "
        "VCF text or bytes, or a file, not " + type(data).__name__
    )


def _is_file(data: Any) -> bool:
    return callable(getattr(data, "read", None))


def _file_documents(
    first: str | bytes, fp: IO[str] | IO[bytes], path: str | None, kind: str | None = None
) -> Iterator[VcfDocument | JsonDocument]:
    """A file's documents (``first``: its first chunk, read already): VCF read as a
    stream; JSON read whole (a payload to send is small)."""
    if kind is None:
        kind = "json" if is_json_data(first) else "vcf"
    if kind == "json":
        rest = fp.read()
        yield from _documents(first + rest, path, "json")  # type: ignore[operator]
        return
    yield from vcf_documents(pieces(Prepended(first, fp)), path)


def _file_path(fp: Any, path: str | None) -> str | None:
    """The diagnostics' path: ``path``, else the file's name if it has one."""
    if path is None and isinstance(getattr(fp, "name", None), str):
        return str(fp.name)
    return path


def validate(
    data: Any,
    /,
    *,
    profile: ProfileName = "whatsapp",
    select: Selector = None,
    ignore: Selector = None,
    severity: Mapping[str, SeverityName | Severity] | None = None,
    region: str | None = None,
    path: str | None = None,
) -> Report:
    """Every problem of ``data`` in one pass, each with a code and a position.

    ``data`` is contacts (``Contact`` objects or JSON mappings), JSON text or
    bytes, VCF text or bytes (sniffed: JSON when the first non-white-space
    character is ``[`` or ``{``), or a text or binary file holding either
    (VCF read as a stream, as :func:`iter_validate` does; its ``name`` is
    the diagnostics' path unless ``path`` is given). ``select`` and
    ``ignore`` take codes (``VC404``), prefixes (``VC4``) or names
    (``waid-format``); ``severity`` maps them to ``"error"``, ``"warning"``
    or ``"info"``. ``region`` (an ISO 3166-1 alpha-2 code phonenumbers
    knows, in any case, e.g. ``"EG"``; ``"GB"``, not ``"UK"``) is the region
    national numbers are read in.

    Positions (and a fix's edits) are in the text given: for a ``str`` or a
    text file, in that str, whose leading U+FEFF, if any, is column 1 of
    line 1; for bytes or a binary file, in the decoded text, which does not
    hold the byte-order mark.

    Bad content never raises: every fault of the text or of the contacts is
    a diagnostic. What raises is a call that gives no content to check:
    ``TypeError`` for ``data`` of a type not listed above (an ``int``, a
    ``set``), or an option of the wrong type; ``ValueError`` for a bad
    option (an unknown profile, rule selector or severity, a region
    phonenumbers does not know), and for Python data that holds itself (a
    list or mapping inside itself), which no JSON text can.
    """
    config, ctx = settings(profile, select, ignore, severity, region, path, data, sending=False)
    return Report(tuple(validate_with(data, config, ctx)))


def iter_validate(
    fp: IO[str] | IO[bytes],
    /,
    *,
    profile: ProfileName = "whatsapp",
    select: Selector = None,
    ignore: Selector = None,
    severity: Mapping[str, SeverityName | Severity] | None = None,
    region: str | None = None,
    path: str | None = None,
) -> Iterator[Diagnostic]:
    """:func:`validate` of a file, yielding diagnostics as each window of cards is checked.

    A VCF file is read in chunks and checked a few hundred cards at a time,
    in memory that does not grow with the file (but for the distinct phones,
    WhatsApp ids and UIDs of VC701 and VC702, at 16 to 32 bytes each); the
    diagnostics are those :func:`validate` returns for the whole text, in
    the same order. A JSON file is read and checked whole. Options are
    checked before the file is read: a bad one raises ``ValueError`` at the
    call, not at the first ``next()``.
    """
    config, ctx = settings(profile, select, ignore, severity, region, path, fp, sending=False)
    return validate_with(fp, config, ctx)


def settings(
    profile: str,
    select: Selector,
    ignore: Selector,
    severity: Mapping[str, str | Severity] | None,
    region: str | None,
    path: str | None,
    data: Any,
    *,
    sending: bool,
) -> tuple[Config, Context]:
    config = resolve(REGISTRY, profile=profile, select=select, ignore=ignore, severity=severity)
    region = check_region(region)
    if _is_file(data):
        path = _file_path(data, path)
    return config, Context(profile, region, sending, path)


def validate_with(
    data: Any, config: Config, ctx: Context, *, kind: str | None = None
) -> Iterator[Diagnostic]:
    """Validate with a resolved configuration (the CLI resolves it once for many files).

    Yields the diagnostics of each document (each window of a VCF text) as
    it is checked. ``kind`` is ``"json"`` or ``"vcf"`` to skip content
    sniffing (a ``.json`` file is JSON whatever it holds).
    """
    for batch in validate_batches(data, config, ctx, kind=kind):
        yield from batch


def validate_batches(
    data: Any, config: Config, ctx: Context, *, kind: str | None = None
) -> Iterator[list[Diagnostic]]:
    """:func:`validate_with`, one list of diagnostics per document (window of cards)."""
    rules = instances()
    if _is_file(data):
        first = data.read(SNIFF)
        docs = _file_documents(first, data, ctx.path, kind)
    else:
        first = data
        docs = _documents(data, ctx.path, kind)
    if isinstance(first, str) and first.startswith("\ufeff"):
        for doc in docs:
            yield [in_str_coordinates(d) for d in run(doc, config, ctx, rules)]
        return
    for doc in docs:
        yield run(doc, config, ctx, rules)


def in_str_coordinates(d: Diagnostic) -> Diagnostic:
    """``d`` of a text given as ``str`` that starts with U+FEFF, in that str's coordinates.

    The text is read without its byte-order mark (VC102 reports it), so its
    positions are those of the decoded text, as for bytes. But the caller of
    ``validate(text)`` holds the str with the BOM, and applies a fix's edits
    to it: on line 1 the BOM is column 1, and every other column is one
    more (a span's end too). VC102 points at the BOM, its span is the BOM,
    and its edit removes it.
    """
    fix = d.fix
    if d.code == "VC102":
        if fix is not None and fix.edits:
            fix = replace(fix, edits=(Edit((1, 1), (1, 2), ""),))
        return replace(d, fix=fix, end_line=1, end_column=2)
    if fix is not None and any(e.start[0] == 1 or e.end[0] == 1 for e in fix.edits):
        edits = tuple(Edit(_shifted(e.start), _shifted(e.end), e.text) for e in fix.edits)
        fix = replace(fix, edits=edits)
    if d.end_line == 1 and d.end_column is not None:
        # A span on line 1 ends there too: its start is on line 1 as well.
        assert d.column is not None
        return replace(d, column=d.column + 1, end_column=d.end_column + 1, fix=fix)
    if d.line == 1 and d.column is not None:
        return replace(d, column=d.column + 1, fix=fix)
    return replace(d, fix=fix) if fix is not d.fix else d


def _shifted(at: tuple[int, int]) -> tuple[int, int]:
    return (1, at[1] + 1) if at[0] == 1 else at


def check(
    data: Any,
    /,
    *,
    profile: ProfileName = "whatsapp",
    select: Selector = None,
    ignore: Selector = None,
    severity: Mapping[str, SeverityName | Severity] | None = None,
    region: str | None = None,
    path: str | None = None,
) -> str:
    """The VCF payload to send, or :class:`ValidationError` with every diagnostic.

    For contacts or JSON, the payload is :func:`dumps` of them; for VCF, the
    input itself (decoded).
    """
    config, ctx = settings(profile, select, ignore, severity, region, path, data, sending=True)
    if _is_file(data):
        data = data.read()
    path = ctx.path
    report = Report(tuple(validate_with(data, config, ctx)))
    if not report.ok:
        raise ValidationError(report.diagnostics)
    doc_is_vcf = isinstance(data, (str, bytes, bytearray, memoryview)) and not is_json_data(
        data if isinstance(data, str) else bytes(data)
    )
    if doc_is_vcf:
        if isinstance(data, str):
            text = data[1:] if data.startswith("\ufeff") else data
            if not text.isascii() and (m := SURROGATE_RE.search(text)) is not None:
                # Let through when VC101 is not selected, but no UTF-8 encodes
                # it: the payload cannot be sent, as the writer's refusals.
                line, column = Source(text).position(m.start())
                fault = VCardError(
                    f"the text holds the lone surrogate U+{ord(m.group()):04X}, which UTF-8 "
                    "cannot encode",
                    line=line,
                    column=column,
                    code="VC101",
                )
                raise _refused(report, fault, data, path)
            return text
        return decode(bytes(data)).text
    if isinstance(data, (bytearray, memoryview)):
        data = bytes(data)  # from_json would take a bytearray for a list of numbers
    try:
        contacts = from_json(data) if isinstance(data, (str, bytes)) else data
        return dumps(contacts)
    except ValidationError:
        raise
    except VCardError as exc:
        # What validate() lets through at warning (an unknown key) the writer
        # cannot send: check() still raises ValidationError, never a bare
        # VCardError, with that fault as an error among the diagnostics.
        raise _refused(report, exc, data, path) from None


def _refused(report: Report, exc: VCardError, data: Any, path: str | None) -> ValidationError:
    pointers = {exc.pointer}
    text = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
    single = isinstance(data, Mapping) or (
        isinstance(text, str) and text.lstrip("\ufeff").lstrip().startswith("{")
    )
    if single and exc.pointer and exc.pointer.startswith("/0"):
        pointers.add(exc.pointer[2:])  # from_json reads one object as "/0"
    diagnostics = list(report.diagnostics)
    for k, d in enumerate(diagnostics):
        if d.code == exc.code and d.pointer in pointers:
            diagnostics[k] = replace(d, severity=Severity.ERROR)
            break
    else:
        names = {rule.code: rule.name for rule in REGISTRY}
        code = exc.code or "VC604"
        # (line, column, end line, end column): the JSON value the pointer
        # names, or the character the writer refused.
        where: tuple[int | None, int | None, int | None, int | None] = (None, None, None, None)
        if isinstance(data, (str, bytes)) and exc.pointer is not None:
            at = build_json_document(data, path).at(exc.pointer)
            where = (at.line, at.column, at.end_line, at.end_column)
        if exc.line is not None and exc.column is not None:
            where = (exc.line, exc.column, exc.line, exc.column + 1)
        if isinstance(data, str) and data[:1] == "\ufeff":
            # As in_str_coordinates places the others: line 1 is one column on.
            line, column, end_line, end_column = where
            if line == 1 and column is not None:
                column += 1
            if end_line == 1 and end_column is not None:
                end_column += 1
            where = (line, column, end_line, end_column)
        token = (exc.pointer or "").split("/")[1:2]
        card = int(token[0]) if token and token[0].isdigit() else None
        diagnostics.append(
            Diagnostic(
                code,
                names.get(code, ""),
                Severity.ERROR,
                f"{exc.msg}; the payload cannot be written",
                path,
                where[0],
                where[1],
                card,
                exc.pointer,
                None,
                where[2],
                where[3],
            )
        )
    return ValidationError(sorted(diagnostics, key=Diagnostic.sort_key))
