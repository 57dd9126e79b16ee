"""VC501–VC504: the name and organization a recipient sees."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import Any, Final

from vcardkit._rules._base import Finding, Profile
from vcardkit._rules._diagnostic import Severity
from vcardkit._rules._documents import ContactView, Context
from vcardkit._rules._helpers import ContactRule, Fixer, is_empty, quote

# WhatsApp shows a contact card's name on one or two lines and cuts it
# after about 40 characters; address books truncate too [U].
NAME_MAX: Final = 40


@lru_cache(maxsize=1)
def _patterns() -> tuple[Any, Any]:
    import regex  # type: ignore[import-untyped]  # no stubs; local: only a checked name pays for it

    # UTS #51: an emoji is a character shown as emoji by default
    # (Emoji_Presentation), one asked to be (followed by VS16), or a keycap
    # (U+20E3); ZWJ sequences, modifiers and flags are inside one cluster.
    emoji = regex.compile(r"\p{Emoji_Presentation}|\p{Emoji}\uFE0F|\u20E3")
    return regex.compile(r"\X"), emoji


def graphemes(text: str) -> list[str]:
    """The extended grapheme clusters of ``text`` (UAX #29)."""
    cluster, _ = _patterns()
    found: list[str] = cluster.findall(text)
    return found


def count_emoji(text: str) -> int:
    """How many user-perceived characters of ``text`` are emoji."""
    _, emoji = _patterns()
    return sum(1 for g in graphemes(text) if emoji.search(g))


def _name(view: ContactView) -> tuple[str, Any] | None:
    """The display name and its FieldRef, unless it is absent or blank."""
    ref = view.full_name
    if ref is None or not ref.value.strip():
        return None
    return ref.value, ref


class NameTooLong(ContactRule):
    """VC501 name-too-long — a name over 40 user-perceived characters.

    Why: WhatsApp shows a shared contact's name in a bubble that cuts it
    after about 40 characters, and address books truncate it when saving
    [U]. Characters are counted as people see them: grapheme clusters, so
    ``👩‍👩‍👧‍👦`` or ``🇪🇬`` is one, not seven or two. Reported at the
    name's first character.
    Fails: ``FN:Wawp Customer Support and Sales Department Cairo``
    Fix: shorten ``FN`` / ``fullName``; put the rest in ``ORG`` or ``TITLE``.
    """

    code = "VC501"
    name = "name-too-long"
    severity = Severity.WARNING
    profile = Profile.WA

    def check_contact(self, view: ContactView, fixer: Fixer, ctx: Context) -> Iterator[Finding]:
        found = _name(view)
        if found is None:
            return
        value, ref = found
        if len(value) <= NAME_MAX:  # a cluster holds at least one code point
            return
        count = len(graphemes(value))
        if count > NAME_MAX:
            yield Finding(
                f"the name {quote(value)} has {count} characters; WhatsApp shows about {NAME_MAX}",
                ref.where,
            )


class NameEmoji(ContactRule):
    """VC502 name-emoji — more than one emoji in the name.

    Why: address books index names by their letters; a name full of emoji
    is hard to find by search, and some readers show them as boxes [U].
    Emoji are counted as people see them (a ZWJ family, a flag or a keycap
    is one). Reported at the name's first character.
    Fails: ``FN:🍕 Pizza Place 🍕``
    Fix: keep at most one emoji in ``FN`` / ``fullName``.
    """

    code = "VC502"
    name = "name-emoji"
    severity = Severity.INFO
    profile = Profile.WA

    def check_contact(self, view: ContactView, fixer: Fixer, ctx: Context) -> Iterator[Finding]:
        found = _name(view)
        if found is None:
            return
        value, ref = found
        if value.isascii():
            return
        count = count_emoji(value)
        if count > 1:
            yield Finding(f"the name {quote(value)} holds {count} emoji", ref.where)


class MissingOrganization(ContactRule):
    """VC503 missing-organization — the contact has no organization.

    Why: a business card with a name and a number only looks like spam to
    recipients; WhatsApp shows the organization under the name [U].
    Reported at the card's ``BEGIN:VCARD`` (the JSON object's ``{``).
    Fails: ``FN:Support`` and ``TEL`` with no ``ORG``
    Fix: add ``ORG:Wawp HQ`` (``"organization": "Wawp HQ"``).
    """

    code = "VC503"
    name = "missing-organization"
    severity = Severity.INFO
    profile = Profile.WA

    def check_contact(self, view: ContactView, fixer: Fixer, ctx: Context) -> Iterator[Finding]:
        org = view.organization
        if org is not None and org.value.strip():
            return
        if view.card is not None and is_empty(view.card.lines):
            return  # an empty card is VC115's
        yield Finding("the contact has no organization", view.where)


# A phone number: digits (of any script: re's \d is Unicode) and what
# numbers are written with.
_NUMBER_RE: Final = re.compile(r"[\d+\-(). /\u00a0]+")


_MIN_DIGITS: Final = 7  # the shortest WhatsApp numbers; "007" is a name


class NameIsNumber(ContactRule):
    """VC504 name-is-number — the name is only a phone number.

    Why: a card named ``+20 111 111 1111`` is saved under a number, shows no
    name in chats and is impossible to find by name; it usually means the
    sender put the number where the name goes [U]. Reported at the name's
    first character. (An empty name is VC203 or VC605.)
    Fails: ``FN:+201111111111``
    Fix: give the contact a name.
    """

    code = "VC504"
    name = "name-is-number"
    severity = Severity.WARNING
    profile = Profile.WA

    def check_contact(self, view: ContactView, fixer: Fixer, ctx: Context) -> Iterator[Finding]:
        found = _name(view)
        if found is None:
            return
        value, ref = found
        if _NUMBER_RE.fullmatch(value) and sum(c.isdecimal() for c in value) >= _MIN_DIGITS:
            yield Finding(f"the name {quote(value)} is a phone number", ref.where)
