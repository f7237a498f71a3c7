"""The loader against hostile or careless fixture files, and against two loads at once: each
refusal names the file, record and field, is quick, and leaves the database as it was."""

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import psycopg2
import pytest
import yaml

from core.models import DataVersion
from projects.models import Project
from tests.conftest import ROOT, _browser_database_url_for
from tests.minimal import cost_lines, load_tree, project, write_tree
from web.loading import FixtureError, LoadInProgress, load_evidence, load_lock
from web.loading.lock import ADVISORY_LOCK_KEY
from web.loading.yamlfile import MAX_DEPTH, MAX_FILE_BYTES

FILE = "projects/derby/derby-primary.yaml"


def snapshot():
    return sorted(Project.objects.values_list("slug", "title")), DataVersion.objects.count()


def refused(root: Path) -> str:
    """Load `root` over the loaded good tree; return the error, having checked nothing changed."""
    before = snapshot()
    with pytest.raises(FixtureError) as raised:
        load_tree(root)
    assert snapshot() == before
    return str(raised.value)


@pytest.fixture
def good_tree(tmp_path):
    load_tree(write_tree(tmp_path / "good"))
    return write_tree(tmp_path / "bad")


def rewrite(root: Path, text: str) -> None:
    (root / FILE).write_text(text)


@pytest.mark.django_db
def test_a_negative_amount_beside_a_costing_block_is_named_not_a_traceback(tmp_path):
    load_tree(write_tree(tmp_path / "good"))
    lines = cost_lines()
    lines[0]["amount"] = "-38121"
    costing = {"money": {"basis": "lines", "covers": "the whole project", "start_year": 2018, "end_year": 2022}}
    bad = project(costing=costing, costs={"tables": [{"name": "Project Costs", "lines": lines}]})
    text = refused(write_tree(tmp_path / "bad", [bad]))
    assert (f"{FILE}: project 'derby-primary' > costs.tables[0] > lines[0]: field 'amount': must be ≥ 0, "
            "got '-38121'") in text


@pytest.mark.django_db
def test_a_yaml_bomb_is_refused_at_once(good_tree):
    laughs = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    laughs += [f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 10)}]" for i in range(8)]
    rewrite(good_tree, yaml.safe_dump(project(), sort_keys=False) + "\n".join(laughs) + "\n")
    started = time.monotonic()
    text = refused(good_tree)
    assert time.monotonic() - started < 10  # the whole load, sources included; the bomb took 101 s to fail
    assert f"{FILE}: line " in text
    assert "expands the file to more than 200,000 values" in text
    assert "(top level): field 'f': the alias *e" in text


@pytest.mark.django_db
def test_an_alias_inside_its_own_anchor_is_refused(good_tree):
    rewrite(good_tree, yaml.safe_dump(project(), sort_keys=False) + "themes: &loop [maths, *loop]\n")
    assert "field 'themes': the alias *loop repeats a value that contains it" in refused(good_tree)


@pytest.mark.django_db
def test_the_curated_anchors_and_aliases_still_load():
    derby = Project.objects.get(slug="derby-primary-school-improvement")  # its cost lines use aliases
    assert derby.cost_lines.count() == 9


@pytest.mark.django_db
def test_deep_nesting_is_refused_with_its_field(good_tree):
    rewrite(good_tree, yaml.safe_dump(project(), sort_keys=False).replace(
        "summary: ", "problem: " + "[" * 5000 + "]" * 5000 + "\nsummary: ", 1))
    text = refused(good_tree)
    assert f"{FILE}: line " in text
    assert f"(top level): field 'problem': nests deeper than {MAX_DEPTH} levels" in text


@pytest.mark.django_db
def test_a_key_given_twice_is_refused_not_silently_replaced(good_tree):
    text = yaml.safe_dump(project(), sort_keys=False)
    text = text.replace("title: Derby primary school improvement\n",
                        "title: Derby primary school improvement\ntitle: Another title\n", 1)
    rewrite(good_tree, text)
    message = refused(good_tree)
    assert f"{FILE}: line 3: (top level): field 'title': is given twice in the same mapping (lines 2 and 3)" in message


