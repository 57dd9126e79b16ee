"""What the VC4xx and VC7xx rules need to know about a phone number and a WhatsApp id.

``phonenumbers`` is most of the cost of validation (about 19 µs a number,
docs/design.md "Speed"), so it is imported here, on the
first phone checked, never by ``import vcardkit``; and each number's facts
are computed once per run: a :class:`PhoneMemo`, held by the run's
``Context``, keeps them for every rule that asks (about six rules ask of
each number). It lives as long as the run: a global bounded cache, asked
rule by rule over more numbers than it holds, would evict each number just
before it is asked again and analyse it six times.

The facts follow the rules VC401–VC403 and VC412 (their pages in docs/rules/):

- a phone with no ``+`` is a national number (VC401), completed only when a
  region is given (an unsafe fix);
- a phone with a ``+`` may hold digits, spaces, dashes and brackets, nothing
  else (VC401, with the E.164 form as a safe fix when what else it holds is
  only formatting: dots, slashes, other dashes and spaces, digits of other
  scripts);
- then no country calling code matches (VC403), or phonenumbers says it is
  not a valid number (VC402), or it is valid, and written with separators
  (VC412) or in E.164.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Final

from vcardkit._rules._formats import WHOLE

__all__ = [
    "Kind",
    "PhoneFacts",
    "PhoneMemo",
    "WaidFacts",
    "analyse_phone",
    "analyse_waid",
    "check_region",
    "is_mobile",
    "legitimate_difference",
    "region_name",
]

# docs/rules/VC401.md: besides digits, a phone may hold spaces, dashes and
# brackets (WhatsApp reads them), and one "+" in front.
_SEPARATORS: Final = frozenset(" -()")
_ASCII_DIGITS: Final = frozenset("0123456789")
# What else is only formatting: E.164 can be made from a number holding these
# without guessing (an extension, letters, pauses ";" "," are not).
_FORMATTING: Final = frozenset(
    "./[]\t\u00a0\u2007\u2009\u200a\u202f\u3000\u2010\u2011\u2012\u2013\u2014\u2015\u2212\uff0d"
)
# WhatsApp ids are the digits of the number: 7 to 15 (E.164 allows 15; the
# shortest numbers WhatsApp serves have 7) [U].
WAID_MIN: Final = 7
WAID_MAX: Final = 15
# The JID suffixes WhatsApp's own APIs add to a user id [U]; other JIDs
# (``@g.us`` groups, ``@lid``) are not a phone's id at all.
_JID_SUFFIXES: Final = ("@s.whatsapp.net", "@c.us")


class Kind(enum.Enum):
    """What a phone value is, in the order the VC4xx rules check it."""

    EMPTY = "empty"
    NATIONAL = "national"  # VC401: no "+" and country code
    BAD_CHARACTER = "bad-character"  # VC401: something other than digits and separators
    UNKNOWN_COUNTRY = "unknown-country"  # VC403
    INVALID = "invalid"  # VC402
    VALID = "valid"  # VC412 when written with separators


@dataclass(frozen=True, slots=True)
class PhoneFacts:
    """One phone value, analysed (with the region national numbers are read in)."""

    kind: Kind
    # Index in the value of the first offending character: the bad character
    # (BAD_CHARACTER), the first separator (VALID), else WHOLE (the value).
    index: int = WHOLE
    # E.164 when it is known without guessing (VALID; BAD_CHARACTER made only
    # of formatting), or by a guess the caller marks unsafe (NATIONAL with a
    # region).
    e164: str | None = None
    country_code: int | None = None
    region: str | None = None  # ISO 3166 region, or "001" for non-geographic codes

    @property
    def digits(self) -> str | None:
        """The E.164 digits without ``+``: what a ``waid`` should hold."""
        return self.e164[1:] if self.e164 else None

    @property
    def place(self) -> str:
        """``Egypt (+20)``: the region named in messages (docs/rules/VC402.md)."""
        if self.country_code is None:
            return "no known country"
        return f"{region_name(self.region)} (+{self.country_code})"


@lru_cache(maxsize=1)
def _phonenumbers() -> Any:
    import phonenumbers  # local: only a checked phone pays for it

    return phonenumbers


@lru_cache(maxsize=1)
def _locale_data() -> dict[str, dict[str, str]]:
    """phonenumbers' table of region names, without its 1-second geocoding data.

    ``phonenumbers.geocoder`` (which offers ``country_name_for_number``)
    imports every per-prefix place name on first use; the region names it
    reads are one module of that package, loaded here on its own.
    """
    import importlib.util
    from pathlib import Path

    pn = _phonenumbers()
    path = Path(pn.__file__).parent / "geodata" / "locale.py"
    try:
        spec = importlib.util.spec_from_file_location("phonenumbers.geodata.locale", path)
        if spec is None or spec.loader is None:  # pragma: no cover - layout changed
            return {}
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        data: dict[str, dict[str, str]] = module.LOCALE_DATA
        return data
    except (OSError, ImportError, AttributeError):  # pragma: no cover - layout changed
        return {}


# Codes people write for a region that ISO 3166-1 spells otherwise: the
# United Kingdom is GB (UK is only "exceptionally reserved"), Greece is GR
# (EL is the EU's code).
_NOT_ISO: Final = {"UK": "GB", "EL": "GR"}


def check_region(region: object, what: str = "region") -> str | None:
    """``region`` as the upper-case code national numbers are read in, or ``None``.

    A region is an ISO 3166-1 alpha-2 code that phonenumbers has numbering
    data for (``phonenumbers.SUPPORTED_REGIONS``), in any case: anything
    else would read every national number as invalid, silently. A value
    that is not a string is a ``TypeError``; a string that is not such a
    code a ``ValueError`` naming ``what`` and the accepted codes.
    """
    if region is None:
        return None
    if not isinstance(region, str):
        raise TypeError(f"{what}: expected a region code (str), not {type(region).__name__}")
    upper = region.upper()
    supported: frozenset[str] = frozenset(_phonenumbers().SUPPORTED_REGIONS)
    if upper in supported:
        return upper
    iso = _NOT_ISO.get(upper)
    if iso is not None:
        raise ValueError(
            f"{what}: {region!r} is not an ISO 3166-1 alpha-2 code; use {iso!r} "
            f"({region_name(iso)})"
        )
    shape = (
        "a region phonenumbers knows"
        if len(region) == 2 and region.isascii() and region.isalpha()
        else "a two-letter region code"
    )
    raise ValueError(
        f"{what}: {region!r} is not {shape}; use an ISO 3166-1 alpha-2 code phonenumbers "
        f"knows: {', '.join(sorted(supported))}"
    )


def region_name(region: str | None) -> str:
    """The English name of an ISO 3166 region (``EG`` -> ``Egypt``)."""
    if region is None or region == "ZZ":
        return "an unknown region"
    if region == "001":
        return "international services"
    names = _locale_data().get(region, {})
    name = names.get("en", "")
    if name.startswith("*"):  # "*aa": the name is held under another language
        name = names.get(name[1:], "")
    return name or region


def _country_code(digits: str) -> int | None:
    """The country calling code the digits start with (codes are prefix-free)."""
    known = _phonenumbers().COUNTRY_CODE_TO_REGION_CODE
    if digits.startswith("0"):  # no calling code starts with 0 ("+01" is not +1)
        return None
    for length in (1, 2, 3):
        if len(digits) >= length and int(digits[:length]) in known:
            return int(digits[:length])
    return None


def _region_of(pn: Any, number: Any, country_code: int) -> str | None:
    """The number's region, else the only or main region of its country code."""
    region = pn.region_code_for_number(number) if number is not None else None
    if region and region != "ZZ":
        return str(region)
    main = pn.region_code_for_country_code(country_code)
    return str(main) if main and main != "ZZ" else None


