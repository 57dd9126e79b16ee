"""Reading inputs and writing outputs for the commands; errors here are exit 2."""

from __future__ import annotations

import contextlib
import os
import re
import sys
from collections.abc import Iterator
from typing import BinaryIO, Final

__all__ = [
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
