"""Hypothesis strategies for vcardkit's contacts, JSON contacts and cards.

Offered to users for their own tests (install the ``strategies`` extra)::

    from hypothesis import given
    from vcardkit.strategies import contacts

    @given(contacts())
    def test_my_sender_accepts_every_card(contact): ...

:func:`contacts` produces :class:`~vcardkit.Contact` objects in *canonical
form* (DESIGN.md, "Canonical form and the edges"), so that
``loads(dumps([c])) == [c]`` and ``from_json(to_json([c])) == [c]``; every
text field holds arbitrary Unicode (line breaks, ``,`` ``;`` ``\\`` ``:``,
emoji and ZWJ sequences, CJK, combining marks). :func:`json_contacts` produces
the same contacts in the JSON shape, in any of the spellings DESIGN.md
accepts. :func:`vcards` produces card text the way other producers write it:
unknown properties, item groups, extra parameters, 2.1 bare parameters.

This module imports hypothesis; ``vcardkit`` itself does not.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any, Final, NamedTuple

from hypothesis import strategies as st

from vcardkit._model._contact import Address, Contact, Email, Phone, Url, is_plain_phone

__all__ = [
    "CardLine",
    "card_lines",
    "contacts",
    "group_names",
    "json_contacts",
    "parameter_values",
    "raw_values",
    "texts",
    "vcards",
]

# Characters DESIGN.md's "Control characters" says no 3.0 value can carry:
# C0 controls other than TAB and LF, and DEL. CR is left out too: vCard 3.0
# carries only LF, so a CR does not come back ("Line breaks in text").
_C0_AND_DEL: Final = "".join(chr(c) for c in range(0x20) if c not in (0x09, 0x0A)) + "\x7f"

# Pieces that make text values interesting: the escaped characters of RFC
# 2426 §4, the delimiters of a content line, what looks like a card boundary,
# and Unicode that a byte-counting folder or a naive reader gets wrong.
_TEXT_PIECES: Final = (
    "\n",
    "\n\n",
    ",",
    ";",
    "\\",
    "\\n",
    "\\,",
    ":",
    '"',
    "=",
    "\t",
    " ",
    "  ",
    "END:VCARD",
    "\nBEGIN:VCARD\n",
    "TEL;waid=1:+1",
    "item1.",
    "é",  # e + COMBINING ACUTE ACCENT
    "\u0301",  # a combining mark on its own
    "👩\u200d👩\u200d👧\u200d👦",  # a ZWJ sequence
    "🇪🇬",  # a flag: two regional indicators
    "😀",
    "漢字テスト",
    "한국어",
    "עברית",
    "\u200d",
    "\ufeff",
    "\u2028",
    "\x85",
    "ß",
    "İ",
    "€",
    "--١٢-٣٤",  # Arabic-Indic digits: not a month and a day
)

_TEXT_CHAR: Final = st.characters(exclude_categories=["Cs"], exclude_characters=_C0_AND_DEL)
# Values that are not text (TEL, EMAIL, URL, BDAY) carry no control character
# at all, TAB and LF included (DESIGN.md, "The canonical card"); C1 controls
# (U+0080 to U+009F) are not C0, and UTF-8 carries them.
_RAW_CHAR: Final = st.characters(exclude_categories=["Cs"], exclude_characters=_C0_AND_DEL + "\t\n")
# A parameter value is written bare or in double quotes; it may not hold a
# DQUOTE or a control character (RFC 2425 §5.8.2 QSAFE-CHAR).
_PARAM_CHAR: Final = st.characters(
    exclude_categories=["Cs"], exclude_characters=_C0_AND_DEL + '\t\n"'
)


def _pieces(alphabet: st.SearchStrategy[str], pieces: Sequence[str]) -> st.SearchStrategy[str]:
    # Few, short fragments: each character is a draw, and draws are what a
    # property test spends its time on.
    fragment = st.one_of(st.sampled_from(pieces), st.text(alphabet, min_size=1, max_size=6))
    return st.lists(fragment, min_size=1, max_size=4).map("".join)


# Strategies are built once, at import: building one (from_regex above all)
# costs more than drawing from it.
_TEXTS: Final = _pieces(_TEXT_CHAR, _TEXT_PIECES)
_RAW_PIECES: Final = tuple(p for p in _TEXT_PIECES if not any(c in p for c in "\t\n"))
_RAW_VALUES: Final = _pieces(_RAW_CHAR, _RAW_PIECES)
_PARAM_PIECES: Final = tuple(p for p in _RAW_PIECES if '"' not in p)
_PARAMETER_VALUES: Final = _pieces(_PARAM_CHAR, _PARAM_PIECES)
_GROUP_NAMES: Final = st.one_of(
    st.integers(1, 30).map(lambda n: f"item{n}"),
    st.text(
        st.sampled_from("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-"),
        min_size=1,
        max_size=8,
    ),
)
_X_NAMES: Final = st.builds(
    lambda x, rest: x + "-" + rest,
    st.sampled_from("Xx"),
    st.text(
        st.sampled_from("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-"),
        min_size=1,
        max_size=10,
    ),
)


def texts() -> st.SearchStrategy[str]:
    """Non-empty text a text value can carry: anything but C0 (less TAB, LF), DEL, CR."""
    return _TEXTS


def raw_values() -> st.SearchStrategy[str]:
    """Non-empty values for TEL, EMAIL, URL, BDAY: no control character at all."""
    return _RAW_VALUES


def parameter_values() -> st.SearchStrategy[str]:
    """Non-empty parameter values (``waid``, ``type``): no ``"``, no control character."""
    return _PARAMETER_VALUES


