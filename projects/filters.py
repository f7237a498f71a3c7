"""Filter fields over this app's vocabularies, for every app's FilterSet."""

from core.filters import VocabularyFilter
from projects.models import Theme


class ThemeFamilyFilter(VocabularyFilter):
    """`?theme=literacy` matches Literacy and its sub-themes (Phonics, Reading…), each row once."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("queryset", Theme.objects.all())
        kwargs.setdefault("help_text", "Theme slugs, any of which matches; a broader theme includes its sub-themes "
                                       "(literacy includes phonics; see /api/v1/themes/).")
        super().__init__(*args, **kwargs)

    def filter(self, queryset, value):
        if not value:
            return queryset
        chosen = {theme.pk for theme in value}
        family = [theme for theme in self.field.vocabulary().values() if chosen & {theme.pk, theme.parent_id}]
        return super().filter(queryset, family)
