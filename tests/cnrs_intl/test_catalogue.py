"""The cooperation catalogue (fixtures/cooperation/*.csv) as loaded by load_reference_data.

Every row of the committed copies becomes one record (counted per kind from the files), a second
load changes nothing, a bad row fails naming its file, id and field; records appear on their
country's dossier with their lineage; a relabelled unit answers its former code; a record without
dates is "status not known" on its page, in the API, the CSV download and the feed.
"""

import csv
import io
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError

from core.models import KeyFigure
from instruments.models import Instrument
from partnerships.models import Agreement, Call, Institution, Milestone
from tests.reference_data import load_reference_data

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
DATA = FIXTURES / "cooperation"
# Catalogue rows that are the same record as a TOML one (which keeps its slug).
MERGED = {
    "irc-france-arizona": "irc-university-of-arizona",
    "irc-discovery": "irc-university-of-chicago",
    "programme-mistrals": "mistrals",
}


def rows(name: str) -> list[dict]:
    with (DATA / name).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.parametrize(
    ("name", "model"),
    [
        ("agreements.csv", Agreement),
        ("calls.csv", Call),
        ("institutions.csv", Institution),
        ("office_facts.csv", Milestone),
        ("key_figures.csv", KeyFigure),
        ("instruments.csv", Instrument),
    ],
)
def test_every_row_of_the_catalogue_is_one_record(reference_db, name, model):
    ids = [row["id"] for row in rows(name)]
    assert len(ids) == len(set(ids))
    loaded_ids = set(model.objects.exclude(data_id="").values_list("data_id", flat=True))
    assert loaded_ids == set(ids)
    assert model.objects.filter(data_id__in=ids).count() == len(ids)


def test_instruments_per_kind_are_the_rows_per_current_kind(reference_db):
    expected = Counter(
        row["kind_current"] or {"unknown": "OTHER", "no": "PROGRAMME"}[row["cnrs_tool"]]
        for row in rows("instruments.csv")
    )
    found = Counter(Instrument.objects.exclude(data_id="").values_list("kind__code", flat=True))
    assert found == expected
    assert expected["IRP"] == 96 and expected["IRL"] == 53 and expected["UMIFRE"] == 26
    # Partner programmes and structures without a code are labelled as such.
    assert Instrument.objects.get(slug="phc-cai-yuanpei").kind.cnrs_tool == "no"
    assert Instrument.objects.get(slug="lab-liama").kind.cnrs_tool == "unknown"


def test_merged_rows_keep_the_existing_slug(reference_db):
    for data_id, slug in MERGED.items():
        assert Instrument.objects.get(data_id=data_id).slug == slug
    assert not Instrument.objects.filter(slug__in=list(MERGED)).exists()


def test_second_load_changes_nothing(reference_db):
    output = load_reference_data()
    changed = [
        line
        for line in output.splitlines()
        if ": " in line and not line.split(": ", 1)[1].startswith("0 created, 0 updated")
    ]
    assert changed == []


def test_provenance_is_the_rows_source_at_its_date(reference_db):
    iscp = Instrument.objects.get(slug="irl-iscp")
    row = next(r for r in rows("instruments.csv") if r["id"] == "irl-iscp")
    assert iscp.source_url == row["source_url"]
    assert iscp.source_title.startswith("cnrs.fr/")
    # "Last checked" is the source's date at its precision, never the day of loading.
    for model in (Instrument, Agreement, Call, KeyFigure):
        for record in model.objects.exclude(data_id="").filter(checked_on__isnull=False):
            assert record.checked_on.year <= 2026
    undated_source = Instrument.objects.exclude(data_id="").filter(checked_on__isnull=True)
    assert undated_source.exists()
    # The curators' evidence is never portal text.
    evidence = {r["evidence"] for r in rows("instruments.csv")}
    assert not Instrument.objects.filter(summary_en__in=evidence).exists()
    assert not Instrument.objects.filter(summary_fr__in=evidence).exists()


def test_a_bad_row_fails_naming_file_id_and_field(reference_db, fixtures_copy):
    target = fixtures_copy
    path = target / "cooperation" / "instruments.csv"
    text = path.read_text(encoding="utf-8")
    row = next(line for line in text.splitlines() if line.startswith("irl-iscp,"))
    start = next(r for r in rows("instruments.csv") if r["id"] == "irl-iscp")["start"]
    assert start and row.count(f",{start},") == 1
    path.write_text(text.replace(row, row.replace(f",{start},", ",2011-13,")), encoding="utf-8")
    before = Instrument.objects.count()

    with pytest.raises(CommandError) as error:
        load_reference_data(target)

    assert str(error.value) == (f"{path}: row 'irl-iscp': start: '2011-13' is not a real date")
    assert Instrument.objects.count() == before


