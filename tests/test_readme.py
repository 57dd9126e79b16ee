"""The README shows real output: its rule table and its command examples are checked.

Each ``<!-- run: vcardkit ... -->`` comment is followed by a ``text`` block
holding what that command prints (stdout, then stderr) in the repository's
root; ``python tests/test_readme.py --update`` rewrites the blocks and the
rule table after a deliberate change.
"""

from __future__ import annotations

import re
import shlex
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
RUN_RE = re.compile(r"(<!-- run: (?P<command>.+?) -->\n```text\n)(?P<output>.*?)(```)", re.DOTALL)
RULES_RE = re.compile(r"(<!-- rules:start -->\n)(?P<table>.*?)(<!-- rules:end -->)", re.DOTALL)


def command_output(command: str) -> str:
    """stdout then stderr of ``command`` (a vcardkit command line), run in the root."""
    from tests.clitools import run

    argv = shlex.split(command)
    assert argv[0] == "vcardkit"
    import os

    here = os.getcwd()
    os.chdir(ROOT)
    try:
        result = run(*argv[1:], env={"NO_COLOR": "1"})
    finally:
        os.chdir(here)
    return result.out.replace("\r\n", "\n") + result.err


def rules_table() -> str:
    from vcardkit._cli._main import rules_markdown

    return rules_markdown()


def test_readme_rule_table_matches_the_registry() -> None:
    m = RULES_RE.search(README.read_text(encoding="utf-8"))
    assert m is not None, "the README has no <!-- rules:start --> section"
    assert m.group("table") == rules_table()


COMMANDS = [m.group("command") for m in RUN_RE.finditer(README.read_text(encoding="utf-8"))]


def test_readme_has_command_examples() -> None:
    assert len(COMMANDS) >= 6


@pytest.mark.parametrize("command", COMMANDS)
def test_readme_command_output_is_real(command: str) -> None:
    text = README.read_text(encoding="utf-8")
    blocks = {m.group("command"): m.group("output") for m in RUN_RE.finditer(text)}
    assert blocks[command] == command_output(command)


def update() -> None:
    text = README.read_text(encoding="utf-8")
    text = RUN_RE.sub(lambda m: m.group(1) + command_output(m.group("command")) + m.group(4), text)
    text = RULES_RE.sub(lambda m: m.group(1) + rules_table() + m.group(3), text)
    README.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    if sys.argv[1:] == ["--update"]:
        update()
    else:
        raise SystemExit("usage: python tests/test_readme.py --update")
