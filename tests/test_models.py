"""The database refuses what it must, and the QuerySet reads exclude what they must."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import CheckConstraint, ProtectedError
from django.utils import translation

from core.models import KeyFigure, Theme, end_after_start
from instruments.models import Instrument, Kind, Network
from offices.models import Coverage, Office
from partnerships.models import Agreement, Call, Institution
from tests.factories import (
    AgreementFactory,
    CallFactory,
    CountryFactory,
    CoverageFactory,
    InstitutionFactory,
    InstrumentFactory,
    KindFactory,
    LegacyNameFactory,
    NetworkFactory,
    OfficeFactory,
    SectorFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db
D = datetime.date


def refused(callable_):
    with pytest.raises(IntegrityError), transaction.atomic():
        callable_()


# --- what the database refuses ---------------------------------------------------------------


def test_instrument_end_before_start_is_refused():
    kind = KindFactory(code="IRN")

    refused(
        lambda: Instrument.objects.create(
            slug="x", title="X", kind=kind, start_on=D(2024, 1, 1), end_on=D(2023, 1, 1)
        )
    )


def test_agreement_expiry_before_signature_is_refused():
    refused(
        lambda: Agreement.objects.create(
            slug="a", title="A", kind="framework", signed_on=D(2020, 1, 1), expires_on=D(2019, 1, 1)
        )
    )


def test_call_closing_before_opening_is_refused():
    refused(
        lambda: Call.objects.create(
            slug="c", title="C", opens_on=D(2024, 6, 1), closes_on=D(2024, 5, 1)
        )
    )


def test_coverage_end_before_start_is_refused():
    office = OfficeFactory()

    refused(
        lambda: Coverage.objects.create(
            office=office, country=office.country, start_year=2022, end_year=2021
        )
    )


def test_office_closing_before_opening_is_refused():
    country = CountryFactory(code="BE")

    refused(
        lambda: Office.objects.create(
            slug="o",
            name="O",
            city="C",
            country=country,
            sector=country.sector,
            opened=2010,
            closed=2000,
        )
    )


def test_duplicate_slug_is_refused():
    InstrumentFactory(slug="irn-biodiversity")
    kind = Kind.objects.get(code="IRN")

    refused(lambda: Instrument.objects.create(slug="irn-biodiversity", title="Other", kind=kind))


def test_duplicate_kind_code_is_refused():
    KindFactory(code="IRP")

    refused(lambda: Kind.objects.create(code="IRP", name="Again"))


def test_lower_case_kind_code_is_refused():
    refused(lambda: Kind.objects.create(code="irp", name="lower"))


@pytest.mark.parametrize(
    "ror", ["2feahw73", "02feahw7", "02FEAHW73", "02feahwi3", "0abcdefgh", "02feahw7x"]
)
def test_malformed_ror_id_is_refused(ror):
    refused(lambda: Institution.objects.create(slug="i", name="I", kind="other", ror_id=ror))


def test_well_formed_ror_id_is_accepted_once():
    Institution.objects.create(
        slug="cnrs", name="CNRS", kind="research_organisation", ror_id="02feahw73"
    )

    refused(
        lambda: Institution.objects.create(
            slug="cnrs-2", name="CNRS bis", kind="other", ror_id="02feahw73"
        )
    )


def test_several_institutions_without_ror_id_are_allowed():
    Institution.objects.create(slug="a", name="A", kind="other")
    Institution.objects.create(slug="b", name="B", kind="other")

    assert Institution.objects.filter(ror_id="").count() == 2


def test_photo_without_credit_is_refused():
    country = CountryFactory(code="BE")

    refused(
        lambda: Office.objects.create(
            slug="o",
            name="O",
            city="C",
            country=country,
            sector=country.sector,
            photo="offices/x.jpg",
        )
    )


def test_deleting_a_referenced_kind_is_refused():
    instrument = InstrumentFactory()

    with pytest.raises(ProtectedError):
        instrument.kind.delete()


def test_deleting_a_country_with_an_office_is_refused():
    office = OfficeFactory()

    with pytest.raises(ProtectedError):
        office.country.delete()


def test_deleting_a_referenced_theme_or_sector_is_refused():
    child = ThemeFactory(slug="biodiversity", parent=ThemeFactory(slug="environment"))
    country = CountryFactory(code="CN")

    with pytest.raises(ProtectedError):
        child.parent.delete()
    with pytest.raises(ProtectedError):
        country.sector.delete()


def test_deleting_an_agreement_an_instrument_was_launched_under_is_refused():
    agreement = AgreementFactory()
    InstrumentFactory(agreement=agreement)

    with pytest.raises(ProtectedError):
        agreement.delete()


# --- QuerySet reads ----------------------------------------------------------------------------


def test_published_excludes_drafts():
    InstrumentFactory(slug="public")
    InstrumentFactory(slug="draft", status="draft")

    slugs = list(Instrument.objects.published().values_list("slug", flat=True))

    assert slugs == ["public"]


def test_active_on_date_excludes_ended_and_upcoming():
    InstrumentFactory(slug="ended", start_on=D(2015, 1, 1), end_on=D(2019, 12, 31))
    InstrumentFactory(slug="running", start_on=D(2019, 1, 1), end_on=D(2024, 12, 31))
    InstrumentFactory(slug="open-ended", start_on=D(2010, 1, 1), end_on=None)
    InstrumentFactory(slug="upcoming", start_on=D(2021, 1, 1), end_on=None)

    slugs = set(Instrument.objects.active(on=D(2020, 6, 1)).values_list("slug", flat=True))

    assert slugs == {"running", "open-ended"}


def test_with_status_combines_statuses_with_or():
    InstrumentFactory(slug="ended", start_on=D(2015, 1, 1), end_on=D(2019, 12, 31))
    InstrumentFactory(slug="running", start_on=D(2019, 1, 1), end_on=D(2024, 12, 31))
    InstrumentFactory(slug="upcoming", start_on=D(2021, 1, 1), end_on=None)

    slugs = set(
        Instrument.objects.with_status("ended", "upcoming", on=D(2020, 6, 1)).values_list(
            "slug", flat=True
        )
    )

    assert slugs == {"ended", "upcoming"}


def test_during_year_finds_rows_active_at_some_point_of_the_year():
    InstrumentFactory(slug="ends-early-2020", start_on=D(2015, 1, 1), end_on=D(2020, 1, 31))
    InstrumentFactory(slug="starts-late-2020", start_on=D(2020, 12, 1), end_on=None)
    InstrumentFactory(slug="ended-2019", start_on=D(2015, 1, 1), end_on=D(2019, 12, 31))

    slugs = set(Instrument.objects.during_year(2020).values_list("slug", flat=True))

    assert slugs == {"ends-early-2020", "starts-late-2020"}


def test_for_country_accepts_any_case_and_has_no_duplicates():
    china, japan, brazil = (
        CountryFactory(code="CN"),
        CountryFactory(code="JP"),
        CountryFactory(code="BR"),
    )
    InstrumentFactory(slug="cn-jp", countries=[china, japan])
    InstrumentFactory(slug="br", countries=[brazil])

    slugs = list(Instrument.objects.for_country("cn", "JP").values_list("slug", flat=True))

    assert slugs == ["cn-jp"]


def test_for_theme_includes_sub_themes_and_excludes_others():
    environment = ThemeFactory(slug="environment")
    biodiversity = ThemeFactory(slug="biodiversity", parent=environment)
    physics = ThemeFactory(slug="particle-physics")
    InstrumentFactory(slug="bio", themes=[biodiversity])
    InstrumentFactory(slug="env", themes=[environment])
    InstrumentFactory(slug="phys", themes=[physics])

    broad = set(Instrument.objects.for_theme("environment").values_list("slug", flat=True))
    narrow = set(Instrument.objects.for_theme("biodiversity").values_list("slug", flat=True))

    assert broad == {"bio", "env"}
    assert narrow == {"bio"}


def test_querysets_chain():
    china = CountryFactory(code="CN")
    theme = ThemeFactory(slug="biodiversity")
    InstrumentFactory(slug="match", countries=[china], themes=[theme])
    InstrumentFactory(slug="draft", countries=[china], themes=[theme], status="draft")
    InstrumentFactory(
        slug="ended",
        countries=[china],
        themes=[theme],
        start_on=D(2010, 1, 1),
        end_on=D(2012, 1, 1),
    )
    InstrumentFactory(slug="other-country", themes=[theme])

    slugs = list(
        Instrument.objects.published()
        .active(on=D(2025, 1, 1))
        .for_country("cn")
        .for_theme("biodiversity")
        .values_list("slug", flat=True)
    )

    assert slugs == ["match"]


def test_kind_codes_resolve_legacy_names_and_current_code_wins():
    iea, prc, irn = KindFactory(code="IEA"), KindFactory(code="PRC"), KindFactory(code="IRN")
    LegacyNameFactory(kind=iea, code="PICS")
    LegacyNameFactory(kind=iea, code="PRC-LEGACY")
    LegacyNameFactory(kind=irn, code="GDRI")

    assert Kind.objects.resolve_codes(["gdri"]) == ["IRN"]
    assert Kind.objects.resolve_codes(["PICS", "IRN"]) == ["IEA", "IRN"]
    assert Kind.objects.resolve_codes(["PRC"]) == [prc.code]
    assert Kind.objects.resolve_codes(["NOPE"]) == []


def test_of_kind_finds_current_instruments_by_legacy_name():
    irn = KindFactory(code="IRN")
    LegacyNameFactory(kind=irn, code="GDRI")
    InstrumentFactory(slug="network", kind=irn)
    InstrumentFactory(slug="project", kind=KindFactory(code="IRP"))

    slugs = list(Instrument.objects.of_kind("GDRI").values_list("slug", flat=True))

    assert slugs == ["network"]


def test_agreement_active_uses_signature_and_expiry():
    # Signed long ago with no expiry, renewed within one term: in force.
    AgreementFactory(
        slug="in-force", signed_on=D(1978, 10, 1), expires_on=None, renewed_on=D(2023, 10, 19)
    )
    # Signed long ago with no expiry and nothing since: its status is not known.
    AgreementFactory(slug="silent", signed_on=D(1978, 10, 1), expires_on=None)
    AgreementFactory(slug="expired", signed_on=D(2000, 1, 1), expires_on=D(2005, 1, 1))
    AgreementFactory(slug="future", signed_on=D(2030, 1, 1))

    slugs = set(Agreement.objects.active(on=D(2024, 1, 1)).values_list("slug", flat=True))

    assert slugs == {"in-force"}


def test_open_calls_exclude_closed_ones():
    CallFactory(slug="open", opens_on=D(2024, 6, 1), closes_on=D(2024, 9, 30))
    CallFactory(slug="closed", opens_on=D(2024, 1, 1), closes_on=D(2024, 3, 1))

    slugs = list(Call.objects.open_now(on=D(2024, 7, 1)).values_list("slug", flat=True))

    assert slugs == ["open"]


def test_office_for_country_follows_coverage_and_current_coverage_excludes_past():
    canada = CountryFactory(code="CA")
    us = CountryFactory(code="US", sector=canada.sector)
    washington = OfficeFactory(slug="washington", country=us)
    ottawa = OfficeFactory(slug="ottawa", country=canada)
    CoverageFactory(office=washington, country=canada, end_year=2021)
    CoverageFactory(office=ottawa, country=canada, start_year=2022)
    CoverageFactory(office=washington, country=us)

    offices = set(Office.objects.for_country("ca").values_list("slug", flat=True))
    now = list(
        Coverage.objects.current(on_year=2024)
        .filter(country=canada)
        .values_list("office__slug", flat=True)
    )
    before = list(
        Coverage.objects.past(on_year=2024)
        .filter(country=canada)
        .values_list("office__slug", flat=True)
    )

    assert offices == {"washington", "ottawa"}
    assert now == ["ottawa"]
    assert before == ["washington"]


def test_institution_for_country_and_sector():
    asia = SectorFactory(slug="asia-oceania")
    InstitutionFactory(slug="cas", country=CountryFactory(code="CN", sector=asia))
    InstitutionFactory(slug="ird", country=CountryFactory(code="FR"))

    by_country = list(Institution.objects.for_country("CN").values_list("slug", flat=True))
    by_sector = list(Institution.objects.in_sector("asia-oceania").values_list("slug", flat=True))

    assert by_country == ["cas"]
    assert by_sector == ["cas"]


def test_network_active_and_for_theme():
    theme = ThemeFactory(slug="agriculture")
    NetworkFactory(slug="cnc", launched_on=D(2023, 11, 24)).themes.add(theme)
    NetworkFactory(slug="old", launched_on=D(2000, 1, 1), ended_on=D(2004, 1, 1))

    from instruments.models import Network

    assert list(Network.objects.active(on=D(2025, 1, 1)).values_list("slug", flat=True)) == ["cnc"]
    assert list(Network.objects.for_theme("agriculture").values_list("slug", flat=True)) == ["cnc"]


def test_expand_slugs_walks_the_theme_tree_once():
    root = ThemeFactory(slug="environment")
    child = ThemeFactory(slug="biodiversity", parent=root)
    ThemeFactory(slug="pollination", parent=child)
    ThemeFactory(slug="physics")

    assert Theme.objects.expand_slugs(["Environment"]) == [
        "biodiversity",
        "environment",
        "pollination",
    ]


def test_instrument_slug_reserved_for_a_page_is_refused():
    kind = KindFactory(code="IRN")

    refused(lambda: Instrument.objects.create(slug="networks", title="Networks", kind=kind))


# --- end >= start: one rule, in the database and in clean() ---------------------------------

END_AFTER_START = [
    (Agreement, "signed_on", "expires_on", D(2019, 1, 1), D(2020, 1, 1)),
    (Agreement, "signed_on", "renewed_on", D(2019, 1, 1), D(2020, 1, 1)),
    (Call, "opens_on", "closes_on", D(2024, 5, 1), D(2024, 6, 1)),
    (Call, "projects_start", "projects_end", D(2025, 1, 1), D(2026, 1, 1)),
    (Network, "launched_on", "ended_on", D(2020, 1, 1), D(2021, 1, 1)),
    (Instrument, "start_on", "end_on", D(2023, 1, 1), D(2024, 1, 1)),
    (Office, "opened", "closed", 2000, 2010),
    (Coverage, "start_year", "end_year", 2021, 2022),
]
each_end_after_start = pytest.mark.parametrize(
    ("model", "start", "end", "early", "late"),
    END_AFTER_START,
    ids=[f"{model.__name__}.{end}" for model, _start, end, _early, _late in END_AFTER_START],
)


@each_end_after_start
def test_an_end_before_its_start_is_an_error_on_the_end_field(model, start, end, early, late):
    with pytest.raises(ValidationError) as error, translation.override("en"):
        model(**{start: late, end: early}).clean()

    with translation.override("en"):
        label = str(model._meta.get_field(start).verbose_name)
        assert error.value.message_dict == {end: [f"Cannot precede “{label}”."]}


def test_the_end_before_start_message_is_french_under_fr():
    with pytest.raises(ValidationError) as error, translation.override("fr"):
        Agreement(signed_on=D(2020, 1, 1), expires_on=D(2019, 1, 1)).clean()

    with translation.override("fr"):
        assert error.value.message_dict == {
            "expires_on": ["Ne peut pas précéder «\u00a0signé le\u00a0»."]
        }


@each_end_after_start
def test_an_end_on_its_start_or_an_open_end_passes_clean(model, start, end, early, late):
    model(**{start: early, end: early}).clean()
    model(**{start: early}).clean()
    model(**{end: early}).clean()


@each_end_after_start
def test_each_end_after_start_rule_is_a_database_constraint(model, start, end, early, late):
    conditions = [c.condition for c in model._meta.constraints if isinstance(c, CheckConstraint)]

    assert end_after_start(start, end).condition in conditions


# --- rules the reference data loader asks of the models ---------------------------------------


@pytest.mark.parametrize(
    "target", ["", "offices", "institutions", "agreements", "instruments", "kind:IRN"]
)
def test_a_key_figure_is_compared_with_a_live_count_or_a_current_kind(target):
    KindFactory(code="IRN")

    KeyFigure(compare_with=target).clean()


@pytest.mark.parametrize("target", ["kind:XYZ", "kind:irn", "kind:", "IRN", "networks"])
def test_a_key_figure_compared_with_anything_else_is_refused(target):
    KindFactory(code="IRN")

    with pytest.raises(ValidationError) as error:
        KeyFigure(compare_with=target).clean()

    assert list(error.value.message_dict) == ["compare_with"]


def test_an_office_covers_its_host_country():
    office = OfficeFactory(country=CountryFactory(code="KE"))
    other = CountryFactory(code="TZ")

    office.check_covers_host_country([office.country_id, other.pk])
    with pytest.raises(ValidationError) as error, translation.override("en"):
        office.check_covers_host_country([other.pk])

    with translation.override("en"):
        assert error.value.messages == [
            f"The host country, {office.country}, must be among the countries the office covers."
        ]
