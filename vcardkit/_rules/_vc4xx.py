"""VC401–VC412: phones and WhatsApp ids, on the Contact the model layer reads
(from a card or a JSON object), and the payload's contact count.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Final

from vcardkit._rules._base import Finding, Profile, Rule
from vcardkit._rules._diagnostic import Severity
from vcardkit._rules._documents import ContactView, Context, FieldRef, PhoneRef, VcfDocument
from vcardkit._rules._helpers import BOTH, ContactRule, Fixer, quote
from vcardkit._rules._jsondoc import JsonDocument
from vcardkit._rules._phonelib import (
    Kind,
    PhoneFacts,
    is_mobile,
    legitimate_difference,
)

# WhatsApp's Android reader: a TEL value over 30 characters is dropped, and
# a card keeps its first 10 TEL [WA].
TEL_MAX_CHARS: Final = 30


MAX_PHONES: Final = 10


def _number(phone: PhoneRef) -> FieldRef | None:
    """The phone's number when it has one that is not blank."""
    number = phone.number
    return number if number is not None and number.value.strip() else None


def _facts(ref: FieldRef, ctx: Context) -> PhoneFacts:
    return ctx.phones.phone(ref.value, ctx.region)


def _numbers(view: ContactView, ctx: Context) -> Iterator[tuple[FieldRef, PhoneFacts]]:
    """Each phone number that is not blank, with what phonenumbers says of it."""
    for phone in view.phones:
        number = _number(phone)
        if number is not None:
            yield number, _facts(number, ctx)


def phone_digits(phone: PhoneRef, ctx: Context) -> str | None:
    """The digits a ``waid`` of this phone should hold, when they are known.

    The E.164 digits of a valid number (or of one completed with the
    region); for a number phonenumbers does not accept, the digits after its
    ``+`` when it holds nothing but digits and separators.
    """
    number = _number(phone)
    if number is None:
        return None
    facts = _facts(number, ctx)
    if facts.digits is not None:
        return facts.digits
    if facts.kind is Kind.INVALID:
        return "".join(c for c in number.value if c.isascii() and c.isdigit())
    return None


class PhoneNotE164(ContactRule):
    """VC401 phone-not-e164 — a phone without ``+`` and country code, or with other characters.

    Why: WhatsApp matches a card's phone to an account by its international
    number (E.164, ITU-T E.164 §6); a national number (``0111 111 1111``)
    is read in the recipient's country, not the sender's, and reaches the
    wrong person or no one. Besides digits, WhatsApp reads spaces, dashes
    and brackets; anything else (an extension, letters, dots) is kept as
    text and the number is not linked [U].
    Fails: ``TEL:01111111111``; ``"phoneNumber": "+20.111.111.1111"``
    Fix: write the number with ``+`` and the country code:
    ``+201111111111``. Automatic where it is only formatting; a national
    number is completed with ``--region`` (``validate(region="EG")``) as an
    unsafe fix, since the region is a guess.
    """

    code = "VC401"
    name = "phone-not-e164"
    severity = Severity.ERROR
    profile = Profile.WA
    fixes = "safe"

    def check_contact(self, view: ContactView, fixer: Fixer, ctx: Context) -> Iterator[Finding]:
        for phone in view.phones:
            number = phone.number
            if number is None:
                continue
            if not number.value.strip():
                if phone.waid is None:  # with a waid it is VC411's
                    yield Finding("the phone number is empty", number.where)
                continue
            facts = _facts(number, ctx)
            if facts.kind is Kind.NATIONAL:
                yield self._national(number, phone, facts, fixer, ctx)
            elif facts.kind is Kind.BAD_CHARACTER:
                char = number.value[facts.index]
                fix = None
                if facts.e164 is not None:
                    fix = fixer.replace(number, facts.e164, f"write {facts.e164} (E.164)")
                yield Finding(
                    f"the phone {quote(number.value)} holds {char!r}; a phone may hold only "
                    "digits, spaces, dashes and brackets after its +",
                    number.at(facts.index),
                    fix,
                )

    def _national(
        self, number: FieldRef, phone: PhoneRef, facts: PhoneFacts, fixer: Fixer, ctx: Context
    ) -> Finding:
        message = f"the phone {quote(number.value)} has no + and country code"
        e164 = facts.e164
        if e164 is not None and ctx.region is not None:
            how = f"completed with the region {ctx.region}"
        else:
            e164 = _international_twin(number.value, phone, ctx)
            how = "read as the international number its whatsappId holds"
        fix = None
        if e164 is not None:
            message += f" (as {e164}, {how}?)"
            fix = fixer.replace(number, e164, f"write {e164} ({how})", safe=False)
        elif ctx.region is None:
            message += "; give the region it is in (--region) to complete it"
        else:
            message += f"; it is not a valid number in the region {ctx.region} either"
        return Finding(message, number.where, fix)


