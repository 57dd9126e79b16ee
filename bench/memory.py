"""Peak memory (RSS) and wall time of the vcardkit command line on large files.

    python bench/memory.py [--cards N] [--quick] [--repeat R] [--seed S] [--max-seconds T]
                           [--only memory|density]

Run it from the project's virtual environment (``. .venv/bin/activate &&
python bench/memory.py``; about 9 minutes on 2 cores with the defaults).
Every command is a fresh ``sys.executable -m vcardkit ...`` subprocess: its
peak resident set size is ``ru_maxrss`` from ``os.wait4`` (KiB on Linux; the
largest of the child and any process it waited for, never a sum), its wall
time runs from spawn to exit, start-up included. The children are spawned
by a small launcher process (see ``LAUNCHER``), because Linux carries the
parent's memory into a child's ``ru_maxrss``. Defaults: n = ``--cards
10000``, so the sizes are 10,000 and 100,000 cards; ``--quick`` uses n =
2,000. Progress goes to stderr, the report (markdown) to stdout. Linux only
(``/proc``, ``os.wait4``). The generated files live in a temporary folder
that is removed at the end.

The input: seeded (``random.Random(seed)``) WhatsApp-style vCard 3.0 cards
with CRLF line endings: N, FN, ORG (every card: a business directory), some
TITLE, ``TEL;type=CELL;type=VOICE;waid=...:+...`` in E.164, some
``item1.TEL`` + ``item1.X-ABLabel``, some ``EMAIL;type=INTERNET``, NOTE with
escaped ``\\n`` and ``\\,``; Arabic, Portuguese, CJK and English names. A
tenth of the names are long: their N line (and often FN) folds at 75
octets (CRLF and one space, never inside a UTF-8 sequence), while FN stays
within WhatsApp's 40 characters (VC501). Phone numbers come in two
variants: ``repeat`` draws them from a pool of 1,000 valid mobiles (so they
repeat), ``distinct`` gives every card its own valid Egyptian mobile (+2010
and 8 digits; its second phone, when it has one, another unique +2011
number). The ``faulty`` form of a card is the same card with four faults:
no N line (VC204), an unescaped comma in FN (``FN:Doe, John``, VC301), a
JID suffix on the waid (``waid=2010...@s.whatsapp.net``, VC404) and an extra
national number (``TEL;type=CELL:010...``, VC401; its fix is unsafe, so
``fix`` leaves it). Section 0 lints 200-card samples with ``--format json``
and reports whether the clean cards are clean and every faulty card carries
the four faults.

Two diagnostics come with the shape of the input, not with the generator,
and are counted in the tables: VC409 (more than 257 contacts in one payload:
one warning per file) and, in the ``repeat`` variant, VC701 (a phone an
earlier contact has: a warning for most cards past the first thousand).

1. Memory, for each variant at n and 10n: ``lint FILE --format text``,
   ``lint FILE --format sarif``, ``convert FILE.vcf -o OUT.json``,
   ``convert OUT.json -o BACK.vcf``, ``fix COPY_OF_FAULTY.vcf``. Targets (the
   project's issue): with repeating numbers, RSS at 10n within 15 % of RSS at
   n and under 100 MiB; with distinct numbers, under 150 MiB. A run that
   would obviously pass 4 GiB or ``--max-seconds`` (600) at 10n (estimated
   from the run at n, linear growth plus 30 %) is run at a smaller size
   instead, the table says so and ``met`` is ``no``; a run that still passes
   a limit is killed (its RSS is polled from /proc every 50 ms) and marked.
2. Fault density, on the ``distinct`` variant (whose clean file is clean):
   ``lint`` of n clean cards against the same n cards with the faults
   (target: faulty at most 1.5x clean); ``fix`` of a copy of each (target:
   at most 2x); ``fix`` of n and 4n faulty cards (target: time(4n)/time(n)
   at most 5; linear is 4). Each time is the best of ``--repeat`` (2) runs,
   one run when it takes over 20 s; the ratios use the times less the
   start-up time (the same command on a one-card file), the raw ratios are
   shown beside them.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

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

REPO = Path(__file__).resolve().parent.parent
SEED = 20240601
EOL = "\r\n"
KIB = 1024
MIB = 1024 * 1024
RSS_LIMIT_KIB = 4 * 1024 * 1024  # 4 GiB
POOL_SIZE = 1000
# WhatsApp shows 40 characters of a name (VC501); the faulty "Family, Given"
# is one character longer than "Given Family", so the generator keeps to 39.
NAME_MAX = 39
EXPECTED_FAULTS = ("VC204", "VC301", "VC401", "VC404")
INHERENT = ("VC409", "VC701")
SLOW_RUN = 20.0  # seconds: a fault-density run slower than this is not repeated


def progress(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------
# The cards


def escape(text: str) -> str:
    """RFC 2426 text value escaping."""
    return (
        text.replace("\\", "\\\\")
        .replace(",", "\\,")
        .replace(";", "\\;")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


CJK_LONG = ["欧阳", "司马", "诸葛", "上官", "东方", "长谷川", "佐々木", "宇文", "慕容", "皇甫"]
NOTES = [
    "Met at GITEX, Dubai\nPrefers WhatsApp, not calls",
    "Entrega às terças, quintas\nPortão 2",
    "يفضل التواصل مساءً، بعد الساعة 5",
    "Birthday party, bring cake\nAllergic to nuts; no peanuts",
]
DOMAINS = ["example.com", "mail.example", "exemplo.com.br"]


def distinct_mobile(i: int, operator: str = "0") -> str:
    """The i-th of 10**8 distinct valid Egyptian mobiles (+201<operator>, 8 digits),
    as digits: 7919 is prime to 10**8, so i -> i * 7919 mod 10**8 is one to one."""
    return f"201{operator}{i * 7919 % 10**8:08d}"


def phone_pool(rng: random.Random) -> list[str]:
    """1,000 distinct valid mobiles as digits, most of them Egyptian."""

    def digits(k: int) -> str:
        return "".join(rng.choice("0123456789") for _ in range(k))

    pool: set[str] = set()
    while len(pool) < POOL_SIZE:
        region = rng.choice(["EG", "EG", "EG", "BR", "SA", "CN", "PT"])
        if region == "EG":
            pool.add(f"201{rng.choice('0125')}{digits(8)}")
        elif region == "BR":
            pool.add(f"55{rng.choice(['11', '21', '31', '85'])}9{digits(8)}")
        elif region == "SA":
            pool.add(f"9665{rng.choice('0345')}{digits(7)}")
        elif region == "CN":
            pool.add(f"861{rng.choice('38')}{digits(9)}")
        else:
            pool.add(f"3519{rng.choice('1236')}{digits(7)}")
    return sorted(pool)


@dataclass(frozen=True)
class Card:
    family: str
    given: str
    extra: str  # the additional names of a long CJK name
    full: str
    org: str
    title: str | None
    waid: str
    second: str | None  # a second mobile, as digits
    second_grouped: bool
    label: str
    email: str | None
    email_grouped: bool
    note: str | None

    def text(self, faulty: bool) -> str:
        lines = ["BEGIN:VCARD", "VERSION:3.0"]
        if not faulty:
            lines.append(_n_line(self.family, self.given, self.extra))
        full = escape(self.full)
        if faulty:
            # "Doe, John": the family name first, the comma not escaped (VC301).
            full = f"{escape(self.family)}, {escape(self.given)}"
        lines.append(f"FN:{full}")
        lines.append(f"ORG:{escape_org(self.org)}")
        if self.title is not None:
            lines.append(f"TITLE:{escape(self.title)}")
        waid = f"{self.waid}@s.whatsapp.net" if faulty else self.waid
        lines.append(f"TEL;type=CELL;type=VOICE;waid={waid}:+{self.waid}")
        if faulty:
            # An Egyptian mobile written nationally, without + (VC401).
            lines.append(f"TEL;type=CELL:010{self.waid[-8:]}")
        if self.second is not None:
            if self.second_grouped:
                lines.append(f"item1.TEL;waid={self.second}:+{self.second}")
                lines.append(f"item1.X-ABLabel:{self.label}")
            else:
                lines.append(f"TEL;type=CELL;waid={self.second}:+{self.second}")
        if self.email is not None:
            if self.email_grouped:
                lines.append(f"item2.EMAIL;type=INTERNET:{self.email}")
                lines.append("item2.X-ABLabel:_$!<Work>!$_")
            else:
                lines.append(f"EMAIL;type=INTERNET;type=HOME:{self.email}")
        if self.note is not None:
            lines.append(f"NOTE:{escape(self.note)}")
        lines.append("END:VCARD")
        return "".join(fold(line, EOL) + EOL for line in lines)


def _n_line(family: str, given: str, extra: str) -> str:
    return f"N:{escape(family)};{escape(given)};{escape(extra)};;"


def _name(rng: random.Random, long: bool) -> tuple[str, str, str, str]:
    """(family, given, additional, full name). A long name has several family
    names and middle names (the additional names of N) until its N line passes
    75 octets, and often its FN line too; FN, the name WhatsApp shows, is the
    given and family names within NAME_MAX characters (VC501)."""
    kind = rng.choices(["en", "pt", "ar", "cjk"], [34, 24, 26, 16])[0]
    if long and kind == "en":
        kind = rng.choice(["pt", "ar", "cjk"])  # non-ASCII: more octets a character
    if kind == "cjk":
        family, given = rng.choice(CJK)
        full = f"{family}{given}" if rng.random() < 0.5 else f"{family} {given}"
        extra = ""
        while long and len(_n_line(family, given, extra).encode()) <= 80:
            more = rng.choice(CJK_LONG) + rng.choice(CJK)[1]
            extra = f"{extra} {more}".strip()
            if len(f"{full} {more}") <= NAME_MAX:
                full = f"{full} {more}"
        return family, given, extra, full
    first_pool, last_pool = {
        "en": (EN_FIRST, EN_LAST),
        "pt": (PT_FIRST, PT_LAST),
        "ar": (AR_FIRST, AR_LAST),
    }[kind]
    given, family = rng.choice(first_pool), rng.choice(last_pool)
    extra = ""
    if long:
        link = {"pt": " de ", "ar": " بن "}[kind]
        while True:
            longer = rng.choice(last_pool) + link + family
            if len(f"{given} {longer}") > NAME_MAX:
                break
            family = longer
        while len(_n_line(family, given, extra).encode()) <= 80:
            extra = f"{extra} {rng.choice(first_pool)}".strip()
    return family, given, extra, f"{given} {family}"


def make_cards(count: int, seed: int, variant: str) -> list[Card]:
    """``count`` cards; the same seed and count give the same names whatever the variant."""
    rng = random.Random(seed)
    pool = phone_pool(random.Random(f"{seed}/pool"))
    cards: list[Card] = []
    for i in range(count):
        family, given, extra, full = _name(rng, long=rng.random() < 0.1)
        org = rng.choice(ORGS)
        if rng.random() < 0.5:
            org = f"{org};{rng.choice(DEPTS)}"  # kept raw: the ';' is ORG's separator
        title = rng.choice(TITLES) if rng.random() < 0.3 else None
        pick = rng.randrange(POOL_SIZE)
        has_second = rng.random() < 0.25
        second_pick = (pick + 1 + rng.randrange(POOL_SIZE - 1)) % POOL_SIZE
        second_grouped = rng.random() < 0.6
        label = rng.choice(LABELS)
        has_email = rng.random() < 0.3
        email_grouped = rng.random() < 0.4
        domain = rng.choice(DOMAINS)
        note = rng.choice(NOTES) if rng.random() < 0.3 else None
        if variant == "distinct":
            waid, second = distinct_mobile(i), distinct_mobile(i, "1")
        else:
            waid, second = pool[pick], pool[second_pick]
        cards.append(
            Card(
                family=family,
                given=given,
                extra=extra,
                full=full,
                org=org,
                title=title,
                waid=waid,
                second=second if has_second else None,
                second_grouped=second_grouped,
                label=label,
                email=f"user{i}@{domain}" if has_email else None,
                email_grouped=email_grouped,
                note=note,
            )
        )
    return cards


def escape_org(org: str) -> str:
    return ";".join(escape(part) for part in org.split(";"))


def write_vcf(path: Path, cards: Sequence[Card], faulty: bool) -> int:
    """Write the cards; returns the size in bytes."""
    with open(path, "wb") as fp:
        for start in range(0, len(cards), 5000):
            chunk = "".join(c.text(faulty) for c in cards[start : start + 5000])
            fp.write(chunk.encode("utf-8"))
    size = path.stat().st_size
    return size


def check_folding(path: Path) -> None:
    """Every physical line at most 75 octets, valid UTF-8, CRLF only."""
    data = path.read_bytes()
    data.decode("utf-8")  # raises on a split sequence
    for number, line in enumerate(data.split(b"\r\n"), 1):
        if len(line) > 75 or b"\r" in line or b"\n" in line:
            raise SystemExit(f"generator bug: {path.name}:{number} is not folded: {line[:40]!r}")
        if line.startswith(b" "):
            line.decode("utf-8")  # a fold never starts inside a character


# --------------------------------------------------------------------------
# Running a command


@dataclass
class Run:
    label: str
    cards: int
    rss_kib: int
    seconds: float
    code: int
    killed: str  # "" or why the watchdog killed it
    stdout_bytes: int
    stderr_tail: str

    @property
    def rss_mib(self) -> float:
        return self.rss_kib / KIB

    @property
    def ok(self) -> bool:
        return not self.killed and self.code in (0, 1)


# The commands are started by a small launcher process, itself started before
# the benchmark builds any cards. Linux carries a process's peak RSS across
# exec (the kernel keeps the old memory's high-water mark), and a forked (or
# vforked) child starts with its parent's pages: started from this process
# once it has generated 100,000 cards, a one-card lint would report this
# process's RSS, not its own. The launcher stays at about 10 MiB, under the
# 20-odd MiB any vcardkit run needs. One request (JSON) a line on its stdin,
# one reply a line on its stdout.
LAUNCHER = r"""
import json, os, subprocess, sys, threading, time