@lru_cache(maxsize=4096)
def is_mobile(e164: str) -> bool:
    """phonenumbers says MOBILE or FIXED_LINE_OR_MOBILE (asked only by VC406's fix)."""
    pn = _phonenumbers()
    kind = pn.number_type(pn.parse(e164, None))
    return bool(kind in (pn.PhoneNumberType.MOBILE, pn.PhoneNumberType.FIXED_LINE_OR_MOBILE))


def _parse(text: str, region: str | None) -> Any:
    """A valid PhoneNumber without an extension, or None."""
    pn = _phonenumbers()
    try:
        number = pn.parse(text, region)
    except pn.NumberParseException:
        return None
    if number.extension or not pn.is_valid_number(number):
        return None
    return number


def _e164(number: Any) -> str:
    pn = _phonenumbers()
    return str(pn.format_number(number, pn.PhoneNumberFormat.E164))


def analyse_phone(text: str, region: str | None = None) -> PhoneFacts:
    """The facts of one phone value (rules ask the run's :class:`PhoneMemo`)."""
    start = len(text) - len(text.lstrip(" "))
    if start == len(text):
        return PhoneFacts(Kind.EMPTY)
    if "+" not in text:
        # Completing a national number is a guess (an unsafe fix); letters
        # (a vanity number) make it more of one: not offered then.
        plain = all(c in _ASCII_DIGITS or c in _SEPARATORS or c in _FORMATTING for c in text)
        number = _parse(text, region) if region and plain else None
        if number is None:
            return PhoneFacts(Kind.NATIONAL)
        return PhoneFacts(
            Kind.NATIONAL,
            e164=_e164(number),
            country_code=number.country_code,
            region=_region_of(_phonenumbers(), number, number.country_code),
        )
    plus = start if text[start] == "+" else -1
    for i, char in enumerate(text):
        if i == plus or char in _ASCII_DIGITS or char in _SEPARATORS:
            continue
        # Not E.164. The E.164 form is a safe fix only when all that is in
        # the way is formatting, and the number is valid.
        e164 = None
        rest = (c for k, c in enumerate(text) if k != plus)
        if plus >= 0 and all(c in _SEPARATORS or c in _FORMATTING or c.isdecimal() for c in rest):
            number = _parse(text, None)
            if number is not None:
                e164 = _e164(number)
        return PhoneFacts(Kind.BAD_CHARACTER, i, e164)
    digits = "".join(c for c in text if c in _ASCII_DIGITS)
    code = _country_code(digits)
    if code is None:
        return PhoneFacts(Kind.UNKNOWN_COUNTRY)
    pn = _phonenumbers()
    try:
        number = pn.parse("+" + digits, None)
    except pn.NumberParseException:
        number = None
    if number is None or not pn.is_valid_number(number):
        return PhoneFacts(Kind.INVALID, country_code=code, region=_region_of(pn, number, code))
    separator = next((i for i, c in enumerate(text) if c in _SEPARATORS), WHOLE)
    return PhoneFacts(
        Kind.VALID,
        separator,
        _e164(number),
        code,
        _region_of(pn, number, code),
    )


