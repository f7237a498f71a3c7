"""Every derived cost figure, and the rules that decide whether it can be derived at all.

A derived figure divides money by people (and by years) only when the money and the count cover
the same people and the same period. Curators say what each covers in the project's `costing:`
block (docs/FIXTURES.md); these functions apply the rules and return, for each figure, either a
value with its formula and inputs or no value with the reason. Nothing here reads the database:
`finish_load()` (web/loading) feeds it and stores the result, so the page, the API and the CSV
show the same figures and reasons.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import models

from core.derived import Derived

PENNY = Decimal("0.01")


class CostBand(models.TextChoices):
    """The EEF Teaching and Learning Toolkit's cost rating, per pupil per year."""

    VERY_LOW = "very_low", "£ Very low"
    LOW = "low", "££ Low"
    MODERATE = "moderate", "£££ Moderate"
    HIGH = "high", "££££ High"
    VERY_HIGH = "very_high", "£££££ Very high"


# Under £80 is very low; every other band runs up to and including its upper bound (GBP).
BAND_UPPER_BOUNDS = [
    (CostBand.VERY_LOW, Decimal("80")),
    (CostBand.LOW, Decimal("200")),
    (CostBand.MODERATE, Decimal("720")),
    (CostBand.HIGH, Decimal("1200")),
    (CostBand.VERY_HIGH, None),
]


class MoneyBasis(models.TextChoices):
    LINES = "lines", "The sum of the cost lines"
    STATED = "stated", "The total(s) the document states"


class CountedPer(models.TextChoices):
    PROJECT = "project", "Over the period the money covers"
    YEAR = "year", "In one year"


class CountUnit(models.TextChoices):
    SCHOOLS = "schools", "Schools"
    PUPILS = "pupils", "Pupils"


# How a qualified count ("about 3,500", "over 4,000") qualifies money divided by it.
QUOTIENT_QUALIFIER = {"about": "about", "over": "at most", "at_least": "at most", "up_to": "at least"}


@dataclass(frozen=True)
class Money:
    """The money the per-beneficiary figures divide, and whom and when it pays for."""

    basis: str = MoneyBasis.LINES
    periods: tuple[str, ...] = ()
    covers: str = "all the project's cost lines"
    cohorts: str = ""
    start_year: int | None = None
    end_year: int | None = None


@dataclass(frozen=True)
class Count:
    """A curated count of schools or pupils, with what it covers."""

    unit: str
    count: int
    per: str
    covers: str
    cohorts: str = ""
    start_year: int | None = None
    end_year: int | None = None
    qualifier: str = ""


@dataclass
class Figure:
    value: Decimal | int | str | None
    formula: str
    inputs: dict = field(default_factory=dict)
    reason: str = ""
    qualifier: str = ""

    def as_json(self) -> dict:
        data = asdict(self)
        data["value"] = self.value if self.value is None or isinstance(self.value, int) else str(self.value)
        data["inputs"] = {k: str(v) if isinstance(v, Decimal) else v for k, v in self.inputs.items()}
        return data


def cost_band_for(per_pupil_per_year: Decimal | None) -> str:
    if per_pupil_per_year is None:
        return ""
    for band, upper in BAND_UPPER_BOUNDS:
        if upper is None or (per_pupil_per_year < upper if band == CostBand.VERY_LOW else per_pupil_per_year <= upper):
            return band.value
    return ""


def years_of(start_year: int | None, end_year: int | None) -> int | None:
    """Academic years between two calendar years (2018 → 2021 is 3), at least 1."""
    if start_year is None or end_year is None:
        return None
    return max(end_year - start_year, 1)


def _divide(amount: Decimal, *divisors: int) -> Decimal:
    value = amount
    for divisor in divisors:
        value = value / Decimal(divisor)
    return value.quantize(PENNY, rounding=ROUND_HALF_UP)


