"""The base of every API serializer: missing text is null in JSON, never "", and the schema says
which fields may be null, so a column has one type whatever the record or filter.

Which fields may be null is worked out here for every field at once, never marked by hand: a
field is nullable when its value can come out None. That is the case for a model field with
null=True, for text that may be blank (to_representation below turns "" into None), for a value
reached through a relation that may be missing, for a method's result unless its return
annotation rules None and "" out, and, since nothing here can see what they return, for
properties and queryset annotations. A field that states `allow_null` itself is taken at its word
(allow_null=False for a count or a URL that code always gives)."""

import typing

from django.core.exceptions import FieldDoesNotExist
from django.db.models import ForeignObjectRel
from rest_framework import serializers


def _source_may_be_null(model, source: str) -> bool:
    """Whether the attribute at `source` (a dotted path) of a `model` instance can be None or ""."""
    if model is None or source == "*":
        return True
    for name in source.split("."):
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            return True  # a property, a method or an annotation: no telling
        if isinstance(field, ForeignObjectRel) and not field.multiple:
            return True  # a reverse one-to-one: the other row may not exist
        if field.null or (field.blank and field.empty_strings_allowed):
            return True
        model = field.related_model
    return False


def _method_may_be_null(method) -> bool:
    returns = typing.get_type_hints(method).get("return")
    return returns is None or returns is str or type(None) in typing.get_args(returns)


def _may_be_null(serializer, name: str, field) -> bool:
    """(Before binding, so the field's source and method are read from its arguments and name.)"""
    if "allow_null" in field._kwargs:  # stated by the serializer (DRF keeps a field's arguments)
        return field.allow_null
    if isinstance(field, serializers.ListSerializer | serializers.ManyRelatedField):
        return False  # a list, maybe empty
    if isinstance(field, serializers.SerializerMethodField):
        return _method_may_be_null(getattr(serializer, field._kwargs.get("method_name") or f"get_{name}"))
    model = getattr(getattr(serializer, "Meta", None), "model", None)
    return _source_may_be_null(model, field._kwargs.get("source") or name)


class BlankAsNullMixin:
    def get_fields(self):
        fields = super().get_fields()
        for name, field in fields.items():
            field.allow_null = _may_be_null(self, name, field)
        return fields

    def to_representation(self, instance):
        data = super().to_representation(instance)
        for name, value in data.items():
            if value == "":
                data[name] = None
        return data


class RecordSerializer(BlankAsNullMixin, serializers.ModelSerializer):
    """A model's record for the API."""