def group_names() -> st.SearchStrategy[str]:
    """Group names, RFC 2425 §5.8.2 ``1*(ALPHA / DIGIT / "-")``: Apple's ``itemN`` or other."""
    return _GROUP_NAMES


_BARE_SAFE_RE: Final = re.compile(r"[;:,]")


def _format_parameter_value(value: str) -> str:
    # DESIGN.md "Parameter values": bare unless it holds ";" ":" ",", then quoted.
    return f'"{value}"' if _BARE_SAFE_RE.search(value) else value


# ``NAME=value`` strings for ``parameters``: X- names, values spelled
# canonically. A value may be empty, several values are a comma list (RFC 2425
# §5.8.2).
_PARAMETER_STRINGS: Final = st.builds(
    lambda name, values: f"{name}={','.join(_format_parameter_value(v) for v in values)}",
    _X_NAMES,
    st.lists(st.one_of(st.just(""), _PARAMETER_VALUES), min_size=1, max_size=3),
)
_PARAMETER_LISTS: Final = st.lists(_PARAMETER_STRINGS, max_size=2).map(tuple)
_COMMON_TYPES: Final = st.sampled_from(
    ["WORK", "HOME", "CELL", "VOICE", "FAX", "pref", "iPhone", "QUOTED-PRINTABLE"]
)


def _is_cell_voice(types: tuple[str, ...]) -> bool:
    # The writer's default for the first phone; it reads back as no type.
    return sorted(t.upper() for t in types) == ["CELL", "VOICE"]


def _has_internet(types: tuple[str, ...]) -> bool:
    # Every EMAIL is written with type=INTERNET; it reads back as no type.
    return any(t.upper() == "INTERNET" for t in types)


