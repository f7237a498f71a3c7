"""Filter fields every app's FilterSet shares."""

import django_filters


class SlugMultipleChoiceFilter(django_filters.ModelMultipleChoiceFilter):
    """Repeatable `?area=a&area=b` by slug; matches any of them.

    The form has already read the chosen rows, so the filter compares their ids: a foreign key
    directly (`area_id IN (…)`, which its index serves), a many-to-many with a semi-join on the
    through table (`pk IN (…)`), which needs no DISTINCT and combines cheaply with the others."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("to_field_name", "slug")
        super().__init__(*args, **kwargs)

    def filter(self, queryset, value):
        if not value:
            return queryset
        if "__" not in self.field_name and not queryset.model._meta.get_field(self.field_name).many_to_many:
            return queryset.filter(**{f"{self.field_name}__in": value})
        matching = queryset.model.objects.filter(**{f"{self.field_name}__in": value}).values("pk")
        return queryset.filter(pk__in=matching)
