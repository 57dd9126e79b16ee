"""``[tool.vcardkit]`` in the nearest pyproject.toml, and the flags that override it.

docs/cli.md "Configuration": keys ``select``, ``ignore``, ``profile``,
``region``, ``fail-on``, ``include``, ``severity`` (code -> severity) and
``per-path-ignores`` (glob -> codes), ``exclude`` and ``extend-exclude``
(gitignore-style patterns of what folder walks skip). Flags override the
file as ruff does: ``--select`` replaces the file's selection, ``--ignore``
adds to its ignores, ``--exclude`` adds to its excludes.
An unknown key or a bad value is a :class:`ConfigError` naming it (exit 2).
"""

from __future__ import annotations

import argparse
import fnmatch
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Final

from vcardkit._cli._files import UsageError
from vcardkit._cli._ignore import DEFAULT_EXCLUDE, check_patterns
from vcardkit._rules._diagnostic import Diagnostic, Severity
from vcardkit._rules._engine import PROFILES, check_selector
from vcardkit._rules._phonelib import check_region
from vcardkit._rules._registry import REGISTRY

__all__ = [
    "ConfigError",
    "Settings",
    "add_options",
    "find_config",
    "load_settings",
    "parse_selectors",
    "settings_from_args",
]

KEYS: Final = (
    "select",
    "ignore",
    "profile",
    "region",
    "fail-on",
    "include",
    "severity",
    "per-path-ignores",
    "exclude",
    "extend-exclude",
)
LEVELS: Final = ("error", "warning", "info")


class ConfigError(UsageError):
    """A configuration error: one line on stderr, exit 2, as any usage error."""


@dataclass(frozen=True, slots=True)
class Settings:
    """The resolved settings of one lint run."""

    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    profile: str = "whatsapp"
    region: str | None = None
    fail_on: str = "error"
    include: tuple[str, ...] = ()
    severity: Mapping[str, str] = field(default_factory=dict)
    per_path_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # Gitignore-style patterns of what a folder walk skips: the file's
    # (relative to its folder) and --exclude's (relative to the current one).
    exclude: tuple[str, ...] = DEFAULT_EXCLUDE
    extend_exclude: tuple[str, ...] = ()
    cli_exclude: tuple[str, ...] = ()
    root: Path | None = None  # the folder of the configuration file
    source: Path | None = None  # the configuration file

    def fails(self, diagnostic: Diagnostic) -> bool:
        """Whether ``diagnostic`` is at or above ``fail-on`` (exit 1)."""
        return diagnostic.severity.rank >= Severity(self.fail_on).rank

    def ignores_for(self, path: str) -> tuple[str, ...]:
        """The ignores that apply to ``path``: the global ones and its per-path ones."""
        if not self.per_path_ignores:
            return self.ignore
        rel = _relative(path, self.root)
        extra: list[str] = []
        for pattern, codes in self.per_path_ignores:
            if _glob_match(rel, pattern):
                extra.extend(codes)
        return self.ignore + tuple(extra)

    def excludes(self) -> list[tuple[str, tuple[str, ...]]]:
        """(absolute base folder, patterns) of every exclude list, for ``_ignore.Filter``."""
        here = os.path.abspath(os.curdir)
        base = os.path.abspath(self.root) if self.root is not None else here
        return [(base, self.exclude + self.extend_exclude), (here, self.cli_exclude)]

    def included(self, path: str) -> bool:
        """Whether a JSON file met while walking a folder matches ``include``."""
        rel = _relative(path, self.root)
        return any(_glob_match(rel, pattern) for pattern in self.include)


def _relative(path: str, root: Path | None) -> str:
    absolute = Path(os.path.abspath(path))
    base = root or Path.cwd()
    try:
        rel = absolute.relative_to(base)
    except ValueError:
        rel = Path(path)
    return rel.as_posix()


def _glob_match(rel: str, pattern: str) -> bool:
    """A glob against a path relative to the configuration's folder.

    As in ruff's per-file-ignores, a pattern without ``/`` also matches the
    file name alone in any folder.
    """
    pattern = pattern.removeprefix("./")
    if fnmatch.fnmatchcase(rel, pattern):
        return True
    if pattern.startswith("**/") and fnmatch.fnmatchcase(rel, pattern[3:]):
        return True
    return "/" not in pattern and fnmatch.fnmatchcase(rel.rsplit("/", 1)[-1], pattern)


