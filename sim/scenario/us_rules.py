"""How the U.S. adapts: a threshold that relaxes or hardens, and answers to Russia's moves.

``us.threshold`` is published as a metric of the same name, so the enablers' conditions can read
it (``committed.reassurance.land >= us.threshold``) and the mutual-conditionality deadlock can
resolve or persist by stated rules:

* **relax**: at every enablers review after the ceasefire (the ``us.enablers.review_days``
  calendar) at which the U.S. has no backing in place and its enablers' conditions do not hold, a
  review *without progress* is counted; a review at which they hold resets the count. After
  ``after_reviews`` of them in a row the threshold falls by ``step``, never below ``floor`` (a
  threshold already at or below the floor stays), and the count starts again.
* **harden**: each probe that goes unanswered raises the threshold by ``step``, never above
  ``ceiling`` (one already at or above it stays): Washington reads it as European weakness and
  asks more of Europe.

Answers: the U.S. answers a probe (a statement, an ISR surge) with a probability by its state,
none during a pause; an incursion that hits coalition troops brings an immediate review that
grants enablers with ``incursion_review`` if none are in place.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from sim.scenario.base import Item
from sim.scenario.types import NonNeg, Pos, Probability


class Relax(Item):
    """The threshold falls by ``step`` after ``after_reviews`` reviews in a row without progress."""

    after_reviews: Annotated[int, Field(ge=1, le=1000)] = 6
    step: Pos = 1000.0
    floor: NonNeg = 0.0


class Harden(Item):
    """The threshold rises by ``step`` after each unanswered probe, up to ``ceiling``."""

    step: Pos = 1000.0
    ceiling: Pos = 1_000_000.0


class Threshold(Item):
    """The U.S. threshold: its value at the start and the rules that move it (none: static)."""

    initial: NonNeg = Field(description="The value of the us.threshold metric at day 0.")
    relax: Relax | None = None
    harden: Harden | None = None


class ByState(Item):
    """A probability for each U.S. state."""

    none: Probability = 0.0
    enablers: Probability = 0.0
    guarantee: Probability = 0.0

    def get(self, state: str) -> float:
        """The probability in ``state``."""
        value: float = getattr(self, state)
        return value


class Responses(Item):
    """How the U.S. answers Russia's moves (defaults: it never does)."""

    probe: ByState = Field(
        default_factory=ByState,
        description="Probability that the U.S. answers a probe, by its state (0 while paused).",
    )
    incursion_review: Probability = Field(
        default=0.0,
        description="Probability that the immediate review after an incursion that hits "
        "coalition troops grants enablers (when none are in place).",
    )
