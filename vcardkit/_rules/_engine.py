"""The engine: selection, profile and severity overrides, then every rule, then order.

Rules yield findings; only the engine decides which rules run and at what
severity (STYLE.md, from yamllint). Diagnostics come sorted by line, column
and code, never duplicated (docs/rules/index.md "One fault, one diagnostic").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Final

from vcardkit._rules._base import Finding, Input, Profile, Rule
from vcardkit._rules._diagnostic import Diagnostic, Severity
from vcardkit._rules._documents import Context, VcfDocument
from vcardkit._rules._jsondoc import JsonDocument

__all__ = ["PROFILES", "Config", "Selector", "check_selector", "matches", "resolve", "run"]

Selector = str | Iterable[str] | None
PROFILES: Final = ("whatsapp", "rfc2426")
_PREFIX_RE: Final = re.compile(r"VC\d{0,3}", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Config:
    """Which rules run, and at what severity."""

    profile: str
    rules: tuple[type[Rule], ...]
    overrides: Mapping[str, Severity]


def _selectors(value: Selector, what: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        items = [v.strip() for v in value.split(",")]
    elif not isinstance(value, Iterable):
        raise TypeError(
            f"{what}: expected rule codes, prefixes or names (a str or a list of str), "
            f"not {type(value).__name__}"
        )
    else:
        items = []
        for v in value:
            if not isinstance(v, str):
                raise ValueError(f"{what}: {v!r} is not a rule code, prefix or name")
            items.append(v.strip())
    return [v for v in items if v]


def matches(rule: type[Rule], selector: str) -> bool:
    """A code (``VC404``), a code prefix (``VC4``, ``VC``), ``ALL``, or a kebab name."""
    upper = selector.upper()
    if upper == "ALL":
        return True
    if _PREFIX_RE.fullmatch(selector):
        return rule.code.startswith(upper)
    return rule.name == selector.lower()


def check_selector(selector: str, registry: tuple[type[Rule], ...], what: str) -> None:
    if not any(matches(rule, selector) for rule in registry):
        raise ValueError(
            f"{what}: {selector!r} names no rule (use a code like VC404, a prefix "
            "like VC4, or a name like waid-format)"
        )


def resolve(
    registry: tuple[type[Rule], ...],
    *,
    profile: str = "whatsapp",
    select: Selector = None,
    ignore: Selector = None,
    severity: Mapping[str, str | Severity] | None = None,
) -> Config:
    """Turn options into a :class:`Config`; a bad option is a ``ValueError`` naming it."""
    if not isinstance(profile, str):
        raise TypeError(f"profile: expected a str, not {type(profile).__name__}")
    if profile not in PROFILES:
        raise ValueError(f"profile: {profile!r} is not one of {', '.join(PROFILES)}")
    if severity is not None and not isinstance(severity, Mapping):
        raise TypeError(
            f"severity: expected a mapping of rule codes to severities, "
            f"not {type(severity).__name__}"
        )
    selected = _selectors(select, "select")
    ignored = _selectors(ignore, "ignore")
    for s in selected:
        check_selector(s, registry, "select")
    for s in ignored:
        check_selector(s, registry, "ignore")
    rules = tuple(
        rule
        for rule in registry
        if (profile == "whatsapp" or rule.profile is Profile.RFC or rule.refusals)
        and (not selected or any(matches(rule, s) for s in selected))
        and not any(matches(rule, s) for s in ignored)
    )
    overrides: dict[str, Severity] = {}
    for key, level in (severity or {}).items():
        check_selector(key, registry, "severity")
        try:
            sev = level if isinstance(level, Severity) else Severity(str(level).lower())
        except ValueError:
            raise ValueError(
                f"severity: {level!r} for {key!r} is not one of error, warning, info"
            ) from None
        for rule in registry:
            if matches(rule, key):
                overrides[rule.code] = sev
    return Config(profile, rules, overrides)


def _diagnostic(rule: type[Rule], finding: Finding, config: Config, path: str | None) -> Diagnostic:
    severity = config.overrides.get(rule.code) or finding.severity or rule.severity
    where = finding.where
    return Diagnostic(
        rule.code,
        rule.name,
        severity,
        finding.message,
        path,
        where.line,
        where.column,
        where.card,
        where.pointer,
        finding.fix,
        where.end_line,
        where.end_column,
    )


def run(
    doc: VcfDocument | JsonDocument, config: Config, ctx: Context, instances: dict[str, Rule]
) -> list[Diagnostic]:
    """Every selected rule on ``doc`` (and on the cards inside a JSON payload)."""
    out: set[Diagnostic] = set()
    path = ctx.path
    for rule_class in config.rules:
        rule = instances[rule_class.code]
        if isinstance(doc, VcfDocument):
            if Input.VCF in rule_class.inputs:
                out.update(
                    _diagnostic(rule_class, f, config, path) for f in rule.check_vcf(doc, ctx)
                )
            continue
        if Input.JSON in rule_class.inputs:
            out.update(_diagnostic(rule_class, f, config, path) for f in rule.check_json(doc, ctx))
        if Input.VCF in rule_class.inputs:
            for sub in doc.embedded:
                for f in rule.check_vcf(sub, ctx):
                    if sub.embedded and f.fix is not None and f.fix.edits:
                        # An edit of the card is not an edit of the JSON string
                        # that holds it (escapes differ): report, don't offer it.
                        f = Finding(f.message, f.where, None, f.severity)
                    out.add(_diagnostic(rule_class, f, config, path))
    return sorted(out, key=Diagnostic.sort_key)