def _international_twin(value: str, phone: PhoneRef, ctx: Context) -> str | None:
    """``201111111111`` beside ``whatsappId: 201111111111``: the ``+`` was left out."""
    if phone.waid is None:
        return None
    digits = "".join(c for c in value if c.isascii() and c.isdigit())
    if not digits or digits != ctx.phones.waid(phone.waid.value).digits:
        return None
    facts = ctx.phones.phone("+" + digits)
    return facts.e164 if facts.kind is Kind.VALID else None


class PhoneInvalid(ContactRule):
    """VC402 phone-invalid — not a valid number in its country's numbering plan.

    Why: phonenumbers (Google's libphonenumber data, which WhatsApp's clients
    use too) knows each country's lengths and ranges; a number outside them
    reaches no one, and the card shows "Invite" at best. The message names
    the country the calling code belongs to.
    Fails: ``TEL:+2011111`` — ``"+2011111" is not a valid number for Egypt (+20)``
    Fix: correct the number (a digit missing or added, a wrong country code).
    """

    code = "VC402"
    name = "phone-invalid"
    severity = Severity.ERROR
    profile = Profile.WA

    def check_contact(self, view: ContactView, fixer: Fixer, ctx: Context) -> Iterator[Finding]:
        for number, facts in _numbers(view, ctx):
            if facts.kind is Kind.INVALID:
                yield Finding(
                    f"{quote(number.value)} is not a valid number for {facts.place}",
                    number.where,
                )


class PhoneUnknownRegion(ContactRule):
    """VC403 phone-unknown-region — no country calling code matches the number.

    Why: after the ``+`` come the country calling code (ITU-T E.164 assigns
    them: 1 to 3 digits) and the national number; a code no country has
    (``+0``, ``+999``) cannot be dialled, so WhatsApp links the card to no one.
    Fails: ``TEL:+999123456``
    Fix: write the right country code after the ``+``.
    """

    code = "VC403"
    name = "phone-unknown-region"
    severity = Severity.ERROR
    profile = Profile.WA

    def check_contact(self, view: ContactView, fixer: Fixer, ctx: Context) -> Iterator[Finding]:
        for number, facts in _numbers(view, ctx):
            if facts.kind is Kind.UNKNOWN_COUNTRY:
                yield Finding(
                    f"no country calling code matches the phone {quote(number.value)}",
                    number.where,
                )


class WaidFormat(ContactRule):
    """VC404 waid-format — the WhatsApp id is not 7 to 15 digits.

    Why: WhatsApp links the card to a profile through ``waid`` (JSON
    ``whatsappId``): the number's digits, nothing else. A ``+``, spaces, or a
    JID suffix copied from an API (``@s.whatsapp.net``, ``@c.us``) leave the
    Message button disabled [U].
    Fails: ``TEL;waid=5511999999999@s.whatsapp.net:+5511999999999``
    Fix: ``TEL;waid=5511999999999:+5511999999999`` (automatic when the
    digits are there: the ``+``, spaces and suffix are removed).
    """

    code = "VC404"
    name = "waid-format"
    severity = Severity.ERROR
    profile = Profile.WA
    fixes = "safe"

    def check_contact(self, view: ContactView, fixer: Fixer, ctx: Context) -> Iterator[Finding]:
        for phone in view.phones:
            waid = phone.waid
            if waid is None:
                continue
            facts = ctx.phones.waid(waid.value)
            if facts.problem is None:
                continue
            fix = None
            if facts.digits is not None:
                fix = fixer.replace(waid, facts.digits, f"write the WhatsApp id as {facts.digits}")
            yield Finding(
                f"the WhatsApp id {quote(waid.value)} {facts.problem}", waid.at(facts.index), fix
            )


