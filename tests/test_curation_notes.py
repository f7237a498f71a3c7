"""Curation notes (how a figure was extracted or checked) are for curators: the admin and
fixtures/UNRESOLVED.md show them; no public page, API response, CSV or export does."""

import json
from collections import defaultdict

import pytest
import yaml
from django.core.management import call_command
from django.utils.html import escape

from outcomes.models import EvidenceAssessment, OutcomeMeasure
from projects.models import AreaFigure, Project
from tests.minimal import cite, load_tree, project, write_tree
from web import export
from web.loading import FixtureError

pytestmark = pytest.mark.django_db

PHONICS_QUOTE = "Phonics 38,121 17,980 24,980"


def notes_by_project() -> dict[str, list[tuple[str, str]]]:
    """(public note, curation note) of every record in the curated corpus that has a curation note."""
    found = defaultdict(list)
    for measure in OutcomeMeasure.objects.exclude(curation_note="").select_related("project"):
        found[measure.project.slug].append((measure.note, measure.curation_note))
    for evidence in EvidenceAssessment.objects.exclude(curation_note="").select_related("project"):
        found[evidence.project.slug].append((evidence.note, evidence.curation_note))
    for item in Project.objects.exclude(reach_curation_note=""):
        found[item.slug].append((item.reach_note, item.reach_curation_note))
    return found


def in_json(text: str) -> str:
    """The text as it stands inside a JSON string."""
    return json.dumps(text, ensure_ascii=False)[1:-1]


def test_the_corpus_has_curation_notes_of_each_kind():
    notes = notes_by_project()
    pairs = [pair for pairs in notes.values() for pair in pairs]
    assert len(notes) >= 10 and len(pairs) >= 100
    assert any(public and curation for public, curation in pairs)  # split
    assert any(not public and curation for public, curation in pairs)  # entirely for curators
    assert AreaFigure.objects.exclude(curation_note="").exists()


def test_no_project_page_or_api_response_shows_a_curation_note(client):
    for slug, pairs in notes_by_project().items():
        page = client.get(f"/projects/{slug}/").content.decode()
        detail = client.get(f"/api/v1/projects/{slug}/")
        assert detail.status_code == 200
        api = json.dumps(detail.json(), ensure_ascii=False)
        csv = client.get("/api/v1/outcomes/", {"project": slug, "format": "csv"}).content.decode()
        for public, curation in pairs:
            for shown in (page, api, csv):
                for form in (curation, escape(curation), in_json(curation)):
                    assert form not in shown, (slug, curation)
            if public:
                assert escape(public) in page, (slug, public)
                assert in_json(public) in api, (slug, public)


def test_area_pages_show_the_public_note_of_a_figure_and_never_its_curation_note(client):
    for figure in AreaFigure.objects.exclude(curation_note="").select_related("area"):
        page = client.get(f"/areas/{figure.area.slug}/").content.decode()
        assert escape(figure.note) in page
        assert escape(figure.curation_note) not in page and figure.curation_note not in page


def test_the_open_data_export_leaves_curation_notes_out():
    curation = {m.curation_note for m in OutcomeMeasure.objects.exclude(curation_note="")}
    curation |= {f.curation_note for f in AreaFigure.objects.exclude(curation_note="")}
    for table in export.tables():
        assert not any("curation" in name for name in table.fields), table.name
        cells = {str(value) for row in table.rows for value in row.values()}
        assert not cells & curation, table.name


def test_the_left_out_page_shows_unresolved_figures_but_not_the_curation_notes(client, settings):
    html = client.get("/left-out/").content.decode()
    assert "Blackpool KS3 Literacy Project" in html
    unresolved = (settings.FIXTURES_DIR / "UNRESOLVED.md").read_text()
    assert "## Curation notes" in unresolved
    assert "Curation notes" not in html
    for measure in OutcomeMeasure.objects.exclude(curation_note=""):
        assert escape(measure.curation_note) not in html


