"""``vcardkit lint``: find the files, validate each (in parallel when there are many)."""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import BinaryIO, Final

from vcardkit._cli._config import Settings
from vcardkit._cli._files import ReadError
from vcardkit._cli._ignore import Filter
from vcardkit._rules._diagnostic import Diagnostic
from vcardkit._rules._documents import Context
from vcardkit._rules._engine import Config, resolve
from vcardkit._rules._phonelib import PhoneMemo
from vcardkit._rules._registry import REGISTRY
from vcardkit._validate import validate_batches

__all__ = ["Target", "config_for", "discover", "lint_targets"]

VCF_SUFFIXES: Final = (".vcf", ".vcard")
# Parallel only when it pays for the workers' start-up (about 0.2 s each).
_PARALLEL_FILES: Final = 16
_PARALLEL_BYTES: Final = 4 << 20
# A file larger than this is read as a stream in the main process (a worker
# would hold all its diagnostics until it is done).
_STREAM_BYTES: Final = 8 << 20
# A progress bar only for inputs that take a while.
_PROGRESS_FILES: Final = 200
_PROGRESS_BYTES: Final = 20 << 20


@dataclass(frozen=True, slots=True)
class Target:
    """One input: its display path, where to read it (``None`` for stdin), its kind."""

    display: str
    path: str | None
    kind: str | None  # "json", "vcf", or None to sniff the content
    size: int = 0
    # A FIFO or a character device (`<(cmd)`, /dev/stdin): read once, in
    # this process (a worker would not share the pipe), never written.
    special: bool = False


def _kind(path: str) -> str | None:
    lower = path.lower()
    if lower.endswith(".json"):
        return "json"
    if lower.endswith(VCF_SUFFIXES):
        return "vcf"
    return None


def discover(
    paths: Sequence[str], settings: Settings, stdin_name: str | None, *, special: bool = True
) -> tuple[list[Target], list[str]]:
    """The files to lint, and the I/O errors met finding them (one line each).

    ``special``: a FIFO or character device named explicitly is read, as
    ``convert`` and ``preview`` read it (``lint <(gen-cards)``); ``fix``,
    which writes what it reads, takes regular files only.
    """
    targets: list[Target] = []
    errors: list[str] = []
    for path in paths:
        if path == "-":
            name = stdin_name or "<stdin>"
            targets.append(Target(name, None, _kind(stdin_name) if stdin_name else None))
            continue
        if os.path.isdir(path):
            targets.extend(_walk(path, settings, errors))
        elif os.path.isfile(path):
            targets.append(Target(path, path, _kind(path), _size(path)))
        elif _is_stream(path):
            if special:
                targets.append(Target(path, path, _kind(path), special=True))
            else:
                errors.append(f"not fixing {path}: it is not a regular file")
        elif os.path.lexists(path):
            errors.append(ReadError(f"cannot read {path}: not a regular file", path))
        else:
            errors.append(ReadError(f"cannot read {path}: no such file or directory", path))
    return targets, errors


