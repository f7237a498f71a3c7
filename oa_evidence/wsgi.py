import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

from core.db_deadline import install_deadline

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oa_evidence.settings")
application = get_wsgi_application()
# A hung database gives a 503 within the deadline, not a worker stuck until gunicorn kills it.
if settings.IS_POSTGRES:
    install_deadline(settings.DATABASE_DEADLINE_SECONDS)
