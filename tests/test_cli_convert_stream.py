"""``vcardkit convert`` streams: the same bytes as converting in memory, in flat memory.

The streamed output is compared with the whole-payload functions
(``dumps(from_json(data))``, ``json.dumps(to_json(loads(data)), ...)``) on the
bundled examples, on generated payloads and with chunks so small that every
element straddles several. The JSON reader is tested on its own: its faults
are VCardError at json.loads' position, and it yields a contact before it has
read its whole input.
"""

from __future__ import annotations

import io
import json
import math
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import vcardkit
from tests.clitools import run, write
from tests.conftest import FIXTURES
from vcardkit import strategies
from vcardkit._io import loads
from vcardkit._model import _jsonstream
from vcardkit._model._json import from_json, parse_json_text, to_json
from vcardkit._model._jsonstream import iter_json_items
from vcardkit._syntax import _stream

EXAMPLES = sorted((FIXTURES / "examples").glob("*")) + sorted((FIXTURES / "golden").glob("*"))
JSON_EXAMPLES = [p for p in EXAMPLES if p.suffix == ".json"]
VCF_EXAMPLES = [p for p in EXAMPLES if p.suffix == ".vcf"]


def as_vcf(json_data: bytes, eol: str = "\r\n") -> bytes:
    return vcardkit.dumps(vcardkit.from_json(json_data), line_ending=eol).encode("utf-8")


def as_json(contacts: list[vcardkit.Contact]) -> bytes:
    return (json.dumps(to_json(contacts), ensure_ascii=False, indent=2) + "\n").encode("utf-8")


