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
)

_TEXT_CHAR: Final = st.characters(exclude_categories=["Cs"], exclude_characters=_C0_AND_DEL)
# Values that are not text (TEL, EMAIL, URL, BDAY) carry no control character
# at all, TAB and LF included (DESIGN.md, "The canonical card").
_RAW_CHAR: Final = st.characters(exclude_categories=("Cs", "Cc"))
# A parameter value is written bare or in double quotes; it may not hold a
# DQUOTE or a control character (RFC 2425 §5.8.2 QSAFE-CHAR).
_PARAM_CHAR: Final = st.characters(exclude_categories=("Cs", "Cc"), exclude_characters='"')


def _pieces(alphabet: st.SearchStrategy[str], pieces: Sequence[str]) -> st.SearchStrategy[str]:
    fragment = st.one_of(st.sampled_from(pieces), st.text(alphabet, min_size=1, max_size=12))
    return st.lists(fragment, min_size=1, max_size=6).map("".join)


def texts() -> st.SearchStrategy[str]:
    """Non-empty text a text value can carry: anything but C0 (less TAB, LF), DEL, CR."""
    return _pieces(_TEXT_CHAR, _TEXT_PIECES)


_RAW_PIECES: Final = tuple(p for p in _TEXT_PIECES if not any(c in p for c in "\t\n\x85"))


def raw_values() -> st.SearchStrategy[str]:
    """Non-empty values for TEL, EMAIL, URL, BDAY: no control character at all."""
    return _pieces(_RAW_CHAR, _RAW_PIECES)


_PARAM_PIECES: Final = tuple(p for p in _RAW_PIECES if '"' not in p)


def parameter_values() -> st.SearchStrategy[str]:
    """Non-empty parameter values (``waid``, ``type``): no ``"``, no control character."""
    return _pieces(_PARAM_CHAR, _PARAM_PIECES)


def group_names() -> st.SearchStrategy[str]:
    """Group names, RFC 2425 §5.8.2 ``1*(ALPHA / DIGIT / "-")``: Apple's ``itemN`` or other."""
    return st.one_of(
        st.integers(1, 30).map(lambda n: f"item{n}"),
        st.from_regex(r"[A-Za-z0-9-]{1,8}", fullmatch=True),
    )


def _x_names() -> st.SearchStrategy[str]:
    return st.from_regex(r"[Xx]-[A-Za-z0-9-]{1,10}", fullmatch=True)


_BARE_SAFE_RE: Final = re.compile(r"[;:,]")


def _format_parameter_value(value: str) -> str:
    # DESIGN.md "Parameter values": bare unless it holds ";" ":" ",", then quoted.
    return f'"{value}"' if _BARE_SAFE_RE.search(value) else value


def _parameter_strings() -> st.SearchStrategy[str]:
    """``NAME=value`` strings for ``parameters``: X- names, values spelled canonically.

    A value may be empty, several values are a comma list (RFC 2425 §5.8.2).
    """
    value = st.one_of(st.just(""), parameter_values())
    return st.builds(
        lambda name, values: f"{name}={','.join(_format_parameter_value(v) for v in values)}",
        _x_names(),
        st.lists(value, min_size=1, max_size=3),
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
    _x_names().filter(lambda n: n.upper() != "X-ABADR"),
)


def _extra_value() -> st.SearchStrategy[str]:
    # An extra property is written as it is: one content line, so no control
    # character but TAB (DESIGN.md "Extra properties").
    char = st.characters(exclude_categories=["Cs"], exclude_characters=_C0_AND_DEL + "\n")
    pieces = tuple(p for p in _TEXT_PIECES if "\n" not in p and "\x85" not in p)
    return st.one_of(st.just(""), _pieces(char, pieces))


@st.composite
def _extra_line(draw: st.DrawFn, group: str | None) -> str:
    name = draw(_EXTRA_NAMES)
    params = draw(
        st.lists(
            st.one_of(
                _parameter_strings(),
                parameter_values().map(lambda v: "TYPE=" + _format_parameter_value(v)),
            ),
            max_size=2,
        )
    )
    head = f"{group}.{name}" if group else name
    return head + "".join(";" + p for p in params) + ":" + draw(_extra_value())


class _Strategies(NamedTuple):
    text: st.SearchStrategy[str]
    raw: st.SearchStrategy[str]
    param: st.SearchStrategy[str]


_CANONICAL: Final = _Strategies(texts(), raw_values(), parameter_values())


def _opt(draw: st.DrawFn, strategy: st.SearchStrategy[str], p: float = 0.5) -> str | None:
    return draw(strategy) if _chance(draw, p) else None


def _chance(draw: st.DrawFn, p: float) -> bool:
    """True with probability ``p`` (always when ``p`` is 1), shrinking to False."""
    return p >= 1 or draw(st.integers(0, 99)) >= (1 - p) * 100


