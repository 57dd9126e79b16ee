"""The sdist and the wheel: what `python -m build` makes of this checkout.

The project is copied to a temporary folder and built there (so the build's
``vcardkit.egg-info`` and ``build/`` never land in the checkout), with
``--no-isolation`` (the test environment's setuptools, no network). As
``python -m build`` does with no ``--sdist``/``--wheel``, the wheel is built
from the unpacked sdist, so a file the sdist forgets breaks the wheel too.
"""

from __future__ import annotations

import email.parser
import os
import re
import shutil
import subprocess
import sys
import tarfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import pytest

import vcardkit
from tests.conftest import ROOT
from vcardkit._docs import DOCS_URL

# Never copied, never expected in the sdist: environments, VCS data, build
# output and the caches tools leave in a checkout (MANIFEST.in's
# `global-exclude *.py[cod]` covers the byte code).
IGNORED: Final = shutil.ignore_patterns(
    ".git",
    ".venv",
    "build",
    "dist",
    "*.egg-info",
    "__pycache__",
    "*.py[cod]",
    ".hypothesis",
    ".mypy_cache",
    ".ruff_cache",
    ".pytest_cache",
)

# The folders the sdist carries whole (MANIFEST.in's grafts).
GRAFTED: Final = ("tests", "fixtures", "bench", "docs")


@dataclass(frozen=True)
class Dists:
    sdist: Path
    wheel: Path


def _files_under(top: Path, rel: str) -> set[str]:
    """Files under ``top/rel`` as sdist names relative to ``top``, skipping IGNORED."""
    found: set[str] = set()
    for folder, dirs, files in os.walk(top / rel):
        ignored = IGNORED(folder, [*dirs, *files])
        dirs[:] = [d for d in dirs if d not in ignored]
        found.update(
            (Path(folder) / f).relative_to(top).as_posix() for f in files if f not in ignored
        )
    return found


