"""Which files a folder walk skips: ``.gitignore`` inside a git work tree, and ``exclude``.

As ruff (and git) do it: inside a git work tree, the ``.gitignore`` files of
the folders walked and of the folders above them up to the work tree's root,
and ``.git/info/exclude``, say what is ignored; a deeper ``.gitignore`` takes
precedence over a shallower one, ``info/exclude`` comes last, and within one
file the last matching pattern wins (``!pattern`` re-includes). A folder that
is ignored is not entered, so nothing in it can be re-included, as in git.
Git itself is not run: the patterns are matched with ``pathspec``, which
implements gitignore's pattern language (imported only when there are
patterns to match: it costs start-up time).

The ``exclude`` patterns (gitignore-style, from the configuration and
``--exclude``) are matched the same way, each set against its own base
folder. A folder named on the command line is always walked: the patterns
that ignore or exclude the folder itself are not applied inside it (pathspec,
made for lists of files, counts a file inside an ignored folder as ignored).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from pathspec import GitIgnoreSpec

__all__ = ["DEFAULT_EXCLUDE", "Filter", "check_patterns", "find_worktree"]

# Hidden folders (.git, .venv, .cache) are not contact folders; `exclude`
# replaces this list, `extend-exclude` and `--exclude` add to it (as ruff's
# `exclude` replaces its defaults).
DEFAULT_EXCLUDE: Final = (".*/",)


def check_patterns(patterns: Sequence[str], key: str) -> None:
    """Raise ValueError naming ``key`` for a pattern gitignore's language refuses (``!``)."""
    from pathspec import GitIgnoreSpec

    for pattern in patterns:
        try:
            GitIgnoreSpec.from_lines([pattern])
        except ValueError:
            raise ValueError(f"{key}: {pattern!r} is not a gitignore pattern") from None


def find_worktree(folder: str) -> str | None:
    """The root of the git work tree holding ``folder`` (the nearest folder with ``.git``)."""
    current = os.path.abspath(folder)
    while True:
        if os.path.lexists(os.path.join(current, ".git")):
            return current
        parent = os.path.dirname(current)
        if parent == current:
            return None
        current = parent


def _git_dir(worktree: str) -> str | None:
    """The repository folder of a work tree: ``.git``, or where a ``.git`` file points.

    A linked work tree (``git worktree add``) or a submodule has a ``.git``
    file, ``gitdir: <path>``; a linked work tree's ``info/exclude`` is the
    main repository's, found through its ``commondir`` file.
    """
    dot_git = os.path.join(worktree, ".git")
    if os.path.isdir(dot_git):
        return dot_git
    try:
        with open(dot_git, encoding="utf-8") as fp:
            first = fp.readline().strip()
    except (OSError, UnicodeDecodeError):
        return None
    if not first.startswith("gitdir:"):
        return None
    git_dir = os.path.join(worktree, first.removeprefix("gitdir:").strip())
    try:
        with open(os.path.join(git_dir, "commondir"), encoding="utf-8") as fp:
            return os.path.normpath(os.path.join(git_dir, fp.readline().strip()))
    except (OSError, UnicodeDecodeError):
        return os.path.normpath(git_dir)


def _read_lines(path: str) -> list[str] | None:
    """A patterns file's lines, or None when there is none (or it cannot be read, as git)."""
    try:
        with open(path, "rb") as fp:
            data = fp.read()
    except OSError:
        return None
    return data.decode("utf-8", "surrogateescape").splitlines()


def _relative(path: str, base: str) -> str | None:
    """``path`` relative to ``base`` (both absolute and normalised), or None if outside it."""
    if path == base:
        return "."
    prefix = base if base.endswith(os.sep) else base + os.sep
    if not path.startswith(prefix):
        return None
    rel = path[len(prefix) :]
    return rel if os.sep == "/" else rel.replace(os.sep, "/")


@dataclass(frozen=True, slots=True)
class _Layer:
    """One patterns file (or list): paths are matched relative to ``base`` (absolute)."""

    base: str
    spec: GitIgnoreSpec

    def decide(self, path: str, is_dir: bool) -> bool | None:
        """True: ignored, False: re-included (``!``), None: no pattern matches."""
        rel = _relative(path, self.base)
        if rel is None or rel == ".":
            return None
        return self.spec.check_file(rel + "/" if is_dir else rel).include

    def without(self, folder: str) -> _Layer:
        """This layer less the patterns that ignore ``folder`` (named explicitly) or above it."""
        from pathspec import GitIgnoreSpec

        rel = _relative(folder, self.base)
        if rel is None or rel == ".":
            return self
        kept = [p for p in self.spec.patterns if not (p.include and p.match_file(rel + "/"))]
        return _Layer(self.base, GitIgnoreSpec(kept))


