"""VC3xx — values (RULES.md). Each class is one rule; its docstring is its doc.

Which cards a rule reads:

- VC301–VC303 (text escapes) skip vCard 2.1 cards. 2.1 escapes only ``\\;``
  (2.1 §2.1.3): a ``,`` is plain text there and a backslash before anything
  else is itself, so ``C:\\dir`` is good 2.1. Judging a 2.1 value by 3.0's
  escapes would report faults it does not have; the card's version is
  reported once, as VC202, and conversion writes 3.0 escapes.
- VC304, VC305 and VC309 concern 3.0's parameters: they read 3.0 cards (and
  cards with no VERSION, which VC2xx reads as 3.0). A 4.0 card has no
  ENCODING or CHARSET at all; VC313 reports them there.
- VC311 reads 3.0 cards: its lists are RFC 2426's.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from functools import lru_cache
from typing import Any, Final

from vcardkit._rules._base import Finding, Profile, Rule
from vcardkit._rules._context import CardView, Context, JsonDocument, VcfDocument
from vcardkit._rules._diagnostic import Edit, Fix, Severity
from vcardkit._rules._formats import (
    LANGUAGE_TAG_RE,
    base64_fault,
    date_30,
    date_40,
    date_time_30,
    json_birthday,
    no_year_date,
    uri_fault,
)
from vcardkit._rules._stream import BOTH, VCF, show
from vcardkit._rules._vocabulary import (
    KNOWN_PARAMETERS,
    KNOWN_PROPERTIES,
    KNOWN_TYPES,
    MEDIA_TYPE_PREFIX,
    NON_TEXT_X_PROPERTIES,
    TEXT_LIST,
    TEXT_SINGLE,
    TEXT_STRUCTURED,
    TEXT_STRUCTURED_LIST,
    is_x_name,
)
from vcardkit._syntax._grammar import PARAM_VALUE_RE, STRICT_NAME_RE
from vcardkit._syntax._reader import ContentLine, Param

__all__ = [
    "AdrEscapes",
    "Base64EncodingName",
    "CharsetParameter",
    "InvalidDate",
    "InvalidEmail",
    "InvalidEscape",
    "InvalidLanguageTag",
    "InvalidUrl",
    "MediaValue",
    "QuotedPrintable",
    "UnescapedComma",
    "UnescapedSemicolon",
    "UnknownParameter",
    "UnknownProperty",
    "UnknownType",
]


# ---------------------------------------------------------------------------
# Helpers


def _is_30(card: CardView) -> bool:
    """A card read as 3.0: VERSION:3.0, or no VERSION (VC201 reports that)."""
    return card.version not in ("2.1", "4.0")


def _version(card: CardView) -> str:
    return card.version or "3.0"


def _values(cl: ContentLine, param: Param) -> list[tuple[str, int]]:
    """Each value of ``param`` (unquoted) with the logical offset of its first character."""
    if param.name is None:
        return [(param.values[0], param.offset)] if param.values else []
    pos = param.offset + len(param.name)
    raw = cl.raw
    if raw[pos : pos + 1] != "=":
        return []
    pos += 1
    out: list[tuple[str, int]] = []
    while True:
        m = PARAM_VALUE_RE.match(raw, pos)
        if m is None:  # pragma: no cover - PTEXT matches the empty string
            return out
        text = m.group()
        if text.startswith('"'):
            out.append((text[1:-1], m.start() + 1))
        else:
            out.append((text, m.start()))
        pos = m.end()
        if raw[pos : pos + 1] != ",":
            return out
        pos += 1


def _param_words(cl: ContentLine, name: str) -> list[str]:
    """The upper-cased values of every parameter named ``name`` (bare ones too)."""
    upper = name.upper()
    out: list[str] = []
    for p in cl.params:
        if (p.name or "").upper() == upper:
            out.extend(v.upper() for v in p.values)
    return out


_BARE_ENCODINGS: Final = frozenset({"QUOTED-PRINTABLE", "BASE64", "B", "8BIT", "7BIT"})
_BARE_VALUE_TYPES: Final = frozenset({"URL", "URI", "CONTENT-ID", "CID", "INLINE"})


def _encoding(cl: ContentLine) -> str | None:
    """The ENCODING of a line (upper case), named or bare (2.1), or ``None``."""
    for p in cl.params:
        if p.name is None:
            if p.values and p.values[0].upper() in _BARE_ENCODINGS:
                return p.values[0].upper()
        elif p.name.upper() == "ENCODING" and p.values:
            return p.values[0].upper()
    return None


def _value_type(cl: ContentLine) -> str | None:
    """The VALUE of a line (upper case), named or bare (2.1), or ``None``."""
    for p in cl.params:
        if p.name is None:
            if p.values and p.values[0].upper() in _BARE_VALUE_TYPES:
                return p.values[0].upper()
        elif p.name.upper() == "VALUE" and p.values:
            return p.values[0].upper()
    return None


_KIND_BY_NAME: Final = {
    **dict.fromkeys(TEXT_SINGLE, "single"),
    **dict.fromkeys(TEXT_LIST, "list"),
    **dict.fromkeys(TEXT_STRUCTURED, "structured"),
    **dict.fromkeys(TEXT_STRUCTURED_LIST, "structured-list"),
}


def _text_kind(card: CardView, cl: ContentLine) -> str | None:
    """How a text value splits: "single", "list", "structured", "structured-list".

    ``None`` when the value is not text: not a text property, an encoded
    value, or a VALUE other than text.
    """
    name = cl.name.upper()
    kind = _KIND_BY_NAME.get(name)
    if kind is None:
        if not is_x_name(name) or name in NON_TEXT_X_PROPERTIES:
            return None
        kind = "single"  # RFC 2426 §4: 'For name="X-" ... value = text-value'
    elif name == "ADR" and card.version == "4.0":
        kind = "structured-list"  # RFC 6350 §6.3.1: a 4.0 ADR component is a list
    if cl.params:
        if _encoding(cl) is not None:
            return None
        value_type = _value_type(cl)
        if value_type is not None and value_type != "TEXT":
            return None
    return kind


# A backslash and what it escapes (or nothing, at the end), or a bare , or ;.
_TEXT_TOKEN_RE: Final = re.compile(r"\\.?|[,;]", re.DOTALL)
# RFC 2426 §4: ESCAPED-CHAR = "\\" / "\;" / "\," / "\n" / "\N"
_VALID_ESCAPES: Final = frozenset({"\\\\", "\\;", "\\,", "\\n", "\\N"})
# A value whose every backslash starts one of those: the common case, in one match.
_ALL_ESCAPES_VALID_RE: Final = re.compile(r"(?:[^\\]|\\[\\;,nN])*+", re.DOTALL)


def _unescaped(value: str, char: str) -> list[int]:
    """Indices of ``char`` (``,`` or ``;``) not escaped by a backslash."""
    if char not in value:
        return []
    return [m.start() for m in _TEXT_TOKEN_RE.finditer(value) if m.group() == char]


def _invalid_escapes(value: str) -> list[int]:
    """Indices of the backslashes that start no RFC 2426 escape."""
    if "\\" not in value or _ALL_ESCAPES_VALID_RE.fullmatch(value):
        return []
    return [
        m.start()
        for m in _TEXT_TOKEN_RE.finditer(value)
        if m.group().startswith("\\") and m.group() not in _VALID_ESCAPES
    ]


def _insert_before(cl: ContentLine, indices: list[int], text: str) -> tuple[Edit, ...]:
    """Edits inserting ``text`` before each character ``indices`` of the raw value."""
    edits = []
    for index in indices:
        at = cl.position(cl.value_offset + index)
        edits.append(Edit(at, at, text))
    return tuple(edits)


def _value_span(cl: ContentLine) -> tuple[tuple[int, int], tuple[int, int]]:
    """The (start, end) positions of the whole raw value."""
    return cl.position(cl.value_offset), cl.position(cl.value_offset + len(cl.value))


def _param_span(cl: ContentLine, index: int) -> tuple[tuple[int, int], tuple[int, int]]:
    """Positions from the ``;`` before parameter ``index`` to the ``;`` or ``:`` after it.

    The caller knows the index: ``params.index(param)`` for each parameter
    reported was quadratic in a line's parameters.
    """
    param = cl.params[index]
    end = cl.params[index + 1].offset - 1 if index + 1 < len(cl.params) else cl.value_offset - 1
    return cl.position(param.offset - 1), cl.position(end)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


# ---------------------------------------------------------------------------
# VC301–VC303: text escapes


class UnescapedComma(Rule):
    """VC301 unescaped-comma — a ``,`` not escaped in a text value.

    Why: RFC 2426 §4 ``text-value`` has no bare ``,``: it separates the
    items of a list, so readers that split on it (vobject among them) cut
    the value there. Checked in FN, TITLE, ROLE, NOTE, LABEL, PRODID,
    SORT-STRING, CLASS, MAILER, NAME, X- properties of text (RFC 2426 §4
    makes every X- property text, less known vendor ones that are not) and
    the components of ORG and ADR; not in NICKNAME, CATEGORIES and N, whose
    ``,`` separates items, nor in vCard 2.1 cards, where ``,`` is plain text.
    Reported once per value, at its first bare ``,``.
    Fails: ``FN:Doe, John``
    Fix: ``FN:Doe\\, John`` (automatic, for every bare ``,`` of the value).
    Under the whatsapp profile the fix is not offered for ADR: WhatsApp does
    not unescape ADR and would show the backslash (VC310); write the
    component without the comma instead.
    """

    code = "VC301"
    name = "unescaped-comma"
    severity = Severity.WARNING
    profile = Profile.RFC
    inputs = VCF

    def check_vcf(self, doc: VcfDocument, ctx: Context) -> Iterator[Finding]:
        for card in doc.cards:
            if card.legacy:
                continue
            for cl in card.lines:
                if "," not in cl.value or _text_kind(card, cl) not in ("single", "structured"):
                    continue
                commas = _unescaped(cl.value, ",")
                if not commas:
                    continue
                fix = None
                if not (ctx.profile == "whatsapp" and cl.name.upper() == "ADR"):
                    fix = Fix(
                        f"escape {_plural(len(commas), 'comma')} as '\\,'",
                        _insert_before(cl, commas, "\\"),
                    )
                yield Finding(
                    f"the {cl.name} value {show(cl.value)} holds a ',' that is not escaped; "
                    "a text value writes it '\\,'",
                    card.where_value(cl, commas[0]),
                    fix,
                )


class UnescapedSemicolon(Rule):
    """VC302 unescaped-semicolon — a ``;`` not escaped in a non-structured text value.

    Why: RFC 2426 §4 ``text-value`` has no bare ``;``: it separates the
    components of structured values (N, ADR, ORG), and readers that split on
    it cut or shift the value. Checked in the text properties VC301 checks
    and in NICKNAME and CATEGORIES; not in N, ADR and ORG, whose ``;`` are
    separators (VC208 counts them), nor in vCard 2.1 cards. Reported once per
    value, at its first bare ``;``.
    Fails: ``TITLE:Director; Sales``
    Fix: ``TITLE:Director\\; Sales`` (automatic, for every bare ``;`` of the
    value).
    """

    code = "VC302"
    name = "unescaped-semicolon"
    severity = Severity.WARNING
    profile = Profile.RFC
    inputs = VCF

    def check_vcf(self, doc: VcfDocument, ctx: Context) -> Iterator[Finding]:
        for card in doc.cards:
            if card.legacy:
                continue
            for cl in card.lines:
                if ";" not in cl.value or _text_kind(card, cl) not in ("single", "list"):
                    continue
                semicolons = _unescaped(cl.value, ";")
                if not semicolons:
                    continue
                yield Finding(
                    f"the {cl.name} value {show(cl.value)} holds a ';' that is not escaped; "
                    "a text value writes it '\\;'",
                    card.where_value(cl, semicolons[0]),
                    Fix(
                        f"escape {_plural(len(semicolons), 'semicolon')} as '\\;'",
                        _insert_before(cl, semicolons, "\\"),
                    ),
                )


class InvalidEscape(Rule):
    """VC303 invalid-escape — a backslash escape other than ``\\\\ \\, \\; \\n \\N``.

    Why: RFC 2426 §4 ``ESCAPED-CHAR`` has only these five; readers differ on
    the others (some drop the backslash, some keep it; vcardkit keeps it),
    so the value means different things in different apps. A backslash at
    the very end of a value escapes nothing and is reported too. Checked in
    every text value (N, ADR, ORG, NICKNAME and CATEGORIES included), not in
    vCard 2.1 cards, where a backslash is plain text.
    Fails: ``NOTE:C:\\Users\\ann`` (``\\U`` and ``\\a``); ``X-ABLabel:http\\://``
    Fix: write a backslash as ``\\\\``, and ``:`` unescaped. The offered fix
    doubles each such backslash (keeping the value vcardkit reads); it is
    unsafe because the writer may have meant the escaped character alone.
    """

    code = "VC303"
    name = "invalid-escape"
    severity = Severity.WARNING
    profile = Profile.RFC
    inputs = VCF

    def check_vcf(self, doc: VcfDocument, ctx: Context) -> Iterator[Finding]:
        for card in doc.cards:
            if card.legacy:
                continue
            for cl in card.lines:
                if "\\" not in cl.value or _text_kind(card, cl) is None:
                    continue
                bad = _invalid_escapes(cl.value)
                if not bad:
                    continue
                first = cl.value[bad[0] : bad[0] + 2]
                what = (
                    f"the escape {first!r}"
                    if len(first) == 2
                    else "a backslash at the end, which escapes nothing"
                )
                yield Finding(
                    f"the {cl.name} value {show(cl.value)} holds {what}; RFC 2426 escapes "
                    "only '\\\\', '\\,', '\\;', '\\n' and '\\N'",
                    card.where_value(cl, bad[0]),
                    Fix(
                        "write the backslash as '\\\\'",
                        _insert_before(cl, bad, "\\"),
                        safe=False,
                    ),
                )


# ---------------------------------------------------------------------------
# VC304, VC305: 2.1's encodings in 3.0


class QuotedPrintable(Rule):
    """VC304 quoted-printable — ENCODING=QUOTED-PRINTABLE in a vCard 3.0 card.

    Why: RFC 2426 §5 removed quoted-printable: 3.0 values are 8-bit text
    (``ENCODING`` takes only ``b``). WhatsApp does not decode it and shows
    ``=C3=A9``-style text [WA]. Reported at the parameter (bare 2.1-style
    ``QUOTED-PRINTABLE`` too, which VC110 also reports as syntax). 2.1 cards
    may use it; in 4.0 cards ENCODING itself is VC313.
    Fails: ``FN;ENCODING=QUOTED-PRINTABLE:Jos=C3=A9``
    Fix: ``FN:José`` — decode the value and write it as UTF-8 text
    (``vcardkit convert`` does).
    """

    code = "VC304"
    name = "quoted-printable"
    severity = Severity.ERROR
    profile = Profile.RFC
    inputs = VCF

    def check_vcf(self, doc: VcfDocument, ctx: Context) -> Iterator[Finding]:
        for card in doc.cards:
            if not _is_30(card):
                continue
            for cl in card.lines:
                for p in cl.params:
                    if (p.name is None or p.name.upper() == "ENCODING") and any(
                        v.upper() == "QUOTED-PRINTABLE" for v in p.values
                    ):
                        yield Finding(
                            f"{cl.name} is quoted-printable, which vCard {_version(card)} "
                            "does not have; WhatsApp shows the encoded text",
                            card.where_param(cl, p),
                        )
                        break


_UTF8_NAMES: Final = frozenset({"UTF-8", "UTF8"})


class CharsetParameter(Rule):
    """VC305 charset-parameter — a CHARSET parameter in a vCard 3.0 card.

    Why: RFC 2426 §5 removed CHARSET: a 3.0 card's charset is the one of
    the whole text (UTF-8 here), not a parameter's. ``CHARSET=UTF-8`` is
    harmless and reported at info; any other charset is reported at
    warning, because the value may be meant in that charset while the file
    is read as UTF-8. Reported at the parameter's name. (2.1 cards may use
    it; in 4.0 cards it is VC313.)
    Fails: ``FN;CHARSET=UTF-8:Ann``; ``FN;CHARSET=SHIFT_JIS:...`` (warning)
    Fix: remove ``;CHARSET=UTF-8`` (automatic); for another charset, make
    sure the text is UTF-8, then remove the parameter.
    """

    code = "VC305"
    name = "charset-parameter"
    severity = Severity.INFO
    profile = Profile.RFC
    inputs = VCF

    def check_vcf(self, doc: VcfDocument, ctx: Context) -> Iterator[Finding]:
        for card in doc.cards:
            if not _is_30(card):
                continue
            for cl in card.lines:
                for k, p in enumerate(cl.params):
                    if p.name is None or p.name.upper() != "CHARSET":
                        continue
                    charset = p.values[0] if p.values else ""
                    if charset.upper() in _UTF8_NAMES:
                        start, end = _param_span(cl, k)
                        yield Finding(
                            f"{cl.name} has CHARSET={charset}; vCard 3.0 has no CHARSET "
                            "(its text is UTF-8)",
                            card.where_param(cl, p),
                            Fix(f"remove CHARSET={charset}", (Edit(start, end, ""),)),
                        )
                    else:
                        yield Finding(
                            f"{cl.name} has CHARSET={charset}; vCard 3.0 has no CHARSET and "
                            "the file is read as UTF-8, so the value may not be what was meant",
                            card.where_param(cl, p),
                            severity=Severity.WARNING,
                        )


# ---------------------------------------------------------------------------
# VC306–VC308: dates, e-mail addresses, URLs


def _apple_no_year_fix(cl: ContentLine, month: str, day: str) -> Fix:
    start, end = _value_span(cl)
    edits = []
    if cl.param("X-APPLE-OMIT-YEAR") is None:
        colon = cl.position(cl.value_offset - 1)
        edits.append(Edit(colon, colon, ";X-APPLE-OMIT-YEAR=1604"))
    edits.append(Edit(start, end, f"1604-{month}-{day}"))
    return Fix(
        f"write BDAY;X-APPLE-OMIT-YEAR=1604:1604-{month}-{day}, as Apple does",
        tuple(edits),
    )


class InvalidDate(Rule):
    """VC306 invalid-date — a BDAY that is not a vCard 3.0 date (or a JSON birthday).

    Why: RFC 2426 §3.1.5: BDAY is a date, ``1996-04-15`` or ``19960415``
    (RFC 2425 §5.8.4, ISO 8601), or a date-time such as
    ``1953-10-15T23:10:00Z`` when marked ``VALUE=date-time``; the day must
    exist. Readers drop any other value. The 4.0 form with no year,
    ``--04-15``, has no 3.0 spelling: Apple writes
    ``BDAY;X-APPLE-OMIT-YEAR=1604:1604-04-15``, and WhatsApp reads that [WA].
    A 4.0 card's BDAY is checked by RFC 6350 §4.3.4 instead (``--0415`` is
    good 4.0; ``VALUE=text`` takes anything). A JSON ``birthday`` must be
    ``YYYY-MM-DD`` or ``--MM-DD`` (DESIGN.md).
    Fails: ``BDAY:15/04/1996``; ``BDAY:--04-15``; ``{"birthday": "1996-02-30"}``
    Fix: ``BDAY:1996-04-15``; for ``--04-15`` (or ``--0415``) the automatic
    fix writes ``BDAY;X-APPLE-OMIT-YEAR=1604:1604-04-15``.
    """

    code = "VC306"
    name = "invalid-date"
    severity = Severity.WARNING
    profile = Profile.RFC
    inputs = BOTH

    def check_vcf(self, doc: VcfDocument, ctx: Context) -> Iterator[Finding]:
        for card in doc.cards:
            for cl in card.named("BDAY"):
                if _encoding(cl) is not None:
                    continue
                value = cl.value
                value_type = _value_type(cl)
                if card.version == "4.0":
                    if value_type == "TEXT" or date_40(value):
                        continue
                elif date_30(value) or (value_type == "DATE-TIME" and date_time_30(value)):
                    continue
                no_year = no_year_date(value)
                if no_year is not None:
                    yield Finding(
                        f"BDAY {show(value)} is a date with no year, which vCard 3.0 cannot "
                        "write; Apple writes BDAY;X-APPLE-OMIT-YEAR=1604:1604-"
                        f"{no_year[0]}-{no_year[1]}, which WhatsApp reads",
                        card.where_value(cl),
                        _apple_no_year_fix(cl, *no_year),
                    )
                elif value_type != "DATE-TIME" and date_time_30(value):
                    yield Finding(
                        f"BDAY {show(value)} is a date-time, which vCard 3.0 takes only "
                        "with VALUE=date-time",
                        card.where_value(cl),
                    )
                else:
                    yield Finding(
                        f"BDAY {show(value)} is not a vCard 3.0 date (YYYY-MM-DD or YYYYMMDD, "
                        "a day that exists)",
                        card.where_value(cl),
                    )

    def check_json(self, doc: JsonDocument, ctx: Context) -> Iterator[Finding]:
        for index, obj, pointer in doc.contacts():
            value = obj.get("birthday")
            if isinstance(value, str) and not json_birthday(value):
                yield Finding(
                    f"birthday {show(value)} is neither YYYY-MM-DD nor --MM-DD (a day that exists)",
                    doc.at(f"{pointer}/birthday", card=index),
                )


# RFC 2426 §3.3.2 X400, and vCard 2.1 §2.3.2's other non-Internet mail types.
_NOT_INTERNET: Final = frozenset(
    {
        "X400",
        "AOL",
        "APPLELINK",
        "ATTMAIL",
        "CIS",
        "EWORLD",
        "IBMMAIL",
        "MCIMAIL",
        "POWERSHARE",
        "PRODIGY",
        "TLX",
    }
)


@lru_cache(maxsize=4096)
def email_problem(address: str) -> str | None:
    """Why ``address`` is not an e-mail address (email-validator's sentence), or ``None``.

    Syntax only (``check_deliverability=False``: nothing touches the
    network). Quoted local parts and bracketed IP addresses are addresses
    (RFC 5321 §4.1.2), so they are taken; email-validator's other defaults
    stand (a domain needs a dot and a public suffix, not a special-use one).
    """
    if not address:
        return "it is empty"
    # email-validator is imported only when an address is checked (import time).
    from email_validator import EmailNotValidError, validate_email

    try:
        validate_email(
            address,
            check_deliverability=False,
            allow_quoted_local=True,
            allow_domain_literal=True,
        )
    except EmailNotValidError as exc:
        return str(exc)
    return None


def _items(
    obj: Mapping[str, Any], key: str, pointer: str
) -> Iterator[tuple[Mapping[str, Any], str]]:
    items = obj.get(key)
    if isinstance(items, list):
        for i, item in enumerate(items):
            if isinstance(item, Mapping):
                yield item, f"{pointer}/{key}/{i}"


class InvalidEmail(Rule):
    """VC307 invalid-email — an EMAIL (or JSON ``email``) that is not an e-mail address.

    Why: an address that cannot be parsed is dropped or shown as dead text.
    Checked by email-validator for syntax only (no DNS): one ``@``, a local
    part and a domain with a dot, no spaces, no ``mailto:``, no display name.
    An EMAIL typed X400 (or a vCard 2.1 non-Internet type such as ``CIS``)
    is not an Internet address and is not checked. Reported at the value's
    first character.
    Fails: ``EMAIL:ann at example.com``; ``EMAIL:mailto:ann@example.com``
    Fix: ``EMAIL:ann@example.com``
    """

    code = "VC307"
    name = "invalid-email"
    severity = Severity.WARNING
    profile = Profile.RFC
    inputs = BOTH

    def check_vcf(self, doc: VcfDocument, ctx: Context) -> Iterator[Finding]:
        for card in doc.cards:
            for cl in card.named("EMAIL"):
                if _encoding(cl) is not None:
                    continue
                if any(t in _NOT_INTERNET for t in _param_words(cl, "TYPE")) or any(
                    p.name is None and p.values[0].upper() in _NOT_INTERNET for p in cl.params
                ):
                    continue
                problem = email_problem(cl.value)
                if problem is not None:
                    yield Finding(
                        f"EMAIL {show(cl.value)} is not an e-mail address: {problem}",
                        card.where_value(cl),
                    )

    def check_json(self, doc: JsonDocument, ctx: Context) -> Iterator[Finding]:
        for index, obj, pointer in doc.contacts():
            for item, p in _items(obj, "emails", pointer):
                value = item.get("email")
                if not isinstance(value, str):
                    continue
                problem = email_problem(value)
                if problem is not None:
                    yield Finding(
                        f"email {show(value)} is not an e-mail address: {problem}",
                        doc.at(f"{p}/email", card=index),
                    )


class InvalidUrl(Rule):
    """VC308 invalid-url — a URL (or JSON ``url``) that is not an absolute URI.

    Why: RFC 2426 §3.6.8: URL is a URI; readers make a link of it only when
    it has a scheme and URI characters (RFC 3986 §3). Spaces, quotes and a
    missing ``https:`` are the usual faults; Apple's ``http\\://`` (a text
    escape in a value that is not text) is one too. Characters outside ASCII
    are taken (RFC 3987 IRIs); http and https URIs need a host (RFC 9110
    §4.2). Reported at the first offending character, or at the value's
    first character when the whole value is at fault.
    Fails: ``URL:www.example.com``; ``URL:https://example.com/my page``
    Fix: ``URL:https://www.example.com``; ``URL:https://example.com/my%20page``
    """

    code = "VC308"
    name = "invalid-url"
    severity = Severity.WARNING
    profile = Profile.RFC
    inputs = BOTH

    def check_vcf(self, doc: VcfDocument, ctx: Context) -> Iterator[Finding]:
        for card in doc.cards:
            for cl in card.named("URL"):
                if _encoding(cl) is not None:
                    continue
                fault = uri_fault(cl.value)
                if fault is not None:
                    index, why = fault
                    yield Finding(
                        f"URL {show(cl.value)} is not an absolute URI: {why}",
                        card.where_value(cl, index),
                    )

    def check_json(self, doc: JsonDocument, ctx: Context) -> Iterator[Finding]:
        for index, obj, pointer in doc.contacts():
            for item, p in _items(obj, "urls", pointer):
                value = item.get("url")
                if not isinstance(value, str):
                    continue
                fault = uri_fault(value)
                if fault is not None:
                    yield Finding(
                        f"url {show(value)} is not an absolute URI: {fault[1]}",
                        doc.at(f"{p}/url", card=index),
                    )


# ---------------------------------------------------------------------------
# VC309, VC310


class Base64EncodingName(Rule):
    """VC309 base64-encoding-name — ENCODING=BASE64 where vCard 3.0 says ``b``.

    Why: RFC 2426 §5 names the encoding ``b`` (RFC 2047's name); ``BASE64``
    is vCard 2.1's. Most readers take both, strict ones only ``b``. Reported
    at the parameter's value, in 3.0 cards (a bare 2.1-style ``BASE64`` is
    VC110 first).
    Fails: ``PHOTO;ENCODING=BASE64;TYPE=JPEG:/9j/4AAQ...``
    Fix: ``PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQ...`` (automatic).
    """

    code = "VC309"
    name = "base64-encoding-name"
    severity = Severity.INFO
    profile = Profile.RFC
    inputs = VCF

    def check_vcf(self, doc: VcfDocument, ctx: Context) -> Iterator[Finding]:
        for card in doc.cards:
            if not _is_30(card):
                continue
            for cl in card.lines:
                for p in cl.params:
                    if p.name is None or p.name.upper() != "ENCODING":
                        continue
                    for value, offset in _values(cl, p):
                        if value.upper() != "BASE64":
                            continue
                        start = cl.position(offset)
                        end = cl.position(offset + len(value))
                        yield Finding(
                            f"{cl.name} has ENCODING={value}; vCard 3.0 calls base64 'b'",
                            card.doc.at_offset(cl, offset, card.index),
                            Fix("write ENCODING=b", (Edit(start, end, "b"),)),
                        )


_ADDRESS_FIELDS: Final = (
    "poBox",
    "extendedAddress",
    "street",
    "city",
    "state",
    "zip",
    "country",
)
_ADR_ESCAPE_30: Final = _VALID_ESCAPES
_ADR_ESCAPE_21: Final = frozenset({"\\;"})  # vCard 2.1 §2.1.3
_JSON_ADR_FAULT_RE: Final = re.compile(r"[;,\\\r\n]")


class AdrEscapes(Rule):
    """VC310 adr-escapes — an escape in an ADR component, or a JSON address field that needs one.

    Why: WhatsApp does not unescape ADR: it shows ``Main St\\, 4`` with its
    backslash, and splits the address at ``\\;`` [WA]. So an ADR component
    should hold no ``\\,`` ``\\;`` ``\\\\`` or ``\\n``; and a JSON address
    field holding ``;`` ``,`` ``\\`` or a line break, which the writer must
    escape (RFC 2426 §4), shows the same way. Reported at the first escape's
    backslash (an escape RFC 2426 does not have is VC303's), or at the JSON
    field's value. In a 2.1 card only ``\\;`` is an escape.
    Fails: ``ADR:;;Main St\\, 4;Cairo;;;Egypt``; ``{"street": "Main St, 4"}``
    Fix: no automatic fix: write the component without the character
    (``Main St 4``), or move the detail to another component.
    """

    code = "VC310"
    name = "adr-escapes"
    severity = Severity.WARNING
    profile = Profile.WA
    inputs = BOTH

    def check_vcf(self, doc: VcfDocument, ctx: Context) -> Iterator[Finding]:
        for card in doc.cards:
            for cl in card.named("ADR"):
                if _encoding(cl) is not None or "\\" not in cl.value:
                    continue
                escapes = _ADR_ESCAPE_21 if card.legacy else _ADR_ESCAPE_30
                for m in _TEXT_TOKEN_RE.finditer(cl.value):
                    token = m.group()
                    if token in escapes:
                        yield Finding(
                            f"the ADR value {show(cl.value)} holds the escape {token!r}; "
                            "WhatsApp does not unescape addresses and shows the backslash",
                            card.where_value(cl, m.start()),
                        )
                        break

    def check_json(self, doc: JsonDocument, ctx: Context) -> Iterator[Finding]:
        for index, obj, pointer in doc.contacts():
            for item, p in _items(obj, "addresses", pointer):
                for key in _ADDRESS_FIELDS:
                    value = item.get(key)
                    if not isinstance(value, str):
                        continue
                    m = _JSON_ADR_FAULT_RE.search(value)
                    if m is not None:
                        yield Finding(
                            f"the address field {key} {show(value)} holds {m.group()!r}, "
                            "which the card must escape; WhatsApp shows the backslash",
                            doc.at(f"{p}/{key}", card=index),
                        )


# ---------------------------------------------------------------------------
# VC311–VC315: types, media, parameters, properties, languages


class UnknownType(Rule):
    """VC311 unknown-type — a TYPE value outside RFC 2426's list for the property.

    Why: readers map the types they know (HOME, WORK, CELL…) to labels and
    drop or mislabel the rest; an unknown type is often a typo (``CEL``) or
    another app's private word. The lists are RFC 2426's (TEL §3.3.1, EMAIL
    §3.3.2, ADR and LABEL §3.2.1–3.2.2, the image types of PHOTO and LOGO
    §3.1.4, SOUND §3.6.6, KEY §3.7.2), whose ``iana-token`` admits the TYPE
    values IANA's vCard registry holds for the property (``work`` and
    ``home`` for most, RFC 6350 §5.6; IMPP's of RFC 4770). Compared
    case-insensitively; X- values are always allowed. Apple's ``IPHONE``
    and ``MAIN`` and the common ``OTHER`` are in no RFC and no registry, so
    they are reported (at info: WhatsApp shows them as a custom label).
    X- properties are not checked (their types are their vendor's), nor 2.1
    and 4.0 cards, whose lists are not RFC 2426's. Reported once per
    property, at its first unknown value.
    Fails: ``TEL;TYPE=MOBILE:+201111111111``
    Fix: ``TEL;TYPE=CELL:+201111111111``, or an X- value (``TYPE=X-MOBILE``).
    """

    code = "VC311"
    name = "unknown-type"
    severity = Severity.INFO
    profile = Profile.RFC
    inputs = VCF

    def check_vcf(self, doc: VcfDocument, ctx: Context) -> Iterator[Finding]:
        for card in doc.cards:
            if not _is_30(card):
                continue
            for cl in card.lines:
                if not cl.params:
                    continue
                name = cl.name.upper()
                if is_x_name(name) or not STRICT_NAME_RE.fullmatch(cl.name):
                    continue
                known = KNOWN_TYPES.get(name, frozenset())
                prefix = MEDIA_TYPE_PREFIX.get(name)
                unknown: list[tuple[str, int]] = []
                for p in cl.params:
                    if p.name is None or p.name.upper() != "TYPE":
                        continue
                    if all(
                        _known_type(item, known, prefix)
                        for value in p.values
                        for item in value.split(",")
                    ):
                        continue  # the common case: no offsets needed
                    for value, offset in _values(cl, p):
                        # A quoted "HOME,VOICE" is a list too (4.0 style).
                        start = 0
                        for item in value.split(","):
                            if not _known_type(item, known, prefix):
                                unknown.append((item, offset + start))
                            start += len(item) + 1
                if not unknown:
                    continue
                names = ", ".join(repr(v) for v, _ in unknown)
                if known:
                    message = f"{cl.name} has the TYPE {names}, which RFC 2426 does not list"
                else:
                    message = f"{cl.name} has the TYPE {names}; RFC 2426 gives {cl.name} no TYPE"
                yield Finding(
                    f"{message} (an X- value is always allowed)",
                    card.doc.at_offset(cl, unknown[0][1], card.index),
                )


def _known_type(value: str, known: frozenset[str], prefix: str | None) -> bool:
    upper = value.upper()
    if upper in known or is_x_name(value):
        return True
    if prefix is not None and upper.startswith(prefix):
        subtype = upper[len(prefix) :]
        return subtype in known or is_x_name(subtype)
    return False


_MEDIA: Final = ("PHOTO", "LOGO", "SOUND")
_INLINE: Final = frozenset({"B", "BASE64"})
_REFERENCE: Final = frozenset({"URI", "URL", "CONTENT-ID", "CID"})


class MediaValue(Rule):
    """VC312 media-value — PHOTO, LOGO or SOUND neither inline base64 nor marked a URI.

    Why: RFC 2426 §3.1.4 (and §3.5.3, §3.6.6): the value is either inline,
    with ``ENCODING=b``, or a reference, with ``VALUE=uri``; a reader told
    neither takes the value for one or the other and shows a broken image.
    Inline data must be base64 (RFC 2045 §6.8: the 64 characters and ``=``
    padding; spaces left by folding are skipped). In vCard 2.1 cards only
    ``ENCODING=BASE64`` data is checked (2.1's default is inline 7-bit
    data, which IrMC phones use for SOUND); 4.0 cards, whose media are
    URIs, are not checked. A missing parameter is reported at the
    property's name; bad base64 at its first offending character.
    Fails: ``PHOTO:https://example.com/ann.jpg``;
    ``PHOTO;ENCODING=b:qgEPAA:ASDF==``
    Fix: ``PHOTO;VALUE=uri:https://example.com/ann.jpg``; re-encode the image.
    """

    code = "VC312"
    name = "media-value"
    severity = Severity.WARNING
    profile = Profile.RFC
    inputs = VCF

    def check_vcf(self, doc: VcfDocument, ctx: Context) -> Iterator[Finding]:
        for card in doc.cards:
            if card.version == "4.0":
                continue
            for cl in card.lines:
                if cl.name.upper() not in _MEDIA:
                    continue
                encoding = _encoding(cl)
                if encoding in _INLINE:
                    fault = base64_fault(cl.value)
                    if fault is not None:
                        index, why = fault
                        yield Finding(
                            f"the inline {cl.name} data is not base64: {why}",
                            card.where_value(cl, index),
                        )
                    continue
                if card.legacy or _value_type(cl) in _REFERENCE or not cl.value:
                    continue  # 2.1's default is inline 7-bit data (2.1 §2.1.3)
                hint = "; it looks like a URI: add VALUE=uri" if uri_fault(cl.value) is None else ""
                yield Finding(
                    f"{cl.name} is neither inline data with ENCODING=b nor marked VALUE=uri{hint}",
                    card.where_line(cl),
                )


class UnknownParameter(Rule):
    """VC313 unknown-parameter — a parameter RFC 2426 does not define, not an X- name.

    Why: RFC 2426 §4 defines TYPE, ENCODING, VALUE, LANGUAGE and CONTEXT (with
    RFC 2425 §5.8.4); any other parameter is an ``x-name`` or nothing, and
    strict readers drop it. ``waid`` (WhatsApp's id of the phone) is known to
    the whatsapp profile only: under rfc2426 it is reported, as DESIGN.md
    says. CHARSET is VC305's. A 2.1 card is held to 2.1's parameters, a 4.0
    card to RFC 6350's (PREF, PID, ALTID, MEDIATYPE…). Reported at the
    parameter's name.
    Fails: ``TEL;PREF=1:+201111111111`` in a 3.0 card
    Fix: ``TEL;TYPE=PREF:+201111111111``, or an X- name (``X-PREF=1``).
    """

    code = "VC313"
    name = "unknown-parameter"
    severity = Severity.INFO
    profile = Profile.RFC
    inputs = VCF

    def check_vcf(self, doc: VcfDocument, ctx: Context) -> Iterator[Finding]:
        for card in doc.cards:
            version = _version(card)
            known = KNOWN_PARAMETERS.get(version, KNOWN_PARAMETERS["3.0"])
            for cl in card.lines:
                for p in cl.params:
                    if p.name is None or not STRICT_NAME_RE.fullmatch(p.name):
                        continue  # VC110 reports these
                    upper = p.name.upper()
                    if upper in known or is_x_name(p.name):
                        continue
                    if upper == "WAID" and ctx.profile == "whatsapp":
                        continue
                    yield Finding(
                        f"{cl.name} has the parameter {p.name}, which vCard {version} does "
                        "not define (and which is not an X- name)",
                        card.where_param(cl, p),
                    )


class UnknownProperty(Rule):
    """VC314 unknown-property — a property no vCard RFC defines, not an X- name.

    Why: readers drop properties they do not know; a name outside the RFCs
    is usually a typo (``CATEGORY``, ``TELEPHONE``) or a private property
    that should be an X- name. Known: RFC 2425, 2426 (and 2.1), 2739, 4770,
    6350, 6474, 6715, 8605, 9554 and 9555; X- names (``X-ABLabel``,
    ``X-ANDROID-CUSTOM``, ``X-WA-BIZ-NAME``) are always allowed — every
    well-known vendor extension is one. A name that is not a token is
    VC109's. Reported at the property's name (its group, if it has one).
    Fails: ``CATEGORY:Friends``
    Fix: ``CATEGORIES:Friends``, or ``X-CATEGORY:Friends``.
    """

    code = "VC314"
    name = "unknown-property"
    severity = Severity.INFO
    profile = Profile.RFC
    inputs = VCF

    def check_vcf(self, doc: VcfDocument, ctx: Context) -> Iterator[Finding]:
        for card in doc.cards:
            for cl in card.lines:
                name = cl.name
                if (
                    name.upper() in KNOWN_PROPERTIES
                    or is_x_name(name)
                    or not STRICT_NAME_RE.fullmatch(name)
                ):
                    continue
                yield Finding(
                    f"the property {name} is defined by no vCard RFC (and is not an X- name)",
                    card.where_line(cl),
                )


class InvalidLanguageTag(Rule):
    """VC315 invalid-language-tag — a LANGUAGE parameter that is not a well-formed tag.

    Why: RFC 2426 §4 (``langval``) takes a language tag; BCP 47 (RFC 5646
    §2.1, which obsoletes the RFC 1766 that RFC 2426 cites) gives its
    grammar. Readers ignore a tag they cannot parse, and with it the
    language of the value. Only well-formedness is checked, not whether the
    subtags are registered. Reported at the value's first character.
    Fails: ``FN;LANGUAGE=en_US:Ann``; ``NOTE;LANGUAGE=en-:...``
    Fix: ``FN;LANGUAGE=en-US:Ann``
    """

    code = "VC315"
    name = "invalid-language-tag"
    severity = Severity.WARNING
    profile = Profile.RFC
    inputs = VCF

    def check_vcf(self, doc: VcfDocument, ctx: Context) -> Iterator[Finding]:
        for card in doc.cards:
            for cl in card.lines:
                for p in cl.params:
                    if p.name is None or p.name.upper() != "LANGUAGE":
                        continue
                    for value, offset in _values(cl, p):
                        if LANGUAGE_TAG_RE.fullmatch(value) is None:
                            yield Finding(
                                f"{cl.name} has LANGUAGE={value!r}, which is not a "
                                "well-formed language tag (RFC 5646: en, en-US, zh-Hant-TW)",
                                card.doc.at_offset(cl, offset, card.index),
                            )
                            break
