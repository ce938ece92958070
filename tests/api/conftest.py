"""A small catalogue with, beside each published record, the draft that must never leak out."""

import datetime
from types import SimpleNamespace

import pytest
from django.core.cache import cache

from core.models import Publishable
from tests.factories import (
    AgreementFactory,
    CallFactory,
    CountryFactory,
    CoverageFactory,
    InstituteFactory,
    InstitutionFactory,
    InstrumentFactory,
    KindFactory,
    LegacyNameFactory,
    MilestoneFactory,
    NetworkFactory,
    OfficeFactory,
    SectorFactory,
    ThemeFactory,
)

DRAFT = Publishable.Status.DRAFT


@pytest.fixture(autouse=True)
def _api_settings(settings):
    """A fresh throttle cache and a rate no test reaches unless it sets its own."""
    cache.clear()
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "100000/min"},
    }
    yield
    cache.clear()


@pytest.fixture
def catalogue(db, settings):
    # History is not what these tests read, and recording it triples the set-up time.
    settings.SIMPLE_HISTORY_ENABLED = False
    asia = SectorFactory(
        slug="asia-oceania", name_fr="Asie–Océanie", name_en="Asia–Oceania", order=3
    )
    europe = SectorFactory(slug="europe", name_fr="Europe", name_en="Europe", order=1)
    china = CountryFactory(code="CN", sector=asia, name_fr="Chine", name_en="China")
    japan = CountryFactory(code="JP", sector=asia, name_fr="Japon", name_en="Japan")
    france = CountryFactory(code="FR", sector=europe, name_fr="France", name_en="France")

    environment = ThemeFactory(
        slug="environment", name_fr="Environnement", name_en="Environment", order=1
    )
    biodiversity = ThemeFactory(
        slug="biodiversity",
        name_fr="Biodiversité",
        name_en="Biodiversity",
        parent=environment,
        order=2,
    )
    physics = ThemeFactory(slug="physics", name_fr="Physique", name_en="Physics", order=3)
    inee = InstituteFactory(
        code="INEE",
        name_fr="Institut écologie et environnement",
        name_en="Institute of Ecology and Environment",
    )
    inp = InstituteFactory(
        code="INP", name_fr="Institut de physique", name_en="Institute of Physics"
    )
    irn = KindFactory(
        code="IRN",
        name_fr="Réseau international de recherche",
        name_en="International Research Network",
        order=1,
    )
    irp = KindFactory(
        code="IRP",
        name_fr="Projet international de recherche",
        name_en="International Research Project",
        order=2,
    )
    LegacyNameFactory(kind=irn, code="GDRI")
    LegacyNameFactory(kind=irp, code="LIA")

    beijing = OfficeFactory(
        slug="beijing",
        name_fr="Bureau de Pékin",
        name_en="Beijing office",
        country=china,
        sector=asia,
        opened=1995,
    )
    CoverageFactory(office=beijing, country=china)
    CoverageFactory(office=beijing, country=japan, start_year=2000, end_year=2010)
    tokyo = OfficeFactory(
        slug="tokyo", name_fr="Bureau de Tokyo", name_en="Tokyo office", country=japan, sector=asia
    )
    CoverageFactory(office=tokyo, country=japan, start_year=2011)
    secret_office = OfficeFactory(slug="secret-office", country=china, sector=asia, status=DRAFT)
    CoverageFactory(office=secret_office, country=china)

    cas = InstitutionFactory(
        slug="cas",
        name_fr="Académie chinoise des sciences",
        name_en="Chinese Academy of Sciences",
        acronym="CAS",
        country=china,
        kind="academy",
    )
    nsfc = InstitutionFactory(
        slug="nsfc",
        name_fr="Fondation NSFC",
        name_en="NSFC foundation",
        acronym="NSFC",
        country=china,
        kind="funding_agency",
    )
    jsps = InstitutionFactory(
        slug="jsps", name_fr="JSPS", name_en="JSPS", country=japan, kind="funding_agency"
    )
    hidden_institution = InstitutionFactory(slug="hidden-institution", country=china, status=DRAFT)

    cnrs_cas = AgreementFactory(
        slug="cnrs-cas",
        title_fr="Accord CNRS–CAS",
        title_en="CNRS–CAS agreement",
        kind="framework",
        signed_on=datetime.date(2013, 10, 1),
        expires_on=datetime.date(2098, 10, 1),
        office=secret_office,
    )
    cnrs_cas.parties.set([cas, hidden_institution])
    cnrs_cas.countries.set([china])
    cnrs_cas.themes.set([environment])
    old_japan = AgreementFactory(
        slug="old-japan",
        title_fr="Ancien accord Japon",
        title_en="Old Japan agreement",
        kind="memorandum",
        signed_on=datetime.date(2005, 1, 1),
        expires_on=datetime.date(2010, 1, 1),
        office=tokyo,
    )
    old_japan.parties.set([jsps])
    old_japan.countries.set([japan])
    old_japan.themes.set([physics])
    draft_agreement = AgreementFactory(slug="draft-agreement", status=DRAFT)
    draft_agreement.countries.set([china])

    nsfc_call = CallFactory(
        slug="nsfc-call",
        title_fr="Appel NSFC",
        title_en="NSFC call",
        agreement=cnrs_cas,
        opens_on=datetime.date(2024, 1, 1),
        closes_on=datetime.date(2098, 3, 1),
        office=beijing,
    )
    nsfc_call.funders.set([nsfc, hidden_institution])
    nsfc_call.countries.set([china])
    nsfc_call.themes.set([biodiversity])
    jsps_call = CallFactory(
        slug="jsps-call",
        title_fr="Appel JSPS",
        title_en="JSPS call",
        agreement=draft_agreement,
        opens_on=datetime.date(2019, 1, 1),
        closes_on=datetime.date(2019, 3, 1),
    )
    jsps_call.funders.set([jsps])
    jsps_call.countries.set([japan])
    jsps_call.themes.set([physics])
    draft_call = CallFactory(slug="draft-call", status=DRAFT)
    draft_call.countries.set([china])

    cnc = NetworkFactory(
        slug="cnc",
        acronym="CNC",
        name_fr="Réseau carbone",
        name_en="Carbon network",
        agreement=cnrs_cas,
        office=beijing,
    )
    cnc.countries.set([china])
    cnc.themes.set([environment])
    cnc.institutions.set([cas, hidden_institution])
    draft_network = NetworkFactory(slug="draft-network", status=DRAFT)
    draft_network.countries.set([china])

    irn_bio = InstrumentFactory(
        slug="irn-bio",
        acronym="BIO",
        title_fr="Réseau biodiversité",
        title_en="Biodiversity network",
        kind=irn,
        start_on=datetime.date(2024, 6, 1),
        end_on=datetime.date(2098, 5, 31),
        office=beijing,
        agreement=cnrs_cas,
        countries=[china],
        themes=[biodiversity],
    )
    irn_bio.institutes.set([inee])
    irn_bio.partners.set([cas, hidden_institution])
    irn_bio.networks.set([cnc, draft_network])
    irp_physics = InstrumentFactory(
        slug="irp-physics",
        title_fr="Projet physique",
        title_en="Physics project",
        kind=irp,
        start_on=datetime.date(2015, 1, 1),
        end_on=datetime.date(2020, 12, 31),
        office=secret_office,
        agreement=draft_agreement,
        countries=[japan],
        themes=[physics],
    )
    irp_physics.institutes.set([inp])
    irp_physics.partners.set([jsps])
    draft_instrument = InstrumentFactory(
        slug="draft-instrument",
        kind=irn,
        countries=[china],
        themes=[biodiversity],
        status=DRAFT,
        predecessors=[irn_bio],
    )
    draft_instrument.institutes.set([inee])
    draft_instrument.partners.set([cas])
    draft_instrument.networks.set([cnc])
    future_irn = InstrumentFactory(
        slug="future-irn",
        title_fr="Réseau futur",
        title_en="Future network",
        kind=irn,
        start_on=datetime.date(2099, 1, 1),
        end_on=None,
        countries=[china, france],
        themes=[physics],
        predecessors=[irp_physics],
    )
    future_irn.partners.set([cas])

    visit = MilestoneFactory(
        slug="visit-2024", date=datetime.date(2024, 6, 23), title_fr="Visite", title_en="Visit"
    )
    visit.countries.set([china])
    visit.themes.set([biodiversity])
    visit.agreements.set([cnrs_cas, draft_agreement])
    visit.institutions.set([cas, hidden_institution])
    first = MilestoneFactory(
        slug="agreement-1978",
        date=datetime.date(1978, 1, 1),
        title_fr="Premier accord",
        title_en="First agreement",
    )
    first.countries.set([china])
    draft_milestone = MilestoneFactory(slug="draft-milestone", status=DRAFT)
    draft_milestone.countries.set([china])
    irn_bio.milestones.set([visit, draft_milestone])

    settings.SIMPLE_HISTORY_ENABLED = True
    return SimpleNamespace(**{k: v for k, v in locals().items() if k not in {"db", "settings"}})
