"""Text from a card, or a name a user gave, made safe to print on a terminal.

A card is data from anyone: an OSC sequence in its FN (``\\x1b]0;title\\x07``)
retitles the reader's window, ``\\x1b[2J`` clears the screen, a bidi override
(U+202E) shows a value reversed. Whatever the commands print of a card goes
through :func:`printable`, which writes such characters as the escapes that
``lint``'s messages use for them (``repr``'s: ``\\x1b``, ``\\t``, ``\\u202e``),
so that what is shown is what the card holds and the terminal obeys none of it.
"""

from __future__ import annotations

import re
from typing import Final

__all__ = ["printable"]

# C0 controls (TAB and LF included: a value must not break the one line it is
# shown on), DEL and C1 controls (U+009B is CSI to an 8-bit terminal), the
# bidi marks, embeddings, overrides and isolates (Unicode TR 9, "Trojan
# Source"), the line and paragraph separators, and lone surrogates (which a
# JSON "\ud800" escape can put in a value, and UTF-8 cannot write). Joiners
# and variation selectors are left alone: emoji and scripts need them.
_UNSAFE_RE: Final = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff]"
)


def _escape(m: re.Match[str]) -> str:
    return repr(m.group())[1:-1]


def printable(text: str) -> str:
    """``text`` with every character a terminal would act on written as its escape.

    A backslash is left as it is: the text reads as the card has it, and an
    escape seen in the output may be the card's own four characters, never
    a control character the terminal was sent.
    """
    return _UNSAFE_RE.sub(_escape, text)
