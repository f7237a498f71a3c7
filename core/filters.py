"""Filter fields every app's FilterSet shares."""

import django_filters


class SlugMultipleChoiceFilter(django_filters.ModelMultipleChoiceFilter):
    """Repeatable `?area=a&area=b` by slug; matches any of them.

    Filters with a semi-join (`pk IN (…)`) rather than a join, so many-to-many filters need no
    DISTINCT and combine cheaply with the others."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("to_field_name", "slug")
        super().__init__(*args, **kwargs)

    def filter(self, queryset, value):
        if not value:
            return queryset
        slugs = [getattr(item, self.field.to_field_name) for item in value]
        matching = queryset.model.objects.filter(**{f"{self.field_name}__slug__in": slugs}).values("pk")
        return queryset.filter(pk__in=matching)
