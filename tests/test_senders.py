"""vcardkit.senders: golden files, round trips, lossy fields, malformed input, the README.

Every expectation here is worked out from the shapes' specifications (the
issue "Reused by other senders": the Cloud API contacts object, Evolution
API's sendContact, Baileys' contacts message, WAHA's body) and docs/design.md,
not from the code's output: the golden files in fixtures/senders/<shape>/
were written by hand, and the projections below say, field by field, what
each shape carries.
"""

from __future__ import annotations

import dataclasses
import doctest
import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import vcardkit
from tests.conftest import FIXTURES, ROOT
from vcardkit import Address, Contact, Email, Phone, Url, VCardError
from vcardkit.senders import (
    SHAPES,
    from_baileys,
    from_cloud_api,
    from_evolution,
    from_waha,
    to_baileys,
    to_cloud_api,
    to_evolution,
    to_waha,
)
from vcardkit.strategies import contacts, json_contacts, parameter_values, raw_values, texts

SENDERS = FIXTURES / "senders"
SHAPE_NAMES = ("cloud-api", "evolution", "baileys", "waha")
CASES = sorted(SENDERS.glob("*/*.in.json"))
READS = sorted(p for p in SENDERS.glob("*/read/*.json") if not p.name.endswith(".expected.json"))

PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def load_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def fields(contacts: list[Contact]) -> list[Contact]:
    """Contacts with a ``vcard`` string read into its fields: the card is the contact."""
    return [vcardkit.loads(c.vcard)[0] if c.vcard is not None else c for c in contacts]


def as_json(value: Any) -> Any:
    """``value`` through JSON text and back: what a sender receives."""
    return json.loads(json.dumps(value))


# --- golden files ---------------------------------------------------------------


def test_every_shape_has_its_golden_files() -> None:
    assert tuple(SHAPES) == SHAPE_NAMES
    for shape in SHAPE_NAMES:
        names = {p.name for p in (SENDERS / shape).glob("*.json")}
        for case in ("one", "several", "every-field"):
            assert {f"{case}.in.json", f"{case}.out.json"} <= names, (shape, case)
    assert len(CASES) >= 12
    assert {p.parent.parent.name for p in READS} == set(SHAPE_NAMES)


@pytest.mark.parametrize("path", CASES, ids=lambda p: f"{p.parent.name}/{p.name[:-8]}")
def test_golden_contacts_to_shape(path: Path) -> None:
    writer = SHAPES[path.parent.name].writer
    expected = load_json(path.with_name(path.name.replace(".in.", ".out.")))
    assert writer(load_json(path)) == expected


@pytest.mark.parametrize("path", CASES, ids=lambda p: f"{p.parent.name}/{p.name[:-8]}")
def test_golden_shape_to_contacts(path: Path) -> None:
    reader = SHAPES[path.parent.name].reader
    shape = load_json(path.with_name(path.name.replace(".in.", ".out.")))
    assert fields(reader(shape)) == fields(vcardkit.from_json(load_json(path)))


@pytest.mark.parametrize("path", READS, ids=lambda p: f"{p.parent.parent.name}/{p.stem}")
def test_golden_read(path: Path) -> None:
    """What senders receive (whole messages, webhooks, bodies) reads as the JSON beside it."""
    reader = SHAPES[path.parent.parent.name].reader
    expected = load_json(path.with_name(path.stem + ".expected.json"))
    assert fields(reader(load_json(path))) == fields(vcardkit.from_json(expected))
    # JSON text and bytes read the same.
    text = path.read_text(encoding="utf-8")
    assert reader(text) == reader(text.encode("utf-8")) == reader(load_json(path))


# --- what each shape carries: the projections -------------------------------------

CLOUD_PHONE_TYPES = {"CELL", "MAIN", "IPHONE", "HOME", "WORK"}
CLOUD_OTHER_TYPES = {"HOME", "WORK"}
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _one_type(types: tuple[str, ...], allowed: set[str]) -> tuple[str, ...]:
    # One type the shape knows, in its spelling (TYPE values are case-insensitive).
    if len(types) == 1 and types[0].upper() in allowed:
        return (types[0].upper(),)
    return ()


def _iso_date(value: str | None) -> str | None:
    import datetime

    if value is None or not ISO_DATE.fullmatch(value):
        return None
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        return None
    return value


def cloud_projection(c: Contact) -> Contact:
    """What the Cloud API contacts object carries of ``c``: names, org, phones
    (one known type, a digits-only wa_id), e-mails, URLs and addresses (one of
    HOME, WORK; no PO box or extended address), a YYYY-MM-DD birthday; no group,
    parameter, note or extra property. The first phone's CELL is its default."""
    phones = []
    for k, p in enumerate(c.phones):
        types = _one_type(p.type, CLOUD_PHONE_TYPES)
        if k == 0 and (
            types == ("CELL",) or sorted(t.upper() for t in p.type) == ["CELL", "VOICE"]
        ):
            types = ()
        waid = p.whatsapp_id if p.whatsapp_id and re.fullmatch("[0-9]+", p.whatsapp_id) else None
        phones.append(Phone(p.phone_number, waid, types))
    return dataclasses.replace(
        c,
        phones=tuple(phones),
        emails=tuple(Email(e.email, _one_type(e.type, CLOUD_OTHER_TYPES)) for e in c.emails),
        urls=tuple(Url(u.url, _one_type(u.type, CLOUD_OTHER_TYPES)) for u in c.urls),
        addresses=tuple(
            Address(
                street=a.street,
                city=a.city,
                state=a.state,
                zip=a.zip,
                country=a.country,
                country_code=a.country_code,
                type=_one_type(a.type, CLOUD_OTHER_TYPES),
            )
            for a in c.addresses
        ),
        birthday=_iso_date(c.birthday),
        note=None,
        extra_properties=(),
    )


