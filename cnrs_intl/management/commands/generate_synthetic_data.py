"""Generate a large synthetic catalogue for load and performance work.

Synthetic rows are marked (slug prefix ``synthetic-``, source "Synthetic data") so they never
mix with the reference data: ``--clear`` removes exactly them. Countries, sectors, themes,
institutes and kinds come from the reference data, which must be loaded first.
"""

import datetime
import random

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from core.models import Institute, Publishable, Theme
from instruments.models import Instrument, Kind
from offices.models import Country
from partnerships.models import Agreement, Call, Institution

PREFIX = "synthetic-"
SOURCE = "Synthetic data (generate_synthetic_data)"
WORDS = (
    "climate ocean biodiversity quantum materials neutrino seismology mathematics health "
    "archaeology energy carbon soil pollination glaciers language economy robotics catalysis"
).split()


class Command(BaseCommand):
    help = "Create SIZE synthetic instruments (and proportional institutions, agreements, calls)."

    def add_arguments(self, parser):
        parser.add_argument("size", type=int, nargs="?", default=1000)
        parser.add_argument("--seed", type=int, default=1978)
        parser.add_argument("--clear", action="store_true", help="Only remove synthetic rows.")

    def handle(self, size, seed, clear, **options):
        if size < 0:
            raise CommandError("SIZE must be positive.")
        with transaction.atomic():
            removed = self.clear()
            if clear:
                self.stdout.write(f"Removed {removed} synthetic rows.")
                return
            self.generate(size, random.Random(seed))

    def clear(self) -> int:
        removed = 0
        for model in (Call, Instrument, Agreement, Institution):
            removed += model.objects.filter(slug__startswith=PREFIX).delete()[0]
        return removed

    def generate(self, size, rng):
        countries = list(Country.objects.all())
        themes = list(Theme.objects.all())
        institutes = list(Institute.objects.all())
        kinds = list(Kind.objects.all())
        if not (countries and themes and institutes and kinds):
            raise CommandError(
                "Load the reference data first: python manage.py load_reference_data"
            )
        published = Publishable.Status.PUBLISHED
        now = datetime.datetime.now(datetime.UTC)

        def title(n):
            return " ".join(rng.sample(WORDS, 3)).capitalize() + f" {n}"

        institutions = bulk_create_with_history(
            [
                Institution(
                    slug=f"{PREFIX}institution-{n}",
                    name_fr=f"Institut {title(n)}",
                    name_en=f"Institute {title(n)}",
                    kind=rng.choice(Institution.Kind.values),
                    country=rng.choice(countries),
                    status=published,
                    published_at=now,
                    source_title=SOURCE,
                )
                for n in range(max(1, size // 2))
            ],
            Institution,
            batch_size=500,
        )
        agreements = bulk_create_with_history(
            [
                Agreement(
                    slug=f"{PREFIX}agreement-{n}",
                    title_fr=f"Accord {title(n)}",
                    title_en=f"Agreement {title(n)}",
                    kind=rng.choice(Agreement.Kind.values),
                    signed_on=datetime.date(rng.randint(1990, 2025), rng.randint(1, 12), 1),
                    status=published,
                    published_at=now,
                    source_title=SOURCE,
                )
                for n in range(max(1, size // 5))
            ],
            Agreement,
            batch_size=500,
        )
        instruments = []
        for n in range(size):
            start = datetime.date(rng.randint(2005, 2027), rng.randint(1, 12), 1)
            instruments.append(
                Instrument(
                    slug=f"{PREFIX}instrument-{n}",
                    acronym=f"SYN{n}",
                    title_fr=f"Projet {title(n)}",
                    title_en=f"Project {title(n)}",
                    summary_en=f"A synthetic instrument about {rng.choice(WORDS)}.",
                    kind=rng.choice(kinds),
                    start_on=start,
                    end_on=start + datetime.timedelta(days=365 * rng.randint(2, 5)),
                    agreement=rng.choice(agreements) if rng.random() < 0.3 else None,
                    status=published if rng.random() < 0.95 else Publishable.Status.DRAFT,
                    published_at=now,
                    source_title=SOURCE,
                )
            )
        instruments = bulk_create_with_history(instruments, Instrument, batch_size=500)
        calls = bulk_create_with_history(
            [
                Call(
                    slug=f"{PREFIX}call-{n}",
                    title_fr=f"Appel {title(n)}",
                    title_en=f"Call {title(n)}",
                    opens_on=datetime.date(2025, rng.randint(1, 12), 1),
                    closes_on=datetime.date(2027, rng.randint(1, 12), 1),
                    agreement=rng.choice(agreements),
                    status=published,
                    published_at=now,
                    source_title=SOURCE,
                )
                for n in range(max(1, size // 20))
            ],
            Call,
            batch_size=500,
        )
        # Re-read to get primary keys on every database, then link the many-to-many rows.
        instruments = list(Instrument.objects.filter(slug__startswith=PREFIX))
        institutions = list(Institution.objects.filter(slug__startswith=PREFIX))
        agreements = list(Agreement.objects.filter(slug__startswith=PREFIX))
        calls = list(Call.objects.filter(slug__startswith=PREFIX))
        links = {
            Instrument.countries.through: [],
            Instrument.themes.through: [],
            Instrument.institutes.through: [],
            Instrument.partners.through: [],
            Agreement.countries.through: [],
            Agreement.parties.through: [],
            Agreement.themes.through: [],
            Call.countries.through: [],
            Call.themes.through: [],
        }
        for item in instruments:
            for country in rng.sample(countries, rng.randint(1, 3)):
                links[Instrument.countries.through].append(
                    Instrument.countries.through(instrument=item, country=country)
                )
            for theme in rng.sample(themes, min(len(themes), rng.randint(1, 2))):
                links[Instrument.themes.through].append(
                    Instrument.themes.through(instrument=item, theme=theme)
                )
            for institute in rng.sample(institutes, rng.randint(1, 2)):
                links[Instrument.institutes.through].append(
                    Instrument.institutes.through(instrument=item, institute=institute)
                )
            for partner in rng.sample(institutions, min(len(institutions), 2)):
                links[Instrument.partners.through].append(
                    Instrument.partners.through(instrument=item, institution=partner)
                )
        for agreement in agreements:
            parties = rng.sample(institutions, min(len(institutions), 2))
            for party in parties:
                links[Agreement.parties.through].append(
                    Agreement.parties.through(agreement=agreement, institution=party)
                )
            for country in {p.country for p in parties if p.country_id}:
                links[Agreement.countries.through].append(
                    Agreement.countries.through(agreement=agreement, country=country)
                )
            links[Agreement.themes.through].append(
                Agreement.themes.through(agreement=agreement, theme=rng.choice(themes))
            )
        for call in calls:
            links[Call.countries.through].append(
                Call.countries.through(call=call, country=rng.choice(countries))
            )
            links[Call.themes.through].append(
                Call.themes.through(call=call, theme=rng.choice(themes))
            )
        for through, rows in links.items():
            through.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
        self.stdout.write(
            f"Created {len(instruments)} instruments, {len(institutions)} institutions, "
            f"{len(agreements)} agreements and {len(calls)} calls (synthetic)."
        )
