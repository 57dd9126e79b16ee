"""Value grammars the VC3xx rules check against, as named fragments under their ABNF.

Written the way h11 writes HTTP's grammar (STYLE.md): each fragment sits under
the ABNF line of the RFC it implements, and every departure from the RFC says
why, so a reviewer can check them line by line. Pure functions on strings;
the rules in :mod:`vcardkit._rules._values` decide where a fault points.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Final

__all__ = [
    "BASE64_CHAR_RE",
    "LANGUAGE_TAG_RE",
    "WHOLE",
    "base64_fault",
    "date_30",
    "date_40",
    "date_time_30",
    "json_birthday",
    "no_year_date",
    "uri_fault",
]


# Days in each month of a common year. The calendar module would say the same
# (proleptic Gregorian), but importing it pulls in datetime and locale: a few
# milliseconds of every `vcardkit lint` start-up, for one lookup.
_MONTH_DAYS: Final = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _valid_day(year: int, month: int, day: int) -> bool:
    if not 1 <= month <= 12:
        return False
    leap = month == 2 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    return 1 <= day <= _MONTH_DAYS[month - 1] + leap


# ---------------------------------------------------------------------------
# Dates: RFC 2425 §5.8.4 (the value types vCard 3.0 uses, RFC 2426 §3.1.5)
#
#   date          = date-fullyear ["-"] date-month ["-"] date-mday
#   date-fullyear = 4 DIGIT
#   date-month    = 2 DIGIT     ;01-12
#   date-mday     = 2 DIGIT     ;01-28, 01-29, 01-30, 01-31 based on month/year
#
# The ABNF lets the two "-" come and go independently ("1996-0415"); that is
# neither ISO 8601 form (RFC 2425 cites ISO 8601), so only the basic form
# (19960415) and the extended form (1996-04-15) are taken (docs/rules/VC306.md).
DATE_FULLYEAR: Final = r"(?P<year>[0-9]{4})"
DATE_MONTH: Final = r"(?P<month>[0-9]{2})"
DATE_MDAY: Final = r"(?P<day>[0-9]{2})"
# The second "-" is there exactly when the first is (a back-reference).
DATE_30: Final = rf"{DATE_FULLYEAR}(?P<dash>-?){DATE_MONTH}(?P=dash){DATE_MDAY}"
#   time          = time-hour [":"] time-minute [":"] time-second [time-secfrac]
#                   [time-zone]
#   time-hour     = 2 DIGIT     ;00-23
#   time-minute   = 2 DIGIT     ;00-59
#   time-second   = 2 DIGIT     ;00-60 (leap second)
#   time-secfrac  = "," 1*DIGIT
#   time-zone     = "Z" / time-numzone
#   time-numzone  = sign time-hour [":"] time-minute
#   date-time     = date "T" time
#
# Departures, as for dates: the two ":" come together or not at all (ISO
# 8601's extended and basic forms); "." is taken for the fraction as well as
# "," (ISO 8601 allows both, and writers use ".").
TIME_HOUR: Final = r"(?:[01][0-9]|2[0-3])"
TIME_MINUTE: Final = r"[0-5][0-9]"
TIME_SECOND: Final = r"(?:[0-5][0-9]|60)"
TIME_SECFRAC: Final = r"[,.][0-9]+"
TIME_ZONE: Final = rf"(?:Z|[+-]{TIME_HOUR}:?{TIME_MINUTE})"
TIME_30: Final = (
    rf"{TIME_HOUR}(?P<colon>:?){TIME_MINUTE}(?P=colon){TIME_SECOND}"
    rf"(?:{TIME_SECFRAC})?{TIME_ZONE}?"
)
_DATE_30_RE: Final = re.compile(DATE_30)
_DATE_TIME_30_RE: Final = re.compile(rf"{DATE_30}T{TIME_30}")


def _calendar_ok(m: re.Match[str]) -> bool:
    return _valid_day(int(m.group("year")), int(m.group("month")), int(m.group("day")))


def date_30(value: str) -> bool:
    """A vCard 3.0 date (``1996-04-15`` or ``19960415``) that is a day of the calendar."""
    m = _DATE_30_RE.fullmatch(value)
    return m is not None and _calendar_ok(m)


def date_time_30(value: str) -> bool:
    """A vCard 3.0 date-time (``1953-10-15T23:10:00Z``), its date a day of the calendar."""
    m = _DATE_TIME_30_RE.fullmatch(value)
    return m is not None and _calendar_ok(m)


# The vCard 4.0 forms without a year (RFC 6350 §4.3.1: "--" month day, basic
# format) and the extended spelling writers use ("--04-15", ISO 8601:2000).
_NO_YEAR_RE: Final = re.compile(r"--(?P<month>[0-9]{2})-?(?P<day>[0-9]{2})")


def no_year_date(value: str) -> tuple[str, str] | None:
    """(month, day) of ``--MM-DD`` or ``--MMDD`` when that day exists (in a leap year)."""
    m = _NO_YEAR_RE.fullmatch(value)
    if m is None or not _valid_day(2000, int(m.group("month")), int(m.group("day"))):
        return None
    return m.group("month"), m.group("day")


# RFC 6350 §4.3 (vCard 4.0), basic format:
#   year  = 4DIGIT  ; 0000-9999
#   month = 2DIGIT  ; 01-12
#   day   = 2DIGIT  ; 01-28/29/30/31
#   date  = year    [month  day] / year "-" month / "--"     month [day]
#         / "--"      "-"   day
#   date-noreduc = year month day / "--" month day / "---" day
#   time  = hour [minute [second]] [zone] / "-"  minute [second] [zone]
#         / "-"  "-"    second [zone]
#   time-notrunc = hour [minute [second]] [zone]
#   date-time = date-noreduc  "T" time-notrunc
#   date-and-or-time = date-time / date / "T" time
#   zone  = utc-designator / utc-offset ; utc-offset = sign hour [minute]
_H: Final = r"(?:[01][0-9]|2[0-3])"
_M: Final = r"[0-5][0-9]"
_S: Final = r"(?:[0-5][0-9]|60)"
_ZONE_40: Final = rf"(?:Z|[+-]{_H}(?:{_M})?)"
_DATE_40: Final = (
    r"(?:[0-9]{4}(?:(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01]))?"
    r"|[0-9]{4}-(?:0[1-9]|1[0-2])"
    r"|--(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])?"
    r"|---(?:0[1-9]|[12][0-9]|3[01]))"
)
_DATE_NOREDUC_40: Final = (
    r"(?:[0-9]{4}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])"
    r"|--(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])"
    r"|---(?:0[1-9]|[12][0-9]|3[01]))"
)
_TIME_40: Final = (
    rf"(?:{_H}(?:{_M}(?:{_S})?)?{_ZONE_40}?|-{_M}(?:{_S})?{_ZONE_40}?|--{_S}{_ZONE_40}?)"
)
_TIME_NOTRUNC_40: Final = rf"{_H}(?:{_M}(?:{_S})?)?{_ZONE_40}?"
_DATE_AND_OR_TIME_40_RE: Final = re.compile(
    rf"{_DATE_NOREDUC_40}T{_TIME_NOTRUNC_40}|{_DATE_40}|T{_TIME_40}"
)


def date_40(value: str) -> bool:
    """A vCard 4.0 date-and-or-time (RFC 6350 §4.3.4), or a 3.0 date or date-time.

    4.0 cards are read, and reported (VC202); the 3.0 spellings they often
    carry are taken too, since conversion writes them as they are.
    """
    return (
        _DATE_AND_OR_TIME_40_RE.fullmatch(value) is not None
        or date_30(value)
        or date_time_30(value)
    )


# docs/design.md "The JSON contact": `birthday` is YYYY-MM-DD, or --MM-DD with no year.
_JSON_BIRTHDAY_RE: Final = re.compile(r"(?P<year>[0-9]{4})-(?P<month>[0-9]{2})-(?P<day>[0-9]{2})")


def json_birthday(value: str) -> bool:
    """``YYYY-MM-DD`` or ``--MM-DD``, a day of the calendar."""
    m = _JSON_BIRTHDAY_RE.fullmatch(value)
    if m is not None:
        return _valid_day(int(m.group("year")), int(m.group("month")), int(m.group("day")))
    return value.startswith("--") and len(value) == 7 and no_year_date(value) is not None


# ---------------------------------------------------------------------------
# Language tags: RFC 5646 §2.1 (BCP 47), which obsoletes RFC 1766 that RFC
# 2426 cites for LANGUAGE. Well-formed means matching this ABNF; validity
# (registered subtags, no repeated variants) needs the IANA registry and is
# not checked. Case-insensitive (§2.1.1).
#
#   alphanum      = (ALPHA / DIGIT)
#   singleton     = DIGIT / %x41-57 / %x59-5A / %x61-77 / %x79-7A  ; not "x"
#   extlang       = 3ALPHA *2("-" 3ALPHA)
#   language      = 2*3ALPHA ["-" extlang] / 4ALPHA / 5*8ALPHA
#   script        = 4ALPHA
#   region        = 2ALPHA / 3DIGIT
#   variant       = 5*8alphanum / (DIGIT 3alphanum)
#   extension     = singleton 1*("-" (2*8alphanum))
#   privateuse    = "x" 1*("-" (1*8alphanum))
#   langtag       = language ["-" script] ["-" region] *("-" variant)
#                   *("-" extension) ["-" privateuse]
#   irregular     = "en-GB-oed" / "i-ami" / "i-bnn" / "i-default" / "i-enochian"
#                 / "i-hak" / "i-klingon" / "i-lux" / "i-mingo" / "i-navajo"
#                 / "i-pwn" / "i-tao" / "i-tay" / "i-tsu" / "sgn-BE-FR"
#                 / "sgn-BE-NL" / "sgn-CH-DE"
#   regular       = "art-lojban" / "cel-gaulish" / "no-bok" / "no-nyn"
#                 / "zh-guoyu" / "zh-hakka" / "zh-min" / "zh-min-nan" / "zh-xiang"
#   Language-Tag  = langtag / privateuse / grandfathered
ALPHANUM: Final = r"[A-Za-z0-9]"
SINGLETON: Final = r"[0-9A-WY-Za-wy-z]"
EXTLANG: Final = r"[A-Za-z]{3}(?:-[A-Za-z]{3}){0,2}"
LANGUAGE: Final = rf"(?:[A-Za-z]{{2,3}}(?:-{EXTLANG})?|[A-Za-z]{{4}}|[A-Za-z]{{5,8}})"
SCRIPT: Final = r"[A-Za-z]{4}"
REGION: Final = r"(?:[A-Za-z]{2}|[0-9]{3})"
VARIANT: Final = rf"(?:{ALPHANUM}{{5,8}}|[0-9]{ALPHANUM}{{3}})"
EXTENSION: Final = rf"{SINGLETON}(?:-{ALPHANUM}{{2,8}})+"
PRIVATEUSE: Final = rf"[xX](?:-{ALPHANUM}{{1,8}})+"
LANGTAG: Final = (
    rf"{LANGUAGE}(?:-{SCRIPT})?(?:-{REGION})?(?:-{VARIANT})*(?:-{EXTENSION})*(?:-{PRIVATEUSE})?"
)
IRREGULAR: Final = (
    r"en-GB-oed|i-ami|i-bnn|i-default|i-enochian|i-hak|i-klingon|i-lux|i-mingo"
    r"|i-navajo|i-pwn|i-tao|i-tay|i-tsu|sgn-BE-FR|sgn-BE-NL|sgn-CH-DE"
)
REGULAR: Final = (
    r"art-lojban|cel-gaulish|no-bok|no-nyn|zh-guoyu|zh-hakka|zh-min|zh-min-nan|zh-xiang"
)
LANGUAGE_TAG_RE: Final = re.compile(rf"(?:{LANGTAG}|{PRIVATEUSE}|(?i:{IRREGULAR}|{REGULAR}))")


# ---------------------------------------------------------------------------
# URIs: RFC 3986 §3 and Appendix A.
#
#   URI           = scheme ":" hier-part [ "?" query ] [ "#" fragment ]
#   scheme        = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )
#   hier-part     = "//" authority path-abempty
#                 / path-absolute / path-rootless / path-empty
#   authority     = [ userinfo "@" ] host [ ":" port ]
#   userinfo      = *( unreserved / pct-encoded / sub-delims / ":" )
#   host          = IP-literal / IPv4address / reg-name
#   IP-literal    = "[" ( IPv6address / IPvFuture  ) "]"
#   IPvFuture     = "v" 1*HEXDIG "." 1*( unreserved / sub-delims / ":" )
#   reg-name      = *( unreserved / pct-encoded / sub-delims )
#   port          = *DIGIT
#   path-abempty  = *( "/" segment )
#   path-absolute = "/" [ segment-nz *( "/" segment ) ]
#   path-rootless = segment-nz *( "/" segment )
#   segment       = *pchar
#   pchar         = unreserved / pct-encoded / sub-delims / ":" / "@"
#   query         = *( pchar / "/" / "?" )
#   fragment      = *( pchar / "/" / "?" )
#   pct-encoded   = "%" HEXDIG HEXDIG
#   unreserved    = ALPHA / DIGIT / "-" / "." / "_" / "~"
#   sub-delims    = "!" / "$" / "&" / "'" / "(" / ")" / "*" / "+" / "," / ";" / "="
#
# Why a grammar here rather than a library: urllib.parse is well kept but
# checks nothing (it splits "http://exa mple.com" without complaint), and
# rfc3986 (no release since 2022) would be a dependency for one yes/no that
# cannot say which character is at fault; the diagnostic must be at the
# first offending character (docs/rules/index.md "Where a diagnostic points"),
# which a scan against these classes gives.
#
# Departure: characters outside ASCII are taken where "unreserved" is (RFC
# 3987's IRIs, ucschar): vCard 3.0 text is UTF-8, and readers open
# internationalized links; refusing them would report every non-Latin URL.
# An IPv6address is checked by the ipaddress module rather than spelt out.
SCHEME: Final = r"[A-Za-z][A-Za-z0-9+.-]*"
# Character classes are written out whole (one class, not an alternation of
# classes) so that the repetitions below do not backtrack.
_UNRESERVED: Final = r"A-Za-z0-9\-._~\u0080-\U0010ffff"
_SUB_DELIMS: Final = r"!$&'()*+,;="
PCT_ENCODED: Final = r"%[0-9A-Fa-f]{2}"
PCHAR: Final = rf"(?:[{_UNRESERVED}{_SUB_DELIMS}:@]|{PCT_ENCODED})"
USERINFO: Final = rf"(?:[{_UNRESERVED}{_SUB_DELIMS}:]|{PCT_ENCODED})*"
IP_LITERAL: Final = (
    rf"\[(?:(?P<ipv6>[0-9A-Fa-f:.]+)|[vV][0-9A-Fa-f]+\.[{_UNRESERVED}{_SUB_DELIMS}:]+)\]"
)
REG_NAME: Final = rf"(?:[{_UNRESERVED}{_SUB_DELIMS}]|{PCT_ENCODED})*"
HOST: Final = rf"(?P<host>{IP_LITERAL}|{REG_NAME})"
PORT: Final = r"[0-9]*"
AUTHORITY: Final = rf"(?:{USERINFO}@)?{HOST}(?::{PORT})?"
SEGMENT: Final = rf"{PCHAR}*"
SEGMENT_NZ: Final = rf"{PCHAR}+"
PATH_ABEMPTY: Final = rf"(?:/{SEGMENT})*"
PATH_ABSOLUTE: Final = rf"/(?:{SEGMENT_NZ}(?:/{SEGMENT})*)?"
PATH_ROOTLESS: Final = rf"{SEGMENT_NZ}(?:/{SEGMENT})*"
HIER_PART: Final = rf"(?://{AUTHORITY}{PATH_ABEMPTY}|{PATH_ABSOLUTE}|{PATH_ROOTLESS}|)"
QUERY: Final = rf"(?:[{_UNRESERVED}{_SUB_DELIMS}:@/?]|{PCT_ENCODED})*"
FRAGMENT: Final = QUERY
URI: Final = rf"(?P<scheme>{SCHEME}):{HIER_PART}(?:\?{QUERY})?(?:#{FRAGMENT})?"
_SCHEME_RE: Final = re.compile(rf"{SCHEME}:")
# A character that may appear somewhere in a URI (gen-delims, sub-delims,
# unreserved, "%"), for pointing at the first one that may not.
_URI_CHAR: Final = rf"[{_UNRESERVED}{_SUB_DELIMS}:/?\[\]@]+|{PCT_ENCODED}"


@cache
def _uri_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The URI and URI-character patterns, compiled on first use.

    Their IRI character classes take about 25 ms to compile: a run that
    checks no URL (and the start-up of a one-card lint) should not pay it.
    """
    return re.compile(URI, re.DOTALL), re.compile(_URI_CHAR)


