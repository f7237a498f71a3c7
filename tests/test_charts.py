"""Charts are plotly figure data, serialised by plotly; every chart the site draws is valid
against plotly's own schema (checked here, so workers need not load plotly's validators)."""

import html
import json
import re
from decimal import Decimal

import plotly.graph_objects as go
import pytest

from projects.models import Area, Phase, Project, Theme
from web.charts import bar, chart, costs_by_period_and_category, money_axis, wrapped

FIGURE = re.compile(r'<script id="([^"]+)" type="application/json">(.*?)</script>', re.S)


def validate(figure: dict) -> None:
    """Raises ValueError on any property plotly does not know or any value it refuses."""
    go.Figure(figure)


def charts_on(client, url: str) -> list[dict]:
    page = client.get(url).content.decode()
    chart_ids = set(re.findall(r'data-chart="([^"]+)"', page))
    return [json.loads(html.unescape(text)) for script_id, text in FIGURE.findall(page) if script_id in chart_ids]


def test_an_invalid_property_fails_validation():
    spec = chart("bad", "Bad", [bar(x=["a"], y=[1])], {"barmode": "sideways"}, ["x"], [["a"]])
    with pytest.raises(ValueError):
        validate(spec["figure"])
    with pytest.raises(ValueError):
        validate(chart("bad", "Bad", [bar(x=["a"], y=[1], colour="red")], {}, ["x"], [["a"]])["figure"])


@pytest.mark.django_db
def test_every_chart_the_site_draws_is_valid_plotly(client):
    slugs = list(Project.objects.values_list("slug", flat=True))
    urls = [f"/projects/{slug}/" for slug in slugs]
    urls += [f"/areas/{slug}/" for slug in Area.objects.values_list("slug", flat=True)]
    urls += [f"/themes/{slug}/" for slug in Theme.objects.values_list("slug", flat=True)]
    urls += [f"/phases/{slug}/" for slug in Phase.objects.values_list("slug", flat=True)]
    urls += ["/explore/", f"/compare/?projects={','.join(slugs[:4])}", "/compare/?areas=derby,stoke-on-trent,bradford"]
    drawn = 0
    for url in urls:
        for figure in charts_on(client, url):
            validate(figure)
            drawn += 1
    assert drawn >= 60


def test_cost_chart_stacks_one_trace_per_category_and_keeps_its_table():
    class Line:
        def __init__(self, period, category, amount):
            self.period_label, self.category, self.amount = period, category, Decimal(amount)

    spec = costs_by_period_and_category([Line("2020/21", "staffing", "100"), Line("2020/21", "training", "50"),
                                         Line("2021/22", "staffing", "70")])
    traces = spec["figure"]["data"]
    assert [trace["name"] for trace in traces] == ["Staffing", "Training"]
    assert traces[0]["y"] == [100.0, 70.0] and traces[1]["y"] == [50.0, None]
    assert spec["figure"]["layout"]["barmode"] == "stack"
    assert spec["table"]["rows"] == [["2020/21", "£100", "£50"], ["2021/22", "£70", ""]]


def test_projects_running_by_year_stack_the_busiest_areas_and_group_the_rest():
    import pandas as pd

    from web.charts import running_by_year

    frame = pd.DataFrame([{"area": "A", "slug": "a", "year": 2018, "projects": 3},
                          {"area": "A", "slug": "a", "year": 2020, "projects": 1},
                          {"area": "B", "slug": "b", "year": 2019, "projects": 2},
                          {"area": "C", "slug": "c", "year": 2020, "projects": 1}])
    spec = running_by_year(frame, shown=2)
    bars = spec["figure"]["data"]
    assert [bar["name"] for bar in bars] == ["A", "B", "1 other area"]
    assert [bar["x"] for bar in bars] == [[2018, 2019, 2020]] * 3  # the year with no A project is 0, not left out
    assert [bar["y"] for bar in bars] == [[3, 0, 1], [0, 2, 0], [0, 0, 1]]
    assert spec["table"]["columns"] == ["Area", "2018", "2019", "2020"]
    assert spec["table"]["rows"] == [["A", 3, 0, 1], ["B", 0, 2, 0], ["C", 0, 0, 1]]  # every area in the table


def test_money_axes_have_a_few_round_ticks_written_short():
    axis = money_axis(1_575_000)
    assert axis["tickvals"] == [0, 500_000, 1_000_000, 1_500_000, 2_000_000]
    assert axis["ticktext"] == ["£0", "£500k", "£1m", "£1.5m", "£2m"]
    assert money_axis(430_000)["ticktext"] == ["£0", "£200k", "£400k", "£600k"]
    assert money_axis(187.79)["ticktext"] == ["£0", "£50", "£100", "£150", "£200"]


def test_hover_text_and_table_keep_the_pence_the_axis_leaves_out():
    class Line:
        period_label, category, amount = "2018-2020", "grants", Decimal("941532.16")

    spec = costs_by_period_and_category([Line()])
    trace = spec["figure"]["data"][0]
    assert trace["customdata"] == ["£941,532.16"] and "%{customdata}" in trace["hovertemplate"]
    assert spec["table"]["rows"] == [["2018-2020", "£941,532.16"]]
    assert spec["figure"]["layout"]["yaxis"]["ticktext"][-1] == "£1m"


def test_long_category_labels_wrap_onto_lines_instead_of_running_off_the_chart():
    label = "Year 7 maths target group meeting age-related expectations (one secondary school)"
    lines = wrapped(label).split("<br>")
    assert "".join(lines).replace(" ", "") == label.replace(" ", "") and max(map(len, lines)) <= 20
    assert wrapped("KS2") == "KS2"