# Extra properties the fields do not map: real names seen in exports, and X-
# names. X-ABADR is left out: beside an itemN.ADR it is the country code.
_EXTRA_NAMES: Final = st.one_of(
    st.sampled_from(
        [
            "NICKNAME",
            "CATEGORIES",
            "PHOTO",
            "UID",
            "X-WA-BIZ-NAME",
            "X-ABLabel",
            "x-aim",
            "X-QUOTED-PRINTABLE",
        ]
    ),
    _X_NAMES.filter(lambda n: n.upper() != "X-ABADR"),
)
# An extra property is written as it is: one content line, so no control
# character but TAB (DESIGN.md "Extra properties").
_EXTRA_VALUES: Final = st.one_of(
    st.just(""),
    _pieces(
        st.characters(exclude_categories=["Cs"], exclude_characters=_C0_AND_DEL + "\n"),
        tuple(p for p in _TEXT_PIECES if "\n" not in p and "\x85" not in p),
    ),
)
_EXTRA_PARAMETERS: Final = st.lists(
    st.one_of(
        _PARAMETER_STRINGS,
        _PARAMETER_VALUES.map(lambda v: "TYPE=" + _format_parameter_value(v)),
    ),
    max_size=2,
)


def _extra_line(draw: st.DrawFn, group: str | None) -> str:
    name = draw(_EXTRA_NAMES)
    params = draw(_EXTRA_PARAMETERS)
    head = f"{group}.{name}" if group else name
    return head + "".join(";" + p for p in params) + ":" + draw(_EXTRA_VALUES)


class _Strategies(NamedTuple):
    text: st.SearchStrategy[str]
    raw: st.SearchStrategy[str]
    param: st.SearchStrategy[str]


_CANONICAL: Final = _Strategies(_TEXTS, _RAW_VALUES, _PARAMETER_VALUES)
_PERCENT: Final = st.integers(0, 99)
_COUNTRY_CODES: Final = st.text(
    st.sampled_from("ABCDEFGHIJKLMNOPQRSTUVWXYZ"), min_size=2, max_size=2
)
_DATES: Final = st.dates()


def _opt(draw: st.DrawFn, strategy: st.SearchStrategy[str], p: float = 0.5) -> str | None:
    return draw(strategy) if _chance(draw, p) else None


def _chance(draw: st.DrawFn, p: float) -> bool:
    """True with probability ``p`` (always when ``p`` is 1), shrinking to False."""
    return p >= 1 or draw(_PERCENT) >= (1 - p) * 100


@st.composite
def _contact(draw: st.DrawFn, s: _Strategies, *, extras: bool = True) -> Contact:
    used_groups: set[str] = set()

    def group(p: float = 0.3) -> str | None:
        if not _chance(draw, p):
            return None
        name = draw(_GROUP_NAMES)
        n = 1
        while name.upper() in used_groups:  # unique in the card, whatever the case
            name = f"item{n}"
            n += 1
        used_groups.add(name.upper())
        return name

    def params() -> tuple[str, ...]:
        return draw(_PARAMETER_LISTS)

    types_strategy = st.lists(st.one_of(_COMMON_TYPES, s.param), max_size=3).map(tuple)

    def types(exclude: Callable[[tuple[str, ...]], bool] | None = None) -> tuple[str, ...]:
        found = draw(types_strategy)
        if exclude is not None and exclude(found):
            return ()
        return found

    text = s.text
    full_name = _opt(draw, text, 0.85)
    names = [_opt(draw, text, 0.3) for _ in range(5)]
    last_name, first_name, middle_name, name_prefix, name_suffix = names
    if (
        first_name is not None
        and first_name == full_name
        and not any((last_name, middle_name, name_prefix, name_suffix))
    ):
        # DESIGN.md "Names": the same card as one with no structured name.
        first_name = None

    phones: list[Phone] = []
    for k in range(draw(st.integers(0, 2))):
        phones.append(
            Phone(
                draw(s.raw),
                _opt(draw, s.param),
                types(_is_cell_voice if k == 0 else None),
                group(),
                params(),
            )
        )
    emails = [
        Email(draw(s.raw), types(_has_internet), group(), params())
        for _ in range(draw(st.integers(0, 1)))
    ]
    addresses: list[Address] = []
    for _ in range(draw(st.integers(0, 2))):
        parts = [_opt(draw, text, 0.4) for _ in range(7)]
        code = _opt(draw, _COUNTRY_CODES, 0.4)
        # An address with a country code carries its item group; without one
        # the writer makes one up, and the card read back has it.
        po_box, extended, street, city, state, zip_code, country = parts
        addresses.append(
            Address(
                po_box,
                extended,
                street,
                city,
                state,
                zip_code,
                country,
                code,
                types(),
                group(1.0 if code else 0.3),
                params(),
            )
        )
    urls = [Url(draw(s.raw), types(), group(), params()) for _ in range(draw(st.integers(0, 1)))]
    birthday = _opt(
        draw,
        st.one_of(
            _DATES.map(lambda d: d.isoformat()),
            _DATES.map(lambda d: d.strftime("--%m-%d")),
            st.sampled_from(["--١٢-٣٤", "--02-30", "1604-05-06", "--1-2"]),
            s.raw,
        ),
        0.3,
    )
    extra_properties: list[str] = []
    if extras:
        items: list[Phone | Email | Address | Url] = [*phones, *emails, *addresses, *urls]
        item_groups = [x.group for x in items if x.group is not None]
        for _ in range(draw(st.integers(0, 3))):
            choice = draw(st.integers(0, 2))
            if choice == 1 and item_groups:
                g: str | None = draw(st.sampled_from(item_groups))
            elif choice == 2:
                g = group(1.0)
            else:
                g = None
            extra_properties.append(_extra_line(draw, g))
        extra_properties = _canonical_extra_order(
            extra_properties, [g.upper() for g in item_groups]
        )

    return Contact(
        full_name,
        first_name=first_name,
        last_name=last_name,
        middle_name=middle_name,
        name_prefix=name_prefix,
        name_suffix=name_suffix,
        organization=_opt(draw, text, 0.5),
        department=_opt(draw, text, 0.3),
        title=_opt(draw, text, 0.4),
        phones=phones,
        emails=emails,
        addresses=addresses,
        urls=urls,
        birthday=birthday,
        note=_opt(draw, text, 0.4),
        extra_properties=extra_properties,
    )


