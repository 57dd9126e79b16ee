"""``vcardkit convert`` refuses to write what it should not (issue "Hostile and careless input").

A card of the output that names no one (no FN, N or ORG to show), or that
holds what ``validate(..., profile="rfc2426")`` calls an error, stops the
conversion with exit 1 and the diagnostics, placed in the input where the
input says the same; ``--allow-invalid`` writes it anyway. Payload-wide
counts (VC409, VC410) never stop it.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import vcardkit
from tests.clitools import run, write
from vcardkit import strategies

REFUSED = (
    "vcardkit: convert does not write a card that names no one (no FN, N or ORG to show) "
    "or holds an error; --allow-invalid writes it anyway\n"
)
GOOD = b'{"fullName": "Good", "phoneNumber": "+201111111111"}'


def card(*lines: str) -> bytes:
    return ("\r\n".join(("BEGIN:VCARD", "VERSION:3.0", *lines, "END:VCARD")) + "\r\n").encode()


# --- A card that names no one --------------------------------------------------


def test_a_blank_full_name_is_refused_not_written_as_an_empty_card(workdir: Path) -> None:
    """It was BEGIN:VCARD / VERSION:3.0 / END:VCARD, exit 0."""
    source = write(workdir / "blank.json", b'[{"fullName": ""}]')
    result = run("convert", source)
    assert (result.code, result.out) == (1, "")
    assert result.err == "blank.json:1:15: VC605 [error] fullName is blank\n" + REFUSED
    forced = run("convert", source, "--allow-invalid")
    assert (forced.code, forced.out, forced.err) == (
        0,
        "BEGIN:VCARD\r\nVERSION:3.0\r\nEND:VCARD\r\n",
        "",
    )


def test_output_file_is_left_as_it_was(workdir: Path) -> None:
    source = write(workdir / "in.json", b"[" + GOOD + b',\n {"phoneNumber": "abc"}]')
    (workdir / "out.vcf").write_bytes(b"the old output\r\n")
    result = run("convert", source, "-o", "out.vcf")
    assert (result.code, result.out) == (1, "")
    assert result.err == (
        "in.json:2:2: VC605 [error] contact 1 has no fullName (and no vcard)\n" + REFUSED
    )
    assert (workdir / "out.vcf").read_bytes() == b"the old output\r\n"
    assert sorted(p.name for p in workdir.iterdir()) == ["in.json", "out.vcf", "pyproject.toml"]
    forced = run("convert", source, "-o", "out.vcf", "--allow-invalid")
    assert (forced.code, forced.out, forced.err) == (0, "", "")
    assert (workdir / "out.vcf").read_bytes() == vcardkit.dumps(
        [json.loads(GOOD), {"phoneNumber": "abc"}]
    ).encode("utf-8")


def test_on_stdout_output_stops_before_the_refused_card(workdir: Path) -> None:
    source = write(workdir / "in.json", b"[" + GOOD + b', {"fullName": " "}, ' + GOOD + b"]")
    result = run("convert", source)
    assert result.code == 1
    assert result.out == vcardkit.dumps([json.loads(GOOD)])
    assert result.err == "in.json:1:69: VC605 [error] fullName is blank\n" + REFUSED
    as_json = run("convert", source, "--to", "json")
    assert as_json.code == 1
    # The array is left open, never closed over a gap.
    assert as_json.out == '[\n  {\n    "fullName": "Good",\n    "phoneNumber": "+201111111111"\n  }'


def test_a_vcf_card_that_names_no_one_is_placed_in_the_input(workdir: Path) -> None:
    source = write(workdir / "in.vcf", card("FN:A") + card("TEL;waid=201111111111:+201111111111"))
    for target in ("json", "vcf"):
        result = run("convert", source, "--to", target)
        assert result.code == 1
        assert result.err == (
            "in.vcf:5:1: VC203 [error] the card has no FN (formatted name)\n"
            "in.vcf:5:1: VC204 [error] the card has no N (structured name)\n" + REFUSED
        )


def test_a_card_named_by_its_n_or_org_alone_is_written(workdir: Path) -> None:
    """WhatsApp shows the N or the ORG: such a card names someone (VC203 is not asked)."""
    source = write(workdir / "in.json", b'[{"organization": "Wawp HQ"}, {"lastName": "Doe"}]')
    result = run("convert", source)
    assert (result.code, result.err) == (0, "")
    assert result.out == vcardkit.dumps([{"organization": "Wawp HQ"}, {"lastName": "Doe"}])
    vcf = write(workdir / "org.vcf", card("ORG:;Support") + card("N:;;;Dr.;", "NOTE:x"))
    result = run("convert", vcf)
    assert (result.code, result.err) == (0, "")
    # An ORG of three units is kept whole as an extra property: it names the card too.
    three = write(workdir / "three.vcf", card("ORG:Wawp;HQ;Support"))
    result = run("convert", three, "--to", "vcf")
    assert (result.code, result.err) == (0, "")
    assert "ORG:Wawp;HQ;Support\r\n" in result.out


def test_a_ready_vcard_is_named_by_its_own_text(workdir: Path) -> None:
    nameless = json.dumps([{"vcard": "BEGIN:VCARD\r\nVERSION:3.0\r\nNOTE:x\r\nEND:VCARD\r\n"}])
    named = json.dumps([{"vcard": "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Zoë\r\nEND:VCARD\r\n"}])
    result = run("convert", write(workdir / "named.json", named.encode()))
    assert (result.code, result.err) == (0, "")
    result = run("convert", write(workdir / "nameless.json", nameless.encode()))
    assert (result.code, result.out) == (1, "")
    assert result.err.endswith(REFUSED)
    assert "VC203 [error]" in result.err  # the vcard string's own diagnostic, in the input


def test_a_sender_shape_names_the_output_card(workdir: Path) -> None:
    """validate() cannot read a Baileys message: the card is named by its place in the output."""
    message = {
        "displayName": "2 contacts",
        "contacts": [
            {"displayName": "A", "vcard": card("FN:A").decode()},
            {"displayName": "", "vcard": card("TEL:+201111111111").decode()},
        ],
    }
    source = write(workdir / "msg.json", json.dumps(message).encode())
    result = run("convert", source, "--from", "baileys")
    assert (result.code, result.out) == (1, "")
    assert result.err == (
        "<vcf output>:/1: VC203 [error] contact 1 of msg.json names no one: "
        "it has no FN, N or ORG to show\n" + REFUSED
    )
    result = run("convert", source, "--from", "baileys", "--to", "json", "-o", "out.json")
    assert (result.code, result.out) == (1, "")
    assert result.err.startswith("<json output>:/1: VC605 [error] contact 1 of msg.json")
    assert not (workdir / "out.json").exists()
    result = run("convert", source, "--from", "baileys", "--to", "waha", "--allow-invalid")
    assert (result.code, result.err) == (0, "")


def test_json_contacts_to_a_shape_are_checked_too(workdir: Path) -> None:
    source = write(workdir / "in.json", b"[" + GOOD + b', {"fullName": ""}]')
    result = run("convert", source, "--to", "cloud-api", "-o", "out.json")
    assert (result.code, result.out) == (1, "")
    assert result.err == "in.json:1:69: VC605 [error] fullName is blank\n" + REFUSED
    assert not (workdir / "out.json").exists()


# --- A value validate(profile="rfc2426") calls an error --------------------------


def test_an_error_the_input_says_is_placed_in_the_input(workdir: Path) -> None:
    """A ready card in vCard 2.1 is sent as it is: not a vCard 3.0 card (VC202)."""
    contact = {"fullName": "A", "vcard": "BEGIN:VCARD\r\nVERSION:2.1\r\nFN:A\r\nEND:VCARD\r\n"}
    source = write(workdir / "in.json", json.dumps([contact]).encode())
    result = run("convert", source)
    assert (result.code, result.out) == (1, "")
    assert result.err == "in.json:1:53: VC202 [error] the card is vCard '2.1', not 3.0\n" + REFUSED
    forced = run("convert", source, "--allow-invalid")
    assert (forced.code, forced.out, forced.err) == (0, contact["vcard"], "")


def test_an_error_of_an_extra_property_names_the_input(workdir: Path) -> None:
    """An N of six components, kept whole as an extra property: validation reads the
    lines the writer writes as they are, so the fault is named where the input holds it."""
    contact = {"fullName": "A", "extraProperties": ["X-A:1", "N:a;b;c;d;e;f"]}
    source = write(workdir / "in.json", json.dumps([contact]).encode())
    result = run("convert", source)
    assert (result.code, result.out) == (1, "")
    assert result.err == (
        "in.json:1:49: VC208 [error] N has 6 components; RFC 2426 defines 5\n" + REFUSED
    )
    assert run("convert", source, "--allow-invalid").code == 0


def test_a_fault_only_the_output_shows_names_the_output_card(workdir: Path) -> None:
    """A 2.1 QUOTED-PRINTABLE NOTE that decodes to an escape sequence: the input's raw text
    has no control character, the JSON written from it would."""
    data = (
        b"BEGIN:VCARD\r\nVERSION:2.1\r\nFN:A\r\nEND:VCARD\r\n"
        b"BEGIN:VCARD\r\nVERSION:2.1\r\nFN:B\r\n"
        b"NOTE;ENCODING=QUOTED-PRINTABLE:a=1B]0;x=07b\r\nEND:VCARD\r\n"
    )
    source = write(workdir / "qp.vcf", data)
    result = run("convert", source, "-o", "out.json")
    assert (result.code, result.out) == (1, "")
    assert result.err == (
        "<json output>:/1/note: VC113 [error] the field /1/note holds the control character "
        "U+001B, which RFC 2425 does not allow in a value (contact 1 of qp.vcf)\n" + REFUSED
    )
    assert not (workdir / "out.json").exists()


def test_payload_wide_counts_never_stop_a_conversion(workdir: Path) -> None:
    """VC409 (over 257 contacts) and VC410 (none) are limits of a message, not of a file."""
    many = [{"fullName": f"C{i}", "phoneNumber": f"+2011{i:08d}"} for i in range(300)]
    source = write(workdir / "many.json", json.dumps(many).encode())
    assert {d.code for d in vcardkit.validate(json.dumps(many)).errors} == {"VC409"}
    result = run("convert", source, "-o", "many.vcf")
    assert (result.code, result.out, result.err) == (0, "", "")
    assert (workdir / "many.vcf").read_bytes() == vcardkit.dumps(many).encode("utf-8")
    result = run("convert", "many.vcf", "-o", "back.json")
    assert (result.code, result.out, result.err) == (0, "", "")
    empty = write(workdir / "empty.json", b"[]")
    assert run("convert", empty, "--to", "json").out == "[]\n"
    result = run("convert", empty, "--to", "cloud-api")
    assert (result.code, result.err) == (0, "")


def test_help_documents_the_flag() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "vcardkit", "convert", "--help"], capture_output=True, text=True
    )
    assert proc.returncode == 0
    assert "--allow-invalid" in proc.stdout
    assert "names no one (no FN, N or ORG)" in " ".join(proc.stdout.split())


# --- What convert writes passes the checks it makes -------------------------------


def _named(contact: vcardkit.Contact) -> bool:
    parts = (
        contact.full_name, contact.first_name, contact.last_name, contact.middle_name,
        contact.name_prefix, contact.name_suffix, contact.organization, contact.department,
    )  # fmt: skip
    extras = [x.split(":", 1) for x in contact.extra_properties]
    return any(p and p.strip() for p in parts) or any(
        name.rpartition(".")[2].upper() in ("N", "ORG", "NAME") and value.replace(";", "").strip()
        for name, value in extras
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(strategies.json_contacts(), max_size=4), st.sampled_from(["vcf", "json"]))
def test_generated_payloads_are_written_whole_or_refused(
    payload: list[dict[str, Any]], target: str
) -> None:
    """Convert writes what --allow-invalid writes, or stops before a card it refuses; what
    it writes names someone in every card and holds no rfc2426 error but the name rules'."""
    data = json.dumps(payload).encode()
    forced = run("convert", "-", "--to", target, "--allow-invalid", stdin=data)
    if forced.code != 0:
        return  # a value no vCard 3.0 line carries: test_cli_convert_stream.py
    result = run("convert", "-", "--to", target, stdin=data)
    if result.code == 0:
        assert (result.out, result.err) == (forced.out, "")
        written = result.out
    else:
        assert result.code == 1 and result.err.endswith(REFUSED)
        assert forced.out.startswith(result.out) and result.out != forced.out
        written = result.out + "\n]" if target == "json" and result.out else result.out
    if target == "json":
        errors = {d.code for d in vcardkit.validate(written or "[]", profile="rfc2426").errors}
        assert errors <= {"VC605", "VC410"}
        written = vcardkit.dumps(vcardkit.from_json(written or "[]"))
    errors = {d.code for d in vcardkit.validate(written, profile="rfc2426").errors}
    assert errors <= {"VC203", "VC204", "VC410"}
    assert all(_named(c) for c in vcardkit.loads(written))
