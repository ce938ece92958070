"""The reference data in fixtures/ and the command that loads it, load_reference_data.

The module loads it once (``reference_data``, tests/conftest.py), before its first test, inside a
transaction rolled back after its last; each test (``reference_db``) starts from the freshly
loaded reference data and none sees another's changes.
"""

import csv
import datetime
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import CommandError
from django_countries import countries

from core.models import KeyFigure, Publishable, Theme
from instruments.models import Instrument, Kind, Network
from offices.models import Country, Coverage, Office, Sector
from partnerships.models import Agreement, Call, Institution
from tests.reference_data import edit, load_reference_data

DOMAIN_APPS = ("core", "offices", "partnerships", "instruments")


def row_counts() -> dict[str, int]:
    """Rows of every table of the domain apps, history and many-to-many tables included."""
    return {
        model._meta.label: model._default_manager.count()
        for label in DOMAIN_APPS
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
    }


def history_rows() -> int:
    return sum(
        count
        for label, count in row_counts().items()
        if label.split(".")[1].startswith("Historical")
    )


def current_offices(code: str, year: int) -> list[str]:
    return sorted(
        Coverage.objects.current(on_year=year)
        .filter(country__code=code)
        .values_list("office__slug", flat=True)
    )


def test_load_reference_data_creates_every_reference_record(reference_db):
    output = reference_db

    assert {
        "sectors": Sector.objects.count(),
        "countries": Country.objects.count(),
        "offices": Office.objects.count(),
        "coverages": Coverage.objects.count(),
        "institutions": Institution.objects.count(),
        "agreements": Agreement.objects.count(),
        "calls": Call.objects.count(),
        "kinds": Kind.objects.count(),
        "networks": Network.objects.count(),
        "instruments": Instrument.objects.count(),
        "key figures": KeyFigure.objects.count(),
    } == {
        "sectors": 4,
        "countries": 249,
        "offices": 19,
        "coverages": 113,
        # TOML records, plus the catalogue's rows (fixtures/cooperation/) less the ones that are
        # the same record as a TOML one; institutions also count every partner a row names.
        "institutions": 547,
        "agreements": 4 + 106 - 2,
        "calls": 1 + 34 - 1,
        "kinds": 17,
        "networks": 1,
        "instruments": 13 + 243 - 9,
        "key figures": 18 + 209,
    }
    assert "Office: 19 created, 0 updated, 0 unchanged" in output.splitlines()


def test_load_reference_data_twice_changes_nothing(reference_db):
    rows_before = row_counts()
    history_before = history_rows()
    stamps_before = list(Office.objects.order_by("slug").values_list("slug", "updated_at"))

    output = load_reference_data()

    assert row_counts() == rows_before
    assert history_rows() == history_before
    assert list(Office.objects.order_by("slug").values_list("slug", "updated_at")) == stamps_before
    assert "Country: 0 created, 0 updated, 249 unchanged" in output.splitlines()
    # 13 TOML records, 243 catalogue rows, 21 predecessor links.
    assert "Instrument: 0 created, 0 updated, 277 unchanged" in output.splitlines()


def test_load_reference_data_creates_a_new_record(reference_db, fixtures_copy):
    history_before = history_rows()
    with (fixtures_copy / "themes.toml").open("a", encoding="utf-8") as themes:
        themes.write(
            '\n[[theme]]\nslug = "volcanology"\nparent = "earth-sciences"\n'
            'name_fr = "Volcanologie"\nname_en = "Volcanology"\nsource = "seed-000"\n'
        )

    output = load_reference_data(fixtures_copy)

    assert Theme.objects.get(slug="volcanology").parent.slug == "earth-sciences"
    assert "Theme: 1 created, 0 updated, 21 unchanged" in output.splitlines()
    assert history_rows() == history_before + 1