class WaidMismatch(ContactRule):
    """VC405 waid-mismatch — the WhatsApp id's digits differ from the phone's.

    Why: the recipient's "Message" button opens the chat of the ``waid``,
    while the card shows the phone: when they differ, the card names one
    person and messages another [U]. Three differences are legitimate and
    reported as ``info``: Brazil's ninth digit (ids of accounts made before
    +55 mobiles got their leading 9 lack it), Mexico's ``521`` (WhatsApp ids
    of Mexican mobiles keep the 1 that Mexico dropped from +52 mobiles in
    2019) and Argentina's ``549`` (mobiles are reached with a 9 after +54).
    Fails: ``TEL;waid=201111111112:+201111111111``
    Fix: make the ``waid`` the phone's digits (an unsafe fix: which of the
    two is right is a guess).
    """

    code = "VC405"
    name = "waid-mismatch"
    severity = Severity.WARNING
    profile = Profile.WA
    fixes = "unsafe"

    def check_contact(self, view: ContactView, fixer: Fixer, ctx: Context) -> Iterator[Finding]:
        for phone in view.phones:
            waid, number = phone.waid, _number(phone)
            if waid is None or number is None:
                continue
            digits = ctx.phones.waid(waid.value).digits
            expected = phone_digits(phone, ctx)
            if digits is None or expected is None or digits == expected:
                continue
            why = legitimate_difference(expected, digits)
            if why is not None:
                yield Finding(
                    f"the WhatsApp id {quote(waid.value)} is the phone {quote(number.value)} "
                    f"{why}, as WhatsApp writes it",
                    waid.where,
                    severity=Severity.INFO,
                )
                continue
            yield Finding(
                f"the WhatsApp id {quote(waid.value)} does not match the phone "
                f"{quote(number.value)} (digits {expected})",
                waid.where,
                fixer.replace(
                    waid,
                    expected,
                    f"make the WhatsApp id the phone's digits {expected}",
                    safe=False,
                ),
            )


class MissingWaid(ContactRule):
    """VC406 missing-waid — the contact has phones, and none carries a WhatsApp id.

    Why: without ``waid`` (JSON ``whatsappId``) the recipient's WhatsApp
    cannot tell which phone is on WhatsApp: the card shows "Invite", not
    "Message" [U]. Reported at the card's ``BEGIN:VCARD`` (the JSON
    object's ``{``).
    Fails: ``TEL;type=CELL:+201111111111`` with no ``waid``
    Fix: ``TEL;type=CELL;waid=201111111111:+201111111111`` — an unsafe fix
    derives the id from the first valid mobile number (else the first valid
    number): an account may be on another of the phones, or on none.
    """

    code = "VC406"
    name = "missing-waid"
    severity = Severity.WARNING
    profile = Profile.WA
    fixes = "unsafe"

    def check_contact(self, view: ContactView, fixer: Fixer, ctx: Context) -> Iterator[Finding]:
        phones = [p for p in view.phones if _number(p) is not None]
        if not phones or any(
            p.waid is not None or fixer.has_key(p.pointer, "whatsappId") for p in view.phones
        ):
            return
        best: tuple[PhoneRef, str] | None = None
        for phone in phones:
            number = _number(phone)
            assert number is not None
            facts = _facts(number, ctx)
            if facts.digits is None:
                continue
            mobile = facts.e164 is not None and is_mobile(facts.e164)
            if best is None or mobile:
                best = (phone, facts.digits)
                if mobile:
                    break
        fix = None
        if best is not None:
            fix = fixer.add_waid(best[0], best[1], f"add the WhatsApp id {best[1]}")
        which = (
            "its phone carries none"
            if len(phones) == 1
            else f"none of its {len(phones)} phones carries one"
        )
        yield Finding(
            f"the contact has no WhatsApp id (waid): {which}, so the recipient sees Invite, "
            "not Message",
            view.where,
            fix,
        )


class TelTooLong(ContactRule):
    """VC407 tel-too-long — a phone value over 30 characters.

    Why: WhatsApp's Android reader drops a TEL whose value is longer than 30
    characters [WA]: the contact arrives without that phone. Reported at the
    value's first character.
    Fails: ``TEL:+20 111 111 1111 (office, ask for Ann)``
    Fix: keep only the number in the TEL; put the rest in a NOTE.
    """

    code = "VC407"
    name = "tel-too-long"
    severity = Severity.WARNING
    profile = Profile.WA

    def check_contact(self, view: ContactView, fixer: Fixer, ctx: Context) -> Iterator[Finding]:
        for phone in view.phones:
            number = phone.number
            if number is not None and len(number.value) > TEL_MAX_CHARS:
                yield Finding(
                    f"the phone {quote(number.value)} has {len(number.value)} characters; "
                    f"WhatsApp drops a phone over {TEL_MAX_CHARS}",
                    number.where,
                )


