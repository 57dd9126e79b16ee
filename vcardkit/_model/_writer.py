"""The writer: a Contact to the canonical card of docs/design.md "The canonical card".

One writer with one set of checks (docs/design.md "Speed"):
``dumps`` writes a Contact and a JSON mapping (read by ``contact_from_mapping``)
alike, property order fixed, and raises for what vCard 3.0 cannot carry.
"""

from __future__ import annotations

import re
from typing import Final

from vcardkit._errors import VCardError
from vcardkit._model import _contact
from vcardkit._model._contact import Address, Contact, Email, Phone, Url, is_plain_phone
from vcardkit._syntax._decode import SURROGATE_RE
from vcardkit._syntax._grammar import STRICT_NAME_RE
from vcardkit._syntax._lines import quote_param_value
from vcardkit._syntax._reader import (
    Card,
    ContentLine,
    LineFault,
    is_quoted_printable,
    parse_content_line,
)
from vcardkit._syntax._values import escape_text, fold

__all__ = [
    "NOT_TEXT_PROPERTIES",
    "SEPARATOR_RE",
    "contact_lines",
    "extra_line",
    "is_checked_parameter",
    "is_waid_parameter",
    "line_separators",
    "parameter_fault",
    "write_contact",
    "write_vcard_string",
]

_HEAD_KEYS: Final = (
    "/lastName",
    "/firstName",
    "/middleName",
    "/namePrefix",
    "/nameSuffix",
    "/fullName",
    "/organization",
    "/department",
    "/title",
)
_ADR_KEYS: Final = (
    "/poBox",
    "/extendedAddress",
    "/street",
    "/city",
    "/state",
    "/zip",
    "/country",
)
# The first phone's types when it has none of its own.
# ASCII digits only: "\d" would take "--١٢-٣٤" for a month and a day and
# write an Apple date no reader parses.
_OMIT_YEAR_RE: Final = re.compile(r"--([0-9]{2})-([0-9]{2})")
# RFC 2425 §5.8.2 CTL, less TAB; DEL; lone surrogates (not UTF-8 encodable).
_TEXT_FORBIDDEN_RE: Final = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
_RAW_FORBIDDEN_RE: Final = re.compile(r"[\x00-\x1f\x7f\ud800-\udfff]")
# Unicode's line separators: NEL, LINE SEPARATOR, PARAGRAPH SEPARATOR. Legal
# in a vCard value, but a reader that splits lines as str.splitlines does
# (Python's, Java's BufferedReader does not; some JavaScript ones) sees a
# line break there: "URL:http://x/\u2028END:VCARD\u2028BEGIN:VCARD..." is
# two cards to it. Text values may carry them (docs/rules/VC117.md, a warning);
# the values that are not text, and TYPE and waid, may not, as they may not
# carry a line break.
SEPARATOR_RE: Final = re.compile("[\x85\u2028\u2029]")
# What a value that is not text may not hold: the two sets above.
_NOT_TEXT_FORBIDDEN_RE: Final = re.compile("[\x00-\x1f\x7f\x85\u2028\u2029\ud800-\udfff]")
_PARAM_FORBIDDEN_RE: Final = re.compile('["\x00-\x1f\x7f\x85\u2028\u2029\ud800-\udfff]')
# docs/design.md "The canonical card": the values that are not text values.
NOT_TEXT_PROPERTIES: Final = frozenset({"TEL", "EMAIL", "URL", "BDAY"})
# The parameters whose values the writer writes from fields, and checks.
_CHECKED_PARAMETERS: Final = frozenset({"TYPE", "WAID"})
# A parameter string that is plainly one parameter, NAME=value[,value...]
# (RFC 2425 §5.8.2 SAFE-CHAR values): one the full probe would accept.
_SIMPLE_PARAM_RE: Final = re.compile(r'[A-Za-z0-9-]+=[^";:\x00-\x1f\x7f\ud800-\udfff]*')