@dataclass(frozen=True, slots=True)
class WaidFacts:
    """One WhatsApp id: what is wrong with it (None: 7–15 digits), where, its digits."""

    problem: str | None
    index: int = WHOLE  # the offending character, or WHOLE: the id
    digits: str | None = None  # the id's digits when they can be read without guessing


def analyse_waid(text: str) -> WaidFacts:
    """docs/rules/VC404.md: 7–15 ASCII digits; no ``+``, spaces or JID suffix."""
    if text.isascii() and text.isdigit() and WAID_MIN <= len(text) <= WAID_MAX:
        return WaidFacts(None, WHOLE, text)
    if not text.strip():
        return WaidFacts("is empty")
    body = text
    lowered = text.lower()
    for suffix in _JID_SUFFIXES:
        if lowered.endswith(suffix):
            body = text[: -len(suffix)]
            break
    cleaned = "".join(c for c in body if c not in "+ \t-()")
    digits = (
        cleaned
        if cleaned.isascii() and cleaned.isdigit() and WAID_MIN <= len(cleaned) <= WAID_MAX
        else None
    )
    for i, char in enumerate(text):
        if char in _ASCII_DIGITS:
            continue
        if char == "+":
            why = 'starts with "+"' if i == 0 else 'holds a "+"'
        elif char.isspace():
            why = "holds white space"
        elif char == "@" and body is not text and i == len(body):
            why = f"ends in the JID suffix {text[i:]!r}"
        elif char == "@":
            why = f"is a JID ({text[i:]!r}), not a phone's WhatsApp id"
            digits = None
        else:
            why = f"holds {char!r}"
        return WaidFacts(why + "; it must be 7 to 15 digits", i, digits)
    count = len(text)
    return WaidFacts(
        f"has {count} digit{'s' if count != 1 else ''}; it must have 7 to 15", WHOLE, None
    )


