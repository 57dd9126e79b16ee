"""``vcardkit convert --from/--to`` with other senders' shapes (vcardkit.senders)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import vcardkit
from tests.clitools import run, write
from tests.conftest import FIXTURES
from vcardkit import senders

CONTACTS = (FIXTURES / "examples" / "contacts.json").read_bytes()
DIRECTORY = (FIXTURES / "examples" / "directory.vcf").read_bytes()
SENDERS = FIXTURES / "senders"


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2) + "\n"


@pytest.mark.parametrize("shape", sorted(senders.SHAPES))
def test_json_contacts_to_each_shape(workdir: Path, shape: str) -> None:
    path = write(workdir / "contacts.json", CONTACTS)
    # Evolution's one-each fields cannot carry the example's department.
    lossy = shape == "evolution"
    result = run("convert", path, "--to", shape, *(["--lossy"] if lossy else []))
    assert (result.code, result.err) == (0, "")
    expected = senders.SHAPES[shape].writer(vcardkit.from_json(CONTACTS), lossy=lossy)
    assert result.out == _json(expected)


@pytest.mark.parametrize("shape", sorted(senders.SHAPES))
def test_each_shape_back_to_vcf_and_json(workdir: Path, shape: str) -> None:
    data = (SENDERS / shape / "several.out.json").read_bytes()
    path = write(workdir / "in.json", data)
    contacts = senders.SHAPES[shape].reader(data)
    as_vcf = run("convert", path, "--from", shape)  # the default output is VCF
    assert (as_vcf.code, as_vcf.err) == (0, "")
    assert as_vcf.out == vcardkit.dumps(contacts)
    as_json = run("convert", path, "--from", shape, "--to", "json")
    assert (as_json.code, as_json.err) == (0, "")
    assert as_json.out == _json(vcardkit.to_json(contacts))


def test_vcf_through_baileys_and_back_loses_nothing(workdir: Path) -> None:
    """VCF -> Baileys message -> VCF gives the canonical cards of the input."""
    path = write(workdir / "directory.vcf", DIRECTORY)
    out = run("convert", path, "--to", "baileys", "-o", "message.json")
    assert (out.code, out.out, out.err) == (0, "", "")
    message = json.loads((workdir / "message.json").read_text(encoding="utf-8"))
    assert message["displayName"] == "2 contacts"
    back = run("convert", "message.json", "--from", "baileys", "--to", "vcf")
    assert (back.code, back.err) == (0, "")
    assert back.out == vcardkit.dumps(vcardkit.loads(DIRECTORY))


def test_a_field_the_shape_cannot_carry_stops_it_unless_lossy(workdir: Path) -> None:
    path = write(
        workdir / "every.json", (SENDERS / "cloud-api" / "every-field.in.json").read_bytes()
    )
    write(workdir / "out.json", b"kept\n")
    refused = run("convert", path, "--to", "evolution", "-o", "out.json")
    assert (refused.code, refused.out) == (1, "")
    assert refused.err.startswith("<evolution output>:/0/")
    assert refused.err.rstrip("\n").endswith("--lossy drops it")
    assert refused.err.count("\n") == 1
    assert (workdir / "out.json").read_bytes() == b"kept\n"  # left as it was
    lossy = run("convert", path, "--to", "evolution", "--lossy", "-o", "out.json")
    assert (lossy.code, lossy.out, lossy.err) == (0, "", "")
    written = json.loads((workdir / "out.json").read_text(encoding="utf-8"))
    expected = senders.to_evolution(
        json.loads((SENDERS / "cloud-api" / "every-field.in.json").read_bytes()), lossy=True
    )
    assert written == expected


def test_a_malformed_shape_is_reported_with_its_pointer(workdir: Path) -> None:
    path = write(workdir / "bad.json", b'{"displayName": "x", "contacts": [{"vcard": 5}]}')
    result = run("convert", path, "--from", "baileys")
    assert (result.code, result.out) == (1, "")
    assert result.err.startswith("bad.json:/contacts/0/vcard: ")
    assert " [error] " in result.err


def test_an_unknown_format_is_a_usage_error(workdir: Path) -> None:
    path = write(workdir / "contacts.json", CONTACTS)
    result = run("convert", path, "--to", "telegram")
    assert (result.code, result.out) == (2, "")
    assert "invalid choice: 'telegram'" in result.err