class _Writer:
    """Builds the logical lines of one canonical card; raises for what 3.0 cannot carry.

    A fault's pointer is ``pointer + key`` (the field's object, then its key),
    joined only when raising. Each check runs its regular expression only on
    a value that is not printable (every forbidden character is not), or
    holds '"' where that is forbidden.
    """

    __slots__ = ("by_group", "index", "lines")

    def __init__(self, index: int) -> None:
        self.index = index
        self.lines: list[str] = []
        # The extras of each item group (upper-cased), until their group's line.
        self.by_group: dict[str, list[str]] = {}

    def fail(self, pointer: str, message: str, code: str = "VC113") -> VCardError:
        return VCardError(message, pointer=f"/{self.index}{pointer}", code=code)

    def surrogate(self, pointer: str, char: str) -> VCardError:
        """VC101: no UTF-8 encodes a lone surrogate (RFC 3629 §3), so no card can carry it."""
        return self.fail(
            pointer,
            f"the value holds the lone surrogate U+{ord(char):04X}, which UTF-8 cannot encode",
            code="VC101",
        )

    def forbidden(
        self, pointer: str, value: str, char: str, message: str, code: str = "VC113"
    ) -> VCardError:
        """A character a value cannot carry: a lone surrogate (VC101), a Unicode
        line separator (VC117), else ``message`` under ``code``."""
        if char >= "\ud800" and char <= "\udfff":
            return self.surrogate(pointer, char)
        if SEPARATOR_RE.match(char):
            return self.separator(pointer, value, char)
        return self.fail(pointer, message, code)

    def separator(self, pointer: str, value: str, char: str) -> VCardError:
        """VC117: a Unicode line separator where a line break cannot be either."""
        return self.fail(
            pointer,
            f"the value {value!r} holds U+{ord(char):04X}, which readers that split lines "
            "on Unicode separators take for a line break; this value is not text and "
            "cannot carry one",
            code="VC117",
        )

    def texts(self, values: tuple[str, ...], pointer: str, keys: tuple[str, ...]) -> list[str]:
        """Text values, each checked in turn, then escaped in one call."""
        if not all(map(str.isprintable, values)):
            for value, key in zip(values, keys, strict=True):
                m = _TEXT_FORBIDDEN_RE.search(value)
                if m is not None:
                    if m.group() >= "\ud800":
                        raise self.surrogate(pointer + key, m.group())
                    raise self.fail(
                        pointer + key,
                        f"the value {value!r} holds the control character {m.group()!r} "
                        f"(U+{ord(m.group()):04X}), which no vCard 3.0 value can carry",
                    )
        # No value holds "\x00" now: it can stand between them.
        return escape_text("\x00".join(values)).split("\x00")

    def raw(self, value: str, pointer: str, key: str = "") -> str:
        if not value.isprintable() and (m := _NOT_TEXT_FORBIDDEN_RE.search(value)) is not None:
            raise self.forbidden(
                pointer + key,
                value,
                m.group(),
                f"the value {value!r} holds {m.group()!r} (U+{ord(m.group()):04X}); "
                "this property is not text and cannot carry a line break or control character",
            )
        return value

    def param_value(self, value: str, pointer: str, key: str) -> str:
        if value.isalnum():
            return value  # the common case: nothing to refuse, nothing to quote
        if not value:
            # An empty waid: quoted, as RFC 2425's quoted-string allows, since
            # vobject drops a bare "waid=" and reads 'waid=""' as "".
            return '""'

        m = _PARAM_FORBIDDEN_RE.search(value)
        if m is not None:
            raise self.forbidden(
                pointer + key,
                value,
                m.group(),
                f"the parameter value {value!r} holds {m.group()!r}, which no "
                "vCard 3.0 parameter value can carry (RFC 2425 §5.8.2 QSAFE-CHAR)",
                code="VC110",
            )
        return quote_param_value(value)

    def params(self, params: tuple[str, ...], pointer: str, phone_waid: bool = True) -> str:
        """``;``-joined parameter strings, each checked; ``phone_waid`` is False for a
        phone with no WhatsApp id, where a ``waid`` among them is refused."""
        out: list[str] = []
        for k, text in enumerate(params):
            if _SIMPLE_PARAM_RE.fullmatch(text) is None:
                if not text.isascii() and (m := SURROGATE_RE.search(text)) is not None:
                    raise self.surrogate(f"{pointer}/parameters/{k}", m.group())
                problem = parameter_fault(text)
                if problem is not None:
                    raise self.fail(
                        f"{pointer}/parameters/{k}", f"{text!r} {problem}", code="VC110"
                    )
            if not text.isprintable() and is_checked_parameter(text):
                m = SEPARATOR_RE.search(text)
                if m is not None:
                    raise self.separator(f"{pointer}/parameters/{k}", text, m.group())
            if not phone_waid and is_waid_parameter(text):
                raise self.fail(
                    f"{pointer}/parameters/{k}", f"{text!r} {WAID_PARAMETER}", code="VC110"
                )
            out.append(";" + text)
        return "".join(out)

    def item(
        self,
        name: str,
        prop: Phone | Email | Url,
        types: tuple[str, ...],
        value: str,
        pointer: str,
        key: str,
        waid: str | None = None,
    ) -> None:
        """Add the line of a phone, an e-mail or a URL (``value`` at ``key``), then
        the extras of its group. Parameters in the order ``type``, ``waid``, others."""
        head = self.head(name, prop.group, types, pointer)
        if waid is not None:
            head += ";waid=" + self.param_value(waid, pointer, "/whatsappId")
        if prop.parameters:
            head += self.params(prop.parameters, pointer, waid is not None or name != "TEL")
        line = head + ":" + self.raw(value, pointer, key)
        if value[-1:] == "=":
            self.one_line(line, pointer + "/parameters")
        self.lines.append(line)
        if prop.group is not None and self.by_group:
            self.lines.extend(self.by_group.pop(prop.group.upper(), ()))

    def one_line(self, line: str, pointer: str, code: str = "VC110") -> None:
        """Refuse a line a reader would join the line after it to.

        A QUOTED-PRINTABLE value ending in "=" ends in a soft line break
        (RFC 2045 §6.7): the next line, END:VCARD included, would be read as
        part of it.
        """
        if line.endswith("=") and is_quoted_printable(line):
            raise self.fail(
                pointer,
                f"the line {line!r} is QUOTED-PRINTABLE and ends in '=', which a "
                "reader takes for a soft line break: the next line would join it",
                code=code,
            )

    def head(self, name: str, group: str | None, types: tuple[str, ...], pointer: str) -> str:
        """``[group.]name;type=...``: the group checked, each TYPE value checked and quoted."""
        if group is not None:
            if not STRICT_NAME_RE.fullmatch(group):
                raise self.fail(
                    f"{pointer}/group",
                    f"the group {group!r} is not a group name (letters, digits and '-')",
                    code="VC109",
                )
            name = group + "." + name
        if not types:
            return name
        if all(map(str.isalnum, types)):  # the common case: nothing to refuse or quote
            return name + ";type=" + ";type=".join(types)
        return name + "".join([";type=" + self.param_value(t, pointer, "/type") for t in types])