def _is_stream(path: str) -> bool:
    """Whether ``path`` is a FIFO or a character device (a symlink to one included)."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return stat.S_ISFIFO(mode) or stat.S_ISCHR(mode)


def _size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


def _walk(root: str, settings: Settings, errors: list[str]) -> Iterator[Target]:
    """The files to lint in the folder ``root`` (named explicitly), in a stable order.

    Skipped, as ruff skips them: what ``.gitignore`` ignores inside a git
    work tree, what ``exclude``, ``extend-exclude`` and ``--exclude`` match
    (hidden folders by default); see ``_ignore``.
    """

    def onerror(exc: OSError) -> None:
        name = exc.filename if isinstance(exc.filename, str) else None
        errors.append(ReadError(f"cannot read {exc.filename}: {exc.strerror or exc}", name))

    if not os.access(root, os.R_OK | os.X_OK):
        errors.append(ReadError(f"cannot read {root}: permission denied", root))
        return
    top = os.path.abspath(root)
    keep = Filter(top, settings.excludes())
    # `lint` (the current folder) shows a.vcf, not ./a.vcf, as ruff does.
    current = os.path.normpath(root) == os.curdir
    for folder, dirs, files in os.walk(root, onerror=onerror):
        # os.walk joins names to `root` as given: what follows it is the
        # path inside the walked folder.
        inner = folder[len(root) :].lstrip(os.sep)
        here = os.path.join(top, inner) if inner else top
        keep.enter(here)
        dirs[:] = sorted(d for d in dirs if not keep.skips(here, d, True))
        prefix = inner if current else folder
        for name in sorted(files):
            path = os.path.join(prefix, name)
            kind = _kind(name)
            if not (kind == "vcf" or (kind == "json" and settings.included(path))):
                continue
            if keep.skips(here, name, False):
                continue
            try:
                st = os.stat(path)
            except OSError:
                yield Target(path, path, kind)  # reading it reports why
                continue
            # A FIFO met in a folder would block the run until something
            # writes to it: only one named explicitly is read.
            if stat.S_ISREG(st.st_mode):
                yield Target(path, path, kind, st.st_size)


def config_for(settings: Settings) -> Callable[[str], Config]:
    """The resolved configuration of each path, with its per-path ignores (cached)."""
    cache: dict[tuple[str, ...], Config] = {}

    def config_for(display: str) -> Config:
        ignores = settings.ignores_for(display)
        config = cache.get(ignores)
        if config is None:
            config = resolve(
                REGISTRY,
                profile=settings.profile,
                select=settings.select,
                ignore=ignores,
                severity=dict(settings.severity),
            )
            cache[ignores] = config
        return config

    return config_for


def _lint_one(
    target: Target, settings: Settings, stdin: BinaryIO | None, phones: PhoneMemo | None = None
) -> Iterator[list[Diagnostic]]:
    """Diagnostics of one file as each window of cards is checked; OSError if it cannot be read."""
    config = config_for(settings)(target.display)
    if phones is None:
        phones = PhoneMemo()
    ctx = Context(settings.profile, settings.region, False, target.display, phones)
    if target.path is None:
        assert stdin is not None
        yield from validate_batches(stdin, config, ctx, kind=target.kind)
        return
    with open(target.path, "rb") as fp:
        yield from validate_batches(fp, config, ctx, kind=target.kind)


def _read_error(target: Target, exc: OSError) -> ReadError:
    return ReadError(f"cannot read {target.display}: {exc.strerror or exc}", target.display)


# A worker process's numbers, analysed once for all the files it lints.
_worker_phones: PhoneMemo | None = None


def _start_worker() -> None:
    global _worker_phones
    _worker_phones = PhoneMemo()


def _lint_job(args: tuple[Target, Settings]) -> tuple[list[Diagnostic], ReadError | None]:
    target, settings = args
    found: list[Diagnostic] = []
    try:
        for batch in _lint_one(target, settings, None, _worker_phones):
            found.extend(batch)
    except OSError as exc:
        return found, _read_error(target, exc)
    return found, None


def lint_targets(
    targets: Sequence[Target], settings: Settings, stdin: BinaryIO, errors: list[str]
) -> Iterator[list[Diagnostic]]:
    """Lint every target, in input order, yielding diagnostics as they are found.

    A large file is read as a stream, a window of cards at a time, in this
    process. Many small files are shared among worker processes (each
    returns its file's diagnostics whole, which is small); the I/O errors
    met are appended to ``errors``.
    """
    total = sum(t.size for t in targets)
    progress = _progress(len(targets), total)
    small = [t for t in targets if t.path is not None and not t.special and t.size <= _STREAM_BYTES]
    parallel = (
        (os.cpu_count() or 1) > 1
        and len(small) > 1
        and (len(small) >= _PARALLEL_FILES or sum(t.size for t in small) >= _PARALLEL_BYTES)
    )
    # One memo for the run: a number in many files is analysed once.
    phones = PhoneMemo()
    if not parallel:
        for target in targets:
            yield from _lint_here(target, settings, stdin, phones, errors)
            progress(1)
        progress(0, close=True)
        return
    # Local: a run that lints one file should not import multiprocessing.
    from concurrent.futures import ProcessPoolExecutor

    workers = min(os.cpu_count() or 1, 8, len(small))
    with ProcessPoolExecutor(max_workers=workers, initializer=_start_worker) as pool:
        futures = {id(t): pool.submit(_lint_job, (t, settings)) for t in small}
        try:
            for target in targets:
                future = futures.get(id(target))
                if future is None:
                    yield from _lint_here(target, settings, stdin, phones, errors)
                else:
                    found, error = future.result()
                    yield found
                    if error is not None:
                        errors.append(error)
                progress(1)
        finally:
            # Stopped early (stdout closed: `lint | head`): the files not
            # started are not linted for nothing while the pool shuts down.
            for future in futures.values():
                future.cancel()
    progress(0, close=True)


def _lint_here(
    target: Target,
    settings: Settings,
    stdin: BinaryIO,
    phones: PhoneMemo,
    errors: list[str],
) -> Iterator[list[Diagnostic]]:
    try:
        yield from _lint_one(target, settings, stdin, phones)
    except OSError as exc:
        errors.append(_read_error(target, exc))


def _progress(count: int, total: int) -> Callable[..., None]:
    """A progress bar on stderr for large inputs on a terminal; silent otherwise."""
    if not (count >= _PROGRESS_FILES or total >= _PROGRESS_BYTES) or not sys.stderr.isatty():
        return lambda n, close=False: None
    from tqdm import tqdm  # local: only large inputs on a terminal need it

    bar = tqdm(total=count, file=sys.stderr, unit="file", leave=False)

    def update(n: int, close: bool = False) -> None:
        if n:
            bar.update(n)
        if close:
            bar.close()

    return update
