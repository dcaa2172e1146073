"""Writing results so that they are either whole or absent.

A results directory is built in a staging folder, ``<parent>/.partial/<name>.<host>.<pid>/``,
its ``manifest.json`` written last, then renamed into place in one step that never replaces a
directory another run published meanwhile; an existing directory is replaced only with
``force``. Readers accept a directory only when it has its manifest and is not in a staging
folder; the next writer in the same parent removes staging folders whose process is gone.
Single files (sweep chunks) are written to a
temporary name in the same directory, fsync'd and ``os.replace``d. Parquet files are written in
one call (a ``ParquetWriter`` left open by a crash leaves an unreadable file).
"""

from __future__ import annotations

import contextlib
import csv
import ctypes
import errno
import hashlib
import io
import json
import os
import platform
import re
import shutil
import socket
import sys
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from sim.errors import EnvironmentProblem, ResultsError, UsageError, environment_cause

FORMAT_VERSION = 1
_DEPENDENCIES = (
    "simpy",
    "numpy",
    "scipy",
    "pydantic",
    "pyarrow",
    "PyYAML",
    "matplotlib",
    "SALib",
    "typer",
    "rich",
)


def versions() -> dict[str, str]:
    """Versions of Python, this package and its dependencies."""
    found = {"python": platform.python_version()}
    for name in ("coalition-wargame", *_DEPENDENCIES):
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "not installed"
    return found


def command_line() -> str:
    """The command that produced the results, as typed (program name shortened)."""
    program = Path(sys.argv[0]).name if sys.argv else "python"
    if program == "__main__.py":
        program = "python -m sim"
    return " ".join([program, *sys.argv[1:]])


def new_directory(*parts: str, identity: str, name: str | None = None) -> Path:
    """``results/<parts…>/<UTC timestamp>-<short hash of identity>/`` in the working directory,
    or ``results/<parts…>/<name>/`` when a name is chosen (``--name``).

    ``identity`` names what was run (scenario digest, seed, replications…), so two different
    runs started in the same second get different directories.

    Raises:
        UsageError: a name that is not one plain directory name, or is ``latest``.
    """
    if name is not None:
        if not name or name in (".", "..", LATEST) or "/" in name or name.startswith("."):
            raise UsageError(
                f"{name!r} is not a directory name for results (one name, not 'latest', "
                "not starting with '.')",
                "--name",
            )
        return Path("results", *parts, name)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    digest = hashlib.sha256(identity.encode("utf-8")).hexdigest()
    return Path("results", *parts, f"{stamp}-{digest[:8]}")


LATEST = "latest"
"""``results/<scenario>/latest``: a symbolic link to the newest complete results directory
there (or, where links cannot be made, a file holding its name)."""


def update_latest(directory: Path) -> Path:
    """Point ``<parent>/latest`` at ``directory`` (a relative symlink, replaced atomically).

    Where the file system refuses links, ``latest`` is a one-line file with the directory's
    name instead. Returns the ``latest`` path.
    """
    link = directory.parent / LATEST
    tmp = directory.parent / f".{LATEST}.{os.getpid()}"
    with contextlib.suppress(FileNotFoundError):
        tmp.unlink()
    try:
        os.symlink(directory.name, tmp, target_is_directory=True)
    except OSError:
        tmp.write_text(directory.name + "\n", encoding="utf-8")
    if link.is_dir() and not link.is_symlink():  # a real directory someone called 'latest'
        tmp.unlink()
        return link
    os.replace(tmp, link)
    return link


def resolve_latest(folder: Path) -> Path:
    """``<parent>/latest`` as the directory it names (a link resolves itself; a file is read)."""
    if folder.name == LATEST and folder.is_file():
        name = folder.read_text(encoding="utf-8").strip()
        return folder.parent / name
    return folder


