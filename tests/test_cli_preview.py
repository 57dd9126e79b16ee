"""``vcardkit preview``: each card as a WhatsApp recipient sees it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.clitools import run, write


def card(*lines: str) -> bytes:
    return ("\r\n".join(("BEGIN:VCARD", "VERSION:3.0", *lines, "END:VCARD")) + "\r\n").encode()


def test_a_plain_card_with_a_valid_waid(workdir: Path) -> None:
    path = write(
        workdir / "a.vcf",
        card(
            "N:;Wawp Support;;;",
            "FN:Wawp Support",
            "ORG:Wawp HQ;Support",
            "TITLE:Helpdesk",
            "TEL;type=CELL;type=VOICE;waid=201111111111:+201111111111",
            "EMAIL;type=INTERNET:help@wawp.example",
            "NOTE:not shown",
            "X-SOCIALPROFILE:x",
        ),
    )
    result = run("preview", path)
    assert (result.code, result.err) == (0, "")
    assert result.out == (
        "Card 1 (line 1)\n"
        "  name      Wawp Support   [from FN]\n"
        "  org       Wawp HQ, Support\n"
        "  title     Helpdesk\n"
        "  phones    +201111111111  waid=201111111111   [kept]\n"
        "  button    Message (opens the chat with 201111111111)\n"
        "  email     help@wawp.example\n"
        "  ignored   NOTE, X-SOCIALPROFILE\n"
    )


def test_no_fn_falls_back_to_name_then_org(workdir: Path) -> None:
    with_name = write(workdir / "n.vcf", card("NAME:Directory", "ORG:Wawp HQ"))
    assert "  name      Directory   [from NAME]\n" in run("preview", with_name).out
    with_org = write(workdir / "o.vcf", card("N:;;;;", "ORG:Wawp HQ"))
    out = run("preview", with_org).out
    assert "  name      Wawp HQ   [from ORG]\n" in out
    assert "  org " not in out  # the organization is the name, not shown twice
    nothing = write(workdir / "x.vcf", card("N:;;;;", "TEL:+201111111111"))
    assert "  name      (none: the contact shows as a number)\n" in run("preview", nothing).out


def test_eleven_phones_keep_ten(workdir: Path) -> None:
    phones = [f"TEL;waid=2011111111{i:02d}:+2011111111{i:02d}" for i in range(11)]
    path = write(workdir / "many.vcf", card("FN:Many", *phones))
    result = run("preview", path)
    assert result.code == 0
    lines = result.out.splitlines()
    kept = [line for line in lines if line.endswith("[kept]")]
    dropped = [line for line in lines if "DROPPED" in line]
    assert len(kept) == 10
    assert dropped == [
        "            +201111111110  waid=201111111110   [DROPPED: beyond the first 10]"
    ]


def test_a_long_phone_is_dropped_and_the_button_uses_a_kept_waid(workdir: Path) -> None:
    long_number = "+20 111 111 1111 ext. 12345678901"  # 33 characters
    path = write(
        workdir / "long.vcf",
        card(
            "FN:Long", f"TEL;waid=201111111111:{long_number}", "TEL;waid=201222222222:+201222222222"
        ),
    )
    result = run("preview", path)
    assert (
        f"  phones    {long_number}  waid=201111111111   [DROPPED: over 30 characters]\n"
        in result.out
    )
    assert "  button    Message (opens the chat with 201222222222)\n" in result.out


def test_without_a_valid_waid_the_recipient_gets_invite(workdir: Path) -> None:
    path = write(
        workdir / "jid.vcf",
        card("FN:Jid", "TEL;waid=201111111111@s.whatsapp.net:+201111111111", "TEL:+201222222222"),
    )
    result = run("preview", path)
    assert "  button    Invite (no kept phone has a valid waid)\n" in result.out
    assert result.code == 0


def test_json_contacts_are_previewed_as_the_cards_they_make(workdir: Path) -> None:
    path = write(
        workdir / "c.json",
        b'[{"fullName": "A", "phoneNumber": "+201111111111", "whatsappId": "201111111111"},'
        b' {"fullName": "B"}]',
    )
    result = run("preview", path)
    assert result.out.count("Card ") == 2
    assert "  button    Message (opens the chat with 201111111111)\n" in result.out
    assert "Card 2 (line 7)\n  name      B   [from FN]\n  phones    (none)\n" in result.out


def test_unreadable_input_exits_1_with_the_diagnostics(workdir: Path) -> None:
    path = write(workdir / "bad.vcf", b"hello\r\n")
    result = run("preview", path)
    assert (result.code, result.out) == (1, "")
    assert (
        result.err
        == "bad.vcf:1:1: VC104 [error] the payload starts with 'hello', not BEGIN:VCARD\n"
    )


def test_no_cards_exits_1(workdir: Path) -> None:
    path = write(workdir / "empty.vcf", b"")
    result = run("preview", path)
    assert (result.code, result.out, result.err) == (1, "", "empty.vcf: no cards\n")


# --- Hostile input: what is printed of a card never drives the terminal ----------


def test_control_characters_are_shown_escaped(workdir: Path) -> None:
    """An OSC sequence would retitle the window, CSI 2J clear the screen, U+202E
    reverse what follows: each is shown as the escape lint's messages use."""
    path = write(
        workdir / "evil.vcf",
        card(
            "FN:Evil\x1b]0;owned\x07 \x1b[2J",
            "ORG:Org\u202e",
            "TITLE:\x9b2J",
            "TEL;waid=201111111111:+20111\x1b[8m1111111",
            "EMAIL:a\x1b[31m@b.example",
            "ADR:;;1 Nile St\x08\x08;Cairo;;;",
        ),
    )
    result = run("preview", path)
    assert (result.code, result.err) == (0, "")
    assert result.out == (
        "Card 1 (line 1)\n"
        "  name      Evil\\x1b]0;owned\\x07 \\x1b[2J   [from FN]\n"
        "  org       Org\\u202e\n"
        "  title     \\x9b2J\n"
        "  phones    +20111\\x1b[8m1111111  waid=201111111111   [kept]\n"
        "  button    Message (opens the chat with 201111111111)\n"
        "  email     a\\x1b[31m@b.example\n"
        "  address   1 Nile St\\x08\\x08, Cairo\n"
    )


