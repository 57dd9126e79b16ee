"""Static types for callers: ContactDict and the option Literals, as mypy sees them installed.

mypy runs on small caller files in a temporary folder, so it finds vcardkit
the way a project that installed it does (its current folder is not the
checkout): with ``pip install -e``, through the path entry of the editable
install's ``.pth`` file (see pyproject.toml's ``package-dir``).
"""

from __future__ import annotations

import json
import sys
import typing
from collections.abc import Mapping
from importlib import metadata
from pathlib import Path
from typing import Any, Final

import pytest

import vcardkit
from tests.conftest import ROOT
from vcardkit._model._json import ADDRESS_KEYS, CONTACT_KEYS, EMAIL_KEYS, PHONE_KEYS, URL_KEYS
from vcardkit._rules._engine import PROFILES, resolve
from vcardkit._rules._registry import REGISTRY

TYPED_DICTS: Final = {
    vcardkit.ContactDict: CONTACT_KEYS,
    vcardkit.PhoneDict: PHONE_KEYS,
    vcardkit.EmailDict: EMAIL_KEYS,
    vcardkit.AddressDict: ADDRESS_KEYS,
    vcardkit.UrlDict: URL_KEYS,
}
ITEM_DICTS: Final = {
    "phone": vcardkit.PhoneDict,
    "email": vcardkit.EmailDict,
    "address": vcardkit.AddressDict,
    "url": vcardkit.UrlDict,
}


def _expected(kind: str) -> Any:
    if kind == "str":
        return str | None
    if kind == "types":
        return str | list[str] | None
    if kind == "strs":
        return list[str] | None
    return list[ITEM_DICTS[kind]] | None  # type: ignore[valid-type]


@pytest.mark.parametrize("cls", list(TYPED_DICTS), ids=lambda c: c.__name__)
def test_typed_dicts_follow_the_key_tables(cls: Any) -> None:
    """A key added to a table (or a kind changed) without its TypedDict fails here."""
    table = TYPED_DICTS[cls]
    hints = typing.get_type_hints(cls)
    assert list(hints) == list(table)
    assert cls.__total__ is False
    for key, (_, kind) in table.items():
        assert hints[key] == _expected(kind), key


def test_literals_are_what_the_engine_accepts() -> None:
    assert typing.get_args(vcardkit.ProfileName) == PROFILES
    assert set(typing.get_args(vcardkit.SeverityName)) == {s.value for s in vcardkit.Severity}
    for name in typing.get_args(vcardkit.SeverityName):
        resolve(REGISTRY, severity={"VC406": name})  # each is accepted


def test_the_public_signatures_use_the_literals() -> None:
    for function in (vcardkit.validate, vcardkit.check, vcardkit.iter_validate):
        hints = typing.get_type_hints(function)
        assert hints["profile"] == vcardkit.ProfileName, function.__name__
        assert (
            typing.get_args(hints["severity"])[0]
            == Mapping[str, vcardkit.SeverityName | vcardkit.Severity]
        ), function.__name__


GOOD: Final = """\
from __future__ import annotations

import io

import vcardkit
from vcardkit import ContactDict, ProfileName

contacts: list[ContactDict] = [
    {
        "fullName": "Ann",
        "phoneNumber": "+201111111111",
        "whatsappId": "201111111111",
        "title": None,
        "phones": [{"phoneNumber": "+201222222222", "type": "WORK"}],
        "emails": [{"email": "ann@example.com", "type": ["WORK"]}],
        "addresses": [{"city": "Cairo", "countryCode": "EG", "group": "item1"}],
        "urls": [{"url": "https://example.com", "parameters": ["X-A=1"]}],
        "extraProperties": ["X-WA-BIZ-NAME:Shop"],
    }
]
profile: ProfileName = "rfc2426"
report = vcardkit.validate(contacts, profile=profile, severity={"VC406": "error"})
ok: bool = report.ok
payload: str = vcardkit.check(contacts, profile="whatsapp", severity={"VC503": "info"})
for d in vcardkit.iter_validate(io.StringIO("[]"), profile="whatsapp"):
    code: str = d.code
text: str = vcardkit.dumps(contacts)
read: list[vcardkit.Contact] = vcardkit.from_json(contacts)
schema: dict[str, object] = vcardkit.json_schema()
"""

