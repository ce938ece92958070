"""factory_boy factories, one per model. Records are published unless a test says otherwise
(``InstrumentFactory(status="draft")``).

Two kinds of factories:

- Records (users, offices, institutions, agreements, calls, milestones, networks, instruments,
  key figures) are always created afresh, their slug or username from a sequence. Asking twice
  for the same slug is an IntegrityError, never the old row returned with its old attributes.
- Reference rows (sectors, countries, themes, institutes, kinds, former names) exist once per
  key (slug or code), as in the reference data: a country is its ISO code. Asking for a key that
  exists returns that row, updated with the attributes the call names (``CountryFactory(
  code="CN", name_en="China")`` gives China its English name even if CN was made before); the
  attributes the call leaves out keep their stored values. ``CountryFactory()`` is France.
"""

import datetime

import factory
from django.contrib.auth import get_user_model

from core.models import Institute, KeyFigure, Publishable, Theme, today
from instruments.models import Instrument, Kind, LegacyName, Network
from offices.models import Country, Coverage, Office, Sector
from partnerships.models import Agreement, Call, Institution, Milestone

PUBLISHED = Publishable.Status.PUBLISHED


class ReferenceFactory(factory.django.DjangoModelFactory):
    """A row that exists once per ``_key``: an existing key is fetched and updated, not duplicated.

    Only calls (``SectorFactory(slug="europe", order=1)``, ``create_batch``) fetch: the key a
    call names, or the factory's fixed default key (``CountryFactory()`` is FR). A default key
    from a sequence is new, so the row is created.
    """

    _key = "code"

    class Meta:
        abstract = True

    @classmethod
    def _generate(cls, strategy, params):
        value = params.get(cls._key, cls._meta.declarations.get(cls._key))
        if strategy == factory.enums.CREATE_STRATEGY and isinstance(value, str):
            existing = cls._meta.model._default_manager.filter(**{cls._key: value}).first()
            if existing is not None:
                named = {name: v for name, v in params.items() if name != cls._key}
                for name, v in named.items():
                    setattr(existing, name, v)
                if named:
                    existing.save()
                return existing
        return super()._generate(strategy, params)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    password = factory.django.Password("correct horse battery staple")


class ThemeFactory(ReferenceFactory):
    _key = "slug"

    class Meta:
        model = Theme

    slug = factory.Sequence(lambda n: f"theme-{n}")
    name_fr = factory.LazyAttribute(lambda o: f"Thème {o.slug}")
    name_en = factory.LazyAttribute(lambda o: f"Theme {o.slug}")


class InstituteFactory(ReferenceFactory):
    class Meta:
        model = Institute

    code = factory.Sequence(lambda n: f"INS{n}")
    name_fr = factory.LazyAttribute(lambda o: f"Institut {o.code}")
    name_en = factory.LazyAttribute(lambda o: f"Institute {o.code}")


class KeyFigureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KeyFigure

    slug = factory.Sequence(lambda n: f"figure-{n}")
    value = 101
    label_fr = "réseaux internationaux de recherche"
    label_en = "international research networks"
    as_of = datetime.date(2012, 1, 1)
    source_title = "Test source"
    status = PUBLISHED


class SectorFactory(ReferenceFactory):
    _key = "slug"

    class Meta:
        model = Sector

    slug = factory.Sequence(lambda n: f"sector-{n}")
    name_fr = factory.LazyAttribute(lambda o: f"Secteur {o.slug}")
    name_en = factory.LazyAttribute(lambda o: f"Sector {o.slug}")


class CountryFactory(ReferenceFactory):
    class Meta:
        model = Country

    code = "FR"
    sector = factory.SubFactory(SectorFactory)
    name_fr = factory.LazyAttribute(lambda o: str(o.code))
    name_en = factory.LazyAttribute(lambda o: str(o.code))


class OfficeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Office

    slug = factory.Sequence(lambda n: f"office-{n}")
    name_fr = factory.LazyAttribute(lambda o: f"Bureau {o.slug}")
    name_en = factory.LazyAttribute(lambda o: f"Office {o.slug}")
    city_fr = "Ville"
    city_en = "City"
    country = factory.LazyFunction(CountryFactory)
    sector = factory.SelfAttribute("country.sector")
    opened = 2000
    status = PUBLISHED


class CoverageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Coverage

    office = factory.SubFactory(OfficeFactory)
    country = factory.SelfAttribute("office.country")


class InstitutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Institution

    slug = factory.Sequence(lambda n: f"institution-{n}")
    name_fr = factory.LazyAttribute(lambda o: f"Institution {o.slug}")
    name_en = factory.LazyAttribute(lambda o: f"Institution {o.slug}")
    kind = Institution.Kind.UNIVERSITY
    country = factory.LazyFunction(CountryFactory)
    status = PUBLISHED


class AgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agreement

    slug = factory.Sequence(lambda n: f"agreement-{n}")
    title_fr = factory.LazyAttribute(lambda o: f"Accord {o.slug}")
    title_en = factory.LazyAttribute(lambda o: f"Agreement {o.slug}")
    kind = Agreement.Kind.FRAMEWORK
    # Within one standard term of today: an open end older than that has no known status.
    signed_on = factory.LazyFunction(lambda: today() - datetime.timedelta(days=400))
    status = PUBLISHED


class CallFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Call

    slug = factory.Sequence(lambda n: f"call-{n}")
    title_fr = factory.LazyAttribute(lambda o: f"Appel {o.slug}")
    title_en = factory.LazyAttribute(lambda o: f"Call {o.slug}")
    opens_on = datetime.date(2020, 1, 1)
    closes_on = datetime.date(2020, 3, 1)
    status = PUBLISHED


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    slug = factory.Sequence(lambda n: f"milestone-{n}")
    date = datetime.date(2023, 10, 1)
    title_fr = factory.LazyAttribute(lambda o: f"Jalon {o.slug}")
    title_en = factory.LazyAttribute(lambda o: f"Milestone {o.slug}")
    status = PUBLISHED


class KindFactory(ReferenceFactory):
    class Meta:
        model = Kind

    code = factory.Sequence(lambda n: f"K{n}")
    name_fr = factory.LazyAttribute(lambda o: f"Type {o.code}")
    name_en = factory.LazyAttribute(lambda o: f"Kind {o.code}")


class LegacyNameFactory(ReferenceFactory):
    class Meta:
        model = LegacyName

    kind = factory.SubFactory(KindFactory)
    code = factory.Sequence(lambda n: f"OLD{n}")
    name_fr = factory.LazyAttribute(lambda o: f"Ancien {o.code}")
    name_en = factory.LazyAttribute(lambda o: f"Former {o.code}")


class NetworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Network

    slug = factory.Sequence(lambda n: f"network-{n}")
    name_fr = factory.LazyAttribute(lambda o: f"Réseau {o.slug}")
    name_en = factory.LazyAttribute(lambda o: f"Network {o.slug}")
    launched_on = datetime.date(2023, 11, 24)
    status = PUBLISHED


class InstrumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Instrument
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"instrument-{n}")
    title_fr = factory.LazyAttribute(lambda o: f"Instrument {o.slug} (fr)")
    title_en = factory.LazyAttribute(lambda o: f"Instrument {o.slug}")
    # Every instrument is an IRN unless told otherwise: the one IRN row, not one per instrument.
    kind = factory.LazyFunction(lambda: KindFactory(code="IRN"))
    start_on = datetime.date(2024, 6, 1)
    end_on = datetime.date(2029, 5, 31)
    status = PUBLISHED

    @factory.post_generation
    def countries(self, create, extracted, **kwargs):
        if create and extracted:
            self.countries.set(extracted)

    @factory.post_generation
    def themes(self, create, extracted, **kwargs):
        if create and extracted:
            self.themes.set(extracted)

    @factory.post_generation
    def predecessors(self, create, extracted, **kwargs):
        if create and extracted:
            self.predecessors.set(extracted)