# The index a fault of a whole value points at: not a character of it (a
# diagnostic's span is then the value, not its first character).
WHOLE: Final = -1

# Schemes whose URIs need a host (RFC 9110 §4.2.1, §4.2.2: "A sender MUST
# NOT generate an "http" URI with an empty host identifier").
_HOST_REQUIRED: Final = frozenset({"http", "https", "ftp", "ws", "wss"})


def uri_fault(value: str) -> tuple[int, str] | None:
    """Why ``value`` is not an absolute URI, and the index it points at (:data:`WHOLE`:
    the whole value); ``None`` if it is."""
    if not value:
        return WHOLE, "it is empty"
    if _SCHEME_RE.match(value) is None:
        backslash = value.find("\\")
        if 0 < backslash < value.find(":"):
            # Apple writes "http\://" (a text escape where none belongs).
            return backslash, "'\\' may not appear in a URI (write ':' unescaped)"
        return WHOLE, "it has no scheme (such as https:)"
    pos = value.index(":") + 1
    fragment_seen = False
    while pos < len(value):
        char = value[pos]
        if char == "#":
            if fragment_seen:
                return pos, "a second '#' (a fragment holds no '#')"
            fragment_seen = True
            pos += 1
            continue
        m = _uri_patterns()[1].match(value, pos)
        if m is None:
            if char == "%":
                return pos, "'%' is not followed by two hexadecimal digits"
            return pos, f"{_name(char)} may not appear in a URI (percent-encode it)"
        pos = m.end()
    m = _uri_patterns()[0].fullmatch(value)
    if m is None:
        return WHOLE, "it does not follow the URI syntax of RFC 3986"
    ipv6 = m.group("ipv6")
    if ipv6 is not None:
        try:
            import ipaddress  # local: an IPv6 host is rare, start-up is every run

            ipaddress.IPv6Address(ipv6)
        except ValueError:
            return value.index("["), f"[{ipv6}] is not an IPv6 address"
    scheme = m.group("scheme").lower()
    if scheme in _HOST_REQUIRED and not m.group("host"):
        return WHOLE, f"an {scheme} URI needs a host"
    return None


