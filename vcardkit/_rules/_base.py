"""The unit of a rule, as yamllint has one: code, name, default, docstring, check.

A rule never parses and never reads configuration: it gets documents the
syntax and model layers built (:mod:`vcardkit._rules._documents`) and yields
:class:`Finding` objects; the engine turns them into diagnostics, applying
selection, profile and severity overrides.

A rule's docstring is its documentation. Its first line is
``"VC404 waid-format — <summary>."``, and it has the sections ``Why:``,
``Fails:`` and ``Fix:`` (what to do, even when no automatic fix exists).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from typing import ClassVar

from vcardkit._rules._diagnostic import Fix, Severity, Where
from vcardkit._rules._documents import Context, VcfDocument
from vcardkit._rules._jsondoc import JsonDocument

__all__ = ["Finding", "Input", "Profile", "Rule"]


class Input(enum.Enum):
    """What a rule runs on (docs/rules/index.md "Inputs")."""

    VCF = "vcf"  # cards: text files, strings, a JSON contact's `vcard`
    JSON = "json"  # JSON contacts (text, or Python objects)


class Profile(enum.Enum):
    """``rfc`` rules run under both profiles; ``wa`` rules only under ``whatsapp``."""

    RFC = "rfc"
    WA = "wa"


@dataclass(frozen=True, slots=True)
class Finding:
    """What a rule found: a sentence naming the bad value, where, and a fix.

    ``severity`` is set only for the cases reported at another severity than
    the rule's default (VC117, VC305, VC405, VC409, VC602; docs/rules/index.md
    "Severities").
    """

    message: str
    where: Where
    fix: Fix | None = None
    severity: Severity | None = None


class Rule:
    """Base class of every rule; subclasses set the class attributes and a ``check_*``."""

    code: ClassVar[str]
    name: ClassVar[str]
    severity: ClassVar[Severity]
    profile: ClassVar[Profile]
    inputs: ClassVar[frozenset[Input]]
    # Whether some of its cases are faults the writer refuses (VC117 in a
    # value that is not text): those run under every profile
    # (docs/rules/index.md "Profiles"), so the engine runs the rule under
    # rfc2426 too, and the rule reports only those cases there.
    refusals: ClassVar[bool] = False
    # The fixes the rule may offer: "safe" (some are safe), "unsafe" (only
    # fixes that guess), or None. The fix engine first runs the rules that
    # may offer the fixes it applies, and the others only once a window has
    # none left: a test holds every fix a rule offers to this.
    fixes: ClassVar[str | None] = None

    def check_vcf(self, doc: VcfDocument, ctx: Context) -> Iterable[Finding]:
        """Findings in a VCF document (a file, a string, a `vcard` field)."""
        return ()

    def check_json(self, doc: JsonDocument, ctx: Context) -> Iterable[Finding]:
        """Findings in a JSON payload (text or Python objects)."""
        return ()

    @classmethod
    def documentation(cls) -> str:
        """The rule's docstring, dedented: its documentation."""
        import inspect

        return inspect.cleandoc(cls.__doc__ or "")

    @classmethod
    def summary(cls) -> str:
        """The first line of the documentation, without the code and name."""
        first = cls.documentation().splitlines()[0] if cls.__doc__ else ""
        return first.split("—", 1)[-1].strip()