def test_load_reference_data_saves_only_the_changed_record(reference_db, fixtures_copy):
    history_before = history_rows()
    edit(
        fixtures_copy / "offices.toml",
        'address = "The Innovation Hub, Pretoria"',
        'address = "The Innovation Hub, Pretoria, South Africa"',
    )

    output = load_reference_data(fixtures_copy)

    assert (
        Office.objects.get(slug="pretoria").address == "The Innovation Hub, Pretoria, South Africa"
    )
    assert "Office: 0 created, 1 updated, 18 unchanged" in output.splitlines()
    assert history_rows() == history_before + 1


def test_pretoria_covers_southern_africa(reference_db):
    pretoria = Office.objects.get(slug="pretoria")

    covered = set(pretoria.coverages.current().values_list("country__code", flat=True))

    assert covered == {"ZA", "AO", "BW", "LS", "MG", "MW", "MU", "MZ", "NA", "SZ", "ZM", "ZW"}
    assert set(pretoria.joint_operators.values_list("slug", flat=True)) == {"ird", "cirad"}
    assert (pretoria.opened, pretoria.predecessor.slug) == (2011, "johannesburg")


def test_new_delhi_covers_the_indian_subcontinent(reference_db):
    new_delhi = Office.objects.get(slug="new-delhi")

    covered = set(new_delhi.coverages.current().values_list("country__code", flat=True))

    assert covered == {"IN", "PK", "BD", "NP", "LK"}


def test_tokyo_covers_japan_south_korea_and_taiwan(reference_db):
    tokyo = Office.objects.get(slug="tokyo")

    covered = set(tokyo.coverages.current().values_list("country__code", flat=True))

    assert covered == {"JP", "KR", "TW"}


def test_canada_moves_from_washington_to_ottawa_in_2022(reference_db):
    by_year = {year: current_offices("CA", year) for year in (1980, 2021, 2022, 2025)}

    assert by_year == {
        1980: ["new-york"],
        2021: ["washington"],
        2022: ["ottawa"],
        2025: ["ottawa"],
    }


def test_oceania_followed_from_singapore_from_2019_until_melbourne_opened_in_2021(reference_db):
    by_year = {year: current_offices("AU", year) for year in (2018, 2019, 2021, 2022)}

    # Melbourne opened in December 2021: both offices followed Oceania that year.
    assert by_year == {
        2018: [],
        2019: ["singapore"],
        2021: ["melbourne", "singapore"],
        2022: ["melbourne"],
    }


def test_south_america_moves_from_rio_to_sao_paulo_in_2024(reference_db):
    coverage = {
        (code, year): current_offices(code, year)
        for code in ("BR", "AR", "PE")
        for year in (2005, 2012, 2017, 2020, 2024)
    }

    assert coverage == {
        ("BR", 2005): ["santiago"],
        ("BR", 2012): ["rio-de-janeiro"],
        ("BR", 2017): ["rio-de-janeiro"],
        ("BR", 2020): ["rio-de-janeiro"],
        ("BR", 2024): ["rio-de-janeiro", "sao-paulo"],
        ("AR", 2005): ["santiago"],
        ("AR", 2012): [],
        ("AR", 2017): ["rio-de-janeiro"],
        ("AR", 2020): ["rio-de-janeiro"],
        ("AR", 2024): ["rio-de-janeiro", "sao-paulo"],
        ("PE", 2005): [],
        ("PE", 2012): [],
        ("PE", 2017): [],
        ("PE", 2020): ["rio-de-janeiro"],
        ("PE", 2024): ["rio-de-janeiro", "sao-paulo"],
    }


def test_every_office_covers_its_host_country(reference_db):
    offices = Office.objects.all()

    uncovered = [o.slug for o in offices if not o.coverages.filter(country=o.country).exists()]

    assert uncovered == []