_GROUP_OF_RE: Final = re.compile(r"([A-Za-z0-9-]+)\.")


def _canonical_extra_order(extras: list[str], item_groups: list[str]) -> list[str]:
    """The order the canonical card writes extra properties in (DESIGN.md).

    The extras of an item's group follow that item, items in the order
    phones, emails, addresses, urls; the others come last in their order.
    """

    def group_of(line: str) -> str | None:
        m = _GROUP_OF_RE.match(line)
        return m.group(1).upper() if m else None

    out: list[str] = []
    for g in item_groups:
        out.extend(line for line in extras if group_of(line) == g)
    out.extend(line for line in extras if group_of(line) not in item_groups)
    return out


def contacts() -> st.SearchStrategy[Contact]:
    """Contacts in canonical form, arbitrary Unicode in every text field."""
    return _contact(_CANONICAL)


def _type_json(draw: st.DrawFn, types: tuple[str, ...]) -> dict[str, Any]:
    if not types:
        return {}
    if len(types) == 1 and draw(st.booleans()):
        return {"type": types[0]}
    return {"type": list(types)}


def _item_common(draw: st.DrawFn, item: Phone | Email | Address | Url) -> dict[str, Any]:
    out = _type_json(draw, item.type)
    if item.group is not None:
        out["group"] = item.group
    if item.parameters:
        out["parameters"] = list(item.parameters)
    return out


