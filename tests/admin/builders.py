"""Rows of each admin'd model, with their relations filled, for smoke tests and query budgets."""

import datetime

from core.models import Institute, KeyFigure, Theme
from instruments.models import Instrument, Kind, Network
from offices.models import Country, Coverage, Office, Sector
from partnerships.models import Agreement, Call, Institution, Milestone
from tests.factories import (
    AgreementFactory,
    CallFactory,
    CountryFactory,
    CoverageFactory,
    InstituteFactory,
    InstitutionFactory,
    InstrumentFactory,
    KeyFigureFactory,
    KindFactory,
    LegacyNameFactory,
    MilestoneFactory,
    NetworkFactory,
    OfficeFactory,
    SectorFactory,
    ThemeFactory,
)

CODES = "AR AU BR CA CL CN DE EG GB IN IT JP KE KR MA MX NO SG US ZA".split()


def _shared(factory, slug: str, **kwargs):
    """The one row with this slug that every built row points to: fetched if made already."""
    model = factory._meta.model
    return model.objects.filter(slug=slug).first() or factory(slug=slug, **kwargs)


def _country(i: int) -> Country:
    return CountryFactory(code=CODES[i % len(CODES)], sector=SectorFactory(slug="world"))


def theme(i):
    return ThemeFactory(parent=ThemeFactory(slug="environment") if i % 2 else None)


def institute(i):
    return InstituteFactory(code=f"INS{i}")


def keyfigure(i):
    return KeyFigureFactory()


def sector(i):
    return SectorFactory()


def country(i):
    return _country(i)


def office(i):
    obj = OfficeFactory(country=_country(i))
    CoverageFactory(office=obj, country=obj.country)
    return obj


def coverage(i):
    return CoverageFactory(office=OfficeFactory(country=_country(i)))


def institution(i):
    return InstitutionFactory(country=_country(i), parent=_shared(InstitutionFactory, "parent-org"))


def agreement(i):
    obj = AgreementFactory(office=_shared(OfficeFactory, "office-a", country=_country(0)))
    obj.parties.set([InstitutionFactory(country=_country(i))])
    obj.countries.set([_country(i)])
    obj.themes.set([ThemeFactory(slug="physics")])
    return obj


def call(i):
    obj = CallFactory(agreement=AgreementFactory(), office=_shared(OfficeFactory, "office-a"))
    obj.countries.set([_country(i)])
    obj.funders.set([InstitutionFactory()])
    return obj


def milestone(i):
    obj = MilestoneFactory()
    obj.countries.set([_country(i)])
    return obj


def kind(i):
    obj = KindFactory()
    LegacyNameFactory(kind=obj)
    return obj


def network(i):
    obj = NetworkFactory(office=_shared(OfficeFactory, "office-a", country=_country(0)))
    InstrumentFactory(kind=KindFactory(code="IRN")).networks.add(obj)
    return obj


def instrument(i):
    return InstrumentFactory(
        kind=KindFactory(code="IRP"),
        office=_shared(OfficeFactory, "office-a", country=_country(0)),
        countries=[_country(i)],
        themes=[ThemeFactory(slug="physics")],
        end_on=datetime.date(2030, 1, 1),
    )


BUILDERS = {
    Theme: theme,
    Institute: institute,
    KeyFigure: keyfigure,
    Sector: sector,
    Country: country,
    Office: office,
    Coverage: coverage,
    Institution: institution,
    Agreement: agreement,
    Call: call,
    Milestone: milestone,
    Kind: kind,
    Network: network,
    Instrument: instrument,
}


def build(model, count: int) -> list:
    return [BUILDERS[model](i) for i in range(count)]