def evolution_projection(c: Contact) -> Contact:
    """What Evolution API's contact carries of ``c``: the full name, the
    organization, the first phone's number and WhatsApp id, the first e-mail's
    address and the first URL; nothing else."""
    first = c.phones[0]
    return Contact(
        c.full_name,
        organization=c.organization,
        phone_number=first.phone_number,
        whatsapp_id=first.whatsapp_id,
        emails=[Email(c.emails[0].email)] if c.emails else [],
        urls=[Url(c.urls[0].url)] if c.urls else [],
    )


# Evolution needs a full name and organization its unescaped card writes as
# they are, and a first phone with a number and a digits-only WhatsApp id:
# generated contacts are given those, everything else as generated.
_EVOLUTION_UNSAFE = re.compile(r"[\x00-\x08\x0a-\x1f\x7f;\\]")


def _evolution_safe(text: str | None) -> str | None:
    if text is None:
        return None
    return _EVOLUTION_UNSAFE.sub("", text) or "x"


@st.composite
def evolution_ready(draw: st.DrawFn) -> Contact:
    c = draw(contacts())
    first = c.phones[0] if c.phones else Phone()
    first = dataclasses.replace(
        first,
        phone_number=first.phone_number or "+201111111111",
        whatsapp_id=draw(st.from_regex(r"[0-9]{7,15}", fullmatch=True)),
    )
    return dataclasses.replace(
        c,
        full_name=_evolution_safe(c.full_name) or "x",
        organization=_evolution_safe(c.organization),
        phones=(first, *c.phones[1:]),
    )


cloud_ready = contacts().filter(lambda c: c.full_name is not None)


# --- round trips ----------------------------------------------------------------


@PROPERTY
@given(cloud_ready)
def test_cloud_api_round_trip(contact: Contact) -> None:
    """Contact -> Cloud API (lossy) -> Contact gives the contact's Cloud API projection."""
    shape = as_json(to_cloud_api([contact], lossy=True))
    assert from_cloud_api(shape) == [cloud_projection(contact)]


@PROPERTY
@given(cloud_ready)
def test_cloud_api_lossy_false_raises_only_for_what_it_cannot_carry(contact: Contact) -> None:
    """Without lossy, a contact the Cloud API carries whole converts as with lossy;
    a contact that raises carries something the shape does not."""
    try:
        strict = to_cloud_api([contact])
    except VCardError as exc:
        assert exc.pointer is not None and exc.pointer.startswith("/0/")
        assert cloud_projection(contact) != contact
    else:
        assert strict == to_cloud_api([contact], lossy=True)
    if cloud_projection(contact) == contact:
        assert from_cloud_api(to_cloud_api([contact])) == [contact]


@PROPERTY
@given(cloud_ready)
def test_cloud_api_name_never_formatted_name_alone(contact: Contact) -> None:
    """Every Cloud API name has formatted_name and at least one field beside it."""
    (out,) = to_cloud_api([contact], lossy=True)
    name = out["name"]
    assert name["formatted_name"] == contact.full_name
    assert len(name) >= 2
    assert all(isinstance(v, str) and v for v in name.values())


@PROPERTY
@given(cloud_ready)
def test_cloud_api_carries_its_projection_whole(contact: Contact) -> None:
    """What the Cloud API carries of a contact converts without lossy and reads back whole."""
    projected = cloud_projection(contact)
    assert from_cloud_api(as_json(to_cloud_api([projected]))) == [projected]


@PROPERTY
@given(evolution_ready())
def test_evolution_carries_its_projection_whole(contact: Contact) -> None:
    """What Evolution carries of a contact converts without lossy and reads back whole."""
    projected = evolution_projection(contact)
    assert from_evolution(as_json(to_evolution([projected]))) == [projected]


@PROPERTY
@given(evolution_ready())
def test_evolution_round_trip(contact: Contact) -> None:
    """Contact -> Evolution (lossy) -> Contact gives the contact's Evolution projection."""
    shape = as_json(to_evolution([contact], lossy=True))
    assert from_evolution(shape) == [evolution_projection(contact)]
    assert re.fullmatch("[0-9]+", shape[0]["wuid"])


@PROPERTY
@given(evolution_ready())
def test_evolution_lossy_false_raises_only_for_what_it_cannot_carry(contact: Contact) -> None:
    """Without lossy, a contact Evolution carries whole converts as with lossy; a
    contact that raises carries something the shape does not."""
    try:
        strict = to_evolution([contact])
    except VCardError as exc:
        assert exc.pointer is not None and exc.pointer.startswith("/0/")
        assert evolution_projection(contact) != contact
    else:
        assert strict == to_evolution([contact], lossy=True)


@PROPERTY
@given(st.lists(contacts(), min_size=1, max_size=3))
def test_baileys_round_trip(cs: list[Contact]) -> None:
    """Contacts -> Baileys -> contacts is the identity: the canonical card carries everything."""
    message = as_json(to_baileys(cs))
    assert from_baileys(message) == cs
    for entry, contact in zip(message["contacts"], cs, strict=True):
        assert entry["vcard"] == vcardkit.dumps([contact])
        assert isinstance(entry["displayName"], str)
    expected_top = message["contacts"][0]["displayName"] if len(cs) == 1 else f"{len(cs)} contacts"
    assert message["displayName"] == expected_top


