"""Carrying out injects: one handler per inject action, signal and settable parameter.

Every inject model registered in :data:`sim.scenario.injects.INJECTS` has exactly one handler
here, every signal of :data:`~sim.scenario.injects.SIGNALS` one trigger and every path of
:data:`~sim.scenario.injects.SETTABLE` one setter; a check at import refuses a family member
without its handler, so a forgotten branch cannot silently do nothing.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from sim.engine.adaptation import drop_now
from sim.engine.replication import Replication
from sim.engine.state import Watch
from sim.engine.wording import capitalised, the
from sim.scenario.injects import (
    INJECTS,
    SETTABLE,
    SIGNALS,
    AddPledge,
    AdversarySurge,
    DropUSConditionInject,
    IncursionInject,
    InjectSpec,
    ProbeInject,
    RelaxThreshold,
    ScalePledges,
    SetDoctrine,
    SetParameter,
    TriggerSignal,
    USPauseInject,
    WithdrawMember,
)

InjectT = TypeVar("InjectT", bound=InjectSpec)
Handler = Callable[[Replication, Any], None]

HANDLERS: dict[type[InjectSpec], Handler] = {}
"""The handler of each inject model."""


class MissingHandlerError(TypeError):
    """An inject action, signal or parameter that the engine cannot carry out."""


def handles(model: type[InjectT]) -> Callable[[Callable[[Replication, InjectT], None]], Handler]:
    """Register the handler of one inject model (a decorator)."""

    def register(handler: Callable[[Replication, InjectT], None]) -> Handler:
        HANDLERS[model] = handler
        return handler

    return register


def check_handlers() -> None:
    """Every registered inject action has a handler.

    Raises:
        MissingHandlerError: naming the actions without one.
    """
    missing = [m.__name__ for m in INJECTS if m not in HANDLERS]
    if missing:
        raise MissingHandlerError(f"inject actions without a handler: {', '.join(missing)}")


def schedule_injects(rep: Replication) -> None:
    """Arm every inject of the scenario."""
    check_handlers()
    world = rep.world
    for inject in world.scenario.injects:
        if inject.at is not None:
            day = world.scenario.day_of(inject.at)
            world.at(day, functools.partial(fire, rep, inject))
        elif inject.when is not None:
            watch = Watch(world.state, [world.condition(inject.when)])
            _arm(rep, watch, inject)
        elif inject.after is not None:
            event = world.ceasefire if inject.after.event == "ceasefire" else world.offensive
            event.callbacks.append(functools.partial(_after, rep, inject, inject.after.days))


def _after(rep: Replication, inject: InjectSpec, days: int, _event: object) -> None:
    rep.world.at(rep.world.now + days, functools.partial(fire, rep, inject))


def _arm(rep: Replication, watch: Watch, inject: InjectSpec) -> None:
    def first_time(_event: object) -> None:
        watch.close()
        fire(rep, inject)

    watch.when_true().callbacks.append(first_time)


def fire(rep: Replication, inject: InjectSpec) -> None:
    """Carry out one inject now.

    Raises:
        MissingHandlerError: the inject's action has no handler.
    """
    handler = HANDLERS.get(type(inject))
    if handler is None:
        raise MissingHandlerError(f"no handler for inject action {inject.action!r}")
    handler(rep, inject)


def _note(inject: InjectSpec) -> str:
    return f" — {inject.note}" if inject.note else ""


@handles(WithdrawMember)
def _withdraw_member(rep: Replication, inject: WithdrawMember) -> None:
    member = rep.members[inject.member]
    rep.world.log(
        "inject", inject.member, f"{member.name} withdraws from the coalition{_note(inject)}"
    )
    member.withdraw()


@handles(ScalePledges)
def _scale_pledges(rep: Replication, inject: ScalePledges) -> None:
    targets = [p for p in rep.pledges if p.id in inject.pledges]
    if inject.member is not None:
        targets += [p for p in rep.members[inject.member].pledges if p not in targets]
    who = inject.member or ", ".join(inject.pledges)
    rep.world.log("inject", who, f"Pledges of {who} scaled by {inject.factor:g}{_note(inject)}")
    for pledge in targets:
        pledge.rescale(pledge.factor * inject.factor)


@handles(AddPledge)
def _add_pledge(rep: Replication, inject: AddPledge) -> None:
    pledge = rep.add_pledge(inject.pledge, during_run=True)
    rep.world.log(
        "inject",
        inject.pledge.member,
        f"New pledge {pledge.id} ({inject.pledge.pillar.replace('_', ' ')}){_note(inject)}",
    )
    pledge.start()


@handles(SetParameter)
def _set_parameter(rep: Replication, inject: SetParameter) -> None:
    SETTERS[inject.path](rep, inject.value)
    rep.world.log("inject", "scenario", f"{inject.path} set to {inject.value:g}{_note(inject)}")


@handles(TriggerSignal)
def _trigger_signal(rep: Replication, inject: TriggerSignal) -> None:
    rep.world.log("inject", "scenario", f"Signal: {inject.signal}{_note(inject)}")
    TRIGGERS[inject.signal](rep)


@handles(AdversarySurge)
def _adversary_surge(rep: Replication, inject: AdversarySurge) -> None:
    rep.adversary.surge_for(inject.factor, inject.days)


@handles(USPauseInject)
def _us_pause(rep: Replication, inject: USPauseInject) -> None:
    rep.us.pause(inject.days)


def _scripted(inject: InjectSpec) -> str:
    return f"; scripted{_note(inject)}"


@handles(ProbeInject)
def _probe(rep: Replication, inject: ProbeInject) -> None:
    assert rep.moves is not None
    rep.moves.probe(inject.target, reasons=_scripted(inject))


@handles(IncursionInject)
def _incursion(rep: Replication, inject: IncursionInject) -> None:
    assert rep.moves is not None
    rep.moves.incursion(inject.hit, reasons=_scripted(inject))


@handles(RelaxThreshold)
def _relax_threshold(rep: Replication, inject: RelaxThreshold) -> None:
    assert rep.threshold is not None
    value = inject.to if inject.to is not None else rep.threshold.value + (inject.by or 0.0)
    rep.threshold.set(max(0.0, value), f"inject{_note(inject)}")


@handles(DropUSConditionInject)
def _drop_us_condition(rep: Replication, inject: DropUSConditionInject) -> None:
    drop_now(rep.world, rep.members[inject.member], f"inject{_note(inject)}")


@handles(SetDoctrine)
def _set_doctrine(rep: Replication, inject: SetDoctrine) -> None:
    member = rep.members[inject.member]
    for kind in ("probe", "incursion"):
        response = getattr(inject, kind)
        if response is not None:
            member.doctrine[kind] = response
    rep.world.log(
        "inject",
        inject.member,
        f"{capitalised(the(member.name))} now answers a probe by {member.doctrine['probe']} and "
        f"an incursion by {member.doctrine['incursion']}{_note(inject)}",
    )


TRIGGERS: dict[str, Callable[[Replication], None]] = {
    "ceasefire": lambda rep: rep.world.declare_ceasefire(),
    "us.enablers": lambda rep: rep.us.grant("enablers"),
    "us.guarantee": lambda rep: rep.us.grant("guarantee"),
    "us.revoke": lambda rep: rep.us.revoke("The U.S. revokes its backing (inject)"),
}
"""What each signal does."""


def _set_weight(rep: Replication, name: str, value: float) -> None:
    setattr(rep.deterrence, name, value)
    rep.deterrence.refresh()


def _set_us_probability(rep: Replication, value: float) -> None:
    rep.us.probability = value


def _set_guarantee_probability(rep: Replication, value: float) -> None:
    rep.us.guarantee_probability = value


SETTERS: dict[str, Callable[[Replication, float], None]] = {
    "adversary.offensive.base_hazard_per_year": lambda rep, v: rep.adversary.set_base_hazard(v),
    "adversary.offensive.deterrence_sensitivity": lambda rep, v: rep.adversary.set_sensitivity(v),
    "ukraine.budget.need_per_day": lambda rep, v: rep.ukraine.budget.set_rate(v),
    "ukraine.military.need_per_day": lambda rep, v: rep.ukraine.military.set_rate(v),
    "us.enablers.probability": _set_us_probability,
    "us.guarantee.probability_per_review": _set_guarantee_probability,
    "model.deterrence.capability": lambda rep, v: _set_weight(rep, "w_capability", v),
    "model.deterrence.presence": lambda rep, v: _set_weight(rep, "w_presence", v),
}
"""How each settable parameter is changed during a run."""


def _check_tables() -> None:
    if set(TRIGGERS) != set(SIGNALS):
        raise MissingHandlerError(f"signals and triggers differ: {set(TRIGGERS) ^ set(SIGNALS)}")
    if set(SETTERS) != set(SETTABLE):
        raise MissingHandlerError(
            f"settable paths and setters differ: {set(SETTERS) ^ set(SETTABLE)}"
        )
    check_handlers()


_check_tables()
