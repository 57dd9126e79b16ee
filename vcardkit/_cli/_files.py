"""Reading inputs and writing outputs for the commands; errors here are exit 2."""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile

__all__ = ["UsageError", "read_input", "write_atomic", "write_stdout"]


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
    """Write through a temporary file in the same folder and a rename, keeping permissions.

    The original stays intact if anything fails before the rename.
    """
    folder = os.path.dirname(os.path.abspath(path))
    try:
        mode: int | None = os.stat(path).st_mode & 0o7777
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {(exc.strerror or str(exc)).lower()}") from None
    try:
        fd, tmp = tempfile.mkstemp(prefix=".vcardkit-", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {(exc.strerror or str(exc)).lower()}") from None
    try:
        with os.fdopen(fd, "wb") as fp:
            fp.write(data)
            fp.flush()
            os.fsync(fp.fileno())
        if mode is None:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise UsageError(f"cannot write {path}: {(exc.strerror or str(exc)).lower()}") from None
