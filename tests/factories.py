"""factory_boy factories, one per model. Records are published unless a test says otherwise
(``InstrumentFactory(status="draft")``); reference rows (sectors, countries) are get-or-created."""

import datetime

import factory
from django.contrib.auth import get_user_model

from core.models import Institute, KeyFigure, Publishable, Theme
from instruments.models import Instrument, Kind, LegacyName, Network
from offices.models import Country, Coverage, Office, Sector
from partnerships.models import Agreement, Call, Institution, Milestone

PUBLISHED = Publishable.Status.PUBLISHED


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    password = factory.django.Password("correct horse battery staple")


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"theme-{n}")
    name_fr = factory.LazyAttribute(lambda o: f"Thème {o.slug}")
    name_en = factory.LazyAttribute(lambda o: f"Theme {o.slug}")


class InstituteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Institute
        django_get_or_create = ("code",)

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


class SectorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sector
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"sector-{n}")
    name_fr = factory.LazyAttribute(lambda o: f"Secteur {o.slug}")
    name_en = factory.LazyAttribute(lambda o: f"Sector {o.slug}")


class CountryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Country
        django_get_or_create = ("code",)

    code = "FR"
    sector = factory.SubFactory(SectorFactory)
    name_fr = factory.LazyAttribute(lambda o: str(o.code))
    name_en = factory.LazyAttribute(lambda o: str(o.code))


class OfficeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Office
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"office-{n}")
    name_fr = factory.LazyAttribute(lambda o: f"Bureau {o.slug}")
    name_en = factory.LazyAttribute(lambda o: f"Office {o.slug}")
    city_fr = "Ville"
    city_en = "City"
    country = factory.SubFactory(CountryFactory)
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
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"institution-{n}")
    name_fr = factory.LazyAttribute(lambda o: f"Institution {o.slug}")
    name_en = factory.LazyAttribute(lambda o: f"Institution {o.slug}")
    kind = Institution.Kind.UNIVERSITY
    country = factory.SubFactory(CountryFactory)
    status = PUBLISHED


class AgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agreement
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"agreement-{n}")
    title_fr = factory.LazyAttribute(lambda o: f"Accord {o.slug}")
    title_en = factory.LazyAttribute(lambda o: f"Agreement {o.slug}")
    kind = Agreement.Kind.FRAMEWORK
    signed_on = datetime.date(2020, 1, 1)
    status = PUBLISHED


class CallFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Call
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"call-{n}")
    title_fr = factory.LazyAttribute(lambda o: f"Appel {o.slug}")
    title_en = factory.LazyAttribute(lambda o: f"Call {o.slug}")
    opens_on = datetime.date(2020, 1, 1)
    closes_on = datetime.date(2020, 3, 1)
    status = PUBLISHED


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"milestone-{n}")
    date = datetime.date(2023, 10, 1)
    title_fr = factory.LazyAttribute(lambda o: f"Jalon {o.slug}")
    title_en = factory.LazyAttribute(lambda o: f"Milestone {o.slug}")
    status = PUBLISHED


class KindFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Kind
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"K{n}")
    name_fr = factory.LazyAttribute(lambda o: f"Type {o.code}")
    name_en = factory.LazyAttribute(lambda o: f"Kind {o.code}")


class LegacyNameFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LegacyName
        django_get_or_create = ("code",)

    kind = factory.SubFactory(KindFactory)
    code = factory.Sequence(lambda n: f"OLD{n}")
    name_fr = factory.LazyAttribute(lambda o: f"Ancien {o.code}")
    name_en = factory.LazyAttribute(lambda o: f"Former {o.code}")


class NetworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Network
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"network-{n}")
    name_fr = factory.LazyAttribute(lambda o: f"Réseau {o.slug}")
    name_en = factory.LazyAttribute(lambda o: f"Network {o.slug}")
    launched_on = datetime.date(2023, 11, 24)
    status = PUBLISHED


class InstrumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Instrument
        django_get_or_create = ("slug",)
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"instrument-{n}")
    title_fr = factory.LazyAttribute(lambda o: f"Instrument {o.slug} (fr)")
    title_en = factory.LazyAttribute(lambda o: f"Instrument {o.slug}")
    kind = factory.SubFactory(KindFactory, code="IRN")
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