# Contacts of the four flat fields alone, with any text: some WAHA carries flat,
# some (a "," in the name, a '"' in the id) it does not.
flat_candidates = st.builds(
    Contact,
    texts(),
    organization=st.none() | texts(),
    phone_number=raw_values(),
    whatsapp_id=st.none() | parameter_values() | st.from_regex(r"[0-9]{7,15}", fullmatch=True),
)


@PROPERTY
@given(st.lists(contacts() | flat_candidates, min_size=1, max_size=3))
def test_waha_round_trip(cs: list[Contact]) -> None:
    """Contacts -> WAHA -> contacts gives the same cards, and a flat entry the same contact."""
    body = as_json(to_waha(cs))
    back = from_waha(body)
    assert fields(back) == cs
    assert vcardkit.dumps(back) == vcardkit.dumps(cs)
    for entry, contact, read in zip(body, cs, back, strict=True):
        if "vcard" in entry:
            assert entry == {"vcard": vcardkit.dumps([contact])}
        else:
            assert read == contact
            assert set(entry) <= {"fullName", "organization", "phoneNumber", "whatsappId"}


@PROPERTY
@given(json_contacts())
def test_writers_read_mappings_as_dumps_does(mapping: dict[str, Any]) -> None:
    """Every writer gives the same shape for a JSON contact as for the Contact from_json reads."""
    contact = vcardkit.from_json([mapping])
    for name, (_, writer) in SHAPES.items():
        outcomes = []
        for given_ in ([mapping], contact):
            try:
                outcomes.append(("ok", writer(given_, lossy=True)))
            except VCardError as exc:
                outcomes.append(("error", exc.msg))
        assert outcomes[0] == outcomes[1], name


# --- lossy fields: lossy=False names them, lossy=True drops exactly them ------------

BASE: dict[str, Any] = {
    "fullName": "Ann Lee",
    "phoneNumber": "+447400123456",
    "whatsappId": "447400123456",
}
CARD_WITH_NOTE = "BEGIN:VCARD\nVERSION:3.0\nFN:Ann Lee\nTEL:+447400123456\nNOTE:hi\nEND:VCARD"
CARD_WITHOUT_NOTE = "BEGIN:VCARD\nVERSION:3.0\nFN:Ann Lee\nTEL:+447400123456\nEND:VCARD"

# (with the field, its pointer, the same contact without it)
CLOUD_LOSSY = [
    ({**BASE, "note": "call after 5"}, "/0/note", BASE),
    ({**BASE, "extraProperties": ["X-WA-BIZ-NAME:Shop"]}, "/0/extraProperties", BASE),
    (
        {**BASE, "addresses": [{"poBox": "PO Box 12", "city": "Cairo"}]},
        "/0/addresses/0/poBox",
        {**BASE, "addresses": [{"city": "Cairo"}]},
    ),
    (
        {**BASE, "addresses": [{"extendedAddress": "Flat 3", "city": "Cairo"}]},
        "/0/addresses/0/extendedAddress",
        {**BASE, "addresses": [{"city": "Cairo"}]},
    ),
    (
        {**BASE, "addresses": [{"city": "Cairo", "type": "POSTAL"}]},
        "/0/addresses/0/type",
        {**BASE, "addresses": [{"city": "Cairo"}]},
    ),
    (
        {**BASE, "addresses": [{"city": "Cairo", "group": "item1"}]},
        "/0/addresses/0/group",
        {**BASE, "addresses": [{"city": "Cairo"}]},
    ),
    (
        {**BASE, "phones": [{"phoneNumber": "+20227970000", "type": "FAX"}]},
        "/0/phones/0/type",
        {**BASE, "phones": [{"phoneNumber": "+20227970000"}]},
    ),
    (
        {**BASE, "phones": [{"phoneNumber": "+20227970000", "type": ["WORK", "VOICE"]}]},
        "/0/phones/0/type",
        {**BASE, "phones": [{"phoneNumber": "+20227970000"}]},
    ),
    (
        {"fullName": "Ann Lee", "phones": [{"phoneNumber": "+447400123456", "type": "FAX"}]},
        "/0/phones/0/type",
        {"fullName": "Ann Lee", "phones": [{"phoneNumber": "+447400123456"}]},
    ),
    (
        {**BASE, "phones": [{"phoneNumber": "+20227970000", "group": "item1"}]},
        "/0/phones/0/group",
        {**BASE, "phones": [{"phoneNumber": "+20227970000"}]},
    ),
    (
        {**BASE, "phones": [{"phoneNumber": "+20227970000", "parameters": ["X-A=b"]}]},
        "/0/phones/0/parameters",
        {**BASE, "phones": [{"phoneNumber": "+20227970000"}]},
    ),
    (
        {**BASE, "whatsappId": "447400123456@s.whatsapp.net"},
        "/0/whatsappId",
        {"fullName": "Ann Lee", "phoneNumber": "+447400123456"},
    ),
    (
        {**BASE, "emails": [{"email": "ann@example.com", "type": "pref"}]},
        "/0/emails/0/type",
        {**BASE, "emails": [{"email": "ann@example.com"}]},
    ),
    (
        {**BASE, "emails": [{"email": "ann@example.com", "parameters": ["X-A=b"]}]},
        "/0/emails/0/parameters",
        {**BASE, "emails": [{"email": "ann@example.com"}]},
    ),
    (
        {**BASE, "urls": [{"url": "https://example.com", "type": ["WORK", "HOME"]}]},
        "/0/urls/0/type",
        {**BASE, "urls": [{"url": "https://example.com"}]},
    ),
    (
        {**BASE, "urls": [{"url": "https://example.com", "group": "item2"}]},
        "/0/urls/0/group",
        {**BASE, "urls": [{"url": "https://example.com"}]},
    ),
    ({**BASE, "birthday": "--04-15"}, "/0/birthday", BASE),
    ({**BASE, "birthday": "1985-02-30"}, "/0/birthday", BASE),
    ({**BASE, "birthday": "15/04/1985"}, "/0/birthday", BASE),
    ({"vcard": CARD_WITH_NOTE}, "/0/vcard", {"vcard": CARD_WITHOUT_NOTE}),
]