@st.composite
def _json_contact(draw: st.DrawFn, contact: Contact) -> dict[str, Any]:
    """The JSON shape of DESIGN.md "The JSON contact", built here, not by to_json."""
    out: dict[str, Any] = {}
    for key, value in (
        ("fullName", contact.full_name),
        ("firstName", contact.first_name),
        ("lastName", contact.last_name),
        ("middleName", contact.middle_name),
        ("namePrefix", contact.name_prefix),
        ("nameSuffix", contact.name_suffix),
        ("organization", contact.organization),
        ("department", contact.department),
        ("title", contact.title),
    ):
        if value is not None:
            out[key] = value
    phones = list(contact.phones)
    # A plain first phone may use the shorthand keys or be the first item of
    # "phones": both read into the same Contact.
    if phones and is_plain_phone(phones[0]) and draw(st.booleans()):
        first = phones.pop(0)
        if first.phone_number is not None:
            out["phoneNumber"] = first.phone_number
        if first.whatsapp_id is not None:
            out["whatsappId"] = first.whatsapp_id
    if phones:
        items = []
        for p in phones:
            item: dict[str, Any] = {}
            if p.phone_number is not None:
                item["phoneNumber"] = p.phone_number
            if p.whatsapp_id is not None:
                item["whatsappId"] = p.whatsapp_id
            items.append(item | _item_common(draw, p))
        out["phones"] = items
    if contact.emails:
        out["emails"] = [{"email": e.email} | _item_common(draw, e) for e in contact.emails]
    if contact.addresses:
        items = []
        for a in contact.addresses:
            item = {}
            for key, value in (
                ("poBox", a.po_box),
                ("extendedAddress", a.extended_address),
                ("street", a.street),
                ("city", a.city),
                ("state", a.state),
                ("zip", a.zip),
                ("country", a.country),
                ("countryCode", a.country_code),
            ):
                if value is not None:
                    item[key] = value
            items.append(item | _item_common(draw, a))
        out["addresses"] = items
    if contact.urls:
        out["urls"] = [{"url": u.url} | _item_common(draw, u) for u in contact.urls]
    if contact.birthday is not None:
        out["birthday"] = contact.birthday
    if contact.note is not None:
        out["note"] = contact.note
    if contact.extra_properties:
        out["extraProperties"] = list(contact.extra_properties)
    return out


def json_contacts() -> st.SearchStrategy[dict[str, Any]]:
    """JSON contacts (DESIGN.md "The JSON contact") of canonical contacts.

    ``type`` is a string or a list, a plain first phone uses the shorthand
    keys or the ``phones`` array: the spellings that read into the same contact.
    """
    return contacts().flatmap(_json_contact)


# ---------------------------------------------------------------------------
# Cards as other producers write them


class CardLine(NamedTuple):
    """One content line of a generated card, as written (value still encoded)."""

    group: str | None
    name: str
    params: tuple[tuple[str | None, tuple[str, ...]], ...]  # None: a 2.1 bare value
    value: str

    def text(self) -> str:
        head = f"{self.group}.{self.name}" if self.group else self.name
        for name, values in self.params:
            spelled = ",".join(_format_parameter_value(v) for v in values)
            head += f";{spelled}" if name is None else f";{name}={spelled}"
        return f"{head}:{self.value}"


def _escape(text: str) -> str:
    # RFC 2426 §4 text escapes.
    return text.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;").replace("\n", "\\n")


def _escape_21(text: str) -> str:
    return text.replace(";", "\\;")


_LEGACY_TEXTS: Final = _TEXTS.map(lambda t: t.replace("\\", "/").replace("\n", " "))
_LEGACY_RAW_VALUES: Final = _RAW_VALUES.map(lambda t: t.replace("\\", "/"))
_WAIDS: Final = st.integers(10**6, 10**15 - 1).map(str)
_TEL_TYPES: Final = st.lists(
    st.sampled_from(["CELL", "WORK", "HOME", "VOICE", "iPhone"]), max_size=2
)
_EMAIL_TYPES: Final = st.lists(st.sampled_from(["INTERNET", "WORK", "HOME", "pref"]), max_size=3)


