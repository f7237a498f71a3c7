"""core.queries.ids_of reads the ids values_list reads, in the same order, on either database."""

import pytest

from core.queries import ids_of
from projects.models import Area, Project
from projects.search import search_projects

pytestmark = pytest.mark.django_db


def _values_list(queryset) -> list[int]:
    return list(queryset.values_list("pk", flat=True))


def test_the_ids_and_their_order_are_values_lists():
    area = Area.objects.filter(projects__isnull=False).order_by("slug").first()
    querysets = [
        Project.objects.order_by("title"),
        Project.objects.order_by("-start_year", "-pk"),
        Project.objects.filter(area=area).order_by("-title"),
        Project.objects.order_by("title")[5:12],
        search_projects(Project.objects.all(), "phonics")[0],
        search_projects(Project.objects.all(), "school to school")[0],
        search_projects(Project.objects.filter(area=area), "reading or maths")[0],
    ]
    for queryset in querysets:
        found = ids_of(queryset)
        assert found == _values_list(queryset), str(queryset.query)
        assert found, str(queryset.query)  # each of these matches something
    assert sorted(ids_of(Project.objects.all())) == sorted(Project.objects.values_list("pk", flat=True))


def test_nothing_matched(django_assert_num_queries):
    with django_assert_num_queries(0):  # Django knows without asking
        assert ids_of(Project.objects.filter(pk__in=[])) == []
    with django_assert_num_queries(1):
        assert ids_of(Project.objects.filter(title="No project has this title")) == []