EVOLUTION_LOSSY = [
    ({**BASE, "firstName": "Ann"}, "/0/firstName", BASE),
    ({**BASE, "lastName": "Lee"}, "/0/lastName", BASE),
    ({**BASE, "middleName": "M"}, "/0/middleName", BASE),
    ({**BASE, "namePrefix": "Dr."}, "/0/namePrefix", BASE),
    ({**BASE, "nameSuffix": "Jr."}, "/0/nameSuffix", BASE),
    ({**BASE, "department": "Sales"}, "/0/department", BASE),
    ({**BASE, "title": "CEO"}, "/0/title", BASE),
    ({**BASE, "phones": [{"phoneNumber": "+20227970000"}]}, "/0/phones/0", BASE),
    (
        {
            "fullName": "Ann Lee",
            "phones": [
                {"phoneNumber": "+447400123456", "whatsappId": "447400123456", "type": "WORK"}
            ],
        },
        "/0/phones/0/type",
        BASE,
    ),
    (
        {
            "fullName": "Ann Lee",
            "phones": [
                {"phoneNumber": "+447400123456", "whatsappId": "447400123456", "group": "item1"}
            ],
        },
        "/0/phones/0/group",
        BASE,
    ),
    (
        {**BASE, "emails": [{"email": "a@example.com"}, {"email": "b@example.com"}]},
        "/0/emails/1",
        {**BASE, "emails": [{"email": "a@example.com"}]},
    ),
    (
        {**BASE, "emails": [{"email": "a@example.com", "type": "WORK"}]},
        "/0/emails/0/type",
        {**BASE, "emails": [{"email": "a@example.com"}]},
    ),
    (
        {**BASE, "urls": [{"url": "https://a.example"}, {"url": "https://b.example"}]},
        "/0/urls/1",
        {**BASE, "urls": [{"url": "https://a.example"}]},
    ),
    (
        {**BASE, "urls": [{"url": "https://a.example", "parameters": ["X-A=b"]}]},
        "/0/urls/0/parameters",
        {**BASE, "urls": [{"url": "https://a.example"}]},
    ),
    ({**BASE, "addresses": [{"city": "Cairo"}]}, "/0/addresses", BASE),
    ({**BASE, "birthday": "1985-04-15"}, "/0/birthday", BASE),
    ({**BASE, "note": "hi"}, "/0/note", BASE),
    ({**BASE, "extraProperties": ["X-A:b"]}, "/0/extraProperties", BASE),
]

LOSSY = [("cloud-api", *case) for case in CLOUD_LOSSY] + [
    ("evolution", *case) for case in EVOLUTION_LOSSY
]


@pytest.mark.parametrize(
    ("shape", "contact", "pointer", "without"),
    LOSSY,
    ids=[f"{shape}:{pointer}:{i}" for i, (shape, _, pointer, _) in enumerate(LOSSY)],
)
def test_lossy_field(
    shape: str, contact: dict[str, Any], pointer: str, without: dict[str, Any]
) -> None:
    reader, writer = SHAPES[shape]
    with pytest.raises(VCardError) as info:
        writer([contact])
    assert info.value.pointer == pointer
    assert "lossy=True" in str(info.value)
    # lossy=True drops exactly that field: the rest is as if it had never been there.
    assert writer([contact], lossy=True) == writer([without])
    # The pointer holds in a payload of several: it names the contact's index.
    with pytest.raises(VCardError) as info:
        writer([without, contact])
    assert info.value.pointer == "/1" + pointer[2:]
    # A Contact object points as to_json would write it.
    with pytest.raises(VCardError) as info:
        writer(vcardkit.from_json([contact]))
    assert info.value.pointer == pointer
    assert reader(writer([contact], lossy=True)) == reader(writer([without]))


# Values a shape needs and cannot be given: raised, whatever lossy says.
ALWAYS = [
    ("cloud-api", {"phoneNumber": "+447400123456"}, "/0/fullName"),
    ("cloud-api", {"firstName": "Ann", "lastName": "Lee"}, "/0/fullName"),
    ("evolution", {"phoneNumber": "+447400123456", "whatsappId": "447400123456"}, "/0/fullName"),
    ("evolution", {"fullName": "Ann Lee"}, "/0/phoneNumber"),
    ("evolution", {"fullName": "Ann Lee", "whatsappId": "447400123456"}, "/0/phoneNumber"),
    ("evolution", {"fullName": "Ann Lee", "phoneNumber": "+447400123456"}, "/0/whatsappId"),
    ("evolution", {**BASE, "whatsappId": "447400123456@s.whatsapp.net"}, "/0/whatsappId"),
    ("evolution", {**BASE, "whatsappId": "+447400123456"}, "/0/whatsappId"),
    (
        "evolution",
        {
            "fullName": "Ann Lee",
            "phones": [{"phoneNumber": "+447400123456", "whatsappId": "4474@c.us", "type": "HOME"}],
        },
        "/0/phones/0/whatsappId",
    ),
    ("evolution", {**BASE, "fullName": "Ann\nTEL:+1"}, "/0/fullName"),
    ("evolution", {**BASE, "fullName": "Lee; Ann"}, "/0/fullName"),
    ("evolution", {**BASE, "organization": "A\\nB"}, "/0/organization"),
    ("evolution", {**BASE, "organization": "Acme\rEND:VCARD"}, "/0/organization"),
    ("evolution", {**BASE, "emails": [{"email": "a@b.c\nX:y"}]}, "/0/emails/0/email"),
]


