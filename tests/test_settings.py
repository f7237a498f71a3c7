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


def test_a_web_worker_imports_its_views_before_its_first_request_but_not_pandas():
    """Importing the WSGI application, as gunicorn does when a worker starts, imports the URLconf
    and the views, so no visitor's request waits for them; pandas, numpy and openpyxl (about 55 MB
    of each worker's memory) wait for a page that uses them."""
    script = ("import sys, oa_evidence.wsgi; "
              "print([name in sys.modules for name in ('oa_evidence.urls', 'web.views', 'web.api')], "
              "[name for name in ('pandas', 'numpy', 'openpyxl') if name in sys.modules])")
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True,
                            env={**os.environ, "DJANGO_SETTINGS_MODULE": "oa_evidence.settings"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[True, True, True] []"


# What a worker serves most (bench/mix.py), then the pages drawn with pandas.
EVERYDAY_PATHS = ["/", "/projects/?q=phonics&phase=ks1", "/projects/blackpool-ks3-literacy/", "/areas/blackpool/",
                  "/themes/literacy/", "/api/v1/projects/?area=blackpool", "/api/v1/projects/?format=csv",
                  "/api/v1/projects/blackpool-ks3-literacy/", "/api/v1/projects/?q=maths", "/data/projects.csv"]
ANALYSIS_PATHS = ["/explore/", "/compare/?areas=blackpool,oldham"]


def test_the_everyday_pages_leave_pandas_unimported_and_the_analysis_pages_import_it(tmp_path):
    """Served with DEBUG off (stored pages) from a database loaded as in production: the everyday
    pages and API calls answer 200 without pandas; the explore and compare pages import it."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "oa_evidence.settings", "DEBUG": "false",
           "SECRET_KEY": "tests-only", "ALLOWED_HOSTS": "testserver", "RESPONSE_CACHE_SECONDS": "0",
           "DATABASE_URL": f"sqlite:///{tmp_path / 'site.sqlite3'}", "EXPORT_DIR": str(tmp_path / "exports"),
           "STATIC_ROOT": str(tmp_path / "static")}
    env.pop("REDIS_URL", None)
    for command in (["migrate", "--noinput", "-v0"], ["load_evidence", "-v0"], ["collectstatic", "--noinput", "-v0"]):
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True, capture_output=True)
    script = f"""
import sys, oa_evidence.wsgi
from django.test import Client
client = Client()
def loaded():
    return [name for name in ("pandas", "openpyxl") if name in sys.modules]
print([client.get(path).status_code for path in {EVERYDAY_PATHS!r}], loaded())
print([client.get(path).status_code for path in {ANALYSIS_PATHS!r}], loaded())
"""
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    everyday, analysis = result.stdout.strip().splitlines()
    assert everyday == f"{[200] * len(EVERYDAY_PATHS)} []"
    assert analysis == f"{[200] * len(ANALYSIS_PATHS)} ['pandas']"


def test_env_bool_rejects_nonsense(monkeypatch):
    monkeypatch.setenv("OA_FLAG", "perhaps")
    with pytest.raises(ImproperlyConfigured, match="OA_FLAG must be true or false"):
        env_bool("OA_FLAG", False)
    monkeypatch.setenv("OA_FLAG", "off")
    assert env_bool("OA_FLAG", True) is False


def test_make_serve_runs_gunicorn_without_a_shared_control_socket():
    recipe = (Path(__file__).resolve().parent.parent / "Makefile").read_text().split("\nserve:")[1].split("\n\n")[0]
    assert "gunicorn" in recipe and "--no-control-socket" in recipe