def contact_lines(contact: Contact, index: int = 0, *, shorthand: bool | None = None) -> list[str]:
    """The logical lines of the canonical card of ``contact`` (BEGIN to END).

    ``shorthand`` says whether the JSON the contact came from gave its first
    phone with the shorthand keys (``phoneNumber``, ``whatsappId``), so that
    a fault's pointer names a key of that JSON; ``None`` for a Contact, whose
    pointers follow :func:`~vcardkit.to_json` (shorthand when it is plain).
    """
    w = _Writer(index)
    if contact.vcard is not None:
        raise w.fail("/vcard", "a contact given as a vcard string has no fields to write")
    extras = _check_extras(w, contact.extra_properties) if contact.extra_properties else []
    lines = w.lines
    lines.append("BEGIN:VCARD")
    lines.append("VERSION:3.0")
    # The texts of N, FN, ORG and TITLE, checked in the order they are
    # written (one that is not written is empty), escaped in one call.
    last, first, middle, prefix, suffix, full_name, org, department, title = w.texts(
        (
            contact.last_name or "",
            contact.first_name or "",
            contact.middle_name or "",
            contact.name_prefix or "",
            contact.name_suffix or "",
            contact.full_name or "",
            contact.organization or "",
            contact.department or "",
            contact.title or "",
        ),
        "",
        _HEAD_KEYS,
    )
    structured_name = contact.has_structured_name
    if structured_name:
        lines.append(f"N:{last};{first};{middle};{prefix};{suffix}")
    if full_name:
        # The structured name is written even when an N is among the extras
        # (a second N of the card read); only the fallback gives way to it.
        if not structured_name and not (extras and any(e[0] == "N" for e in extras)):
            lines.append(f"N:;{full_name};;;")
        lines.append("FN:" + full_name)
    if department:
        lines.append(f"ORG:{org};{department}")
    elif org:
        lines.append("ORG:" + org)
    if title:
        lines.append("TITLE:" + title)

    # Grouped extras follow the first field property of their group.
    by_group = w.by_group
    for _, group, extra in extras:
        if group is not None:
            by_group.setdefault(group.upper(), []).append(extra)

    phones = contact.phones
    if shorthand is None:
        shorthand = bool(phones) and is_plain_phone(phones[0])
    for k, phone in enumerate(phones):
        pointer = "" if k == 0 and shorthand else f"/phones/{k - 1 if shorthand else k}"
        number, waid = phone.phone_number, phone.whatsapp_id
        if number is None:
            raise w.fail(
                pointer + ("/whatsappId" if waid is not None else "/phoneNumber"),
                "a phone with no phoneNumber: a whatsappId belongs to a TEL, and no "
                "TEL can be written without a number",
                code="VC411",
            )
        types = phone.type if (k > 0 or phone.type) else _contact.DEFAULT_FIRST_TYPES
        w.item("TEL", phone, types, number, pointer, "/phoneNumber", waid)
    for k, email in enumerate(contact.emails):
        pointer = f"/emails/{k}"
        types = email.type
        if types and "INTERNET" in map(str.upper, types):
            types = tuple(t for t in types if t.upper() != "INTERNET")
        w.item("EMAIL;type=INTERNET", email, types, email.email, pointer, "/email")
    used_groups: set[str] | None = None
    for k, address in enumerate(contact.addresses):
        pointer = f"/addresses/{k}"
        group = address.group
        if group is None and address.country_code:
            if used_groups is None:
                used_groups = _used_groups(contact, extras)
            group = _free_item_group(used_groups)
        head = w.head("ADR", group, address.type, pointer)
        if address.parameters:
            head += w.params(address.parameters, pointer)
        components = (
            address.po_box or "",
            address.extended_address or "",
            address.street or "",
            address.city or "",
            address.state or "",
            address.zip or "",
            address.country or "",
        )
        line = head + ":" + ";".join(w.texts(components, pointer, _ADR_KEYS))
        w.one_line(line, pointer + "/parameters")
        lines.append(line)
        if address.country_code:
            code = w.raw(address.country_code, pointer, "/countryCode")
            if not STRICT_NAME_RE.fullmatch(code):
                raise w.fail(
                    f"{pointer}/countryCode",
                    f"the country code {code!r} is not a two-letter code",
                    code="VC604",
                )
            lines.append(f"{group}.X-ABADR:{code.lower()}")
        if group is not None:
            lines.extend(by_group.pop(group.upper(), ()))
    for k, url in enumerate(contact.urls):
        w.item("URL", url, url.type, url.url, f"/urls/{k}", "/url")
    if contact.birthday:
        birthday = w.raw(contact.birthday, "/birthday")
        m = _OMIT_YEAR_RE.fullmatch(birthday)
        if m is not None:
            # What Apple writes for a date with no year, and WhatsApp reads.
            lines.append(f"BDAY;X-APPLE-OMIT-YEAR=1604:1604-{m.group(1)}-{m.group(2)}")
        else:
            lines.append("BDAY:" + birthday)
    if contact.note:
        lines.append("NOTE:" + w.texts((contact.note,), "", ("/note",))[0])
    for _, group, extra in extras:
        if group is None or group.upper() in by_group:
            lines.append(extra)
    lines.append("END:VCARD")
    return lines


