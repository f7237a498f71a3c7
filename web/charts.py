"""Charts: plotly figures built on the server as plain figure data (validated against plotly's
schema by the tests), serialised with plotly's JSON encoder and drawn by static/js/charts.js with
the self-served partial plotly.js bundle.

Every chart comes with the table that is its text alternative, built from the same rows, so
the two cannot disagree. Nothing here queries the database: callers pass rows they fetched.
"""

from __future__ import annotations

import json
import math
import textwrap
from collections import OrderedDict
from decimal import Decimal

import plotly.io

from costs.models import CostCategory
from web.templatetags.evidence import gbp

PALETTE = ["#1d70b8", "#f47738", "#00703c", "#912b88", "#d4351c", "#5694ca", "#85994b", "#6f72af"]
# Margins grow to fit tick labels and titles (automargin on every axis), so nothing is clipped
# at any width; the legend sits above the plot, where it cannot meet the category labels.
BASE_LAYOUT = {
    "margin": {"l": 10, "r": 10, "t": 10, "b": 10},
    "font": {"family": "system-ui, sans-serif", "size": 13},
    "legend": {"orientation": "h", "x": 0, "xanchor": "left", "y": 1.02, "yanchor": "bottom"},
    "xaxis": {"automargin": True},
    "yaxis": {"automargin": True},
    "height": 360,
    "template": {},  # no default theme: the page's stylesheet sets the look
}
LABEL_WIDTH = 20  # characters per line of a category label


def _number(value) -> float | None:
    return None if value is None else float(value)


def _money_text(value) -> str:
    """Exact money, as the site's tables write it: pence kept where there are any."""
    return gbp(value) if value is not None else ""


def _short_money(value: float) -> str:
    if value >= 1_000_000:
        return f"£{value / 1_000_000:g}m"
    if value >= 1_000:
        return f"£{value / 1_000:g}k"
    return f"£{value:g}"


def money_axis(largest) -> dict:
    """An axis of money from £0 with about four round ticks written short (£250k, £1.5m), which
    fit a phone; the hover text and the table keep the exact figures."""
    largest = float(largest or 0)
    if largest <= 0:
        return {"tickprefix": "£"}
    rough = largest / 4
    magnitude = 10 ** math.floor(math.log10(rough))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= rough)
    ticks = [round(step * i, 6) for i in range(math.floor(largest / step) + 2)]
    return {"tickvals": ticks, "ticktext": [_short_money(tick) for tick in ticks]}


def wrapped(label: str, width: int = LABEL_WIDTH) -> str:
    """A long category label on lines of about `width` characters (plotly breaks lines only at <br>)."""
    return "<br>".join(textwrap.wrap(str(label), width)) or str(label)


def category_axis(labels, width: int = LABEL_WIDTH) -> dict:
    """A category axis whose tick labels wrap; the data (and so the hover text and CSV) keep each label whole."""
    labels = list(dict.fromkeys(labels))
    return {"tickvals": labels, "ticktext": [wrapped(label, width) for label in labels]}


def _merged(base: dict, extra: dict) -> dict:
    """Layout `extra` over `base`, one level deep, so an axis keeps automargin when a chart sets its ticks."""
    merged = dict(base)
    for key, value in extra.items():
        merged[key] = {**base[key], **value} if isinstance(value, dict) and isinstance(base.get(key), dict) else value
    return merged


# Traces are plain plotly figure dicts, serialised by plotly without building its graph objects:
# their validators would cost each worker about 16 MB. tests/test_charts.py validates every chart
# the site draws against plotly's schema instead.
def bar(**properties) -> dict:
    return {"type": "bar", **properties}


def scatter(**properties) -> dict:
    return {"type": "scatter", **properties}


def chart(chart_id: str, title: str, traces: list, layout: dict, columns: list[str], rows: list[list]) -> dict:
    """A chart for includes/chart.html: the plotly figure as JSON-ready data, and its table."""
    figure = {"data": traces, "layout": _merged(BASE_LAYOUT, layout)}
    return {
        "id": chart_id,
        "title": title,
        "figure": json.loads(plotly.io.to_json(figure, validate=False)),
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
        data.append(bar(
            name=labels.get(category, category), x=periods, y=values,
            customdata=[_money_text(by_period.get(p)) for p in periods],
            marker={"color": PALETTE[index % len(PALETTE)]},
            hovertemplate="%{x}<br>" + labels.get(category, category) + ": %{customdata}<extra></extra>",
        ))
    rows = [
        [p] + [_money_text(by_period.get(p)) for by_period in totals.values()] for p in periods
    ]
    columns = ["Period"] + [labels.get(c, c) for c in totals]
    largest = max(sum(by_period.get(p, 0) for by_period in totals.values()) for p in periods)
    return chart("costs-chart", "Costs by period and category", data,
                 {"barmode": "stack", "xaxis": category_axis(periods), "yaxis": money_axis(largest)}, columns, rows)


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
        bar(name="Baseline", x=labels, y=[_number(m.baseline_value) for m in drawn],
         marker={"color": "#b1b4b6"}, hovertemplate="%{x}<br>Baseline: %{y}%<extra></extra>"),
        bar(name="Follow-up", x=labels, y=[_number(m.followup_value) for m in drawn],
         marker={"color": "#1d70b8"}, hovertemplate="%{x}<br>Follow-up: %{y}%<extra></extra>"),
    ]
    if any(m.comparator_followup_value is not None for m in drawn):
        data.append(scatter(
            mode="markers", name="Comparator at follow-up", x=labels,
            y=[_number(m.comparator_followup_value) for m in drawn],
            marker={"color": "#d4351c", "size": 11, "symbol": "diamond"},
            hovertemplate="%{x}<br>Comparator: %{y}%<extra></extra>",
        ))
    rows = [
        [label, f"{m.baseline_value.normalize():f}%", f"{m.followup_value.normalize():f}%",
         f"{m.comparator_followup_value.normalize():f}%" if m.comparator_followup_value is not None else "—"]
        for label, m in zip(labels, drawn, strict=True)
    ]
    return chart(chart_id, "Outcomes in percent: baseline, follow-up and comparator", data,
                 {"barmode": "group", "xaxis": category_axis(labels), "yaxis": {"ticksuffix": "%"}, "height": 420},
                 ["Measure", "Baseline", "Follow-up", "Comparator at follow-up"], rows)