@pytest.fixture(scope="module")
def dists(tmp_path_factory: pytest.TempPathFactory) -> Dists:
    base = tmp_path_factory.mktemp("package")
    source = base / "source"
    shutil.copytree(ROOT, source, ignore=IGNORED)
    out = base / "dist"
    done = subprocess.run(
        [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), str(source)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    version = vcardkit.__version__
    sdist, wheel = out / f"vcardkit-{version}.tar.gz", out / f"vcardkit-{version}-py3-none-any.whl"
    # Exactly these two: the names carry vcardkit.__version__, the version
    # pyproject.toml reads (dynamic, from the module).
    assert set(out.iterdir()) == {sdist, wheel}
    return Dists(sdist, wheel)


def _sdist_names(dists: Dists) -> set[str]:
    prefix = f"vcardkit-{vcardkit.__version__}/"
    with tarfile.open(dists.sdist) as archive:
        names = [m.name for m in archive.getmembers() if m.isfile()]
    assert all(name.startswith(prefix) for name in names), names
    return {name.removeprefix(prefix) for name in names}


def _wheel_names(dists: Dists) -> set[str]:
    with zipfile.ZipFile(dists.wheel) as archive:
        return set(archive.namelist())


def test_twine_check_strict_accepts_both(dists: Dists) -> None:
    """What PyPI would check: metadata, and the README rendered as Markdown."""
    done = subprocess.run(
        [sys.executable, "-m", "twine", "check", "--strict", str(dists.sdist), str(dists.wheel)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    # One "Checking <file>: PASSED" line per file, and no warning.
    assert len(re.findall(r"PASSED", done.stdout)) == 2, done.stdout
    assert "WARNING" not in done.stdout + done.stderr


def test_wheel_holds_the_package_and_nothing_else(dists: Dists) -> None:
    names = _wheel_names(dists)
    dist_info = f"vcardkit-{vcardkit.__version__}.dist-info/"
    package = {n for n in names if not n.startswith(dist_info)}
    # Every module of the source tree, the typing marker and the schema the
    # package reads at run time; the strategies subpackage with them.
    expected = {
        name
        for name in _files_under(ROOT, "vcardkit")
        if name.endswith(".py") or name in {"vcardkit/py.typed", "vcardkit/contacts.schema.json"}
    }
    assert "vcardkit/strategies/__init__.py" in expected
    assert package == expected
    assert f"{dist_info}licenses/LICENSE" in names
    assert not [n for n in names if n.startswith(("tests/", "fixtures/", "bench/", "docs/"))]


def test_wheel_metadata(dists: Dists) -> None:
    with zipfile.ZipFile(dists.wheel) as archive:
        text = archive.read(f"vcardkit-{vcardkit.__version__}.dist-info/METADATA").decode()
        entry_points = archive.read(
            f"vcardkit-{vcardkit.__version__}.dist-info/entry_points.txt"
        ).decode()
    meta = email.parser.Parser().parsestr(text)
    assert meta["Name"] == "vcardkit"
    assert meta["Version"] == vcardkit.__version__
    # PEP 639: the SPDX expression and the file, and no "License ::"
    # classifier beside them.
    assert meta["License-Expression"] == "MIT"
    assert meta.get_all("License-File") == ["LICENSE"]
    classifiers = meta.get_all("Classifier") or []
    assert not [c for c in classifiers if c.startswith("License ::")]
    assert "Typing :: Typed" in classifiers
    assert meta["Requires-Python"] == ">=3.11"
    assert meta["Description-Content-Type"] == "text/markdown"
    # The long description is the README as it is.
    assert meta.get_payload() == (ROOT / "README.md").read_text(encoding="utf-8")
    # The docs URL is the one the rules' help links are built on.
    assert meta.get_all("Project-URL") == [f"Documentation, {DOCS_URL}"]
    assert "vcardkit = vcardkit._cli._main:main" in entry_points.splitlines()


def test_sdist_holds_what_its_tests_need(dists: Dists) -> None:
    names = _sdist_names(dists)
    expected: set[str] = set()
    for folder in GRAFTED:
        expected |= _files_under(ROOT, folder)
    # The tests import each other as the package `tests`.
    assert {"tests/__init__.py", "tests/conftest.py", "tests/clitools.py"} <= expected
    assert any(name.startswith("fixtures/rules/") for name in expected)
    assert expected <= names, sorted(expected - names)
    top = {
        "pyproject.toml",
        "MANIFEST.in",
        "README.md",
        "LICENSE",
        "CHANGELOG.md",
        "PKG-INFO",
        ".pre-commit-hooks.yaml",
    }
    assert top <= names
    if (ROOT / "mkdocs.yml").is_file():
        assert "mkdocs.yml" in names
    assert not [n for n in names if re.search(r"(^|/)(__pycache__|\.venv|\.git)/|\.pyc$", n)]


def test_unpacked_sdist_passes_its_own_tests(dists: Dists, tmp_path: Path) -> None:
    """A smoke test: the rule fixtures and one CLI test file, run in the unpacked sdist.

    Run as ``python -m pytest`` would from the unpacked folder, whose path
    comes first on sys.path: afterwards the modules the tests imported are
    asked where they came from, to be sure they were the unpacked ones and
    not this checkout's (which the editable install puts on the path too).
    """
    with tarfile.open(dists.sdist) as archive:
        if hasattr(tarfile, "data_filter"):
            archive.extractall(tmp_path, filter="data")
        else:  # Python before 3.11.4
            archive.extractall(tmp_path)
    unpacked = (tmp_path / f"vcardkit-{vcardkit.__version__}").resolve()
    code = (
        "import sys, pytest\n"
        "status = pytest.main(['-q', '-p', 'no:cacheprovider',\n"
        "                      'tests/test_rule_fixtures.py', 'tests/test_cli_preview.py'])\n"
        "import tests, vcardkit\n"
        "print('FROM', vcardkit.__file__)\n"
        "print('FROM', tests.__file__)\n"
        "sys.exit(status)\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=unpacked,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    output = done.stdout + done.stderr
    assert done.returncode == 0, output[-4000:]
    sources = [
        Path(line.removeprefix("FROM "))
        for line in done.stdout.splitlines()
        if line.startswith("FROM ")
    ]
    assert sources == [unpacked / "vcardkit" / "__init__.py", unpacked / "tests" / "__init__.py"]
    # Every test passed, none skipped: at least one per rule (each of the 66
    # rules has fixtures) and preview's own.
    summary = re.search(r"^(\d+) passed in ", done.stdout, re.MULTILINE)
    assert summary is not None, output[-4000:]
    assert int(summary.group(1)) > 66


def test_readme_installs_the_wheel_the_build_makes(dists: Dists) -> None:
    """The README's install command names the wheel `python -m build` writes."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = re.findall(r"^pip install (dist/\S+\.whl)$", readme, re.MULTILINE)
    assert commands == [f"dist/{dists.wheel.name}"]
    # The GitHub Actions step installs the same wheel, committed under tools/.
    steps = re.findall(r"^ +- run: pip install tools/(\S+\.whl)$", readme, re.MULTILINE)
    assert steps == [dists.wheel.name]


def _hooks(yaml: str) -> dict[str, dict[str, str]]:
    """The hooks of a pre-commit YAML list, each a dict of its scalar keys.

    A reading of the plain form both files use (one ``key: value`` a line,
    a hook starting at ``- id:``), not of YAML at large: no YAML parser is
    a dependency of the tests.
    """
    hooks: dict[str, dict[str, str]] = {}
    current: dict[str, str] | None = None
    for raw in yaml.splitlines():
        line = re.sub(r"\s+#.*$", "", raw).strip()
        found = re.fullmatch(r"(- )?([a-z_]+): (.+)", line)
        if found is None:
            continue
        key, value = found.group(2), found.group(3)
        if found.group(1) and key == "id":
            current = hooks.setdefault(value, {})
        elif current is not None and key != "repo":
            current[key] = value
    return hooks


def test_readme_pre_commit_hooks_are_the_repository_hooks() -> None:
    """The README's local hooks are .pre-commit-hooks.yaml's but for the language and JSON files.

    The README's run the vcardkit already installed (language: system); the
    repository's have pre-commit install it (language: python). The JSON
    hook matches nothing until `files:` is set, which the README does.
    """
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## pre-commit and GitHub Actions") :]
    block = re.search(r"```yaml\n(repos:\n.*?)```", section, re.DOTALL)
    assert block is not None
    local = _hooks(block.group(1))
    published = _hooks((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert set(local) == set(published) == {"vcardkit", "vcardkit-json"}
    for hook in ("vcardkit", "vcardkit-json"):
        assert local[hook]["language"] == "system"
        assert published[hook]["language"] == "python"
        for key in ("name", "entry", "require_serial"):
            assert local[hook][key] == published[hook][key], (hook, key)
    assert local["vcardkit"]["files"] == published["vcardkit"]["files"]
    assert published["vcardkit-json"]["files"] == "^$"
    assert local["vcardkit-json"]["files"] == r"^contacts/.*\.json$"
    assert local["vcardkit"]["entry"] == "vcardkit lint"