def _check_extras(w: _Writer, extras: tuple[str, ...]) -> list[tuple[str, str | None, str]]:
    out: list[tuple[str, str | None, str]] = []
    for k, text in enumerate(extras):
        line = extra_line(text)
        if not isinstance(line, ContentLine):
            code, problem = line
            raise w.fail(f"/extraProperties/{k}", f"the extra property {text!r} {problem}", code)
        # "BEGIN :VCARD" too: a reader that trims names would take it for one.
        out.append((line.name.strip().upper(), line.group, text))
    return out


# What an extra property may not be: the writer's own lines, and the lines a
# reader always maps to a field (card_to_contact reads every TEL, EMAIL and
# URL as a phone, an e-mail, a URL: as an extra one would come back as a
# field, and escape the checks of the field it becomes).
_WRITERS_LINES: Final = frozenset({"BEGIN", "END", "VERSION"})
_FIELD_LINES: Final = {"TEL": "phones", "EMAIL": "emails", "URL": "urls"}


def extra_line(text: str) -> ContentLine | tuple[str, str]:
    """The content line an extra property is written as, or (code, why) it cannot be one.

    docs/design.md "Extra properties": one content line, written as it is, that is
    not BEGIN, END or VERSION; nor TEL, EMAIL or URL, which the fields carry.
    The one reading of an extra for the writer (which raises the code) and
    the rules (VC608 reports its own code; VC101, VC113 and VC117 theirs).
    A line the writer writes may still be a fault of the card (a bad
    parameter, six N components): the rules that check a card's lines check
    it as that line.
    """
    if not text.isascii() and (m := SURROGATE_RE.search(text)) is not None:
        return "VC101", (
            f"holds the lone surrogate U+{ord(m.group()):04X}, which UTF-8 cannot encode"
        )
    if "\r" in text or "\n" in text:
        return "VC608", "holds a line break: it is not one content line"
    if (m := _RAW_FORBIDDEN_RE.search(text.replace("\t", " "))) is not None:
        return "VC113", (
            f"holds the control character U+{ord(m.group()):04X}, which no content line can carry"
        )
    if text[:1] in (" ", "\t"):
        # RFC 2425 §5.8.1: a line starting with white space continues the
        # line before it; this one would change that property's value.
        return "VC608", "starts with white space, which makes it part of the line before it"
    line = parse_content_line(text, 1, ())
    if isinstance(line, LineFault):
        return "VC608", f"is not a content line (NAME:value): {line.message}"
    name = line.name.strip().upper()
    if name in _WRITERS_LINES:
        return "VC608", f"is {name}, which only the writer writes"
    if name in _FIELD_LINES:
        return "VC608", (
            f"is {name}, which a reader always takes for one of the {_FIELD_LINES[name]}: "
            f"give it there"
        )
    if text.endswith("=") and is_quoted_printable(text):
        # RFC 2045 §6.7: a reader joins the next line (END:VCARD, maybe) to it.
        return (
            "VC608",
            "is QUOTED-PRINTABLE and ends in a soft line break ('='): the next line would join it",
        )
    for offset, refused, part in line_separators(line):
        if refused:
            where = f"its {line.name} value" if part == "value" else f"its {part} parameter"
            return "VC117", (
                f"holds U+{ord(text[offset]):04X} in {where}, which readers that split lines "
                "on Unicode separators take for a line break"
            )
    return line


