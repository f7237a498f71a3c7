"""Production settings: secure defaults on top of the environment-driven base settings.

Use with DJANGO_SETTINGS_MODULE=oa_evidence.production. Requires SECRET_KEY and ALLOWED_HOSTS.
"""

import os

os.environ.setdefault("DEBUG", "false")

from oa_evidence.settings import *  # noqa: E402,F403
from oa_evidence.settings import env_bool  # noqa: E402

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
