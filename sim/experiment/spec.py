"""Sweep specs: which scenario, which parameters over which ranges, which design.

A spec is YAML, validated like a scenario (``FILE:LINE:COL: path: message``)::

    name: us_threshold
    base: ../baseline.yaml            # relative to this file
    design: grid                      # grid | lhs | sobol | morris
    reps: 100                         # replications per point, common random numbers
    seed: 1
    kpis: [offensive, us_enablers]
    parameters:
      - name: threshold
        path: us.enablers.conditions
        template: ["committed.reassurance.land >= {value}"]
        range: [4000, 20000]
        int: true
        steps: 9
      - name: land_scale
        path: pledges.*.amount
        where: {pillar: reassurance_force, domain: land}
        scale: true                   # multiply each matched value
        range: [0.25, 2.0]

``path`` names list items by id (``pledges.fra-land.amount``); ``*`` matches every item and
``where`` keeps those whose fields equal the given values. ``paths`` lists several paths that
take the same value. ``template`` substitutes ``{value}`` into a structure (a condition, say).
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, ValidationError, field_validator, model_validator

from sim.engine import catalogue
from sim.errors import ScenarioError, UsageError
from sim.limits import MAX_SEED
from sim.scenario.base import Item
from sim.scenario.loader import read_document, validate_document
from sim.scenario.marked import MarkedDict
from sim.scenario.numbers import MAX_MAGNITUDE

DESIGNS = ("grid", "lhs", "sobol", "morris")


class Parameter(Item):
    """One swept input: where it goes, and the values it takes."""

    name: str | None = Field(default=None, description="Label in tables and plots.")
    path: str | None = None
    paths: list[str] = Field(default_factory=list)
    where: dict[str, str | float | bool] = Field(
        default_factory=dict, description="Filter for '*' list items: field values to match."
    )
    values: list[Any] | None = Field(default=None, min_length=1)
    range_: tuple[float, float] | None = Field(default=None, alias="range")
    int_: bool = Field(default=False, alias="int", description="Round to whole numbers.")
    log: bool = Field(default=False, description="Spread values evenly on a log scale.")
    steps: Annotated[int, Field(ge=2, le=1000)] | None = Field(
        default=None, description="Grid points over the range (default 5)."
    )
    scale: bool = Field(default=False, description="Multiply the base value instead of setting.")
    template: Any = Field(default=None, description="Structure with {value} placeholders.")

    @model_validator(mode="after")
    def _consistent(self) -> Parameter:
        if (self.path is None) == (not self.paths):
            raise ValueError("give exactly one of 'path' and 'paths'")
        if (self.values is None) == (self.range_ is None):
            raise ValueError("give exactly one of 'values' and 'range'")
        if self.range_ is not None:
            low, high = self.range_
            if not low < high:
                raise ValueError(f"range needs low < high (got {low:g}, {high:g})")
            if self.log and low <= 0:
                raise ValueError("a log range needs a positive low end")
        if self.steps is not None and self.range_ is None:
            raise ValueError("'steps' applies to a 'range'")
        if self.scale and self.template is not None:
            raise ValueError("give 'scale' or 'template', not both")
        for value in self.values or []:
            if isinstance(value, float) and not math.isfinite(value):
                raise ValueError(f"values must be finite numbers (got {value})")
        return self

    @property
    def label(self) -> str:
        """The parameter's label: its name, else its (first) path."""
        return self.name or self.path or self.paths[0]

    @property
    def targets(self) -> list[str]:
        """The paths the parameter writes to."""
        return [self.path] if self.path else list(self.paths)


class SweepSpec(Item):
    """A batch of scenario variants and the replications to run at each."""

    name: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,63}$")]
    description: str = ""
    base: str = Field(description="Scenario file, relative to this spec.")
    set_: list[str] = Field(
        default_factory=list,
        alias="set",
        description="PATH=VALUE overrides applied to the base first.",
    )
    parameters: list[Parameter] = Field(min_length=1, max_length=30)
    design: Literal["grid", "lhs", "sobol", "morris"] = "grid"
    samples: Annotated[int, Field(ge=1, le=1_000_000)] | None = Field(
        default=None,
        description="lhs: points; sobol: base sample N (a power of 2); morris: trajectories.",
    )
    levels: Annotated[int, Field(ge=2, le=100)] = Field(default=4, description="Morris levels.")
    reps: Annotated[int, Field(ge=1, le=100_000)] = 100
    seed: Annotated[int, Field(ge=0, lt=MAX_SEED)] = 1
    kpis: list[str] = Field(default_factory=lambda: ["offensive", "deterrence_mean"], min_length=1)

    @field_validator("kpis")
    @classmethod
    def _known_kpis(cls, kpis: list[str]) -> list[str]:
        for name in kpis:
            catalogue.get(name)
        return kpis

    @model_validator(mode="after")
    def _design_fits(self) -> SweepSpec:
        if self.design != "grid" and self.samples is None:
            raise ValueError(f"the {self.design} design needs 'samples'")
        if self.design in ("sobol", "morris"):
            categorical = [p.label for p in self.parameters if p.values is not None]
            if categorical:
                raise ValueError(
                    f"the {self.design} design needs ranges, not values ({categorical[0]})"
                )
        if self.design == "sobol" and self.samples and self.samples & (self.samples - 1):
            raise ValueError(
                f"the sobol design needs a power of 2 for 'samples' (got {self.samples})"
            )
        if self.design == "grid":
            size = math.prod(
                len(p.values) if p.values is not None else (p.steps or 5) for p in self.parameters
            )
            if size > 100_000:
                raise ValueError(f"the grid has {size:,} points; use a sampled design")
        return self

    def size(self) -> int:
        """Points of the design, known before it is built (a grid's whole-number levels that
        coincide may make it smaller).
        """
        k = len(self.parameters)
        if self.design == "grid":
            return math.prod(
                len(p.values) if p.values is not None else (p.steps or 5) for p in self.parameters
            )
        samples = self.samples or 0
        if self.design == "sobol":
            return samples * (k + 2)  # Saltelli's scheme without second-order indices
        if self.design == "morris":
            return samples * (k + 1)
        return samples


