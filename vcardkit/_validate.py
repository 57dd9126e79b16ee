"""validate() and check(): the preflight API (DESIGN.md "The public API")."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from vcardkit._errors import ValidationError, VCardError
from vcardkit._io import dumps
from vcardkit._model._contact import Contact
from vcardkit._model._json import from_json
from vcardkit._rules._base import Rule
from vcardkit._rules._diagnostic import Diagnostic, Severity
from vcardkit._rules._documents import Context, VcfDocument, build_vcf_document
from vcardkit._rules._engine import Config, Selector, resolve, run
from vcardkit._rules._jsondoc import JsonDocument, build_json_document
from vcardkit._rules._registry import REGISTRY, instances
from vcardkit._syntax._decode import decode

__all__ = ["Report", "check", "is_json_data", "is_json_text", "rules", "validate", "validate_with"]


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
    """DESIGN.md: JSON when the first non-white-space character (after a BOM) is ``[`` or ``{``."""
    return text.lstrip("\ufeff").lstrip()[:1] in ("[", "{")


def is_json_data(data: str | bytes) -> bool:
    """:func:`is_json_text` of text, or of the decoded start of bytes."""
    if isinstance(data, str):
        return is_json_text(data)
    return is_json_text(decode(data[:4096]).text)


def _document(data: Any, path: str | None, kind: str | None = None) -> VcfDocument | JsonDocument:
    if isinstance(data, (bytes, bytearray, memoryview)):
        raw = bytes(data)
        if kind == "json" or (kind is None and is_json_data(raw)):
            return build_json_document(raw, path)
        return build_vcf_document(raw, path)
    if isinstance(data, str):
        if kind == "json" or (kind is None and is_json_text(data)):
            return build_json_document(data, path)
        return build_vcf_document(data, path)
    if isinstance(data, (Contact, Mapping)) or (
        isinstance(data, Sequence) and not isinstance(data, (str, bytes))
    ):
        return build_json_document(data, path)
    raise TypeError(
        "validate() takes contacts (Contact objects or mappings), JSON text or bytes, "
        f"or VCF text or bytes, not {type(data).__name__}"
    )


def _read_file(data: Any, path: str | None) -> tuple[Any, str | None]:
    """A file object's content (text or bytes), and its name as the path if none was given."""
    if callable(getattr(data, "read", None)):
        if path is None and isinstance(getattr(data, "name", None), str):
            path = data.name
        data = data.read()
    return data, path


def validate(
    data: Any,
    /,
    *,
    profile: str = "whatsapp",
    select: Selector = None,
    ignore: Selector = None,
    severity: Mapping[str, str | Severity] | None = None,
    region: str | None = None,
    path: str | None = None,
) -> Report:
    """Every problem of ``data`` in one pass, each with a code and a position.

    ``data`` is contacts (``Contact`` objects or JSON mappings), JSON text or
    bytes, VCF text or bytes (sniffed: JSON when the first non-white-space
    character is ``[`` or ``{``), or a text or binary file holding either
    (read whole; its ``name`` is the diagnostics' path unless ``path`` is
    given). ``select`` and ``ignore`` take codes (``VC404``), prefixes
    (``VC4``) or names (``waid-format``); ``severity`` maps them to
    ``"error"``, ``"warning"`` or ``"info"``. ``region`` (ISO
    3166, e.g. ``"EG"``) is the region national numbers are read in. A bad
    option raises ``ValueError``; bad input never raises.
    """
    data, path = _read_file(data, path)
    return _validate(data, profile, select, ignore, severity, region, path, sending=False)


def _validate(
    data: Any,
    profile: str,
    select: Selector,
    ignore: Selector,
    severity: Mapping[str, str | Severity] | None,
    region: str | None,
    path: str | None,
    *,
    sending: bool,
) -> Report:
    config = resolve(REGISTRY, profile=profile, select=select, ignore=ignore, severity=severity)
    ctx = Context(profile, region.upper() if region else None, sending, path)
    return validate_with(data, config, ctx)


def validate_with(data: Any, config: Config, ctx: Context, *, kind: str | None = None) -> Report:
    """Validate with a resolved configuration (the CLI resolves it once for many files).

    ``kind`` is ``"json"`` or ``"vcf"`` to skip content sniffing (a ``.json``
    file is JSON whatever it holds).
    """
    doc = _document(data, ctx.path, kind)
    return Report(tuple(run(doc, config, ctx, instances())))


def check(
    data: Any,
    /,
    *,
    profile: str = "whatsapp",
    select: Selector = None,
    ignore: Selector = None,
    severity: Mapping[str, str | Severity] | None = None,
    region: str | None = None,
    path: str | None = None,
) -> str:
    """The VCF payload to send, or :class:`ValidationError` with every diagnostic.

    For contacts or JSON, the payload is :func:`dumps` of them; for VCF, the
    input itself (decoded).
    """
    data, path = _read_file(data, path)
    report = _validate(data, profile, select, ignore, severity, region, path, sending=True)
    if not report.ok:
        raise ValidationError(report.diagnostics)
    doc_is_vcf = isinstance(data, (str, bytes, bytearray, memoryview)) and not is_json_data(
        data if isinstance(data, str) else bytes(data)
    )
    if doc_is_vcf:
        if isinstance(data, str):
            return data[1:] if data.startswith("\ufeff") else data
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
        where: tuple[int | None, int | None] = (None, None)
        if isinstance(data, (str, bytes)) and exc.pointer is not None:
            at = build_json_document(data, path).at(exc.pointer)
            where = (at.line, at.column)
        if exc.line is not None and exc.column is not None:
            where = (exc.line, exc.column)
        token = (exc.pointer or "").split("/")[1:2]
        card = int(token[0]) if token and token[0].isdigit() else None
        diagnostics.append(
            Diagnostic(
                code,
                names.get(code, ""),
                Severity.ERROR,
                f"{exc.msg}; the payload cannot be written",
                path,
                *where,
                card,
                exc.pointer,
            )
        )
    return ValidationError(sorted(diagnostics, key=Diagnostic.sort_key))
