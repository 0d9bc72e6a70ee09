"""Reading the user's files without trusting them, and writing fwtui's own atomically.

Reading: regular files only, size capped, never blocking.
A path can name a FIFO (an open would wait forever for a writer), a device
(/dev/zero never ends), or a sparse file of gigabytes. `read_capped` opens
without blocking, refuses anything but a regular file before reading a byte,
and never reads more than its cap. An explicit `-` is the one exception: the
caller reads standard input, again with a cap.

Writing (`write_atomic`): a temporary file in the same folder, flushed to disk,
then renamed over the target, so a reader, or a crash, sees the old file whole
or the new one. A symlink stays a link: the file it points to is the one replaced.
"""

from __future__ import annotations

import os
import stat
import sys
import tempfile
from pathlib import Path

# The bundled dataset is well under 1 MB; the hostile test dataset of 5,000
# frameworks with 10,000-character texts is 58 MB.
MAX_BYTES = 100 * 1024 * 1024


class NotReadable(OSError):
    """A file refused before reading: not a regular file, or larger than the cap."""


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def describe_size(count: int) -> str:
    return f"{count / 1024 / 1024:,.0f} MB" if count >= 1024 * 1024 else f"{count:,} bytes"


def read_capped(path: Path, limit: int | None = None) -> bytes:
    """The bytes of a regular file of at most `limit` bytes (MAX_BYTES); NotReadable (or another OSError) otherwise."""
    limit = MAX_BYTES if limit is None else limit
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    descriptor = os.open(path, flags)
    try:
        info = os.fstat(descriptor)
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError(21, "Is a directory", str(path))
        if not stat.S_ISREG(info.st_mode):
            raise NotReadable(f"is {_kind(info.st_mode)}, not a regular file")
        if info.st_size > limit:
            raise NotReadable(f"is {describe_size(info.st_size)}, more than the {describe_size(limit)} limit")
        with os.fdopen(descriptor, "rb", closefd=False) as file:
            data = file.read(limit + 1)  # the file may have grown since fstat
    finally:
        os.close(descriptor)
    if len(data) > limit:
        raise NotReadable(f"is more than the {describe_size(limit)} limit")
    return data


def read_stdin(limit: int | None = None) -> bytes:
    """Standard input (for an explicit `-`), at most `limit` bytes (MAX_BYTES)."""
    limit = MAX_BYTES if limit is None else limit
    stream = sys.stdin.buffer if sys.stdin is not None else None
    if stream is None:
        raise NotReadable("standard input is closed")
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise NotReadable(f"standard input is more than the {describe_size(limit)} limit")
    return data


def write_atomic(path: Path, text: str | bytes) -> None:
    """Write `text` (UTF-8 when a str) to `path` atomically, keeping an existing file's permissions; OSError on failure."""
    path = Path(os.path.realpath(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = path.stat().st_mode & 0o777 if path.exists() else None
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(text.encode("utf-8") if isinstance(text, str) else text)
            file.flush()
            os.fsync(file.fileno())
        if mode is not None:
            os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