def _same_people_and_period(money: Money, count: Count) -> bool:
    return (count.cohorts == money.cohorts and count.start_year == money.start_year
            and count.end_year == money.end_year)


def money_amount(money: Money, *, lines: Iterable[dict], stated: Iterable[dict]) -> tuple[Decimal | None, str, dict]:
    """The money figure: the lines' sum or the stated totals, limited to `money.periods`.

    Lines are dicts with amount and period_label; stated totals are the document's `total` rows
    with no narrower scope than a period. Returns (amount, formula, inputs).
    """
    def chosen(rows):
        return [r for r in rows if not money.periods or r["period_label"] in money.periods]

    rows = chosen(stated) if money.basis == MoneyBasis.STATED else chosen(lines)
    if not rows:
        return None, "", {}
    amount = sum((r["amount"] for r in rows), Decimal("0"))
    if money.basis == MoneyBasis.STATED:
        formula = " + ".join(f"stated total ({r['period_label'] or 'whole project'})" for r in rows)
        inputs = {f"stated total {r['period_label'] or ''}".strip(): r["amount"] for r in rows}
    else:
        periods = sorted({r["period_label"] for r in rows if r["period_label"]})
        formula = "sum of the cost lines" + (f" for {', '.join(periods)}" if money.periods else "")
        inputs = {"cost lines": len(rows)}
    return amount, formula, inputs


def funding_share(source: str, *, lines: list[dict], stated: list[dict], money: Money,
                  no_costs: str = "No costs are reported.") -> Figure:
    """OA funding (or match funding) within the money: from lines when every line says who paid,
    else the total the document states for that funder, else not derivable."""
    label = "OA funding" if source == "oa" else "match funding"
    in_scope = [line for line in lines if not money.periods or line["period_label"] in money.periods]
    named = [t for t in stated if t["scope"].get("funding_source") == source
             and (not money.periods or t["period_label"] in money.periods)]
    if named:
        amount = sum((t["amount"] for t in named), Decimal("0"))
        return Figure(amount, f"the {label} total the document states", {"stated": amount})
    if not in_scope:
        return Figure(None, "", reason=no_costs)
    if any(line["funding_source"] == "mixed" for line in in_scope):
        # `mixed` means the text does not say who paid for the line, not that it says the funding was mixed.
        return Figure(None, "", reason=f"The documents do not say who paid for some cost lines, and state no "
                                       f"{label} total, so the {label} cannot be separated.")
    paid = [line["amount"] for line in in_scope if line["funding_source"] == source]
    if not paid:
        return Figure(None, "", reason=f"The documents record no {label} for this project.")
    amount = sum(paid, Decimal("0"))
    return Figure(amount, f"sum of the cost lines marked as {label}", {"cost lines": len(paid)})


def per_beneficiary(total: Figure, money: Money, counts: list[Count], unit: str) -> Figure:
    """Money ÷ schools (or pupils) counted over the same people and period."""
    noun = "school" if unit == CountUnit.SCHOOLS else "pupil"
    if total.value is None:
        return Figure(None, "", reason=total.reason or "No costs are reported.")
    candidates = [c for c in counts if c.unit == unit and c.per == CountedPer.PROJECT]
    matching = [c for c in candidates if _same_people_and_period(money, c)]
    if matching:
        count = matching[0]
        return Figure(
            _divide(total.value, count.count), f"money ÷ {noun}s",
            {"money": total.value, "money covers": money.covers, f"{noun}s": count.count,
             f"{noun}s counted": count.covers},
            qualifier=QUOTIENT_QUALIFIER.get(count.qualifier, ""),
        )
    if candidates:
        count = candidates[0]
        return Figure(None, "", reason=f"Not derivable: the money covers {money.covers}; the {count.count:,} "
                                       f"{noun}s counted are {count.covers}.")
    yearly = [c for c in counts if c.unit == unit]
    if yearly:
        return Figure(None, "", reason=f"Not derivable: {noun}s are counted per year ({yearly[0].covers}), "
                                       f"not over the period the money covers.")
    return Figure(None, "", reason=f"Not derivable: the documents give no count of {noun}s for this money.")


