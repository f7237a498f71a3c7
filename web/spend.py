"""Recorded spend of any set of projects: the one place money is summed across projects.

Each project's money is counted once, as its own page shows it (the stored total cost, which
for a parent already includes its sub-projects). Pages, charts, compare, explore and their CSV
files all call these, so the same thing has the same number everywhere.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import F, Q, QuerySet

from costs.models import CostCategory, CostLine
from projects.models import Project

SPEND_DIMENSIONS = {"theme": "themes", "phase": "phases", "area": "area"}


@dataclass(frozen=True)
class Spend:
    """Recorded spend of a set of projects, as every page, chart and CSV counts it."""

    total: Decimal  # each project's money once (see _countable)
    projects: int  # projects in the set
    costed: int  # of which have a cost (sub-projects included)
    counted: int  # the money figures summed into `total`
    oa_total: Decimal  # OA funding among the counted money, where it is known
    oa_known: int  # of the counted money figures, how many have a known OA share

    @property
    def uncosted(self) -> int:
        return self.projects - self.costed


def _countable(rows: list[dict]) -> list[dict]:
    """Each project's money once: a sub-project is left out when its parent is in the same set,
    because the parent's figure already includes it."""
    present = {row["pk"] for row in rows}
    return [row for row in rows if row["parent_id"] not in present]


def _spend(rows: list[dict]) -> Spend:
    counted = [row for row in _countable(rows) if row["total_cost"] is not None]
    with_oa = [row for row in counted if row["oa_cost"] is not None]
    return Spend(
        total=sum((row["total_cost"] for row in counted), Decimal("0")), projects=len(rows),
        costed=sum(row["total_cost"] is not None for row in rows), counted=len(counted),
        oa_total=sum((row["oa_cost"] for row in with_oa), Decimal("0")), oa_known=len(with_oa),
    )


def _spend_rows(projects: QuerySet, *extra: str) -> list[dict]:
    return list(projects.order_by().values("pk", "parent_id", *extra, total_cost=F("stored_figures__total_cost"),
                                           oa_cost=F("stored_figures__oa_cost")))


def spend_total(*, projects: QuerySet) -> Spend:
    """The recorded spend of the given projects, each project's money counted once (1 query)."""
    return _spend(_spend_rows(projects))


def spend_by(*, projects: QuerySet, dimension: str) -> list[dict]:
    """Recorded spend of the given projects by theme, phase or area, largest first (1 query).

    Each group counts the money of its projects once (as `_countable` does for one set): a
    sub-project's money is left out when its parent is in the same group. A project with two
    themes counts under both, so theme and phase totals overlap: the pages label them
    "counted under each theme". Area totals never overlap and add up to `spend_total`.

    The query lists one row per project and group and the sums are made here: written as one
    aggregate, the "left out beside its parent" condition repeats in every sum, and PostgreSQL
    spent about 100 ms planning it for 3 ms of work."""
    ids = projects.order_by().values("pk")
    if dimension == "area":
        members, project = Project.objects.filter(pk__in=ids), ""
    else:
        members, project = getattr(Project, SPEND_DIMENSIONS[dimension]).through.objects.filter(
            project__in=ids), "project__"
    rows = members.order_by().values(
        group_slug=F(f"{dimension}__slug"), group_name=F(f"{dimension}__name"), member=F(f"{project}pk"),
        member_parent=F(f"{project}parent_id"), total_cost=F(f"{project}stored_figures__total_cost"),
        oa_cost=F(f"{project}stored_figures__oa_cost"))
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for row in rows:
        member = {**row, "pk": row["member"], "parent_id": row["member_parent"]}
        groups[(row["group_slug"], row["group_name"])].append(member)
    found = []
    for (slug, name), members_of_group in groups.items():
        money = _spend(members_of_group)
        if money.counted:
            found.append({"slug": slug, "name": name, "total": money.total, "projects": money.costed,
                          "counted": money.counted, "uncosted": money.uncosted, "oa_total": money.oa_total,
                          "oa_known": money.oa_known})
    return sorted(found, key=lambda group: (-group["total"], group["name"]))


def lines_by_category(*, owners: list, by: str) -> list[dict]:
    """Every cost line the documents list, summed by category for each of the given projects (its
    own and its sub-projects' lines) or areas, and split by whether it lies in the recorded spend
    (1 query). A line lies in it when the project whose money counts it (the line's own project,
    or its parent's, whose figure includes its sub-projects) has a recorded total and the line is
    for a period that money covers (`CostBasis.periods`; none named: every period). The rest (a
    later planned phase, lines whose total the document contradicts) is listed apart, never
    added to the recorded spend."""
    ids = {owner.pk for owner in owners}
    if by == "area":
        lines = CostLine.objects.filter(project__area__in=ids)
    else:
        lines = CostLine.objects.filter(Q(project__in=ids) | Q(project__parent__in=ids))
    sums: dict[tuple, Decimal] = defaultdict(Decimal)
    periods: dict[tuple, set] = defaultdict(set)
    for row in lines.values("project_id", "project__parent_id", "project__area_id", "project__parent__area_id",
                            "category", "amount", "period_label",
                            own_total=F("project__stored_figures__total_cost"),
                            own_periods=F("project__cost_basis__periods"),
                            parent_total=F("project__parent__stored_figures__total_cost"),
                            parent_periods=F("project__parent__cost_basis__periods")):
        if by == "area":
            # The parent's money includes this line when the parent is in the same area.
            by_parent = row["project__parent_id"] is not None and row["project__parent__area_id"] == row[
                "project__area_id"]
            keys = [(row["project__area_id"], by_parent)]
        else:
            keys = [(row["project_id"], False), (row["project__parent_id"], True)]
        for key, by_parent in keys:
            if key not in ids:
                continue
            total, covered = ((row["parent_total"], row["parent_periods"]) if by_parent
                              else (row["own_total"], row["own_periods"]))
            in_spend = total is not None and (not covered or row["period_label"] in covered)
            sums[(key, row["category"], in_spend)] += row["amount"]
            periods[(key, row["category"], in_spend)].add(row["period_label"])
    labels = dict(CostCategory.choices)
    return [{"owner": owner, "category": labels.get(category, category), "amount": amount, "in_spend": in_spend,
             "periods": sorted(p for p in periods[(owner, category, in_spend)] if p)}
            for (owner, category, in_spend), amount in sums.items()]
