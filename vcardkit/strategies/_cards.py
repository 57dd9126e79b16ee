"""Cards as other producers write them: unknown properties, item groups,
extra parameters, 2.1 bare parameters and QUOTED-PRINTABLE."""

from __future__ import annotations

from typing import Final, NamedTuple

from hypothesis import strategies as st

from vcardkit.strategies._pieces import (
    _EXTRA_NAMES,
    _GROUP_NAMES,
    _PARAMETER_VALUES,
    _RAW_VALUES,
    _TEXTS,
    _X_NAMES,
    _format_parameter_value,
)


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
