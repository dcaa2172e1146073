"""Injects: scripted what-ifs at a day or date, or when a condition first holds."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from sim.engine.state import Watch
from sim.scenario.schema import (
    AddPledge,
    AdversarySurge,
    Inject,
    ScalePledges,
    SetParameter,
    TriggerSignal,
    USPauseInject,
    WithdrawMember,
)

if TYPE_CHECKING:
    from sim.engine.world import World


def schedule_injects(world: World) -> None:
    """Arm every inject of the scenario."""
    for inject in world.scenario.injects:
        if inject.at is not None:
            day = world.scenario.day_of(inject.at)
            world.at(day, functools.partial(fire, world, inject))
        elif inject.when is not None:
            watch = Watch(world.state, [world.condition(inject.when)])
            _arm(world, watch, inject)


def _arm(world: World, watch: Watch, inject: Inject) -> None:
    def first_time(_event: object) -> None:
        watch.close()
        fire(world, inject)

    watch.when_true().callbacks.append(first_time)


def fire(world: World, inject: Inject) -> None:
    """Carry out one inject now."""
    note = f" — {inject.note}" if inject.note else ""
    if isinstance(inject, WithdrawMember):
        member = world.members[inject.member]
        world.log("inject", inject.member, f"{member.name} withdraws from the coalition{note}")
        member.withdraw()
    elif isinstance(inject, ScalePledges):
        targets = [p for p in world.pledges if p.id in inject.pledges]
        if inject.member is not None:
            targets += [p for p in world.members[inject.member].pledges if p not in targets]
        who = inject.member or ", ".join(inject.pledges)
        world.log("inject", who, f"Pledges of {who} scaled by {inject.factor:g}{note}")
        for pledge in targets:
            pledge.rescale(pledge.factor * inject.factor)
    elif isinstance(inject, AddPledge):
        from sim.engine.model import make_pledge

        pledge = make_pledge(world, inject.pledge, during_run=True)
        world.log(
            "inject",
            inject.pledge.member,
            f"New pledge {pledge.id} ({inject.pledge.pillar.replace('_', ' ')}){note}",
        )
        pledge.start()
    elif isinstance(inject, SetParameter):
        _set_parameter(world, inject.path, inject.value)
        world.log("inject", "scenario", f"{inject.path} set to {inject.value:g}{note}")
    elif isinstance(inject, TriggerSignal):
        world.log("inject", "scenario", f"Signal: {inject.signal}{note}")
        _signal(world, inject.signal)
    elif isinstance(inject, AdversarySurge):
        world.adversary.surge_for(inject.factor, inject.days)
    elif isinstance(inject, USPauseInject):
        world.us.pause(inject.days)


def _signal(world: World, signal: str) -> None:
    if signal == "ceasefire":
        from sim.engine.model import declare_ceasefire

        declare_ceasefire(world)
    elif signal == "us.revoke":
        world.us.revoke("The U.S. revokes its backing (inject)")
    else:
        world.us.grant(signal.removeprefix("us."))


def _set_parameter(world: World, path: str, value: float) -> None:
    if path.startswith("adversary.offensive."):
        world.adversary.set_parameter(path.rsplit(".", 1)[1], value)
    elif path == "ukraine.need_per_day":
        world.budget.set_rate(value)
    elif path == "us.enablers.probability":
        world.us.probability = value
    elif path == "us.guarantee.probability_per_review":
        world.us.guarantee_probability = value
    elif path == "model.deterrence.capability":
        world.assessment.w_capability = value
        world.assessment.refresh()
    elif path == "model.deterrence.presence":
        world.assessment.w_presence = value
        world.assessment.refresh()