def per_pupil_per_year(total: Figure, money: Money, counts: list[Count]) -> Figure:
    """Money ÷ years ÷ pupils in a year; or money ÷ pupils when the money covers one year."""
    if total.value is None:
        return Figure(None, "", reason=total.reason or "No costs are reported.")
    years = years_of(money.start_year, money.end_year)
    if years is None:
        return Figure(None, "", reason="Not derivable: the years the money covers are not stated.")
    pupils = [c for c in counts if c.unit == CountUnit.PUPILS]
    for count in pupils:
        in_period = (money.start_year <= (count.start_year or 0) and (count.end_year or 0) <= money.end_year)
        if count.cohorts != money.cohorts or not in_period:
            continue
        if count.per == CountedPer.YEAR:
            return Figure(
                _divide(total.value, years, count.count), "money ÷ years ÷ pupils in a year",
                {"money": total.value, "years": years, "pupils in a year": count.count, "pupils counted": count.covers},
                qualifier=QUOTIENT_QUALIFIER.get(count.qualifier, ""),
            )
        if years == 1 and _same_people_and_period(money, count):
            return Figure(
                _divide(total.value, count.count), "money ÷ pupils (the money covers one year)",
                {"money": total.value, "years": 1, "pupils": count.count, "pupils counted": count.covers},
                qualifier=QUOTIENT_QUALIFIER.get(count.qualifier, ""),
            )
    if pupils:
        count = pupils[0]
        return Figure(None, "", reason=f"Not derivable: the {count.count:,} pupils counted are {count.covers}; the "
                                       f"documents give no count of pupils in one year to divide the money by "
                                       f"after dividing it by years.")
    return Figure(None, "", reason="Not derivable: the documents give no count of pupils for this money.")


def no_total_reason(rates: list[dict]) -> str:
    """Why there is no money to derive from: no costs at all, or only amounts per beneficiary."""
    if not rates:
        return "No costs are reported."
    def money(amount: Decimal) -> str:
        return f"£{amount:,.0f}" if amount == amount.to_integral() else f"£{amount:,.2f}"

    stated = "; ".join(f"{r['label']}" + (f", {r['period_label']}" if r["period_label"] else "")
                       + f": {money(r['amount'])}" for r in rates)
    return (f"Not derivable: the documents state only an amount per beneficiary ({stated}), not the money "
            f"spent in total.")


def derive_cost_figures(*, money: Money | None, lines: list[dict], stated: list[dict],
                        counts: list[Count], project_years: tuple[int | None, int | None],
                        rates: list[dict] = ()) -> dict[str, Figure]:
    """All derived cost figures of one project. `lines` are its own and its sub-projects' cost
    lines; `stated` its stated `total` rows (with funding_source from their scope, if any); `rates`
    its stated per-school/per-pupil/per-beneficiary rows (label, amount, period_label), which are
    never multiplied up but name what the documents do say when there is no total."""
    if money is None:
        money = Money(start_year=project_years[0], end_year=project_years[1])
    whole = [t for t in stated if not set(t["scope"]) - {"period"}]
    amount, formula, inputs = money_amount(money, lines=lines, stated=whole)
    if amount is None:
        total = Figure(None, "", reason=no_total_reason(list(rates)))
    else:
        conflicting = [t for t in whole if t.get("discrepancy") and money.basis == MoneyBasis.LINES
                       and (not money.periods or t["period_label"] in money.periods)]
        if conflicting:
            total = Figure(None, "", reason="Not derivable: the document's own total for "
                                            f"{conflicting[0]['period_label']} does not equal its lines.")
        else:
            total = Figure(amount, formula, {**inputs, "covers": money.covers})
    years = years_of(money.start_year, money.end_year)
    figures = {
        "total_cost": total,
        "oa_cost": funding_share("oa", lines=lines, stated=stated, money=money, no_costs=no_total_reason(list(rates))),
        "match_funding": funding_share("match_funding", lines=lines, stated=stated, money=money,
                                       no_costs=no_total_reason(list(rates))),
        "duration_years": Figure(years, "end year − start year of the money (at least 1)",
                                 {"start_year": money.start_year, "end_year": money.end_year},
                                 reason="" if years else "The years the money covers are not stated."),
        "cost_per_school": per_beneficiary(total, money, counts, CountUnit.SCHOOLS),
        "cost_per_pupil": per_beneficiary(total, money, counts, CountUnit.PUPILS),
        "cost_per_pupil_per_year": per_pupil_per_year(total, money, counts),
    }
    per_year = figures["cost_per_pupil_per_year"]
    band = cost_band_for(per_year.value)
    figures["cost_band"] = Figure(
        band or None, "cost per pupil per year on the EEF Toolkit scale" if band else "",
        {"cost per pupil per year": per_year.value} if band else {},
        reason="" if band else per_year.reason, qualifier=per_year.qualifier,
    )
    return figures