@pytest.mark.parametrize(("shape", "contact", "pointer"), ALWAYS)
@pytest.mark.parametrize("lossy", [False, True])
def test_required_or_unsafe_values_raise_whatever_lossy_says(
    shape: str, contact: dict[str, Any], pointer: str, lossy: bool
) -> None:
    with pytest.raises(VCardError) as info:
        SHAPES[shape].writer([contact], lossy=lossy)
    assert info.value.pointer == pointer
    assert "lossy=True drops" not in str(info.value)


@pytest.mark.parametrize(
    "contact",
    [
        {**BASE, "note": "hi", "birthday": "--01-02", "extraProperties": ["X-A:b"]},
        {"fullName": "x", "phones": [{"phoneNumber": "+1", "type": "FAX", "group": "g"}]},
        {"vcard": CARD_WITH_NOTE},
    ],
)
@pytest.mark.parametrize("shape", ["baileys", "waha"])
def test_baileys_and_waha_lose_nothing(shape: str, contact: dict[str, Any]) -> None:
    writer = SHAPES[shape].writer
    assert writer([contact]) == writer([contact], lossy=True)
    assert fields(SHAPES[shape].reader(writer([contact]))) == fields(vcardkit.from_json([contact]))


# --- the Cloud API ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("contact", "name"),
    [
        ({"fullName": "Ann Lee"}, {"formatted_name": "Ann Lee", "first_name": "Ann Lee"}),
        (
            {"fullName": "Ann Lee", "lastName": "Lee"},
            {"formatted_name": "Ann Lee", "last_name": "Lee"},
        ),
        (
            {"fullName": "Dr. Lee", "namePrefix": "Dr."},
            {"formatted_name": "Dr. Lee", "prefix": "Dr."},
        ),
        (
            {"fullName": "Ann Lee", "nameSuffix": "Jr.", "middleName": "M"},
            {"formatted_name": "Ann Lee", "middle_name": "M", "suffix": "Jr."},
        ),
        (
            {"vcard": "BEGIN:VCARD\nVERSION:3.0\nFN:Ann\nEND:VCARD"},
            {"formatted_name": "Ann", "first_name": "Ann"},
        ),
    ],
)
def test_cloud_api_name_rule(contact: dict[str, Any], name: dict[str, str]) -> None:
    """Meta requires one name field beside formatted_name: from N, else the full name."""
    (out,) = to_cloud_api([contact])
    assert out["name"] == name
    # The full name given back as first_name reads as no structured name.
    (back,) = from_cloud_api([out])
    assert back.full_name == name["formatted_name"]
    fallback = {"formatted_name": back.full_name, "first_name": back.full_name}
    assert back.has_structured_name == (name != fallback)


def test_cloud_api_first_name_unlike_the_full_name_is_kept() -> None:
    (back,) = from_cloud_api([{"name": {"formatted_name": "Ann Lee", "first_name": "Ann"}}])
    assert (back.full_name, back.first_name) == ("Ann Lee", "Ann")
    (back,) = from_cloud_api(
        [{"name": {"formatted_name": "Ann", "first_name": "Ann", "last_name": "L"}}]
    )
    assert (back.first_name, back.last_name) == ("Ann", "L")


@pytest.mark.parametrize(
    ("phones", "types"),
    [
        # The first phone's default (none, or the writer's CELL,VOICE) is CELL.
        ([Phone("+1")], ["CELL"]),
        ([Phone("+1", type=("CELL", "VOICE"))], ["CELL"]),
        ([Phone("+1", type=("voice", "cell"))], ["CELL"]),
        ([Phone("+1", type=("CELL",))], ["CELL"]),
        ([Phone("+1", type=("work",))], ["WORK"]),
        ([Phone("+1", type=("iPhone",))], ["IPHONE"]),
        # A later phone with no type was written with none: it stays untyped.
        ([Phone("+1"), Phone("+2")], ["CELL", None]),
        ([Phone("+1", type=("HOME",)), Phone("+2", type=("Main",))], ["HOME", "MAIN"]),
    ],
)
def test_cloud_api_phone_types(phones: list[Phone], types: list[str | None]) -> None:
    (out,) = to_cloud_api([Contact("Ann", phones=phones)])
    assert [p.get("type") for p in out["phones"]] == types


def test_cloud_api_cell_reads_back_as_the_first_phones_default_only() -> None:
    (back,) = from_cloud_api(
        [
            {
                "name": {"formatted_name": "Ann", "last_name": "A"},
                "phones": [
                    {"phone": "+1", "type": "CELL"},
                    {"phone": "+2", "type": "CELL"},
                    {"phone": "+3"},
                ],
            }
        ]
    )
    assert [p.type for p in back.phones] == [(), ("CELL",), ()]
    # ...and so the card is the one the contact with no type gives.
    assert vcardkit.dumps([back]) == vcardkit.dumps(
        [dataclasses.replace(back, phones=(Phone("+1"), Phone("+2", type=("CELL",)), Phone("+3")))]
    )
    assert "TEL;type=CELL;type=VOICE:+1" in vcardkit.dumps([back])


