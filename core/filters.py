"""Filter fields every app's FilterSet shares."""

import copy

import django_filters
from django.core.exceptions import ValidationError
from django_filters.fields import ModelMultipleChoiceField
from django_filters.rest_framework import DjangoFilterBackend

from core.cache import kept_for_this_data


class SlugMultipleChoiceFilter(django_filters.ModelMultipleChoiceFilter):
    """Repeatable `?area=a&area=b` by slug; matches any of them.

    The form has already read the chosen rows, so the filter compares their ids: a foreign key
    directly (`area_id IN (…)`, which its index serves), a many-to-many with a semi-join on its
    link table alone (`id IN (SELECT project_id …)`), which needs no DISTINCT and combines cheaply
    with the others. `value` is a list of the chosen rows (a queryset would be run by `if not value`)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("to_field_name", "slug")
        super().__init__(*args, **kwargs)

    def filter(self, queryset, value):
        if not value:
            return queryset
        if "__" in self.field_name:  # a relation further away: the rows that reach the chosen ones
            matching = queryset.model.objects.filter(**{f"{self.field_name}__in": value}).values("pk")
            return queryset.filter(pk__in=matching)
        field = queryset.model._meta.get_field(self.field_name)
        if not field.many_to_many:
            return queryset.filter(**{f"{self.field_name}__in": value})
        links = field.remote_field.through.objects.filter(**{f"{field.m2m_reverse_field_name()}__in": value})
        return queryset.filter(pk__in=links.values(field.m2m_field_name()))


class VocabularyChoiceField(ModelMultipleChoiceField):
    """Chosen slugs checked against the whole vocabulary, which each process reads once per data
    version and keeps (core.cache.kept_for_this_data), where Django asks the database on every
    request. For the small vocabularies (areas, themes, phases, organisations), not for projects."""

    def vocabulary(self) -> dict:
        """Every row of the field's queryset by its slug (`to_field_name`), in the queryset's order."""
        field = self.to_field_name or "pk"
        return kept_for_this_data(f"vocabulary:{self.queryset.model._meta.label_lower}:{field}",
                                  lambda: {str(getattr(row, field)): row for row in self.queryset.all()})

    def _check_values(self, value):
        try:
            chosen = list(dict.fromkeys(value))  # each once, in the order given
        except TypeError:  # a list of lists, say
            raise ValidationError(self.error_messages["invalid_list"], code="invalid_list") from None
        known = self.vocabulary()
        for slug in chosen:
            self.validate_no_null_characters(slug)
            if str(slug) not in known:
                raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice",
                                      params={"value": slug})
        return [known[str(slug)] for slug in chosen]


class VocabularyFilter(SlugMultipleChoiceFilter):
    """A SlugMultipleChoiceFilter over a small vocabulary, its slugs checked without a query
    (VocabularyChoiceField). Its queryset must be the whole vocabulary."""

    field_class = VocabularyChoiceField


class KeptFilterBackend(DjangoFilterBackend):
    """django-filter's backend, keeping the filterset it built on the view (`view.filterset`), so
    that what the list adds (headers on what a search or a cost filter left out) reuses its form
    and search rather than building them a second time."""

    def get_filterset(self, request, queryset, view):
        view.filterset = super().get_filterset(request, queryset, view)
        return view.filterset


class ShallowCopied(dict):
    """Filters or form fields defined once per class, which django-filter (every FilterSet) and
    Django (every Form) deep-copy for each instance, each filter's or field's querysets, choices,
    widgets and validators with it: a few milliseconds per request for a dozen of each. Ours keep
    nothing per request but what they are given (a filter its `parent`), so a shallow copy of
    each serves as well."""

    def __deepcopy__(self, memo):
        return {name: _shallow_copy(item) for name, item in self.items()}


def _shallow_copy(item):
    copied = copy.copy(item)
    if getattr(item, "method", None) is not None:  # a filter with `method=`: setting it binds it to the copy
        copied.method = item.method
    return copied


class DefinedOnceFilterSet(django_filters.FilterSet):
    """A FilterSet whose filters, and whose form's fields, are built once per class and copied
    shallowly for each request (ShallowCopied)."""

    @classmethod
    def get_filters(cls):
        return ShallowCopied(super().get_filters())  # the class's base_filters

    def get_form_class(self):
        """django-filter builds the form class (and each filter's form field) for every request;
        they depend only on the filters declared, so build them once per class."""
        form_class = type(self).__dict__.get("_form_class")
        if form_class is None:
            form_class = super().get_form_class()
            form_class.base_fields = ShallowCopied(form_class.base_fields)
            type(self)._form_class = form_class
        return form_class