def test_a_line_break_in_a_value_stays_on_its_line(workdir: Path) -> None:
    path = write(workdir / "nl.json", b'[{"fullName": "Two\\nLines\\tand a tab"}]')
    result = run("preview", path)
    assert (result.code, result.err) == (0, "")
    assert "  name      Two\\nLines\\tand a tab   [from FN]\n" in result.out


def test_an_unreadable_input_is_reported_escaped(workdir: Path) -> None:
    """The diagnostics quote the input; the path is anyone's text too."""
    path = write(workdir / "a\x1b[2J.json", b'[{"fullName": "A", "fulName\\u001b]0;x\\u0007": 1}]')
    result = run("preview", path)
    assert (result.code, result.out) == (1, "")
    assert result.err == (
        "a\\x1b[2J.json:/0/fulName\\x1b]0;x\\x07: VC603 [error] unknown key "
        "'fulName\\x1b]0;x\\x07'; did you mean 'fullName'?\n"
    )


def test_a_json_file_that_is_not_json_is_vc601(workdir: Path) -> None:
    """As lint says, not "the payload starts with 'not json'" (read as VCF)."""
    path = write(workdir / "nj.json", b"not json\n")
    result = run("preview", path)
    assert (result.code, result.out) == (1, "")
    assert result.err == "nj.json:1:1: VC601 [error] not JSON: Expecting value\n"


# --- Write errors: one line on stderr, exit 2 ---------------------------------------


def _preview_into(stdout: int, path: str) -> tuple[int, bytes]:
    proc = subprocess.run(
        [sys.executable, "-m", "vcardkit", "preview", path],
        stdout=stdout,
        stderr=subprocess.PIPE,
        check=False,
    )
    return proc.returncode, proc.stderr


def test_a_closed_pipe_is_one_line_and_exit_2(workdir: Path) -> None:
    path = write(workdir / "a.vcf", card("FN:A"))
    read, write_end = os.pipe()
    os.close(read)  # nobody reads: the first write is EPIPE
    try:
        code, err = _preview_into(write_end, path)
    finally:
        os.close(write_end)
    assert (code, err) == (2, b"vcardkit: error: cannot write to stdout: broken pipe\n")


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full")
def test_a_full_disk_is_one_line_and_exit_2(workdir: Path) -> None:
    path = write(workdir / "a.vcf", card("FN:A"))
    with open("/dev/full", "wb") as full:
        code, err = _preview_into(full.fileno(), path)
    assert (code, err) == (2, b"vcardkit: error: cannot write to stdout: no space left on device\n")
