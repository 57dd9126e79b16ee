"""VC201–VC208: what a card must hold (RFC 2426 §3 and WhatsApp's reader)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Final

from vcardkit._rules._base import Finding, Profile, Rule
from vcardkit._rules._diagnostic import Edit, Fix, Severity
from vcardkit._rules._documents import CardView, Context, VcfDocument
from vcardkit._rules._helpers import BOTH, VCF, card_version, is_empty
from vcardkit._rules._jsondoc import JsonDocument, json_extra_lines
from vcardkit._syntax._lines import show
from vcardkit._syntax._reader import ContentLine
from vcardkit._syntax._values import escape_text, fold, split_structured, unescape_text


class MissingVersion(Rule):
    """VC201 missing-version — the card has no VERSION property.

    Why: RFC 2426 §3.6.9: VERSION is required; without it readers guess
    (Android assumes 2.1, and then reads escapes differently).
    Fails: ``BEGIN:VCARD`` ``FN:Ann`` ``END:VCARD``
    Fix: add ``VERSION:3.0`` right after ``BEGIN:VCARD``.
    """

    code = "VC201"
    name = "missing-version"
    severity = Severity.ERROR
    profile = Profile.RFC
    inputs = VCF

    def check_vcf(self, doc: VcfDocument, ctx: Context) -> Iterator[Finding]:
        for card in doc.cards:
            if card.version is None and not is_empty(card.lines):
                yield Finding("the card has no VERSION property", card.where())


class UnsupportedVersion(Rule):
    """VC202 unsupported-version — a VERSION other than 3.0.

    Why: WhatsApp's contact messages are vCard 3.0 (RFC 2426); 2.1 and 4.0
    cards are read, and their required properties checked by their own
    version, but escapes, parameters and encodings differ.
    Fails: ``VERSION:2.1``
    Fix: convert the card (``vcardkit convert`` writes 3.0).
    """

    code = "VC202"
    name = "unsupported-version"
    severity = Severity.ERROR
    profile = Profile.RFC
    inputs = VCF

    def check_vcf(self, doc: VcfDocument, ctx: Context) -> Iterator[Finding]:
        for card in doc.cards:
            for cl in card.named("VERSION")[:1]:  # the first VERSION is the card's
                if cl.value.strip() == "3.0":
                    continue
                yield Finding(
                    f"the card is vCard {show(cl.value.strip())}, not 3.0", card.where_value(cl)
                )


class MissingFn(Rule):
    """VC203 missing-fn — no FN, or an FN that is empty or only white space.

    Why: RFC 2426 §3.1.1 requires FN in 3.0 (and RFC 6350 in 4.0); it is the
    name WhatsApp shows. Not required of a 2.1 card (2.1 needs N).
    Fails: a card with ``N:Doe;Ann;;;`` and no FN
    Fix: add ``FN:`` with the display name.
    """

    code = "VC203"
    name = "missing-fn"
    severity = Severity.ERROR
    profile = Profile.RFC
    inputs = VCF

    def check_vcf(self, doc: VcfDocument, ctx: Context) -> Iterator[Finding]:
        for card in doc.cards:
            if is_empty(card.lines) or card_version(card) == "2.1":
                continue
            fns = card.named("FN")
            if not fns:
                yield Finding("the card has no FN (formatted name)", card.where())
            elif not unescape_text(fns[0].value).strip():
                # A fault of the whole value: at its first character (just
                # after the ":" when it is empty), as VC605 points at the
                # blank fullName in JSON.
                yield Finding("the FN (formatted name) is empty", card.where_value(fns[0]))


class MissingN(Rule):
    """VC204 missing-n — the card has no N property.

    Why: RFC 2426 §3.1.2 requires N in 3.0 (and 2.1); a card without N is the
    most reported cause of nameless contacts in WhatsApp [U].
    Fails: ``FN:Wawp Support`` with no ``N``
    Fix: ``N:;Wawp Support;;;`` — the full name as the given name, as
    WhatsApp writes it (automatic when the card has an FN).
    """

    code = "VC204"
    name = "missing-n"
    severity = Severity.ERROR
    profile = Profile.RFC
    inputs = VCF
    fixes = "safe"

    def check_vcf(self, doc: VcfDocument, ctx: Context) -> Iterator[Finding]:
        for card in doc.cards:
            if is_empty(card.lines) or card_version(card) == "4.0" or card.named("N"):
                continue
            fns = card.named("FN")
            fix = None
            if fns and unescape_text(fns[0].value).strip():
                fn = fns[0]
                eol = doc.source.line_break(fn.line) or "\r\n"
                name = escape_text(unescape_text(fn.value, legacy=card.legacy))
                text = fold(f"N:;{name};;;", eol)
                fix = Fix(
                    "add N with the full name as the given name",
                    (Edit((fn.line, 1), (fn.line, 1), text),),
                )
            yield Finding("the card has no N (structured name)", card.where(), fix)


class NComponents(Rule):
    """VC205 n-components — N with fewer than five components.

    Why: legal in 3.0, but WhatsApp ignores an N of fewer than two
    components and other readers shift the parts [WA].
    Fails: ``N:Doe`` or ``N:Doe;Ann``
    Fix: pad N to five components: ``N:Doe;Ann;;;`` (automatic).
    """

    code = "VC205"
    name = "n-components"
    severity = Severity.WARNING
    profile = Profile.WA
    inputs = VCF
    fixes = "safe"

    def check_vcf(self, doc: VcfDocument, ctx: Context) -> Iterator[Finding]:
        for card in doc.cards:
            for cl in card.named("N")[:1]:
                count = len(split_structured(cl.value))
                if count >= 5:
                    continue
                end = cl.position(len(cl.raw))
                fix = Fix("pad N to five components", (Edit(end, end, ";" * (5 - count)),))
                tail = "; WhatsApp ignores an N of fewer than 2" if count < 2 else ""
                yield Finding(
                    f"N has {count} component{'s' if count != 1 else ''}, not 5{tail}",
                    card.where_value(cl),
                    fix,
                )


_SINGLE: Final = ("N", "BDAY", "UID", "REV", "VERSION")


class DuplicateProperty(Rule):
    """VC206 duplicate-property — N, BDAY, UID, REV or VERSION more than once.

    Why: RFC 2426 allows each of these once per card; readers keep the first
    or the last, so the card means different things in different apps.
    Reported at each repeat.
    Fails: two ``N:`` lines in one card
    Fix: keep one.
    """

    code = "VC206"
    name = "duplicate-property"
    severity = Severity.WARNING
    profile = Profile.RFC
    inputs = VCF

    def check_vcf(self, doc: VcfDocument, ctx: Context) -> Iterator[Finding]:
        for card in doc.cards:
            seen: dict[str, ContentLine] = {}
            for cl in card.lines:
                name = cl.name.upper()
                if name not in _SINGLE:
                    continue
                first = seen.get(name)
                if first is None:
                    seen[name] = cl
                    continue
                yield Finding(
                    f"{name} appears again; it is first given on line {first.line}",
                    card.where_name(cl),
                )


class OrphanLabel(Rule):
    """VC207 orphan-label — an ``itemN.X-ABLabel`` not right after its ``itemN.`` property.

    Why: Apple's custom labels belong to the property of the same group;
    WhatsApp attaches a label only to the property just before it [WA].
    Fails: ``item1.TEL:+1…`` ``EMAIL:…`` ``item1.X-ABLabel:Office``
    Fix: move the label right after the property of its group.
    """

    code = "VC207"
    name = "orphan-label"
    severity = Severity.WARNING
    profile = Profile.WA
    inputs = VCF

    def check_vcf(self, doc: VcfDocument, ctx: Context) -> Iterator[Finding]:
        for card in doc.cards:
            previous: ContentLine | None = None
            # Each group's first property (not an X-AB… one), found in one
            # pass over the card when it has an orphan label: not one pass
            # for each orphan.
            owners: dict[str, ContentLine] | None = None
            for cl in card.lines:
                if cl.name.upper() == "X-ABLABEL" and cl.group is not None:
                    group = cl.group.upper()
                    if previous is None or (previous.group or "").upper() != group:
                        if owners is None:
                            owners = _owners(card)
                        owner = owners.get(group)
                        where = (
                            f"; its property is on line {owner.line}"
                            if owner is not None
                            else "; no property has that group"
                        )
                        yield Finding(
                            f"the label {cl.group}.X-ABLabel does not follow a {cl.group}. "
                            f"property{where}",
                            card.where_name(cl),
                        )
                previous = cl


def _owners(card: CardView) -> dict[str, ContentLine]:
    """Each group of the card -> its first property that is not an X-AB… one."""
    owners: dict[str, ContentLine] = {}
    for cl in card.lines:
        if not cl.name.upper().startswith("X-AB"):
            owners.setdefault((cl.group or "").upper(), cl)
    return owners


class TooManyComponents(Rule):
    """VC208 too-many-components — N with more than 5 or ADR with more than 7 components.

    Why: RFC 2426 §3.1.2 and §3.2.1 define exactly five and seven; readers
    drop or shift the extra parts. Reported at the ``;`` that starts the
    first extra component.
    An ``extraProperties`` line of a JSON contact, written as it is, is
    checked too (at the string).
    Fails: ``N:Doe;Ann;;;;Jr``
    Fix: escape a ``;`` that belongs to a value (``\\;``), or remove the
    extra component.
    """

    code = "VC208"
    name = "too-many-components"
    severity = Severity.ERROR
    profile = Profile.RFC
    inputs = BOTH

    def check_vcf(self, doc: VcfDocument, ctx: Context) -> Iterator[Finding]:
        for card in doc.cards:
            for cl in card.lines:
                found = _too_many(cl)
                if found is not None:
                    message, separator = found
                    yield Finding(message, card.where_char(cl, separator))

    def check_json(self, doc: JsonDocument, ctx: Context) -> Iterator[Finding]:
        # The fields are written with five and seven components; an
        # extraProperties line is written as it is.
        for index, obj, pointer in doc.contacts():
            for k, cl in json_extra_lines(obj):
                found = _too_many(cl)
                if found is not None:
                    at = doc.at(f"{pointer}/extraProperties/{k}", card=index)
                    yield Finding(found[0], at)


_COMPONENT_LIMITS: Final = {"N": 5, "ADR": 7}


def _too_many(cl: ContentLine) -> tuple[str, int] | None:
    """VC208's message for a line, and the offset in its value of the ``;`` it points at."""
    limit = _COMPONENT_LIMITS.get(cl.name.upper())
    if limit is None:
        return None
    parts = split_structured(cl.value)
    if len(parts) <= limit:
        return None
    separator = sum(len(p) + 1 for p in parts[:limit]) - 1
    return f"{cl.name.upper()} has {len(parts)} components; RFC 2426 defines {limit}", separator
