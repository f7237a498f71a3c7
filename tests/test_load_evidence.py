"""The loader: validates everything first, writes atomically, is idempotent."""

import os
import subprocess
import sys
import tempfile
from decimal import Decimal
from pathlib import Path

import psycopg2
import pytest
from django.core.management import CommandError, call_command

from core.models import DataVersion
from costs.models import CostLine, CostTotal
from outcomes.models import OutcomeMeasure
from projects.models import Citation, Finding, Project, ProjectOrganisation
from tests.conftest import ROOT, _browser_database_url
from tests.minimal import cite, load_tree, project, write_tree
from web.loading import FixtureError, load_evidence
from web.loading.records import numbers_in

pytestmark = pytest.mark.django_db


def snapshot():
    """Every curated row, by primary key, to compare before and after."""
    return {
        model.__name__: sorted(model.objects.values_list("pk", flat=True))
        for model in (Project, CostLine, CostTotal, OutcomeMeasure, Finding, Citation, ProjectOrganisation)
    }


def test_loads_a_valid_tree(tmp_path):
    _, counts = load_tree(write_tree(tmp_path))
    assert counts["projects"] == 1
    derby = Project.objects.get(slug="derby-primary")
    assert derby.area.slug == "derby"
    assert derby.schools_reached == 25
    assert derby.cost_lines.count() == 9
    assert derby.cost_lines.order_by("order").first().amount == Decimal("38121")
    total = derby.cost_totals.get()
    assert (total.amount, total.checked_lines) == (Decimal("345859"), 9)
    outcome = derby.outcomes.get()
    assert (outcome.baseline_value, outcome.followup_value) == (Decimal("64"), Decimal("76"))
    assert outcome.citations.get().quote.startswith("The percentage of children in Derby")
    assert derby.roles.get().organisation.name == "Derby City Council"


def test_loading_twice_leaves_the_same_rows(tmp_path):
    root = write_tree(tmp_path)
    parsed, _ = load_tree(root)
    before, versions = snapshot(), DataVersion.objects.count()
    load_tree(root)
    assert snapshot() == before
    assert DataVersion.objects.count() == versions  # the same content is the same version
    assert DataVersion.objects.filter(content_hash=parsed.content_hash).count() == 1


def test_a_record_removed_from_the_fixtures_is_removed(tmp_path):
    root = write_tree(tmp_path, [project(), project(slug="derby-second", title="A second project")])
    load_tree(root)
    assert Project.objects.filter(slug="derby-second").exists()
    (root / "projects" / "derby" / "derby-second.yaml").unlink()
    load_tree(root)
    assert not Project.objects.filter(slug="derby-second").exists()
    assert Project.objects.filter(slug="derby-primary").exists()


def test_data_version_is_a_hash_of_the_content(tmp_path):
    root = write_tree(tmp_path)
    parsed, _ = load_tree(root)
    version = DataVersion.objects.get(content_hash=parsed.content_hash)
    assert len(version.content_hash) == 64
    assert version.counts["projects"] == 1


BAD_CASES = {
    "unknown area": (
        {"area": "atlantis"}, "field 'area': unknown area 'atlantis'"),
    "negative amount": (
        {"costs": {"tables": [{"name": "T", "lines": [{
            "description": "Phonics", "category": "training", "amount": "-5", "funding_source": "oa",
            "cite": cite("Phonics 38,121 17,980 24,980")}]}]}},
        "lines[0]: field 'amount': must be ≥ 0"),
    "missing citation": (
        {"cite": []}, "project 'derby-primary': field 'cite': at least one citation"),
    "quote not in source": (
        {"cite": cite("Derby spent a billion pounds on phonics.")}, "field 'quote': does not occur in source"),
    "lines do not add up": (
        {"costs": {"tables": [{"name": "T", "lines": [{
            "description": "Phonics", "category": "training", "period": "2020/21", "amount": "17980",
            "funding_source": "oa", "cite": cite("Phonics 38,121 17,980 24,980")}],
            "totals": [{"label": "Total", "kind": "total", "amount": "345859", "scope": {},
                        "cite": cite("Total (across 4 years): £345,859")}]}]}},
        "stated total 345859 but the 1 line(s) it covers add up to 17980"),
    "number not in quote": (
        {"outcomes": [{
            "metric": "m", "group": "all", "unit": "percent", "baseline": {"value": "65", "year": "2016"},
            "evidence_type": "national_statistics",
            "cite": cite("Phonics 38,121 17,980 24,980")}]},
        "field 'baseline.value': the value 65 does not appear in the quoted text"),
    "unknown theme": ({"themes": ["astrology"]}, "field 'themes': unknown theme 'astrology'"),
    "unknown field": ({"budget": "lots"}, "field 'budget': unknown field"),
    "end before start": ({"end_year": 2010}, "field 'end_year': 2010 is before start_year 2018"),
    "unknown parent": ({"parent": "nowhere"}, "field 'parent': unknown project 'nowhere'"),
}


