"""vcardkit against vobject, side by side in one run, on the same cards.

    python bench/bench.py [--cards N] [--repeat R] [--quick] [--only A|B|C]

Defaults: ``--cards 2000 --repeat 3``; ``--quick`` halves the sizes, the
repeats and the minimum measuring time for a smoke run. The real-world corpus
is read from ``$VCARDKIT_CORPUS``, by default ``../shared/corpus`` beside the
repository; without it input 3 of section A is left out.

Only the public API is used (``vcardkit.loads``, ``dumps``, ``validate``,
``from_json``, ``to_json``; ``vobject.readComponents``, ``vobject.vCard``), so
the script keeps working while the internals change.

A. Rates against vobject, for the targets of docs/design.md "Speed", on three inputs:

   1. the WhatsApp-style JSON mappings of ``contacts(N)``, written with ``dumps``;
   2. a realistic VCF generated from ``random.Random(seed)``: Arabic,
      Portuguese, CJK and emoji names, a tenth of them long enough that the
      N and FN lines fold, ``item1.TEL``/``item1.X-ABLabel``/``item2.EMAIL``
      groups, a few folded base64 PHOTOs, WhatsApp ``TEL;type=CELL;type=VOICE;
      waid=`` lines, ORG, TITLE, NOTE with escapes; folded at 75 octets
      (RFC 2425, never inside a UTF-8 sequence), once with CRLF and once with
      LF line endings; and its JSON, ``to_json(loads(text))``;
   3. the corpus files that MANIFEST.tsv labels valid vCard 3.0, joined and
      repeated until one ``loads`` of it takes the minimum measuring time.

   ``loads`` against ``vobject.readComponents`` (consumed): target 20x.
   ``validate`` of the VCF (or JSON) text against vobject's parse of the
   same cards: target 8x. For the JSON inputs, ``dumps`` against building the
   same cards field by field with ``vobject.vCard()`` and serializing them:
   target 80x. vcardkit caches its phone and e-mail checks across calls, so
   each ``validate`` call of inputs 1 and 2 gets the same cards with phone
   numbers and addresses never seen before (made before the clock starts),
   as a sender checking new contacts would; one more row shows input 1 with
   the caches warm. Input 3 is the same text again and again (warm).

B. One odd card costs only itself: ``loads`` of N plain WhatsApp cards with one
   folded card first, against the same N cards alone; the rate (cards/s) of
   the first must be at least 90 % of the second's.

C. No quadratic shapes: each shape at n and 4n, ``time(4n) / time(n)`` at
   most 5 (linear is 4). n is the nominal size below times ``--cards``/10000,
   so ``--cards 10000`` runs the nominal sizes:
   (a) ``loads`` of one card with n ``itemK.TEL`` + ``itemK.X-ABLabel`` pairs
   (5000); (b) ``validate`` of one card with n orphan ``itemK.X-ABLabel``
   lines (5000); (c) ``validate`` of one JSON contact with n unknown keys
   (8000); (d) ``validate`` of n cards with n distinct valid numbers (20000);
   (e) ``dumps`` of one contact with n phones in item groups (5000).
   Every call gets numbers never used before.

Each figure is the best of R runs (the least disturbed by other work), with
``gc.collect()`` before each run; a run repeats a fast call until it lasts the
minimum measuring time (0.2 s) and the figure is per call. The candidates of
one row are measured in alternation, so load on the machine hits them alike.
"""

from __future__ import annotations

import argparse
import base64
import csv
import gc
import itertools
import json
import math
import os
import platform
import random
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from importlib import metadata
from pathlib import Path
from typing import Any, Generic, TypeVar

import vobject  # type: ignore[import-untyped]
from realistic import (
    AR_FIRST,
    AR_LAST,
    CJK,
    DEPTS,
    EN_FIRST,
    EN_LAST,
    LABELS,
    ORGS,
    PT_FIRST,
    PT_LAST,
    TITLES,
    fold,
)

import vcardkit

REPO = Path(__file__).resolve().parent.parent
SEED = 20240601
SLOW_CALL = 15.0  # seconds: a call slower than this is not repeated
T = TypeVar("T")

# --------------------------------------------------------------------------
# Timing


_salts = itertools.count(1)


