"""Dates shown as precisely as their source gives them (1978, October 1978, a full date).

The formatter in both languages, then the reference data (the CNRS–CAS agreement was signed in
October 1978, renewed on 19 October 2023) as the pages, the feeds, the API, the downloads and the
open data show it, and as the loader reads it. The reference data is loaded once for the module,
inside a transaction rolled back after its last test (``reference_db``, tests/conftest.py).
"""

import csv
import datetime
import io
import json
import re
from http import HTTPStatus
from xml.etree import ElementTree

import openpyxl
import pytest
from django.apps import apps
from django.core.management import CommandError
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from cnrs_intl.open_data import write_open_data
from core.dates import as_given, format_precise_date, format_precise_span, precise_iso
from instruments.models import Instrument, Network
from partnerships.models import Agreement, Call
from tests.reference_data import edit, load_reference_data

NOV_24 = datetime.date(2023, 11, 24)
OCT_1978 = datetime.date(1978, 10, 1)
CNRS_CAS = "cnrs-cas-framework-agreement"
# Every way a page could spell the made-up first of October 1978.
MADE_UP_DAYS = [
    "1978-10-01",
    "1 October 1978",
    "October 1, 1978",
    "Oct. 1, 1978",
    "1 octobre 1978",
    "1er octobre 1978",
]
ATOM = "{http://www.w3.org/2005/Atom}"


def history_rows() -> int:
    return sum(
        model._default_manager.count()
        for label in ("partnerships", "instruments")
        for model in apps.get_app_config(label).get_models()
        if model.__name__.startswith("Historical")
    )


def page(client, name: str, language: str, **kwargs) -> str:
    with translation.override(language):
        url = reverse(name, kwargs=kwargs)
    response = client.get(url)
    assert response.status_code == HTTPStatus.OK
    # Templates break lines between tags (160 characters at most): compare the markup without
    # the whitespace between tags, which no reader sees.
    return re.sub(r">\s+<", "><", response.content.decode())


def read_csv(response) -> list[dict[str, str]]:
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(content)))


# -- the formatter --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "precision", "expected"),
    [
        ("fr", "day", "24 novembre 2023"),
        ("fr", "month", "novembre 2023"),
        ("fr", "year", "2023"),
        ("en", "day", "24 November 2023"),
        ("en", "month", "November 2023"),
        ("en", "year", "2023"),
    ],
)
def test_format_precise_date_shows_what_the_source_gives_in_each_language(
    language, precision, expected
):
    with translation.override(language):
        text = format_precise_date(NOV_24, precision)

    assert text == expected


def test_format_precise_date_without_a_date_or_a_known_precision():
    with translation.override("fr"):
        texts = [
            format_precise_date(None, "month"),
            format_precise_date(NOV_24, ""),
            format_precise_date(NOV_24, None),
            format_precise_date(NOV_24, "week"),
        ]

    assert texts == ["", "24 novembre 2023", "24 novembre 2023", "24 novembre 2023"]


@pytest.mark.parametrize(
    ("precision", "iso", "cell"),
    [("day", "2023-11-24", NOV_24), ("month", "2023-11", "2023-11"), ("year", "2023", "2023")],
)
def test_iso_text_and_file_cell_at_each_precision(precision, iso, cell):
    assert precise_iso(NOV_24, precision) == iso
    assert as_given(NOV_24, precision) == cell
    assert precise_iso(None, precision) == ""
    assert as_given(None, precision) is None


@pytest.mark.parametrize(
    ("language", "dates", "expected"),
    [
        ("en", (OCT_1978, "month", NOV_24, "day"), "October 1978 – 24 November 2023"),
        ("fr", (OCT_1978, "month", NOV_24, "day"), "octobre 1978 – 24 novembre 2023"),
        ("en", (OCT_1978, "month", None, "day"), "since October 1978"),
        ("fr", (OCT_1978, "month", None, "day"), "depuis octobre 1978"),
        ("fr", (OCT_1978, "year", None, "day"), "depuis 1978"),
        ("fr", (NOV_24, "day", None, "day"), "depuis le 24 novembre 2023"),
        ("en", (None, "day", NOV_24, "year"), "until 2023"),
        ("fr", (None, "day", NOV_24, "year"), "jusqu’à 2023"),
        ("fr", (None, "day", NOV_24, "day"), "jusqu’au 24 novembre 2023"),
        ("fr", (OCT_1978, "year", datetime.date(1978, 12, 1), "year"), "1978"),
        ("fr", (None, "day", None, "day"), ""),
    ],
)
def test_format_precise_span(language, dates, expected):
    with translation.override(language):
        text = format_precise_span(*dates)

    assert text == expected


