"""The project endpoint: a project with its costs, outcomes, evidence rating and headline, composed
from each app's serializers; the list answers the search page's filters."""

from __future__ import annotations

from collections.abc import Sequence

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from core.api import NULLABLE_NUMBER, NULLABLE_STRING, ReadOnlyViewSet
from core.cache import cached_api_response
from core.csv import CSVTable, read_stored_row
from core.renderers import StoredJSON
from costs.figures import CostBand, figure_note, project_cost_band, project_cost_figures, project_figure
from costs.serializers import CostCountSerializer, NestedCostLineSerializer, NestedCostTotalSerializer
from outcomes.evidence import Direction, project_evidence, rating_label
from outcomes.figures import ComparatorCoverage
from outcomes.serializers import NestedOutcomeSerializer
from projects.models import Project
from projects.serializers import (
    CitationSerializer,
    Cited,
    NestedFindingSerializer,
    NestedInterventionSerializer,
    RoleSerializer,
)
from web.filters import COST_FILTERS, ProjectFilter
from web.models import ProjectDocument
from web.verdict import project_verdict


@extend_schema_field(NULLABLE_STRING)
class FigureNote(serializers.Field):
    """The note of one derived figure of the project: its qualifier, or why it has no value."""

    def __init__(self, figure: str, **kwargs):
        self.figure = figure
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, project) -> str:
        return figure_note(project=project, name=self.figure)


class ProjectSerializer(Cited):
    """A project as listed: its tags and its derived cost figures."""

    area = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    area_name = serializers.CharField(source="area.name", read_only=True)
    parent = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    themes = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    phases = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    total_cost = serializers.SerializerMethodField()
    oa_cost = serializers.DecimalField(max_digits=16, decimal_places=2, coerce_to_string=False, read_only=True)
    match_funding = serializers.DecimalField(max_digits=16, decimal_places=2, coerce_to_string=False, read_only=True)
    cost_per_school = serializers.SerializerMethodField()
    cost_per_pupil = serializers.SerializerMethodField()
    cost_per_pupil_per_year = serializers.SerializerMethodField()
    cost_band = serializers.ChoiceField(choices=CostBand.choices, read_only=True)
    total_cost_note = FigureNote("total_cost")
    oa_cost_note = FigureNote("oa_cost")
    match_funding_note = FigureNote("match_funding")
    cost_per_school_note = FigureNote("cost_per_school")
    cost_per_pupil_note = FigureNote("cost_per_pupil")
    cost_per_pupil_per_year_note = FigureNote("cost_per_pupil_per_year")
    cost_band_note = FigureNote("cost_band")
    evidence_rating = serializers.IntegerField(read_only=True)
    evidence_rating_label = serializers.SerializerMethodField(allow_null=False)
    evidence_design = serializers.CharField(source="evidence.design", read_only=True, default="")
    evidence_evaluator = serializers.CharField(source="evidence.evaluator", read_only=True, default="")
    evidence_why = serializers.SerializerMethodField()
    headline_direction = serializers.ChoiceField(choices=Direction.choices, read_only=True)
    headline_statement = serializers.CharField(source="headline.statement", read_only=True, default="")
    has_comparator_outcome = serializers.BooleanField(read_only=True, allow_null=False)
    comparator_coverage = serializers.ChoiceField(choices=ComparatorCoverage.choices, read_only=True)
    web_url = serializers.CharField(source="get_absolute_url", read_only=True, allow_null=False)

    class Meta:
        model = Project
        fields = ["slug", "title", "area", "area_name", "parent", "start_year", "end_year", "schools_reached",
                  "pupils_reached", "themes", "phases", "total_cost", "total_cost_note", "oa_cost", "oa_cost_note",
                  "match_funding", "match_funding_note", "cost_per_school", "cost_per_school_note",
                  "cost_per_pupil", "cost_per_pupil_note", "cost_per_pupil_per_year", "cost_per_pupil_per_year_note",
                  "cost_band", "cost_band_note", "evidence_rating", "evidence_rating_label", "evidence_design",
                  "evidence_evaluator", "evidence_why", "headline_direction", "headline_statement",
                  "has_comparator_outcome", "comparator_coverage", "summary", "web_url", "citations"]

    def _figure(self, project, name):
        return project_figure(project=project, name=name).value

    def get_evidence_rating_label(self, project) -> str:
        return rating_label(project.evidence_rating)

    @extend_schema_field(NULLABLE_STRING)
    def get_evidence_why(self, project) -> str:
        rating = project_evidence(project=project)
        return rating.why if rating else ""

    @extend_schema_field(NULLABLE_NUMBER)
    def get_total_cost(self, project):
        return self._figure(project, "total_cost")

    @extend_schema_field(NULLABLE_NUMBER)
    def get_cost_per_school(self, project):
        return self._figure(project, "cost_per_school")

    @extend_schema_field(NULLABLE_NUMBER)
    def get_cost_per_pupil(self, project):
        return self._figure(project, "cost_per_pupil")

    @extend_schema_field(NULLABLE_NUMBER)
    def get_cost_per_pupil_per_year(self, project):
        return self._figure(project, "cost_per_pupil_per_year")

