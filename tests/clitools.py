"""Running the command line in tests: main(argv) with byte streams, a clean folder."""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path
from typing import Any

from vcardkit._cli._main import main

__all__ = ["Result", "run", "write"]


class Result:
    def __init__(self, code: int, out: str, err: str) -> None:
        self.code = code
        self.out = out
        self.err = err

    def __repr__(self) -> str:
        return f"Result({self.code}, out={self.out!r}, err={self.err!r})"


def run(*argv: str, stdin: bytes = b"", env: dict[str, str] | None = None) -> Result:
    """main(argv) with stdin, stdout and stderr as byte streams."""
    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", newline="")
    err = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", newline="")
    inp = io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8")
    saved = sys.stdin, sys.stdout, sys.stderr
    saved_env = dict(os.environ)
    os.environ.pop("GITHUB_ACTIONS", None)
    os.environ.pop("FORCE_COLOR", None)  # a CI's colour does not reach the output checked
    os.environ.update(env or {})
    sys.stdin, sys.stdout, sys.stderr = inp, out, err
    try:
        code = main(list(argv))
    finally:
        sys.stdin, sys.stdout, sys.stderr = saved
        os.environ.clear()
        os.environ.update(saved_env)
    out.flush()
    err.flush()
    return Result(
        code,
        out.buffer.getvalue().decode("utf-8"),  # type: ignore[attr-defined]
        err.buffer.getvalue().decode("utf-8"),  # type: ignore[attr-defined]
    )


def write(path: Path, data: bytes) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return str(path.relative_to(Path.cwd()))


def failing_open(name: str) -> Any:
    """``open`` that fails with EIO for files named ``name``, as a bad disk does."""
    real_open = open

    def fake_open(path: Any, *args: Any, **kwargs: Any) -> Any:
        if os.fspath(path).endswith(name):
            raise OSError(5, "Input/output error", path)
        return real_open(path, *args, **kwargs)

    return fake_open