def test_offices_past_and_present_have_their_years(reference_db):
    years = dict(Office.objects.values_list("slug", "opened").order_by("slug"))
    closed = dict(Office.objects.filter(closed__isnull=False).values_list("slug", "closed"))

    assert years == {
        "beijing": 1995,
        "bonn": None,
        "brussels": None,
        "hanoi": 2007,
        "johannesburg": None,
        "malta": 2011,
        "melbourne": 2021,
        "moscow": None,
        "nairobi": 2024,
        "new-delhi": 2011,
        "new-york": 1947,
        "ottawa": 2022,
        "pretoria": 2011,
        "rio-de-janeiro": 2010,
        "santiago": 2002,
        "sao-paulo": 2024,
        "singapore": 2014,
        "tokyo": None,
        "washington": 1984,
    }
    assert closed == {
        "hanoi": 2014,
        "johannesburg": 2011,
        "new-york": 1984,
        "rio-de-janeiro": 2024,
        "santiago": 2010,
    }


def test_legacy_kind_names_resolve_to_the_current_kinds(reference_db):
    codes = ["LIA", "GDRI", "UMI", "PICS", "lia", "PRC", "IRN"]

    resolved = {code: Kind.objects.resolve_codes([code]) for code in codes}

    assert resolved == {
        "LIA": ["IRP"],
        "GDRI": ["IRN"],
        "UMI": ["IRL"],
        "PICS": ["IEA"],
        "lia": ["IRP"],
        "PRC": ["PRC"],
        "IRN": ["IRN"],
    }


def test_cnrs_cas_agreement_signed_in_1978_and_renewed_in_october_2023(reference_db):
    agreement = Agreement.objects.get(slug="cnrs-cas-framework-agreement")

    assert (agreement.signed_on.year, agreement.signed_on.month) == (1978, 10)
    assert agreement.renewed_on == datetime.date(2023, 10, 19)
    assert set(agreement.parties.values_list("slug", flat=True)) == {"cnrs", "cas"}
    assert set(agreement.themes.values_list("slug", flat=True)) == {
        "particle-physics",
        "mathematics",
        "biodiversity",
        "climate-change",
        "ocean",
    }


def test_cnrs_nsfc_call_funds_up_to_five_projects(reference_db):
    call = Call.objects.get(slug="cnrs-nsfc-call-2024")

    assert call.max_projects == 5
    assert (call.projects_start, call.projects_end) == (
        datetime.date(2025, 3, 1),
        datetime.date(2027, 2, 28),
    )
    assert set(call.themes.values_list("slug", flat=True)) == {"biodiversity", "natural-hazards"}
    assert set(call.funders.values_list("slug", flat=True)) == {"cnrs", "nsfc"}


def test_biodiversity_irn_names_its_coordinators(reference_db):
    irn = Instrument.objects.get(slug="irn-cnrs-cas-biodiversity")

    assert irn.kind.code == "IRN"
    assert irn.coordinators == "Magali Proffit, Caroline Habold"
    assert irn.agreement.slug == "cnrs-cas-framework-agreement"
    assert list(irn.countries.values_list("code", flat=True)) == ["CN"]


def test_cnc_network_has_three_axes(reference_db):
    cnc = Network.objects.get(slug="cnc")

    assert cnc.launched_on == datetime.date(2023, 11, 24)
    assert set(cnc.themes.values_list("slug", flat=True)) == {
        "agriculture",
        "biodiversity",
        "environment",
    }
    assert (cnc.website, cnc.researchers, cnc.laboratories) == ("https://cnc-fr-cn.com/", 450, 80)


def test_every_iso_country_has_a_sector(reference_db):
    by_sector = {
        slug: Country.objects.filter(sector__slug=slug).count()
        for slug in ("europe", "americas", "asia-oceania", "africa-middle-east-india")
    }

    assert set(Country.objects.values_list("code", flat=True)) == {c.code for c in countries}
    assert by_sector == {
        "europe": 61,
        "americas": 55,
        "asia-oceania": 49,
        "africa-middle-east-india": 84,
    }
    assert Country.objects.get(code="IN").sector.slug == "africa-middle-east-india"
    assert Country.objects.get(code="RU").sector.slug == "europe"


def test_country_names_come_from_django_countries_in_both_languages(reference_db):
    china = Country.objects.get(code="CN")

    assert (china.name_fr, china.name_en) == ("Chine", "China")