@pytest.fixture
def tiny_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Read 7 bytes at a time: elements, characters and CRLFs straddle chunks."""
    monkeypatch.setattr(_jsonstream, "_CHUNK", 7)
    monkeypatch.setattr(_stream, "CHUNK", 7)


def test_the_examples_are_there() -> None:
    assert len(JSON_EXAMPLES) >= 2 and len(VCF_EXAMPLES) >= 2


@pytest.mark.parametrize("chunks", ["default", "tiny"])
@pytest.mark.parametrize("path", JSON_EXAMPLES, ids=lambda p: p.name)
def test_json_examples_to_vcf_and_json(
    workdir: Path, path: Path, chunks: str, request: pytest.FixtureRequest
) -> None:
    if chunks == "tiny":
        request.getfixturevalue("tiny_chunks")
    data = path.read_bytes()
    source = write(workdir / path.name, data)
    result = run("convert", source)
    assert (result.code, result.err) == (0, "")
    assert result.out.encode("utf-8") == as_vcf(data)
    result = run("convert", source, "--to", "json")
    assert (result.code, result.err) == (0, "")
    assert result.out.encode("utf-8") == as_json(from_json(data))
    result = run("convert", source, "-o", "out.vcf", "--line-ending", "lf")
    assert (result.code, result.out, result.err) == (0, "", "")
    assert (workdir / "out.vcf").read_bytes() == as_vcf(data, "\n")


@pytest.mark.parametrize("chunks", ["default", "tiny"])
@pytest.mark.parametrize("path", VCF_EXAMPLES, ids=lambda p: p.name)
def test_vcf_examples_to_json_and_vcf(
    workdir: Path, path: Path, chunks: str, request: pytest.FixtureRequest
) -> None:
    if chunks == "tiny":
        request.getfixturevalue("tiny_chunks")
    data = path.read_bytes()
    source = write(workdir / path.name, data)
    result = run("convert", source)
    assert (result.code, result.err) == (0, "")
    assert result.out.encode("utf-8") == as_json(loads(data))
    result = run("convert", source, "-o", "out.json")
    assert (result.code, result.out, result.err) == (0, "", "")
    assert (workdir / "out.json").read_bytes() == as_json(loads(data))
    result = run("convert", source, "--to", "vcf")
    assert (result.code, result.err) == (0, "")
    assert result.out.encode("utf-8") == vcardkit.dumps(loads(data)).encode("utf-8")


def test_several_inputs_stream_into_one_json_array(workdir: Path, tiny_chunks: None) -> None:
    a, b = VCF_EXAMPLES[:2]
    c = JSON_EXAMPLES[0]
    paths = [write(workdir / p.name, p.read_bytes()) for p in (a, b, c)]
    result = run("convert", *paths, "--to", "json")
    assert (result.code, result.err) == (0, "")
    contacts = loads(a.read_bytes()) + loads(b.read_bytes()) + from_json(c.read_bytes())
    assert result.out.encode("utf-8") == as_json(contacts)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(strategies.json_contacts(), max_size=4),
    st.sampled_from([None, 0, 2, "\t"]),
    st.sampled_from([7, 64, 1 << 20]),
)
def test_generated_json_payloads(
    payload: list[dict[str, Any]], indent: int | str | None, chunk: int
) -> None:
    data = json.dumps(payload, indent=indent, ensure_ascii=indent == 2).encode("utf-8")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(_jsonstream, "_CHUNK", chunk)
        try:
            expected = as_vcf(data)
        except vcardkit.VCardError:
            return  # a value no vCard 3.0 line carries: tested below
        # What is streamed, not what is refused (test_cli_convert_refuses.py):
        # a generated contact may name no one.
        result = run("convert", "-", "--to", "vcf", "--allow-invalid", stdin=data)
        assert (result.code, result.err) == (0, "")
        assert result.out.encode("utf-8") == expected
        result = run("convert", "-", "--to", "json", "--allow-invalid", stdin=data)
        assert (result.code, result.err) == (0, "")
        assert result.out.encode("utf-8") == as_json(from_json(data))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(strategies.vcards(), max_size=4), st.sampled_from([7, 64, 1 << 20]))
def test_generated_vcf_payloads(cards: list[str], chunk: int) -> None:
    data = "".join(cards).encode("utf-8", "surrogatepass")
    try:
        contacts = loads(data)
    except vcardkit.VCardError:
        return
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(_stream, "CHUNK", chunk)
        result = run("convert", "-", "--allow-invalid", stdin=data)
    assert (result.code, result.err) == (0, "")
    assert result.out.encode("utf-8") == as_json(contacts)


@pytest.mark.parametrize(
    "data",
    [
        b"[]",
        b"  [ ]\n",
        b'{"fullName": "One", "phoneNumber": "+201111111111"}',
        b'\xef\xbb\xbf[{"fullName": "BOM"}]',
        b'\xef\xbb\xbf {"fullName": "BOM"}\n',
        b'[{"fullName": "A"},{"fullName": "B"} , \n\n{"fullName": "\\u00e9\xc3\xa9"}]',
        b'[{"fullName": "Dup", "fullName": "Last wins"}]',
    ],
    ids=["empty", "empty-spaced", "object", "bom", "bom-object", "spacing", "duplicate-key"],
)
def test_shapes_of_json_input(workdir: Path, tiny_chunks: None, data: bytes) -> None:
    source = write(workdir / "in.json", data)
    result = run("convert", source)
    assert (result.code, result.err) == (0, "")
    assert result.out.encode("utf-8") == as_vcf(data)
    result = run("convert", source, "--to", "json")
    assert (result.code, result.err) == (0, "")
    assert result.out.encode("utf-8") == as_json(from_json(data))


def test_empty_array_gives_an_empty_array(workdir: Path) -> None:
    source = write(workdir / "in.json", b"[]")
    result = run("convert", source, "--to", "json")
    assert (result.code, result.out, result.err) == (0, "[]\n", "")
    result = run("convert", source)
    assert (result.code, result.out, result.err) == (0, "", "")


def test_input_kind_is_sniffed_without_a_suffix(workdir: Path) -> None:
    data = JSON_EXAMPLES[0].read_bytes()
    # JSON past 4 KB of white space: is_json_data says VCF, as it did before.
    source = write(workdir / "contacts.txt", b" \n" * 3000 + data)
    result = run("convert", source)
    assert result.code == 1
    source = write(workdir / "contacts.txt", b"\n" + data)
    result = run("convert", source)
    assert (result.code, result.err) == (0, "")
    assert result.out.encode("utf-8") == as_vcf(data)
    vcf = VCF_EXAMPLES[0].read_bytes()
    result = run("convert", "-", stdin=vcf)
    assert (result.code, result.err) == (0, "")
    assert result.out.encode("utf-8") == as_json(loads(vcf))


# --- The JSON reader on its own -------------------------------------------


def items(data: bytes) -> list[tuple[int, Any]]:
    return list(iter_json_items(io.BytesIO(data)))


@pytest.mark.parametrize("chunk", [1, 2, 3, 7, 1 << 20])
def test_reader_gives_json_loads_elements_at_any_chunk_size(
    monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    monkeypatch.setattr(_jsonstream, "_CHUNK", chunk)
    payload = [
        {"fullName": "Zoë 👩‍👩‍👧", "n": 12345678901234567890, "x": [1.5e10, -0.25, None, True]},
        {"note": 'a\nb \\ " \u2028 é' * 20, "nested": {"a": [[], {}]}},
        {},
    ]
    for indent in (None, 0, 3):
        data = json.dumps(payload, indent=indent, ensure_ascii=False).encode("utf-8")
        assert items(data) == list(enumerate(payload))
    assert items(b"[1, 23, 4.5e6]") == [(0, 1), (1, 23), (2, 4.5e6)]
    assert math.isnan(items(b"[NaN]")[0][1])  # as json.loads reads it
    assert items(b'{"a": 1}') == [(0, {"a": 1})]


MALFORMED = [
    b"",
    b"   \n ",
    b"[",
    b'[{"fullName": "A"}',
    b'[{"fullName": "A"},',
    b'[{"fullName": "A"}, ',
    b'[{"fullName": "A"},]',
    b'[{"fullName": "A"}] x',
    b'[{"fullName": "A"}]\n\n  ]',
    b'[{"fullName": "A"} {"fullName": "B"}]',
    b'[{"fullName": "A"}, garbage]',
    b'[{"fullName": "A\nB"}]',
    b'[{"fullName": "A"}, {"fullName": "unterminated}]',
    b'\n\n  [\n  {"fullName": "A"},\n  {"fullName" "B"}\n]',
    b'{"fullName": "A"} {"fullName": "B"}',
    b'{"fullName": "A"',
    b"x",
    b"[1 2]",
    b"[-]",
    b"[tru]",
]


@pytest.mark.parametrize("chunk", [1, 5, 1 << 20])
@pytest.mark.parametrize("data", MALFORMED)
def test_malformed_json_is_vcard_error_where_json_loads_says(
    monkeypatch: pytest.MonkeyPatch, data: bytes, chunk: int
) -> None:
    monkeypatch.setattr(_jsonstream, "_CHUNK", chunk)
    with pytest.raises(vcardkit.VCardError) as expected:
        parse_json_text(data)
    with pytest.raises(vcardkit.VCardError) as raised:
        items(data)
    assert raised.value.code == "VC601"
    assert (raised.value.line, raised.value.column) == (
        expected.value.line,
        expected.value.column,
    )


@pytest.mark.parametrize(
    ("data", "what"),
    [(b"42", "a number"), (b' "text" ', "a string"), (b"null", "null"), (b"true", "a boolean")],
)
def test_a_bare_value_is_no_payload(data: bytes, what: str) -> None:
    with pytest.raises(vcardkit.VCardError) as raised:
        items(data)
    assert (raised.value.code, raised.value.pointer) == ("VC602", "")
    assert raised.value.msg == f"a JSON contact payload is an array of objects, not {what}"


def test_bytes_that_are_not_utf8(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_jsonstream, "_CHUNK", 3)
    with pytest.raises(vcardkit.VCardError) as raised:
        items(b'[{"fullName": "\xff"}]')
    assert raised.value.code == "VC101"
    assert raised.value.msg == "the JSON text is not UTF-8: byte 15 is 0xff"
    with pytest.raises(vcardkit.VCardError) as raised:
        items(b'[{"fullName": "\xc3')  # cut inside a character
    assert raised.value.code == "VC101"
    with pytest.raises(vcardkit.VCardError):
        items(b"\xff\xfe[\x00]\x00")  # UTF-16, which from_json refuses too


def test_too_deep_is_vcard_error() -> None:
    with pytest.raises(vcardkit.VCardError) as raised:
        items(b"[" + b"[" * 100_000 + b"]" * 100_000 + b"]")
    assert raised.value.code == "VC601"


class GeneratedFile:
    """A binary file whose bytes come from a generator, counting what was read."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self._chunks = chunks
        self._pending = b""
        self.read_bytes = 0
        self.exhausted = False

    def read(self, size: int = -1) -> bytes:
        while size < 0 or len(self._pending) < size:
            more = next(self._chunks, None)
            if more is None:
                self.exhausted = True
                break
            self._pending += more
        cut = len(self._pending) if size < 0 else size
        out, self._pending = self._pending[:cut], self._pending[cut:]
        self.read_bytes += len(out)
        return out


