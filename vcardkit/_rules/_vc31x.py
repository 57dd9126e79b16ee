"""VC310–VC315: addresses, TYPE values, media, and what RFC 2426
does not know (parameters, properties, language tags).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Final

from vcardkit._rules._base import Finding, Profile, Rule
from vcardkit._rules._diagnostic import Severity
from vcardkit._rules._documents import Context, VcfDocument
from vcardkit._rules._formats import (
    LANGUAGE_TAG_RE,
    WHOLE,
    base64_fault,
    uri_fault,
)
from vcardkit._rules._helpers import (
    BOTH,
    TEXT_TOKEN_RE,
    VALID_ESCAPES,
    VCF,
    card_version,
    encoding_of,
    is_30,
    param_values,
    value_type_of,
)
from vcardkit._rules._jsondoc import JsonDocument, json_objects
from vcardkit._rules._vocabulary import (
    KNOWN_PARAMETERS,
    KNOWN_PROPERTIES,
    KNOWN_TYPES,
    MEDIA_TYPE_PREFIX,
    is_x_name,
)
from vcardkit._syntax._grammar import STRICT_NAME_RE
from vcardkit._syntax._lines import show

_ADDRESS_FIELDS: Final = (
    "poBox",
    "extendedAddress",
    "street",
    "city",
    "state",
    "zip",
    "country",
)


_ADR_ESCAPE_30: Final = VALID_ESCAPES


_ADR_ESCAPE_21: Final = frozenset({"\\;"})  # vCard 2.1 §2.1.3


_JSON_ADR_FAULT_RE: Final = re.compile(r"[;,\\\r\n]")


class AdrEscapes(Rule):
    """VC310 adr-escapes — an escape in an ADR component, or a JSON address field that needs one.

    Why: WhatsApp does not unescape ADR: it shows ``Main St\\, 4`` with its
    backslash, and splits the address at ``\\;`` [WA]. So an ADR component
    should hold no ``\\,`` ``\\;`` ``\\\\`` or ``\\n``; and a JSON address
    field holding ``;`` ``,`` ``\\`` or a line break, which the writer must
    escape (RFC 2426 §4), shows the same way. Reported at the first escape's
    backslash (an escape RFC 2426 does not have is VC303's), or at the JSON
    field's value. In a 2.1 card only ``\\;`` is an escape.
    Fails: ``ADR:;;Main St\\, 4;Cairo;;;Egypt``; ``{"street": "Main St, 4"}``
    Fix: no automatic fix: write the component without the character
    (``Main St 4``), or move the detail to another component.
    """

    code = "VC310"
    name = "adr-escapes"
    severity = Severity.WARNING
    profile = Profile.WA
    inputs = BOTH

    def check_vcf(self, doc: VcfDocument, ctx: Context) -> Iterator[Finding]:
        for card in doc.cards:
            for cl in card.named("ADR"):
                if encoding_of(cl) is not None or "\\" not in cl.value:
                    continue
                escapes = _ADR_ESCAPE_21 if card.legacy else _ADR_ESCAPE_30
                for m in TEXT_TOKEN_RE.finditer(cl.value):
                    token = m.group()
                    if token in escapes:
                        yield Finding(
                            f"the ADR value {show(cl.value)} holds the escape {token!r}; "
                            "WhatsApp does not unescape addresses and shows the backslash",
                            # The escape the message names, backslash and all.
                            card.where_part(cl, m.start(), m.end()),
                        )
                        break

    def check_json(self, doc: JsonDocument, ctx: Context) -> Iterator[Finding]:
        for index, obj, pointer in doc.contacts():
            for item, p in json_objects(obj, "addresses", pointer):
                for key in _ADDRESS_FIELDS:
                    value = item.get(key)
                    if not isinstance(value, str):
                        continue
                    m = _JSON_ADR_FAULT_RE.search(value)
                    if m is not None:
                        yield Finding(
                            f"the address field {key} {show(value)} holds {m.group()!r}, "
                            "which the card must escape; WhatsApp shows the backslash",
                            doc.at(f"{p}/{key}", card=index),
                        )


class UnknownType(Rule):
    """VC311 unknown-type — a TYPE value outside RFC 2426's list for the property.

    Why: readers map the types they know (HOME, WORK, CELL…) to labels and
    drop or mislabel the rest; an unknown type is often a typo (``CEL``) or
    another app's private word. The lists are RFC 2426's (TEL §3.3.1, EMAIL
    §3.3.2, ADR and LABEL §3.2.1–3.2.2, the image types of PHOTO and LOGO
    §3.1.4, SOUND §3.6.6, KEY §3.7.2), whose ``iana-token`` admits the TYPE
    values IANA's vCard registry holds for the property (``work`` and
    ``home`` for most, RFC 6350 §5.6; IMPP's of RFC 4770). Compared
    case-insensitively; X- values are always allowed. Apple's ``IPHONE``
    and ``MAIN`` and the common ``OTHER`` are in no RFC and no registry, so
    they are reported (at info: WhatsApp shows them as a custom label).
    X- properties are not checked (their types are their vendor's), nor 2.1
    and 4.0 cards, whose lists are not RFC 2426's. Reported once per
    property, at its first unknown value.
    Fails: ``TEL;TYPE=MOBILE:+201111111111``
    Fix: ``TEL;TYPE=CELL:+201111111111``, or an X- value (``TYPE=X-MOBILE``).
    """

    code = "VC311"
    name = "unknown-type"
    severity = Severity.INFO
    profile = Profile.RFC
    inputs = VCF

    def check_vcf(self, doc: VcfDocument, ctx: Context) -> Iterator[Finding]:
        for card in doc.cards:
            if not is_30(card):
                continue
            for cl in card.lines:
                if not cl.params:
                    continue
                name = cl.name.upper()
                if is_x_name(name) or not STRICT_NAME_RE.fullmatch(cl.name):
                    continue
                known = KNOWN_TYPES.get(name, frozenset())
                prefix = MEDIA_TYPE_PREFIX.get(name)
                unknown: list[tuple[str, int]] = []
                for p in cl.params:
                    if p.name is None or p.name.upper() != "TYPE":
                        continue
                    if all(
                        _known_type(item, known, prefix)
                        for value in p.values
                        for item in value.split(",")
                    ):
                        continue  # the common case: no offsets needed
                    for value, offset in param_values(cl, p):
                        # A quoted "HOME,VOICE" is a list too (4.0 style).
                        start = 0
                        for item in value.split(","):
                            if not _known_type(item, known, prefix):
                                unknown.append((item, offset + start))
                            start += len(item) + 1
                if not unknown:
                    continue
                names = ", ".join(repr(v) for v, _ in unknown)
                if known:
                    message = f"{cl.name} has the TYPE {names}, which RFC 2426 does not list"
                else:
                    message = f"{cl.name} has the TYPE {names}; RFC 2426 gives {cl.name} no TYPE"
                yield Finding(
                    f"{message} (an X- value is always allowed)",
                    # The first unknown value, whole (a parameter value is a value).
                    card.doc.span(
                        cl, unknown[0][1], unknown[0][1] + len(unknown[0][0]), card.index
                    ),
                )


def _known_type(value: str, known: frozenset[str], prefix: str | None) -> bool:
    upper = value.upper()
    if upper in known or is_x_name(value):
        return True
    if prefix is not None and upper.startswith(prefix):
        subtype = upper[len(prefix) :]
        return subtype in known or is_x_name(subtype)
    return False


_MEDIA: Final = ("PHOTO", "LOGO", "SOUND")


_INLINE: Final = frozenset({"B", "BASE64"})


_REFERENCE: Final = frozenset({"URI", "URL", "CONTENT-ID", "CID"})


class MediaValue(Rule):
    """VC312 media-value — PHOTO, LOGO or SOUND neither inline base64 nor marked a URI.

    Why: RFC 2426 §3.1.4 (and §3.5.3, §3.6.6): the value is either inline,
    with ``ENCODING=b``, or a reference, with ``VALUE=uri``; a reader told
    neither takes the value for one or the other and shows a broken image.
    Inline data must be base64 (RFC 2045 §6.8: the 64 characters and ``=``
    padding; spaces left by folding are skipped). In vCard 2.1 cards only
    ``ENCODING=BASE64`` data is checked (2.1's default is inline 7-bit
    data, which IrMC phones use for SOUND); 4.0 cards, whose media are
    URIs, are not checked. A missing parameter is reported at the
    property's name; bad base64 at its first offending character.
    Fails: ``PHOTO:https://example.com/ann.jpg``;
    ``PHOTO;ENCODING=b:qgEPAA:ASDF==``
    Fix: ``PHOTO;VALUE=uri:https://example.com/ann.jpg``; re-encode the image.
    """

    code = "VC312"
    name = "media-value"
    severity = Severity.WARNING
    profile = Profile.RFC
    inputs = VCF

    def check_vcf(self, doc: VcfDocument, ctx: Context) -> Iterator[Finding]:
        for card in doc.cards:
            if card.version == "4.0":
                continue
            for cl in card.lines:
                if cl.name.upper() not in _MEDIA:
                    continue
                encoding = encoding_of(cl)
                if encoding in _INLINE:
                    fault = base64_fault(cl.value)
                    if fault is not None:
                        index, why = fault
                        yield Finding(
                            f"the inline {cl.name} data is not base64: {why}",
                            card.where_value(cl) if index == WHOLE else card.where_char(cl, index),
                        )
                    continue
                if card.legacy or value_type_of(cl) in _REFERENCE or not cl.value:
                    continue  # 2.1's default is inline 7-bit data (2.1 §2.1.3)
                hint = "; it looks like a URI: add VALUE=uri" if uri_fault(cl.value) is None else ""
                yield Finding(
                    f"{cl.name} is neither inline data with ENCODING=b nor marked VALUE=uri{hint}",
                    card.where_name(cl),
                )


class UnknownParameter(Rule):
    """VC313 unknown-parameter — a parameter RFC 2426 does not define, not an X- name.

    Why: RFC 2426 §4 defines TYPE, ENCODING, VALUE, LANGUAGE and CONTEXT (with
    RFC 2425 §5.8.4); any other parameter is an ``x-name`` or nothing, and
    strict readers drop it. ``waid`` (WhatsApp's id of the phone) is known to
    the whatsapp profile only: under rfc2426 it is reported (docs/design.md
    "`waid`"). CHARSET is VC305's. A 2.1 card is held to 2.1's parameters, a 4.0
    card to RFC 6350's (PREF, PID, ALTID, MEDIATYPE…). Reported at the
    parameter's name.
    Fails: ``TEL;PREF=1:+201111111111`` in a 3.0 card
    Fix: ``TEL;TYPE=PREF:+201111111111``, or an X- name (``X-PREF=1``).
    """

    code = "VC313"
    name = "unknown-parameter"
    severity = Severity.INFO
    profile = Profile.RFC
    inputs = VCF

    def check_vcf(self, doc: VcfDocument, ctx: Context) -> Iterator[Finding]:
        for card in doc.cards:
            version = card_version(card)
            known = KNOWN_PARAMETERS.get(version, KNOWN_PARAMETERS["3.0"])
            for cl in card.lines:
                for p in cl.params:
                    if p.name is None or not STRICT_NAME_RE.fullmatch(p.name):
                        continue  # VC110 reports these
                    upper = p.name.upper()
                    if upper in known or is_x_name(p.name):
                        continue
                    if upper == "WAID" and ctx.profile == "whatsapp":
                        continue
                    yield Finding(
                        f"{cl.name} has the parameter {p.name}, which vCard {version} does "
                        "not define (and which is not an X- name)",
                        card.where_param(cl, p),
                    )


class UnknownProperty(Rule):
    """VC314 unknown-property — a property no vCard RFC defines, not an X- name.

    Why: readers drop properties they do not know; a name outside the RFCs
    is usually a typo (``CATEGORY``, ``TELEPHONE``) or a private property
    that should be an X- name. Known: RFC 2425, 2426 (and 2.1), 2739, 4770,
    6350, 6474, 6715, 8605, 9554 and 9555; X- names (``X-ABLabel``,
    ``X-ANDROID-CUSTOM``, ``X-WA-BIZ-NAME``) are always allowed — every
    well-known vendor extension is one. A name that is not a token is
    VC109's. Reported at the property's name (its group, if it has one).
    Fails: ``CATEGORY:Friends``
    Fix: ``CATEGORIES:Friends``, or ``X-CATEGORY:Friends``.
    """

    code = "VC314"
    name = "unknown-property"
    severity = Severity.INFO
    profile = Profile.RFC
    inputs = VCF

    def check_vcf(self, doc: VcfDocument, ctx: Context) -> Iterator[Finding]:
        for card in doc.cards:
            for cl in card.lines:
                name = cl.name
                if (
                    name.upper() in KNOWN_PROPERTIES
                    or is_x_name(name)
                    or not STRICT_NAME_RE.fullmatch(name)
                ):
                    continue
                yield Finding(
                    f"the property {name} is defined by no vCard RFC (and is not an X- name)",
                    card.where_name(cl),
                )


class InvalidLanguageTag(Rule):
    """VC315 invalid-language-tag — a LANGUAGE parameter that is not a well-formed tag.

    Why: RFC 2426 §4 (``langval``) takes a language tag; BCP 47 (RFC 5646
    §2.1, which obsoletes the RFC 1766 that RFC 2426 cites) gives its
    grammar. Readers ignore a tag they cannot parse, and with it the
    language of the value. Only well-formedness is checked, not whether the
    subtags are registered. Reported at the value's first character.
    Fails: ``FN;LANGUAGE=en_US:Ann``; ``NOTE;LANGUAGE=en-:...``
    Fix: ``FN;LANGUAGE=en-US:Ann``
    """

    code = "VC315"
    name = "invalid-language-tag"
    severity = Severity.WARNING
    profile = Profile.RFC
    inputs = VCF

    def check_vcf(self, doc: VcfDocument, ctx: Context) -> Iterator[Finding]:
        for card in doc.cards:
            for cl in card.lines:
                for p in cl.params:
                    if p.name is None or p.name.upper() != "LANGUAGE":
                        continue
                    for value, offset in param_values(cl, p):
                        if LANGUAGE_TAG_RE.fullmatch(value) is None:
                            yield Finding(
                                f"{cl.name} has LANGUAGE={value!r}, which is not a "
                                "well-formed language tag (RFC 5646: en, en-US, zh-Hant-TW)",
                                card.doc.span(cl, offset, offset + len(value), card.index),
                            )
                            break
