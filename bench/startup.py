"""Start-up of the vcardkit command line against the interpreter's own.

    python bench/startup.py [--runs N] [--importtime]

Runs each command ``--runs`` times (default 10) in a fresh process and
reports the median wall time, and its ratio to ``python -c pass``: the
interpreter starting and stopping, which no command can beat. The issue's
target: a one-card ``vcardkit lint`` (a card with a phone, so phonenumbers is
imported; no configuration file) within 5x ``python -c pass``.

``--importtime`` adds the modules that cost most to import in the one-card
lint (``python -X importtime``, self time, the best of 5 runs), which is
where start-up goes.

Run it on a quiet machine: start-up is a few tens of milliseconds, and
anything else running moves it. ``PYTHONDONTWRITEBYTECODE`` is removed from
the children's environment: without cached bytecode every import compiles
its module, which is not how an installed tool starts.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ONE_CARD = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nN:;Wawp Support;;;\r\nFN:Wawp Support\r\n"
    "ORG:Wawp HQ\r\nTEL;type=CELL;type=VOICE;waid=201111111111:+201111111111\r\n"
    "END:VCARD\r\n"
)


def median_seconds(argv: list[str], runs: int, cwd: Path, env: dict[str, str]) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def import_costs(argv: list[str], cwd: Path, env: dict[str, str]) -> list[tuple[int, str]]:
    """(microseconds, module) by self import time, the best of 5 runs."""
    best: dict[str, int] = {}
    for _ in range(5):
        err = subprocess.run(
            [sys.executable, "-X", "importtime", *argv],
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
        ).stderr
        for line in err.splitlines():
            if not line.startswith("import time:") or "self [us]" in line:
                continue
            self_us, _, name = line[len("import time:") :].split("|")
            module = name.strip()
            best[module] = min(best.get(module, 1 << 62), int(self_us))
    return sorted(((us, m) for m, us in best.items()), reverse=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--importtime", action="store_true")
    args = parser.parse_args(argv)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        # A fresh temporary folder: no configuration file in it or above it
        # (the case; reading one adds tomllib).
        (work / "one.vcf").write_text(ONE_CARD, encoding="utf-8", newline="")
        cli = [sys.executable, "-m", "vcardkit"]
        commands = [
            ("python -c pass", [sys.executable, "-c", "pass"]),
            ("python -c 'import phonenumbers'", [sys.executable, "-c", "import phonenumbers"]),
            ("vcardkit --help", [*cli, "--help"]),
            ("vcardkit lint one.vcf (1 card, a phone)", [*cli, "lint", "one.vcf"]),
        ]
        # Once, untimed: the bytecode caches are written and the files cached.
        for _, command in commands:
            subprocess.run(command, cwd=work, env=env, capture_output=True)
        base = None
        print(f"| command | median of {args.runs} (ms) | / python -c pass |")
        print("|---|---:|---:|")
        for label, command in commands:
            seconds = median_seconds(command, args.runs, work, env)
            base = base or seconds
            print(f"| {label} | {seconds * 1000:.1f} | {seconds / base:.1f}x |")
        if args.importtime:
            costs = import_costs(["-m", "vcardkit", "lint", "one.vcf"], work, env)
            total = sum(us for us, _ in costs)
            print(f"\nImports of the one-card lint: {total / 1000:.1f} ms in all (self times)")
            for us, module in costs[:25]:
                print(f"  {us / 1000:6.2f} ms  {module}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