def test_template_filters_and_tag():
    template = Template(
        "{% load portal %}{{ signed|precise:precision }} | {{ signed|precise_iso:precision }} | "
        "{% precise_span signed precision None 'day' %}"
    )

    with translation.override("fr"):
        text = template.render(Context({"signed": OCT_1978, "precision": "month"}))

    assert text == "octobre 1978 | 1978-10 | depuis octobre 1978"


# -- the public site ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "en",
            [
                '<span class="record-period">since October 1978</span>',
                "<dt>Signed in</dt><dd>October 1978</dd>",
                "<dt>Renewed on</dt><dd>19 October 2023</dd>",
                '<time datetime="1978-10">October 1978</time>',
            ],
        ),
        (
            "fr",
            [
                '<span class="record-period">depuis octobre 1978</span>',
                "<dt>Signé en</dt><dd>octobre 1978</dd>",
                "<dt>Renouvelé le</dt><dd>19 octobre 2023</dd>",
                '<time datetime="1978-10">octobre 1978</time>',
            ],
        ),
    ],
)
def test_cnrs_cas_agreement_page_shows_october_1978_not_a_made_up_day(
    client, reference_db, language, expected
):
    content = page(client, "partnerships:detail", language, slug=CNRS_CAS)

    assert [text for text in expected if text not in content] == []
    assert [day for day in MADE_UP_DAYS if day in content] == []


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "(Framework agreement, signed in October 1978, renewed 19 October 2023)"),
        ("fr", "(Accord-cadre, signé en octobre 1978, renouvelé le 19 octobre 2023)"),
    ],
)
def test_country_page_says_when_the_agreement_was_signed_as_the_source_does(
    client, reference_db, language, expected
):
    content = page(client, "countries:detail", language, iso2="cn")

    assert f'<span class="muted">{expected}</span>' in content
    assert [day for day in MADE_UP_DAYS if day in content] == []


@pytest.mark.parametrize(
    ("name", "slug", "language", "expected"),
    [
        (
            "calls:detail",
            "cnrs-nsfc-call-2024",
            "en",
            "<dt>Projects run</dt><dd>March 2025 – February 2027</dd>",
        ),
        (
            "calls:detail",
            "cnrs-nsfc-call-2024",
            "fr",
            "<dt>Durée des projets</dt><dd>mars 2025 – février 2027</dd>",
        ),
        ("instruments:detail", "irc-imperial-college-london", "en", "<dt>Start</dt><dd>2021</dd>"),
        (
            "instruments:detail",
            "irn-cnrs-cas-biodiversity",
            "fr",
            '<span class="record-period">depuis juin 2024</span>',
        ),
        ("instruments:network", "cnc", "en", "<dt>Launched on</dt><dd>24 November 2023</dd>"),
        ("instruments:network", "cnc", "fr", "<dt>Lancé le</dt><dd>24 novembre 2023</dd>"),
    ],
)
def test_record_pages_show_dates_as_precisely_as_their_source(
    client, reference_db, name, slug, language, expected
):
    content = page(client, name, language, slug=slug)

    assert expected in content


def test_instrument_json_ld_dates_it_to_the_year(client, reference_db):
    content = page(client, "instruments:detail", "en", slug="irc-imperial-college-london")

    data = json.loads(content.split('<script type="application/ld+json">')[1].split("</script>")[0])
    assert data["foundingDate"] == "2021"


def test_feed_entry_gives_the_month_of_signature(client, reference_db):
    with translation.override("en"):
        url = reverse("feeds:partnerships")

    feed = ElementTree.fromstring(client.get(url, {"country": "cn"}).content)

    summaries = {
        entry.find(f"{ATOM}title").text: entry.find(f"{ATOM}summary").text
        for entry in feed.iter(f"{ATOM}entry")
    }
    summary = summaries[
        "Framework cooperation agreement between CNRS and the Chinese Academy of Sciences"
    ]
    assert summary.startswith("<p>Framework agreement · since October 1978</p>")


