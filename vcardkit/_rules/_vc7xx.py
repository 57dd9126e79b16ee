"""VC701–VC702: faults across the contacts of a payload."""

from __future__ import annotations

from collections.abc import Iterator

from vcardkit._rules._base import Finding, Profile
from vcardkit._rules._diagnostic import Severity
from vcardkit._rules._documents import ContactView, Context, FieldRef
from vcardkit._rules._helpers import PayloadRule, describe, quote


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
