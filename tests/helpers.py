from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.versioning import current_data_version


def queries_for(client, url: str) -> int:
    """How many SQL queries one GET of `url` runs (the response must be 200).

    The data version is looked up first: it is cached across requests, so which request of a
    test happens to pay for it should not change the count."""
    current_data_version()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(captured.captured_queries)
