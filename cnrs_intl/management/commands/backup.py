"""``manage.py backup DIR``: database, media files and a manifest of SHA-256 checksums."""

from pathlib import Path

from django.core.management.base import BaseCommand

from cnrs_intl.backup import backup


class Command(BaseCommand):
    help = "Back up the database and the media files into DIR (a new or empty folder)."

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path)

    def handle(self, *args, directory, **options):
        manifest = backup(directory)
        self.stdout.write(
            f"Backed up the {manifest['database']['vendor']} database and "
            f"{len(manifest['files']) - 1} file(s) into {directory}."
        )