def test_unresolved_md_lists_every_curation_note_and_is_up_to_date(settings):
    call_command("curation_notes", "--check")
    unresolved = (settings.FIXTURES_DIR / "UNRESOLVED.md").read_text()
    for pairs in notes_by_project().values():
        for _, curation in pairs:
            assert curation in unresolved


def test_the_admin_shows_curation_notes(admin_client):
    measure = OutcomeMeasure.objects.exclude(curation_note="").exclude(note="").first()
    page = admin_client.get(f"/admin/projects/project/{measure.project_id}/change/").content.decode()
    assert escape(measure.curation_note) in page and escape(measure.note) in page
    figure = AreaFigure.objects.exclude(curation_note="").first()
    listing = admin_client.get("/admin/projects/areafigure/").content.decode()
    assert escape(figure.curation_note) in listing


# --- the loader ---------------------------------------------------------------------------


def test_the_loader_stores_curation_notes_apart_from_public_notes(tmp_path):
    data = project()
    data["reach"]["note"] = "About 25 schools a year."
    data["reach"]["curation_note"] = "The count is the aim, not schools reached."
    data["outcomes"][0].update(note="Derby-wide.", curation_note="The year comes from the same sentence.")
    data["evidence"]["curation_note"] = "Checked against the case study's table."
    load_tree(write_tree(tmp_path, [data]))
    derby = Project.objects.get(slug="derby-primary")
    assert (derby.reach_note, derby.reach_curation_note) == ("About 25 schools a year.",
                                                             "The count is the aim, not schools reached.")
    assert (derby.outcomes.get().note, derby.outcomes.get().curation_note) == (
        "Derby-wide.", "The year comes from the same sentence.")
    assert derby.evidence.curation_note == "Checked against the case study's table."


def test_a_record_may_carry_only_a_curation_note(tmp_path):
    data = project()
    data["outcomes"][0]["curation_note"] = "Row 'Maths' of the outcomes table."
    load_tree(write_tree(tmp_path, [data]))
    measure = OutcomeMeasure.objects.get(project__slug="derby-primary")
    assert (measure.note, measure.curation_note) == ("", "Row 'Maths' of the outcomes table.")


def test_the_loader_stores_the_curation_note_of_the_money_and_of_an_area_figure(tmp_path):
    data = project(costing={"money": {"basis": "lines", "covers": "the whole project", "start_year": 2018,
                                      "end_year": 2022, "note": "All three strands.",
                                      "curation_note": "The table's three columns."}})
    root = write_tree(tmp_path, [data])
    (root / "area_figures.yaml").write_text(yaml.safe_dump([{
        "area": "derby", "label": "Phonics", "value": "38121", "unit": "money", "note": "2018 to 2020.",
        "curation_note": "First cell of the row.", "cite": cite(PHONICS_QUOTE)}], allow_unicode=True))
    load_tree(root)
    basis = Project.objects.get(slug="derby-primary").cost_basis
    assert (basis.note, basis.curation_note) == ("All three strands.", "The table's three columns.")
    figure = AreaFigure.objects.get(area__slug="derby")
    assert (figure.note, figure.curation_note) == ("2018 to 2020.", "First cell of the row.")


def test_the_loader_rejects_a_misspelt_curation_note_naming_file_record_and_field(tmp_path):
    data = project()
    data["outcomes"][0]["curator_note"] = "Where the figure stands."
    with pytest.raises(FixtureError) as error:
        load_tree(write_tree(tmp_path, [data]))
    assert ("projects/derby/derby-primary.yaml: project 'derby-primary' > outcomes[0]: field 'curator_note': "
            "unknown field") in str(error.value)


def test_a_curation_note_must_be_text(tmp_path):
    data = project()
    data["evidence"]["curation_note"] = ["a list"]
    with pytest.raises(FixtureError) as error:
        load_tree(write_tree(tmp_path, [data]))
    assert "evidence: field 'curation_note': must be text" in str(error.value)
