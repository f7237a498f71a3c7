import pytest
from django.conf import settings

from projects.loader import load_evidence


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database holds the real curated corpus, loaded once per session."""
    with django_db_blocker.unblock():
        load_evidence(settings.FIXTURES_DIR)
