"""``vcardkit preview PATH``: each card as a WhatsApp recipient sees it.

What WhatsApp's Android client was seen to do with a received card [WA]:
the name is FN, else NAME, else ORG; it keeps the first 10 TEL properties
and drops a TEL whose value is over 30 characters; the Message button works
when a kept phone carries a valid ``waid`` (7 to 15 digits), else the
recipient gets "Invite"; it shows the organization, title, e-mail addresses,
postal addresses, web sites and birthday, and ignores every other property.

What it prints of a card is the card's text, so control characters in it
(an OSC sequence that retitles the window, a screen clear, a bidi override)
are shown escaped (:func:`~vcardkit._cli._terminal.printable`), never sent
to the terminal.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Final

from vcardkit._cli._convert import Stdout, StdoutError, blocking, input_kind, stdout_failed
from vcardkit._cli._files import read_input
from vcardkit._cli._terminal import printable
from vcardkit._errors import VCardError
from vcardkit._io import dumps, loads
from vcardkit._model._json import from_json
from vcardkit._rules._documents import CardView, build_vcf_document
from vcardkit._syntax._values import split_structured, unescape_text
from vcardkit._validate import is_json_data

__all__ = ["CardPreview", "add_parser", "preview_cards", "run"]

MAX_PHONES: Final = 10
MAX_TEL_LENGTH: Final = 30
_WAID_RE: Final = re.compile(r"\d{7,15}")
_SHOWN: Final = frozenset(
    {
        "BEGIN", "END", "VERSION", "FN", "N", "NAME", "ORG", "TITLE", "TEL", "EMAIL",
        "ADR", "URL", "BDAY", "X-ABLABEL", "X-ABADR",
    }
)  # fmt: skip


def add_parser(sub: argparse._SubParsersAction, summary: str) -> None:  # type: ignore[type-arg]
    preview = sub.add_parser(
        "preview",
        help=summary,
        description="Show each card of a .vcf (or JSON contacts) as a WhatsApp recipient sees it.",
    )
    preview.add_argument("path", metavar="PATH", help="a .vcf or .json file, or - for stdin")


@dataclass(frozen=True, slots=True)
class PhonePreview:
    number: str
    waid: str | None
    kept: bool
    reason: str | None  # why it is dropped


@dataclass(frozen=True, slots=True)
class CardPreview:
    """What a recipient sees of one card."""

    index: int
    line: int | None
    name: str | None
    name_source: str | None  # "FN", "NAME", "ORG"
    organization: str | None
    title: str | None
    phones: tuple[PhonePreview, ...]
    message_waid: str | None  # the waid the Message button opens, or None: "Invite"
    shown: tuple[str, ...]  # other fields shown ("EMAIL a@b.c", ...)
    ignored: tuple[str, ...]  # property names WhatsApp ignores


def _text(card: CardView, name: str) -> str | None:
    for cl in card.named(name):
        value = unescape_text(cl.value, legacy=card.legacy).strip()
        if value:
            return value
    return None


def _org(card: CardView) -> str | None:
    for cl in card.named("ORG"):
        units = [unescape_text(u, legacy=card.legacy) for u in split_structured(cl.value)]
        value = ", ".join(u for u in units if u.strip())
        if value:
            return value
    return None


def preview_card(card: CardView) -> CardPreview:
    name_source = None
    name = None
    for source, value in (("FN", _text(card, "FN")), ("NAME", _text(card, "NAME"))):
        if value:
            name, name_source = value, source
            break
    organization = _org(card)
    if name is None and organization:
        name, name_source = organization, "ORG"
    phones: list[PhonePreview] = []
    kept = 0
    message_waid = None
    # The phones and waids of the Contact loads and validate read, in order.
    for phone in card.contact.phones:
        waid = phone.whatsapp_id
        number = phone.phone_number or ""
        if kept >= MAX_PHONES:
            phones.append(PhonePreview(number, waid, False, f"beyond the first {MAX_PHONES}"))
            continue
        if len(number) > MAX_TEL_LENGTH:
            phones.append(PhonePreview(number, waid, False, f"over {MAX_TEL_LENGTH} characters"))
            continue
        kept += 1
        phones.append(PhonePreview(number, waid, True, None))
        if message_waid is None and waid is not None and _WAID_RE.fullmatch(waid):
            message_waid = waid
    shown: list[str] = []
    for prop in ("EMAIL", "URL", "BDAY"):
        for cl in card.named(prop):
            shown.append(f"{prop.lower():<9} {cl.value}")
    for cl in card.named("ADR"):
        parts = [unescape_text(p, legacy=card.legacy) for p in split_structured(cl.value)]
        shown.append(f"{'address':<9} {', '.join(p for p in parts if p.strip())}")
    ignored = tuple(
        dict.fromkeys(cl.name.upper() for cl in card.lines if cl.name.upper() not in _SHOWN)
    )
    return CardPreview(
        card.index,
        card.where().line,
        name,
        name_source,
        organization,
        _text(card, "TITLE"),
        tuple(phones),
        message_waid,
        tuple(shown),
        ignored,
    )


def preview_cards(
    data: bytes, path: str | None = None, *, kind: str | None = None
) -> Iterator[CardPreview]:
    """A preview of each card of a VCF payload, or of the cards JSON contacts make.

    ``kind`` is ``"json"`` or ``"vcf"``; ``None`` tells them by the content.
    Raises :class:`VCardError` where the input cannot be read as cards.
    """
    if kind is None:
        kind = "json" if is_json_data(data) else "vcf"
    if kind == "json":
        text: str | bytes = dumps(from_json(data))
    else:
        loads(data)  # raises where the text cannot be read as cards
        text = data
    for card in build_vcf_document(text, path).cards:
        yield preview_card(card)


def render(p: CardPreview) -> str:
    """What is shown of a card, its values with control characters escaped."""
    where = f" (line {p.line})" if p.line is not None else ""
    lines = [f"Card {p.index + 1}{where}"]
    if p.name is None:
        lines.append("  name      (none: the contact shows as a number)")
    else:
        lines.append(f"  name      {printable(p.name)}   [from {p.name_source}]")
    if p.organization and p.name_source != "ORG":
        lines.append(f"  org       {printable(p.organization)}")
    if p.title:
        lines.append(f"  title     {printable(p.title)}")
    if not p.phones:
        lines.append("  phones    (none)")
    for i, phone in enumerate(p.phones):
        label = "phones" if i == 0 else ""
        waid = f"  waid={printable(phone.waid)}" if phone.waid is not None else ""
        state = "kept" if phone.kept else f"DROPPED: {phone.reason}"
        lines.append(f"  {label:<9} {printable(phone.number)}{waid}   [{state}]")
    if p.message_waid is not None:
        lines.append(f"  button    Message (opens the chat with {p.message_waid})")
    else:
        lines.append("  button    Invite (no kept phone has a valid waid)")
    for item in p.shown:
        lines.append(f"  {printable(item)}")
    if p.ignored:
        lines.append(f"  ignored   {printable(', '.join(p.ignored))}")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    data = read_input(args.path)
    display = "<stdin>" if args.path == "-" else args.path
    # By the suffix, as convert and lint tell them: a .json file that is not
    # JSON is VC601 where it stops being JSON, not a VCF that "starts with".
    kind = input_kind(args.path, data)
    try:
        previews = list(preview_cards(data, display, kind=kind))
    except VCardError as exc:
        for line in blocking(display, data, exc, kind=kind):
            print(printable(line), file=sys.stderr)
        return 1
    if not previews:
        print(f"{printable(display)}: no cards", file=sys.stderr)
        return 1
    stdout = Stdout()
    try:
        stdout.write(("\n\n".join(render(p) for p in previews) + "\n").encode("utf-8"))
        stdout.flush()
    except StdoutError as failed:
        # A closed pipe (`preview big.vcf | head -1`) or a full disk: one
        # line on stderr and exit 2, as convert does, not a traceback.
        raise stdout_failed(failed) from None
    return 0
