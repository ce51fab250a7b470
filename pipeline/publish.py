"""publish: an edition set is replaced whole, never one file at a time.

The editions and the report are written into a staging folder beside the
output folder (same file system), then the two folders swap places in one
system call (renameat2 RENAME_EXCHANGE): a reader of the output folder sees
either the old set or the new one, never a new print PDF beside an old report
whose SHA-256 no longer matches.  Files the build did not make (a preview, a
folder of screenshots, an edition not built this time) are carried into the
new set as hard links first.  A lock beside the folder keeps two builds from
interleaving; staging left by a killed build is removed by the next one.
"""
from __future__ import annotations

import ctypes
import errno
import fcntl
import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

from .errors import InputError

RENAME_EXCHANGE = 2
AT_FDCWD = -100
_libc = ctypes.CDLL(None, use_errno=True)
NO_SPACE = (errno.ENOSPC, errno.EDQUOT)


def staging_prefix(out: Path) -> str:
    return f".build-{out.name}-"


@contextmanager
def edition_set(out: Path):
    """Lock `out`, clear stale staging, yield a fresh staging folder; the caller
    fills it and calls `switch(staging, out)`.  The staging is removed however
    the block ends."""
    out = Path(os.path.abspath(out))
    parent = out.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise InputError(out, 0, f"cannot make the output folder ({err.strerror or err})") from None
    with _locked(out):
        removed = _remove_stale(out)
        staging = Path(tempfile.mkdtemp(prefix=staging_prefix(out), dir=parent))
        try:
            yield staging, removed
        finally:
            shutil.rmtree(staging, ignore_errors=True)


@contextmanager
def _locked(out: Path):
    lock_path = out.parent / f".{out.name}.lock"
    try:
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as err:
        raise InputError(out, 0, f"cannot write beside the output folder ({err.strerror or err})") from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "?"
            raise InputError(out, 0, f"another build (pid {holder}) is writing this folder; "
                             "wait for it to finish or choose another --out") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        os.close(fd)   # the lock goes with the descriptor, also when the build is killed


def _remove_stale(out: Path) -> list[str]:
    """Staging folders of builds that were killed (we hold the lock, so no
    build of this folder is running), beside it and, from older versions, in it."""
    stale = list(out.parent.glob(staging_prefix(out) + "*"))
    if out.is_dir():
        stale += list(out.glob(".build-*"))
    for p in stale:
        shutil.rmtree(p, ignore_errors=True) if p.is_dir() and not p.is_symlink() else p.unlink(missing_ok=True)
    return [p.name for p in stale]


def can_exchange(folder: Path) -> bool:
    """Whether this file system swaps two folders in one call (ext4, tmpfs, btrfs, xfs do)."""
    a = Path(tempfile.mkdtemp(prefix=".probe-", dir=folder))
    b = Path(tempfile.mkdtemp(prefix=".probe-", dir=folder))
    try:
        return _exchange(a, b) == 0
    finally:
        a.rmdir(), b.rmdir()


def _exchange(a: Path, b: Path) -> int:
    if not hasattr(_libc, "renameat2"):
        return -1
    return _libc.renameat2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE)


def carry_over(out: Path, staging: Path) -> list[str]:
    """Hard-link into the staging whatever `out` holds that the build did not make."""
    carried = []
    if not out.is_dir():
        return carried
    for entry in sorted(out.iterdir()):
        target = staging / entry.name
        if target.exists() or target.is_symlink() or entry.name.startswith(".build-"):
            continue
        if entry.is_symlink():
            os.symlink(os.readlink(entry), target)
        elif entry.is_dir():
            shutil.copytree(entry, target, symlinks=True, copy_function=_link_or_copy)
        else:
            _link_or_copy(entry, target)
        carried.append(entry.name)
    return carried


def _link_or_copy(src, dst) -> None:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def switch(staging: Path, out: Path, exchange: bool) -> None:
    """Put the staged set in place of `out`: one swap where the file system can,
    else (a folder not yet there) one rename; else file by file, report last."""
    out = Path(os.path.abspath(out))
    os.chmod(staging, 0o755)
    if not out.exists():
        os.rename(staging, out)
        staging.mkdir()   # for the caller's clean-up
        return
    if exchange and _exchange(staging, out) == 0:
        return
    names = sorted(p.name for p in staging.iterdir())
    names.sort(key=lambda n: n == "report.json")   # the report says the set is whole: it goes last
    for name in names:
        src = staging / name
        if src.is_file() and not src.is_symlink():
            os.replace(src, out / name)


def bytes_used(folder: Path) -> int:
    total = 0
    for root, _, files in os.walk(folder):
        for f in files:
            try:
                total += os.lstat(os.path.join(root, f)).st_size
            except OSError:
                pass
    return total


def no_space(err: BaseException) -> bool:
    while err is not None:
        if isinstance(err, OSError) and err.errno in NO_SPACE:
            return True
        err = err.__cause__ or err.__context__
    return False
