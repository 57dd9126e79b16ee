"""The registry keeps the catalogue's contract: codes, names, default severities, profiles.

Codes and names are a public contract (docs/rules/index.md): once released,
a code keeps its meaning and its name, and users' configuration (select,
ignore, per-path-ignores) and code-scanning history rely on them. The rule pages and the
catalogue on the site are generated from the registry, so they cannot catch
a drift; this table, the first edition of the catalogue as the project was
given it, can. Changing a released rule's name, severity or profile, or
removing a code, must be a deliberate edit here; a new rule adds its row.
"""

from __future__ import annotations

from typing import Final

import vcardkit

# (code, name, default severity, profile), in code order.
CATALOGUE: Final = (
    ("VC101", "invalid-utf8", "error", "rfc"),
    ("VC102", "byte-order-mark", "warning", "rfc"),
    ("VC103", "line-ending", "info", "rfc"),
    ("VC104", "leading-whitespace", "error", "rfc"),
    ("VC105", "unterminated-card", "error", "rfc"),
    ("VC106", "unmatched-end", "error", "rfc"),
    ("VC107", "nested-card", "error", "rfc"),
    ("VC108", "text-outside-card", "warning", "rfc"),
    ("VC109", "malformed-line", "error", "rfc"),
    ("VC110", "malformed-parameter", "error", "rfc"),
    ("VC111", "long-line", "info", "rfc"),
    ("VC112", "fold-splits-character", "warning", "wa"),
    ("VC113", "control-character", "error", "rfc"),
    ("VC114", "oversized-line", "error", "wa"),
    ("VC115", "empty-card", "error", "rfc"),
    ("VC116", "not-utf8-encoding", "warning", "rfc"),
    ("VC117", "unicode-line-separator", "warning", "wa"),
    ("VC201", "missing-version", "error", "rfc"),
    ("VC202", "unsupported-version", "error", "rfc"),
    ("VC203", "missing-fn", "error", "rfc"),
    ("VC204", "missing-n", "error", "rfc"),
    ("VC205", "n-components", "warning", "wa"),
    ("VC206", "duplicate-property", "warning", "rfc"),
    ("VC207", "orphan-label", "warning", "wa"),
    ("VC208", "too-many-components", "error", "rfc"),
    ("VC301", "unescaped-comma", "warning", "rfc"),
    ("VC302", "unescaped-semicolon", "warning", "rfc"),
    ("VC303", "invalid-escape", "warning", "rfc"),
    ("VC304", "quoted-printable", "error", "rfc"),
    ("VC305", "charset-parameter", "info", "rfc"),
    ("VC306", "invalid-date", "warning", "rfc"),
    ("VC307", "invalid-email", "warning", "rfc"),
    ("VC308", "invalid-url", "warning", "rfc"),
    ("VC309", "base64-encoding-name", "info", "rfc"),
    ("VC310", "adr-escapes", "warning", "wa"),
    ("VC311", "unknown-type", "info", "rfc"),
    ("VC312", "media-value", "warning", "rfc"),
    ("VC313", "unknown-parameter", "info", "rfc"),
    ("VC314", "unknown-property", "info", "rfc"),
    ("VC315", "invalid-language-tag", "warning", "rfc"),
    ("VC401", "phone-not-e164", "error", "wa"),
    ("VC402", "phone-invalid", "error", "wa"),
    ("VC403", "phone-unknown-region", "error", "wa"),
    ("VC404", "waid-format", "error", "wa"),
    ("VC405", "waid-mismatch", "warning", "wa"),
    ("VC406", "missing-waid", "warning", "wa"),
    ("VC407", "tel-too-long", "warning", "wa"),
    ("VC408", "too-many-phones", "warning", "wa"),
    ("VC409", "too-many-contacts", "error", "wa"),
    ("VC410", "empty-payload", "error", "rfc"),
    ("VC411", "waid-without-phone", "error", "wa"),
    ("VC412", "phone-formatting", "info", "wa"),
    ("VC501", "name-too-long", "warning", "wa"),
    ("VC502", "name-emoji", "info", "wa"),
    ("VC503", "missing-organization", "info", "wa"),
    ("VC504", "name-is-number", "warning", "wa"),
    ("VC601", "invalid-json", "error", "rfc"),
    ("VC602", "not-a-contact-array", "error", "rfc"),
    ("VC603", "unknown-key", "warning", "rfc"),
    ("VC604", "wrong-type", "error", "rfc"),
    ("VC605", "missing-name", "error", "rfc"),
    ("VC606", "vcard-and-fields", "warning", "rfc"),
    ("VC607", "vcard-not-one-card", "error", "rfc"),
    ("VC608", "invalid-extra-property", "error", "rfc"),
    ("VC701", "duplicate-contact", "warning", "wa"),
    ("VC702", "duplicate-uid", "warning", "wa"),
)


def test_the_catalogue_rows_are_in_code_order_and_unique() -> None:
    codes = [row[0] for row in CATALOGUE]
    assert codes == sorted(set(codes))
    assert len(CATALOGUE) == 66


def test_registry_matches_the_catalogue() -> None:
    registry = {
        rule.code: (rule.name, rule.severity.value, rule.profile.value) for rule in vcardkit.rules()
    }
    assert registry == {code: (name, sev, profile) for code, name, sev, profile in CATALOGUE}
