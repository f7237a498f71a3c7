"""Scale: the synthetic corpus is reproducible and separate; query counts hold on it; replicas."""

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db.models import F

from core import db_router
from core.cache import forget_kept
from core.db_router import ReplicaRouter, replica_databases
from core.models import DataVersion
from costs.models import CostLine
from outcomes.models import OutcomeMeasure
from projects.models import Project, ProjectFigures
from tests.helpers import queries_for
from web.analysis import COST_PER_PUPIL_BANDS
from web.synthetic import SyntheticRefused, generate_synthetic

pytestmark = pytest.mark.django_db


def snapshot() -> list:
    return [
        list(Project.objects.order_by("id").values_list("slug", "title", "summary", "start_year", "pupils_reached")),
        list(CostLine.objects.order_by("id").values_list("project__slug", "category", "amount", "period_label")),
        list(OutcomeMeasure.objects.order_by("id").values_list("project__slug", "baseline_value", "followup_value")),
    ]


@pytest.fixture
def synthetic_db():
    """The test database emptied of the curated corpus (rolled back after the test)."""
    Project.objects.all().delete()
    DataVersion.objects.all().delete()


def test_generation_is_deterministic_for_a_seed(synthetic_db):
    counts = generate_synthetic(projects=60, areas=5, seed=7)
    first = snapshot()
    generate_synthetic(projects=60, areas=5, seed=7)
    assert snapshot() == first
    generate_synthetic(projects=60, areas=5, seed=8)
    assert snapshot() != first
    assert counts["projects"] == 60 and counts["cost_lines"] >= 6 * 60 and counts["outcome_measures"] >= 6 * 60


def test_synthetic_data_is_marked_and_replaced_by_the_curated_load(synthetic_db):
    from django.conf import settings

    from web.loading import load_evidence

    generate_synthetic(projects=30, areas=3, seed=1)
    assert DataVersion.objects.get().content_hash.startswith("synthetic-")
    assert all(p.slug.startswith("synthetic-") and "Synthetic" in p.title for p in Project.objects.all())
    load_evidence(settings.FIXTURES_DIR, allow_removals=True)
    assert not Project.objects.filter(slug__startswith="synthetic-").exists()


def test_generation_refuses_a_database_with_curated_evidence():
    assert Project.objects.filter(slug="blackpool-ks3-literacy").exists()
    with pytest.raises(SyntheticRefused):
        generate_synthetic(projects=10, seed=1)
    with pytest.raises(CommandError, match="holds the curated evidence"):
        call_command("generate_synthetic", projects=10)
    assert Project.objects.filter(slug="blackpool-ks3-literacy").exists()


@pytest.mark.parametrize("small, large", [
    # Both search: on PostgreSQL a search asks first whether any project has the words.
    ("/projects/?area=synthetic-area-1&q=synthetic", "/projects/?area=synthetic-area-2&q=synthetic"),
    ("/api/v1/projects/?area=synthetic-area-1&page_size=3", "/api/v1/projects/?area=synthetic-area-2&page_size=100"),
    ("/api/v1/outcomes/?area=synthetic-area-1&page_size=3", "/api/v1/outcomes/?area=synthetic-area-2&page_size=100"),
    ("/areas/synthetic-area-1/", "/areas/synthetic-area-2/"),
    ("/projects/synthetic-project-3/", "/projects/synthetic-project-10/"),
])
def test_query_counts_are_constant_on_the_synthetic_corpus(synthetic_db, client, small, large):
    generate_synthetic(projects=400, areas=2, seed=3)
    counts = []
    for url in (small, large):
        cache.clear()  # each starts cold: values cached or kept per data version are read by both
        forget_kept()
        counts.append(queries_for(client, url))
    assert counts[0] == counts[1]


def test_replica_router_reads_from_a_replica_and_writes_to_the_primary(monkeypatch):
    router = ReplicaRouter(["replica_1", "replica_2"])
    monkeypatch.setattr(db_router, "writing", lambda: False)
    assert {router.db_for_read(Project) for _ in range(50)} == {"replica_1", "replica_2"}
    monkeypatch.setattr(db_router, "writing", lambda: True)  # inside a load's transaction
    assert {router.db_for_read(Project) for _ in range(50)} == {"default"}
    assert router.db_for_write(Project) == "default"
    assert router.allow_migrate("default", "projects") and not router.allow_migrate("replica_1", "projects")
    assert ReplicaRouter([]).db_for_read(Project) == "default"


def test_replica_urls_become_mirrored_databases():
    databases = replica_databases("postgres://reader@db-replica-1:5432/oa, postgres://reader@db-replica-2:5432/oa")
    assert list(databases) == ["replica_1", "replica_2"]
    assert databases["replica_2"]["HOST"] == "db-replica-2"
    assert databases["replica_1"]["TEST"] == {"MIRROR": "default"}


def explore_html(client, url: str = "/explore/") -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_explore_page_stays_the_same_size_as_the_corpus_grows(synthetic_db, client):
    """Explore draws aggregates (by area, theme, phase, year and cost band), never a point or a
    row per project: four times the projects makes a page of about the same size, with the same
    queries. The generator stores no cost per pupil, so one is set here for the band chart."""
    sizes, queries, band_rows = {}, {}, {}
    for projects in (100, 400):
        generate_synthetic(projects=projects, areas=4, seed=5)
        ProjectFigures.objects.update(cost_per_pupil=F("total_cost") / 1000)
        html = explore_html(client)
        assert 'id="cost-change-chart"' in html and 'id="timeline-chart"' in html
        assert "synthetic-project-" not in html  # no project listed one by one
        sizes[projects], queries[projects] = len(html), queries_for(client, "/explore/")
        for frame in ("timeline", "cost_vs_change", "spend_by_theme"):
            csv_size = len(client.get(f"/explore/data/{frame}.csv").content)
            sizes[(projects, frame)] = csv_size
        band_rows[projects] = len(client.get("/explore/data/cost_vs_change.csv").content.splitlines()) - 1
    assert sizes[400] < 1.1 * sizes[100], sizes
    # A file gains a row only for a year or theme first reached, never one per project; the cost
    # bands file has a row per band at most (a few rows, so one band more is a large share of it).
    assert all(sizes[(400, frame)] < 1.25 * sizes[(100, frame)] for frame in ("timeline", "spend_by_theme")), sizes
    assert all(rows <= len(COST_PER_PUPIL_BANDS) for rows in band_rows.values()), band_rows
    assert queries[100] == queries[400]
