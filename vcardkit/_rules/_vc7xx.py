"""VC701–VC702: faults across the contacts of a payload."""

from __future__ import annotations

from collections.abc import Iterator

from vcardkit._rules._base import Finding, Profile
from vcardkit._rules._diagnostic import Severity
from vcardkit._rules._documents import ContactView, Context, FieldRef
from vcardkit._rules._helpers import PayloadRule, described, quote, remember
from vcardkit._rules._payload import Payload, text_key


def _keys(view: ContactView, ctx: Context) -> Iterator[tuple[int, FieldRef, str]]:
    """(key, ref, what it is) for each phone (E.164) and WhatsApp id of a contact.

    A key is the number's digits as an int, for a phone and a WhatsApp id
    alike: both name the chat a card opens, and a contact whose id is an
    earlier contact's phone opens that contact's chat. (One key for the
    two also halves the table: most cards' id is their phone's digits.) An
    id too long for an int of 62 bits is hashed.
    """
    for phone in view.phones:
        number = phone.number
        if number is not None and number.value.strip():
            e164 = ctx.phones.phone(number.value, ctx.region).e164
            if e164 is not None:
                yield int(e164[1:]), number, "the phone"
        if phone.waid is not None:
            digits = ctx.phones.waid(phone.waid.value).digits
            if digits is not None:
                key = int(digits) if len(digits) <= 17 else text_key(digits)
                yield key, phone.waid, "the WhatsApp id"


class DuplicateContact(PayloadRule):
    """VC701 duplicate-contact — two contacts with the same phone or WhatsApp id.

    Why: a payload that sends one person twice shows two cards that open the
    same chat; in an address book it makes duplicate entries [U]. Phones are
    compared in E.164 (``+20 111 111 1111`` is ``+201111111111``), WhatsApp
    ids by their digits, and a phone and an id with the same digits are the
    same chat. Reported once per later contact, at its first phone or id
    that an earlier contact has.
    Fails: two cards with ``TEL;waid=201111111111:+201111111111``
    Fix: merge the two contacts, or remove one.
    """

    code = "VC701"
    name = "duplicate-contact"
    severity = Severity.WARNING
    profile = Profile.WA

    def check_views(
        self, views: list[ContactView], ctx: Context, payload: Payload
    ) -> Iterator[Finding]:
        seen = payload.table(self.code)
        for view in views:
            keys = list(_keys(view, ctx))
            for key, ref, what in keys:
                first = seen.get(key)
                if first is not None:
                    yield Finding(
                        f"{what} {quote(ref.value)} is also in {described(first)}", ref.where
                    )
                    break
            if keys:
                here = remember(view)
                for key, _, _ in keys:
                    seen.first(key, here)


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

    def check_views(
        self, views: list[ContactView], ctx: Context, payload: Payload
    ) -> Iterator[Finding]:
        seen = payload.table(self.code)
        for view in views:
            uid = view.uid
            if uid is None or not uid.value.strip():
                continue
            first = seen.first(text_key(uid.value.strip()), remember(view))
            if first is not None:
                yield Finding(
                    f"the UID {quote(uid.value)} is also in {described(first)}", uid.where
                )