def _layer(base: str, lines: Sequence[str]) -> _Layer | None:
    from pathspec import GitIgnoreSpec

    try:
        spec = GitIgnoreSpec.from_lines(lines)
    except ValueError:
        # git skips a pattern it cannot read (a lone "!"); so does this.
        patterns: list[Any] = []  # the spec's own pattern type
        for line in lines:
            try:
                patterns.extend(GitIgnoreSpec.from_lines([line]).patterns)
            except ValueError:
                continue
        spec = GitIgnoreSpec(patterns)
    if not any(p.include is not None for p in spec.patterns):
        return None  # only comments and blank lines
    return _Layer(base, spec)


def _decide(layers: Sequence[_Layer], path: str, is_dir: bool) -> bool:
    """Whether ``path`` is ignored: the deepest layer with a matching pattern says."""
    for layer in reversed(layers):
        verdict = layer.decide(path, is_dir)
        if verdict is not None:
            return verdict
    return False


def _gitignore(folder: str) -> list[_Layer]:
    lines = _read_lines(os.path.join(folder, ".gitignore"))
    layer = _layer(folder, lines) if lines else None
    return [layer] if layer is not None else []


class Filter:
    """What one walk of a folder named on the command line skips.

    Folders are absolute and normalised (``os.path.abspath``). ``excludes``:
    (base folder, patterns) pairs, each matched relative to its base (a path
    outside the base relative to the walked folder). :meth:`enter` reads a
    folder's ``.gitignore`` as the walk reaches it (parents first, as
    ``os.walk`` goes); :meth:`skips` tells whether an entry of an entered
    folder is left out.
    """

    def __init__(self, root: str, excludes: Sequence[tuple[str, Sequence[str]]]) -> None:
        self._root = root
        self._git: dict[str, list[_Layer]] = {}
        self._excludes: list[_Layer] = []
        self._hidden = False
        worktree = find_worktree(root)
        self._in_git = worktree is not None
        above: list[_Layer] = []
        if worktree is not None:
            git_dir = _git_dir(worktree)
            lines = _read_lines(os.path.join(git_dir, "info", "exclude")) if git_dir else None
            layer = _layer(worktree, lines) if lines else None
            if layer is not None:
                above.append(layer)
            # The .gitignore files from the work tree's root down to the
            # walked folder's parent apply to the walked folder itself...
            chain: list[str] = []
            folder = root
            while folder != worktree:
                folder = os.path.dirname(folder)
                chain.append(folder)
            for folder in reversed(chain):
                above.extend(_gitignore(folder))
            # ...and, when they ignore it, not inside it: it was named.
            if _decide(above, root, True):
                above = [layer.without(root) for layer in above]
        self._above = above
        for base, patterns in excludes:
            patterns = list(patterns)
            if patterns[:1] == [".*/"] and not any(p.startswith("!") for p in patterns):
                # The default alone needs no pattern matcher (nor its import).
                self._hidden = True
                patterns = patterns[1:]
            if not patterns:
                continue
            inside = _relative(root, base) is not None
            layer = _layer(base if inside else root, patterns)
            if layer is None:
                continue
            if layer.decide(root, True):
                layer = layer.without(root)
            self._excludes.append(layer)

    def enter(self, folder: str) -> None:
        """The walk reached ``folder``: its ``.gitignore`` applies inside it."""
        if self._in_git:
            inherited = self._above if folder == self._root else self._git[os.path.dirname(folder)]
            self._git[folder] = inherited + _gitignore(folder)

    def skips(self, folder: str, name: str, is_dir: bool) -> bool:
        """Whether the entry ``name`` of ``folder`` (entered before) is left out of the walk."""
        if is_dir and (name == ".git" or (self._hidden and name.startswith("."))):
            return True  # .git: the repository itself, whatever exclude says
        path = os.path.join(folder, name)
        if self._in_git and _decide(self._git[folder], path, is_dir):
            return True
        return any(layer.decide(path, is_dir) for layer in self._excludes)
