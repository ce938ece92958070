"""The open-data dump: files, licence, the delta since a date, and the download page.

Releases themselves (publish_open_data, CHANGES, checksums): test_open_data_releases.py."""

import csv
import datetime
import io
import json
import zipfile
from http import HTTPStatus

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from cnrs_intl.open_data import RESOURCES, releases
from instruments.models import Instrument
from tests.factories import InstrumentFactory, KindFactory

LONG_AGO = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
DRAFT_MARKERS = ["draft-", "hidden-institution", "secret-office"]


def read_json(path):
    return json.loads(path.read_text(encoding="utf-8"))


def test_dump_writes_json_and_csv_per_resource_with_readme_and_licence(catalogue, tmp_path):
    call_command("export_open_data", str(tmp_path))

    names = sorted(path.name for path in tmp_path.iterdir())
    expected = sorted(
        [f"{r.name}.{ext}" for r in RESOURCES for ext in ("json", "csv")]
        + ["README.md", "LICENCE.txt"]
    )
    assert names == expected
    licence = (tmp_path / "LICENCE.txt").read_text(encoding="utf-8")
    assert licence.startswith("Licence Ouverte / Open Licence version 2.0 (Etalab)\n")
    readme = (tmp_path / "README.md").read_text(encoding="utf-8")
    assert "| `instruments.json`, `instruments.csv` | 3 |" in readme
    assert "Licence Ouverte / Open Licence version 2.0 (Etalab)" in readme