@pytest.mark.parametrize(
    ("iso2", "slugs"),
    [
        ("za", ["irc-wits", "gdri-191"]),
        ("jp", ["irl-limms", "irl-fj-lmi"]),
        ("br", ["irl-mondes-en-transition", "irc-university-of-sao-paulo"]),
        ("ru", ["irl-iscp", "umifre-cefr-moscow"]),
        ("de", ["umifre-cmb-berlin"]),
    ],
)
def test_records_appear_on_their_country_dossier(client, reference_db, iso2, slugs):
    html = client.get(f"/en/countries/{iso2}/").content.decode()
    for slug in slugs:
        assert f"/en/instruments/{slug}/" in html, slug


def test_instrument_page_shows_its_lineage_both_ways(client, reference_db):
    html = client.get("/en/instruments/irl-iscp/").content.decode()
    assert "Grew out of" in html
    # LIA LIFR MI2P → UMI 2615 Poncelet → IRL ISCP: the nearest first, what it grew out of under it.
    poncelet = html.index("/en/instruments/umi-poncelet/")
    lifr = html.index("/en/instruments/lia-lifr-mi2p/")
    assert poncelet < lifr
    assert '<ul class="lineage">' in html[poncelet:lifr]
    earlier = client.get("/en/instruments/lia-lifr-mi2p/").content.decode()
    assert "Continued as" in earlier
    assert "/en/instruments/umi-poncelet/" in earlier
    assert "/en/instruments/irl-iscp/" in earlier


def test_a_relabelled_unit_answers_its_former_code(client, reference_db):
    limms = Instrument.objects.get(slug="irl-limms")
    assert limms.kind.code == "IRL" and "UMI" in limms.former_codes
    html = client.get("/en/instruments/", {"kind": "UMI", "country": "jp"}).content.decode()
    assert "/en/instruments/irl-limms/" in html
    page = client.get("/en/instruments/irl-limms/").content.decode()
    assert '<dd class="lineage-former">UMI' in page
    assert "formerly UMI" in html  # the list's card says it too


def undated_slug() -> str:
    row = next(
        r
        for r in rows("instruments.csv")
        if not r["start"] and not r["end"] and r["status_as_of"] and r["id"] not in MERGED
    )
    return row["id"]


def test_an_undated_record_is_status_not_known_on_every_channel(client, reference_db):
    slug = undated_slug()
    record = Instrument.objects.get(slug=slug)
    assert record.date_status == "unknown"

    page = client.get(f"/en/instruments/{slug}/").content.decode()
    assert "Status not known" in page
    assert 'badge-active"' not in page
    assert record.reported_status in page

    api = client.get(f"/api/v1/instruments/{slug}/").json()
    assert api["status"] == "unknown"

    download = client.get("/en/instruments/export.csv", {"q": record.acronym or record.title})
    text = b"".join(download.streaming_content).decode("utf-8-sig")
    found = [r for r in csv.DictReader(io.StringIO(text)) if slug in r.values()]
    assert found and found[0]["Status"] == "Status not known"

    feed = client.get("/en/feeds/instruments/").content.decode()
    assert "Status not known" in feed

    query = {"status": "active", "q": record.acronym or record.title}
    active = client.get("/api/v1/instruments/", query).json()
    assert slug not in {item["slug"] for item in active["results"]}
    assert not Instrument.objects.filter(slug=slug).active().exists()


def test_where_sources_disagree_the_source_box_says_so(client, reference_db):
    row = next(r for r in rows("instruments.csv") if r["id"] == "irc-france-arizona")
    assert row["contradictions"]
    record = Instrument.objects.get(data_id="irc-france-arizona")
    assert record.contradictions == row["contradictions"]

    page = client.get(f"/en/instruments/{record.slug}/").content.decode()
    assert "The sources disagree: this page shows the value its main source gives" in page
    assert "2021-04-14" in page
    # Other sources are listed beside the main one.
    iscp = Instrument.objects.get(slug="irl-iscp")
    if iscp.other_source_urls:
        first = iscp.other_source_urls.splitlines()[0]
        assert (
            first.removeprefix("https://").removeprefix("http://")[:30]
            in client.get("/en/instruments/irl-iscp/").content.decode()
        )