@pytest.mark.parametrize("case", BAD_CASES)
def test_rejects_bad_fixture_naming_file_record_and_field_and_changes_nothing(tmp_path, case):
    load_tree(write_tree(tmp_path / "good"))
    before = snapshot()
    overrides, message = BAD_CASES[case]
    with pytest.raises(FixtureError) as raised:
        load_tree(write_tree(tmp_path / "bad", [project(**overrides)]))
    text = str(raised.value)
    folder = overrides.get("area", "derby")
    assert f"projects/{folder}/derby-primary.yaml: project 'derby-primary'" in text
    assert message in text
    assert snapshot() == before


def test_bad_yaml_is_reported_with_its_file(tmp_path):
    root = write_tree(tmp_path)
    (root / "projects" / "derby" / "broken.yaml").write_text("slug: [unclosed\n")
    with pytest.raises(FixtureError, match=r"projects/derby/broken.yaml: not valid YAML"):
        load_tree(root)


def test_command_reports_problems_as_a_command_error(tmp_path):
    root = write_tree(tmp_path, [project(area="atlantis")])
    with pytest.raises(CommandError, match="unknown area 'atlantis'"):
        call_command("load_evidence", fixtures=str(root))


def test_check_option_validates_without_writing(tmp_path):
    root = write_tree(tmp_path, [project(slug="only-checked")])
    call_command("load_evidence", fixtures=str(root), check=True)
    assert not Project.objects.filter(slug="only-checked").exists()


def test_numbers_in_reads_written_numbers():
    assert numbers_in("£1,104,144.37 in year 2, 74% and £1.1m") >= {
        Decimal("1104144.37"), Decimal("2"), Decimal("74"), Decimal("1.1"), Decimal("1100000")}
    assert Decimal("2") not in numbers_in("KS2 results")


def test_load_if_changed_skips_the_same_fixtures_and_loads_new_ones(tmp_path):
    from io import StringIO

    from django.core.management import call_command

    root = write_tree(tmp_path)
    call_command("load_evidence", "--fixtures", str(root), "--allow-removals", stdout=StringIO())
    out = StringIO()
    call_command("load_evidence", "--fixtures", str(root), "--if-changed", stdout=out)
    assert out.getvalue().startswith("Already loaded")
    (root / "projects" / "derby" / "derby-primary.yaml").write_text(
        (root / "projects" / "derby" / "derby-primary.yaml").read_text().replace(
            "Derby primary school improvement", "Derby primary school improvement (renamed)"))
    out = StringIO()
    call_command("load_evidence", "--fixtures", str(root), "--if-changed", stdout=out)
    assert out.getvalue().startswith("Loaded data version")
    assert Project.objects.get(slug="derby-primary").title.endswith("(renamed)")


def test_an_empty_fixture_file_is_an_error_naming_it_and_deletes_nothing(tmp_path):
    root = write_tree(tmp_path)
    load_tree(root)
    (root / "projects" / "derby" / "derby-primary.yaml").write_text("")
    with pytest.raises(FixtureError) as error:
        load_tree(root)
    assert "projects/derby/derby-primary.yaml: file is empty" in str(error.value)
    assert Project.objects.filter(slug="derby-primary").exists()


@pytest.mark.parametrize("character", ["\x00", "\x07", "\x1b"])
def test_a_control_character_is_an_error_naming_file_record_and_field(tmp_path, character):
    with pytest.raises(FixtureError) as error:
        load_tree(write_tree(tmp_path, [project(summary=f"Support{character} for schools.")]))
    assert ("derby-primary.yaml: project 'derby-primary': field 'summary': contains a control character"
            in str(error.value))


def test_removing_more_than_a_handful_of_projects_needs_allow_removals():
    before = Project.objects.count()
    assert before > 6  # the curated corpus
    with pytest.raises(FixtureError) as error:
        load_evidence(write_tree(Path(tempfile.mkdtemp())))
    assert f"this load would remove {before} projects; run again with --allow-removals" in str(error.value)
    assert "blackpool-ks3-literacy" in str(error.value)
    assert Project.objects.count() == before


@pytest.mark.skipif(not os.environ.get("DATABASE_URL", "").startswith("postgres"),
                    reason="VACUUM after a load is PostgreSQL's (SQLite has no dead rows to scan)")
def test_a_load_on_postgresql_leaves_no_dead_rows_in_the_project_table(tmp_path):
    """The command in its own process, on a fresh database, as `make run` would load it."""
    url = _browser_database_url(tmp_path, "vacuum")
    env = {**os.environ, "DATABASE_URL": url}
    for command in (["migrate", "--noinput", "-v0"], ["load_evidence"]):
        subprocess.run([sys.executable, str(ROOT / "manage.py"), *command], env=env, cwd=ROOT, check=True,
                       capture_output=True)
    connection = psycopg2.connect(url)
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT n_live_tup, n_dead_tup, last_vacuum IS NOT NULL FROM pg_stat_user_tables"
                           " WHERE relname = 'projects_project'")
            live, dead, vacuumed = cursor.fetchone()
            cursor.execute("SELECT pg_relation_size('projects_project')")
            size_after_load = cursor.fetchone()[0]
            cursor.execute("VACUUM (FULL) projects_project")
            cursor.execute("SELECT pg_relation_size('projects_project')")
            compact_size = cursor.fetchone()[0]
    finally:
        connection.close()
    assert vacuumed and live > 50 and dead == 0
    assert size_after_load == compact_size  # as compact as a rewrite makes it
