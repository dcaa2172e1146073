"""Writing results so that they are either whole or absent.

A results directory is built in a temporary sibling and renamed into place when complete; an
existing directory is replaced only with ``force``. Single files (sweep chunks) are written to a
temporary name in the same directory, fsync'd and ``os.replace``d. Parquet files are written in
one call (a ``ParquetWriter`` left open by a crash leaves an unreadable file).
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import json
import os
import platform
import shutil
import sys
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from sim.errors import ResultsError, ScenarioError

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


def new_directory(*parts: str, identity: str) -> Path:
    """``results/<parts…>/<UTC timestamp>-<short hash of identity>/`` in the working directory.

    ``identity`` names what was run (scenario digest, seed, replications…), so two different
    runs started in the same second get different directories.
    """
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    digest = hashlib.sha256(identity.encode("utf-8")).hexdigest()
    return Path("results", *parts, f"{stamp}-{digest[:8]}")


def write_json(path: Path, document: Any) -> None:
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


def check_target(out: Path, force: bool) -> None:
    """Refuse to overwrite an existing directory without ``force``.

    Raises:
        ScenarioError: the target exists (exit 2: an invalid option, nothing written).
    """
    if out.exists() and not force:
        raise ScenarioError.single(
            str(out), "--out", "already exists; choose another directory or pass --force"
        )
    if out.exists() and not out.is_dir():
        raise ScenarioError.single(str(out), "--out", "exists and is not a directory")


@contextlib.contextmanager
def atomic_directory(out: Path, force: bool = False) -> Iterator[Path]:
    """Yield a temporary sibling of ``out``; rename it to ``out`` if the block succeeds.

    On any exception (Ctrl-C included) the temporary directory is removed and ``out`` is left
    as it was.
    """
    check_target(out, force)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.parent / f".{out.name}.partial-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    try:
        yield tmp
        if out.exists():
            trash = out.parent / f".{out.name}.old-{os.getpid()}"
            os.replace(out, trash)
            os.replace(tmp, out)
            shutil.rmtree(trash, ignore_errors=True)
        else:
            os.replace(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ResultsError(f"{path}: missing; not a complete results directory") from None
    except json.JSONDecodeError as exc:
        raise ResultsError(f"{path}: not valid JSON ({exc})") from None
