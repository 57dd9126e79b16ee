"""Coverage-guided fuzzing of vcardkit with atheris (https://github.com/google/atheris).

    pip install -e '.[fuzz]'
    python tests/fuzz/fuzz_vcardkit.py bytes -max_total_time=600      # loads, iter_load,
                                                                      # from_json, validate, fix
    python tests/fuzz/fuzz_vcardkit.py text -max_total_time=600       # the same, for str input
    python tests/fuzz/fuzz_vcardkit.py contacts -max_total_time=600   # dumps, validate, check

The first argument picks the target; the rest go to libFuzzer (a corpus
folder, ``-max_total_time``, ``-jobs``). A failing input is written to
``crash-*``; replay it with ``python tests/fuzz/fuzz_vcardkit.py bytes crash-...``.
The checks are tests/fuzz/checks.py's, which the suite runs on hypothesis'
inputs (tests/test_fuzz.py).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import atheris

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

with atheris.instrument_imports():
    import vcardkit  # noqa: F401
    from tests.fuzz import checks

_KEYS = (
    "fullName",
    "firstName",
    "lastName",
    "organization",
    "phoneNumber",
    "whatsappId",
    "note",
    "birthday",
    "vcard",
    "title",
    "department",
)


def _contacts(data: bytes) -> list[dict[str, Any]]:
    """JSON contacts drawn from the fuzzer's bytes: keys of the shape, any text in them."""
    fdp = atheris.FuzzedDataProvider(data)
    out: list[dict[str, Any]] = []
    for _ in range(fdp.ConsumeIntInRange(1, 3)):
        contact: dict[str, Any] = {}
        for key in _KEYS:
            if fdp.ConsumeBool():
                contact[key] = fdp.ConsumeUnicode(40)
        if fdp.ConsumeBool():
            contact["extraProperties"] = [fdp.ConsumeUnicode(30)]
        out.append(contact)
    return out


def _target(name: str) -> Any:
    if name == "bytes":
        return checks.check_bytes
    if name == "text":
        return lambda data: checks.check_text(atheris.FuzzedDataProvider(data).ConsumeUnicode(4096))
    if name == "contacts":
        return lambda data: checks.check_contacts(_contacts(data))
    raise SystemExit(f"unknown target {name!r}: bytes, text or contacts")


def main() -> None:
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    target = _target(sys.argv[1])
    atheris.Setup([sys.argv[0], *sys.argv[2:]], target)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