def money_of(basis) -> Money:
    """A Money from a CostBasis row or its fixture dict."""
    get = basis.get if isinstance(basis, dict) else lambda name: getattr(basis, name)
    return Money(basis=get("basis"), periods=tuple(get("periods") or ()), covers=get("covers"),
                 cohorts=get("cohorts") or "", start_year=get("start_year"), end_year=get("end_year"))


def count_of(count) -> Count:
    """A Count from a CostCount row or its fixture dict."""
    get = count.get if isinstance(count, dict) else lambda name: getattr(count, name)
    return Count(unit=get("unit"), count=get("count"), per=get("per"), covers=get("covers"),
                 cohorts=get("cohorts") or "", start_year=get("start_year"), end_year=get("end_year"),
                 qualifier=get("qualifier") or "")


# --- stored workings, as pages, the API and CSV present them --------------------------------

COST_FIGURES = ["total_cost", "oa_cost", "match_funding", "duration_years", "cost_per_school", "cost_per_pupil",
                "cost_per_pupil_per_year"]


def _from_workings(data: dict | None) -> Derived:
    if not data:
        return Derived(None, "", reason="No costs are reported.")
    value = data.get("value")
    if isinstance(value, str):
        value = Decimal(value)
    return Derived(value, data.get("formula", ""), data.get("inputs") or {}, data.get("reason", ""),
                   data.get("qualifier", ""))


def project_cost_figures(*, project) -> dict[str, Derived]:
    """The derived cost figures of a project fetched with ProjectQuerySet.with_figures()."""
    return {name: project_figure(project=project, name=name) for name in COST_FIGURES}


def project_figure(*, project, name: str) -> Derived:
    """One derived cost figure of a project fetched with ProjectQuerySet.with_figures()."""
    return _from_workings((project.workings or {}).get(name))


def figure_note(*, project, name: str) -> str:
    """A derived figure's note as lists and exports show it: its qualifier ("about", "at most")
    when it has a value, else why it has none."""
    if name == "cost_band":
        band = project_cost_band(project=project)
        return band.get("qualifier", "") if band["available"] else band["reason"]
    figure = project_figure(project=project, name=name)
    return figure.qualifier if figure.available else figure.reason


def project_cost_band(*, project) -> dict:
    """The EEF cost band with its workings, or why none can be given."""
    band = (project.workings or {}).get("cost_band") or {}
    if project.cost_band:
        symbol, label = CostBand(project.cost_band).label.split(" ", 1)
        return {"slug": project.cost_band, "symbol": symbol, "label": label, "available": True,
                "qualifier": band.get("qualifier", ""), "reason": ""}
    return {"available": False, "reason": band.get("reason") or "No costs are reported."}