@st.composite
def _contact(draw: st.DrawFn, s: _Strategies, *, extras: bool = True) -> Contact:
    used_groups: set[str] = set()

    def group(p: float = 0.3) -> str | None:
        if not _chance(draw, p):
            return None
        name = draw(group_names().filter(lambda g: g.upper() not in used_groups))
        used_groups.add(name.upper())
        return name

    def params() -> tuple[str, ...]:
        return tuple(draw(st.lists(_parameter_strings(), max_size=2)))

    def types(exclude: Callable[[tuple[str, ...]], bool] | None = None) -> tuple[str, ...]:
        common = st.sampled_from(["WORK", "HOME", "CELL", "VOICE", "FAX", "pref", "iPhone"])
        found = draw(st.lists(st.one_of(common, s.param), max_size=3).map(tuple))
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
    for k in range(draw(st.integers(0, 3))):
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
        for _ in range(draw(st.integers(0, 2)))
    ]
    addresses: list[Address] = []
    for _ in range(draw(st.integers(0, 2))):
        parts = [_opt(draw, text, 0.4) for _ in range(7)]
        code = _opt(draw, st.from_regex(r"[A-Z]{2}", fullmatch=True), 0.4)
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
    urls = [Url(draw(s.raw), types(), group(), params()) for _ in range(draw(st.integers(0, 2)))]
    birthday = _opt(
        draw,
        st.one_of(
            st.dates().map(lambda d: d.isoformat()),
            st.dates().map(lambda d: d.strftime("--%m-%d")),
            s.raw,
        ),
        0.3,
    )
    extra_properties: list[str] = []
    if extras:
        items: list[Phone | Email | Address | Url] = [*phones, *emails, *addresses, *urls]
        item_groups = [x.group for x in items if x.group is not None]
        for _ in range(draw(st.integers(0, 4))):
            choice = draw(st.integers(0, 2))
            if choice == 1 and item_groups:
                g: str | None = draw(st.sampled_from(item_groups))
            elif choice == 2:
                g = group(1.0)
            else:
                g = None
            extra_properties.append(draw(_extra_line(g)))
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


@st.composite
def card_lines(draw: st.DrawFn, version: str = "3.0") -> list[CardLine]:
    """The content lines of a card (BEGIN, VERSION and END excluded).

    What other producers write and a lossless reader must keep: unknown X-
    properties, Apple item groups (``item1.TEL`` + ``item1.X-ABLabel``),
    extra parameters, an ORG of three units, 2.1 bare parameters
    (``TEL;CELL``). Values of text properties are escaped for 3.0; a 2.1
    card holds no backslash, where escapes differ (vCard 2.1 §2.1.3).
    """
    legacy = version == "2.1"
    text = texts()
    if legacy:
        text = text.map(lambda t: t.replace("\\", "/"))
    raw = raw_values().map(lambda t: t.replace("\\", "/")) if legacy else raw_values()
    lines: list[CardLine] = []
    full_name = draw(text)
    lines.append(CardLine(None, "FN", (), _escape(full_name)))
    if draw(st.booleans()):
        parts = draw(st.lists(text, min_size=5, max_size=5))
        lines.append(CardLine(None, "N", (), ";".join(_escape(p) for p in parts)))
    if draw(st.booleans()):
        units = draw(st.lists(text, min_size=1, max_size=3))
        lines.append(CardLine(None, "ORG", (), ";".join(_escape(u) for u in units)))
    groups = iter(draw(st.lists(group_names(), min_size=6, max_size=6, unique_by=str.upper)))
    for k in range(draw(st.integers(1, 3))):
        params: list[tuple[str | None, tuple[str, ...]]] = []
        for t in draw(st.lists(st.sampled_from(["CELL", "WORK", "HOME", "VOICE"]), max_size=2)):
            params.append((None, (t,)) if legacy else ("TYPE", (t,)))
        if draw(st.booleans()):
            params.append(("waid", (draw(st.from_regex(r"[1-9][0-9]{6,14}", fullmatch=True)),)))
        if draw(st.booleans()):
            params.append((draw(_x_names()), (draw(parameter_values()),)))
        grouped = draw(st.booleans())
        group = next(groups) if grouped else None
        lines.append(CardLine(group, "TEL", tuple(params), draw(raw)))
        if grouped:
            label = draw(text)
            lines.append(CardLine(group, "X-ABLabel", (), _escape(label)))
        del k
    for _ in range(draw(st.integers(0, 3))):
        name = draw(_EXTRA_NAMES)
        params = []
        if draw(st.booleans()):
            params.append((draw(_x_names()), (draw(parameter_values()),)))
        lines.append(CardLine(None, name, tuple(params), _escape(draw(text))))
    if draw(st.booleans()):
        group = next(groups)
        street = draw(text)
        lines.append(CardLine(group, "ADR", (("TYPE", ("HOME",)),), f";;{_escape(street)};;;;"))
        lines.append(CardLine(group, "X-ABADR", (), draw(st.sampled_from(["eg", "de", "us"]))))
    return lines


def vcards(version: str = "3.0") -> st.SearchStrategy[str]:
    """Whole card texts (CRLF line ends, unfolded) of :func:`card_lines`."""

    def render(lines: list[CardLine]) -> str:
        body = [line.text() for line in lines]
        return "\r\n".join(["BEGIN:VCARD", f"VERSION:{version}", *body, "END:VCARD", ""])

    return card_lines(version).map(render)
