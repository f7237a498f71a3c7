"""A derived figure as every page, API response and CSV presents it: its value with the formula
and inputs that produced it, or no value and the reason why."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class Derived:
    """A derived figure read back from the stored workings: its value, or why it has none."""

    value: Decimal | int | None
    formula: str
    inputs: dict = field(default_factory=dict)
    reason: str = ""
    qualifier: str = ""

    @property
    def available(self) -> bool:
        return self.value is not None
