"""Chart specifications: plotly figure data built on the server, drawn by static/js/charts.js.

Every chart comes with the table that is its text alternative, built from the same rows, so
the two cannot disagree. Nothing here queries the database: callers pass rows they fetched.
"""

from __future__ import annotations

from collections import OrderedDict
from decimal import Decimal

from costs.models import CostCategory

PALETTE = ["#1d70b8", "#f47738", "#00703c", "#912b88", "#d4351c", "#5694ca", "#85994b", "#6f72af"]
BASE_LAYOUT = {
    "margin": {"l": 70, "r": 20, "t": 20, "b": 80},
    "font": {"family": "system-ui, sans-serif", "size": 13},
    "legend": {"orientation": "h", "y": -0.25},
    "height": 360,
}


def _number(value) -> float | None:
    return None if value is None else float(value)


def _money_text(value) -> str:
    return f"£{Decimal(value):,.0f}" if value is not None else ""


def chart(chart_id: str, title: str, data: list, layout: dict, columns: list[str], rows: list[list]) -> dict:
    return {
        "id": chart_id,
        "title": title,
        "figure": {"data": data, "layout": {**BASE_LAYOUT, **layout}},
        "table": {"columns": columns, "rows": rows},
    }


def costs_by_period_and_category(cost_lines) -> dict | None:
    """Stacked bars: each period as written, one trace per category."""
    lines = list(cost_lines)
    if not lines:
        return None
    periods = list(OrderedDict.fromkeys(line.period_label or "Period not stated" for line in lines))
    labels = dict(CostCategory.choices)
    totals: dict[str, dict[str, Decimal]] = OrderedDict()
    for line in lines:
        period = line.period_label or "Period not stated"
        by_period = totals.setdefault(line.category, {})
        by_period[period] = by_period.get(period, Decimal("0")) + line.amount
    data = []
    for index, (category, by_period) in enumerate(totals.items()):
        values = [_number(by_period.get(p)) for p in periods]
        data.append({
            "type": "bar", "name": labels.get(category, category), "x": periods, "y": values,
            "marker": {"color": PALETTE[index % len(PALETTE)]},
            "hovertemplate": "%{x}<br>" + labels.get(category, category) + ": £%{y:,.0f}<extra></extra>",
        })
    rows = [
        [p] + [_money_text(by_period.get(p)) for by_period in totals.values()] for p in periods
    ]
    columns = ["Period"] + [labels.get(c, c) for c in totals]
    return chart("costs-chart", "Costs by period and category", data,
                 {"barmode": "stack", "yaxis": {"title": {"text": "£"}, "tickprefix": "£", "tickformat": ",.0f"}},
                 columns, rows)


def outcome_change_chart(measures, chart_id: str = "outcomes-chart") -> dict | None:
    """Baseline and follow-up of percentage measures, with the comparator where there is one.

    Only measures in percent are drawn together; other units stay in the table beside it.
    """
    drawn = [m for m in measures if m.unit == "percent" and m.baseline_value is not None
             and m.followup_value is not None]
    if not drawn:
        return None
    labels = [f"{m.metric} ({m.baseline_year}→{m.followup_year})" for m in drawn]
    data = [
        {"type": "bar", "name": "Baseline", "x": labels, "y": [_number(m.baseline_value) for m in drawn],
         "marker": {"color": "#b1b4b6"}, "hovertemplate": "%{x}<br>Baseline: %{y}%<extra></extra>"},
        {"type": "bar", "name": "Follow-up", "x": labels, "y": [_number(m.followup_value) for m in drawn],
         "marker": {"color": "#1d70b8"}, "hovertemplate": "%{x}<br>Follow-up: %{y}%<extra></extra>"},
    ]
    if any(m.comparator_followup_value is not None for m in drawn):
        data.append({
            "type": "scatter", "mode": "markers", "name": "Comparator at follow-up", "x": labels,
            "y": [_number(m.comparator_followup_value) for m in drawn],
            "marker": {"color": "#d4351c", "size": 11, "symbol": "diamond"},
            "hovertemplate": "%{x}<br>Comparator: %{y}%<extra></extra>",
        })
    rows = [
        [label, f"{m.baseline_value.normalize():f}%", f"{m.followup_value.normalize():f}%",
         f"{m.comparator_followup_value.normalize():f}%" if m.comparator_followup_value is not None else "—"]
        for label, m in zip(labels, drawn, strict=True)
    ]
    return chart(chart_id, "Outcomes in percent: baseline, follow-up and comparator", data,
                 {"barmode": "group", "yaxis": {"title": {"text": "%"}, "ticksuffix": "%"},
                  "xaxis": {"automargin": True}, "height": 420},
                 ["Measure", "Baseline", "Follow-up", "Comparator at follow-up"], rows)


def spend_chart(rows: list[dict], chart_id: str, title: str, dimension_label: str) -> dict | None:
    """Horizontal bars of spend by a dimension (theme, phase or area)."""
    if not rows:
        return None
    names = [row["name"] for row in rows]
    data = [{
        "type": "bar", "orientation": "h", "x": [_number(row["total"]) for row in rows], "y": names,
        "marker": {"color": "#1d70b8"}, "hovertemplate": "%{y}: £%{x:,.0f}<extra></extra>",
    }]
    table_rows = [[row["name"], _money_text(row["total"]), row["projects"]] for row in rows]
    return chart(chart_id, title, data,
                 {"xaxis": {"tickprefix": "£", "tickformat": ",.0f"},
                  "yaxis": {"automargin": True, "autorange": "reversed"},
                  "height": max(220, 40 * len(rows) + 80), "margin": {"l": 160, "r": 20, "t": 10, "b": 40}},
                 [dimension_label, "Recorded spend", "Projects"], table_rows)