def test_key_figures_keep_their_source_and_live_count(reference_db):
    figures = {
        slug: (int(value), compare_with)
        for slug, value, compare_with in KeyFigure.objects.filter(
            source_title="CNRS: European research and international cooperation, DERCI",
            compare_with__gt="",
        ).values_list("slug", "value", "compare_with")
    }
    gdri = KeyFigure.objects.get(slug="gdri-2014")

    assert figures == {
        "pics-prc-2014": (392, "kind:IEA"),
        "lia-2014": (172, "kind:IRP"),
        "gdri-2014": (101, "kind:IRN"),
        "umi-2014": (35, "kind:IRL"),
        "umifre-2014": (26, "kind:UMIFRE"),
        "offices-2014": (8, "offices"),
    }
    assert (gdri.display_value, gdri.as_of, gdri.checked_on) == (
        "101",
        datetime.date(2014, 1, 1),
        datetime.date(2026, 11, 22),
    )
    assert KeyFigure.objects.get(slug="missions-per-year-2014").display_value == "~55000"
    assert KeyFigure.objects.get(slug="cnc-researchers-2025").display_value == "450"


def test_reference_records_are_published_with_their_provenance(reference_db):
    publishable = [
        model
        for label in DOMAIN_APPS
        for model in apps.get_app_config(label).get_models()
        if issubclass(model, Publishable)
    ]

    drafts = [
        (model.__name__, slug)
        for model in publishable
        for slug in model.objects.exclude(status="published").values_list("slug", flat=True)
    ]
    unstamped = [
        model.__name__
        for model in publishable
        if model.objects.filter(status="published", published_at__isnull=True).exists()
    ]
    # A record from the catalogue (fixtures/cooperation/, its rows and the partners they name)
    # is checked as of its source's date, which an undated page does not give: it then has no
    # "last checked", never the day of loading. Every other record has one.
    catalogue_sources = {
        row["source_url"]
        for path in (Path(settings.BASE_DIR) / "fixtures" / "cooperation").glob("*.csv")
        for row in csv.DictReader(path.open(newline="", encoding="utf-8"))
    }
    unsourced = [
        model.__name__
        for model in publishable
        if model.objects.filter(source_title="").exists()
        or model.objects.filter(checked_on__isnull=True)
        .exclude(source_url__in=catalogue_sources)
        .exists()
    ]

    assert drafts == []
    assert unstamped == []
    assert unsourced == []


def test_malformed_record_fails_naming_file_and_record_and_changes_nothing(
    reference_db, fixtures_copy
):
    rows_before = row_counts()
    edit(
        fixtures_copy / "instruments.toml",
        'slug = "irn-cnrs-cas-biodiversity"\nkind = "IRN"',
        'slug = "irn-cnrs-cas-biodiversity"\nkind = "XYZ"',
    )
    edit(fixtures_copy / "offices.toml", 'address = "University of Ottawa"', 'address = "Moved"')

    with pytest.raises(CommandError) as error:
        load_reference_data(fixtures_copy)

    assert str(error.value) == (
        f"{fixtures_copy / 'instruments.toml'}: instrument 'irn-cnrs-cas-biodiversity': "
        "kind 'XYZ' does not exist"
    )
    assert row_counts() == rows_before
    assert Office.objects.get(slug="ottawa").address == "University of Ottawa"


def test_malformed_value_fails_naming_file_and_record(reference_db, fixtures_copy):
    rows_before = row_counts()
    edit(
        fixtures_copy / "key_figures.toml",
        'slug = "gdri-2014"\norder = 12\nkind = "GDRI"\non_home_page = false\nvalue = 101',
        'slug = "gdri-2014"\norder = 12\nkind = "GDRI"\non_home_page = false\nvalue = "a hundred and one"',
    )

    with pytest.raises(CommandError) as error:
        load_reference_data(fixtures_copy)

    assert str(error.value).startswith(
        f"{fixtures_copy / 'key_figures.toml'}: key figure 'gdri-2014': value: "
    )
    assert row_counts() == rows_before