class TooManyPhones(ContactRule):
    """VC408 too-many-phones — more than 10 phones in one contact.

    Why: WhatsApp's reader keeps the first 10 TEL of a card and drops the
    rest [WA]. Reported at the card's ``BEGIN:VCARD`` (the JSON object's
    ``{``).
    Fails: a card with 11 ``TEL`` lines
    Fix: keep the 10 that matter first, or split the contact.
    """

    code = "VC408"
    name = "too-many-phones"
    severity = Severity.WARNING
    profile = Profile.WA

    def check_contact(self, view: ContactView, fixer: Fixer, ctx: Context) -> Iterator[Finding]:
        count = len(view.phones)
        if count > MAX_PHONES:
            yield Finding(
                f"the contact has {count} phones; WhatsApp keeps the first {MAX_PHONES}",
                view.where,
            )


class WaidWithoutPhone(ContactRule):
    """VC411 waid-without-phone — a WhatsApp id with no phone number beside it.

    Why: a ``waid`` belongs to a TEL (docs/design.md "Phones"): a JSON
    ``whatsappId`` with no ``phoneNumber`` in the same object, or a TEL with
    a ``waid`` and an empty value, gives the recipient a Message button with
    no number to show; ``dumps`` refuses to invent one. Reported at the
    object that lacks the number (its ``{``), or at the TEL.
    Fails: ``{"fullName": "Ann", "whatsappId": "201111111111"}``
    Fix: add the number: ``"phoneNumber": "+201111111111"``.
    """

    code = "VC411"
    name = "waid-without-phone"
    severity = Severity.ERROR
    profile = Profile.WA

    def check_contact(self, view: ContactView, fixer: Fixer, ctx: Context) -> Iterator[Finding]:
        for phone in view.phones:
            if (
                phone.waid is not None
                and _number(phone) is None
                and not (phone.number is None and fixer.has_key(phone.pointer, "phoneNumber"))
            ):
                yield Finding(
                    f"the WhatsApp id {quote(phone.waid.value)} has no phone number beside it",
                    phone.where,
                )


class PhoneFormatting(ContactRule):
    """VC412 phone-formatting — a valid international number written with separators.

    Why: WhatsApp reads ``+55 11 91234-5678`` (and writes numbers that way
    itself), so this is information; E.164 (``+5511912345678``) is what
    other readers and the sending APIs compare. Reported at the first space,
    dash or bracket.
    Fails: ``TEL:+20 111 111 1111``
    Fix: ``TEL:+201111111111`` (automatic, safe).
    """

    code = "VC412"
    name = "phone-formatting"
    severity = Severity.INFO
    profile = Profile.WA
    fixes = "safe"

    def check_contact(self, view: ContactView, fixer: Fixer, ctx: Context) -> Iterator[Finding]:
        for number, facts in _numbers(view, ctx):
            if facts.kind is not Kind.VALID or facts.e164 is None or number.value == facts.e164:
                continue
            how = (
                "written with separators"
                if any(c in " -()" for c in number.value)
                else "written with its national prefix"
            )
            yield Finding(
                f"the phone {quote(number.value)} is {facts.e164} {how}",
                number.at(facts.index),
                fixer.replace(number, facts.e164, f"write {facts.e164} (E.164)"),
            )


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
        if doc.embedded:
            return
        # A file is read as a stream: the first card past the limit is
        # reported when it is read, before the total is known.
        for card in doc.cards:
            if card.index == MAX_CONTACTS:
                yield Finding(
                    f"the payload has more than {MAX_CONTACTS} cards; WhatsApp sends at most "
                    f"{MAX_CONTACTS} in one message: split it",
                    card.where(),
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
        if doc.embedded or not doc.final or doc.cards:
            return  # a `vcard` string with no card is VC607's
        payload = doc.payload
        if payload is not None and (payload.cards or payload.fatal):
            return  # the windows before this last one held cards
        if any(issue.fatal for issue in doc.issues):
            return
        yield Finding("the payload holds no card", doc.at(1, 1))

    def check_json(self, doc: JsonDocument, ctx: Context) -> Iterator[Finding]:
        if isinstance(doc.value, list) and not doc.value and doc.error is None:
            yield Finding("the payload is an empty array: it holds no contact", doc.at(""))
