from django.core.management.base import BaseCommand, CommandError

from web.synthetic import SyntheticRefused, generate_synthetic


class Command(BaseCommand):
    help = "Fill this (non-curated) database with a reproducible synthetic corpus for load tests."

    def add_arguments(self, parser):
        parser.add_argument("--projects", type=int, default=10000)
        parser.add_argument("--areas", type=int, default=100)
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, projects, areas, seed, **options):
        try:
            counts = generate_synthetic(projects=projects, seed=seed, areas=areas)
        except SyntheticRefused as error:
            raise CommandError(str(error)) from error
        summary = ", ".join(f"{value:,} {name.replace('_', ' ')}" for name, value in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Generated synthetic data (seed {seed}): {summary}."))