@pytest.mark.django_db
def test_a_key_given_twice_deep_in_a_record_names_that_record(good_tree):
    text = yaml.safe_dump(project(), sort_keys=False)
    text = text.replace("      amount: '98298'\n", "      amount: '98298'\n      amount: '9829'\n", 1)
    rewrite(good_tree, text)
    assert "costs > tables[0] > lines[3]: field 'amount': is given twice" in refused(good_tree)


@pytest.mark.django_db
def test_an_oversized_file_is_refused_before_it_is_parsed(good_tree):
    rewrite(good_tree, yaml.safe_dump(project(), sort_keys=False) + "#" * MAX_FILE_BYTES + "\n")
    assert f"{FILE}: is {MAX_FILE_BYTES + 1 + len(yaml.safe_dump(project(), sort_keys=False)):,} bytes" in \
        refused(good_tree)


# --- two loads at once ----------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_second_load_refuses_cleanly_while_another_holds_the_lock(tmp_path):
    """Threads with their own database connections: one holds the load lock, the other gives up."""
    root = write_tree(tmp_path, [project(slug="derby-locked", title="Loaded while locked")])
    holding, release = threading.Event(), threading.Event()

    def hold():
        with load_lock(wait=5):
            holding.set()
            release.wait(30)

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert holding.wait(10)
        before = snapshot()
        with pytest.raises(LoadInProgress, match="another load_evidence is writing to this database; waited 1 s"):
            load_evidence(root, allow_removals=True, wait=1)
        assert snapshot() == before
    finally:
        release.set()
        holder.join()
    load_evidence(root, allow_removals=True, wait=1)  # once the other has finished, it loads
    assert Project.objects.filter(slug="derby-locked").exists()


def _manage(env, *args, **kwargs):
    return subprocess.Popen([sys.executable, str(ROOT / "manage.py"), *args], env=env, cwd=ROOT, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kwargs)


def test_two_load_processes_at_once_both_succeed_and_a_held_lock_makes_them_wait(tmp_path):
    """Real processes on a database of their own (a SQLite file, or `<name>_loadlock` on PostgreSQL)."""
    url = _browser_database_url_for(tmp_path, "loadlock")
    env = {**os.environ, "DATABASE_URL": url}
    migrate = _manage(env, "migrate", "--noinput", "-v0")
    assert migrate.wait(120) == 0, migrate.stderr.read()

    # Two loads started together: before the lock, one ended in IntegrityError / "database is locked".
    racing = [_manage(env, "load_evidence") for _ in range(2)]
    outputs = [process.communicate(timeout=300) for process in racing]
    assert [process.returncode for process in racing] == [0, 0], outputs
    assert all("Loaded data version" in out for out, _ in outputs)

    # While something holds the lock, a load with a short wait refuses and one with a long wait waits.
    if url.startswith("postgres"):
        holder = psycopg2.connect(url)
        holder.cursor().execute("SELECT pg_advisory_lock(%s)", [ADVISORY_LOCK_KEY])
        release = holder.close
    else:
        import fcntl
        handle = open(f"{url.removeprefix('sqlite:///')}.load-lock", "a")  # noqa: SIM115 (held across processes)
        fcntl.flock(handle, fcntl.LOCK_EX)
        release = handle.close
    impatient = _manage(env, "load_evidence", "--wait", "1")
    patient = _manage(env, "load_evidence", "--wait", "120")
    out, err = impatient.communicate(timeout=120)
    assert impatient.returncode == 1
    assert "another load_evidence is writing to this database; waited 1 s" in err
    assert "Traceback" not in err
    time.sleep(1)
    assert patient.poll() is None  # still waiting
    release()
    out, err = patient.communicate(timeout=300)
    assert patient.returncode == 0, err
    assert "waiting for it to finish" in err
    assert "Loaded data version" in out
