"""Filter fields over this app's vocabularies, for every app's FilterSet."""

from core.filters import SlugMultipleChoiceFilter
from projects.models import Theme


class ThemeFamilyFilter(SlugMultipleChoiceFilter):
    """`?theme=literacy` matches Literacy and its sub-themes (Phonics, Reading…), each row once."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("queryset", Theme.objects.all())
        kwargs.setdefault("help_text", "Theme slugs, any of which matches; a broader theme includes its sub-themes "
                                       "(literacy includes phonics; see /api/v1/themes/).")
        super().__init__(*args, **kwargs)

    def filter(self, queryset, value):
        if not value:
            return queryset
        return super().filter(queryset, Theme.objects.families_of([theme.slug for theme in value]))