def status_kib(pid, field="VmRSS:"):
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as fp:
            for line in fp:
                if line.startswith(field):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0

for request in sys.stdin:
    req = json.loads(request)
    killed = []
    with open(req["stdout"], "wb") as out, open(req["stderr"], "wb") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(req["argv"], cwd=req["cwd"], env=req["env"],
                                stdin=subprocess.DEVNULL, stdout=out, stderr=err)
        done = threading.Event()

        def watch():
            while not done.wait(0.05):
                if time.perf_counter() - start > req["max_seconds"]:
                    killed.append("killed after %.0f s" % req["max_seconds"])
                elif status_kib(proc.pid) > req["max_rss_kib"]:
                    killed.append("killed at %.0f MiB RSS" % (req["max_rss_kib"] / 1024))
                else:
                    continue
                try:
                    os.kill(proc.pid, 9)
                except ProcessLookupError:
                    pass
                return

        watcher = threading.Thread(target=watch, daemon=True)
        watcher.start()
        _, status, usage = os.wait4(proc.pid, 0)  # the child's own rusage
        seconds = time.perf_counter() - start
        done.set()
        watcher.join()
        proc.returncode = code = os.waitstatus_to_exitcode(status)
    reply = {"maxrss_kib": usage.ru_maxrss, "seconds": seconds, "code": code,
             "killed": killed[0] if killed else "",
             "launcher_kib": status_kib("self", "VmHWM:")}
    print(json.dumps(reply), flush=True)
