"""The base of every API serializer: missing text is null in JSON, never "", and the schema says
which text fields may be null, so a column has one type whatever the record or filter."""

from rest_framework import serializers


def _may_be_blank(field) -> bool:
    return isinstance(field, serializers.CharField | serializers.ChoiceField) and (
        getattr(field, "allow_blank", False) or field.default == "")


class BlankAsNullMixin:
    def get_fields(self):
        fields = super().get_fields()
        for field in fields.values():
            if _may_be_blank(field):
                field.allow_null = True
        return fields

    def to_representation(self, instance):
        data = super().to_representation(instance)
        for name, value in data.items():
            if value == "":
                data[name] = None
        return data


class RecordSerializer(BlankAsNullMixin, serializers.ModelSerializer):
    """A model's record for the API."""