@st.composite
def card_lines(draw: st.DrawFn, version: str = "3.0") -> list[CardLine]:
    """The content lines of a card (BEGIN, VERSION and END excluded).

    What other producers write and a lossless reader must keep: unknown X-
    properties, Apple item groups (``item1.TEL`` + ``item1.X-ABLabel``),
    extra parameters, a TYPE list, an N with a comma list, an ORG of three
    units, 2.1 bare parameters (``TEL;CELL``). Values of text properties are
    escaped for 3.0; a 2.1 card holds no backslash and no line break, and
    escapes only ";" in compound values (vCard 2.1 §2.1.3).
    """
    legacy = version == "2.1"
    text = _LEGACY_TEXTS if legacy else _TEXTS
    raw = _LEGACY_RAW_VALUES if legacy else _RAW_VALUES
    escape = _escape_21 if legacy else _escape

    def single(value: str) -> str:
        return value if legacy else _escape(value)

    def x_param() -> list[tuple[str | None, tuple[str, ...]]]:
        if draw(st.booleans()):
            return [(draw(_X_NAMES), (draw(_PARAMETER_VALUES),))]
        return []

    lines: list[CardLine] = []
    lines.append(CardLine(None, "FN", (), single(draw(text))))
    if draw(st.booleans()):
        # Each component a value or, in 3.0, a comma list of values.
        parts = [
            ",".join(
                escape(v) for v in draw(st.lists(text, min_size=1, max_size=1 if legacy else 2))
            )
            for _ in range(5)
        ]
        lines.append(CardLine(None, "N", (), ";".join(parts)))
    if draw(st.booleans()):
        units = draw(st.lists(text, min_size=1, max_size=3))
        lines.append(CardLine(None, "ORG", (), ";".join(escape(u) for u in units)))
    groups = iter(draw(st.lists(_GROUP_NAMES, min_size=8, max_size=8, unique_by=str.upper)))
    for _ in range(draw(st.integers(1, 3))):
        params: list[tuple[str | None, tuple[str, ...]]] = []
        for t in draw(_TEL_TYPES):
            params.append((None, (t,)) if legacy else ("TYPE", (t,)))
        if draw(st.booleans()):
            params.append(("waid", (draw(_WAIDS),)))
        params += x_param()
        grouped = draw(st.booleans())
        group = next(groups) if grouped else None
        lines.append(CardLine(group, "TEL", tuple(params), draw(raw)))
        if grouped:
            lines.append(CardLine(group, "X-ABLabel", (), single(draw(text))))
    if draw(st.booleans()):
        types = tuple(draw(_EMAIL_TYPES))
        params = [("TYPE", types)] if types else []
        group = next(groups) if draw(st.booleans()) else None
        lines.append(CardLine(group, "EMAIL", (*params, *x_param()), draw(raw)))
    for _ in range(draw(st.integers(0, 3))):
        group = next(groups) if draw(st.booleans()) else None
        lines.append(CardLine(group, draw(_EXTRA_NAMES), tuple(x_param()), single(draw(text))))
    if draw(st.booleans()):
        group = next(groups)
        street = draw(text)
        params = [("TYPE", ("HOME",)), *x_param()]
        lines.append(CardLine(group, "ADR", tuple(params), f";;{escape(street)};;;;"))
        lines.append(CardLine(group, "X-ABADR", (), draw(st.sampled_from(["eg", "de", "us"]))))
    if draw(st.booleans()):
        lines.append(CardLine(None, "URL", tuple(x_param()), draw(raw)))
    for name in draw(st.lists(st.sampled_from(["N", "FN", "ORG", "TITLE", "NOTE"]), max_size=2)):
        # A property the card already has (or not): the second one has no field.
        if name in ("N", "ORG"):
            count = 5 if name == "N" else draw(st.integers(1, 3))
            value = ";".join(
                escape(v) for v in draw(st.lists(text, min_size=count, max_size=count))
            )
        else:
            value = single(draw(text))
        lines.append(CardLine(None, name, (), value))
    return lines


def vcards(version: str = "3.0") -> st.SearchStrategy[str]:
    """Whole card texts (CRLF line ends, unfolded) of :func:`card_lines`."""

    def render(lines: list[CardLine]) -> str:
        body = [line.text() for line in lines]
        return "\r\n".join(["BEGIN:VCARD", f"VERSION:{version}", *body, "END:VCARD", ""])

    return card_lines(version).map(render)
