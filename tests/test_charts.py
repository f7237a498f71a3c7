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