@dataclass
class Fresh(Generic[T]):
    """A call that must see new values each time: ``run(make(salt))`` with a
    salt never used before in this process, the input made before the clock
    starts. vcardkit caches phone and e-mail checks across calls; a sender
    validates new contacts, so validate is measured on new numbers."""

    make: Callable[[int], T]
    run: Callable[[T], object]

    def inputs(self, count: int) -> list[T]:
        return [self.make(next(_salts)) for _ in range(count)]


Measured = Callable[[], object] | Fresh[Any]


@dataclass
class Timer:
    repeat: int
    min_time: float

    def best(self, fns: Sequence[Measured]) -> list[float]:
        """Best seconds per call of each function, measured in alternation."""
        loops: list[int] = []
        best: list[float] = []
        left: list[int] = []
        for fn in fns:
            first = self._run(fn, 1)
            if first >= self.min_time:
                loops.append(1)
                best.append(first)
                left.append(0 if first > SLOW_CALL else self.repeat - 1)
            else:
                loops.append(max(2, math.ceil(self.min_time / max(first, 1e-9))))
                best.append(math.inf)
                left.append(self.repeat)
        while any(left):
            for i, fn in enumerate(fns):
                if left[i]:
                    left[i] -= 1
                    best[i] = min(best[i], self._run(fn, loops[i]) / loops[i])
        return best

    @staticmethod
    def _run(fn: Measured, loops: int) -> float:
        if isinstance(fn, Fresh):
            inputs = fn.inputs(loops)
            run = fn.run
            gc.collect()
            start = time.perf_counter()
            for item in inputs:
                run(item)
            return time.perf_counter() - start
        gc.collect()
        start = time.perf_counter()
        for _ in range(loops):
            fn()
        return time.perf_counter() - start


# --------------------------------------------------------------------------
# Tables


Row = tuple[str, str, str, str, str, str, str]
HEADER: Row = (
    "input",
    "operation",
    "vcardkit rate (cards/s)",
    "vobject rate (cards/s)",
    "ratio",
    "target",
    "met",
)