class ProjectDetailSerializer(ProjectSerializer):
    """A project with everything recorded about it, each figure with its citations."""

    children = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    organisations = RoleSerializer(source="roles", many=True, read_only=True)
    interventions = NestedInterventionSerializer(many=True, read_only=True)
    findings = NestedFindingSerializer(many=True, read_only=True)
    cost_lines = NestedCostLineSerializer(many=True, read_only=True)
    cost_totals = NestedCostTotalSerializer(many=True, read_only=True)
    derived_figures = serializers.SerializerMethodField()
    outcomes = NestedOutcomeSerializer(many=True, read_only=True)
    reach_citations = CitationSerializer(many=True, read_only=True)
    evidence = serializers.SerializerMethodField()
    headline = serializers.SerializerMethodField()

    class Meta(ProjectSerializer.Meta):
        fields = [*ProjectSerializer.Meta.fields[:-1], "problem", "activities", "reach_note", "children",
                  "organisations", "interventions", "cost_lines", "cost_totals", "derived_figures",
                  "evidence", "headline", "outcomes", "findings", "reach_citations", "citations"]

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_derived_figures(self, project) -> dict:
        figures = project_cost_figures(project=project)
        result = {name: {"value": figure.value, "formula": figure.formula or None, "inputs": figure.inputs,
                         "qualifier": figure.qualifier or None, "reason": figure.reason or None}
                  for name, figure in figures.items()}
        result["cost_band"] = {key: None if value == "" else value
                               for key, value in project_cost_band(project=project).items()}
        basis = getattr(project, "cost_basis", None)
        result["money_covers"] = basis.covers if basis and basis.covers else None
        result["counts"] = CostCountSerializer(project.cost_counts.all(), many=True).data
        return result

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_evidence(self, project) -> dict | None:
        assessment = getattr(project, "evidence", None)
        rating = project_evidence(project=project)
        if assessment is None or rating is None:
            return None
        return {
            "rating": rating.rating, "label": rating.label, "can_show_cause": rating.can_show_cause,
            "reasons": list(rating.reasons), "design": assessment.design, "evaluator": assessment.evaluator,
            "evaluator_name": assessment.evaluator_name or None, "sample_schools": assessment.sample_schools,
            "sample_pupils": assessment.sample_pupils, "outcome_kinds": list(rating.kinds), "note": assessment.note,
            "citations": CitationSerializer(assessment.citations.all(), many=True).data,
        }

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_headline(self, project) -> dict | None:
        verdict = project_verdict(project=project)
        headline = getattr(project, "headline", None)
        if headline is None:
            return None
        gap = verdict.gap_change
        return {
            "direction": headline.direction, "statement": headline.statement,
            "outcome_metric": headline.outcome.metric if headline.outcome else None,
            "gap_change": gap.value if gap and gap.available else None,
            "plain_summary": dict(verdict.plain_summary),
            "citations": CitationSerializer(headline.citations.all(), many=True).data,
        }


class StoredRowsInOrder(Sequence):
    """The stored list rows of projects in the order of `ids`, read when sliced. A search lists
    every match's id once (ranking them once), so its page is one lookup by id and its count the
    length of the list, not a second scan of every match for COUNT."""

    def __init__(self, ids: list[int]):
        self.ids = ids

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index:index + 1][0]
        ids = self.ids[index]
        rows = dict(ProjectDocument.objects.filter(project_id__in=ids).values_list("project_id", "row"))
        return [rows[pk] for pk in ids]

    def __iter__(self):
        return iter(self[:])


class ProjectViewSet(ReadOnlyViewSet):
    """Projects, filterable like the search page; the detail nests every recorded figure.

    Both are written out from the documents the load stored (web.documents): the serializers
    above define them and give the schema; a request only filters, pages and reads stored JSON."""

    filterset_class = ProjectFilter
    serializer_class = ProjectSerializer
    csv_filename = "projects"

    def get_queryset(self):  # the rows are stored: only the figures filters and sorts compare are joined
        return Project.objects.order_by("title")

    def get_serializer_class(self):
        return ProjectDetailSerializer if self.action == "retrieve" else ProjectSerializer

    def retrieve(self, request, *args, **kwargs):
        return cached_api_response(self, request, lambda: self._stored_detail(request, kwargs["slug"]))

    def _stored_detail(self, request, slug: str) -> Response:
        """The stored document; as CSV or XLSX, the project's one flat row, with the list's columns."""
        as_csv = request.accepted_renderer.format in ("csv", "xlsx")
        stored = ProjectDocument.objects.filter(project__slug=slug).values_list(
            "csv_row" if as_csv else "detail", flat=True).first()
        if stored is None:
            raise NotFound("No Project matches the given query.")
        if as_csv:
            row = read_stored_row(stored)
            response = Response(CSVTable([row], list(row)))
            response["Content-Disposition"] = f'attachment; filename="{slug}.csv"'
            return response
        return Response(StoredJSON(stored))

    def listed(self, queryset):
        if self.filterset.form.cleaned_data.get("q"):
            return StoredRowsInOrder(self.filterset.matching_ids())
        return queryset.values_list("document__row", flat=True)

    def rows(self, listed) -> list:
        return [StoredJSON(text) for text in listed]

    def csv_rows(self, queryset) -> list[dict]:
        return [read_stored_row(text) for text in queryset.values_list("document__csv_row", flat=True)]

    def _list(self, request, *args, **kwargs):
        """The list, saying in headers how many matching projects a cost filter or sort leaves
        out (or puts last) because they have no cost figure, and when a search found only close
        matches of misspelt words."""
        response = super()._list(request, *args, **kwargs)
        if not any(name in request.query_params for name in (*COST_FILTERS, "ordering", "q")):
            return response  # neither header can apply
        filterset = self.filterset  # the one the list was filtered with (core.filters.KeptFilterBackend)
        left_out = filterset.without_cost_left_out() if filterset.is_valid() else None
        if left_out is not None:
            response["X-Projects-Without-Cost"] = str(left_out["count"])
        if filterset.only_close_matches() and filterset.qs.exists():
            response["X-Search-Close-Matches"] = "true"
        return response