# -- the API, the downloads and the open data -----------------------------------------------------


def test_api_gives_each_date_with_its_precision(client, reference_db):
    agreement = client.get(f"/api/v1/agreements/{CNRS_CAS}/").json()
    instrument = client.get("/api/v1/instruments/irc-imperial-college-london/").json()
    call = client.get("/api/v1/calls/cnrs-nsfc-call-2024/").json()

    assert {key: agreement[key] for key in agreement if "_on" in key} == {
        "signed_on": "1978-10-01",
        "signed_on_precision": "month",
        "renewed_on": "2023-10-19",
        "renewed_on_precision": "day",
        "expires_on": None,
        "expires_on_precision": None,
    }
    assert (instrument["start_on"], instrument["start_on_precision"]) == ("2021-01-01", "year")
    assert (call["projects_end"], call["projects_end_precision"]) == ("2027-02-28", "month")
    assert (call["agreement"]["signed_on"], call["agreement"]["signed_on_precision"]) == (
        None,
        None,
    )


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "en",
            {
                "Signed on": "1978-10",
                "Signed on (precision)": "Month",
                "Renewed on": "2023-10-19",
                "Renewed on (precision)": "Day",
                "Expires on": "",
                "Expires on (precision)": "",
            },
        ),
        (
            "fr",
            {
                "Signé le": "1978-10",
                "Signé le (précision)": "Mois",
                "Renouvelé le": "2023-10-19",
                "Renouvelé le (précision)": "Jour",
                "Expire le": "",
                "Expire le (précision)": "",
            },
        ),
    ],
)
def test_csv_writes_the_date_as_the_source_gives_it(client, reference_db, language, expected):
    with translation.override(language):
        url = reverse("partnerships:export-csv")

    rows = read_csv(client.get(url, {"country": "cn"}))

    identifier = {"en": "Identifier", "fr": "Identifiant"}[language]
    (row,) = [row for row in rows if row[identifier] == CNRS_CAS]
    assert {key: row[key] for key in expected} == expected


def test_xlsx_keeps_full_dates_as_dates_and_others_as_text(client, reference_db):
    with translation.override("en"):
        url = reverse("partnerships:export-xlsx")

    content = b"".join(client.get(url, {"country": "cn"}).streaming_content)

    sheet = openpyxl.load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    row = dict(zip(rows[0], next(r for r in rows if r[0] == CNRS_CAS), strict=True))
    assert [row["Signed on"], row["Signed on (precision)"]] == ["1978-10", "Month"]
    assert [row["Renewed on"], row["Renewed on (precision)"]] == [
        datetime.datetime(2023, 10, 19),
        "Day",
    ]


def test_country_dossier_csv_starts_the_agreement_in_1978_10(client, reference_db):
    with translation.override("en"):
        url = reverse("countries:export-csv", kwargs={"iso2": "cn"})

    rows = read_csv(client.get(url))

    starts = {row["Identifier"]: row["Start"] for row in rows if row["Type"] == "Agreement"}
    assert starts == {
        "cnc-administrative-agreement-2023": "2023-04-06",
        CNRS_CAS: "1978-10",
        "france-china-st-agreement-1978": "1978-01",
        "cnrs-nsfc-cooperation-agreement": "",
        # From the catalogue (fixtures/cooperation/agreements.csv), each at its precision.
        "agreement-insmi-tsinghua-msc-2013": "2013-05-29",
        "agreement-phc-cai-yuanpei-2009": "2009-11",
    }


def test_open_data_has_the_precision_beside_each_date(reference_db, tmp_path):
    write_open_data(tmp_path)

    agreements = json.loads((tmp_path / "agreements.json").read_text(encoding="utf-8"))
    record = next(item for item in agreements if item["slug"] == CNRS_CAS)
    assert [record["signed_on"], record["signed_on_precision"]] == ["1978-10", "month"]
    assert [record["expires_on"], record["expires_on_precision"]] == [None, None]
    with (tmp_path / "instruments.csv").open(encoding="utf-8") as handle:
        imperial = next(
            r for r in csv.DictReader(handle) if r["slug"] == "irc-imperial-college-london"
        )
    assert [imperial["start_on"], imperial["start_on_precision"]] == ["2021", "year"]
    assert "`<date>_precision`" in (tmp_path / "README.md").read_text(encoding="utf-8")