def parameter_fault(text: str) -> str | None:
    """Why an item's ``parameters`` entry is not one ``NAME=value`` parameter, or ``None``.

    It is written as it is, after a ``;``: it must be exactly one parameter
    (RFC 2426 §4 ``param``) with a name of letters, digits and ``-``, and
    no control character. The one check for the writer and VC110.
    """
    if _SIMPLE_PARAM_RE.fullmatch(text) is not None:
        return None
    probe = parse_content_line(f"X;{text}:", 1, ())
    if (
        isinstance(probe, LineFault)
        # "X-A=b:c" parses as X-A=b with "c" starting the value: the text
        # must be the whole parameter section.
        or probe.value != ""
        or len(probe.params) != 1
        or probe.params[0].name is None
        or not STRICT_NAME_RE.fullmatch(probe.params[0].name)
        or _RAW_FORBIDDEN_RE.search(text)
    ):
        return "is not one parameter of the form NAME=value"
    return None


# A TEL's first waid is its phone's WhatsApp id (card_to_contact): a waid among
# the parameters of a phone with none would come back as its WhatsApp id,
# unchecked by the WhatsApp id rules.
WAID_PARAMETER: Final = (
    "is a waid, and the phone has no whatsappId: a reader takes it for the phone's "
    "WhatsApp id; give it as whatsappId"
)


