"""Write the published catalogue as open data: JSON and CSV per resource, README, licence."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_date

from cnrs_intl.open_data import delta_folder, write_open_data


class Command(BaseCommand):
    help = (
        "Write the whole published catalogue into DIR as JSON and CSV files (one pair per "
        "resource) with a README and the licence (Licence Ouverte / Open Licence 2.0, Etalab). "
        "With --since, also what changed since that date: records added and modified, and the "
        "identifiers of records unpublished or deleted."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", help="Folder to write into (created if missing).")
        parser.add_argument(
            "--since",
            metavar="YYYY-MM-DD",
            help="Also write the changes since this date (midnight, Paris time).",
        )

    def handle(self, *args, directory, since=None, **options):
        moment = None
        if since:
            day = parse_date(since) if len(since) == 10 else None
            if day is None:
                raise CommandError(f"--since expects a date as YYYY-MM-DD, not {since!r}.")
            moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
        counts = write_open_data(directory, since=moment)
        total = sum(counts.values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Wrote {total} records in {len(counts)} resources to {directory}"
                + (f" (changes in {delta_folder(moment)}/)" if moment else "")
            )
        )
