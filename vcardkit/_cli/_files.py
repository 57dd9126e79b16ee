"""Reading inputs and writing outputs for the commands; errors here are exit 2."""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import sys
from collections.abc import Iterator
from typing import BinaryIO, Final

__all__ = [
    "PartialWrite",
    "ReadError",
    "UsageError",
    "open_atomic",
    "print_error",
    "read_input",
    "shown",
    "silence_stdout",
    "write_atomic",
    "write_stdout",
]


class UsageError(Exception):
    """A usage or I/O error: one line on stderr, exit 2."""


class PartialWrite(UsageError):
    """Writing a file in place failed part way: it may hold part of the new text."""


_SURROGATE_RE: Final = re.compile("[\ud800-\udfff]")


def _escape(m: re.Match[str]) -> str:
    code = ord(m.group())
    if 0xDC80 <= code <= 0xDCFF:
        # A byte of a file name (or an argument) that is not UTF-8: Python
        # carries it as a surrogate (PEP 383); shown as the byte it is, as
        # bytes.decode("utf-8", "backslashreplace") shows it.
        return f"\\x{code - 0xDC00:02x}"
    return f"\\u{code:04x}"


def shown(text: str) -> str:
    """``text`` as it can be printed in UTF-8: a byte that is not UTF-8 shown as ``\\xff``.

    File names are bytes on POSIX; one that is not UTF-8 reaches Python with
    a lone surrogate for each bad byte, which no UTF-8 output can carry.
    Every name (and message) the commands print goes through here.
    """
    if text.isascii():
        return text
    return _SURROGATE_RE.sub(_escape, text)


def print_error(message: str) -> None:
    """``vcardkit: error: message`` on stderr, printable whatever the message names."""
    print(f"vcardkit: error: {shown(message)}", file=sys.stderr)


class ReadError(str):
    """An I/O error met finding or reading an input: its one line, and the path it names.

    A ``str``, so that a list of errors stays the lines stderr prints; the
    path is what lets ``lint --format sarif`` point its notification at the
    file. ``path`` has a default because pickling a ``str`` subclass (a lint
    worker returns its error) calls ``__new__`` with the text alone.
    """

    path: str | None

    def __new__(cls, message: str, path: str | None = None) -> ReadError:
        self = super().__new__(cls, message)
        self.path = path
        return self


def read_input(path: str) -> bytes:
    """The bytes of a file, or of stdin for ``-``."""
    if path == "-":
        return sys.stdin.buffer.read()
    try:
        with open(path, "rb") as fp:
            return fp.read()
    except FileNotFoundError:
        raise UsageError(f"cannot read {path}: no such file or directory") from None
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {(exc.strerror or str(exc)).lower()}") from None


def silence_stdout() -> None:
    """Point stdout at /dev/null: nothing left for the interpreter to flush into a closed pipe.

    Once a write to stdout failed, Python would flush what its buffer still
    holds at exit, fail again, print "Exception ignored" and exit 120.
    """
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(devnull, sys.stdout.fileno())
        finally:
            os.close(devnull)
    except (OSError, ValueError):
        pass  # not a file (a test's stream): nothing to silence


def write_stdout(text: str | bytes) -> None:
    """UTF-8 on stdout whatever the locale (a VCF or JSON payload is UTF-8), flushed.

    A lone surrogate (a JSON ``"\\ud800"`` a message quotes) is written as
    its escape rather than failing. A write error (a full disk, a closed
    pipe: ``vcardkit lint | head``) is a :class:`UsageError`, one line and
    exit 2, never a traceback.
    """
    data = text if isinstance(text, bytes) else text.encode("utf-8", "backslashreplace")
    try:
        sys.stdout.flush()  # anything written through the text layer first
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    except OSError as exc:
        silence_stdout()
        raise UsageError(f"cannot write to stdout: {(exc.strerror or str(exc)).lower()}") from None


def write_atomic(path: str, data: bytes) -> None:
    """Write ``data`` through a temporary file in the same folder and a rename."""
    with open_atomic(path) as fp:
        fp.write(data)


def _io_error(path: str, exc: OSError) -> UsageError:
    return UsageError(f"cannot write {path}: {(exc.strerror or str(exc)).lower()}")


# What tells that a file changed since it was read: the same inode, the same
# size and the same modification and change times (as git and make tell).
def _identity(st: os.stat_result) -> tuple[int, ...]:
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


