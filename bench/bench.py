"""vcardkit against vobject, side by side in one run, on the same cards.

    python bench/bench.py [--cards N] [--repeat R]

Reports the rate of each and the ratio, for DESIGN.md's targets: parsing at
least 20x vobject's rate, serializing at least 80x vobject's build and
serialize, full validation with phone checks at least 8x vobject's parse only.
Each figure is the best of R runs (the least disturbed by other work).
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
import time
from collections.abc import Callable
from typing import Any

import vobject

import vcardkit


def contacts(n: int) -> list[dict[str, Any]]:
    """WhatsApp-style contacts with the fields senders use, all different."""
    out = []
    for i in range(n):
        number = f"+2010{i % 100_000_000:08d}"
        out.append(
            {
                "fullName": f"Agent {i}, Support Team",
                "organization": "Wawp HQ",
                "department": f"Desk {i % 7}",
                "title": "Support; Tier 2",
                "phoneNumber": number,
                "whatsappId": number[1:],
                "emails": [{"email": f"agent{i}@wawp.example", "type": "WORK"}],
                "note": "Office hours:\nSun-Thu, 9-17",
            }
        )
    return out


def best(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def vobject_build(items: list[dict[str, Any]]) -> str:
    parts = []
    for c in items:
        card = vobject.vCard()
        card.add("n").value = vobject.vcard.Name(given=c["fullName"])
        card.add("fn").value = c["fullName"]
        card.add("org").value = [c["organization"], c["department"]]
        card.add("title").value = c["title"]
        tel = card.add("tel")
        tel.value = c["phoneNumber"]
        tel.type_param = ["CELL", "VOICE"]
        tel.params["WAID"] = [c["whatsappId"]]
        email = card.add("email")
        email.value = c["emails"][0]["email"]
        email.type_param = ["INTERNET", "WORK"]
        card.add("note").value = c["note"]
        parts.append(card.serialize())
    return "".join(parts)


def vobject_parse(text: str) -> int:
    return sum(1 for _ in vobject.readComponents(text))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    items = contacts(args.cards)
    payload = vcardkit.dumps(items)
    assert vobject_parse(payload) == args.cards
    assert len(vcardkit.loads(payload)) == args.cards
    # More than 257 contacts is one message too many (VC409), not a fault here.
    report = vcardkit.validate(json.dumps(items), ignore=["VC409"])
    assert report.ok, report.errors[:3]

    rows = []

    def row(what: str, ours: float, theirs: float, target: float) -> None:
        ratio = theirs / ours
        rows.append((what, args.cards / ours, args.cards / theirs, ratio, target))

    row(
        "parse (loads vs readComponents)",
        best(lambda: vcardkit.loads(payload), args.repeat),
        best(lambda: vobject_parse(payload), args.repeat),
        20,
    )
    row(
        "serialize (dumps of mappings vs build+serialize)",
        best(lambda: vcardkit.dumps(items), args.repeat),
        best(lambda: vobject_build(items), args.repeat),
        80,
    )
    vobject_parse_time = best(lambda: vobject_parse(payload), args.repeat)
    row(
        "validate VCF (all rules, phones) vs vobject parse",
        best(lambda: vcardkit.validate(payload), args.repeat),
        vobject_parse_time,
        8,
    )
    text = json.dumps(items)
    row(
        "validate JSON (all rules, phones) vs vobject parse",
        best(lambda: vcardkit.validate(text), args.repeat),
        vobject_parse_time,
        8,
    )
    print(
        f"{args.cards} cards, best of {args.repeat}; Python {sys.version.split()[0]}, "
        f"vobject {getattr(vobject, 'VERSION', '?')}"
    )
    print(f"{'work':<52} {'vcardkit/s':>11} {'vobject/s':>10} {'ratio':>7} {'target':>7}")
    for what, ours, theirs, ratio, target in rows:
        mark = "" if ratio >= target else "  (below target)"
        print(f"{what:<52} {ours:>11,.0f} {theirs:>10,.0f} {ratio:>6.1f}x {target:>6}x{mark}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
