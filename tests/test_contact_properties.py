"""Properties of validation over generated contacts (VC4xx, VC5xx, VC7xx and the profiles).

Contacts with valid fields are ``vcardkit.strategies.contacts()`` (arbitrary
Unicode in text fields, item groups, extra properties) with what that
strategy leaves arbitrary made valid: phones from numbers known to be valid
(checked by hand against their numbering plans; see test_phones.py), a
non-blank name, and no e-mail, URL or birthday (arbitrary text there).
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

import vcardkit
from vcardkit import Contact, Phone
from vcardkit._rules._base import Profile
from vcardkit.strategies import contacts

# Valid numbers as people write them, and E.164 (their digits are the waid).
VALID_PHONES = (
    "+201111111111",
    "+20 11 1111 1112",
    "+5511912345678",
    "+55 11 91234-5679",
    "+525512345678",
    "+5491112345678",
    "+447400123456",
    "+44 20 7946 0958",
    "+1 (650) 253-0000",
    "+919876543210",
    "+33 6 12 34 56 78",
    "+2348031234567",
    "+62 812-3456-7890",
    "+966501234567",
    "+7 912 345-67-89",
    "+819012345678",
)

# No surrogates; no controls: they are VC113's (and dumps raises).
_VALUE_CHARS = st.characters(exclude_categories=("Cs", "Cc"))
names = st.text(_VALUE_CHARS, min_size=1).filter(str.strip)
texts = st.text(_VALUE_CHARS, max_size=30)


def _digits(number: str) -> str:
    return "".join(c for c in number if c.isdigit())


@st.composite
def phones(draw: st.DrawFn) -> Phone:
    number = draw(st.sampled_from(VALID_PHONES))
    waid = _digits(number) if draw(st.booleans()) else None
    types = draw(st.sampled_from([(), ("CELL",), ("WORK", "VOICE"), ("HOME",)]))
    return Phone(number, waid, types)


@st.composite
def valid_contacts(draw: st.DrawFn) -> Contact:
    contact = draw(contacts())
    name = contact.full_name
    return dataclasses.replace(
        contact,
        full_name=name if name is not None and name.strip() else draw(names),
        phones=tuple(draw(st.lists(phones(), max_size=12))),
        emails=(),
        urls=(),
        birthday=None,
    )


@given(st.lists(valid_contacts(), min_size=1, max_size=4))
@settings(max_examples=40, deadline=None)
def test_written_contacts_validate_without_error(contacts: list[Contact]) -> None:
    """Every contact dumps writes from valid fields validates with no error under either profile."""
    text = vcardkit.dumps(contacts)
    for profile in ("whatsapp", "rfc2426"):
        for data in (text, contacts):
            report = vcardkit.validate(data, profile=profile)
            assert report.ok, [(d.code, d.message) for d in report.errors]


# Anything at all in the phone fields, to reach every VC4xx case.
_phone_text = st.one_of(
    st.sampled_from(VALID_PHONES),
    st.from_regex(r"[+0-9 ()\-.@a-z]{0,20}", fullmatch=True),
    st.text(_VALUE_CHARS, max_size=35),
)
_any_json_contact = st.fixed_dictionaries(
    {},
    optional={
        "fullName": st.one_of(names, st.just(""), st.just("+20 111 111 1111")),
        "organization": texts,
        "phoneNumber": _phone_text,
        "whatsappId": _phone_text,
        "phones": st.lists(
            st.fixed_dictionaries(
                {}, optional={"phoneNumber": _phone_text, "whatsappId": _phone_text}
            ),
            max_size=12,
        ),
    },
)


@given(st.lists(_any_json_contact, max_size=5))
@settings(max_examples=80, deadline=None)
def test_rfc2426_profile_never_reports_a_wa_rule(data: list[dict[str, Any]]) -> None:
    """The rfc2426 profile never reports a wa rule, on JSON or on the cards written from it."""
    wa = {rule.code for rule in vcardkit.rules() if rule.profile is Profile.WA}
    inputs: list[object] = [data, json.dumps(data, ensure_ascii=False)]
    # A waid without a phone, a field no 3.0 value carries: nothing written.
    with contextlib.suppress(vcardkit.VCardError):
        inputs.append(vcardkit.dumps(vcardkit.from_json(data)))
    for item in inputs:
        whatsapp = {d.code for d in vcardkit.validate(item).diagnostics}
        rfc = {d.code for d in vcardkit.validate(item, profile="rfc2426").diagnostics}
        assert not rfc & wa
        # The same rfc rules run under both profiles; only VC313 knows
        # `waid` under whatsapp and reports it under rfc2426 (docs/design.md "`waid`").
        assert rfc - {"VC313"} <= whatsapp
