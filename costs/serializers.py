"""Serializers of cost lines, stated totals and the counts derived figures divide by."""

from rest_framework import serializers

from core.serializers import RecordSerializer
from costs.models import CostCount, CostLine, CostTotal
from projects.serializers import CitationSerializer, Cited


class NestedCostLineSerializer(Cited):
    period = serializers.CharField(source="period_label")
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, coerce_to_string=False)

    class Meta:
        model = CostLine
        fields = ["table", "description", "category", "period", "start_year", "end_year", "amount",
                  "funding_source", "citations"]

class NestedCostTotalSerializer(Cited):
    period = serializers.CharField(source="period_label")
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, coerce_to_string=False)

    class Meta:
        model = CostTotal
        fields = ["table", "label", "kind", "period", "start_year", "end_year", "amount", "scope",
                  "checked_lines", "citations"]

class CostCountSerializer(Cited):
    class Meta:
        model = CostCount
        fields = ["unit", "count", "per", "covers", "cohorts", "start_year", "end_year", "qualifier",
                  "check_against", "difference", "citations"]


class CostLineSerializer(RecordSerializer):
    id = serializers.IntegerField(read_only=True)
    project = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    area = serializers.CharField(source="project.area.slug", read_only=True)
    period = serializers.CharField(source="period_label")
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, coerce_to_string=False)
    citations = CitationSerializer(many=True, read_only=True)

    class Meta:
        model = CostLine
        fields = ["id", "project", "area", "table", "description", "category", "period", "start_year", "end_year",
                  "amount", "funding_source", "citations"]
