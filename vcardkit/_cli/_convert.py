"""``vcardkit convert IN... [-o OUT] [--to vcf|json] [--line-ending crlf|lf]``.

Several inputs become one payload, in order. JSON to VCF and VCF to JSON are
lossless as docs/design.md "Lossless" defines it. When an input cannot be converted, the
errors that stop it are printed as diagnostics and the exit code is 1.

It refuses to write a card that names no one (no FN, N, NAME or ORG with
something to show) or that holds what ``validate(..., profile="rfc2426")``
calls an error, unless ``--allow-invalid`` is given: it exits 1 with the
diagnostics, placed in the input where the input's own validation says the
same (the input's line and column, or its pointer), else named as the card
of the output (``<vcf output>:/3``, 0-based, as a pointer into the list of
contacts written). Payload-wide counts (VC409 too many contacts, VC410 an
empty payload) never stop a conversion: the output is one file, not one
message to send.

It streams, in flat memory however large the inputs: each input is read in
chunks, contact by contact (``iter_load`` for VCF, ``iter_json_items`` for
JSON), and each contact is checked and written as soon as it is read. With
``-o``, the output goes to a temporary file that replaces OUT only once all
of it is written, so when an input cannot be converted OUT is left as it
was. On stdout, output stops before the first contact that cannot be
converted or is refused: the contacts before it have been written already.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import stat
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from typing import IO, TYPE_CHECKING, Any, BinaryIO, Final

from vcardkit._cli._files import UsageError, open_atomic, read_input, silence_stdout
from vcardkit._cli._output import text_line
from vcardkit._cli._terminal import printable
from vcardkit._errors import VCardError
from vcardkit._io import iter_load, loads, write_card
from vcardkit._model._contact import Contact
from vcardkit._model._json import contact_from_mapping, from_json, to_json
from vcardkit._model._jsonstream import iter_json_items
from vcardkit._rules._base import Profile
from vcardkit._rules._diagnostic import Diagnostic, Severity
from vcardkit._rules._registry import REGISTRY
from vcardkit._syntax._lines import LineFault, parse_content_line
from vcardkit._syntax._stream import SNIFF
from vcardkit._syntax._values import split_structured, unescape_text
from vcardkit._validate import is_json_data, settings, validate_batches, validate_with

if TYPE_CHECKING:  # pragma: no cover - typing only
    from _typeshed import WriteableBuffer

__all__ = ["Stdout", "StdoutError", "add_parser", "blocking", "input_kind", "run", "stdout_failed"]

_SUFFIXES: Final = {".json": "json", ".vcf": "vcf", ".vcard": "vcf"}
# vcardkit's own formats, then the other senders' shapes (vcardkit.senders).
FORMATS: Final = ("vcf", "json", "cloud-api", "evolution", "baileys", "waha")
# An input that cannot be read twice (stdin, a pipe) is kept here as it is
# read, for the diagnostics of the error path; past this size, on disk.
_SPOOL_MEMORY: Final = 1 << 20
# json.dumps(..., ensure_ascii=False, indent=2), built once, not per contact.
_JSON: Final = json.JSONEncoder(ensure_ascii=False, indent=2)


def add_parser(sub: argparse._SubParsersAction, summary: str) -> None:  # type: ignore[type-arg]
    convert = sub.add_parser(
        "convert",
        help=summary,
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
        "--allow-invalid",
        action="store_true",
        help=(
            "write every card that can be written, even one that names no one (no FN, N "
            "or ORG) or holds what validate(profile='rfc2426') calls an error; without "
            "it, such a card stops the conversion (exit 1)"
        ),
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
        import tempfile  # local: only stdin or a pipe is spooled, and start-up is every run

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

    def diagnostics_of(self, index: int, codes: set[str]) -> list[Diagnostic]:
        """The input's rfc2426 errors of these codes in its ``index``-th contact.

        A regular file is read again as a stream (VCF a window of cards at a
        time, in flat memory) and only up to the window past that contact;
        stdin or a pipe from what was spooled of it.
        """
        config, ctx = settings(
            "rfc2426", sorted(codes), None, None, None, self.display, None, sending=False
        )
        found: list[Diagnostic] = []

        def collect(data: Any) -> None:
            for batch in validate_batches(data, config, ctx, kind=self.kind):
                found.extend(d for d in batch if d.card == index and d.severity is Severity.ERROR)
                if any(d.card is not None and d.card > index for d in batch):
                    return  # the diagnostics of a window come in order: none left for it

        if self._stream is None and self._whole is None:
            with self.open() as fp:
                collect(fp)
        else:
            collect(self.whole())
        return found

    def close(self) -> None:
        if self._spool is not None:
            self._spool.close()
        if self._stream is not None and self.path != "-":
            self._stream.close()


def _peek(stream: BinaryIO) -> bytes:
    head = b""
    while len(head) < SNIFF:
        more = stream.read(SNIFF - len(head))  # a pipe may give less: read again
        if not more:
            break
        head += more
    return head


# A lone surrogate: what a JSON "\ud800" escape puts in a string, and UTF-8 cannot encode.
_SURROGATE_RE: Final = re.compile("[\ud800-\udfff]")


def _utf8(text: str) -> bytes:
    """The output's bytes; a lone surrogate (only JSON output can hold one) as its JSON escape.

    The VCF writer refuses a lone surrogate (VC101); in JSON text it can only
    be inside a string, where ``\\udXXX`` is the escape it was read from.
    """
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return _SURROGATE_RE.sub(lambda m: f"\\u{ord(m.group()):04x}", text).encode("utf-8")


def _contacts(inp: _Input, fp: io.BufferedReader) -> Iterator[tuple[int, Any, Contact]]:
    """(index in its input, the JSON it was read from or None, contact), one at a time."""
    if inp.kind == "vcf":
        for index, contact in enumerate(iter_load(fp)):
            yield index, None, contact
        return
    for index, item in iter_json_items(fp):
        # What from_json does with each element of the array.
        yield index, item, contact_from_mapping(item, f"/{index}")


# --- What convert refuses to write -------------------------------------------

# Counts over a whole payload (more than 257 contacts, none at all): a limit
# of one WhatsApp message, not a fault of a card in a file.
_PAYLOAD_WIDE: Final = frozenset({"VC409", "VC410"})
# Whether a card has a name is _names_someone's test (FN, N, NAME or ORG, as
# a recipient is shown one), not these rules': a card named by its ORG alone
# is written (VC203 would refuse it for want of an FN). A card with no
# property (VC115) names no one either.
_NAME_RULES: Final = frozenset({"VC115", "VC203", "VC204", "VC605"})
_NAME_FIELDS: Final = (
    "full_name", "first_name", "last_name", "middle_name", "name_prefix", "name_suffix",
    "organization", "department",
)  # fmt: skip
_NAMED_PROPERTIES: Final = frozenset({"FN", "NAME", "N", "ORG"})
_UNFOLD_RE: Final = re.compile(r"(?:\r\n|\r|\n)[ \t]")


def _checked_rules() -> list[str]:
    """The rules a card is checked with: the rfc2426 profile's that report errors.

    Only errors refuse a card, so the rules whose findings are warnings or
    infos are not run (they are most of the cost: e-mail, URL, date and
    language-tag checks). A rule's finding may lower its severity, never
    raise it, so no error is missed.
    """
    return [
        rule.code
        for rule in REGISTRY
        if rule.profile is Profile.RFC
        and rule.severity is Severity.ERROR
        and rule.code not in _PAYLOAD_WIDE | _NAME_RULES
    ]


def _names_someone(contact: Contact) -> bool:
    """Whether the card of ``contact`` has a name to show: a non-blank FN, N, NAME or ORG."""
    if contact.vcard is None:
        # The common case: a field says so, nothing is parsed.
        for field in _NAME_FIELDS:
            value = getattr(contact, field)
            if value and not value.isspace():
                return True
        # An N or ORG that does not fit the fields is kept as an extra property.
        lines: Iterable[str] = contact.extra_properties
    else:
        lines = _UNFOLD_RE.sub("", contact.vcard).splitlines()
    for raw in lines:
        cl = parse_content_line(raw, 1, ())
        if isinstance(cl, LineFault) or cl.name.upper() not in _NAMED_PROPERTIES:
            continue
        if any(unescape_text(part).strip() for part in split_structured(cl.value)):
            return True
    return False


class _Gate:
    """Checks the cards about to be written, a window of them at a time, in flat memory.

    A VCF card is validated as the card it is; a JSON contact as an item of
    an array, what ``lint`` would read of it. The cards of a window are
    validated as one text, so that validate()'s cost per call (its
    documents, the engine's loop over the rules) is paid once per window,
    not once per card; only when that text holds an error, or a card names
    no one, is each card checked on its own, to find the first refused.
    Rules that need the whole payload (duplicates, counts) cannot see it
    here, and none of them is an rfc2426 error but the payload-wide counts,
    which do not stop a conversion anyway.
    """

    def __init__(self, target: str) -> None:
        self.kind = "json" if target == "json" else "vcf"
        self._config, self._ctx = settings(
            "rfc2426", _checked_rules(), None, None, None, None, None, sending=False
        )

    def _errors(self, texts: Sequence[str]) -> tuple[Diagnostic, ...]:
        """The errors of these cards (VCF) or items of a JSON array (their text, indented)."""
        text = "".join(texts) if self.kind == "vcf" else "[\n" + ",\n".join(texts) + "\n]"
        return tuple(
            d
            for d in validate_with(text, self._config, self._ctx, kind=self.kind)
            if d.severity is Severity.ERROR
        )

    def faults(self, contact: Contact, text: str) -> _Faults | None:
        """Why the card ``text`` (of ``contact``) is refused, or None to write it."""
        found = self._errors((text,))
        nameless = not _names_someone(contact)
        if found or nameless:
            return _Faults(found, nameless)
        return None

    def first_refused(self, cards: Sequence[_Card]) -> tuple[int, _Faults] | None:
        """The first of ``cards`` refused (its place among them, why), or None."""
        if all(_names_someone(card.contact) for card in cards) and not self._errors(
            [card.text for card in cards]
        ):
            return None
        for k, card in enumerate(cards):
            faults = self.faults(card.contact, card.text)
            if faults is not None:
                return k, faults
        return None  # an error of the window no card holds alone: none is refused


@dataclass(frozen=True, slots=True)
class _Card:
    """A card to write: the input and place it came from, its contact, its text.

    The text of a JSON item is the item as ``json.dumps(..., indent=2)``
    writes it in a list, without the list's ``[``, ``,`` or ``]``.
    """

    origin: _Input
    index: int  # in its input
    contact: Contact
    text: str


@dataclass(frozen=True, slots=True)
class _Faults:
    """What is wrong with a card of the output: its errors, whether it names no one."""

    found: tuple[Diagnostic, ...]  # positions in the output card's own text
    nameless: bool


@dataclass(frozen=True, slots=True)
class _Refused:
    """The first card convert refuses: the input it came from, its places in both."""

    origin: _Input
    index: int  # in its input
    ordinal: int  # in the output, 0-based
    faults: _Faults


def _in_output(d: Diagnostic, refused: _Refused, target: str) -> str:
    """A fault only the output shows, named by the output card (a pointer into its list).

    The card was checked on its own, as the first of a list: a pointer in
    the diagnostic (``/0/extraProperties/4``) is put at the card's place.
    """
    where, message = f"/{refused.ordinal}", d.message
    if d.pointer is not None and (d.pointer == "/0" or d.pointer.startswith("/0/")):
        where = f"/{refused.ordinal}{d.pointer[2:]}"
        if d.pointer != "/0":  # "/0" alone is too short to replace in prose
            message = message.replace(d.pointer, where)
    origin = refused.origin
    return (
        f"<{target} output>:{where}: {d.code} [error] {message} "
        f"(contact {refused.index} of {origin.display})"
    )


def _refusal(refused: _Refused, target: str) -> list[str]:
    """The diagnostics of a refused card: the input's own where they say the same.

    The input is validated again (rfc2426, the codes at fault) and its
    diagnostics of that contact with those codes are shown, at the input's
    positions: what a user edits is the input. A fault only the output
    shows, or a card that names no one when the input says nothing of a
    name (a sender's shape), is named by the output card:
    ``<vcf output>:/3: ...``. A last line says why convert stops there.
    """
    faults = refused.faults
    codes = {d.code for d in faults.found}
    if faults.nameless:
        codes |= _NAME_RULES
    inp = refused.origin
    # validate() reads vcardkit's formats, not a sender's shape.
    from_input = inp.diagnostics_of(refused.index, codes) if inp.kind in ("vcf", "json") else []
    lines = [text_line(d, color=False) for d in from_input]
    said = {d.code for d in from_input}
    lines.extend(_in_output(d, refused, target) for d in faults.found if d.code not in said)
    if faults.nameless and not said & _NAME_RULES:
        code = "VC605" if target == "json" else "VC203"
        lines.append(
            f"<{target} output>:/{refused.ordinal}: {code} [error] contact {refused.index} "
            f"of {inp.display} names no one: it has no FN, N or ORG to show"
        )
    lines.append(
        "vcardkit: convert does not write a card that names no one (no FN, N or ORG to "
        "show) or holds an error; --allow-invalid writes it anyway"
    )
    return lines


# A window of cards checked together (see _Gate), at most this many or this
# many characters: what waits to be written stays small.
_WINDOW: Final = 64
_WINDOW_CHARS: Final = 1 << 20


class _Output:
    """Cards on their way out: checked a window at a time, written up to the first refused."""

    def __init__(self, target: str, write: Callable[[bytes], object], gate: _Gate | None) -> None:
        self._target = target
        self._write = write
        self._gate = gate
        self._pending: list[_Card] = []
        self._chars = 0
        self.written = 0
        self.refused: _Refused | None = None

    def add(self, card: _Card) -> None:
        self._pending.append(card)
        self._chars += len(card.text)
        if len(self._pending) >= _WINDOW or self._chars >= _WINDOW_CHARS:
            self.flush()

    def flush(self) -> None:
        """Check and write the cards waiting; none once one is refused."""
        pending, self._pending, self._chars = self._pending, [], 0
        if not pending or self.refused is not None:
            return
        count = len(pending)
        found = None if self._gate is None else self._gate.first_refused(pending)
        if found is not None:
            count, faults = found
            card = pending[count]
            self.refused = _Refused(card.origin, card.index, self.written + count, faults)
        chunks: list[str] = []
        for card in pending[:count]:
            if self._target == "json":
                chunks.append("[\n" if self.written == 0 else ",\n")
            chunks.append(card.text)
            self.written += 1
        if chunks:
            self._write(_utf8("".join(chunks)))


def _convert(
    inputs: list[_Input],
    target: str,
    eol: str,
    write: Callable[[bytes], object],
    *,
    allow_invalid: bool = False,
) -> list[str]:
    """Write the contacts of ``inputs`` in order; the diagnostics that stop it, if any.

    As when convert read every input before writing: an input that cannot
    be read is reported, and so is each of the others that cannot; only
    when all can be read is the first contact that cannot be written, or is
    refused, reported. Once something fails, nothing more is written, but
    the inputs are still read to the end for their faults.
    """
    out = _Output(target, write, None if allow_invalid else _Gate(target))
    problems: list[str] = []
    unwritable: tuple[_Input, VCardError] | None = None
    for inp in inputs:
        try:
            with inp.open() as fp:
                for index, item, contact in _contacts(inp, fp):
                    if problems or unwritable is not None or out.refused is not None:
                        continue
                    try:
                        if target == "vcf":
                            text = write_card(contact, index, eol, source=item)
                        else:
                            # A one-item list, less "[\n" and "\n]": the item
                            # indented as in the encoding of the whole list.
                            text = _JSON.encode(to_json(contact))[2:-2]
                    except VCardError as exc:
                        out.flush()  # the cards before it go out; a refused one stops first
                        if out.refused is None:
                            unwritable = (inp, exc)
                        continue
                    out.add(_Card(inp, index, contact, text))
        except VCardError as exc:
            if not problems:
                out.flush()  # what was read before the fault, as it would have streamed
            problems.extend(blocking(inp.display, inp.whole(), exc, kind=inp.kind))
    if problems:
        return problems
    out.flush()
    if out.refused is not None:
        return _refusal(out.refused, target)
    if unwritable is not None:
        where, fault = unwritable
        return blocking(where.display, where.whole(), fault, kind=where.kind)
    if target == "json":
        write(b"[]\n" if out.written == 0 else b"\n]\n")
    return []


def _convert_shapes(
    inputs: list[_Input],
    target: str,
    eol: str,
    write: Callable[[bytes], object],
    *,
    lossy: bool,
    allow_invalid: bool = False,
) -> list[str]:
    """Convert from or to another sender's shape (:mod:`vcardkit.senders`), whole.

    Each contact is checked as convert checks a streamed one: as its card
    (for every shape but vcardkit's JSON, which is checked as JSON), the
    card a receiver makes of the contact whatever shape carries it.
    """
    from vcardkit.senders import SHAPES  # local: most conversions are VCF and JSON

    contacts: list[Contact] = []
    origins: list[tuple[_Input, int]] = []
    problems: list[str] = []
    for inp in inputs:
        data = inp.whole()
        try:
            if inp.kind == "vcf":
                read = loads(data)
            elif inp.kind == "json":
                read = from_json(data)
            else:
                read = SHAPES[inp.kind].reader(data)
        except VCardError as exc:
            problems.extend(blocking(inp.display, data, exc, kind=inp.kind))
            continue
        contacts.extend(read)
        origins.extend((inp, index) for index in range(len(read)))
    if problems:
        return problems
    try:
        items = to_json(contacts) if target == "json" else None
        cards: list[str] = []
        if target == "vcf" or (items is None and not allow_invalid):
            # What dumps writes, card by card.
            cards = [write_card(contact, i, eol) for i, contact in enumerate(contacts)]
        if not allow_invalid:
            gate = _Gate(target)
            checked = [
                _Card(
                    *origins[i],
                    contact,
                    cards[i] if items is None else _JSON.encode([items[i]])[2:-2],
                )
                for i, contact in enumerate(contacts)
            ]
            for first in range(0, len(checked), _WINDOW):
                found = gate.first_refused(checked[first : first + _WINDOW])
                if found is not None:
                    k, faults = found
                    card = checked[first + k]
                    return _refusal(_Refused(card.origin, card.index, first + k, faults), target)
        if target == "vcf":
            text = "".join(cards)
        else:
            shape = items if items is not None else SHAPES[target].writer(contacts, lossy=lossy)
            text = _JSON.encode(shape) + "\n"
    except VCardError as exc:
        where = f"<{target} output>"
        if exc.pointer is not None:
            where += f":{exc.pointer or '/'}"
        # The library's advice, as the command line gives it.
        message = exc.msg.replace("lossy=True drops it", "--lossy drops it")
        return [f"{where}: {exc.code or 'VC000'} [error] {message}"]
    write(_utf8(text))
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


def stdout_failed(failed: StdoutError) -> UsageError:
    """What a failed write to stdout is: one line and exit 2, an I/O error, not a traceback.

    Streaming makes ``convert big.vcf | head`` a broken pipe; stdout is
    silenced so that the interpreter's own flush at exit does not fail again.
    """
    silence_stdout()
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
    convert: Callable[[list[_Input], str, str, Callable[[bytes], object]], list[str]] = partial(
        _convert, allow_invalid=args.allow_invalid
    )
    if target not in ("vcf", "json") or not kinds <= {"vcf", "json"}:
        # A sender's payload is a message: read and written whole.
        convert = partial(_convert_shapes, lossy=args.lossy, allow_invalid=args.allow_invalid)
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
