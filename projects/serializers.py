"""Serializers of areas, vocabularies, sources and citations, and the parts of a project that
belong to this app (programmes, findings, organisations)."""

from __future__ import annotations

from django.db.models import Prefetch
from rest_framework import serializers

from core.serializers import RecordSerializer
from projects.models import (
    Area,
    Citation,
    Finding,
    Intervention,
    Organisation,
    Phase,
    ProjectOrganisation,
    Source,
    Theme,
)


class CitationSerializer(RecordSerializer):
    source = serializers.CharField(source="source.key")
    source_title = serializers.CharField(source="source.title")

    class Meta:
        model = Citation
        fields = ["source", "source_title", "locator", "quote"]

class Cited(RecordSerializer):
    citations = CitationSerializer(many=True, read_only=True)

class AreaSerializer(RecordSerializer):
    project_count = serializers.IntegerField(read_only=True, allow_null=False)
    web_url = serializers.CharField(source="get_absolute_url", read_only=True, allow_null=False)

    class Meta:
        model = Area
        fields = ["slug", "name", "kind", "region", "description", "project_count", "web_url"]

class ThemeSerializer(RecordSerializer):
    project_count = serializers.IntegerField(
        read_only=True, allow_null=False,
        help_text="Projects with this theme or one of its sub-themes, each counted once.")
    parent = serializers.SlugRelatedField(
        slug_field="slug", read_only=True,
        help_text="Slug of the broader theme this one belongs to, or null for a top-level theme.")
    children = serializers.SlugRelatedField(
        slug_field="slug", many=True, read_only=True,
        help_text="Slugs of its sub-themes; `?theme=` on projects and outcomes includes their projects.")

    class Meta:
        model = Theme
        fields = ["slug", "name", "description", "parent", "children", "project_count"]

class PhaseSerializer(RecordSerializer):
    project_count = serializers.IntegerField(read_only=True, allow_null=False)

    class Meta:
        model = Phase
        fields = ["slug", "name", "order", "description", "project_count"]

class OrganisationSerializer(RecordSerializer):
    project_count = serializers.IntegerField(read_only=True, allow_null=False)

    class Meta:
        model = Organisation
        fields = ["slug", "name", "kind", "project_count"]

class SourceSerializer(RecordSerializer):
    citation_count = serializers.IntegerField(read_only=True, allow_null=False)
    web_url = serializers.CharField(source="get_absolute_url", read_only=True, allow_null=False)

    class Meta:
        model = Source
        fields = ["key", "title", "publisher", "published", "date_precision", "kind", "summary",
                  "citation_count", "web_url"]

class NestedInterventionSerializer(Cited):
    class Meta:
        model = Intervention
        fields = ["name", "provider", "delivery", "description", "citations"]

class NestedFindingSerializer(Cited):
    class Meta:
        model = Finding
        fields = ["kind", "title", "text", "citations"]

class RoleSerializer(RecordSerializer):
    """An organisation and its role in the project."""

    slug = serializers.CharField(source="organisation.slug")
    name = serializers.CharField(source="organisation.name")
    kind = serializers.CharField(source="organisation.kind")
    role = serializers.CharField()

    class Meta:
        model = ProjectOrganisation
        fields = ["slug", "name", "kind", "role"]

def citations_prefetch(path: str = "citations") -> Prefetch:
    return Prefetch(path, queryset=Citation.objects.with_source())
