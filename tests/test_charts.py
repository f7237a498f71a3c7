"""Charts are plotly figures: properties are validated when built, and serialised by plotly."""

from decimal import Decimal

import plotly.graph_objects as go
import pytest

from web.charts import chart, costs_by_period_and_category


def test_a_chart_with_an_invalid_property_is_refused():
    with pytest.raises(ValueError):
        chart("bad", "Bad", [go.Bar(x=["a"], y=[1])], {"barmode": "sideways"}, ["x"], [["a"]])


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


def test_the_timeline_counts_every_calendar_year_a_project_touches():
    import pandas as pd

    from web.charts import timeline

    frame = pd.DataFrame([{"area": "A", "project": "One year", "slug": "a", "start_year": 2018, "end_year": 2018},
                          {"area": "A", "project": "Three years", "slug": "b", "start_year": 2019, "end_year": 2021}])
    bar = timeline(frame)["figure"]["data"][0]
    assert bar["base"] == [2018, 2019] and bar["x"] == [1, 3]