def is_checked_parameter(text: str) -> bool:
    """Whether a ``parameters`` entry is a TYPE or a waid, whose values are checked as
    the fields' are (no line separator: docs/rules/VC117.md)."""
    return text.partition("=")[0].upper() in _CHECKED_PARAMETERS


def is_waid_parameter(text: str) -> bool:
    """Whether a ``parameters`` entry is a ``waid`` (any case)."""
    return text[:5].upper() == "WAID="


def line_separators(cl: ContentLine) -> list[tuple[int, bool, str]]:
    """Each part of a content line that holds U+0085, U+2028 or U+2029, in order.

    (logical offset of its first one, whether it is refused, what part:
    ``"value"`` or the parameter's name). Refused: in the value of TEL,
    EMAIL, URL or BDAY, and in a TYPE or waid parameter (a bare 2.1
    parameter is a TYPE), where the writer refuses them in fields and
    extra properties alike (docs/rules/VC117.md at error); elsewhere the text
    may carry them. One reading of a line for the writer and the rule.
    """
    raw = cl.raw
    if raw.isascii() or SEPARATOR_RE.search(raw) is None:
        return []
    out: list[tuple[int, bool, str]] = []
    params = cl.params
    for k, p in enumerate(params):
        end = params[k + 1].offset if k + 1 < len(params) else cl.value_offset
        m = SEPARATOR_RE.search(raw, p.offset, end)
        if m is not None:
            name = (p.name or "TYPE").upper()
            out.append((m.start(), name in _CHECKED_PARAMETERS, p.name or "TYPE"))
    m = SEPARATOR_RE.search(raw, cl.value_offset)
    if m is not None:
        out.append((m.start(), cl.name.upper() in NOT_TEXT_PROPERTIES, "value"))
    return out


def _used_groups(contact: Contact, extras: list[tuple[str, str | None, str]]) -> set[str]:
    used = {g.upper() for _, g, _ in extras if g is not None}
    items: tuple[Phone | Email | Address | Url, ...] = (
        *contact.phones,
        *contact.emails,
        *contact.addresses,
        *contact.urls,
    )
    for item in items:
        if item.group is not None:
            used.add(item.group.upper())
    return used


def _free_item_group(used: set[str]) -> str:
    n = 1
    while f"ITEM{n}" in used:
        n += 1
    used.add(f"ITEM{n}")
    return f"item{n}"


def write_contact(contact: Contact, index: int, eol: str, *, shorthand: bool | None = None) -> str:
    """The folded text of one card, each line ending in ``eol`` (``shorthand``:
    see :func:`contact_lines`)."""
    if contact.vcard is not None:
        return write_vcard_string(contact.vcard, index, eol)
    lines = contact_lines(contact, index, shorthand=shorthand)
    text = eol.join(lines)
    if max(map(len, lines)) <= 75 and (
        text.isascii() or max(map(len, map(str.encode, lines))) <= 75
    ):
        return text + eol  # no line to fold: none is over 75 octets
    return "".join([fold(line, eol) for line in lines])


def write_vcard_string(vcard: str, index: int, eol: str) -> str:
    """A ``vcard`` string sent as it is, line endings normalized; exactly one card."""
    from vcardkit._syntax._reader import read  # local: avoids a cycle at import

    if not vcard.isascii() and (m := SURROGATE_RE.search(vcard)) is not None:
        raise _Writer(index).surrogate("/vcard", m.group())
    cards = 0
    for item in read([vcard]):
        if isinstance(item, Card):
            cards += 1
        elif item.fatal or item.code == "VC104":
            raise VCardError(
                f"the vcard string is not exactly one card: {item.message}",
                pointer=f"/{index}/vcard",
                code="VC607",
            )
    if cards != 1:
        raise VCardError(
            f"the vcard string holds {cards} cards; it must hold exactly one",
            pointer=f"/{index}/vcard",
            code="VC607",
        )
    text = re.sub(r"\r\n|\r|\n", eol, vcard.rstrip("\r\n"))
    return text + eol