def _name(char: str) -> str:
    if char == " ":
        return "a space"
    if char.isprintable():
        return repr(char)
    return f"U+{ord(char):04X}"


# ---------------------------------------------------------------------------
# Base64: RFC 2426 §5 ENCODING=b is RFC 2047's "B" encoding, that is the
# base64 of RFC 2045 §6.8 (RFC 4648 §4):
#   64 characters A-Z a-z 0-9 + /, and "=" padding to a multiple of 4.
# Departure: spaces and tabs are skipped, as RFC 2045 decoders do: a fold
# written with two leading spaces (some 2.1 writers) leaves one in the value.
BASE64_CHAR_RE: Final = re.compile(r"[A-Za-z0-9+/]")
_BASE64_BAD_RE: Final = re.compile(r"[^A-Za-z0-9+/= \t]")


def base64_fault(value: str) -> tuple[int, str] | None:
    """Why ``value`` is not base64, and the index it points at (:data:`WHOLE`: the
    whole value); ``None`` if it is."""
    m = _BASE64_BAD_RE.search(value)
    if m is not None:
        return m.start(), f"{_name(m.group())} is not a base64 character"
    stripped = value.rstrip(" \t")
    body = stripped.rstrip("=")
    pad = len(stripped) - len(body)
    inner = body.find("=")
    if inner >= 0:
        return inner, "'=' (padding) appears before the end of the data"
    if pad > 2:
        return len(body) + 2, "more than two '=' of padding"
    count = len(body) - body.count(" ") - body.count("\t")
    if (count + pad) % 4:
        length = count + pad
        chars = f"{length} character{'s' if length != 1 else ''}"
        return WHOLE, f"its length ({chars}) is not a multiple of 4"
    return None
