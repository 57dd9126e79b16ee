"""The content-line grammar of RFC 2425 §5.8.2 and RFC 2426 §4, as named fragments.

Each fragment sits under the ABNF it implements, in the manner of h11's
``_abnf.py``, so that a reviewer can check it against the RFC line by line.
Where the reader is more lenient than the ABNF (real files break it), the
comment says so and why; the strict fragments are what the rules check against.
"""

from __future__ import annotations

import re
from typing import Final

# RFC 2425 §5.8.2:
#   group = 1*(ALPHA / DIGIT / "-")
#   name  = x-name / iana-token
#   iana-token = 1*(ALPHA / DIGIT / "-")
#   x-name = "x-" 1*(ALPHA / DIGIT / "-")
TOKEN: Final = r"[A-Za-z0-9-]+"
STRICT_NAME_RE: Final = re.compile(TOKEN)

# Lenient reading of a group or name: anything but the delimiters of the line.
# Real exports write "X-WAB-SPOUSE_NAME" (Windows), "X-GOOGLE TALK" and
# "X-messaging/skype-All" (Evolution); refusing them would lose data, so the
# reader keeps them and validation reports VC109.
LENIENT_TOKEN: Final = r'[^;:".,\x00-\x1f\x7f]+'

#   contentline = [group "."] name *(";" param) ":" value CRLF
#   param       = param-name "=" param-value *("," param-value)
#   param-value = ptext / quoted-string
#   quoted-string = DQUOTE *QSAFE-CHAR DQUOTE
#   QSAFE-CHAR  = WSP / %x21 / %x23-7E / NON-US-ASCII   ; any except CTLs, DQUOTE
#   ptext       = *SAFE-CHAR
#   SAFE-CHAR   = WSP / %x21 / %x23-2B / %x2D-39 / %x3C-7E / NON-US-ASCII
#                 ; any except CTLs, DQUOTE, ";", ":", ","
QUOTED_STRING: Final = r'"[^"\x00-\x08\x0a-\x1f\x7f]*"'
# The reader accepts control characters inside ptext (VC113 reports them).
PTEXT: Final = r'[^";:,]*'
PARAM_VALUE: Final = rf"(?:{QUOTED_STRING}|{PTEXT})"
# The whole parameter section between the name and the ":": quoted strings
# may hold ":" and ";", so they are matched as units.
PARAMS: Final = r'(?:;(?:[^";:]|"[^"]*")*)*'

# A name may hold "." in lenient reading ("some.other.value:1.2.3", seen in a
# test file of calcard): the group is what comes before the first ".".
LENIENT_NAME: Final = r'[^;:",\x00-\x1f\x7f]+'

CONTENT_LINE_RE: Final = re.compile(
    rf"(?:(?P<group>{LENIENT_TOKEN})\.)?(?P<name>{LENIENT_NAME})"
    rf"(?P<params>{PARAMS}):(?P<value>.*)",
    re.DOTALL,
)

# The batch reader's row: the same fragments, matched against a whole card
# with its folds undone, one content line per row, so nothing may cross a
# line break (PTEXT and the value otherwise take control characters, which
# VC113 reports). Parameters must be well formed here; a card with any other
# line is read line by line, where the fault gets its diagnostic.
_PTEXT_IN_LINE: Final = r'[^";:,\r\n]*'
_PARAM_VALUE_IN_LINE: Final = rf"(?:{QUOTED_STRING}|{_PTEXT_IN_LINE})"
_ROW_PARAMS: Final = rf"(?:;{TOKEN}(?:={_PARAM_VALUE_IN_LINE}(?:,{_PARAM_VALUE_IN_LINE})*)?)*"
_ROW: Final = rf"^((?:({LENIENT_TOKEN})\.)?({LENIENT_NAME})({_ROW_PARAMS}):([^\r\n]*))"
ROW_RE: Final = {
    # The last line of a card's body has no line break after it.
    "\r\n": re.compile(_ROW + r"\r?$", re.MULTILINE),
    "\n": re.compile(_ROW + r"$", re.MULTILINE),
}

# One parameter inside the parameter section, after its ";".
#   param = param-name "=" param-value *("," param-value)
# A 2.1 card may write a bare value ("TEL;CELL"), so "=" is optional here.
PARAM_RE: Final = re.compile(
    rf"(?P<name>{LENIENT_TOKEN}?)(?:=(?P<values>{PARAM_VALUE}(?:,{PARAM_VALUE})*))?(?=;|$)"
)
PARAM_VALUE_RE: Final = re.compile(rf"{QUOTED_STRING}|{PTEXT}")

# RFC 2425 §5.8.1: a logical line is folded by inserting CRLF followed by a
# single white space character (space or horizontal tab).
FOLD_WHITESPACE: Final = " \t"

# vCard 2.1 §2.1.2 lets a parameter be written by its value alone: these
# values name an ENCODING; any other bare value is a TYPE (or a VALUE).
BARE_ENCODINGS: Final = frozenset({"QUOTED-PRINTABLE", "BASE64", "8BIT", "7BIT", "B"})