def _read_toml(path: Path) -> dict[str, Any]:
    """A TOML file's table; ConfigError naming it when it cannot be read."""
    import tomllib  # local: a run with no pyproject.toml around does not need it

    try:
        with path.open("rb") as fp:
            return tomllib.load(fp)
    except UnicodeDecodeError as exc:
        # TOML is UTF-8 (TOML 1.0 "Spec"); tomllib decodes before it parses.
        raise ConfigError(
            f"cannot read {path}: it is not UTF-8 (byte {exc.object[exc.start]:#04x} "
            f"at offset {exc.start})"
        ) from None
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"cannot read {path}: {exc}") from None


def find_config(start: Path) -> Path | None:
    """The nearest pyproject.toml with a ``[tool.vcardkit]`` table, from ``start`` upward."""
    for folder in (start, *start.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            data = _read_toml(candidate)
            tool = data.get("tool")
            if isinstance(tool, dict) and "vcardkit" in tool:
                return candidate
    return None


def parse_selectors(value: Any, key: str) -> tuple[str, ...]:
    """A list of codes, prefixes or names (or one comma-separated string), each checked."""
    if isinstance(value, str):
        items = [v.strip() for v in value.split(",") if v.strip()]
    elif isinstance(value, list) and all(isinstance(v, str) for v in value):
        items = [v.strip() for v in value if v.strip()]
    else:
        raise ConfigError(f"{key}: expected a list of rule codes, prefixes or names")
    for item in items:
        try:
            check_selector(item, REGISTRY, key)
        except ValueError as exc:
            raise ConfigError(str(exc)) from None
    return tuple(items)


def _selector_list(value: Any, key: str) -> tuple[str, ...]:
    """A selection in the file: a TOML array of codes, prefixes or names.

    A string is refused rather than split: ``select = "VC4"`` is as likely a
    mistake for ``["VC4"]`` as anything, and the file's keys take arrays as
    ruff's do (the flags take comma-separated strings).
    """
    if not isinstance(value, list):
        raise ConfigError(
            f"{key}: expected an array of rule codes, prefixes or names "
            f'(like ["VC4", "waid-format"]), not {value!r}'
        )
    return parse_selectors(value, key)


def _patterns(value: Any, key: str) -> tuple[str, ...]:
    """A list of gitignore-style patterns (``exclude``, ``extend-exclude``, ``--exclude``)."""
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f'{key}: expected a list of gitignore-style patterns (like ["old/"])')
    try:
        check_patterns(value, key)
    except ValueError as exc:
        raise ConfigError(str(exc)) from None
    return tuple(value)


def _level(value: Any, key: str) -> str:
    if not isinstance(value, str) or value.lower() not in LEVELS:
        raise ConfigError(f"{key}: {value!r} is not one of {', '.join(LEVELS)}")
    return value.lower()


def _profile(value: Any, key: str) -> str:
    if value not in PROFILES:
        raise ConfigError(f"{key}: {value!r} is not one of {', '.join(PROFILES)}")
    return str(value)


def _region(value: Any, key: str) -> str:
    """A region phonenumbers knows (the library's own check), or ConfigError naming ``key``."""
    if not isinstance(value, str):
        raise ConfigError(f"{key}: {value!r} is not a two-letter region code (like EG or BR)")
    try:
        region = check_region(value, key)
    except ValueError as exc:
        raise ConfigError(str(exc)) from None
    assert region is not None
    return region


