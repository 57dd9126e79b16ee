"""Value codecs: RFC 2426 text escapes, structured values, quoted-printable, folding.

All of them are pure functions on strings; the model layer decides which
property's value gets which treatment.
"""

from __future__ import annotations

import binascii
import re
from typing import Final

from vcardkit._syntax._reader import is_quoted_printable

__all__ = [
    "decode_quoted_printable",
    "escape_text",
    "fold",
    "split_list",
    "split_structured",
    "unescape_text",
]

# RFC 2426 §4: ESCAPED-CHAR = "\\" / "\;" / "\," / "\n" / "\N"
_ESCAPE_RE: Final = re.compile(r"\\(.?)", re.DOTALL)
_UNESCAPE_30: Final = {"\\": "\\", ";": ";", ",": ",", "n": "\n", "N": "\n"}
# vCard 2.1 §2.1.3 escapes only ";" inside compound values; a backslash
# before anything else is itself.
_UNESCAPE_21: Final = {";": ";"}
_NEEDS_ESCAPE_RE: Final = re.compile(r"[\\,;\n]")
# Structured values (N, ADR, ORG) split at ";" not escaped; a "\\" pair is one
# escaped backslash, so "\\;" ends a component.
_COMPONENT_RE: Final = re.compile(r"(?:\\.|[^\\;])*(?:\\$)?", re.DOTALL)
_LIST_ITEM_RE: Final = re.compile(r"(?:\\.|[^\\,])*(?:\\$)?", re.DOTALL)


def unescape_text(value: str, *, legacy: bool = False) -> str:
    """Decode a text value; an unknown escape keeps its backslash (VC303 reports it)."""
    if "\\" not in value:
        return value
    if "\\\\" not in value:
        # No escaped backslash: every escape is two characters of its own.
        if legacy:
            return value.replace("\\;", ";")
        return (
            value.replace("\\,", ",").replace("\\;", ";").replace("\\n", "\n").replace("\\N", "\n")
        )
    table = _UNESCAPE_21 if legacy else _UNESCAPE_30

    def one(m: re.Match[str]) -> str:
        char = m.group(1)
        return table.get(char, m.group())

    return _ESCAPE_RE.sub(one, value)


def escape_text(value: str) -> str:
    """Encode a text value as RFC 2426 §4 says; line breaks become ``\\n``.

    CRLF and a lone CR are line breaks too: vCard 3.0 carries only one kind.
    """
    if "\r" in value:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    if _NEEDS_ESCAPE_RE.search(value) is None:
        return value
    # The backslash first, so that the escapes added after it stay single.
    return value.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;").replace("\n", "\\n")


def split_structured(value: str) -> list[str]:
    """Split a raw structured value at the ``;`` that are not escaped."""
    # With no "\;" and no "\\" in it, every ";" is a separator.
    if "\\;" not in value and "\\\\" not in value:
        return value.split(";")
    return _split(value, _COMPONENT_RE)


def split_list(value: str) -> list[str]:
    """Split a raw component at the ``,`` that are not escaped."""
    if "\\," not in value and "\\\\" not in value:
        return value.split(",")
    return _split(value, _LIST_ITEM_RE)


def _split(value: str, item_re: re.Pattern[str]) -> list[str]:
    items: list[str] = []
    pos = 0
    while True:
        m = item_re.match(value, pos)
        assert m is not None  # matches the empty string
        items.append(m.group())
        pos = m.end()
        if pos >= len(value):
            return items
        pos += 1


def decode_quoted_printable(value: str, charset: str | None) -> str | None:
    """Decode a 2.1 QUOTED-PRINTABLE value with its CHARSET; ``None`` if it cannot be.

    The line breaks of soft breaks were already removed by unfolding; ``=``
    followed by the end of the value is one too.
    """
    try:
        raw = value.encode("latin-1") if _is_latin1(value) else value.encode("utf-8")
        data = binascii.a2b_qp(raw)
        return data.decode(charset or "utf-8")
    except (UnicodeError, LookupError, ValueError, binascii.Error):
        return None


def _is_latin1(value: str) -> bool:
    return all(ord(c) < 256 for c in value)


def fold(line: str, eol: str) -> str:
    """Fold one logical line into physical lines of at most 75 octets, plus ``eol``.

    RFC 2425 §5.8.1: fold by inserting a line break and one space. The limit
    counts the continuation's leading space and excludes the line break;
    folding is greedy and never splits a UTF-8 sequence (RFC 6350 §3.2).
    In a QUOTED-PRINTABLE line (a 2.1 value kept as it was) no physical line
    ends in "=": readers take that for a soft line break (RFC 2045 §6.7) and
    the fold's space for data, so such a fold moves back before the "=".
    """
    if len(line) <= 75 and (line.isascii() or len(line.encode("utf-8")) <= 75):
        return line + eol
    if line.isascii():
        out = [line[:75]]
        out.extend(" " + line[i : i + 74] for i in range(75, len(line), 74))
    else:
        out = _fold_pieces(line, ())
    if any(part.endswith("=") for part in out[:-1]) and is_quoted_printable(line):
        out = _fold_pieces(line, ("=",))
    return _join(out, eol)


def _fold_pieces(line: str, not_before_break: tuple[str, ...]) -> list[str]:
    """Greedy physical lines, continuation spaces included; no piece but the
    last ends in a character of ``not_before_break`` unless it cannot be helped."""
    out: list[str] = []
    budget = 75
    start = 0
    size = 0
    for i, char in enumerate(line):
        width = _utf8_len(char)
        if size + width > budget:
            cut = i
            while cut - 1 > start and line[cut - 1] in not_before_break:
                cut -= 1
            if cut - 1 == start and line[start] in not_before_break:
                cut = i  # nothing but "=": fold where it fits
            out.append(line[start:cut])
            start = cut
            size = 1 + sum(_utf8_len(c) for c in line[cut:i])  # the continuation's space
        size += width
    out.append(line[start:])
    return [out[0]] + [" " + part for part in out[1:]]


def _join(parts: list[str], eol: str) -> str:
    return eol.join(parts) + eol


def _utf8_len(char: str) -> int:
    code = ord(char)
    if code < 0x80:
        return 1
    if code < 0x800:
        return 2
    if code < 0x10000:
        return 3
    return 4
