"""The values every strategy draws from: texts, raw values, parameters, groups, extras."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final, NamedTuple

from hypothesis import strategies as st

# Characters docs/design.md "Control characters" says no 3.0 value can carry:
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
# Unicode's line separators (NEL, LS, PS): text carries them; the values that
# are not text, TYPE and waid do not, as they carry no line break
# (docs/rules/VC117.md).
_SEPARATORS: Final = "\x85\u2028\u2029"
# Values that are not text (TEL, EMAIL, URL, BDAY) carry no control character
# at all, TAB and LF included (docs/design.md "The canonical card"), nor a line
# separator; the other C1 controls (U+0080 to U+009F) are not C0, and UTF-8
# carries them.
_RAW_CHAR: Final = st.characters(
    exclude_categories=["Cs"], exclude_characters=_C0_AND_DEL + "\t\n" + _SEPARATORS
)
# A parameter value is written bare or in double quotes; it may not hold a
# DQUOTE or a control character (RFC 2425 §5.8.2 QSAFE-CHAR), nor a line
# separator.
_PARAM_CHAR: Final = st.characters(
    exclude_categories=["Cs"], exclude_characters=_C0_AND_DEL + '\t\n"' + _SEPARATORS
)


def _pieces(alphabet: st.SearchStrategy[str], pieces: Sequence[str]) -> st.SearchStrategy[str]:
    # Few, short fragments: each character is a draw, and draws are what a
    # property test spends its time on.
    fragment = st.one_of(st.sampled_from(pieces), st.text(alphabet, min_size=1, max_size=6))
    return st.lists(fragment, min_size=1, max_size=4).map("".join)


# Strategies are built once, at import: building one (from_regex above all)
# costs more than drawing from it.
_TEXTS: Final = _pieces(_TEXT_CHAR, _TEXT_PIECES)
_RAW_PIECES: Final = tuple(p for p in _TEXT_PIECES if not any(c in p for c in "\t\n" + _SEPARATORS))
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
    """Non-empty values for TEL, EMAIL, URL, BDAY: no control character or line separator."""
    return _RAW_VALUES


def parameter_values() -> st.SearchStrategy[str]:
    """Non-empty parameter values (``waid``, ``type``): no ``"``, control character or
    line separator."""
    return _PARAMETER_VALUES


def group_names() -> st.SearchStrategy[str]:
    """Group names, RFC 2425 §5.8.2 ``1*(ALPHA / DIGIT / "-")``: Apple's ``itemN`` or other."""
    return _GROUP_NAMES


_BARE_SAFE_RE: Final = re.compile(r"[;:,]")


def _format_parameter_value(value: str) -> str:
    # docs/design.md "Parameter values": bare unless it holds ";" ":" ",", then quoted.
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
# character but TAB (docs/design.md "Extra properties").
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