# --- charts drawn from the analysis DataFrames (compare and explore pages) ------------------


def _frame_table(frame, columns: dict[str, str], money: tuple = ()) -> tuple[list[str], list[list]]:
    """A DataFrame as a chart's table alternative: chosen columns, money formatted."""
    rows = []
    for record in frame.to_dict("records"):
        row = []
        for name in columns:
            value = record[name]
            row.append(_money_text(value) if name in money and value == value and value is not None else
                       ("—" if value is None or value != value else value))
        rows.append(row)
    return list(columns.values()), rows


def stacked_costs(frame, label_column: str, chart_id: str, title: str) -> dict | None:
    """Cost components: one stacked bar per project or area, one colour per category."""
    if frame.empty:
        return None
    labels = list(dict.fromkeys(frame[label_column]))
    data = []
    for index, (category, part) in enumerate(frame.groupby("category", sort=False)):
        amounts = dict(zip(part[label_column], part["amount"], strict=True))
        data.append(bar(name=category, x=labels, y=[amounts.get(x) for x in labels],
                     customdata=[_money_text(amounts.get(x)) for x in labels],
                     marker={"color": PALETTE[index % len(PALETTE)]},
                     hovertemplate="%{x}<br>" + category + ": %{customdata}<extra></extra>"))
    columns, rows = _frame_table(frame, {label_column: label_column.title(), "category": "Category",
                                         "amount": "Amount"}, money=("amount",))
    largest = frame.groupby(label_column)["amount"].sum().max()
    return chart(chart_id, title, data, {"barmode": "stack", "xaxis": category_axis(labels),
                                         "yaxis": money_axis(largest)}, columns, rows)


def cost_per_pupil_bars(frame, chart_id: str = "cost-per-pupil-chart") -> dict | None:
    drawn = frame.dropna(subset=["cost_per_pupil"])
    if drawn.empty:
        return None
    data = [bar(x=list(drawn["project"]), y=list(drawn["cost_per_pupil"]),
             marker={"color": "#1d70b8"}, hovertemplate="%{x}<br>£%{y:,.2f} per pupil<extra></extra>")]
    columns, rows = _frame_table(frame, {"project": "Project", "cost_per_pupil": "Cost per pupil",
                                         "cost_per_pupil_per_year": "Per pupil per year"},
                                 money=("cost_per_pupil", "cost_per_pupil_per_year"))
    return chart(chart_id, "Cost per pupil (derived)", data,
                 {"xaxis": category_axis(drawn["project"]), "yaxis": money_axis(drawn["cost_per_pupil"].max())},
                 columns, rows)


def outcome_change_against_comparator(frame, chart_id: str = "outcome-change-chart") -> dict | None:
    """Change in points against the comparator's change, for comparable percentage measures only."""
    drawn = frame[(frame["comparable"]) & (frame["unit"] == "percent")].dropna(subset=["change"])
    if drawn.empty:
        return None
    labels = [f"{r.project}: {r.metric} ({r.baseline_year}→{r.followup_year})" for r in drawn.itertuples()]
    data = [
        bar(name="Change (points)", x=labels, y=list(drawn["change"]),
         marker={"color": "#1d70b8"}),
        bar(name="Comparator change (points)", x=labels,
         y=[None if v != v else v for v in drawn["comparator_change"]], marker={"color": "#b1b4b6"}),
    ]
    columns, rows = _frame_table(drawn, {"project": "Project", "metric": "Measure", "baseline_year": "From",
                                         "followup_year": "To", "change": "Change (pp)",
                                         "comparator_change": "Comparator change (pp)"})
    return chart(chart_id, "Outcome change against comparator (percentage points)", data,
                 {"barmode": "group", "xaxis": category_axis(labels), "yaxis": {"ticksuffix": " pp"}, "height": 440},
                 columns, rows)


