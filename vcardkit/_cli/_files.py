"""Reading inputs and writing outputs for the commands; errors here are exit 2."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from typing import BinaryIO

__all__ = ["UsageError", "open_atomic", "read_input", "write_atomic", "write_stdout"]


class UsageError(Exception):
    """A usage or I/O error: one line on stderr, exit 2."""


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


def write_stdout(text: str) -> None:
    """UTF-8 on stdout whatever the locale (a VCF or JSON payload is UTF-8)."""
    sys.stdout.flush()
    sys.stdout.buffer.write(text.encode("utf-8"))
    sys.stdout.buffer.flush()


def write_atomic(path: str, data: bytes) -> None:
    """Write ``data`` through a temporary file in the same folder and a rename."""
    with open_atomic(path) as fp:
        fp.write(data)


def _io_error(path: str, exc: OSError) -> UsageError:
    return UsageError(f"cannot write {path}: {(exc.strerror or str(exc)).lower()}")


@contextlib.contextmanager
def open_atomic(path: str) -> Iterator[BinaryIO]:
    """A binary file that replaces ``path`` when the block ends without an exception.

    It is a temporary file in the same folder, renamed over ``path`` (with
    ``path``'s permissions) only once everything is written and synced, so a
    command can write its output as it goes: if anything fails first (a full
    disk, an exception, Ctrl-C), the original stays intact and the temporary
    file is removed.
    """
    folder = os.path.dirname(os.path.abspath(path))
    try:
        mode: int | None = os.stat(path).st_mode & 0o7777
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        raise _io_error(path, exc) from None
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
        if mode is None:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(tmp, mode)
        os.replace(tmp, path)
        done = True
    except OSError as exc:
        raise _io_error(path, exc) from None
    finally:
        if not done:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
