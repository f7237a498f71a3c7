import django_filters

from core.filters import SlugMultipleChoiceFilter, VocabularyFilter
from costs.models import CostCategory, CostLine, FundingSource
from projects.models import Area, Project


class CostLineFilter(django_filters.FilterSet):
    area = VocabularyFilter(field_name="project__area", queryset=Area.objects.all())
    project = SlugMultipleChoiceFilter(field_name="project", queryset=Project.objects.all())
    category = django_filters.MultipleChoiceFilter(choices=CostCategory.choices)
    funding_source = django_filters.MultipleChoiceFilter(choices=FundingSource.choices)
    start_year = django_filters.NumberFilter(field_name="start_year", lookup_expr="gte", min_value=1990,
                                             max_value=2100, label="Period starting in or after")
    end_year = django_filters.NumberFilter(field_name="end_year", lookup_expr="lte", min_value=1990,
                                           max_value=2100, label="Period ending in or before")

    class Meta:
        model = CostLine
        fields = []