def bar_from_frame(frame, label: str, value: str, chart_id: str, title: str, money: bool = True,
                   extra_columns: dict | None = None, label_header: str = "") -> dict | None:
    """Horizontal bars of `value` by `label` (spend by area, theme or phase; projects by phase)."""
    if frame.empty:
        return None
    data = [bar(orientation="h", x=list(frame[value]), y=list(frame[label]), marker={"color": "#1d70b8"},
             customdata=[_money_text(amount) if money else amount for amount in frame[value]],
             hovertemplate="%{y}: %{customdata}<extra></extra>")]
    columns, rows = _frame_table(frame, {label: label_header or label.title(), value: title.split(" by ")[0],
                                         **(extra_columns or {})}, money=(value,) if money else ())
    names = category_axis(frame[label])
    lines = max(text.count("<br>") + 1 for text in names["ticktext"])
    layout = {"yaxis": {**names, "autorange": "reversed"}, "height": max(220, (16 * lines + 16) * len(frame) + 60)}
    if money:
        layout["xaxis"] = money_axis(frame[value].max())
    return chart(chart_id, title, data, layout, columns, rows)


def change_by_cost_band(frame, search_links: list[str] | None = None,
                        chart_id: str = "cost-change-chart") -> dict | None:
    """Average outcome change for each cost-per-pupil band, the whiskers spanning the lowest to the
    highest change; a click on a band opens the search page for its projects."""
    if frame.empty:
        return None
    averages = list(frame["average_change"])
    data = [bar(
        x=list(frame["cost_per_pupil"]), y=averages, customdata=search_links,
        text=[f"{m} measure{'s' if m != 1 else ''} of {p} project{'s' if p != 1 else ''}"
              for m, p in zip(frame["measures"], frame["projects"], strict=True)],
        error_y={"type": "data", "symmetric": False, "color": "#505a5f",
                 "array": [high - mean for high, mean in zip(frame["highest_change"], averages, strict=True)],
                 "arrayminus": [mean - low for low, mean in zip(frame["lowest_change"], averages, strict=True)]},
        marker={"color": "#1d70b8"}, textposition="none",
        hovertemplate="%{x}: average %{y:+} pp<br>%{text}<extra></extra>")]
    columns, rows = _frame_table(frame, {"cost_per_pupil": "Cost per pupil", "projects": "Projects",
                                         "measures": "Measures", "average_change": "Average change (pp)",
                                         "lowest_change": "Lowest (pp)", "highest_change": "Highest (pp)"})
    spec = chart(chart_id, "Outcome change by cost per pupil (percentage measures)", data,
                 {"xaxis": {"title": {"text": "Cost per pupil"}, "type": "category"},
                  "yaxis": {"title": {"text": "Change (percentage points)"}, "ticksuffix": " pp"}},
                 columns, rows)
    spec["note"] = ("Only projects that report both their costs and the pupils they reached have a cost per pupil, "
                    "and only measures in percent share this axis; the rest are left out. Bars are averages, "
                    "whiskers the lowest and highest change; click a bar for its projects.")
    return spec


def running_by_year(frame, chart_id: str = "timeline-chart", shown: int = len(PALETTE)) -> dict | None:
    """Projects running in each year, stacked by area: the `shown` areas with the most project-years
    each have a colour, the others share one bar segment ("and N other areas")."""
    if frame.empty:
        return None
    years = list(range(int(frame["year"].min()), int(frame["year"].max()) + 1))
    by_area = frame.pivot_table(index="area", columns="year", values="projects", aggfunc="sum", fill_value=0)
    by_area = by_area.reindex(columns=years, fill_value=0)
    ranked = by_area.sum(axis=1).sort_values(ascending=False, kind="stable").index.tolist()
    first, rest = ranked[:shown], ranked[shown:]
    stacks = [(area, by_area.loc[area], PALETTE[index]) for index, area in enumerate(first)]
    if rest:
        stacks.append((f"{len(rest)} other area{'s' if len(rest) != 1 else ''}", by_area.loc[rest].sum(), "#b1b4b6"))
    data = [bar(name=name, x=years, y=[int(row[year]) for year in years], marker={"color": colour},
                   hovertemplate="%{x}: %{y} projects<extra>" + name + "</extra>")
            for name, row, colour in stacks]
    columns = ["Area", *[str(year) for year in years]]
    rows = [[area, *[int(by_area.loc[area, year]) for year in years]] for area in sorted(by_area.index)]
    spec = chart(chart_id, "Projects running each year, by area", data,
                 {"barmode": "stack", "xaxis": {"dtick": 1}, "yaxis": {"title": {"text": "Projects running"}}},
                 columns, rows)
    unknown = int(frame["end_year_unknown"].sum()) if "end_year_unknown" in frame else 0
    spec["note"] = ("A project without an end year of its own runs to the last year its costed money covers."
                    + (f" {unknown} project{'s' if unknown != 1 else ''} with neither (end year unknown) "
                       f"{'are' if unknown != 1 else 'is'} counted in the start year only." if unknown else ""))
    return spec
