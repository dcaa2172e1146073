"""The benchmark command still runs end to end (tiny sizes); targets are not asserted here."""

from __future__ import annotations

import re
import subprocess
import sys

from tests.conftest import ROOT


def test_benchmarks_run_in_quick_mode() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.run", "--quick"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    for figure in ("B1", "B2", "B3", "B4", "B5", "B7a", "B7b"):
        row = re.search(rf"^\| {figure} \| [^|]+ \| ([0-9.,]+) ", result.stdout, re.MULTILINE)
        assert row, f"{figure} missing or without a value:\n{result.stdout}"
        assert float(row.group(1).replace(",", "")) > 0
    assert re.search(r"^\| B6", result.stdout, re.MULTILINE)  # measured, or skipped with a reason
    assert not (ROOT / "benchmarks" / "RESULTS.quick.md").exists()
