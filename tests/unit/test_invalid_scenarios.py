"""The invalid-input corpus: every bad scenario in tests/data/invalid/ fails cleanly.

Each case runs ``wargame validate`` from a fresh, empty working directory and checks the
contract of bad input: exit code 2, one stderr line ``FILE:LINE:COL: dotted.path: message``
pointing at the defect, no traceback, and nothing written, neither in the working directory nor
next to the data files. Cases marked ``real`` (those most likely to crash or to have side
effects: bad bytes, YAML bombs and tags, code in conditions, cycles) run the real command line,
``python -m sim validate``, in a subprocess; the others run the same Typer app in-process, which
is two orders of magnitude faster.

Expected lines and columns were read off the files by hand (1-based; the column is where the
offending key or value starts), not copied from the tool's output. Files are passed as absolute
paths, so ``FILE`` is the absolute path of the file that holds the defect (for ``--set`` cases it
is ``--set``, the line is the override's position and the column is within ``PATH=VALUE``).
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sim.cli import app
from sim.scenario.marked import MAX_BYTES

DATA = Path(__file__).resolve().parent.parent / "data"
INVALID = DATA / "invalid"
MINIMAL = DATA / "valid" / "minimal.yaml"


def _oversized(folder: Path) -> Path:
    """A valid scenario padded with comments to one byte over the size limit."""
    path = folder / "oversized.yaml"
    text = MINIMAL.read_text(encoding="utf-8")
    padding = MAX_BYTES + 1 - len(text.encode("utf-8"))
    lines, rest = divmod(padding, 80)
    path.write_text(text + ("#" * 79 + "\n") * lines + "#" * rest, encoding="utf-8")
    assert path.stat().st_size == MAX_BYTES + 1
    return path


def _missing(folder: Path) -> Path:
    return folder / "no_such_scenario.yaml"


@dataclass(frozen=True)
class Case:
    """One bad input and where its error must point.

    ``file`` is relative to tests/data (or a function making the file in a temporary folder);
    ``where`` is ``FILE:LINE:COL`` with ``FILE`` relative to tests/data, ``--set``, or ``{tmp}``
    for a generated file.
    """

    file: str | Callable[[Path], Path]
    where: str
    path: str
    message: str
    args: tuple[str, ...] = ()
    real: bool = False


def case(
    id_: str,
    file: str | Callable[[Path], Path],
    where: str,
    path: str,
    message: str,
    *args: str,
    real: bool = False,
) -> object:
    return pytest.param(Case(file, where, path, message, args, real), id=id_)


M = "valid/minimal.yaml"

CASES = [
    # --- reading the file
    case(
        "empty-file",
        "invalid/empty_file.yaml",
        "invalid/empty_file.yaml:1:1",
        "(file)",
        "the file is empty",
    ),
    case(
        "non-utf8",
        "invalid/non_utf8.yaml",
        "invalid/non_utf8.yaml:3:17",
        "(file)",
        "not UTF-8 text: byte 0xe9",
        real=True,
    ),
    case(
        "oversized",
        _oversized,
        "{tmp}/oversized.yaml:1:1",
        "(file)",
        f"over the {MAX_BYTES:,}-byte limit",
        real=True,
    ),
    case(
        "missing-file",
        _missing,
        "{tmp}/no_such_scenario.yaml:1:1",
        "(file)",
        "no such file",
        real=True,
    ),
    # --- YAML
    case(
        "yaml-syntax-error",
        "invalid/yaml_syntax_error.yaml",
        "invalid/yaml_syntax_error.yaml:3:26",
        "(yaml)",
        "YAML syntax error: mapping values are not allowed here",
        real=True,
    ),
    case(
        "tab-indentation",
        "invalid/tab_indentation.yaml",
        "invalid/tab_indentation.yaml:7:1",
        "(yaml)",
        "YAML indents with spaces, never tabs",
        real=True,
    ),
    case(
        "duplicate-key",
        "invalid/duplicate_key.yaml",
        "invalid/duplicate_key.yaml:11:5",
        "us.enablers.probability",
        "duplicate key 'probability' (first at line 9)",
    ),
    case(
        "duplicate-key-top-level",
        "invalid/duplicate_key_top_level.yaml",
        "invalid/duplicate_key_top_level.yaml:7:1",
        "horizon_days",
        "duplicate key 'horizon_days' (first at line 4)",
    ),
    case(
        "top-level-list",
        "invalid/top_level_list.yaml",
        "invalid/top_level_list.yaml:2:1",
        "(root)",
        "expected a mapping of scenario keys, got a list",
    ),
    case(
        "alias-bomb",
        "invalid/alias_bomb.yaml",
        "invalid/alias_bomb.yaml:11:4",
        "e",
        "refusing a possible alias bomb",
        real=True,
    ),
    case(
        "too-deep",
        "invalid/too_deep.yaml",
        "invalid/too_deep.yaml:3:78",
        "(yaml)",
        "nested deeper than 64 levels",
        real=True,
    ),
    case(
        "yaml-python-tag",
        "invalid/yaml_python_tag.yaml",
        "invalid/yaml_python_tag.yaml:3:14",
        "description",
        "unsupported YAML tag '!!python/object/apply:os.system'",
        real=True,
    ),
    case(
        "impossible-date",
        "invalid/impossible_date.yaml",
        "invalid/impossible_date.yaml:3:8",
        "start",
        "invalid value '2025-02-30': day is out of range for month",
    ),
    # --- keys and types
    case(
        "unknown-key-suggestion",
        "invalid/unknown_key_suggestion.yaml",
        "invalid/unknown_key_suggestion.yaml:8:5",
        "members.FRA.reliabilty",
        "unknown key 'reliabilty' (did you mean 'reliability'?)",
    ),
    case(
        "unknown-top-level-key",
        "invalid/unknown_top_level_key.yaml",
        "invalid/unknown_top_level_key.yaml:7:1",
        "injetcs",
        "unknown key 'injetcs' (did you mean 'injects'?)",
    ),
    case(
        "missing-start",
        "invalid/missing_start.yaml",
        "invalid/missing_start.yaml:2:1",
        "start",
        "required key 'start' is missing",
    ),
    case(
        "wrong-type",
        "invalid/wrong_type.yaml",
        "invalid/wrong_type.yaml:4:15",
        "horizon_days",
        "valid integer",
    ),
    case(
        "requires-us-backing-maybe",
        "invalid/requires_us_backing_maybe.yaml",
        "invalid/requires_us_backing_maybe.yaml:7:51",
        "members.DEU.requires_us_backing",
        "valid boolean",
    ),
    case(
        "negative-amount",
        "invalid/negative_amount.yaml",
        "invalid/negative_amount.yaml:12:13",
        "pledges.fra-land.amount",
        "greater than 0",
    ),
    case(
        "probability-above-one",
        "invalid/probability_above_one.yaml",
        "invalid/probability_above_one.yaml:6:42",
        "members.FRA.reliability",
        "less than or equal to 1",
    ),
    case(
        "member-id-lowercase",
        "invalid/member_id_lowercase.yaml",
        "invalid/member_id_lowercase.yaml:6:10",
        "members.fra.id",
        "should match pattern",
    ),
    # --- pledges and members
    case(
        "unknown-pledge-member",
        "invalid/unknown_pledge_member.yaml",
        "invalid/unknown_pledge_member.yaml:10:28",
        "pledges.fra-land.member",
        "unknown member 'FRX' (did you mean 'FRA'?)",
    ),
    case(
        "duplicate-member-ids",
        "invalid/duplicate_member_ids.yaml",
        "invalid/duplicate_member_ids.yaml:8:10",
        "members.FRA.id",
        "duplicate member id 'FRA'",
    ),
    case(
        "duplicate-pledge-ids",
        "invalid/duplicate_pledge_ids.yaml",
        "invalid/duplicate_pledge_ids.yaml:10:10",
        "pledges.fra-land.id",
        "duplicate pledge id 'fra-land'",
    ),
    case(
        "host-not-neighbour",
        "invalid/host_not_neighbour.yaml",
        "invalid/host_not_neighbour.yaml:11:11",
        "pledges.deu-adjacent.host",
        "'LTU' does not border Ukraine",
    ),
    case(
        "unknown-pillar",
        "invalid/unknown_pillar.yaml",
        "invalid/unknown_pillar.yaml:8:41",
        "pledges.fra-land.pillar",
        "unknown pillar 'reassurance' (did you mean 'reassurance_force'?)",
    ),
    case(
        "unknown-domain",
        "invalid/unknown_domain.yaml",
        "invalid/unknown_domain.yaml:11:13",
        "pledges.fra-space.domain",
        "'land', 'sea' or 'air' (got 'space')",
    ),
    case(
        "unknown-category",
        "invalid/unknown_category.yaml",
        "invalid/unknown_category.yaml:8:64",
        "pledges.deu-drones.category",
        "(got 'drones')",
    ),
    # --- distributions
    case(
        "uniform-low-above-high",
        "invalid/uniform_low_above_high.yaml",
        "invalid/uniform_low_above_high.yaml:13:16",
        "pledges.fra-land.lead_time",
        "low (90) must not exceed high (30)",
    ),
    case(
        "triangular-mode-outside",
        "invalid/triangular_mode_outside.yaml",
        "invalid/triangular_mode_outside.yaml:14:7",
        "pledges.fra-land.lead_time",
        "need low <= mode <= high (got 14, 120, 90)",
    ),
    case(
        "lognormal-sigma-zero",
        "invalid/lognormal_sigma_zero.yaml",
        "invalid/lognormal_sigma_zero.yaml:8:57",
        "members.DEU.mandate_delay.sigma",
        "greater than 0",
    ),
    case(
        "distribution-param-wrong-type",
        "invalid/distribution_param_wrong_type.yaml",
        "invalid/distribution_param_wrong_type.yaml:6:34",
        "ceasefire.day.median",
        "valid number",
    ),
    case(
        "unknown-distribution",
        "invalid/unknown_distribution.yaml",
        "invalid/unknown_distribution.yaml:6:15",
        "ceasefire.day.dist",
        "unknown dist 'poisson'",
    ),
    # --- conditions
    case(
        "condition-syntax-error",
        "invalid/condition_syntax_error.yaml",
        "invalid/condition_syntax_error.yaml:13:18",
        "pledges.fra-land.conditions.0",
        "the condition ends too early (at column 14 of the condition)",
    ),
    case(
        "condition-unknown-metric",
        "invalid/condition_unknown_metric.yaml",
        "invalid/condition_unknown_metric.yaml:10:9",
        "us.enablers.conditions.0",
        "unknown metric 'comitted.reassurance.land' (did you mean 'committed.reassurance.land'?)",
    ),
    case(
        "condition-runs-code",
        "invalid/condition_runs_code.yaml",
        "invalid/condition_runs_code.yaml:8:11",
        "injects.0.when",
        "calls are not allowed in conditions (at column 11 of the condition)",
        real=True,
    ),
    case(
        "condition-text-vs-number",
        "invalid/condition_text_vs_number.yaml",
        "invalid/condition_text_vs_number.yaml:8:12",
        "injects.0.when",
        "cannot compare text with number",
    ),
    case(
        "condition-chained",
        "invalid/condition_chained.yaml",
        "invalid/condition_chained.yaml:8:11",
        "injects.0.when",
        "comparisons do not chain",
    ),
    # --- injects
    case(
        "inject-outside-horizon",
        "invalid/inject_outside_horizon.yaml",
        "invalid/inject_outside_horizon.yaml:8:10",
        "injects.0.at",
        "2027-01-01 is outside the horizon",
    ),
    case(
        "inject-both-triggers",
        "invalid/inject_both_triggers.yaml",
        "invalid/inject_both_triggers.yaml:8:5",
        "injects.0",
        "give exactly one of 'at'",
    ),
    case(
        "unknown-inject-action",
        "invalid/unknown_inject_action.yaml",
        "invalid/unknown_inject_action.yaml:9:13",
        "injects.0.action",
        "unknown action 'nuke_member'",
    ),
    case(
        "set-parameter-not-settable",
        "invalid/set_parameter_not_settable.yaml",
        "invalid/set_parameter_not_settable.yaml:8:44",
        "injects.0.path",
        "'horizon_days' cannot change during a run",
    ),
    case(
        "scale-pledges-unknown-pledge",
        "invalid/scale_pledges_unknown_pledge.yaml",
        "invalid/scale_pledges_unknown_pledge.yaml:12:25",
        "injects.0.pledges.1",
        "unknown pledge 'fra-lnd' (did you mean 'fra-land'?)",
    ),
    # --- extends
    case(
        "extends-cycle",
        "invalid/extends_cycle_a.yaml",
        "invalid/extends_cycle_b.yaml:3:10",
        "extends",
        "extends cycle: extends_cycle_a.yaml -> extends_cycle_b.yaml -> extends_cycle_a.yaml",
        real=True,
    ),
    case(
        "extends-missing-base",
        "invalid/extends_missing_base.yaml",
        "invalid/extends_missing_base.yaml:3:10",
        "extends",
        "base scenario '../valid/no_such_base.yaml' not found",
    ),
    case(
        "extends-remove-unknown",
        "invalid/extends_remove_unknown.yaml",
        "invalid/extends_remove_unknown.yaml:7:5",
        "members.ITA",
        "cannot remove 'ITA'",
    ),
    case(
        "extends-duplicate-id",
        "invalid/extends_duplicate_id.yaml",
        "invalid/extends_duplicate_id.yaml:7:10",
        "members.DEU.id",
        "duplicate id 'DEU' (first at line 5)",
    ),
    case(
        "extends-bad-override",
        "invalid/extends_bad_override.yaml",
        "invalid/extends_bad_override.yaml:5:28",
        "members.DEU.reliability",
        "less than or equal to 1",
    ),
    case(
        "extends-invalid-base",
        "invalid/extends_invalid_base.yaml",
        "invalid/wrong_type.yaml:4:15",
        "horizon_days",
        "valid integer",
    ),
    # --- --set on a valid file
    case(
        "set-unknown-id",
        M,
        "--set:1:9",
        "pledges.fra-lnd",
        "no item with id 'fra-lnd' (did you mean 'fra-land'?)",
        "--set",
        "pledges.fra-lnd.amount=6000",
    ),
    case(
        "set-unknown-key",
        M,
        "--set:1:18",
        "pledges.fra-land.amont",
        "unknown key 'amont' (did you mean 'amount'?)",
        "--set",
        "pledges.fra-land.amont=6000",
    ),
    case(
        "set-not-a-mapping",
        M,
        "--set:1:25",
        "members.DEU.reliability.x",
        "members.DEU.reliability is a value, not a mapping",
        "--set",
        "members.DEU.reliability.x=1",
    ),
    case(
        "set-no-equals",
        M,
        "--set:2:1",
        "horizon_days",
        "expected PATH=VALUE",
        "--set",
        "members.DEU.reliability=0.7",
        "--set",
        "horizon_days",
    ),
    case(
        "set-type-mismatch",
        M,
        "--set:1:14",
        "horizon_days",
        "(got 'forever')",
        "--set",
        "horizon_days=forever",
        real=True,
    ),
    case(
        "set-type-mismatch-by-id",
        M,
        "--set:2:25",
        "members.DEU.reliability",
        "(got 'high')",
        "--set",
        "horizon_days=365",
        "--set",
        "members.DEU.reliability=high",
    ),
]


def _files(root: Path) -> set[Path]:
    return {p.relative_to(root) for p in root.rglob("*")}


def _validate(args: list[str], cwd: Path, real: bool) -> tuple[int, str, str]:
    """Run ``wargame validate ARGS`` in ``cwd``: exit code, stdout, stderr."""
    if real:
        done = subprocess.run(
            [sys.executable, "-m", "sim", "validate", *args],
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        return done.returncode, done.stdout, done.stderr
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(cwd)
        result = CliRunner().invoke(app, ["validate", *args])
    assert isinstance(result.exception, SystemExit | None), repr(result.exception)
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("bad", CASES)
def test_invalid_scenario_is_refused(bad: Case, tmp_path: Path) -> None:
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    target = bad.file(inputs) if callable(bad.file) else DATA / bad.file
    where = bad.where.replace("{tmp}", str(inputs))
    if not where.startswith(("--set:", str(inputs))):
        where = f"{DATA}/{where}"
    data_before = _files(DATA)

    code, stdout, stderr = _validate([str(target), *bad.args], cwd, bad.real)

    lines = stderr.splitlines()
    assert code == 2, stderr
    assert lines, "no error message"
    assert lines[0].startswith(f"{where}: {bad.path}: "), lines[0]
    assert bad.message in lines[0]
    assert len(lines) == 1, "one defect, one line: " + stderr
    assert "Traceback" not in stderr
    assert stdout == ""
    assert _files(cwd) == set()
    assert _files(DATA) == data_before


def test_corpus_size() -> None:
    """The acceptance point asks for at least 30 committed bad scenarios."""
    assert len(list(INVALID.glob("*.yaml"))) >= 30


def test_base_scenario_is_valid(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "sim", "validate", str(MINIMAL)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