def test_first_contact_before_the_input_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_jsonstream, "_CHUNK", 4096)
    element = json.dumps({"fullName": "Wawp Support", "phoneNumber": "+201111111111"})

    def chunks() -> Iterator[bytes]:
        yield b"["
        for _ in range(10_000):
            yield (element + ",").encode()
        yield element.encode() + b"]"

    fp = GeneratedFile(chunks())
    stream = iter_json_items(fp)
    index, first = next(stream)
    assert (index, first) == (0, json.loads(element))
    assert fp.read_bytes <= 2 * 4096 and not fp.exhausted
    assert sum(1 for _ in stream) == 10_000
    assert fp.exhausted


def test_a_long_element_is_read_in_linear_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """One element of 4 MB read 1 KB at a time: decoded again only as the text doubles."""
    monkeypatch.setattr(_jsonstream, "_CHUNK", 1024)
    calls = 0
    decode = _jsonstream._DECODER.raw_decode

    class Counting:
        def raw_decode(self, s: str, idx: int = 0) -> tuple[Any, int]:
            nonlocal calls
            calls += 1
            return decode(s, idx)

    monkeypatch.setattr(_jsonstream, "_DECODER", Counting())
    photo = "A" * (4 << 20)
    data = json.dumps([{"vcard": photo}, {"fullName": "B"}]).encode()
    got = items(data)
    assert got[0][1]["vcard"] == photo and got[1] == (1, {"fullName": "B"})
    assert calls < 40


