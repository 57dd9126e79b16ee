"""The registry itself: each rule documented, each rule with fixtures, codes and names unique.

A rule's docstring is its documentation (STYLE.md, from yamllint): its first
line is ``"<CODE> <name> — <summary>"`` and it has ``Why:``, ``Fails:`` and
``Fix:`` sections. Each rule has a fixture folder ``fixtures/rules/<CODE>/``
with at least one failing file (and its ``.expected``) and one near miss.
These tests run over ``vcardkit.rules()``, so a rule added later is held to
the same bar the day it is registered.
"""

from __future__ import annotations

import importlib
import inspect
import re

import pytest

import vcardkit
from tests.conftest import FIXTURES
from vcardkit._rules._base import Input, Profile, Rule

RULES = vcardkit.rules()
RULES_DIR = FIXTURES / "rules"
KEBAB = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
SECTIONS = ("Why:", "Fails:", "Fix:")


def _id(rule: type[Rule]) -> str:
    return rule.code


def test_the_registry_holds_the_first_catalogue() -> None:
    codes = {rule.code for rule in RULES}
    first = {f"VC{n}" for n in (*range(101, 118), *range(201, 209), *range(601, 609))}
    assert first <= codes


def _concrete_rules() -> set[type[Rule]]:
    """Every concrete Rule subclass defined in a rules module (one with a code)."""
    found: set[type[Rule]] = set()
    for path in sorted((FIXTURES.parent / "vcardkit" / "_rules").glob("*.py")):
        module = importlib.import_module(f"vcardkit._rules.{path.stem}")
        for _, value in inspect.getmembers(module, inspect.isclass):
            if issubclass(value, Rule) and "code" in vars(value):
                found.add(value)
    return found


def test_every_rule_class_is_registered() -> None:
    """A rule written but left out of the explicit registry would never run."""
    concrete = _concrete_rules()
    assert len(concrete) == len(RULES) == 66
    assert concrete == set(RULES)


def test_a_code_leads_to_its_module() -> None:
    """VC409 is in ``_vc4xx.py``, VC113 in ``_vc11x.py``: no grep needed."""
    for rule in RULES:
        module = rule.__module__.rsplit(".", 1)[-1]
        hundreds, tens = rule.code[2], rule.code[3]
        assert module in (f"_vc{hundreds}xx", f"_vc{hundreds}{tens}x"), rule.code


def test_codes_are_unique_well_formed_and_in_order() -> None:
    codes = [rule.code for rule in RULES]
    assert len(codes) == len(set(codes))
    assert all(re.fullmatch(r"VC[1-9]\d\d", code) for code in codes)
    assert codes == sorted(codes)


def test_names_are_unique_and_kebab_case() -> None:
    names = [rule.name for rule in RULES]
    assert len(names) == len(set(names))
    bad = [name for name in names if not KEBAB.fullmatch(name)]
    assert bad == []


@pytest.mark.parametrize("rule", RULES, ids=_id)
def test_first_line_is_code_name_dash_summary(rule: type[Rule]) -> None:
    doc = rule.documentation()
    first = doc.splitlines()[0] if doc else ""
    m = re.fullmatch(r"(VC\d{3}) (\S+) — (.+)", first)
    assert m is not None, f"{rule.__name__}: first line {first!r}"
    assert (m.group(1), m.group(2)) == (rule.code, rule.name)
    assert rule.summary() == m.group(3).strip()


@pytest.mark.parametrize("rule", RULES, ids=_id)
def test_docstring_has_why_fails_fix_in_order(rule: type[Rule]) -> None:
    lines = rule.documentation().splitlines()
    found = [
        (section, i)
        for section in SECTIONS
        for i, line in enumerate(lines)
        if line.startswith(section)
    ]
    assert [s for s, _ in found] == list(SECTIONS), f"{rule.code}: sections {found}"
    starts = [i for _, i in found]
    assert starts == sorted(starts)
    for section, i in found:
        assert lines[i][len(section) :].strip(), f"{rule.code}: {section} is empty"


@pytest.mark.parametrize("rule", RULES, ids=_id)
def test_rule_declares_what_the_engine_needs(rule: type[Rule]) -> None:
    assert isinstance(rule.severity, vcardkit.Severity)
    assert isinstance(rule.profile, Profile)
    assert rule.inputs and rule.inputs <= frozenset(Input)
    # A rule that says it runs on an input checks it: it overrides the hook.
    if Input.VCF in rule.inputs:
        assert rule.check_vcf is not Rule.check_vcf, rule.code
    if Input.JSON in rule.inputs:
        assert rule.check_json is not Rule.check_json, rule.code


@pytest.mark.parametrize("rule", RULES, ids=_id)
def test_rule_has_fixtures(rule: type[Rule]) -> None:
    folder = RULES_DIR / rule.code
    assert folder.is_dir(), f"no fixtures/rules/{rule.code}/"
    fails = [p for p in folder.glob("fail-*") if p.suffix in (".vcf", ".json")]
    passes = [p for p in folder.glob("pass-*") if p.suffix in (".vcf", ".json")]
    assert fails, f"{rule.code}: no fail-*.vcf or fail-*.json"
    assert passes, f"{rule.code}: no pass-*.vcf or pass-*.json (a near miss)"
    missing = [p.name for p in fails if not p.with_suffix(".expected").is_file()]
    assert missing == [], f"{rule.code}: fail files without .expected"


def test_no_fixture_folder_for_an_unregistered_code() -> None:
    codes = {rule.code for rule in RULES}
    folders = {p.name for p in RULES_DIR.iterdir() if p.is_dir()}
    assert folders - codes == set()
