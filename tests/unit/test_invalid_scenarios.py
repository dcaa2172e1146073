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

import os
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


def _fifo(folder: Path) -> Path:
    path = folder / "pipe.yaml"
    os.mkfifo(path)
    return path


def _dev_zero(folder: Path) -> Path:
    return Path("/dev/zero")


def _symlink_loop(folder: Path) -> Path:
    (folder / "loop.yaml").symlink_to(folder / "loop2.yaml")
    (folder / "loop2.yaml").symlink_to(folder / "loop.yaml")
    return folder / "loop.yaml"


def _broken_symlink(folder: Path) -> Path:
    (folder / "dangling.yaml").symlink_to(folder / "gone.yaml")
    return folder / "dangling.yaml"


def _directory(folder: Path) -> Path:
    (folder / "adir.yaml").mkdir()
    return folder / "adir.yaml"


def _child_of(base: Callable[[Path], Path]) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        target = base(folder)
        child = folder / "child.yaml"
        child.write_text(f"name: child\nextends: {target.name}\n", encoding="utf-8")
        return child

    return make


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
BOOLEAN = "expected a number, got a boolean (YAML reads yes/no, on/off and true/false as booleans)"

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
    # --- numbers, conditions, YAML details, files that are not files (reliability)
    case(
        "bool-amount-yes",
        "invalid/bool_amount_yes.yaml",
        "invalid/bool_amount_yes.yaml:12:13",
        "pledges.fra-land.amount",
        BOOLEAN + " (got True)",
    ),
    case(
        "bool-reliability-off",
        "invalid/bool_reliability_off.yaml",
        "invalid/bool_reliability_off.yaml:8:18",
        "members.FRA.reliability",
        BOOLEAN + " (got False)",
    ),
    case(
        "bool-capacity-true",
        "invalid/bool_capacity_true.yaml",
        "invalid/bool_capacity_true.yaml:11:15",
        "pledges.fra-training.capacity",
        BOOLEAN,
    ),
    case(
        "bool-horizon-no",
        "invalid/bool_horizon_no.yaml",
        "invalid/bool_horizon_no.yaml:4:15",
        "horizon_days",
        BOOLEAN,
    ),
    case(
        "bool-tranches-on",
        "invalid/bool_tranches_on.yaml",
        "invalid/bool_tranches_on.yaml:12:15",
        "pledges.fra-money.tranches",
        BOOLEAN,
    ),
    case(
        "bool-lead-time-yes",
        "invalid/bool_lead_time_yes.yaml",
        "invalid/bool_lead_time_yes.yaml:13:16",
        "pledges.fra-land.lead_time",
        "expected a number or a {dist: ...} mapping, got a boolean",
    ),
    case(
        "bool-distribution-param",
        "invalid/bool_distribution_param.yaml",
        "invalid/bool_distribution_param.yaml:13:37",
        "pledges.fra-land.lead_time.low",
        BOOLEAN,
    ),
    case(
        "bool-inject-at",
        "invalid/bool_inject_at.yaml",
        "invalid/bool_inject_at.yaml:8:9",
        "injects.0.at",
        BOOLEAN,
    ),
    case(
        "bool-never-probability",
        "invalid/bool_never_probability.yaml",
        "invalid/bool_never_probability.yaml:6:22",
        "ceasefire.never_probability",
        BOOLEAN,
    ),
    case(
        "bool-weight",
        "invalid/bool_weight.yaml",
        "invalid/bool_weight.yaml:9:17",
        "model.deterrence.capability",
        BOOLEAN,
    ),
    case(
        "huge-int-amount",
        "invalid/huge_int_amount.yaml",
        "invalid/huge_int_amount.yaml:12:13",
        "pledges.fra-land.amount",
        "number too large: an integer of 400 digits (at most 1e+15 in size)",
    ),
    case(
        "huge-int-capacity",
        "invalid/huge_int_capacity.yaml",
        "invalid/huge_int_capacity.yaml:11:15",
        "pledges.fra-training.capacity",
        "number too large: an integer of 30 digits",
    ),
    case(
        "inf-amount",
        "invalid/inf_amount.yaml",
        "invalid/inf_amount.yaml:12:13",
        "pledges.fra-land.amount",
        "expected a finite number (got inf)",
    ),
    case(
        "nan-need",
        "invalid/nan_need.yaml",
        "invalid/nan_need.yaml:8:26",
        "ukraine.budget.need_per_day",
        "expected a finite number (got nan)",
    ),
    case(
        "huge-float-budget",
        "invalid/huge_float_budget.yaml",
        "invalid/huge_float_budget.yaml:8:21",
        "ukraine.budget.initial",
        "number too large: 1e+300",
    ),
    case(
        "inf-set-parameter-value",
        "invalid/inf_set_parameter_value.yaml",
        "invalid/inf_set_parameter_value.yaml:11:12",
        "injects.0.value",
        "expected a finite number (got -inf)",
    ),
    case(
        "nan-scale-factor",
        "invalid/nan_scale_factor.yaml",
        "invalid/nan_scale_factor.yaml:11:13",
        "injects.0.factor",
        "expected a finite number (got nan)",
    ),
    case(
        "inf-uniform-high",
        "invalid/inf_uniform_high.yaml",
        "invalid/inf_uniform_high.yaml:16:13",
        "pledges.fra-land.lead_time.high",
        "expected a finite number (got inf)",
    ),
    case(
        "text-inf-mean",
        "invalid/text_inf_mean.yaml",
        "invalid/text_inf_mean.yaml:13:42",
        "pledges.fra-land.lead_time.mean",
        "expected a finite number (got '1e400')",
    ),
    case(
        "huge-inject-day",
        "invalid/huge_inject_day.yaml",
        "invalid/huge_inject_day.yaml:8:9",
        "injects.0.at",
        "number too large: 99999999999999999999",
    ),
    case(
        "shock-rate-runaway",
        "invalid/shock_rate_runaway.yaml",
        "invalid/shock_rate_runaway.yaml:8:29",
        "members.FRA.shocks.rate_per_year",
        "makes 2,000,000,000 shocks expected over the horizon; at most 10,000",
    ),
    case(
        "pause-rate-runaway",
        "invalid/pause_rate_runaway.yaml",
        "invalid/pause_rate_runaway.yaml:9:20",
        "us.pause.rate_per_year",
        "makes 20,000,000 pauses expected",
    ),
    case(
        "spell-too-short",
        "invalid/spell_too_short.yaml",
        "invalid/spell_too_short.yaml:9:31",
        "adversary.violation_regimes.strong.mean_spell_days",
        "at least 0.073 days",
    ),
    case(
        "condition-too-deep",
        "invalid/condition_too_deep.yaml",
        "invalid/condition_too_deep.yaml:10:9",
        "us.enablers.conditions.0",
        "parentheses nested deeper than 32 levels (at column 33 of the condition)",
    ),
    case(
        "condition-too-long",
        "invalid/condition_too_long.yaml",
        "invalid/condition_too_long.yaml:8:11",
        "injects.0.when",
        "the condition is 12,008 characters long; at most 10,000 are allowed",
    ),
    case(
        "condition-number-too-large",
        "invalid/condition_number_too_large.yaml",
        "invalid/condition_number_too_large.yaml:8:11",
        "injects.0.when",
        "number 1e400 is too large (at most 1e+15) (at column 7",
    ),
    case(
        "condition-nots-on-number",
        "invalid/condition_nots_on_number.yaml",
        "invalid/condition_nots_on_number.yaml:8:11",
        "injects.0.when",
        "'not' needs true/false operands (at column 9",
    ),
    case(
        "condition-and-on-number",
        "invalid/condition_and_on_number.yaml",
        "invalid/condition_and_on_number.yaml:8:11",
        "injects.0.when",
        "'and' needs true/false operands (at column 15",
    ),
    case(
        "merge-scalar",
        "invalid/merge_scalar.yaml",
        "invalid/merge_scalar.yaml:5:5",
        "<<",
        "a merge key '<<' takes a mapping or a list of mappings",
    ),
    case(
        "merge-twice",
        "invalid/merge_twice.yaml",
        "invalid/merge_twice.yaml:8:5",
        "members.DEU.<<",
        "duplicate merge key '<<' (first at line 7)",
    ),
    case(
        "merge-list-with-scalar",
        "invalid/merge_list_with_scalar.yaml",
        "invalid/merge_list_with_scalar.yaml:7:17",
        "members.DEU.<<",
        "not a value",
    ),
    case(
        "merge-duplicate-in-merged",
        "invalid/merge_duplicate_in_merged.yaml",
        "invalid/merge_duplicate_in_merged.yaml:8:10",
        "members.FRA.name",
        "duplicate key 'name' (first at line 7)",
    ),
    case(
        "merge-cycle",
        "invalid/merge_cycle.yaml",
        "invalid/merge_cycle.yaml:6:34",
        "members.FRA.<<",
        "merge cycle: a mapping merges itself",
    ),
    case(
        "merge-then-bool",
        "invalid/merge_then_bool.yaml",
        "invalid/merge_then_bool.yaml:9:18",
        "members.DEU.reliability",
        BOOLEAN,
    ),
    case(
        "nul-byte",
        "invalid/nul_byte.yaml",
        "invalid/nul_byte.yaml:6:26",
        "(yaml)",
        "character U+0000 is not allowed",
        real=True,
    ),
    case(
        "control-character",
        "invalid/control_character.yaml",
        "invalid/control_character.yaml:3:9",
        "(yaml)",
        "character U+0007 is not allowed",
    ),
    case(
        "escape-character-crlf",
        "invalid/escape_character_crlf.yaml",
        "invalid/escape_character_crlf.yaml:6:21",
        "(yaml)",
        "character U+001B is not allowed",
    ),
    case(
        "null-key",
        "invalid/null_key.yaml",
        "invalid/null_key.yaml:7:1",
        "(root)",
        "keys must be text; '~' reads as null (quote it)",
    ),
    case(
        "boolean-key",
        "invalid/boolean_key.yaml",
        "invalid/boolean_key.yaml:8:5",
        "members.FRA",
        "keys must be text; 'on' reads as a boolean",
    ),
    case(
        "number-key",
        "invalid/number_key.yaml",
        "invalid/number_key.yaml:8:3",
        "ukraine",
        "keys must be text; '1' reads as a number",
    ),
    case(
        "date-key",
        "invalid/date_key.yaml",
        "invalid/date_key.yaml:7:1",
        "(root)",
        "keys must be text; '2026-01-01' reads as a date",
    ),
    case(
        "fifo",
        _fifo,
        "{tmp}/pipe.yaml:1:1",
        "(file)",
        "is a named pipe (FIFO), not a regular file",
        real=True,
    ),
    case(
        "dev-zero",
        _dev_zero,
        "/dev/zero:1:1",
        "(file)",
        "is a character device, not a regular file",
        real=True,
    ),
    case(
        "symlink-loop",
        _symlink_loop,
        "{tmp}/loop.yaml:1:1",
        "(file)",
        "is a symbolic link loop",
    ),
    case(
        "broken-symlink",
        _broken_symlink,
        "{tmp}/dangling.yaml:1:1",
        "(file)",
        "no such file (a broken symbolic link)",
    ),
    case("directory", _directory, "{tmp}/adir.yaml:1:1", "(file)", "is a directory, not a file"),
    case(
        "extends-fifo",
        _child_of(_fifo),
        "{tmp}/child.yaml:2:10",
        "extends",
        "base scenario 'pipe.yaml' cannot be read: is a named pipe (FIFO)",
    ),
    case(
        "extends-symlink-loop",
        _child_of(_symlink_loop),
        "{tmp}/child.yaml:2:10",
        "extends",
        "base scenario 'loop.yaml' cannot be read: is a symbolic link loop",
    ),
    case(
        "set-bool",
        M,
        "--set:1:25",
        "members.DEU.reliability",
        "expected a number, got a boolean",
        "--set",
        "members.DEU.reliability=off",
    ),
    case(
        "set-inf",
        M,
        "--set:1:25",
        "pledges.fra-land.amount",
        "expected a finite number (got inf)",
        "--set",
        "pledges.fra-land.amount=.inf",
    ),
    case(
        "set-huge",
        M,
        "--set:1:24",
        "ukraine.budget.initial",
        "number too large: an integer of 40 digits",
        "--set",
        "ukraine.budget.initial=" + "9" * 40,
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
    if not where.startswith(("--set:", str(inputs), "/dev/")):
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
    """The acceptance points ask for at least 30 committed bad scenarios, then 40 more cases."""
    assert len(list(INVALID.glob("*.yaml"))) >= 88
    assert len(CASES) >= 53 + 40


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