def test_cloud_api_types_of_emails_urls_addresses() -> None:
    contact = {
        "fullName": "Ann",
        "emails": [
            {"email": "a@x", "type": "home"},
            {"email": "b@x", "type": ["INTERNET", "WORK"]},
            {"email": "c@x"},
        ],
        "urls": [{"url": "https://x", "type": "Work"}],
        "addresses": [{"city": "Cairo", "type": "HOME"}],
    }
    (out,) = to_cloud_api([contact])
    assert out["emails"] == [
        {"email": "a@x", "type": "HOME"},
        {"email": "b@x", "type": "WORK"},  # INTERNET is on every EMAIL: it says nothing
        {"email": "c@x"},
    ]
    assert out["urls"] == [{"url": "https://x", "type": "WORK"}]
    assert out["addresses"] == [{"city": "Cairo", "type": "HOME"}]


def test_cloud_api_accepts_the_whole_message_and_a_webhook() -> None:
    contacts_ = load_json(SENDERS / "cloud-api" / "several.out.json")
    as_list = from_cloud_api(contacts_)
    message = {
        "messaging_product": "whatsapp",
        "to": "1",
        "type": "contacts",
        "contacts": contacts_,
    }
    assert from_cloud_api(message) == as_list
    received = {
        "from": "1",
        "id": "wamid.1",
        "timestamp": "1",
        "type": "contacts",
        "contacts": contacts_,
    }
    value = {
        "messaging_product": "whatsapp",
        "contacts": [{"profile": {"name": "Sender"}, "wa_id": "1"}],  # the sender, not a card
        "messages": [received, {"type": "text", "text": {"body": "hi"}}, received],
    }
    assert from_cloud_api(value) == as_list * 2
    webhook = {"object": "whatsapp_business_account", "entry": [{"changes": [{"value": value}]}]}
    assert from_cloud_api(webhook) == as_list * 2
    assert from_cloud_api({"object": "whatsapp_business_account", "entry": []}) == []
    assert from_cloud_api(contacts_[0]) == as_list[:1]


def test_cloud_api_error_points_into_a_webhook() -> None:
    message = {"type": "contacts", "contacts": [{"name": {"formatted_name": "A"}}, {"nmae": {}}]}
    webhook = {"entry": [{"changes": [{"value": {"messages": [message]}}]}]}
    with pytest.raises(VCardError) as info:
        from_cloud_api(webhook)
    assert info.value.pointer == "/entry/0/changes/0/value/messages/0/contacts/1/nmae"
    assert "did you mean 'name'" in str(info.value)


# --- Evolution API ----------------------------------------------------------------


def test_evolution_wuid_is_digits_only() -> None:
    """Decision: a WhatsApp id with a JID suffix is not a wuid. Evolution itself would
    write ``<digits>@s.whatsapp.net`` into the card's waid (which leaves the Message
    button disabled), so to_evolution raises, naming the field, even with lossy=True,
    rather than strip the suffix (a guess) or drop the wuid (Evolution would then make
    up the JID itself)."""
    for lossy in (False, True):
        with pytest.raises(VCardError) as info:
            to_evolution([{**BASE, "whatsappId": "447400123456@s.whatsapp.net"}], lossy=lossy)
        assert info.value.pointer == "/0/whatsappId"
        assert info.value.code == "VC404"
        assert "@s.whatsapp.net" in str(info.value)
    (out,) = to_evolution([BASE])
    assert out["wuid"] == "447400123456"


def test_evolution_reads_the_body_and_keeps_a_jid_for_validate() -> None:
    body = load_json(SENDERS / "evolution" / "read" / "body.json")
    contacts_ = from_evolution(body)
    assert contacts_[1].whatsapp_id == "559911111111@s.whatsapp.net"
    report = vcardkit.validate(contacts_)
    assert any(d.code == "VC404" and d.card == 1 for d in report.diagnostics)
    assert from_evolution({"contactMessage": body["contact"]}) == contacts_  # version 1's key


# --- Baileys ----------------------------------------------------------------------


def test_baileys_single_contact() -> None:
    contact = {"fullName": "Ann Lee", "phoneNumber": "+447400123456"}
    message = to_baileys([contact])
    # Baileys discards the outer displayName of a single contact: the entry has its own.
    assert message == {
        "displayName": "Ann Lee",
        "contacts": [{"displayName": "Ann Lee", "vcard": vcardkit.dumps([contact])}],
    }
    assert to_baileys(contact) == message  # one contact, as dumps takes it


def test_baileys_several_contacts() -> None:
    cs = [
        {"fullName": "Ann Lee", "phoneNumber": "+447400123456"},
        {"firstName": "Omar", "lastName": "Farouk", "namePrefix": "Dr."},
        {"phoneNumber": "+20227970000"},
        {"vcard": "BEGIN:VCARD\nVERSION:3.0\nFN:Desk\nEND:VCARD"},
    ]
    message = to_baileys(cs)
    assert message["displayName"] == "4 contacts"
    assert [e["displayName"] for e in message["contacts"]] == [
        "Ann Lee",
        "Dr. Omar Farouk",  # no full name: the structured name, in reading order
        "+20227970000",  # no name at all: the number
        "Desk",  # a vcard string: its FN
    ]
    for entry, contact in zip(message["contacts"], cs, strict=True):
        assert entry["vcard"] == vcardkit.dumps([contact])