def load_spec(path: str | Path) -> SweepSpec:
    """Read and validate a sweep spec (its base scenario is resolved by the design).

    Raises:
        ScenarioError: every problem, at file, line and field.
    """
    return load_spec_marked(path)[0]


def load_spec_marked(path: str | Path) -> tuple[SweepSpec, MarkedDict]:
    """The spec and its line-marked data (for locating later problems, e.g. bad paths)."""
    data = read_document(Path(path), what="sweep spec")
    if _is_scenario(data):
        raise ScenarioError.single(
            str(path),
            "(file)",
            "this is a scenario, not a sweep spec: sweep it with --param PATH=LO:HI[:N] "
            "(e.g. wargame sweep FILE --param adversary.offensive.base_hazard_per_year=0.1:0.6), "
            "or give a spec such as scenarios/sweeps/us_threshold.yaml",
        )
    return validate_document(data, SweepSpec), data


SCENARIO_KEYS = frozenset({"members", "pledges", "extends", "start", "horizon_days", "us"})


def _is_scenario(data: object) -> bool:
    """A mapping with a scenario's keys and no ``parameters``: a scenario given as a spec."""
    return isinstance(data, dict) and "parameters" not in data and bool(SCENARIO_KEYS & set(data))


def inline_spec(
    scenario_path: Path,
    name: str,
    params: list[str],
    design: str,
    samples: int | None,
    reps: int,
    seed: int,
    kpis: list[str],
    templates: list[str] | None = None,
) -> SweepSpec:
    """A spec from ``--param PATH=LO:HI[:N]`` options.

    ``templates[i]`` (``--template``) is substituted with the value of the i-th ``--param``:
    ``"committed.reassurance.land >= {value}"`` sweeps a condition's threshold; a path ending
    in ``conditions`` takes it as a one-condition list, and whole LO and HI sweep whole values.

    Raises:
        ScenarioError: a malformed ``--param``, pointing at its position.
    """
    parameters = []
    for index, text in enumerate(params, start=1):
        path, _, spread = text.partition("=")
        parts = spread.split(":")
        if not path or len(parts) not in (2, 3):
            raise ScenarioError.single(
                "--param", text, "expected PATH=LO:HI or PATH=LO:HI:N", index
            )
        try:
            low, high = float(parts[0]), float(parts[1])
            steps = int(parts[2]) if len(parts) == 3 else None
        except ValueError:
            raise ScenarioError.single(
                "--param", text, "LO, HI must be numbers and N a whole number", index, len(path) + 2
            ) from None
        for value, column in ((low, len(path) + 2), (high, len(path) + len(parts[0]) + 3)):
            if not math.isfinite(value) or abs(value) > MAX_MAGNITUDE:
                raise ScenarioError.single(
                    "--param",
                    text,
                    f"LO and HI must be finite numbers of at most {MAX_MAGNITUDE:g} in size "
                    f"(got {value:g})",
                    index,
                    column,
                )
        entry: dict[str, Any] = {"path": path, "range": [low, high]}
        if steps is not None:
            entry["steps"] = steps
        template = (templates or [])[index - 1] if index <= len(templates or []) else None
        if template:
            if "{value}" not in template:
                raise ScenarioError.single(
                    "--template", template, "a template needs {value} where the value goes", index
                )
            entry["template"] = [template] if path.split(".")[-1] == "conditions" else template
            if all(re.fullmatch(r"-?[0-9]+", part) for part in parts[:2]):
                entry["int"] = True
        parameters.append(entry)
    if len(templates or []) > len(params):
        raise UsageError(
            f"{len(templates or [])} --template options for {len(params)} --param options "
            "(the i-th template applies to the i-th --param)",
            "--template",
        )
    data = {
        "name": name,
        "base": str(scenario_path),
        "parameters": parameters,
        "design": design,
        "samples": samples,
        "reps": reps,
        "seed": seed,
        "kpis": kpis,
    }
    try:
        return SweepSpec.model_validate(data)
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        loc = [str(step) for step in first["loc"]]
        message = str(first["msg"]).removeprefix("Value error, ")
        if loc[:1] == ["parameters"] and len(loc) > 1 and loc[1].isdigit():
            index = int(loc[1])
            raise ScenarioError.single(
                "--param", params[index], message, index + 1, len(params[index]) + 1
            ) from None
        options = {"samples": "--samples", "design": "--design", "reps": "--reps"}
        options.update(kpis="--kpi", seed="--seed")
        option = options.get(loc[0]) if loc else None
        raise UsageError(message, option) from None


def sweep_name(file: Path) -> str:
    """A sweep name for an inline sweep of ``file``: its stem made into a valid name
    (``My Scenario.yaml`` → ``my-scenario-sweep``, ``_base.yaml`` → ``base-sweep``).
    """
    stem = re.sub(r"[^a-z0-9_-]+", "-", file.stem.lower()).strip("-_")
    stem = re.sub(r"-{2,}", "-", stem)[:54].rstrip("-_")
    return f"{stem}-sweep" if stem else "sweep"


def sweep_json_schema() -> dict[str, Any]:
    """JSON Schema of sweep specs."""
    schema = SweepSpec.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "coalition-wargame sweep spec"
    return schema
