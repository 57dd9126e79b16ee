"""The real-world corpus: files other projects wrote, read as they are (never copied here).

``loads`` either returns cards or raises ``VCardError`` — nothing else escapes —
and what it returns is what the source project says the file holds: as many
cards as the manifest's ``n_cards``. ``iter_load`` on the binary file gives
the same, and ``dumps(loads(x))`` either works, reading back to the same
contacts, or raises ``VCardError``.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Final

from vcardkit import Contact, VCardError, dumps, iter_load, loads

# What docs/design.md "The public API" lets loads raise for: undecodable bytes,
# text outside a card, unterminated, unmatched or nested cards, malformed
# lines or parameters.
LOADS_CODES: Final = {"VC101", "VC104", "VC105", "VC106", "VC107", "VC108", "VC109", "VC110"}

# Files their source project calls valid that loads refuses, and why that is
# the design's call rather than a bug: each is outside what docs/design.md
# "Encodings" and "The public API" accept.
VALID_BUT_REFUSED: Final = {
    # Shift_JIS with no BOM: "Input is UTF-8"; other bytes are VC101.
    "CyanogenMod__android_frameworks_opt_vcard/tests/res/raw/v21_japanese_1.vcf": "VC101",
    "CyanogenMod__android_frameworks_opt_vcard/tests/res/raw/v21_japanese_2.vcf": "VC101",
    "CyanogenMod__android_frameworks_opt_vcard/tests/res/raw/v21_japanese_3.vcf": "VC101",
    "CyanogenMod__android_frameworks_opt_vcard/tests/res/raw/v21_multiple_entry.vcf": "VC101",
    "CyanogenMod__android_frameworks_opt_vcard/tests/res/raw/v30_japanese.vcf": "VC101",
    # Android's own continuation of a 2.1 value with a trailing backslash:
    # the next physical line has no ":" (VC109).
    "CyanogenMod__android_frameworks_opt_vcard/tests/res/raw/v21_adr_multiple_line.vcf": "VC109",
    # A card nested in a card (2.1 AGENT written inline): VC107.
    "CyanogenMod__android_frameworks_opt_vcard/tests/res/raw/v21_nest.vcf": "VC107",
}


def _rows(corpus: Path) -> list[dict[str, str]]:
    with (corpus / "MANIFEST.tsv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    return [r for r in rows if r["kind"] in ("vcard", "vcard-extracted")]


def _read(data: bytes) -> list[Contact] | VCardError:
    try:
        return loads(data)
    except VCardError as exc:
        return exc


def test_manifest_lists_vcard_files(corpus: Path) -> None:
    rows = _rows(corpus)
    assert len(rows) >= 200
    assert all((corpus / r["local_path"]).is_file() for r in rows)


def test_loads_returns_the_cards_or_raises_vcarderror(corpus: Path) -> None:
    """Every file reads to n_cards contacts or raises VCardError with a loads code and a place."""
    accepted = 0
    for row in _rows(corpus):
        path = row["local_path"]
        data = (corpus / path).read_bytes()
        result = _read(data)  # anything but VCardError fails the test here
        if isinstance(result, VCardError):
            assert result.code in LOADS_CODES, (path, result)
            assert result.line is not None and result.line >= 1, (path, result)
            assert result.column is not None and result.column >= 1, (path, result)
            if row["validity"] == "valid":
                assert VALID_BUT_REFUSED.get(path) == result.code, (path, result)
            continue
        accepted += 1
        assert path not in VALID_BUT_REFUSED, path
        # Checked for every accepted file: the source project's own count.
        assert str(len(result)) == row["n_cards"], (path, len(result), row["n_cards"])
        assert all(isinstance(c, Contact) for c in result)
    assert accepted >= 150


def test_iter_load_of_the_binary_file_is_loads(corpus: Path) -> None:
    """iter_load on the open binary file yields what loads returns, or raises the same error."""
    for row in _rows(corpus):
        path = corpus / row["local_path"]
        expected = _read(path.read_bytes())
        got: list[Contact] = []
        with path.open("rb") as fp:
            try:
                got.extend(iter_load(fp))
            except VCardError as exc:
                assert isinstance(expected, VCardError), (row["local_path"], exc)
                assert (exc.code, exc.line, exc.column) == (
                    expected.code,
                    expected.line,
                    expected.column,
                ), row["local_path"]
                # The cards before the fault were yielded first.
                continue
        assert got == expected, row["local_path"]


def test_text_input_reads_as_bytes_do(corpus: Path) -> None:
    """A UTF-8 file passed as str, or as a text file, reads as its bytes do."""
    for row in _rows(corpus):
        data = (corpus / row["local_path"]).read_bytes()
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            continue
        expected = _read(data)
        for got in (
            _read_text(text),
            _iter_text(text),
        ):
            if isinstance(expected, VCardError):
                assert isinstance(got, VCardError), row["local_path"]
                assert (got.code, got.line, got.column) == (
                    expected.code,
                    expected.line,
                    expected.column,
                ), row["local_path"]
            else:
                assert got == expected, row["local_path"]


def _read_text(text: str) -> list[Contact] | VCardError:
    try:
        return loads(text)
    except VCardError as exc:
        return exc


def _iter_text(text: str) -> list[Contact] | VCardError:
    try:
        return list(iter_load(io.StringIO(text, newline="")))
    except VCardError as exc:
        return exc


def test_dumps_of_what_loads_read_works_or_raises_vcarderror(corpus: Path) -> None:
    """dumps(loads(x)) works and reads back to the same contacts, or raises VCardError."""
    written = refused = 0
    for row in _rows(corpus):
        contacts = _read((corpus / row["local_path"]).read_bytes())
        if isinstance(contacts, VCardError):
            continue
        try:
            text = dumps(contacts)
        except VCardError as exc:
            # A value no 3.0 line carries (a form feed in outlook-2003's
            # FBURL): dumps names it rather than drop it.
            assert exc.pointer is not None and exc.pointer.startswith("/"), row["local_path"]
            refused += 1
            continue
        written += 1
        assert loads(text) == contacts, row["local_path"]
        assert dumps(loads(text)) == text, row["local_path"]
    assert written >= 150
    assert refused <= 5