def test_baileys_reads_each_entrys_card_and_points_at_a_bad_one() -> None:
    good = vcardkit.dumps([BASE])
    bad = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:A\r\n"
    with pytest.raises(VCardError) as info:
        from_baileys(
            {
                "displayName": "2 contacts",
                "contacts": [
                    {"displayName": "A", "vcard": good},
                    {"displayName": "B", "vcard": bad},
                ],
            }
        )
    assert info.value.pointer == "/contacts/1/vcard"
    assert (info.value.line, info.value.column) == (1, 1)
    assert info.value.code == "VC105"


# --- WAHA -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("contact", "flat"),
    [
        (BASE, True),
        ({**BASE, "organization": "Wawp HQ"}, True),
        ({"fullName": "Ann Lee", "phoneNumber": "+447400123456"}, True),
        (
            {"fullName": "Ann Lee", "phones": [{"phoneNumber": "+1", "type": ["cell", "voice"]}]},
            True,
        ),
        ({"phoneNumber": "+447400123456"}, False),  # WAHA would write FN:undefined
        ({"fullName": "Ann Lee"}, False),  # ...and a TEL of undefined
        ({**BASE, "fullName": "Lee, Ann"}, False),  # WAHA does not escape
        ({**BASE, "organization": "A;B"}, False),
        ({**BASE, "whatsappId": "44;74"}, False),
        ({**BASE, "firstName": "Ann"}, False),
        ({**BASE, "title": "CEO"}, False),
        ({**BASE, "phones": [{"phoneNumber": "+2"}]}, False),
        ({"fullName": "A", "phones": [{"phoneNumber": "+1", "type": "WORK"}]}, False),
        ({**BASE, "emails": [{"email": "a@x"}]}, False),
        ({**BASE, "note": "hi"}, False),
        ({"vcard": CARD_WITHOUT_NOTE}, False),
    ],
)
def test_waha_flat_only_when_the_four_fields_carry_it_whole(
    contact: dict[str, Any], flat: bool
) -> None:
    (out,) = to_waha([contact])
    assert ("vcard" not in out) == flat
    if not flat:
        assert out == {"vcard": vcardkit.dumps([contact])}
    (card,) = to_waha([contact], flat=False)
    assert card == {"vcard": vcardkit.dumps([contact])}


def test_waha_reads_the_body() -> None:
    body = {"chatId": "1@c.us", "contacts": [BASE, {"vcard": CARD_WITH_NOTE}]}
    assert from_waha(body) == vcardkit.from_json([BASE, {"vcard": CARD_WITH_NOTE}])
    with pytest.raises(VCardError) as info:
        from_waha({"chatId": "1@c.us", "contacts": [{"fullNmae": "x"}]})
    assert info.value.pointer == "/contacts/0/fullNmae"


# --- malformed input: VCardError with a pointer, never KeyError or TypeError --------

MALFORMED: list[tuple[str, Any, str | None]] = [
    ("cloud-api", 42, ""),
    ("cloud-api", [42], "/0"),
    ("cloud-api", [{"nmae": {"formatted_name": "A"}}], "/0/nmae"),
    ("cloud-api", [{"name": "Ann"}], "/0/name"),
    ("cloud-api", [{"name": {"formatted_name": 5}}], "/0/name/formatted_name"),
    ("cloud-api", [{"name": {"formatted_name": "A", "nick": "a"}}], "/0/name/nick"),
    ("cloud-api", [{"phones": {"phone": "+1"}}], "/0/phones"),
    ("cloud-api", [{"phones": ["+1"]}], "/0/phones/0"),
    ("cloud-api", [{"phones": [{"phone": "+1", "type": ["CELL"]}]}], "/0/phones/0/type"),
    ("cloud-api", [{"emails": [{"email": None, "kind": "WORK"}]}], "/0/emails/0/kind"),
    ("cloud-api", [{"addresses": [{"zip": 94025}]}], "/0/addresses/0/zip"),
    ("cloud-api", [{"org": ["Acme"]}], "/0/org"),
    ("cloud-api", [{"birthday": 19850415}], "/0/birthday"),
    ("cloud-api", {"type": "text", "contacts": []}, "/type"),
    ("cloud-api", {"type": "contacts"}, "/contacts"),
    ("cloud-api", {"type": "contacts", "contacts": {"name": {}}}, "/contacts"),
    ("cloud-api", {"entry": {}}, "/entry"),
    ("cloud-api", {"entry": [{"changes": [{"value": []}]}]}, "/entry/0/changes/0/value"),
    ("cloud-api", {"messages": [{"type": "contacts", "contacts": "x"}]}, "/messages/0/contacts"),
    ("cloud-api", "[{", None),
    ("evolution", 42, ""),
    ("evolution", [{"fullname": "A"}], "/0/fullname"),
    ("evolution", [{"fullName": 1}], "/0/fullName"),
    ("evolution", [{"fullName": "A", "wuid": 5511}], "/0/wuid"),
    ("evolution", {"number": "1", "contact": {"fullName": "A"}}, "/contact"),
    ("evolution", {"number": "1", "contact": [None]}, "/contact/0"),
    ("evolution", b"\xff", None),
    ("baileys", [], ""),
    ("baileys", {"contacts": [{"displayName": "A"}]}, "/contacts/0/vcard"),
    ("baileys", {"contacts": [{"vcard": 5}]}, "/contacts/0/vcard"),
    ("baileys", {"contacts": [{"vcard": ""}]}, "/contacts/0/vcard"),
    (
        "baileys",
        {"contacts": [{"vcard": CARD_WITH_NOTE + "\n" + CARD_WITH_NOTE}]},
        "/contacts/0/vcard",
    ),
    ("baileys", {"contacts": [{"vcard": "hello"}]}, "/contacts/0/vcard"),
    (
        "baileys",
        {"contacts": [{"vcard": CARD_WITH_NOTE, "dispalyName": "A"}]},
        "/contacts/0/dispalyName",
    ),
    (
        "baileys",
        {"contacts": [{"vcard": CARD_WITH_NOTE, "displayName": 1}]},
        "/contacts/0/displayName",
    ),
    ("baileys", {"displayName": "A", "contacts": "x"}, "/contacts"),
    ("baileys", {"displayName": "A"}, "/contacts"),
    ("baileys", {"displayName": "A", "contacts": [], "extra": 1}, "/extra"),
    ("baileys", {"contactMessage": "x"}, "/contactMessage"),
    ("baileys", {"contactsArrayMessage": {"contacts": [7]}}, "/contactsArrayMessage/contacts/0"),
    ("baileys", {"contacts": {"contacts": [{"vcard": None}]}}, "/contacts/contacts/0/vcard"),
    ("waha", 5, ""),
    ("waha", [{"fullName": 1}], "/0/fullName"),
    ("waha", [{"fullNmae": "A"}], "/0/fullNmae"),
    ("waha", {"chatId": "1", "contacts": "x"}, "/contacts"),
    ("waha", [{"vcard": 5}], "/0/vcard"),
]