def table(title: str, rows: Sequence[Row], caption: str) -> None:
    print(f"\n### {title}\n")
    print("| " + " | ".join(HEADER) + " |")
    print("|" + "|".join(["---", "---", "---:", "---:", "---:", "---:", "---"]) + "|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    print(f"\n{caption}")
    sys.stdout.flush()


def rate(count: int, seconds: float) -> str:
    return f"{count / seconds:,.0f}"


def yes(ok: bool) -> str:
    return "yes" if ok else "no"


def speed_row(what: str, op: str, count: int, ours: float, theirs: float, target: float) -> Row:
    ratio = theirs / ours
    return (
        what,
        op,
        rate(count, ours),
        rate(count, theirs),
        f"{ratio:.1f}x",
        f">= {target:g}x",
        yes(ratio >= target),
    )


# --------------------------------------------------------------------------
# vobject, through its public API only


def vobject_parse(text: str) -> int:
    """Parse every card (readComponents transforms values to native)."""
    return sum(1 for _ in vobject.readComponents(text))


CONTACT_KEYS = {
    "fullName", "firstName", "lastName", "middleName", "namePrefix", "nameSuffix",
    "organization", "department", "title", "phoneNumber", "whatsappId", "phones",
    "emails", "urls", "birthday", "note", "extraProperties",
}  # fmt: skip
PHONE_KEYS = {"phoneNumber", "whatsappId", "type", "group", "parameters"}
EMAIL_KEYS = {"email", "type", "group", "parameters"}
URL_KEYS = {"url", "type", "group", "parameters"}


def check_vobject_covers(items: Sequence[Mapping[str, Any]]) -> None:
    """The builder below must not skip a field that dumps writes."""
    for i, c in enumerate(items):
        parts = [(set(c), CONTACT_KEYS, f"/{i}")]
        for key, known in (("phones", PHONE_KEYS), ("emails", EMAIL_KEYS), ("urls", URL_KEYS)):
            parts += [(set(p), known, f"/{i}/{key}/{j}") for j, p in enumerate(c.get(key, ()))]
        for keys, known, where in parts:
            if keys - known:
                raise SystemExit(f"vobject builder does not know {sorted(keys - known)} at {where}")


def _list(value: object) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    assert isinstance(value, list | tuple)
    return [str(v) for v in value]


def _params(obj: Any, raw: Sequence[str]) -> None:
    for param in raw:
        name, _, value = param.partition("=")
        obj.params.setdefault(name.upper(), []).extend(value.split(","))


def vobject_card(c: Mapping[str, Any]) -> str:
    """One contact mapping (the JSON shape) built field by field in vobject."""
    card = vobject.vCard()
    full = c.get("fullName")
    if {"firstName", "lastName", "middleName", "namePrefix", "nameSuffix"} & c.keys():
        card.add("n").value = vobject.vcard.Name(
            family=c.get("lastName", ""),
            given=c.get("firstName", ""),
            additional=c.get("middleName", ""),
            prefix=c.get("namePrefix", ""),
            suffix=c.get("nameSuffix", ""),
        )
    else:
        card.add("n").value = vobject.vcard.Name(given=full or "")
    if full is not None:
        card.add("fn").value = full
    org = [c.get("organization") or "", *([c["department"]] if "department" in c else [])]
    if any(org):
        card.add("org").value = org
    if "title" in c:
        card.add("title").value = c["title"]
    phones = list(c.get("phones", ()))
    if "phoneNumber" in c or "whatsappId" in c:
        phones.insert(0, {"phoneNumber": c.get("phoneNumber"), "whatsappId": c.get("whatsappId")})
    for p in phones:
        tel = card.add("tel", group=p.get("group"))
        tel.value = p.get("phoneNumber") or ""
        types = _list(p.get("type")) or (["CELL", "VOICE"] if p.get("whatsappId") else [])
        if types:
            tel.type_param = types
        if p.get("whatsappId"):
            tel.params["WAID"] = [p["whatsappId"]]
        _params(tel, p.get("parameters", ()))
    for e in c.get("emails", ()):
        email = card.add("email", group=e.get("group"))
        email.value = e["email"]
        email.type_param = ["INTERNET", *_list(e.get("type"))]
        _params(email, e.get("parameters", ()))
    for u in c.get("urls", ()):
        url = card.add("url", group=u.get("group"))
        url.value = u["url"]
        if u.get("type"):
            url.type_param = _list(u["type"])
        _params(url, u.get("parameters", ()))
    if "birthday" in c:
        card.add("bday").value = c["birthday"]
    if "note" in c:
        card.add("note").value = c["note"]
    for line in c.get("extraProperties", ()):
        # "group.NAME;PARAM=v:value" -> a vobject property with the same parts
        head, _, value = line.partition(":")
        name, *params = head.split(";")
        group, _, name = name.rpartition(".")
        prop = card.add(name.lower(), group=group or None)
        _params(prop, params)
        if prop.params.get("ENCODING") == ["b"]:
            prop.value = base64.b64decode(value)
        else:
            prop.value = value
    return str(card.serialize())


def vobject_build(items: Sequence[Mapping[str, Any]]) -> str:
    return "".join(vobject_card(c) for c in items)


# --------------------------------------------------------------------------
# Input 1: the JSON mappings


def contacts(n: int, salt: int = 0) -> list[dict[str, Any]]:
    """WhatsApp-style contacts with the fields senders use, all different;
    another salt gives other numbers and addresses."""
    out = []
    for i in range(n):
        j = i + salt * n
        number = f"+2010{j % 100_000_000:08d}"
        out.append(
            {
                "fullName": f"Agent {i}, Support Team",
                "organization": "Wawp HQ",
                "department": f"Desk {i % 7}",
                "title": "Support; Tier 2",
                "phoneNumber": number,
                "whatsappId": number[1:],
                "emails": [{"email": f"agent{j}@wawp.example", "type": "WORK"}],
                "note": "Office hours:\nSun-Thu, 9-17",
            }
        )
    return out


# --------------------------------------------------------------------------
# Input 2: a seeded realistic file


def escape(text: str) -> str:
    """RFC 2426 text value escaping."""
    return (
        text.replace("\\", "\\\\")
        .replace(",", "\\,")
        .replace(";", "\\;")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


EMOJI = ["❤️", "👨‍👩‍👧", "💪🏽", "🇪🇬", "🌸", "⭐", "🏠", "👩🏻‍💻"]
NOTES = [
    "Met at GITEX, Dubai\nPrefers WhatsApp, not calls",
    "Entrega às terças, quintas\nPortão 2",
    "يفضل التواصل مساءً، بعد الساعة 5",
    "Birthday party 🎂, bring cake\nAllergic to nuts; no peanuts",
]


def _phone(rng: random.Random, digit_rng: random.Random) -> tuple[str, str]:
    """(WhatsApp id, the mobile number as WhatsApp shows it)."""

    def digits(k: int) -> str:
        return "".join(digit_rng.choice("0123456789") for _ in range(k))

    region = rng.choice(["EG", "EG", "BR", "SA", "CN", "PT", "US"])
    if region == "EG":
        op, rest = rng.choice("0125"), digits(8)
        return f"201{op}{rest}", f"+20 1{op} {rest[:4]} {rest[4:]}"
    if region == "BR":
        area, rest = rng.choice(["11", "21", "31", "85"]), digits(8)
        return f"55{area}9{rest}", f"+55 {area} 9{rest[:4]}-{rest[4:]}"
    if region == "SA":
        rest = digits(8)
        return f"9665{rest}", f"+966 5{rest[0]} {rest[1:4]} {rest[4:]}"
    if region == "CN":
        second, rest = rng.choice("3589"), digits(9)
        return f"861{second}{rest}", f"+86 1{second}{rest[0]} {rest[1:5]} {rest[5:]}"
    if region == "PT":
        op, rest = rng.choice("1236"), digits(7)
        return f"3519{op}{rest}", f"+351 9{op}{rest[0]} {rest[1:4]} {rest[4:]}"
    rest = digits(4)
    return f"1650253{rest}", f"+1 (650) 253-{rest}"


def _name(rng: random.Random, long: bool) -> tuple[list[str], str]:
    """([family, given, additional, prefix, suffix], full name)."""
    kind = rng.choices(["en", "pt", "ar", "cjk", "emoji"], [30, 22, 22, 12, 14])[0]
    if kind == "cjk":
        family, given = rng.choice(CJK)
        parts = [family, given, "", "", ""]
        full = f"{family}{given}" if rng.random() < 0.5 else f"{family} {given}"
        if long:
            extra = " ".join(rng.choice(CJK)[0] + rng.choice(CJK)[1] for _ in range(6))
            parts[2], full = extra, f"{full} {extra}"
        return parts, full
    first_pool, last_pool = {
        "en": (EN_FIRST, EN_LAST),
        "pt": (PT_FIRST, PT_LAST),
        "ar": (AR_FIRST, AR_LAST),
        "emoji": (EN_FIRST + PT_FIRST, EN_LAST),
    }[kind]
    given, family = rng.choice(first_pool), rng.choice(last_pool)
    if long:
        link = {"pt": " de ", "ar": " بن "}.get(kind, " ")
        while len(f"N:{family};{given};;;".encode()) <= 80:
            family = rng.choice(last_pool) + link + family
    full = f"{given} {family}"
    if kind == "emoji":
        full = (
            f"{full} {rng.choice(EMOJI)}" if rng.random() < 0.5 else f"{rng.choice(EMOJI)} {full}"
        )
    if kind == "en" and rng.random() < 0.1:
        full = f"{family}, {given}"  # a comma to escape
    return [family, given, "", "", ""], full


def realistic(n: int, seed: int, eol: str, salt: int = 0) -> str:
    """n cards as WhatsApp, iOS and Android export them (see the docstring).
    Another salt changes only the digits of the mobiles and the addresses."""
    rng = random.Random(seed)
    digit_rng = random.Random(f"{seed}/{salt}")
    cards = []
    for i in range(n):
        lines = ["BEGIN:VCARD", "VERSION:3.0"]
        parts, full = _name(rng, long=rng.random() < 0.1)
        lines.append("N:" + ";".join(escape(p) for p in parts))
        lines.append("FN:" + escape(full))
        if rng.random() < 0.5:
            org = escape(rng.choice(ORGS))
            lines.append(
                f"ORG:{org};{escape(rng.choice(DEPTS))}" if rng.random() < 0.5 else f"ORG:{org}"
            )
        if rng.random() < 0.3:
            lines.append("TITLE:" + escape(rng.choice(TITLES)))
        waid, shown = _phone(rng, digit_rng)
        grouped = rng.random() < 0.2
        if grouped:
            lines.append(f"item1.TEL;waid={waid}:{shown}")
            lines.append("item1.X-ABLabel:" + rng.choice(LABELS))
        else:
            lines.append(f"TEL;type=CELL;type=VOICE;waid={waid}:{shown}")
        if rng.random() < 0.15:
            lines.append(f"TEL;type=WORK:+20 2 {digit_rng.randrange(10**7, 10**8)}")
        if rng.random() < 0.3:
            domain = rng.choice(["example.com", "mail.example", "exemplo.com.br"])
            address = f"user{i + salt * n}@{domain}"
            if grouped or rng.random() < 0.3:
                lines.append(f"item2.EMAIL;type=INTERNET:{address}")
                lines.append("item2.X-ABLabel:_$!<Work>!$_")
            else:
                lines.append(f"EMAIL;type=INTERNET;type=HOME:{address}")
        if rng.random() < 0.3:
            lines.append("NOTE:" + escape(rng.choice(NOTES)))
        if i == 1 or rng.random() < 0.01:
            jpeg = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + rng.randbytes(rng.randrange(1500, 4500))
            lines.append("PHOTO;ENCODING=b;TYPE=JPEG:" + base64.b64encode(jpeg).decode("ascii"))
        lines.append("END:VCARD")
        cards.append("".join(fold(line, eol) + eol for line in lines))
    return "".join(cards)


def check_folding(text: str, eol: str) -> None:
    for number, line in enumerate(text.split(eol), 1):
        if len(line.encode()) > 75 or "\r" in line or "\n" in line:
            raise SystemExit(f"generator bug: line {number} is not a folded line: {line[:40]!r}")


# --------------------------------------------------------------------------
# Input 3: the shared corpus


@dataclass
class Corpus:
    text: str = ""
    cards: int = 0
    used: int = 0
    skipped: list[str] = field(default_factory=list)
    missing: str = ""


def short(exc: Exception) -> str:
    text = str(exc)
    return text if len(text) <= 60 else text[:60] + "..."


def corpus() -> Corpus:
    root = Path(os.environ.get("VCARDKIT_CORPUS") or REPO.parent / "shared" / "corpus")
    manifest = root / "MANIFEST.tsv"
    out = Corpus()
    if not manifest.is_file():
        out.missing = f"no {manifest}"
        return out
    with manifest.open(newline="", encoding="utf-8") as fp:
        rows = list(csv.DictReader(fp, delimiter="\t"))
    texts = []
    for row in rows:
        if row["kind"] == "expected" or row["validity"] != "valid" or row["versions"] != "3.0":
            continue
        name = row["local_path"]
        if row.get("duplicate_of"):
            out.skipped.append(f"{name}: duplicate of {row['duplicate_of']}")
            continue
        try:
            text = (root / name).read_bytes().decode("utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            out.skipped.append(f"{name}: not UTF-8 text ({type(exc).__name__})")
            continue
        if not text.endswith("\n"):
            text += "\r\n"
        try:
            ours = len(vcardkit.loads(text))
        except Exception as exc:
            out.skipped.append(f"{name}: vcardkit.loads refuses it ({short(exc)})")
            continue
        try:
            theirs = vobject_parse(text)
        except Exception as exc:
            out.skipped.append(f"{name}: vobject refuses it ({type(exc).__name__}: {short(exc)})")
            continue
        if ours != theirs:
            out.skipped.append(f"{name}: vcardkit reads {ours} cards, vobject {theirs}")
            continue
        texts.append(text)
        out.cards += ours
    out.used = len(texts)
    out.text = "".join(texts)
    return out


# --------------------------------------------------------------------------
# Section A


def section_a(args: argparse.Namespace, timer: Timer) -> None:
    n = args.cards
    rows: list[Row] = []

    def vcf_rows(what: str, make: Callable[[int], str], count: int, fresh: bool = True) -> float:
        """loads and validate of make(0) against vobject's parse of it; validate
        on make(salt), new numbers each call, when fresh."""
        text = make(0)
        ours = len(vcardkit.loads(text))
        theirs = vobject_parse(text)
        assert ours == theirs == count, (what, ours, theirs, count)
        check: Measured = (
            Fresh(make, vcardkit.validate) if fresh else partial(vcardkit.validate, text)
        )
        loads, validate, parse = timer.best(
            [partial(vcardkit.loads, text), check, partial(vobject_parse, text)]
        )
        rows.append(speed_row(what, "loads / readComponents", count, loads, parse, 20))
        rows.append(speed_row(what, "validate VCF / readComponents", count, validate, parse, 8))
        return parse

    def json_rows(what: str, make: Callable[[int], list[dict[str, Any]]], parse: float) -> None:
        items = make(0)
        check_vobject_covers(items)
        assert vobject_parse(vobject_build(items)) == len(items)
        assert len(vcardkit.from_json(json.dumps(items))) == len(items)

        def text(salt: int) -> str:
            return json.dumps(make(salt), ensure_ascii=False)

        dumps, build, validate = timer.best(
            [
                partial(vcardkit.dumps, items),
                partial(vobject_build, items),
                Fresh(text, vcardkit.validate),
            ]
        )
        rows.append(
            speed_row(what, "dumps / vobject build+serialize", len(items), dumps, build, 80)
        )
        rows.append(
            speed_row(
                what, "validate JSON / readComponents of its VCF", len(items), validate, parse, 8
            )
        )

    def payload(salt: int) -> str:
        return vcardkit.dumps(contacts(n, salt))

    parse = vcf_rows(f"1. contacts({n}) via dumps", payload, n)
    same = payload(0)
    warm = timer.best([partial(vcardkit.validate, same)])[0]
    rows.append(
        speed_row(
            f"1. contacts({n}) via dumps",
            "validate VCF, same text every run (caches warm)",
            n,
            warm,
            parse,
            8,
        )
    )
    json_rows(f"1. contacts({n}) JSON", partial(contacts, n), parse)

    crlf = realistic(n, SEED, "\r\n")
    lf = realistic(n, SEED, "\n")
    check_folding(crlf, "\r\n")
    check_folding(lf, "\n")
    assert crlf.replace("\r\n", "\n") == lf
    folded = sum(1 for line in crlf.split("\r\n") if line.startswith(" "))
    parse = vcf_rows(f"2. realistic {n}, CRLF", partial(realistic, n, SEED, "\r\n"), n)
    vcf_rows(f"2. realistic {n}, LF", partial(realistic, n, SEED, "\n"), n)
    assert vcardkit.to_json(vcardkit.loads(crlf)) == vcardkit.to_json(vcardkit.loads(lf))

    def realistic_json(salt: int) -> list[dict[str, Any]]:
        return vcardkit.to_json(vcardkit.loads(realistic(n, SEED, "\r\n", salt)))

    json_rows(f"2. realistic {n} JSON", realistic_json, parse)

    found = corpus()
    corpus_note = ""
    if found.used:
        once = Timer(1, 0).best([partial(vcardkit.loads, found.text)])[0]
        times = max(1, math.ceil(timer.min_time / once))
        joined = found.text * times
        vcf_rows(
            f"3. corpus: {found.used} files x {times}",
            lambda salt: joined,
            found.cards * times,
            fresh=False,
        )
        corpus_note = (
            f"Input 3: {found.used} valid vCard 3.0 files of the corpus ({found.cards} cards, "
            f"{len(found.text.encode()):,} bytes), joined and repeated {times} times (so its "
            f"validate sees each number {times} times); {len(found.skipped)} skipped:\n"
            + "".join(f"\n- {s}" for s in found.skipped)
        )
    else:
        corpus_note = f"Input 3 left out: {found.missing or 'no usable file'}."

    table(
        "A. Rates against vobject (ratio = vcardkit rate / vobject rate)",
        rows,
        f"Validate of inputs 1 and 2 sees new phone numbers and addresses in every call "
        f"(vcardkit caches their checks across calls); the warm row shows the cache's effect. "
        f"Input 2: seed {SEED}, {folded} continuation lines in the CRLF file, "
        f"{len(crlf.encode()):,} bytes. For JSON rows vobject parses the VCF of the same "
        f"cards (for input 2, the CRLF file).\n\n{corpus_note}",
    )


# --------------------------------------------------------------------------
# Section B


def number(i: int) -> str:
    """The i-th of 10**8 distinct valid Egyptian mobiles, as digits (a WhatsApp id)."""
    return f"2010{i * 7919 % 10**8:08d}"


def plain_cards(n: int, start: int = 0) -> str:
    out = []
    for i in range(start, start + n):
        out.append(
            f"BEGIN:VCARD\r\nVERSION:3.0\r\nN:;Contact {i};;;\r\nFN:Contact {i}\r\n"
            f"TEL;type=CELL;type=VOICE;waid={number(i)}:+{number(i)}\r\nEND:VCARD\r\n"
        )
    return "".join(out)


def odd_card() -> str:
    family = "de Albuquerque e Magalhães Gonçalves Figueiredo Brandão"
    lines = [
        "BEGIN:VCARD",
        "VERSION:3.0",
        f"N:{family};Maria da Conceição;;;",
        f"FN:Maria da Conceição {family}",
        "TEL;type=CELL;type=VOICE;waid=5511987654321:+55 11 98765-4321",
        "NOTE:" + escape("Cliente desde 2019, entrega às terças\nPortão 2, tocar a campainha"),
        "END:VCARD",
    ]
    return "".join(fold(line, "\r\n") + "\r\n" for line in lines)


def section_b(args: argparse.Namespace, timer: Timer) -> None:
    n = args.cards
    plain = plain_cards(n)
    odd = odd_card()
    assert odd.count("\r\n ") >= 2
    mixed = odd + plain
    for text, count in ((plain, n), (mixed, n + 1)):
        assert len(vcardkit.loads(text)) == vobject_parse(text) == count
    ours_mixed, ours_plain, theirs_mixed, theirs_plain = timer.best(
        [
            lambda: vcardkit.loads(mixed),
            lambda: vcardkit.loads(plain),
            lambda: vobject_parse(mixed),
            lambda: vobject_parse(plain),
        ]
    )
    share = ((n + 1) / ours_mixed) / (n / ours_plain)
    share_vobject = ((n + 1) / theirs_mixed) / (n / theirs_plain)
    rows: list[Row] = [
        speed_row(f"{n} plain cards, one folded card first", "loads / readComponents",
                  n + 1, ours_mixed, theirs_mixed, 20),
        speed_row(f"{n} plain cards", "loads / readComponents", n, ours_plain, theirs_plain, 20),
        (
            "with the folded card / without",
            "loads rate",
            f"{share:.0%} of plain",
            f"{share_vobject:.0%} of plain",
            f"{share:.2f}",
            ">= 0.90",
            yes(share >= 0.9),
        ),
    ]  # fmt: skip
    table(
        "B. One odd card costs only itself",
        rows,
        "The last row's ratio is vcardkit's rate with the folded card over its rate "
        "without it; vobject's is shown for reference.",
    )


# --------------------------------------------------------------------------
# Section C


# Each input takes a salt, so that every call sees numbers never seen before
# (vcardkit caches phone checks across calls): numbers[salt * BLOCK + k].
BLOCK = 1_000_000


def items_card(n: int, salt: int) -> str:
    lines = ["BEGIN:VCARD", "VERSION:3.0", "N:;Many Numbers;;;", "FN:Many Numbers"]
    for k in range(1, n + 1):
        lines.append(f"item{k}.TEL:+{number(salt * BLOCK + k)}")
        lines.append(f"item{k}.X-ABLabel:Label {k}")
    lines.append("END:VCARD")
    return "\r\n".join(lines) + "\r\n"


def orphans_card(n: int, salt: int) -> str:
    mobile = number(salt * BLOCK)
    lines = ["BEGIN:VCARD", "VERSION:3.0", "N:;Orphans;;;", "FN:Orphans"]
    lines.append(f"TEL;type=CELL;type=VOICE;waid={mobile}:+{mobile}")
    lines += [f"item{k}.X-ABLabel:Label {k}" for k in range(1, n + 1)]
    lines.append("END:VCARD")
    return "\r\n".join(lines) + "\r\n"


def unknown_keys_json(n: int, salt: int) -> str:
    mobile = number(salt * BLOCK)
    contact: dict[str, Any] = {
        "fullName": "Unknown Keys",
        "phoneNumber": f"+{mobile}",
        "whatsappId": mobile,
    }
    contact.update({f"customField{k}": f"value {k}" for k in range(n)})
    return json.dumps(contact)


def many_cards(n: int, salt: int) -> str:
    return plain_cards(n, salt * BLOCK)


def many_phones(n: int, salt: int) -> list[dict[str, Any]]:
    phones = [
        {"phoneNumber": f"+{number(salt * BLOCK + k)}", "group": f"item{k}"}
        for k in range(1, n + 1)
    ]
    return [{"fullName": "Many Numbers", "phones": phones}]


@dataclass
class Shape:
    key: str
    nominal: int
    what: str
    unit: str
    op: str
    make: Callable[[int, int], Any]
    run: Callable[[Any], object]


SHAPES = [
    Shape("a", 5000, "one card, n itemK.TEL + itemK.X-ABLabel pairs", "pairs", "loads",
          items_card, vcardkit.loads),
    Shape("b", 5000, "one card, n orphan itemK.X-ABLabel lines", "lines", "validate",
          orphans_card, vcardkit.validate),
    Shape("c", 8000, "one JSON contact, n unknown keys", "keys", "validate",
          unknown_keys_json, vcardkit.validate),
    Shape("d", 20000, "n cards, n distinct valid numbers", "cards", "validate",
          many_cards, vcardkit.validate),
    Shape("e", 5000, "one contact, n phones in item groups", "phones", "dumps",
          many_phones, vcardkit.dumps),
]  # fmt: skip


def section_c(args: argparse.Namespace, timer: Timer) -> None:
    rows: list[Row] = []
    for shape in SHAPES:
        n = max(10, round(shape.nominal * args.cards / 10_000))
        t_small, t_large = timer.best(
            [Fresh(partial(shape.make, n), shape.run), Fresh(partial(shape.make, 4 * n), shape.run)]
        )
        growth = t_large / t_small
        rows.append(
            (
                f"({shape.key}) {shape.what}, n = {n:,} and {4 * n:,}",
                shape.op,
                f"{n / t_small:,.0f} → {4 * n / t_large:,.0f} {shape.unit}/s "
                f"({t_small:.3f} s → {t_large:.3f} s)",
                "—",
                f"{growth:.1f}",
                "<= 5",
                yes(growth <= 5),
            )
        )
        sys.stdout.flush()
    table(
        "C. Growth from n to 4n (ratio = time(4n) / time(n); linear is 4, quadratic 16)",
        rows,
        f"n is the nominal size (5000, 5000, 8000, 20000, 5000) times --cards/10000 "
        f"= {args.cards / 10_000:g}. Every call gets phone numbers never used before.",
    )


# --------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--cards", type=int, default=2000, help="input size (default 2000)")
    parser.add_argument("--repeat", type=int, default=3, help="best of R runs (default 3)")
    parser.add_argument("--quick", action="store_true", help="half of everything: a smoke run")
    parser.add_argument("--only", choices=["A", "B", "C", "a", "b", "c"], help="one section")
    args = parser.parse_args(argv)
    min_time = 0.2
    if args.quick:
        args.cards = max(10, args.cards // 2)
        args.repeat = max(1, math.ceil(args.repeat / 2))
        min_time /= 2
    timer = Timer(args.repeat, min_time)

    load = " ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?"
    print(
        f"Python {platform.python_version()} ({platform.python_implementation()}) on "
        f"{platform.platform()}, {os.cpu_count()} CPUs, load average {load}"
    )
    print(
        f"vcardkit {metadata.version('vcardkit')}, vobject {metadata.version('vobject')}; "
        f"--cards {args.cards} --repeat {args.repeat}{' --quick' if args.quick else ''}; "
        f"best of {args.repeat}, each run at least {min_time:g} s"
    )
    started = time.perf_counter()
    sections = {"A": section_a, "B": section_b, "C": section_c}
    for name, run in sections.items():
        if args.only is None or args.only.upper() == name:
            run(args, timer)
    print(f"\nTotal {time.perf_counter() - started:.0f} s.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
