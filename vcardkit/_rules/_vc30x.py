"""VC301–VC309: text escapes, quoted-printable, CHARSET, dates, e-mail
addresses, URLs and the base64 encoding name.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from typing import Final

from vcardkit._rules._base import Finding, Profile, Rule
from vcardkit._rules._diagnostic import Edit, Fix, Severity
from vcardkit._rules._documents import ContactView, Context, VcfDocument
from vcardkit._rules._formats import (
    date_30,
    date_40,
    date_time_30,
    json_birthday,
    no_year_date,
    uri_fault,
)
from vcardkit._rules._helpers import (
    BOTH,
    VCF,
    ContactRule,
    Fixer,
    card_version,
    encoding_of,
    insert_before,
    invalid_escapes,
    is_30,
    param_span,
    param_values,
    plural,
    text_kind,
    unescaped_at,
    value_span,
    value_type_of,
)
from vcardkit._rules._jsondoc import JsonDocument, json_extra_lines, json_items
from vcardkit._syntax._lines import show, split_params
from vcardkit._syntax._reader import ContentLine, Param


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
    fixes = "safe"

    def check_vcf(self, doc: VcfDocument, ctx: Context) -> Iterator[Finding]:
        for card in doc.cards:
            if card.legacy:
                continue
            for cl in card.lines:
                if "," not in cl.value or text_kind(card, cl) not in ("single", "structured"):
                    continue
                commas = unescaped_at(cl.value, ",")
                if not commas:
                    continue
                fix = None
                if not (ctx.profile == "whatsapp" and cl.name.upper() == "ADR"):
                    fix = Fix(
                        f"escape {plural(len(commas), 'comma')} as '\\,'",
                        insert_before(cl, commas, "\\"),
                    )
                yield Finding(
                    f"the {cl.name} value {show(cl.value)} holds a ',' that is not escaped; "
                    "a text value writes it '\\,'",
                    card.where_char(cl, commas[0]),
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
    fixes = "safe"

    def check_vcf(self, doc: VcfDocument, ctx: Context) -> Iterator[Finding]:
        for card in doc.cards:
            if card.legacy:
                continue
            for cl in card.lines:
                if ";" not in cl.value or text_kind(card, cl) not in ("single", "list"):
                    continue
                semicolons = unescaped_at(cl.value, ";")
                if not semicolons:
                    continue
                yield Finding(
                    f"the {cl.name} value {show(cl.value)} holds a ';' that is not escaped; "
                    "a text value writes it '\\;'",
                    card.where_char(cl, semicolons[0]),
                    Fix(
                        f"escape {plural(len(semicolons), 'semicolon')} as '\\;'",
                        insert_before(cl, semicolons, "\\"),
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
    fixes = "unsafe"

    def check_vcf(self, doc: VcfDocument, ctx: Context) -> Iterator[Finding]:
        for card in doc.cards:
            if card.legacy:
                continue
            for cl in card.lines:
                if "\\" not in cl.value or text_kind(card, cl) is None:
                    continue
                bad = invalid_escapes(cl.value)
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
                    # The escape the message names: the backslash and what follows it.
                    card.where_part(cl, bad[0], bad[0] + len(first)),
                    Fix(
                        "write the backslash as '\\\\'",
                        insert_before(cl, bad, "\\"),
                        safe=False,
                    ),
                )


class QuotedPrintable(Rule):
    """VC304 quoted-printable — ENCODING=QUOTED-PRINTABLE in a vCard 3.0 card.

    Why: RFC 2426 §5 removed quoted-printable: 3.0 values are 8-bit text
    (``ENCODING`` takes only ``b``). WhatsApp does not decode it and shows
    ``=C3=A9``-style text [WA]. Reported at the parameter (bare 2.1-style
    ``QUOTED-PRINTABLE`` too, which VC110 also reports as syntax). 2.1 cards
    may use it; in 4.0 cards ENCODING itself is VC313. In JSON, an
    ``extraProperties`` line or a ``parameters`` entry that says it is
    written into a 3.0 card as it is, and reported at its string.
    Fails: ``FN;ENCODING=QUOTED-PRINTABLE:Jos=C3=A9``;
    ``{"parameters": ["ENCODING=QUOTED-PRINTABLE"]}``
    Fix: ``FN:José`` — decode the value and write it as UTF-8 text
    (``vcardkit convert`` does).
    """

    code = "VC304"
    name = "quoted-printable"
    severity = Severity.ERROR
    profile = Profile.RFC
    inputs = BOTH

    def check_vcf(self, doc: VcfDocument, ctx: Context) -> Iterator[Finding]:
        for card in doc.cards:
            if not is_30(card):
                continue
            for cl in card.lines:
                p = _quoted_printable(cl.params)
                if p is not None:
                    yield Finding(_qp_message(cl.name, card_version(card)), card.where_param(cl, p))

    def check_json(self, doc: JsonDocument, ctx: Context) -> Iterator[Finding]:
        for index, obj, pointer in doc.contacts():
            for kind, item, at in json_items(obj, pointer):
                params = item.get("parameters")
                if not isinstance(params, list):
                    continue
                for k, text in enumerate(params):
                    if not isinstance(text, str) or "QUOTED" not in text.upper():
                        continue
                    parsed, bad = split_params(";" + text, 0)
                    if bad is None and _quoted_printable(parsed) is not None:
                        name = _ITEM_PROPERTY[kind]
                        where = doc.at(f"{at}/parameters/{k}", card=index)
                        yield Finding(_qp_message(name, "3.0"), where)
            for k, cl in json_extra_lines(obj):
                if _quoted_printable(cl.params) is not None:
                    where = doc.at(f"{pointer}/extraProperties/{k}", card=index)
                    yield Finding(_qp_message(cl.name, "3.0"), where)


_ITEM_PROPERTY: Final = {"phone": "TEL", "email": "EMAIL", "address": "ADR", "url": "URL"}


def _quoted_printable(params: tuple[Param, ...]) -> Param | None:
    """The parameter that makes a line QUOTED-PRINTABLE (named, or bare as 2.1 writes it)."""
    for p in params:
        if (p.name is None or p.name.upper() == "ENCODING") and any(
            v.upper() == "QUOTED-PRINTABLE" for v in p.values
        ):
            return p
    return None


def _qp_message(name: str, version: str) -> str:
    return (
        f"{name} is quoted-printable, which vCard {version} does not have; WhatsApp shows "
        "the encoded text"
    )


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
    fixes = "safe"

    def check_vcf(self, doc: VcfDocument, ctx: Context) -> Iterator[Finding]:
        for card in doc.cards:
            if not is_30(card):
                continue
            for cl in card.lines:
                for k, p in enumerate(cl.params):
                    if p.name is None or p.name.upper() != "CHARSET":
                        continue
                    charset = p.values[0] if p.values else ""
                    if charset.upper() in _UTF8_NAMES:
                        start, end = param_span(cl, k)
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


def _apple_no_year_fix(cl: ContentLine, month: str, day: str) -> Fix:
    start, end = value_span(cl)
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
    ``YYYY-MM-DD`` or ``--MM-DD`` (docs/design.md "The JSON contact").
    Fails: ``BDAY:15/04/1996``; ``BDAY:--04-15``; ``{"birthday": "1996-02-30"}``
    Fix: ``BDAY:1996-04-15``; for ``--04-15`` (or ``--0415``) the automatic
    fix writes ``BDAY;X-APPLE-OMIT-YEAR=1604:1604-04-15``.
    """

    code = "VC306"
    name = "invalid-date"
    severity = Severity.WARNING
    profile = Profile.RFC
    inputs = BOTH
    fixes = "safe"

    def check_vcf(self, doc: VcfDocument, ctx: Context) -> Iterator[Finding]:
        for card in doc.cards:
            for cl in card.named("BDAY"):
                if encoding_of(cl) is not None:
                    continue
                value = cl.value
                value_type = value_type_of(cl)
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


