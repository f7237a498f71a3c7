from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from web import export
from web.loading import FixtureError, LoadInProgress, is_loaded, load_evidence, load_lock
from web.loading.finish import analyze_tables, refresh_derived
from web.loading.lock import DEFAULT_WAIT_SECONDS
from web.loading.read import content_hash


class Command(BaseCommand):
    help = "Validate the curated fixtures and load them in one transaction (nothing is written if any is invalid)."

    def add_arguments(self, parser):
        parser.add_argument("--fixtures", default=str(settings.FIXTURES_DIR), help="The fixtures folder")
        parser.add_argument("--check", action="store_true", help="Validate only; write nothing")
        parser.add_argument("--allow-removals", action="store_true",
                            help="Allow a load that removes more than a handful of projects")
        parser.add_argument("--if-changed", action="store_true",
                            help="Do nothing when the database already holds exactly these fixtures")
        parser.add_argument("--wait", type=float, default=DEFAULT_WAIT_SECONDS, metavar="SECONDS",
                            help="How long to wait for another load of the same database to finish "
                                 f"(default {DEFAULT_WAIT_SECONDS}); then refuse, writing nothing")

    def handle(self, *args, fixtures, check, if_changed, allow_removals, wait, **options):
        try:
            if if_changed and self.refresh_if_loaded(Path(fixtures), wait):
                return
            parsed, counts = load_evidence(fixtures, check_only=check, allow_removals=allow_removals, wait=wait,
                                           on_wait=self.stderr.write)
        except (FixtureError, LoadInProgress) as error:
            raise CommandError(str(error)) from error
        if check:
            self.stdout.write(self.style.SUCCESS(
                f"Fixtures are valid: {len(parsed.projects)} projects, {len(parsed.citations)} citations."
            ))
            return
        summary = ", ".join(f"{value} {name.replace('_', ' ')}" for name, value in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Loaded data version {parsed.content_hash[:12]}: {summary}."))
        # Written now, not on the first visit to /data/: once the next load replaces these rows, the
        # package is the only copy of this version left to download.
        folder, _ = export.current_export()
        self.stdout.write(f"Open-data package: {folder}")

    def refresh_if_loaded(self, fixtures: Path, wait: float) -> bool:
        """When the rows are current, recompute derived figures and documents anyway (cheap) in case
        the rules or the API changed with the code; say whether that was all there was to do."""
        with load_lock(wait=wait, on_wait=self.stderr.write):
            if not is_loaded(fixtures):
                return False
            with transaction.atomic():
                refresh_derived()
        transaction.on_commit(analyze_tables)  # at once, unless a caller's transaction is still open
        self.stdout.write(f"Already loaded: data version {content_hash(fixtures)[:12]}; "
                          "derived figures and documents refreshed.")
        return True