# --- Errors: nothing written with -o, output stops on stdout -----------------

GOOD = b'{"fullName": "Good", "phoneNumber": "+201111111111"}'
BELL = b'{"fullName": "A\\u0007B"}'  # U+0007: no vCard 3.0 value carries it


def test_output_file_is_intact_when_a_later_contact_fails(workdir: Path) -> None:
    source = write(workdir / "in.json", b"[" + GOOD + b",\n" + BELL + b"]")
    (workdir / "out.vcf").write_bytes(b"the old output\r\n")
    result = run("convert", source, "-o", "out.vcf")
    assert (result.code, result.out) == (1, "")
    assert result.err == (
        "in.json:2:14: VC113 [error] the field /1/fullName holds the control character "
        "U+0007, which RFC 2425 does not allow in a value\n"
    )
    assert (workdir / "out.vcf").read_bytes() == b"the old output\r\n"
    assert sorted(p.name for p in workdir.iterdir()) == ["in.json", "out.vcf", "pyproject.toml"]


def test_output_file_is_intact_when_a_later_card_cannot_be_read(workdir: Path) -> None:
    good = vcardkit.dumps(vcardkit.from_json(GOOD)).encode()
    source = write(workdir / "in.vcf", good + b"BEGIN:VCARD\r\nVERSION:3.0\r\nno colon\r\n")
    result = run("convert", source, "-o", "out.json")
    assert (result.code, result.out) == (1, "")
    assert "in.vcf:9:1: VC109 [error]" in result.err
    assert not (workdir / "out.json").exists()
    assert sorted(p.name for p in workdir.iterdir()) == ["in.vcf", "pyproject.toml"]