# Each line that must fail, with what mypy's message must name.
BAD: Final = {
    'vcardkit.validate([], profile="whatsap")': '"profile" to "validate"',
    'vcardkit.check([], profile="WhatsApp")': '"profile" to "check"',
    'vcardkit.iter_validate(io.StringIO(""), profile="wa")': '"profile" to "iter_validate"',
    'vcardkit.validate([], severity={"VC406": "fatal"})': "Literal['fatal']",
    'c1: ContactDict = {"fullname": "Ann"}': '"fullname"',
    'c2: ContactDict = {"fullName": 5}': '"fullName"',
    'c3: ContactDict = {"fullName": "Ann", "phones": [{"phone": "+1"}]}': '"phone"',
    'p: ProfileName = "vcard"': "Literal['vcard']",
}
BAD_HEAD: Final = "from __future__ import annotations\n\nimport io\n\nimport vcardkit\n" + (
    "from vcardkit import ContactDict, ProfileName\n\n"
)


def _mypy(folder: Path, *files: str) -> tuple[str, int]:
    api = pytest.importorskip("mypy.api")
    # An empty configuration: not this project's [tool.mypy], nor one above the folder.
    (folder / "mypy.ini").write_text("[mypy]\n", encoding="utf-8")
    out, err, status = api.run(
        [
            "--config-file",
            str(folder / "mypy.ini"),
            "--strict",
            "--cache-dir",
            str(folder / ".mypy_cache"),
            "--python-executable",
            sys.executable,
            "--no-error-summary",
            "--hide-error-context",
            *files,
        ]
    )
    return out + err, status


def test_mypy_strict_checks_callers_against_the_installed_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A correct caller passes mypy --strict; each bad line is an error on that line.

    The folder is the current directory and holds no vcardkit: mypy finds
    the installed one, as in another project (an editable install that mypy
    cannot follow reports "Cannot find implementation or library stub").
    """
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("MYPYPATH", raising=False)
    (tmp_path / "good.py").write_text(GOOD, encoding="utf-8")
    bad_lines = list(BAD)
    (tmp_path / "bad.py").write_text(BAD_HEAD + "\n".join(bad_lines) + "\n", encoding="utf-8")
    output, status = _mypy(tmp_path, "good.py", "bad.py")
    assert "Cannot find implementation or library stub" not in output, output
    assert "import-not-found" not in output and "import-untyped" not in output, output
    lines = [line for line in output.splitlines() if ": error:" in line]
    assert not [line for line in lines if line.startswith("good.py")], output
    first = BAD_HEAD.count("\n") + 1
    for number, source in enumerate(bad_lines, start=first):
        found = [line for line in lines if line.startswith(f"bad.py:{number}:")]
        assert found, f"no error on line {number} ({source}):\n{output}"
        assert any(BAD[source] in line for line in found), f"{source}:\n{output}"
    assert status == 1


def _editable_install() -> tuple[Any, list[str]] | None:
    """The installed editable distribution of vcardkit and the lines of its .pth file.

    Looked for among all of them: the checkout's own ``vcardkit.egg-info``
    (written by the build) is on sys.path too, and has no direct_url.json.
    """
    for dist in metadata.distributions(name="vcardkit"):
        direct_url = json.loads(dist.read_text("direct_url.json") or "{}")
        if not direct_url.get("dir_info", {}).get("editable"):
            continue
        for file in dist.files or ():
            if file.name.endswith(".pth"):
                lines = Path(str(file.locate())).read_text(encoding="utf-8").splitlines()
                return direct_url, lines
    return None


def test_the_editable_install_is_a_path_entry_type_checkers_read() -> None:
    """pip install -e writes the checkout's root to its .pth file, not an import hook.

    mypy and pyright read the paths of .pth files and never run their
    ``import`` lines; setuptools writes a path for a package-dir of "" (see
    pyproject.toml), an import hook (``import __editable___..._finder``) for
    the flat layout otherwise.
    """
    found = _editable_install()
    if found is None:
        pytest.skip("vcardkit is not installed in editable mode here")
    direct_url, lines = found
    url = direct_url.get("url", "")
    if Path(url.removeprefix("file://")).resolve() != ROOT:
        pytest.skip(f"the editable install is of another checkout ({url})")
    entries = [line for line in lines if line.strip() and not line.startswith("#")]
    assert not [line for line in entries if line.startswith("import")], lines
    assert [Path(line).resolve() for line in entries] == [ROOT], lines
