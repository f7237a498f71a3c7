from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from web.export import build_package


class Command(BaseCommand):
    help = ("Write the open-data package of the loaded data version: datapackage.json, one CSV per table, "
            "evidence.sqlite, and a zip of them.")

    def add_arguments(self, parser):
        parser.add_argument("--out", default=str(settings.EXPORT_DIR), help="Folder to write into")

    def handle(self, *args, out, **options):
        folder = build_package(Path(out))
        self.stdout.write(self.style.SUCCESS(f"Wrote {folder} and {folder.name}.zip beside it."))