def test_on_stdout_output_stops_before_the_contact_that_fails(workdir: Path) -> None:
    """Documented: what was converted before the fault has been written already."""
    source = write(workdir / "in.json", b"[" + GOOD + b",\n" + BELL + b"," + GOOD + b"]")
    result = run("convert", source)
    assert result.code == 1
    assert result.out.encode() == as_vcf(b"[" + GOOD + b"]")
    assert result.err.startswith("in.json:2:14: VC113 [error]")
    good = vcardkit.dumps(vcardkit.from_json(GOOD)).encode()
    source = write(workdir / "in.vcf", good + b"BEGIN:VCARD\r\nVERSION:3.0\r\nno colon\r\n" + good)
    result = run("convert", source)
    assert result.code == 1
    # JSON output stops too: the array is left open, never closed over a gap.
    assert result.out.encode() == as_json(from_json(GOOD))[: -len("\n]\n")]
    assert "in.vcf:9:1: VC109 [error]" in result.err


def test_every_input_that_cannot_be_read_is_reported(workdir: Path) -> None:
    a = write(workdir / "a.json", b'[{"fullName": "A"}, {"fulName": "B"}]')
    b = write(workdir / "b.json", b'[{"fullName": "C"}')
    result = run("convert", a, b, "-o", "out.vcf")
    assert (result.code, result.out) == (1, "")
    assert result.err == (
        "a.json:1:21: VC605 [error] contact 1 has no fullName (and no vcard)\n"
        "b.json:1:19: VC601 [error] not JSON: Expecting ',' delimiter\n"
    )
    assert not (workdir / "out.vcf").exists()


def test_a_read_fault_is_reported_before_an_earlier_write_fault(workdir: Path) -> None:
    """As when every input was read before any was written."""
    a = write(workdir / "a.json", b"[" + BELL + b"]")
    b = write(workdir / "b.json", b'[{"fulName": "B"}]')
    result = run("convert", a, b)
    assert (result.code, result.out) == (1, "")
    assert result.err == "b.json:1:2: VC605 [error] contact 0 has no fullName (and no vcard)\n"


def test_stdin_errors_have_the_same_diagnostics_as_a_file(workdir: Path) -> None:
    data = b"BEGIN:VCARD\r\nVERSION:3.0\r\nno colon here\r\n" + b"NOTE:x\r\n" * 200_000
    source = write(workdir / "bad.vcf", data)
    from_file = run("convert", source)
    from_stdin = run("convert", "-", stdin=data)
    assert (from_file.code, from_file.out) == (from_stdin.code, from_stdin.out) == (1, "")
    assert from_stdin.err == from_file.err.replace("bad.vcf:", "<stdin>:")
    assert "<stdin>:3:1: VC109 [error]" in from_stdin.err


def test_a_missing_input_writes_nothing(workdir: Path) -> None:
    source = write(workdir / "in.json", b"[" + GOOD + b"]")
    result = run("convert", source, "nope.vcf")
    assert (result.code, result.out) == (2, "")
    assert result.err == "vcardkit: error: cannot read nope.vcf: no such file or directory\n"


def test_a_closed_pipe_is_one_line_and_exit_2(workdir: Path) -> None:
    """`convert big.json | head`: output goes as it is made, so the pipe closes under it."""
    source = write(workdir / "in.json", b"[" + b",".join([GOOD] * 5000) + b"]")  # ~500 KB out
    proc = subprocess.Popen(
        [sys.executable, "-m", "vcardkit", "convert", source],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    assert proc.stdout.read(11) == b"BEGIN:VCARD"
    proc.stdout.close()
    err = proc.stderr.read()
    assert (proc.wait(), err) == (2, b"vcardkit: error: cannot write to stdout: broken pipe\n")
