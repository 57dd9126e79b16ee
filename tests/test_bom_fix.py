"""VC102's fix: the byte-order mark is bytes before the text, so the fix says it by a field.

An edit of the decoded text cannot remove what is not in it: the ``Fix``
has no edits and ``bom=False`` (as VC103's has ``line_ending``), which the
json output shows; ``vcardkit fix`` removes the mark as it did.
"""

from __future__ import annotations

import json
from pathlib import Path

import vcardkit
from tests.clitools import run, write
from vcardkit._rules._diagnostic import Fix

FIXED = b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann\r\nN:;Ann;;;\r\nEND:VCARD\r\n"


def test_the_bom_fix_says_what_it_does() -> None:
    (d,) = vcardkit.validate(b"\xef\xbb\xbf" + FIXED, select=["VC102"]).diagnostics
    assert d.fix == Fix("remove the UTF-8 byte-order mark", bom=False)
    assert d.fix.edits == ()
    assert d.fix.applicable


def test_the_bom_fix_in_json_output(workdir: Path) -> None:
    path = write(workdir / "bom.vcf", b"\xef\xbb\xbf" + FIXED)
    result = run("lint", path, "--select", "VC102", "--format", "json")
    assert (result.code, result.err) == (0, "")
    assert json.loads(result.out)[0]["fix"] == {
        "description": "remove the UTF-8 byte-order mark",
        "safe": True,
        "edits": [],
        "pointer": None,
        "value": None,
        "line_ending": None,
        "bom": False,
    }
    # And fix still removes it.
    fixed = run("fix", path, "--select", "VC102")
    assert fixed.out == (
        "bom.vcf:1:1: VC102 fixed: remove the UTF-8 byte-order mark\n"
        "1 fix applied to 1 file; 1 file checked, remaining: 0 errors, 0 warnings, 0 infos.\n"
    )
    assert (workdir / "bom.vcf").read_bytes() == FIXED


def test_a_bom_in_a_vcard_string_is_not_the_json_files_fix(workdir: Path) -> None:
    card = b"\\ufeffBEGIN:VCARD\\r\\nVERSION:3.0\\r\\nFN:A\\r\\nEND:VCARD"
    data = b'\xef\xbb\xbf[{"vcard": "' + card + b'"}]'
    path = write(workdir / "bom.json", data)
    result = run("lint", path, "--select", "VC102", "--format", "json")
    fixes = [d["fix"] is not None for d in json.loads(result.out)]
    assert fixes == [True, False]  # the file's mark, then the string's
