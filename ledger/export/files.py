"""Writing an output file all-or-nothing, and never over the books.

:func:`write_atomically` writes to a temporary file in the target's folder, fsyncs it
and renames it over the target, so a reader (or a crash) sees the old file or the new
one, never a half-written one.  :func:`check_output_path` refuses, before anything is
computed or changed, a target that is (or links to) the books or any SQLite file, that
is not a regular file (``/dev/full``, a folder), or whose folder is missing or not
writable.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from ledger.books.store import SQLITE_MAGIC, fsync_path

class OutputError(Exception):
    """An output path that is refused, or a write that failed (nothing was written)."""

def check_output_path(out: Path | str, books: Path | str | None = None) -> Path:
    """The real path to write ``out`` to (links followed), or :class:`OutputError`."""
    out = Path(out)
    target = Path(os.path.realpath(out))
    if books is not None and target == Path(os.path.realpath(books)):
        raise OutputError(f"{out} is the books; refusing to write an export over them")
    for suffix in ("-wal", "-shm", "-journal"):
        if books is not None and target == Path(os.path.realpath(str(books) + suffix)):
            raise OutputError(f"{out} belongs to the books; refusing to write over it")
    if target.exists():
        if not target.is_file():
            raise OutputError(f"{out} is not a regular file; refusing to write to it")
        if _is_sqlite(target):
            raise OutputError(f"{out} is an SQLite database (books?); refusing to overwrite it")
    folder = target.parent
    if not folder.is_dir():
        raise OutputError(f"cannot write {out}: the folder {folder} does not exist")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError(f"cannot write {out}: the folder {folder} is not writable")
    return target

def _is_sqlite(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(16) == SQLITE_MAGIC
    except OSError:
        return False

def write_atomically(out: Path | str, write: Callable[[Path], None], books: Path | str | None = None) -> Path:
    """Call ``write(temp)`` to write the content to a temporary file, then move it to ``out``.

    ``out`` is checked with :func:`check_output_path` first.  On any failure (a full
    disk, an error in ``write``) the temporary file is removed, ``out`` is as it was,
    and :class:`OutputError` names the cause.
    """
    target = check_output_path(out, books)
    fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".partial")
    os.close(fd)
    temp = Path(name)
    try:
        os.chmod(temp, 0o666 & ~_umask())  # as an ordinary new file, not mkstemp's 0600
        write(temp)
        fsync_path(temp)
        os.replace(temp, target)
    except OSError as exc:
        raise OutputError(f"cannot write {out}: {exc.strerror or exc}; nothing written") from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()
    with contextlib.suppress(OSError):
        fsync_path(target.parent)
    return Path(out)

def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
