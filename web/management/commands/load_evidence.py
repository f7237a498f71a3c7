from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from web.loading import FixtureError, load_evidence


class Command(BaseCommand):
    help = "Validate the curated fixtures and load them in one transaction (nothing is written if any is invalid)."

    def add_arguments(self, parser):
        parser.add_argument("--fixtures", default=str(settings.FIXTURES_DIR), help="The fixtures folder")
        parser.add_argument("--check", action="store_true", help="Validate only; write nothing")

    def handle(self, *args, fixtures, check, **options):
        try:
            parsed, counts = load_evidence(fixtures, check_only=check)
        except FixtureError as error:
            raise CommandError(str(error)) from error
        if check:
            self.stdout.write(self.style.SUCCESS(
                f"Fixtures are valid: {len(parsed.projects)} projects, {len(parsed.citations)} citations."
            ))
            return
        summary = ", ".join(f"{value} {name.replace('_', ' ')}" for name, value in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Loaded data version {parsed.content_hash[:12]}: {summary}."))
