"""Rules across the contacts of a payload: its size (VC409, VC410) and duplicates (VC7xx).

A payload is a file of cards or a JSON array; a ``vcard`` string inside JSON
is one contact of its JSON payload, not a payload of its own. VC409 and VC701
and VC702 point at the later contact (RULES.md "Where a diagnostic points").
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Final

from vcardkit._rules._base import Finding, Profile, Rule
from vcardkit._rules._contacts import BOTH, PayloadRule, describe, quote
from vcardkit._rules._context import ContactView, Context, FieldRef, JsonDocument, VcfDocument
from vcardkit._rules._diagnostic import Severity

__all__ = ["DuplicateContact", "DuplicateUid", "EmptyPayload", "TooManyContacts"]

# WhatsApp sends at most 257 contacts in one message (its clients' share
# sheet, and the Cloud API's contacts array) [WA, Cloud API].
MAX_CONTACTS: Final = 257


class TooManyContacts(Rule):
    """VC409 too-many-contacts — more than 257 contacts in one payload.

    Why: WhatsApp sends at most 257 contacts in one message, and the Cloud
    API rejects a longer ``contacts`` array [WA, Cloud API]. A JSON payload,
    or anything given to ``check()`` (about to be sent), is an error; a
    .vcf file is often an address book, so there it is a warning: it must
    be split to be sent. Reported at the first card or element past the
    limit (the 258th).
    Fails: a JSON array of 300 contacts
    Fix: send the contacts in several messages of at most 257.
    """

    code = "VC409"
    name = "too-many-contacts"
    severity = Severity.ERROR
    profile = Profile.WA
    inputs = BOTH

    def check_vcf(self, doc: VcfDocument, ctx: Context) -> Iterator[Finding]:
        count = len(doc.cards)
        if doc.embedded or count <= MAX_CONTACTS:
            return
        yield Finding(
            f"the payload has {count} cards; WhatsApp sends at most {MAX_CONTACTS} in one "
            "message: split it",
            doc.cards[MAX_CONTACTS].where(),
            severity=None if ctx.sending else Severity.WARNING,
        )

    def check_json(self, doc: JsonDocument, ctx: Context) -> Iterator[Finding]:
        value = doc.value
        if not isinstance(value, list) or len(value) <= MAX_CONTACTS:
            return
        yield Finding(
            f"the payload has {len(value)} contacts; WhatsApp sends at most {MAX_CONTACTS} "
            "in one message",
            doc.at(f"/{MAX_CONTACTS}", card=MAX_CONTACTS),
        )


class EmptyPayload(Rule):
    """VC410 empty-payload — a payload with no contacts.

    Why: RFC 2425 §5.8.1 (``vcard-entity = 1*(vcard)``) and RFC 2426 want at
    least one card; a sending API rejects an empty ``contacts`` array, and an
    empty file usually means an export failed. Not reported when the text
    holds a card that could not be read (VC104–VC107 say why).
    Fails: an empty file; ``[]``
    Fix: add a contact, or do not send the payload.
    """

    code = "VC410"
    name = "empty-payload"
    severity = Severity.ERROR
    profile = Profile.RFC
    inputs = BOTH

    def check_vcf(self, doc: VcfDocument, ctx: Context) -> Iterator[Finding]:
        if doc.embedded or doc.cards or any(issue.fatal for issue in doc.issues):
            return  # a `vcard` string with no card is VC607's
        yield Finding("the payload holds no card", doc.at(1, 1))

    def check_json(self, doc: JsonDocument, ctx: Context) -> Iterator[Finding]:
        if isinstance(doc.value, list) and not doc.value and doc.error is None:
            yield Finding("the payload is an empty array: it holds no contact", doc.at(""))


def _keys(view: ContactView, ctx: Context) -> Iterator[tuple[tuple[str, str], FieldRef]]:
    """(key, ref) for each phone (E.164) and WhatsApp id of a contact."""
    for phone in view.phones:
        number = phone.number
        if number is not None and number.value.strip():
            e164 = ctx.phones.phone(number.value, ctx.region).e164
            if e164 is not None:
                yield ("tel", e164), number
        if phone.waid is not None:
            digits = ctx.phones.waid(phone.waid.value).digits
            if digits is not None:
                yield ("waid", digits), phone.waid


class DuplicateContact(PayloadRule):
    """VC701 duplicate-contact — two contacts with the same phone or WhatsApp id.

    Why: a payload that sends one person twice shows two cards that open the
    same chat; in an address book it makes duplicate entries [U]. Phones are
    compared in E.164 (``+20 111 111 1111`` is ``+201111111111``), WhatsApp
    ids by their digits. Reported once per later contact, at its first
    phone or id that an earlier contact has.
    Fails: two cards with ``TEL;waid=201111111111:+201111111111``
    Fix: merge the two contacts, or remove one.
    """

    code = "VC701"
    name = "duplicate-contact"
    severity = Severity.WARNING
    profile = Profile.WA

    def check_views(self, views: list[ContactView], ctx: Context) -> Iterator[Finding]:
        seen: dict[tuple[str, str], ContactView] = {}
        for view in views:
            keys = list(_keys(view, ctx))
            for key, ref in keys:
                first = seen.get(key)
                if first is not None:
                    what = "the phone" if key[0] == "tel" else "the WhatsApp id"
                    yield Finding(
                        f"{what} {quote(ref.value)} is also in {describe(first)}", ref.where
                    )
                    break
            for key, _ in keys:
                seen.setdefault(key, view)


class DuplicateUid(PayloadRule):
    """VC702 duplicate-uid — two cards with the same UID.

    Why: RFC 2426 §3.6.7: a UID identifies one object; address books that
    sync by UID (iOS, Google) merge the two cards into one, losing one of
    them. Reported at the later card's UID value.
    Fails: two cards with ``UID:urn:uuid:4fbe8971-0bc3-424c-9c26-36c3e1eff6b1``
    Fix: give each card its own UID, or remove the UID.
    """

    code = "VC702"
    name = "duplicate-uid"
    severity = Severity.WARNING
    profile = Profile.WA

    def check_views(self, views: list[ContactView], ctx: Context) -> Iterator[Finding]:
        seen: dict[str, ContactView] = {}
        for view in views:
            uid = view.uid
            if uid is None or not uid.value.strip():
                continue
            first = seen.setdefault(uid.value.strip(), view)
            if first is not view:
                yield Finding(f"the UID {quote(uid.value)} is also in {describe(first)}", uid.where)
