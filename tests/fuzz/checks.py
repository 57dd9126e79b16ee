"""What must hold for any input, checked by the fuzz harness and by tests/test_fuzz.py.

One implementation of each check: atheris (``fuzz_vcardkit.py``) and
hypothesis (the suite) feed them different inputs, never different rules.
"""

from __future__ import annotations

import contextlib
import io
import json
from typing import Any

import vcardkit
from vcardkit._syntax._decode import decode

__all__ = ["check_bytes", "check_contacts", "check_text"]


def _lines(text: str) -> list[str]:
    """Physical lines as diagnostics count them: CRLF, LF and a lone CR each end one."""
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def check_positions(text: str, report: vcardkit.Report) -> None:
    """Every diagnostic's position lies inside the text (a line break's column included)."""
    lines = _lines(text)
    for d in report.diagnostics:
        if d.line is None:
            continue
        assert d.column is not None, d
        assert 1 <= d.line <= max(len(lines), 1), d
        line = lines[d.line - 1] if d.line <= len(lines) else ""
        assert 1 <= d.column <= len(line) + 1, d


def check_loads(data: bytes | str) -> None:
    """``loads`` returns contacts or raises VCardError, nothing else."""
    with contextlib.suppress(vcardkit.VCardError):
        vcardkit.loads(data)
    try:
        for _ in vcardkit.iter_load(
            io.BytesIO(data) if isinstance(data, bytes) else io.StringIO(data)
        ):
            pass
    except vcardkit.VCardError:
        pass


def check_fix(data: bytes | str) -> None:
    """Every fix applies cleanly, and fixing twice equals fixing once."""
    try:
        once = vcardkit.fix(data)
    except vcardkit.VCardError:
        return  # a text the engine refuses to fix (undecodable bytes): refused, not mangled
    assert isinstance(once.output, str)
    twice = vcardkit.fix(once.output)
    assert twice.output == once.output, (once.output, twice.output)
    assert twice.applied == ()


def check_bytes(data: bytes) -> None:
    """Arbitrary bytes: readers raise only VCardError, validate never raises, positions
    lie inside the input, fixes apply cleanly and fixing twice equals fixing once."""
    check_loads(data)
    with contextlib.suppress(vcardkit.VCardError):
        vcardkit.from_json(data)
    report = vcardkit.validate(data)
    check_positions(
        decode(data).text, report
    )  # the BOM bytes are not in it; a U+FEFF after them is
    check_fix(data)


def check_text(text: str) -> None:
    """Arbitrary str (lone surrogates included): as check_bytes, for text given as str."""
    check_loads(text)
    report = vcardkit.validate(text)
    check_positions(text, report)
    check_fix(text)


def check_contacts(contacts: Any) -> None:
    """Contacts as Python objects: dumps writes UTF-8-encodable text or raises VCardError;
    validate never raises; what check returns validates with no error."""
    try:
        payload = vcardkit.dumps(contacts)
    except vcardkit.VCardError:
        payload = None
    except TypeError:
        return  # not contacts at all: dumps says so, as documented
    if payload is not None:
        payload.encode("utf-8")  # never a str that cannot be sent
    vcardkit.validate(contacts)
    try:
        sent = vcardkit.check(contacts)
    except vcardkit.ValidationError:
        return
    assert vcardkit.validate(sent).ok, sent
    json.dumps(contacts, default=str)  # the input was not changed into something odd