def test_office_whose_host_country_is_not_covered_fails(reference_db, fixtures_copy):
    edit(
        fixtures_copy / "offices.toml",
        'countries = ["KE"]',
        'countries = ["TZ"]',
    )

    with pytest.raises(CommandError) as error:
        load_reference_data(fixtures_copy)

    assert str(error.value) == (
        f"{fixtures_copy / 'offices.toml'}: office 'nairobi': "
        "The host country, Kenya, must be among the countries the office covers."
    )
    assert list(
        Coverage.objects.filter(office__slug="nairobi").values_list("country__code", flat=True)
    ) == ["KE"]


def test_invalid_ror_id_fails(reference_db, fixtures_copy):
    edit(fixtures_copy / "institutions.toml", 'ror_id = "02feahw73"', 'ror_id = "2feahw73"')

    with pytest.raises(CommandError) as error:
        load_reference_data(fixtures_copy)

    assert str(error.value).startswith(
        f"{fixtures_copy / 'institutions.toml'}: institution 'cnrs': ror_id: A ROR id has nine "
    )


def test_closed_office_coverage_without_an_end_year_fails(reference_db, fixtures_copy):
    edit(
        fixtures_copy / "offices.toml",
        "  start_year = 2007\n  end_year = 2014\n",
        "  start_year = 2007\n",
    )

    with pytest.raises(CommandError) as error:
        load_reference_data(fixtures_copy)

    assert str(error.value) == (
        f"{fixtures_copy / 'offices.toml'}: office 'hanoi': coverage: the office closed in "
        "2014, so every coverage needs an end_year"
    )


def test_unknown_field_fails(reference_db, fixtures_copy):
    edit(fixtures_copy / "themes.toml", 'slug = "ocean"\n', 'slug = "ocean"\ncolour = "blue"\n')

    with pytest.raises(CommandError) as error:
        load_reference_data(fixtures_copy)

    assert str(error.value) == (
        f"{fixtures_copy / 'themes.toml'}: theme 'ocean': unknown field 'colour'"
    )


def test_country_missing_from_the_csv_fails(reference_db, fixtures_copy):
    edit(fixtures_copy / "countries.csv", "FR,europe,France,\n", "")

    with pytest.raises(CommandError) as error:
        load_reference_data(fixtures_copy)

    assert str(error.value) == (
        f"{fixtures_copy / 'countries.csv'}: countries without a sector: FR"
    )


def test_moscow_is_closed_and_covers_nothing_now(reference_db):
    moscow = Office.objects.get(slug="moscow")

    now = Coverage.objects.current().filter(office=moscow).count()
    before = set(
        Coverage.objects.past().filter(office=moscow).values_list("country__code", flat=True)
    )

    assert moscow.is_closed is True
    assert moscow.closed is None
    assert now == 0
    assert "RU" in before
    assert "moscow" not in set(Office.objects.open().values_list("slug", flat=True))


def test_nsfc_call_without_deadline_is_over_once_projects_started(reference_db):
    call = Call.objects.get(slug="cnrs-nsfc-call-2024")

    assert call.closes_on is None
    assert call.date_status == "ended"
    assert list(Call.objects.with_status("ended").filter(pk=call.pk)) == [call]
    assert not Call.objects.open_now().filter(pk=call.pk).exists()
    assert Call.objects.open_now(on=datetime.date(2024, 9, 1)).filter(pk=call.pk).exists()


def test_country_names_are_the_usual_ones_in_both_languages(reference_db):
    nauru = Country.objects.get(code="NR")

    assert (nauru.name_fr, nauru.name_en) == ("Nauru", "Nauru")
    assert Country.objects.get(code="CN").name_fr == "Chine"


def test_public_source_titles_do_not_expose_seed_file_names(reference_db):
    titles = set(Office.objects.values_list("source_title", flat=True)) | set(
        KeyFigure.objects.values_list("source_title", flat=True)
    )

    assert [title for title in titles if "seeds/" in title or ".txt" in title] == []