class InvalidEmail(ContactRule):
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

    def check_contact(self, view: ContactView, fixer: Fixer, ctx: Context) -> Iterator[Finding]:
        for email, ref in zip(view.contact.emails, view.emails, strict=True):
            if ref is None or _encoded(email.parameters):
                continue
            if any(t.upper() in _NOT_INTERNET for t in email.type):
                continue
            problem = email_problem(email.email)
            if problem is not None:
                what = "EMAIL" if view.source == "vcf" else "email"
                yield Finding(
                    f"{what} {show(email.email)} is not an e-mail address: {problem}", ref.where
                )


class InvalidUrl(ContactRule):
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

    def check_contact(self, view: ContactView, fixer: Fixer, ctx: Context) -> Iterator[Finding]:
        for url, ref in zip(view.contact.urls, view.urls, strict=True):
            if ref is None or _encoded(url.parameters):
                continue
            fault = uri_fault(url.url)
            if fault is not None:
                index, why = fault
                what = "URL" if view.source == "vcf" else "url"
                yield Finding(
                    f"{what} {show(url.url)} is not an absolute URI: {why}", ref.at(index)
                )


def _encoded(parameters: tuple[str, ...]) -> bool:
    """A value still encoded (``ENCODING=b``): not text to check."""
    return any(p.partition("=")[0].upper() == "ENCODING" for p in parameters)


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
    fixes = "safe"

    def check_vcf(self, doc: VcfDocument, ctx: Context) -> Iterator[Finding]:
        for card in doc.cards:
            if not is_30(card):
                continue
            for cl in card.lines:
                for p in cl.params:
                    if p.name is None or p.name.upper() != "ENCODING":
                        continue
                    for value, offset in param_values(cl, p):
                        if value.upper() != "BASE64":
                            continue
                        start = cl.position(offset)
                        end = cl.position(offset + len(value))
                        yield Finding(
                            f"{cl.name} has ENCODING={value}; vCard 3.0 calls base64 'b'",
                            card.doc.span(cl, offset, offset + len(value), card.index),
                            Fix("write ENCODING=b", (Edit(start, end, "b"),)),
                        )