def write_json(path: Path, document: Any) -> None:
    """Write a JSON file, indented, non-ASCII characters kept."""
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def write_csv(path: Path, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """Write a CSV file: a header, then rows (``None`` as an empty cell, structures as JSON)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(
            "" if v is None else json.dumps(v) if isinstance(v, dict | list) else v for v in row
        )
    path.write_text(buffer.getvalue(), encoding="utf-8")


def write_parquet(path: Path, table: pa.Table) -> None:
    """Write a Parquet file, compressed with zstd."""
    pq.write_table(table, path, compression="zstd")


def atomic_write_parquet(path: Path, table: pa.Table) -> None:
    """Write one Parquet file atomically: temporary name, fsync, rename, fsync the directory."""
    tmp = path.with_name(path.name + ".tmp")
    pq.write_table(table, tmp, compression="zstd")
    with open(tmp, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(tmp, path)
    with contextlib.suppress(OSError):
        fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


STAGING = ".partial"
"""Where results directories are built: ``<parent>/.partial/<name>.<host>.<pid>/``.

One level below the directories themselves, so that a glob such as
``results/<scenario>/*/replications.parquet`` never reads a directory still being written, and
named after the process that writes it, so that the next writer in the same parent can remove
the leftovers of a process that died (SIGKILL, power loss)."""
_LEGACY_STAGING = re.compile(r"^\.(?P<name>.+)\.partial-(?P<pid>\d+)$")
"""Hidden siblings ``.<name>.partial-<pid>`` that versions before the ``.partial/`` folder left."""
_HOST = re.sub(r"[^A-Za-z0-9-]", "_", socket.gethostname()) or "localhost"
_created: dict[str, tuple[int, int]] = {}
"""Directories this process built, by absolute path: (device, inode) of the staging directory,
which the final rename keeps. Lets the CLI tell, after Ctrl-C, whether its results are whole."""


def is_staging(folder: Path) -> bool:
    """True for a directory still being built (or left by a writer that died)."""
    absolute = Path(os.path.abspath(folder))
    return STAGING in absolute.parts or any(_LEGACY_STAGING.match(part) for part in absolute.parts)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # PermissionError: someone else's process, alive
        return True
    return True


def _owner(entry: str) -> tuple[str, str, int] | None:
    """``(name, host, pid)`` of a staging directory's name, if it is one."""
    parts = entry.rsplit(".", 2)
    if len(parts) != 3 or not parts[2].isdigit():
        return None
    return parts[0], parts[1], int(parts[2])


def clean_stale(parent: Path) -> list[Path]:
    """Remove the staging directories in ``parent`` whose writer is gone; return them.

    Only writers on this host are judged (a pid means nothing on another machine).
    """
    removed: list[Path] = []
    staging = parent / STAGING
    with contextlib.suppress(OSError):
        for entry in os.scandir(staging):
            owner = _owner(entry.name)
            if owner is not None and owner[1] == _HOST and not _alive(owner[2]):
                shutil.rmtree(entry.path, ignore_errors=True)
                removed.append(Path(entry.path))
    with contextlib.suppress(OSError):
        for entry in os.scandir(parent):
            legacy = _LEGACY_STAGING.match(entry.name)
            if legacy and entry.is_dir(follow_symlinks=False) and not _alive(int(legacy["pid"])):
                shutil.rmtree(entry.path, ignore_errors=True)
                removed.append(Path(entry.path))
    _remove_if_empty(staging)
    return removed


def _remove_if_empty(folder: Path) -> None:
    with contextlib.suppress(OSError):  # not empty, or already gone: both fine
        folder.rmdir()


def _writers(out: Path) -> list[int]:
    """Live processes on this host building ``out`` now."""
    found = []
    with contextlib.suppress(OSError):
        for entry in os.scandir(out.parent / STAGING):
            owner = _owner(entry.name)
            if (
                owner is not None
                and owner[0] == out.name
                and owner[1] == _HOST
                and owner[2] != os.getpid()
                and _alive(owner[2])
            ):
                found.append(owner[2])
    return found


def check_target(out: Path, force: bool) -> None:
    """Refuse to overwrite an existing directory without ``force``, or to write one that
    another run is writing.

    Raises:
        UsageError: the target exists, is not a directory, or is being written (exit 2: an
            invalid option, nothing written).
    """
    if out.exists() and not out.is_dir():
        raise UsageError(f"{out} exists and is not a directory", "--out")
    if out.exists() and not force:
        raise UsageError(f"{out} already exists; choose another directory or pass --force", "--out")
    if is_staging(out):
        raise UsageError(f"{out} is inside a staging folder ({STAGING}); choose another", "--out")
    writers = _writers(out)
    if writers:
        raise UsageError(
            f"{out} is being written by another run (pid {writers[0]}); choose another directory",
            "--out",
        )


def completed_here(out: Path) -> bool:
    """True if this process built ``out`` and it is in place, complete."""
    expected = _created.get(os.path.abspath(out))
    try:
        found = os.stat(out)
    except OSError:
        return False
    return expected == (found.st_dev, found.st_ino)


@contextlib.contextmanager
def atomic_directory(out: Path, force: bool = False) -> Iterator[Path]:
    """Yield a staging directory; move it to ``out`` if the block succeeds.

    The block writes ``manifest.json`` last: readers take a directory for complete only when it
    has one and is not in a staging folder. The final move never replaces a directory that
    appeared meanwhile (another run) unless ``force``; with ``force`` an existing ``out`` is
    replaced whole. On any exception (Ctrl-C and SIGTERM included) the staging directory is
    removed and ``out`` is left as it was.

    Raises:
        UsageError: ``out`` exists (without ``force``), or appeared while this was writing.
        EnvironmentProblem: the disk is full or the folder cannot be written.
    """
    check_target(out, force)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        clean_stale(out.parent)
        tmp = _make_staging(out)
    except OSError as exc:
        problem = _environment(exc, out)
        if problem is None:
            raise
        raise problem from exc
    key = os.path.abspath(out)
    staged = os.stat(tmp)
    _created[key] = (staged.st_dev, staged.st_ino)  # before the rename: no window for Ctrl-C
    try:
        yield tmp
        _fsync_files(tmp)
        _publish(tmp, out, force)
    except BaseException as exc:
        _created.pop(key, None)
        shutil.rmtree(tmp, ignore_errors=True)
        _remove_if_empty(tmp.parent)
        problem = _environment(exc, out) if isinstance(exc, OSError) else None
        if problem is None:
            raise
        raise problem from exc
    _remove_if_empty(tmp.parent)
    _fsync_directory(out.parent)


def _environment(exc: OSError, out: Path) -> EnvironmentProblem | None:
    """Disk full, no permission and the like, as an EnvironmentProblem naming ``out``."""
    cause = environment_cause(exc)
    if cause is None:
        return None
    return EnvironmentProblem(f"cannot write {out}: {cause}; nothing was written")


def _make_staging(out: Path) -> Path:
    """Create ``<parent>/.partial/<name>.<host>.<pid>`` afresh (a concurrent writer's clean-up
    may remove an empty ``.partial`` between the two mkdirs: try again).
    """
    tmp = out.parent / STAGING / f"{out.name}.{_HOST}.{os.getpid()}"
    for _ in range(10):
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.parent.mkdir(exist_ok=True)
        try:
            tmp.mkdir()
        except FileNotFoundError:
            continue
        return tmp
    tmp.mkdir()
    return tmp


def _publish(tmp: Path, out: Path, force: bool) -> None:
    """Move the finished staging directory to ``out``, exclusively unless ``force``."""
    if force and out.exists():
        trash = tmp.parent / f"{out.name}.old.{_HOST}.{os.getpid()}"
        shutil.rmtree(trash, ignore_errors=True)
        os.rename(out, trash)
        _rename_exclusive(tmp, out)
        shutil.rmtree(trash, ignore_errors=True)
        return
    try:
        _rename_exclusive(tmp, out)
    except FileExistsError:
        raise UsageError(
            f"{out} appeared while this run was writing it (another run?); nothing was "
            "replaced and this run's files were discarded; choose another directory or pass "
            "--force",
            "--out",
        ) from None


_AT_FDCWD = -100
_RENAME_NOREPLACE = 1


def _rename_exclusive(src: Path, dst: Path) -> None:
    """Rename ``src`` to ``dst``, failing with FileExistsError if ``dst`` exists.

    Linux's renameat2(RENAME_NOREPLACE) does it in one step; elsewhere (or on file systems
    without it) ``dst`` is claimed with an exclusive mkdir and the rename replaces that empty
    directory, which POSIX allows.
    """
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            renameat2 = libc.renameat2
        except (OSError, AttributeError):
            renameat2 = None
        if renameat2 is not None:
            done = renameat2(
                _AT_FDCWD, os.fsencode(src), _AT_FDCWD, os.fsencode(dst), _RENAME_NOREPLACE
            )
            if done == 0:
                return
            code = ctypes.get_errno()
            if code == errno.EEXIST or code == errno.ENOTEMPTY:
                raise FileExistsError(code, os.strerror(code), str(dst))
            if code not in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
                raise OSError(code, os.strerror(code), str(src), None, str(dst))
    os.mkdir(dst)
    try:
        os.rename(src, dst)
    except BaseException:
        with contextlib.suppress(OSError):
            os.rmdir(dst)
        raise


def _fsync_files(folder: Path) -> None:
    """Flush the data files (not the plots) before the directory is published."""
    for entry in os.scandir(folder):
        if entry.is_file(follow_symlinks=False):
            with open(entry.path, "rb") as handle:
                os.fsync(handle.fileno())
    _fsync_directory(folder)


def _fsync_directory(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def read_json(path: Path) -> Any:
    """Read a JSON file of a results directory.

    Raises:
        ResultsError: missing, unreadable or not JSON, naming the directory and the file.
    """
    where = f"{path.parent}: {path.name}"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ResultsError(f"{where}: missing; not a complete results directory") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ResultsError(f"{where}: not valid JSON ({exc})") from None
    except RecursionError:
        raise ResultsError(f"{where}: nested too deeply to be a results file") from None
    except OSError as exc:
        raise ResultsError(f"{where}: cannot be read ({exc.strerror or exc})") from None
