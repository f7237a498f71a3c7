from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from web.loading import FixtureError
from web.loading.curation import UNRESOLVED, unresolved_with_curation_notes


class Command(BaseCommand):
    help = "Rewrite the curation-notes section at the end of fixtures/UNRESOLVED.md from the fixtures."

    def add_arguments(self, parser):
        parser.add_argument("--fixtures", default=str(settings.FIXTURES_DIR), help="The fixtures folder")
        parser.add_argument("--check", action="store_true", help="Fail if the section is out of date; write nothing")

    def handle(self, *args, fixtures, check, **options):
        try:
            current, wanted = unresolved_with_curation_notes(Path(fixtures))
        except FixtureError as error:
            raise CommandError(str(error)) from error
        if current == wanted:
            self.stdout.write(f"{UNRESOLVED} is up to date.")
        elif check:
            raise CommandError(f"{UNRESOLVED} is out of date: run python manage.py curation_notes")
        else:
            (Path(fixtures) / UNRESOLVED).write_text(wanted, encoding="utf-8")
            self.stdout.write(self.style.SUCCESS(f"Rewrote the curation notes in {UNRESOLVED}."))