"""


class Launcher:
    """The launcher process (see LAUNCHER); ``close`` ends it."""

    def __init__(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-c", LAUNCHER],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        # The high-water mark of its own memory (VmHWM): what a child inherits
        # at most. (Its ru_maxrss is larger: it inherited this process's.)
        self.floor_kib = 0

    def run(
        self, argv: Sequence[str], cwd: Path, stdout: Path, stderr: Path, max_seconds: float
    ) -> dict[str, Any]:
        env = dict(os.environ, NO_COLOR="1")
        env.pop("GITHUB_ACTIONS", None)
        request = {
            "argv": list(argv),
            "cwd": str(cwd),
            "env": env,
            "stdout": str(stdout),
            "stderr": str(stderr),
            "max_seconds": max_seconds,
            "max_rss_kib": RSS_LIMIT_KIB,
        }
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(json.dumps(request) + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            raise SystemExit("the launcher process died")
        reply: dict[str, Any] = json.loads(line)
        self.floor_kib = max(self.floor_kib, int(reply["launcher_kib"]))
        return reply

    def close(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        self.proc.wait()


def run_cli(
    launcher: Launcher,
    label: str,
    args: Sequence[str],
    cards: int,
    workdir: Path,
    max_seconds: float,
) -> Run:
    """``python -m vcardkit *args`` in ``workdir``: peak RSS (ru_maxrss) and wall time."""
    out_path, err_path = workdir / "stdout.txt", workdir / "stderr.txt"
    reply = launcher.run(
        [sys.executable, "-m", "vcardkit", *args], workdir, out_path, err_path, max_seconds
    )
    tail = err_path.read_text("utf-8", errors="replace").strip().splitlines()[-3:]
    return Run(
        label=label,
        cards=cards,
        rss_kib=int(reply["maxrss_kib"]),  # KiB on Linux
        seconds=float(reply["seconds"]),
        code=int(reply["code"]),
        killed=str(reply["killed"]),
        stdout_bytes=out_path.stat().st_size,
        stderr_tail=" | ".join(tail),
    )


def lint_codes(path: Path, workdir: Path) -> list[dict[str, object]]:
    env = dict(os.environ, NO_COLOR="1")
    env.pop("GITHUB_ACTIONS", None)
    done = subprocess.run(
        [sys.executable, "-m", "vcardkit", "lint", str(path), "--format", "json"],
        cwd=workdir,
        env=env,
        capture_output=True,
        check=False,
    )
    if done.returncode not in (0, 1):
        raise SystemExit(f"lint failed ({done.returncode}): {done.stderr.decode()[-500:]}")
    found: list[dict[str, object]] = json.loads(done.stdout)
    return found


SUMMARY = re.compile(rb"(\d+) errors?, (\d+) warnings?, (\d+) infos?")


def summary_counts(workdir: Path) -> str:
    """'E/W/I' from the summary line the last command printed, or '?'."""
    data = (workdir / "stdout.txt").read_bytes()[-4000:]
    found = SUMMARY.findall(data)
    if not found:
        return "?"
    errors, warnings, infos = (int(x) for x in found[-1])
    return f"{errors:,}/{warnings:,}/{infos:,}"


# --------------------------------------------------------------------------
# Report


def yes(ok: bool) -> str:
    return "yes" if ok else "no"


def table(header: Sequence[str], align: str, rows: Sequence[Sequence[str]]) -> None:
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join("---:" if a == "r" else "---" for a in align) + "|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    print()
    sys.stdout.flush()


def git_head() -> str:
    try:
        done = subprocess.run(
            ["git", "-C", str(REPO), "log", "-1", "--format=%h %s"],
            capture_output=True,
            text=True,
            check=False,
        )
    except OSError:
        return "?"
    return done.stdout.strip()[:70] or "?"


def header(args: argparse.Namespace) -> None:
    print("# vcardkit command-line memory benchmark\n")
    print(
        f"- Python {platform.python_version()} ({platform.python_implementation()}), "
        f"{sys.executable}"
    )
    print(
        f"- {platform.platform()}, {platform.machine()}, {os.cpu_count()} CPUs, "
        f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )
    print(f"- vcardkit {metadata.version('vcardkit')} at {git_head()}")
    print(
        f"- n = {args.cards:,} cards (sizes {args.cards:,} and {10 * args.cards:,}), "
        f"seed {args.seed}, per-run limit {args.max_seconds:.0f} s and 4 GiB"
    )
    print()
    sys.stdout.flush()


# --------------------------------------------------------------------------
# 0. The generator's check


def check_generator(seed: int, workdir: Path) -> list[str]:
    """Lint small samples; returns the findings as lines for the report."""
    notes: list[str] = []
    count = 200  # under VC409's 257
    for variant in ("distinct", "repeat"):
        cards = make_cards(count, seed, variant)
        for faulty in (False, True):
            path = workdir / f"sample-{variant}-{'faulty' if faulty else 'clean'}.vcf"
            write_vcf(path, cards, faulty)
            check_folding(path)
            found = lint_codes(path, workdir)
            codes = Counter(str(d["code"]) for d in found if d["severity"] != "info")
            infos = Counter(str(d["code"]) for d in found if d["severity"] == "info")
            what = f"{variant} {'faulty' if faulty else 'clean'} ({count} cards)"
            shown = ", ".join(f"{c} x{k}" for c, k in sorted(codes.items())) or "none"
            notes.append(
                f"{what}: errors/warnings {shown}; infos "
                + (", ".join(f"{c} x{k}" for c, k in sorted(infos.items())) or "none")
            )
            if not faulty:
                unexpected = {c: k for c, k in codes.items() if c not in INHERENT}
                ok = not unexpected
                notes[-1] += f" -> clean: {yes(ok)}"
            else:
                per_card: dict[int, set[str]] = {}
                for d in found:
                    card = d.get("card")
                    if isinstance(card, int):
                        per_card.setdefault(card, set()).add(str(d["code"]))
                complete = sum(
                    1 for i in range(count) if set(EXPECTED_FAULTS) <= per_card.get(i, set())
                )
                extra = sorted(set(codes) - set(EXPECTED_FAULTS) - set(INHERENT) - {"VC406"})
                notes[-1] += (
                    f" -> cards with all of {'/'.join(EXPECTED_FAULTS)}: {complete}/{count}"
                    + (f"; unintended: {', '.join(extra)}" if extra else "")
                )
    return notes


# --------------------------------------------------------------------------
# 1. Memory


COMMANDS: list[tuple[str, Callable[[str, str], list[str]]]] = [
    ("lint --format text", lambda vcf, faulty: ["lint", vcf, "--format", "text"]),
    ("lint --format sarif", lambda vcf, faulty: ["lint", vcf, "--format", "sarif"]),
    ("convert .vcf -o .json", lambda vcf, faulty: ["convert", vcf, "-o", "out.json"]),
    ("convert .json -o .vcf", lambda vcf, faulty: ["convert", "out.json", "-o", "back.vcf"]),
    ("fix (faulty copy)", lambda vcf, faulty: ["fix", faulty]),
]


@dataclass
class Planned:
    cards: int
    note: str


def plan_large(small: Run | None, n: int, max_seconds: float, baseline: Run) -> Planned:
    """The size to run at 10n: 10n unless the run at n says it would pass a limit."""
    target = 10 * n
    if small is None or not small.ok:
        return Planned(0, "skipped: the run at n failed")
    # Assume at least linear growth above the start-up cost.
    per_card_s = max(small.seconds - baseline.seconds, 1e-6) / n
    per_card_kib = max(small.rss_kib - baseline.rss_kib, 0) / n
    est_s = baseline.seconds + per_card_s * target * 1.3
    est_kib = baseline.rss_kib + per_card_kib * target * 1.3
    if est_s <= max_seconds and est_kib <= RSS_LIMIT_KIB:
        return Planned(target, "")
    fit_s = (max_seconds - baseline.seconds) / (per_card_s * 1.3)
    fit_kib = (RSS_LIMIT_KIB - baseline.rss_kib) / max(per_card_kib * 1.3, 1e-9)
    cards = int(min(fit_s, fit_kib, target)) // 1000 * 1000
    why = "time" if fit_s < fit_kib else "memory"
    if cards < 2 * n:
        return Planned(0, f"skipped: 10n would need about {est_s:.0f} s / {est_kib / KIB:.0f} MiB")
    return Planned(
        cards,
        f"capped at {cards:,} cards ({why}: 10n estimated {est_s:.0f} s, {est_kib / KIB:.0f} MiB)",
    )


def memory_section(args: argparse.Namespace, tmp: Path, launcher: Launcher, baseline: Run) -> None:
    n = args.cards
    print("## 1. Peak RSS and wall time at n and 10n\n")
    print(
        f"Start-up (`lint` of a one-card file): {baseline.rss_mib:.1f} MiB, "
        f"{baseline.seconds:.2f} s.\n"
    )
    rows: list[list[str]] = []
    verdicts: list[bool] = []
    for variant in ("repeat", "distinct"):
        work = tmp / variant
        work.mkdir()
        results: dict[tuple[str, str], Run] = {}
        plans: dict[str, Planned] = {}
        for size_name in ("n", "10n"):
            if size_name == "n":
                sizes = {label: n for label, _ in COMMANDS}
            else:
                for label, _ in COMMANDS:
                    plans[label] = plan_large(
                        results.get((label, "n")), n, args.max_seconds, baseline
                    )
                sizes = {label: plans[label].cards for label, _ in COMMANDS}
            for count in sorted({c for c in sizes.values() if c}):
                progress(f"{variant}: generating {count:,} cards")
                cards = make_cards(count, args.seed, variant)
                clean, faulty = work / "cards.vcf", work / "faulty.vcf"
                size = write_vcf(clean, cards, faulty=False)
                write_vcf(faulty, cards, faulty=True)
                del cards
                progress(f"{variant}: {count:,} cards, {size / MIB:.1f} MiB")
                for label, make in COMMANDS:
                    if sizes[label] != count:
                        continue
                    shutil.copyfile(faulty, work / "faulty-copy.vcf")
                    progress(f"{variant} {count:,}: {label}")
                    run = run_cli(
                        launcher,
                        label,
                        make("cards.vcf", "faulty-copy.vcf"),
                        count,
                        work,
                        args.max_seconds,
                    )
                    counts = summary_counts(work) if "text" in label or "fix" in label else ""
                    run.stderr_tail = counts if run.ok else run.stderr_tail
                    results[(label, size_name)] = run
                    progress(
                        f"  -> {run.rss_mib:.1f} MiB, {run.seconds:.1f} s, exit {run.code}"
                        + (f" {run.killed}" if run.killed else "")
                    )
        shutil.rmtree(work)
        for label, _ in COMMANDS:
            small, large = results.get((label, "n")), results.get((label, "10n"))
            plan = plans.get(label, Planned(0, "not run"))
            for size_name, maybe in (("n", small), ("10n", large)):
                if maybe is None:
                    rows.append(
                        [label, variant, size_name, "-", "-", "-", "-", "-", "-", "-", plan.note]
                    )
                    continue
                run = maybe
                status = run.killed or ("" if run.ok else f"exit {run.code}: {run.stderr_tail}")
                ratio = target = met = ""
                if size_name == "10n" and small is not None and small.ok:
                    ratio = f"{run.rss_kib / small.rss_kib:.2f}"
                    peak = max(run.rss_mib, small.rss_mib)
                    if variant == "repeat":
                        target = "<= 1.15, < 100 MiB"
                        good = run.ok and run.rss_kib <= 1.15 * small.rss_kib and peak < 100
                    else:
                        target = "< 150 MiB"
                        good = run.ok and peak < 150
                    if run.cards != 10 * n:
                        good = False
                    met = yes(good)
                    verdicts.append(good)
                rows.append(
                    [
                        label,
                        variant,
                        f"{size_name}={run.cards:,}",
                        f"{run.rss_mib:.1f}",
                        f"{run.seconds:.2f}",
                        run.stderr_tail if run.ok else "",
                        f"{run.stdout_bytes / MIB:.1f}",
                        ratio,
                        target,
                        met,
                        "; ".join(
                            x for x in (status, plan.note if size_name == "10n" else "") if x
                        ),
                    ]
                )
    table(
        [
            "command",
            "phones",
            "cards",
            "peak RSS MiB",
            "seconds",
            "E/W/I",
            "stdout MiB",
            "RSS(10n)/RSS(n)",
            "target",
            "met",
            "note",
        ],
        "lllrrlrrlll",
        rows,
    )
    print(f"Memory targets met: {sum(verdicts)} of {len(verdicts)}.\n")
    print(
        "E/W/I: errors/warnings/infos from the summary line (text lint and fix; fix counts what "
        "remains). A `met` needs the full 10n run.\n"
    )
    sys.stdout.flush()


# --------------------------------------------------------------------------
# 2. Fault density


def best_of(
    launcher: Launcher,
    label: str,
    argv: list[str],
    cards: int,
    work: Path,
    args: argparse.Namespace,
    prepare: Callable[[], None],
) -> Run:
    best: Run | None = None
    for _ in range(args.repeat):
        prepare()
        run = run_cli(launcher, label, argv, cards, work, args.max_seconds)
        if not run.ok:
            return run
        if best is None or run.seconds < best.seconds:
            best = run
        if run.seconds > SLOW_RUN:
            break
    assert best is not None
    return best


def density_section(args: argparse.Namespace, tmp: Path, launcher: Launcher) -> None:
    n = args.cards
    print("## 2. Fault density (distinct phones)\n")
    work = tmp / "density"
    work.mkdir()
    one = make_cards(1, args.seed, "distinct")
    write_vcf(work / "one.vcf", one, faulty=False)
    write_vcf(work / "one-faulty.vcf", one, faulty=True)
    progress(f"density: generating {4 * n:,} cards")
    cards = make_cards(4 * n, args.seed, "distinct")
    write_vcf(work / "clean.vcf", cards[:n], faulty=False)
    write_vcf(work / "faulty.vcf", cards[:n], faulty=True)
    write_vcf(work / "faulty4.vcf", cards, faulty=True)
    del cards

    def copier(source: str | None) -> Callable[[], None]:
        def prepare() -> None:
            if source is not None:
                shutil.copyfile(work / source, work / "copy.vcf")

        return prepare

    runs: dict[str, Run] = {}
    jobs: list[tuple[str, str, list[str], int, str | None]] = [
        ("lint startup", "lint 1 clean card", ["lint", "one.vcf"], 1, None),
        ("lint clean", f"lint {n:,} clean", ["lint", "clean.vcf"], n, None),
        ("lint faulty", f"lint {n:,} faulty", ["lint", "faulty.vcf"], n, None),
        ("fix startup", "fix 1 faulty card", ["fix", "copy.vcf"], 1, "one-faulty.vcf"),
        ("fix clean", f"fix {n:,} clean", ["fix", "copy.vcf"], n, "clean.vcf"),
        ("fix faulty", f"fix {n:,} faulty", ["fix", "copy.vcf"], n, "faulty.vcf"),
        ("fix faulty 4n", f"fix {4 * n:,} faulty", ["fix", "copy.vcf"], 4 * n, "faulty4.vcf"),
    ]
    for key, label, argv, count, source in jobs:
        progress(f"density: {label} (best of {args.repeat})")
        runs[key] = best_of(launcher, label, argv, count, work, args, copier(source))
        r = runs[key]
        r.stderr_tail = summary_counts(work) if r.ok else r.stderr_tail
        progress(f"  -> {r.seconds:.2f} s, {r.rss_mib:.1f} MiB, exit {r.code}")
    shutil.rmtree(work)

    table(
        ["run", "cards", "seconds (best)", "peak RSS MiB", "E/W/I", "exit"],
        "lrrrll",
        [
            [
                r.label,
                f"{r.cards:,}",
                f"{r.seconds:.2f}",
                f"{r.rss_mib:.1f}",
                r.stderr_tail,
                str(r.code) + (f" {r.killed}" if r.killed else ""),
            ]
            for r in runs.values()
        ],
    )

    def ratio(a: str, b: str, startup: str) -> tuple[float, float]:
        net_a = runs[a].seconds - runs[startup].seconds
        net_b = runs[b].seconds - runs[startup].seconds
        return net_a / max(net_b, 1e-9), runs[a].seconds / runs[b].seconds

    rows: list[list[str]] = []
    for what, a, b, startup, limit in (
        ("lint: faulty / clean", "lint faulty", "lint clean", "lint startup", 1.5),
        ("fix: faulty / clean", "fix faulty", "fix clean", "fix startup", 2.0),
        ("fix faulty: time(4n) / time(n)", "fix faulty 4n", "fix faulty", "fix startup", 5.0),
    ):
        if not (runs[a].ok and runs[b].ok):
            rows.append([what, "-", "-", f"<= {limit:g}", "no (a run failed)"])
            continue
        net, raw = ratio(a, b, startup)
        rows.append([what, f"{net:.2f}", f"{raw:.2f}", f"<= {limit:g}", yes(net <= limit)])
    table(["ratio", "less start-up", "raw", "target", "met"], "lrrrl", rows)


# --------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--cards", type=int, default=10_000, help="n (default 10,000)")
    parser.add_argument("--quick", action="store_true", help="n = 2,000")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--repeat", type=int, default=2, help="runs per fault-density figure")
    parser.add_argument(
        "--max-seconds", type=float, default=600.0, help="per-run limit (default 600)"
    )
    parser.add_argument(
        "--only",
        choices=("memory", "density"),
        help="run one section (memory figures do not mind a busy machine; times do)",
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.cards = 2000
    if args.cards < 1 or args.repeat < 1:
        parser.error("--cards and --repeat must be at least 1")
    started = time.perf_counter()
    launcher = Launcher()  # first, while this process is small
    try:
        header(args)
        run_all(args, launcher)
    finally:
        launcher.close()
    print(
        f"Launcher VmHWM {launcher.floor_kib / KIB:.1f} MiB (no child can inherit more). "
        f"Total time {time.perf_counter() - started:.0f} s."
    )
    return 0


def run_all(args: argparse.Namespace, launcher: Launcher) -> None:
    with tempfile.TemporaryDirectory(prefix="vcardkit-memory-") as name:
        tmp = Path(name)
        progress("checking the generator on 200-card samples")
        print("## 0. The generator, linted (`--format json`, 200 cards)\n")
        for line in check_generator(args.seed, tmp):
            print(f"- {line}")
        print()
        write_vcf(tmp / "one.vcf", make_cards(1, args.seed, "distinct"), faulty=False)
        baseline = run_cli(
            launcher, "startup", ["lint", "one.vcf", "--format", "text"], 1, tmp, args.max_seconds
        )
        if args.only in (None, "memory"):
            memory_section(args, tmp, launcher, baseline)
        if args.only in (None, "density"):
            density_section(args, tmp, launcher)


if __name__ == "__main__":
    sys.exit(main())
