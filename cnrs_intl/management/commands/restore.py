"""``manage.py restore DIR``: checks every checksum, then replaces the database and copies the
media files back."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cnrs_intl.backup import restore, verify


class Command(BaseCommand):
    help = "Restore a backup made by `manage.py backup` (replaces the database's content)."

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path)
        parser.add_argument(
            "--no-input", action="store_false", dest="interactive", help="Do not ask."
        )

    def handle(self, *args, directory, interactive=True, **options):
        manifest = verify(directory)
        if interactive:
            answer = input(
                f"Replace the database's content with the backup of {manifest['created']}? "
                "Type 'yes' to go on: "
            )
            if answer.strip().lower() != "yes":
                raise CommandError("Restore cancelled.")
        restore(directory)
        self.stdout.write(f"Restored the backup of {manifest['created']} from {directory}.")
