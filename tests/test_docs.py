"""The documentation site: the rule pages are what the generator writes now, and it builds.

``docs/rules/<CODE>.md`` are generated from each rule's docstring and fixtures
by ``docs/gen_rule_pages.py`` and committed; a changed docstring, message or
fixture fails here until the pages are regenerated
(``python docs/gen_rule_pages.py``). The site is built with
``mkdocs build --strict``, which fails on a broken link or a missing heading.
"""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

import vcardkit
from tests.conftest import ROOT
from vcardkit._docs import DOCS_URL, rule_page, rule_url

RULES = vcardkit.rules()


def _generator() -> ModuleType:
    path = ROOT / "docs" / "gen_rule_pages.py"
    spec = importlib.util.spec_from_file_location("gen_rule_pages", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


gen = _generator()


def test_site_url_is_where_the_code_says_the_docs_are() -> None:
    # SARIF's helpUri and `vcardkit rules CODE` link to DOCS_URL; MkDocs
    # publishes the site at site_url. The two must be one address.
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    found = re.findall(r"^site_url:\s*(\S+)\s*$", text, re.MULTILINE)
    assert found == [DOCS_URL]


def test_the_committed_pages_are_what_the_generator_writes_now() -> None:
    differ = sorted(
        str(path.relative_to(ROOT))
        for path, text in gen.pages().items()
        if not path.is_file() or path.read_text(encoding="utf-8") != text
    )
    assert differ == [], "run: python docs/gen_rule_pages.py"
    assert gen.stale() == []


def test_every_rule_has_its_page_where_rule_page_says() -> None:
    pages = sorted((ROOT / "docs" / "rules").glob("VC*.md"))
    assert [p.relative_to(ROOT).as_posix() for p in pages] == [rule_page(r.code) for r in RULES]
    assert len(pages) == 66
    for rule in RULES:
        lines = (ROOT / rule_page(rule.code)).read_text(encoding="utf-8").splitlines()
        assert f"# {rule.code} {rule.name}" in lines


def test_a_page_has_the_docstring_sections_a_failing_fixture_and_the_fix() -> None:
    page = (ROOT / rule_page("VC404")).read_text(encoding="utf-8")
    # The sections in order: what, why, examples, fix.
    positions = [page.index(h) for h in ("# VC404", "## Why", "## Examples", "## Fix")]
    assert positions == sorted(positions)
    # fixtures/rules/VC404/fail-jid.vcf line 5 is
    # "TEL;waid=5511912345678@s.whatsapp.net:+5511912345678"; its .expected
    # says line 5, column 23 (the "@": "TEL;waid=" is 9 characters, then 13
    # digits). The safe fix removes the suffix, so the diff's new line is the
    # same TEL with the digits alone.
    assert "fail-jid.vcf:5:23: VC404 [error] " in page
    assert "-TEL;waid=5511912345678@s.whatsapp.net:+5511912345678\n" in page
    assert "+TEL;waid=5511912345678:+5511912345678\n" in page
    # The [U] tag of the docstring links to the index's explanation.
    assert '[\\[U\\]](index.md#sources "reported by users of WhatsApp senders")' in page


def test_a_rule_without_an_automatic_fix_shows_no_diff() -> None:
    # VC402 (phone-invalid) offers no fix: there is no number to guess.
    page = (ROOT / rule_page("VC402")).read_text(encoding="utf-8")
    assert "| Automatic fix | none |" in page
    assert "```diff" not in page


def test_prose_keeps_code_spans_and_links_tags_codes_and_pages() -> None:
    text = 'a ``[WA]`` and [WA]; see VC405 (not VC404), docs/design.md "The canonical card" <x>'
    got = gen.markdown(text, "VC404", "rules/VC404.md")
    # Written by hand: the code span untouched; the tag a link to the index;
    # another rule's code a link to its page, the page's own code plain; the
    # page reference a link to its heading, one folder up from rules/; "<"
    # as an entity and ">" escaped, so Markdown keeps them as text.
    assert got == (
        'a ``[WA]`` and [\\[WA\\]](index.md#sources "seen in WhatsApp\'s Android client"); '
        "see [VC405](VC405.md) (not VC404), "
        '[Design: "The canonical card"](../design.md#the-canonical-card) &lt;x\\>'
    )


def test_examples_show_what_cannot_be_seen(tmp_path: Path) -> None:
    path = tmp_path / "x.vcf"
    # A UTF-8 byte-order mark, a BEL in a value, a Latin-1 byte, mixed endings.
    path.write_bytes(b"\xef\xbb\xbfBEGIN:VCARD\r\nFN:A\x07b\nNOTE:Jos\xe9\r\n")
    shown = gen.show(path)
    # By hand: U+FEFF drawn as ⟨U+FEFF⟩; BEL (0x07) as the control picture
    # U+2407; the byte E9 as ⟨0xE9⟩; the endings differ (CRLF, LF), so each
    # line shows its own.
    assert shown.text == "⟨U+FEFF⟩BEGIN:VCARD␍␊\nFN:A\u2407b␊\nNOTE:Jos⟨0xE9⟩␍␊"
    assert shown.endings


def test_long_examples_are_abridged(tmp_path: Path) -> None:
    path = tmp_path / "x.vcf"
    path.write_text("".join(f"L{i}\r\n" for i in range(1, 101)), encoding="utf-8")
    lines = gen.show(path).text.split("\n")
    # 100 lines: the first 14, a marker for the 80 left out, the last 6.
    assert lines[:14] == [f"L{i}" for i in range(1, 15)]
    assert lines[14] == "⋮ (80 lines left out)"
    assert lines[15:] == [f"L{i}" for i in range(95, 101)]


def test_the_generator_check_mode_agrees(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, str(ROOT / "docs" / "gen_rule_pages.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, "", "")


def test_the_api_page_documents_every_public_name() -> None:
    # The page groups the names by use, so a name added to __all__ must be
    # added to a group by hand: this says which one is missing.
    text = (ROOT / "docs" / "api" / "vcardkit.md").read_text(encoding="utf-8")
    documented = re.findall(r"^::: vcardkit\.(\w+)$", text, re.MULTILINE)
    assert sorted(documented) == sorted(vcardkit.__all__)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess[str]]:
    out = tmp_path_factory.mktemp("site")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    return out, proc


def test_the_site_builds_strict(site: tuple[Path, subprocess.CompletedProcess[str]]) -> None:
    out, proc = site
    assert proc.returncode == 0, proc.stderr
    assert "WARNING" not in proc.stderr
    for page in ("index.html", "design/index.html", "rules/index.html", "api/vcardkit/index.html"):
        assert (out / page).is_file(), page


def test_the_site_has_a_page_per_rule_where_rule_url_points(
    site: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    out, _ = site
    for rule in RULES:
        # rule_url("VC404") is <DOCS_URL>rules/VC404/: the site's rules/VC404/index.html.
        relative = rule_url(rule.code).removeprefix(DOCS_URL)
        html = (out / relative / "index.html").read_text(encoding="utf-8")
        assert f"{rule.code} {rule.name}" in html
    built = sorted(p.parent.name for p in (out / "rules").glob("VC*/index.html"))
    assert built == [rule.code for rule in RULES]


def test_the_api_pages_render_the_docstrings(
    site: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    out, _ = site
    html = (out / "api" / "vcardkit" / "index.html").read_text(encoding="utf-8")
    for name in ("validate", "check", "fix", "dumps", "loads", "from_json", "Diagnostic"):
        assert f'id="vcardkit.{name}"' in html, name
    # Sphinx roles are shown as code, not as ":func:" text.
    assert ":func:" not in html and ":class:" not in html
    senders = (out / "api" / "senders" / "index.html").read_text(encoding="utf-8")
    assert 'id="vcardkit.senders.to_cloud_api"' in senders
    strategies = (out / "api" / "strategies" / "index.html").read_text(encoding="utf-8")
    assert 'id="vcardkit.strategies.contacts"' in strategies


# The design and rule documents the project started from were never in the
# repository; their content is in docs/ now. Spelled in two pieces so that
# this file does not mention them itself.
OLD_DOCUMENTS = ("DESIGN" + ".md", "RULES" + ".md")
SKIP = {".git", ".venv", "site", "build", "dist", "__pycache__", ".mypy_cache", ".ruff_cache"}
# A citation of a page by its heading, as the code writes them:
# docs/design.md "The canonical card" (the heading may follow a line break,
# inside a comment too).
CITATION = re.compile(r'docs/((?:[\w-]+/)*[\w-]+)\.md,?\s+(?:#\s*)?"([^"]+)"')


def _repository_files() -> list[Path]:
    found = []
    for folder, dirs, names in os.walk(ROOT):
        # Pruned in place, so the walk never enters a virtual environment.
        dirs[:] = [d for d in dirs if d not in SKIP and not d.endswith(".egg-info")]
        found.extend(Path(folder, name) for name in names)
    return sorted(found)


def _headings(page: Path) -> set[str]:
    """The page's Markdown headings, outside fenced code."""
    found, fenced = set(), False
    lines = page.read_text(encoding="utf-8").splitlines() if page.is_file() else []
    for line in lines:
        if line.startswith("```"):
            fenced = not fenced
        elif not fenced and line.startswith("#"):
            found.add(_heading_key(line.lstrip("#")))
    return found


def _text(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return None  # a binary fixture


def _heading_key(text: str) -> str:
    return " ".join(text.replace("`", "").split()).lower()


def test_no_file_mentions_the_old_documents() -> None:
    files = _repository_files()
    assert len(files) > 300  # the walk found the repository
    mentions = [
        f"{path.relative_to(ROOT)}: {old}"
        for path in files
        for old in OLD_DOCUMENTS
        if old.encode() in path.read_bytes()
    ]
    assert mentions == []


def test_every_cited_heading_exists_in_its_page() -> None:
    headings: dict[Path, set[str]] = {}
    cited = 0
    missing = []
    for path in _repository_files():
        text = _text(path)
        if text is None:
            continue
        for m in CITATION.finditer(text):
            page = ROOT / "docs" / f"{m.group(1)}.md"
            if page not in headings:
                headings[page] = _headings(page)
            cited += 1
            if _heading_key(m.group(2)) not in headings[page]:
                missing.append(f"{path.relative_to(ROOT)}: {m.group(0)!r}")
    assert missing == []
    assert cited >= 80  # the code cites the pages by heading, about a hundred times
