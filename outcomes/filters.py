import django_filters

from core.filters import SlugMultipleChoiceFilter, VocabularyFilter
from outcomes.models import EvidenceType, OutcomeMeasure, PupilGroup, Unit
from projects.filters import ThemeFamilyFilter
from projects.models import Area, Phase, Project


def subject_choices():
    subjects = OutcomeMeasure.objects.exclude(subject="").order_by("subject").values_list("subject", flat=True)
    return [(subject, subject) for subject in subjects.distinct()]


class OutcomeFilter(django_filters.FilterSet):
    area = VocabularyFilter(field_name="project__area", queryset=Area.objects.all())
    project = SlugMultipleChoiceFilter(field_name="project", queryset=Project.objects.all())
    theme = ThemeFamilyFilter(field_name="project__themes")
    phase = VocabularyFilter(field_name="phase", queryset=Phase.objects.all())
    subject = django_filters.MultipleChoiceFilter(choices=subject_choices)
    group = django_filters.MultipleChoiceFilter(choices=PupilGroup.choices)
    evidence_type = django_filters.MultipleChoiceFilter(choices=EvidenceType.choices)
    unit = django_filters.MultipleChoiceFilter(choices=Unit.choices)

    class Meta:
        model = OutcomeMeasure
        fields = []