def test_dump_holds_published_records_in_both_languages(catalogue, tmp_path):
    call_command("export_open_data", str(tmp_path))

    instruments = read_json(tmp_path / "instruments.json")
    assert [item["slug"] for item in instruments] == ["future-irn", "irn-bio", "irp-physics"]
    irn_bio = instruments[1]
    assert irn_bio["title_fr"] == "Réseau biodiversité"
    assert irn_bio["title_en"] == "Biodiversity network"
    assert irn_bio["partners"] == ["cas"]
    assert irn_bio["networks"] == ["cnc"]
    assert irn_bio["countries"] == ["cn"]
    assert irn_bio["office"] == "beijing"
    assert irn_bio["start_on"] == "2024-06-01"
    assert irn_bio["modified"].endswith("Z")
    assert instruments[2]["office"] is None
    assert [item["slug"] for item in read_json(tmp_path / "offices.json")] == [
        "beijing",
        "tokyo",
    ]
    with (tmp_path / "instruments.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [row["slug"] for row in rows] == ["future-irn", "irn-bio", "irp-physics"]
    assert rows[0]["countries"] == "cn; fr"


def test_no_draft_leaks_into_any_dump_file(catalogue, tmp_path):
    call_command("export_open_data", str(tmp_path))

    leaks = {
        path.name: marker
        for path in tmp_path.iterdir()
        for marker in DRAFT_MARKERS
        if marker in path.read_text(encoding="utf-8")
    }
    assert leaks == {}


@pytest.fixture
def history_before_2024(db, settings):
    """Instruments in every situation a delta must tell apart, their past set in 2020."""
    kind = KindFactory(code="IRN")
    made = {
        slug: InstrumentFactory(slug=slug, kind=kind, status=status)
        for slug, status in [
            ("modified", "published"),
            ("unpublished", "published"),
            ("deleted", "published"),
            ("published-since", "draft"),
            ("unchanged", "published"),
            ("renamed", "published"),
            ("draft-edited", "draft"),
        ]
    }
    settings.SIMPLE_HISTORY_ENABLED = False  # as if loaded from fixtures: no history at all
    made["loaded-then-edited"] = InstrumentFactory(slug="loaded-then-edited", kind=kind)
    made["loaded-then-unpublished"] = InstrumentFactory(slug="loaded-then-unpublished", kind=kind)
    settings.SIMPLE_HISTORY_ENABLED = True
    for model in (Instrument, *(r.model for r in RESOURCES)):
        model.history.update(history_date=LONG_AGO)
    Instrument.objects.update(created_at=LONG_AGO, updated_at=LONG_AGO)
    for obj in made.values():
        obj.refresh_from_db()
    return made


def test_delta_has_exactly_what_changed_since_the_date(history_before_2024, tmp_path):
    made = history_before_2024
    made["modified"].title_en = "Modified title"
    made["modified"].save()
    made["unpublished"].unpublish()
    made["deleted"].delete()
    made["published-since"].publish()
    made["renamed"].slug = "renamed-now"
    made["renamed"].save()
    made["draft-edited"].summary_en = "Still a draft"
    made["draft-edited"].save()
    made["loaded-then-edited"].title_en = "Edited"
    made["loaded-then-edited"].save()
    made["loaded-then-unpublished"].unpublish()
    InstrumentFactory(slug="new", kind=made["modified"].kind)
    InstrumentFactory(slug="new-draft", kind=made["modified"].kind, status="draft")

    call_command("export_open_data", str(tmp_path), since="2024-01-01")

    folder = tmp_path / "changes-since-2024-01-01"
    change = read_json(folder / "instruments.json")
    assert change["since"] == "2023-12-31T23:00:00Z"
    assert [item["slug"] for item in change["added"]] == ["new", "published-since"]
    assert [item["slug"] for item in change["modified"]] == [
        "loaded-then-edited",
        "modified",
        "renamed-now",
    ]
    assert change["modified"][1]["title_en"] == "Modified title"
    assert change["removed"] == ["deleted", "loaded-then-unpublished", "renamed", "unpublished"]
    others = {
        r.name: read_json(folder / f"{r.name}.json") for r in RESOURCES if r.name != "instruments"
    }
    assert {
        name: (doc["added"], doc["modified"], doc["removed"]) for name, doc in others.items()
    } == {name: ([], [], []) for name in others}
    with (folder / "instruments.csv").open(encoding="utf-8", newline="") as handle:
        rows = [(row["change"], row["slug"]) for row in csv.DictReader(handle)]
    assert rows == [
        ("added", "new"),
        ("added", "published-since"),
        ("modified", "loaded-then-edited"),
        ("modified", "modified"),
        ("modified", "renamed-now"),
        ("removed", "deleted"),
        ("removed", "loaded-then-unpublished"),
        ("removed", "renamed"),
        ("removed", "unpublished"),
    ]


def test_delta_is_empty_when_nothing_changed(history_before_2024, tmp_path):
    call_command("export_open_data", str(tmp_path), since="2024-01-01")

    change = read_json(tmp_path / "changes-since-2024-01-01" / "instruments.json")
    assert (change["added"], change["modified"], change["removed"]) == ([], [], [])


def test_since_must_be_a_date(db, tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--since expects a date as YYYY-MM-DD"):
        call_command("export_open_data", str(tmp_path), since="last year")


def url(url_name, lang="en", **kwargs):
    with translation.override(lang):
        return reverse(url_name, kwargs=kwargs)


def test_open_data_page_explains_the_licence_and_links_the_files_and_api(client, catalogue):
    call_command("publish_open_data", stdout=io.StringIO())
    (release,) = releases()

    response = client.get(url("open-data"))

    html = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert "Licence Ouverte / Open Licence version 2.0" in html
    assert f'href="{url("open-data-release-archive", release=release.name)}"' in html
    file_url = url("open-data-release-file", release=release.name, name="instruments.csv")
    assert f'href="{file_url}"' in html
    assert f'href="{reverse("api:docs")}"' in html
    assert f'href="{reverse("api:schema")}"' in html


def test_archive_holds_the_dump_without_drafts(client, catalogue):
    call_command("publish_open_data", stdout=io.StringIO())
    response = client.get(url("open-data-archive"))

    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    # The files, README, LICENCE, CHANGES, datapackage.json and SHA256SUMS, in a dated folder.
    assert len(archive.namelist()) == 2 * len(RESOURCES) + 5
    (instruments_name,) = [n for n in archive.namelist() if n.endswith("/instruments.json")]
    instruments = json.loads(archive.read(instruments_name))
    assert [item["slug"] for item in instruments] == ["future-irn", "irn-bio", "irp-physics"]
    text = "".join(archive.read(name).decode() for name in archive.namelist())
    assert [marker for marker in DRAFT_MARKERS if marker in text] == []


def test_one_file_downloads_alone_and_unknown_names_are_not_found(client, catalogue):
    call_command("publish_open_data", stdout=io.StringIO())
    csv_response = client.get(url("open-data-file", name="calls.csv"))
    missing = client.get(url("open-data-file", name="secrets.csv"))

    assert csv_response["Content-Type"] == "text/csv; charset=utf-8"
    assert csv_response["Content-Disposition"] == 'attachment; filename="calls.csv"'
    rows = list(csv.reader(io.StringIO(b"".join(csv_response.streaming_content).decode())))
    assert [row[0] for row in rows[1:]] == ["nsfc-call", "jsps-call"]
    assert missing.status_code == HTTPStatus.NOT_FOUND