def _from_table(table: Mapping[str, Any], source: Path) -> Settings:
    where = f"{source} [tool.vcardkit]"
    for key in table:
        if key not in KEYS:
            close = [k for k in KEYS if k.replace("-", "_") == key.replace("-", "_")]
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise ConfigError(f"{where}: unknown key {key!r}{hint}")
    settings = Settings(root=source.parent, source=source)
    if "select" in table:
        settings = replace(settings, select=_selector_list(table["select"], f"{where}: select"))
    if "ignore" in table:
        settings = replace(settings, ignore=_selector_list(table["ignore"], f"{where}: ignore"))
    if "profile" in table:
        settings = replace(settings, profile=_profile(table["profile"], f"{where}: profile"))
    if "region" in table:
        settings = replace(settings, region=_region(table["region"], f"{where}: region"))
    if "fail-on" in table:
        settings = replace(settings, fail_on=_level(table["fail-on"], f"{where}: fail-on"))
    if "include" in table:
        include = table["include"]
        if not isinstance(include, list) or not all(isinstance(v, str) for v in include):
            raise ConfigError(f"{where}: include: expected a list of globs")
        settings = replace(settings, include=tuple(include))
    if "severity" in table:
        sev = table["severity"]
        if not isinstance(sev, dict):
            raise ConfigError(f"{where}: severity: expected a table of code = severity")
        levels: dict[str, str] = {}
        for code, level in sev.items():
            parse_selectors([code], f"{where}: severity")
            levels[code] = _level(level, f"{where}: severity.{code}")
        settings = replace(settings, severity=levels)
    if "per-path-ignores" in table:
        ppi = table["per-path-ignores"]
        if not isinstance(ppi, dict):
            raise ConfigError(f"{where}: per-path-ignores: expected a table of glob = codes")
        pairs = tuple(
            (glob, _selector_list(codes, f"{where}: per-path-ignores.{glob!r}"))
            for glob, codes in ppi.items()
        )
        settings = replace(settings, per_path_ignores=pairs)
    if "exclude" in table:
        settings = replace(settings, exclude=_patterns(table["exclude"], f"{where}: exclude"))
    if "extend-exclude" in table:
        extend = _patterns(table["extend-exclude"], f"{where}: extend-exclude")
        settings = replace(settings, extend_exclude=extend)
    return settings


def load_settings(
    *,
    config: str | None,
    use_config: bool,
    select: str | None,
    extend_ignore: Sequence[str],
    profile: str | None,
    region: str | None,
    fail_on: str | None,
    exclude: Sequence[str] = (),
) -> Settings:
    """The file's settings (``config``, else the nearest pyproject.toml), then the flags."""
    settings = Settings()
    path: Path | None = None
    if config is not None:
        path = Path(config)
        if not path.is_file():
            raise ConfigError(f"--config: {config} is not a file")
    elif use_config:
        path = find_config(Path.cwd())
    if path is not None:
        data = _read_toml(path)
        tool = data.get("tool", {})
        table = tool.get("vcardkit", {}) if isinstance(tool, dict) else {}
        if not isinstance(table, dict):
            raise ConfigError(f"{path}: [tool.vcardkit] must be a table")
        settings = _from_table(table, path)
    if select is not None:
        settings = replace(settings, select=parse_selectors(select, "--select"))
    for value in extend_ignore:
        settings = replace(settings, ignore=settings.ignore + parse_selectors(value, "--ignore"))
    if profile is not None:
        settings = replace(settings, profile=_profile(profile, "--profile"))
    if region is not None:
        settings = replace(settings, region=_region(region, "--region"))
    if fail_on is not None:
        settings = replace(settings, fail_on=_level(fail_on, "--fail-on"))
    if exclude:
        settings = replace(settings, cli_exclude=_patterns(list(exclude), "--exclude"))
    return settings


def add_options(parser: argparse.ArgumentParser) -> None:
    """The selection and configuration flags of ``lint`` and ``fix``."""
    parser.add_argument("--select", metavar="CODES", help="only these rules (replaces the file's)")
    parser.add_argument(
        "--ignore",
        metavar="CODES",
        action="append",
        default=[],
        help="also skip these rules (adds to the file's)",
    )
    parser.add_argument("--profile", choices=PROFILES, help="rule profile (default: whatsapp)")
    parser.add_argument("--region", metavar="CC", help="region for national numbers, e.g. EG")
    parser.add_argument(
        "--fail-on",
        choices=LEVELS,
        help="exit 1 when a diagnostic at or above this severity remains (default: error)",
    )
    parser.add_argument(
        "--exclude",
        metavar="PATTERN",
        action="append",
        default=[],
        help="also skip what this gitignore-style pattern matches when walking folders "
        "(repeatable; adds to the file's exclude)",
    )
    parser.add_argument("--config", metavar="FILE", help="read [tool.vcardkit] from this file")
    parser.add_argument(
        "--no-config", action="store_true", help="ignore pyproject.toml configuration"
    )


def settings_from_args(args: argparse.Namespace) -> Settings:
    """The settings of a run: the configuration file, then the flags of :func:`add_options`."""
    return load_settings(
        config=args.config,
        use_config=not args.no_config,
        select=args.select,
        extend_ignore=args.ignore,
        profile=args.profile,
        region=args.region,
        fail_on=args.fail_on,
        exclude=args.exclude,
    )
