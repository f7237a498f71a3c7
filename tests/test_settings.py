"""Settings: the production module passes Django's deployment checks; bad values fail loudly."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from oa_evidence.settings import env_bool

ROOT = Path(__file__).resolve().parent.parent


def test_production_settings_pass_check_deploy():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "oa_evidence.production",
           "SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "oa-evidence.example.org"}
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                            cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {key: value for key, value in os.environ.items() if key != "SECRET_KEY"}
    env["DJANGO_SETTINGS_MODULE"] = "oa_evidence.production"
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_a_web_worker_imports_its_views_before_its_first_request():
    """Importing the WSGI application, as gunicorn does when a worker starts, imports the URLconf
    and the views, so no visitor's request waits for them."""
    script = ("import sys, oa_evidence.wsgi; "
              "print(all(name in sys.modules for name in ('oa_evidence.urls', 'web.views', 'web.api', 'pandas')))")
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True,
                            env={**os.environ, "DJANGO_SETTINGS_MODULE": "oa_evidence.settings"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"


def test_env_bool_rejects_nonsense(monkeypatch):
    monkeypatch.setenv("OA_FLAG", "perhaps")
    with pytest.raises(ImproperlyConfigured, match="OA_FLAG must be true or false"):
        env_bool("OA_FLAG", False)
    monkeypatch.setenv("OA_FLAG", "off")
    assert env_bool("OA_FLAG", True) is False


def test_make_serve_runs_gunicorn_without_a_shared_control_socket():
    recipe = (Path(__file__).resolve().parent.parent / "Makefile").read_text().split("\nserve:")[1].split("\n\n")[0]
    assert "gunicorn" in recipe and "--no-control-socket" in recipe
