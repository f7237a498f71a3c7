"""Changes the documents report without the values either side of them ("decreased by 8.5 points",
"an 18% increase") are stored and shown as changes, in their own unit, never as a baseline."""

import csv
import io
import re
import shutil
from decimal import Decimal

import pytest
from django.conf import settings

from web.loading import FixtureError, load_evidence

pytestmark = pytest.mark.django_db

# (project, metric starts with, signed change, words, comparator's change in words)
REPORTED = [
    ("stoke-semh-further-education", "Decrease in the average level of psychological distress",
     Decimal("-8.5"), "decreased by 8.5 points", ""),
    ("stoke-ks4-science", "Increase in progression to science-based subjects",
     Decimal("18"), "increased by 18%", ""),
    ("derby-ks2-reading-writing", "Change in pupils achieving the expected standard in writing",
     Decimal("3"), "increased by 3 percentage points", ""),
    ("bradford-school-to-school-support", "Reduction in exclusions over 1 year",
     Decimal("-90"), "decreased by 90%", ""),
    ("hampshire-hias-ks2-school-improvement", "Average improvement made by schools below the floor",
     Decimal("20"), "increased by 20%", "increased by 5%"),
]
SIGNED = {"stoke-semh-further-education": "−8.5 points", "stoke-ks4-science": "+18%",
          "derby-ks2-reading-writing": "+3 percentage points", "bradford-school-to-school-support": "−90%",
          "hampshire-hias-ks2-school-improvement": "+20%"}


def _row(html: str, metric: str) -> list[str]:
    """The cells of the outcome table row whose measure starts with `metric`, as text."""
    for row in re.findall(r"<tr>(.*?)</tr>", html, flags=re.S):
        cells = [re.sub(r"<[^>]+>", "", cell).strip()
                 for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, flags=re.S)]
        if cells and cells[0].startswith(metric):
            return cells
    raise AssertionError(f"no row for {metric!r}")


@pytest.mark.parametrize("slug, metric, signed, words, comparator", REPORTED)
def test_reported_change_shows_as_a_change_on_the_project_page(client, slug, metric, signed, words, comparator):
    html = client.get(f"/projects/{slug}/").content.decode()
    cells = _row(html, metric)
    # Measure, Group, Baseline, Follow-up, Change, Comparator, Evidence, Source
    assert cells[2] == "—" and cells[3] == "—", cells  # no baseline, no follow-up
    assert cells[4].startswith(f"Change: {words}"), cells
    assert f"as reported: {SIGNED[slug]}" in cells[4]
    assert " pp" not in cells[4]
    if comparator:
        assert cells[5].endswith(comparator)


@pytest.mark.parametrize("slug, metric, signed, words, comparator", REPORTED)
def test_reported_change_is_a_change_in_the_api_and_csv(client, slug, metric, signed, words, comparator):
    document = client.get(f"/api/v1/projects/{slug}/", HTTP_ACCEPT="application/json").json()
    [measure] = [m for m in document["outcomes"] if m["metric"].startswith(metric)]
    assert measure["baseline_value"] is None and measure["followup_value"] is None
    assert measure["change"] is None  # nothing to derive
    assert Decimal(str(measure["reported_change"])) == signed
    assert measure["reported_change_text"] == words
    assert measure["reported_change_unit"] in {"percent", "percentage_points", "points"}
    if comparator:
        assert Decimal(str(measure["comparator_reported_change"])) == Decimal("5")
    rows = list(csv.DictReader(io.StringIO(client.get(f"/api/v1/outcomes/?project={slug}&format=csv")
                                           .content.decode())))
    [row] = [r for r in rows if r["metric"].startswith(metric)]
    assert row["baseline_value"] == "" and Decimal(row["reported_change"]) == signed
    assert row["reported_change_text"] == words


def test_a_percent_change_is_not_percentage_points():
    from outcomes.models import OutcomeMeasure
    from web.templatetags.evidence import signed_change

    ks4 = OutcomeMeasure.objects.get(project__slug="stoke-ks4-science", reported_change_value__isnull=False)
    derby = OutcomeMeasure.objects.get(project__slug="derby-ks2-reading-writing", reported_change_value__isnull=False)
    assert (ks4.reported_change_unit, signed_change(ks4)) == ("percent", "+18%")
    assert (derby.reported_change_unit, signed_change(derby)) == ("percentage_points", "+3 percentage points")


def fixture_copy(tmp_path):
    root = tmp_path / "fixtures"
    shutil.copytree(settings.FIXTURES_DIR, root)
    return root


def test_loader_rejects_a_reported_change_not_in_the_quote(tmp_path):
    root = fixture_copy(tmp_path)
    path = root / "projects/stoke-on-trent/stoke-semh-further-education.yaml"
    path.write_text(path.read_text().replace('change: {value: "8.5"', 'change: {value: "9.5"'))
    with pytest.raises(FixtureError, match=r"outcomes\[0\].*9\.5"):
        load_evidence(root, check_only=True)


def test_loader_rejects_a_change_beside_a_baseline(tmp_path):
    root = fixture_copy(tmp_path)
    path = root / "projects/stoke-on-trent/stoke-semh-further-education.yaml"
    path.write_text(path.read_text().replace('period: "2021/22"}', 'period: "2021/22"}\n    baseline: {value: "8.5"}'))
    with pytest.raises(FixtureError, match="a reported change stands alone"):
        load_evidence(root, check_only=True)