GENERATION: Final = 1 << 12


class PhoneMemo:
    """Each phone and WhatsApp id of a run analysed once, whichever rules ask.

    Owned by the run (``Context.phones``; the lint command shares one across
    its files). Bounded, so that a stream of a million distinct numbers
    does not hold a million analyses: two generations of at most
    :data:`GENERATION` entries each; when the young one is full it becomes
    the old one and the old one is dropped. A number met again within the
    last 4,096 distinct ones is never analysed twice, and there is no
    cliff where a working set slightly too large misses every time.
    """

    __slots__ = ("_old_phones", "_old_waids", "_phones", "_waids")

    def __init__(self) -> None:
        self._phones: dict[tuple[str, str | None], PhoneFacts] = {}
        self._old_phones: dict[tuple[str, str | None], PhoneFacts] = {}
        self._waids: dict[str, WaidFacts] = {}
        self._old_waids: dict[str, WaidFacts] = {}

    def phone(self, text: str, region: str | None = None) -> PhoneFacts:
        key = (text, region)
        facts = self._phones.get(key)
        if facts is None:
            facts = self._old_phones.get(key) or analyse_phone(text, region)
            self._phones[key] = facts
            if len(self._phones) > GENERATION:
                self._old_phones, self._phones = self._phones, {}
        return facts

    def waid(self, text: str) -> WaidFacts:
        facts = self._waids.get(text)
        if facts is None:
            facts = self._old_waids.get(text) or analyse_waid(text)
            self._waids[text] = facts
            if len(self._waids) > GENERATION:
                self._old_waids, self._waids = self._waids, {}
        return facts

    def __len__(self) -> int:
        return len(self._phones) + len(self._old_phones) + len(self._waids) + len(self._old_waids)

    def __repr__(self) -> str:
        return f"PhoneMemo({len(self)} entries)"


def legitimate_difference(phone: str, waid: str) -> str | None:
    """Why a waid may differ from the phone's digits, or None (docs/rules/VC405.md).

    - Brazil (+55) added a ninth digit, 9, in front of mobile numbers
      (2012–2016); WhatsApp kept the ids of accounts made before without it.
    - Mexico (+52) dropped the mobile prefix 1 after the country code in
      2019; WhatsApp ids of Mexican mobiles keep it (521…).
    - Argentina (+54) dials mobiles from abroad with a 9 after the country
      code (549…); a phone written without it is the same line.
    """
    for code, infix, what in (
        ("55", "9", "Brazil's ninth digit"),
        ("52", "1", "Mexico's mobile prefix 1 (521)"),
        ("54", "9", "Argentina's mobile prefix 9 (549)"),
    ):
        if not (phone.startswith(code) and waid.startswith(code)):
            continue
        longer, shorter = (phone, waid) if len(phone) > len(waid) else (waid, phone)
        if len(longer) != len(shorter) + 1:
            continue
        # Brazil: the 9 follows the two-digit area code; Mexico and
        # Argentina: it follows the country code.
        at = len(code) + (2 if code == "55" else 0)
        if longer[at] == infix and longer[:at] + longer[at + 1 :] == shorter:
            return f"{'with' if longer is waid else 'without'} {what}"
    return None