@contextlib.contextmanager
def open_atomic(path: str, *, unchanged: os.stat_result | None = None) -> Iterator[BinaryIO]:
    """A binary file that replaces ``path`` when the block ends without an exception.

    It is a temporary file in the same folder, renamed over ``path`` only
    once everything is written and synced, so a command can write its
    output as it goes: if anything fails first (a full disk, an exception,
    Ctrl-C), the original stays intact and the temporary file is removed.
    What ``path`` is, is kept (docs/cli.md "fix"):

    - a symlink: its target is written, the link stays a link;
    - permissions and owner (the owner when the OS lets us set it);
    - a file with several hard links, one whose owner cannot be kept, or
      a FIFO or device: written in place once the temporary file is
      complete (every name sees the new text);
    - a file with no write permission bit is not replaced, whoever runs
      the command (root may write anything, so the mode is what says no);
    - ``unchanged``: the ``os.fstat`` of the file when it was read; if the
      file is not that one any more (another inode, size, modification or
      change time: a card appended meanwhile), nothing is written.

    Every refusal is a :class:`UsageError` naming ``path``.
    """
    # A symlink's target is the file to replace, and its folder the one to
    # write the temporary file in (the rename must stay on one file system).
    target = os.path.realpath(path)
    folder = os.path.dirname(target)
    import tempfile  # local: most runs write no file, and it costs start-up time

    try:
        fd, tmp = tempfile.mkstemp(prefix=".vcardkit-", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise _io_error(path, exc) from None
    done = False
    try:
        with os.fdopen(fd, "wb") as fp:
            try:
                yield fp
            except OSError as exc:
                raise _io_error(path, exc) from None
            fp.flush()
            os.fsync(fp.fileno())
        done = _commit(tmp, target, path, unchanged)
    except OSError as exc:
        raise _io_error(path, exc) from None
    finally:
        if not done:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def _commit(tmp: str, target: str, path: str, unchanged: os.stat_result | None) -> bool:
    """Put the complete temporary file in place; whether ``tmp`` is gone (renamed)."""
    try:
        now: os.stat_result | None = os.stat(target)
    except FileNotFoundError:
        now = None
    if unchanged is not None and (now is None or _identity(now) != _identity(unchanged)):
        raise UsageError(f"cannot write {path}: it changed since it was read")
    if now is None:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, target)
        return True
    mode = stat.S_IMODE(now.st_mode)
    if not mode & 0o222:
        raise UsageError(f"cannot write {path}: it is read-only (mode {mode:04o})")
    if not os.access(target, os.W_OK):
        raise UsageError(f"cannot write {path}: permission denied")
    regular = stat.S_ISREG(now.st_mode)
    if regular and now.st_nlink == 1 and _owned_alike(tmp, now):
        os.chmod(tmp, mode)  # after chown, which may clear the set-id bits
        os.replace(tmp, target)
        return True
    try:
        _copy_into(tmp, target, regular)
    except _Started as started:
        exc = started.error
        raise PartialWrite(
            f"cannot write {path}: {(exc.strerror or str(exc)).lower()}, part way through "
            "writing it in place: it may hold part of the new text"
        ) from None
    return False  # the caller removes tmp


class _Started(Exception):
    """An OSError once the in-place write has begun to overwrite the file."""

    def __init__(self, error: OSError) -> None:
        super().__init__(error)
        self.error = error


def _owned_alike(tmp: str, st: os.stat_result) -> bool:
    """Give ``tmp`` the owner and group of ``st``; whether it has them now."""
    mine = os.stat(tmp)
    if (mine.st_uid, mine.st_gid) == (st.st_uid, st.st_gid):
        return True
    try:
        os.chown(tmp, st.st_uid, st.st_gid)
    except PermissionError:
        # Not root: the group alone may be ours to set; the owner is not,
        # and the file is then written in place, which keeps both.
        with contextlib.suppress(OSError):
            os.chown(tmp, -1, st.st_gid)
    mine = os.stat(tmp)
    return (mine.st_uid, mine.st_gid) == (st.st_uid, st.st_gid)


def _copy_into(tmp: str, target: str, regular: bool) -> None:
    """Write ``tmp``'s bytes into ``target`` itself: its inode, links and owner stay."""
    size = os.path.getsize(tmp)
    fd = os.open(target, os.O_WRONLY)
    try:
        if regular and size and hasattr(os, "posix_fallocate"):
            # Reserve the space first: a full disk then fails here, before
            # a byte of the file is overwritten (where the file system can).
            try:
                os.posix_fallocate(fd, 0, size)
            except OSError as exc:
                if exc.errno not in _NO_FALLOCATE:
                    raise
        with open(tmp, "rb") as src:
            try:
                while chunk := src.read(1 << 20):
                    view = memoryview(chunk)
                    while view:
                        view = view[os.write(fd, view) :]
                if regular:
                    os.ftruncate(fd, size)
                    os.fsync(fd)
            except OSError as exc:
                raise _Started(exc) from None
    finally:
        os.close(fd)


# posix_fallocate is not supported everywhere (some network and FUSE file
# systems): then the file is written without the space reserved.
_NO_FALLOCATE: Final = frozenset((errno.EOPNOTSUPP, errno.ENOTSUP, errno.EINVAL))