# -- the reference data and its loader -------------------------------------------------------------


def test_reference_data_gives_each_date_the_precision_of_its_source(reference_db):
    agreements = {
        a.slug: (a.signed_on_precision, a.renewed_on_precision)
        for a in Agreement.objects.exclude(signed_on=None).exclude(slug__startswith="agreement-")
    }
    call = Call.objects.get(slug="cnrs-nsfc-call-2024")
    toml_instruments = Instrument.objects.exclude(start_on=None).filter(
        slug__startswith="ir",
        data_id__in=[
            "",
            "irc-imperial",
            "irc-utokyo",
            "irc-worlds-in-transitions",
            "irn-cnrs-cas-biodiversity",
        ],
    )
    starts = {i.slug: i.start_on_precision for i in toml_instruments}

    assert agreements == {
        "france-china-st-agreement-1978": ("month", "day"),
        CNRS_CAS: ("month", "day"),
        "cnc-administrative-agreement-2023": ("day", "day"),
    }
    assert (call.projects_start_precision, call.projects_end_precision) == ("month", "month")
    assert Network.objects.get(slug="cnc").launched_on_precision == "day"
    assert starts == {
        "irn-cnrs-cas-biodiversity": "month",
        "irn-cnrs-cas-applied-mathematics": "month",
        "irn-cnrs-cas-particle-physics": "month",
        "irc-imperial-college-london": "year",
        "irc-university-of-tokyo": "day",
        # Created in 2023 (the Maison du CNRS page); inaugurated on 27 March 2024.
        "irc-university-of-sao-paulo": "year",
    }
    # The catalogue's dates keep their precision too (fixtures/cooperation/).
    marc_bloch = Agreement.objects.get(slug="agreement-centre-marc-bloch-ev-2015")
    assert (marc_bloch.signed_on, marc_bloch.signed_on_precision) == (
        datetime.date(2015, 1, 1),
        "year",
    )


def test_loading_again_leaves_the_precisions_unchanged(reference_db):
    history_before = history_rows()

    output = load_reference_data().splitlines()

    assert [
        line
        for line in output
        if line.split(":")[0] in {"Agreement", "Call", "Network", "Instrument"}
    ] == [
        # The TOML records, then the catalogue's rows (and its 21 predecessor links).
        "Agreement: 0 created, 0 updated, 110 unchanged",
        "Call: 0 created, 0 updated, 35 unchanged",
        "Network: 0 created, 0 updated, 1 unchanged",
        "Instrument: 0 created, 0 updated, 277 unchanged",
    ]
    assert history_rows() == history_before


def test_a_date_given_without_its_precision_is_known_to_the_day(reference_db, fixtures_copy):
    edit(
        fixtures_copy / "agreements.toml",
        'signed_on = 1978-10-01\nsigned_on_precision = "month"\n',
        "signed_on = 1978-10-01\n",
    )

    output = load_reference_data(fixtures_copy).splitlines()

    assert Agreement.objects.get(slug=CNRS_CAS).signed_on_precision == "day"
    # The 4 TOML agreements, then the catalogue's 106 rows.
    assert "Agreement: 0 created, 1 updated, 109 unchanged" in output


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            'slug = "cnrs-nsfc-cooperation-agreement"\n',
            'slug = "cnrs-nsfc-cooperation-agreement"\nsigned_on_precision = "year"\n',
            "agreement 'cnrs-nsfc-cooperation-agreement': signed_on_precision is given without "
            "signed_on",
        ),
        (
            'signed_on_precision = "month"\nrenewed_on',
            'signed_on_precision = "months"\nrenewed_on',
            f"agreement '{CNRS_CAS}': signed_on_precision: Value 'months' is not a valid choice.",
        ),
    ],
    ids=["without-date", "unknown-precision"],
)
def test_a_wrong_precision_stops_the_load(reference_db, fixtures_copy, old, new, message):
    edit(fixtures_copy / "agreements.toml", old, new)

    with pytest.raises(CommandError) as error:
        load_reference_data(fixtures_copy)

    assert str(error.value) == f"{fixtures_copy / 'agreements.toml'}: {message}"
    assert Agreement.objects.get(slug=CNRS_CAS).signed_on_precision == "month"
