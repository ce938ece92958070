"""Publish a dated open-data release when the catalogue changed since the last one."""

from django.core.management.base import BaseCommand

from cnrs_intl.open_data import latest_release, publish_release, releases_root


class Command(BaseCommand):
    help = (
        "Build a new open-data release in OPEN_DATA_ROOT (default MEDIA_ROOT/open-data), named "
        "by date (cnrs-international-YYYY-MM-DD, a suffix for a second one the same day), with "
        "the JSON and CSV files, README, LICENCE.txt, CHANGES (what changed since the previous "
        "release), SHA256SUMS, a Frictionless datapackage.json and a zip of it all. Does "
        "nothing when nothing changed since the last release: run it from cron or a timer."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Make a release even when nothing changed (after a change of the files' shape).",
        )

    def handle(self, *args, force=False, **options):
        release = publish_release(force=force)
        if release is None:
            latest = latest_release()
            self.stdout.write(
                f"Nothing changed since release {latest.name}: no new release."
                if latest
                else "No release made."
            )
            return
        self.stdout.write(
            self.style.SUCCESS(f"Published release {release.name} in {releases_root()}")
        )