@pytest.mark.parametrize(("shape", "data", "pointer"), MALFORMED)
def test_malformed_input_raises_vcard_error_with_a_pointer(
    shape: str, data: Any, pointer: str | None
) -> None:
    with pytest.raises(VCardError) as info:
        SHAPES[shape].reader(data)
    assert info.value.pointer == pointer
    if pointer is None:  # JSON text that is not JSON: a position instead
        assert info.value.code in ("VC601", "VC101")


JSON_KEYS = st.sampled_from(
    [
        "contacts",
        "contact",
        "type",
        "name",
        "formatted_name",
        "first_name",
        "phones",
        "phone",
        "wa_id",
        "emails",
        "email",
        "urls",
        "url",
        "addresses",
        "org",
        "company",
        "birthday",
        "entry",
        "changes",
        "value",
        "messages",
        "fullName",
        "wuid",
        "phoneNumber",
        "whatsappId",
        "organization",
        "displayName",
        "vcard",
        "contactMessage",
        "contactsArrayMessage",
        "number",
        "chatId",
        "zip",
    ]
)
JSON_VALUES = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.just("contacts"),
        st.just(CARD_WITH_NOTE),
        st.text(max_size=5),
    ),
    lambda children: st.one_of(
        st.lists(children, max_size=3),
        st.dictionaries(st.one_of(JSON_KEYS, st.text(max_size=3)), children, max_size=4),
    ),
    max_leaves=12,
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(JSON_VALUES)
def test_readers_raise_only_vcard_errors(data: Any) -> None:
    """Whatever JSON value a reader is given, it returns contacts or raises VCardError."""
    for name, (reader, _) in SHAPES.items():
        try:
            result = reader(data)
        except VCardError:
            continue
        assert isinstance(result, list), name
        assert all(isinstance(c, Contact) for c in result), name


def test_writers_refuse_a_wrong_python_type() -> None:
    for _, writer in SHAPES.values():
        with pytest.raises(TypeError):
            writer(42)  # type: ignore[arg-type]
        with pytest.raises(VCardError) as info:
            writer([{"fullName": 1}])
        assert info.value.pointer == "/0/fullName"


# --- the registry -----------------------------------------------------------------


def test_shapes_registry() -> None:
    assert dict(SHAPES) == {
        "cloud-api": (from_cloud_api, to_cloud_api),
        "evolution": (from_evolution, to_evolution),
        "baileys": (from_baileys, to_baileys),
        "waha": (from_waha, to_waha),
    }
    reader, writer = SHAPES["waha"]
    assert (reader, writer) == (SHAPES["waha"].reader, SHAPES["waha"].writer)
    with pytest.raises(TypeError):
        SHAPES["vcf"] = SHAPES["waha"]  # type: ignore[index]
    # Every writer is called alike.
    for reader, writer in SHAPES.values():
        assert fields(reader(as_json(writer([BASE], lossy=False)))) == vcardkit.from_json([BASE])


def test_senders_public_names() -> None:
    import vcardkit.senders as senders

    for name in senders.__all__:
        obj = getattr(senders, name)
        if callable(obj):
            assert obj.__doc__, name
        else:
            assert f":data:`{name}`" in (senders.__doc__ or ""), name
    assert {
        f"{d}_{s}" for d in ("to", "from") for s in ("cloud_api", "evolution", "baileys", "waha")
    } <= set(senders.__all__)


# --- the README's "Sender shapes" examples run ------------------------------------


def readme_sender_section() -> tuple[str, int]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index("### Sender shapes")
    end = text.index("\n#", start)  # the next section, of any level
    return text[start:end], text.count("\n", 0, start)


def test_readme_sender_examples_run() -> None:
    section, lineno = readme_sender_section()
    blocks = re.findall(r"```python\n(.*?)```", section, re.DOTALL)
    code = "".join(blocks)
    for function in ("to_cloud_api", "to_evolution", "to_baileys", "to_waha", "from_cloud_api"):
        assert function in code, function
    parser = doctest.DocTestParser()
    test = parser.get_doctest(code, {}, "README.md: Sender shapes", str(ROOT / "README.md"), lineno)
    assert len(test.examples) >= 8
    report: list[str] = []
    runner = doctest.DocTestRunner(
        optionflags=doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS, verbose=False
    )
    runner.run(test, out=report.append)
    assert runner.failures == 0, "".join(report)
