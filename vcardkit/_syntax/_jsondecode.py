"""The one JSON decoder every reader of JSON text uses, and how a message shows a number.

:mod:`json` decodes an integer with ``int()``, which refuses more digits
than ``sys.get_int_max_str_digits()`` (4300 by default, CVE-2020-10735):
``json.loads`` then raises a bare ``ValueError`` that is neither "not JSON"
nor anything a contact field can point at. Such an integer is valid JSON
(RFC 8259 §6 sets no limit) and, in a contact payload, always a value of
the wrong type: the decoder keeps it as a :class:`LongInteger`, and the
reading and the rules report it where it is (VC604, VC603, VC602), like
any other number.
"""

from __future__ import annotations

import json
from typing import Final

__all__ = ["DECODER", "LongInteger", "show_number"]


class LongInteger:
    """A JSON integer too long for ``int()``: its digits, as written."""

    __slots__ = ("digits",)

    def __init__(self, digits: str) -> None:
        self.digits = digits

    def __repr__(self) -> str:
        return _shortened(self.digits)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, LongInteger) and other.digits == self.digits

    def __hash__(self) -> int:
        return hash(self.digits)


def _parse_int(digits: str) -> int | LongInteger:
    try:
        return int(digits)
    except ValueError:  # over sys.get_int_max_str_digits()
        return LongInteger(digits)


# The C scanner calls parse_int only for integers, which contact payloads
# hold only by mistake: the common case costs nothing more.
DECODER: Final = json.JSONDecoder(parse_int=_parse_int)


def _shortened(digits: str) -> str:
    count = len(digits.lstrip("-"))
    return f"{digits[:12]}… ({count} digits)"


def show_number(value: int | float | LongInteger) -> str:
    """A number as a message shows it; a very long integer by its first digits and length.

    ``repr`` of a Python ``int`` over the same limit raises ``ValueError``
    too: its length is worked out from its bits instead.
    """
    if isinstance(value, LongInteger):
        return repr(value)
    try:
        return repr(value)
    except ValueError:
        assert isinstance(value, int)
        # log10(2) digits a bit: at most one more than the true count; the
        # first digits, as a short int, settle it.
        about = int(abs(value).bit_length() * 0.30103) + 1
        lead = str(abs(value) // 10 ** (about - 13))
        count = about - 13 + len(lead)
        return f"{'-' if value < 0 else ''}{lead[:12]}… ({count} digits)"
