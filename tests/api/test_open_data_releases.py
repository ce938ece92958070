"""Open-data releases: built by ``publish_open_data``, listed by the page, never built on a GET."""

import datetime
import hashlib
import io
import json
import re
import zipfile
from http import HTTPStatus

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from cnrs_intl import open_data
from cnrs_intl.open_data import RELEASE_FILES, RESOURCES, header, releases, releases_root
from instruments.models import Instrument
from tests.factories import InstrumentFactory

JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def url(url_name, lang="en", **kwargs):
    with translation.override(lang):
        return reverse(url_name, kwargs=kwargs or None)


def publish(**options):
    out = io.StringIO()
    call_command("publish_open_data", stdout=out, **options)
    return out.getvalue()


def folders():
    root = releases_root()
    return sorted(path.name for path in root.iterdir()) if root.is_dir() else []


def test_a_second_run_without_change_makes_no_release(catalogue):
    first = publish()
    second = publish()

    today = timezone.localdate()
    name = f"cnrs-international-{today:%Y-%m-%d}"
    assert f"Published release {name}" in first
    assert f"Nothing changed since release {name}: no new release." in second
    assert [release.name for release in releases()] == [name]
    assert folders() == [name, f"{name}.zip", f"{name}.zip.sha256"]


def test_a_changed_record_makes_a_new_release_whose_changes_name_it(catalogue):
    publish()
    irn_bio = Instrument.objects.get(slug="irn-bio")
    irn_bio.title_en = "Biodiversity network, renewed"
    irn_bio.save()
    InstrumentFactory(slug="brand-new", kind=catalogue.irn)
    Instrument.objects.get(slug="irp-physics").unpublish()

    publish()

    newest, previous = releases()
    today = f"{timezone.localdate():%Y-%m-%d}"
    assert newest.name == f"cnrs-international-{today}-2"
    assert previous.name == f"cnrs-international-{today}"
    changes = (newest.folder / "CHANGES").read_text(encoding="utf-8")
    assert f"Changes since release {previous.name}" in changes
    # future-irn names irp-physics as its predecessor: unpublishing it changes future-irn's record.
    assert "instruments: 1 created, 2 updated, 1 removed" in changes
    assert "  created brand-new\n  updated future-irn\n  updated irn-bio\n" in changes
    assert "  removed irp-physics\n" in changes
    assert "themes: 0 created, 0 updated, 0 removed" in changes
    slugs = [item["slug"] for item in json.loads((newest.folder / "instruments.json").read_text())]
    assert "brand-new" in slugs and "irp-physics" not in slugs


def test_checksums_verify_every_file_and_the_zip(catalogue):
    publish()
    (release,) = releases()

    sums = release.checksums()
    assert sorted(sums) == sorted(name for name in RELEASE_FILES if name != "SHA256SUMS")
    for name, digest in sums.items():
        assert hashlib.sha256((release.folder / name).read_bytes()).hexdigest() == digest
    zipped = release.archive.read_bytes()
    assert hashlib.sha256(zipped).hexdigest() == release.archive_sha256
    archive = zipfile.ZipFile(io.BytesIO(zipped))
    assert sorted(archive.namelist()) == sorted(f"{release.name}/{name}" for name in RELEASE_FILES)


def test_datapackage_describes_every_file_and_every_field(catalogue):
    publish()
    (release,) = releases()
    package = release.package()

    assert package["licenses"][0]["path"] == open_data.LICENCE_URL
    assert package["created"].endswith("Z")
    paths = {resource["path"] for resource in package["resources"]}
    assert paths == set(RELEASE_FILES) - {"datapackage.json", "SHA256SUMS"}
    sums = release.checksums()
    for entry in package["resources"]:
        assert entry["hash"] == f"sha256:{sums[entry['path']]}"
        assert entry["bytes"] == (release.folder / entry["path"]).stat().st_size
    by_path = {entry["path"]: entry for entry in package["resources"]}
    for resource in RESOURCES:
        for ext in ("csv", "json"):
            fields = by_path[f"{resource.name}.{ext}"]["schema"]["fields"]
            assert [field["name"] for field in fields] == header(resource.columns())
            assert all(field["description"] and field["type"] for field in fields)
    instruments = {f["name"]: f for f in by_path["instruments.csv"]["schema"]["fields"]}
    assert instruments["title_fr"]["description"] == "Title (French)"
    assert instruments["modified"]["type"] == "datetime"
    assert instruments["countries"]["type"] == "string"  # joined with "; " in the CSV
    as_json = {f["name"]: f for f in by_path["instruments.json"]["schema"]["fields"]}
    assert as_json["countries"]["type"] == "array"
    figures = {f["name"]: f for f in by_path["key_figures.csv"]["schema"]["fields"]}
    assert figures["qualifier"]["description"] == open_data.KEY_FIGURE_FIELDS["qualifier"]


def test_without_a_release_the_page_says_so_and_downloads_are_not_found(
    client, catalogue, monkeypatch
):
    monkeypatch.setattr(open_data, "write_open_data", pytest.fail)

    page = client.get(url("open-data"))
    archive = client.get(url("open-data-archive"))
    one_file = client.get(url("open-data-file", name="instruments.csv"))

    assert page.status_code == HTTPStatus.OK
    assert "No release has been published yet" in page.content.decode()
    assert archive.status_code == HTTPStatus.NOT_FOUND
    assert one_file.status_code == HTTPStatus.NOT_FOUND
    assert folders() == []


def test_the_page_lists_the_releases_newest_first_and_never_builds(client, catalogue, monkeypatch):
    publish()
    InstrumentFactory(slug="brand-new", kind=catalogue.irn)
    publish()
    before = folders()
    monkeypatch.setattr(open_data, "write_open_data", pytest.fail)
    monkeypatch.setattr(open_data, "publish_release", pytest.fail)
    InstrumentFactory(slug="newer-still", kind=catalogue.irn)  # a change no release holds yet

    response = client.get(url("open-data"))
    download = client.get(url("open-data-file", name="instruments.json"))

    assert folders() == before
    html = response.content.decode()
    newest, previous = releases()
    assert html.index(f"{newest.name}.zip") < html.index(f"{previous.name}.zip")
    for release in (newest, previous):
        assert release.archive_sha256 in html
        address = url("open-data-release-file", release=release.name, name="CHANGES")
        assert f'href="{address}"' in html
        assert f'href="{url("open-data-release-archive", release=release.name)}"' in html
    slugs = [item["slug"] for item in json.loads(b"".join(download.streaming_content))]
    assert "brand-new" in slugs and "newer-still" not in slugs


def test_release_files_are_served_as_stored_and_unknown_ones_are_not_found(client, catalogue):
    publish()
    (release,) = releases()

    changes = client.get(url("open-data-release-file", release=release.name, name="CHANGES"))
    archive = client.get(url("open-data-release-archive", release=release.name))
    missing = [
        client.get(url("open-data-release-file", release=release.name, name="secrets.csv")),
        client.get(
            url("open-data-release-file", release="cnrs-international-1999-01-01", name="CHANGES")
        ),
        client.get(url("open-data-release-file", release="..", name="CHANGES")),
        client.get(url("open-data-release-archive", release="no-such-release")),
    ]

    assert changes.status_code == HTTPStatus.OK
    assert b"".join(changes.streaming_content) == (release.folder / "CHANGES").read_bytes()
    assert changes["Content-Disposition"] == 'attachment; filename="CHANGES"'
    assert archive["Content-Type"] == "application/zip"
    assert b"".join(archive.streaming_content) == release.archive.read_bytes()
    assert [response.status_code for response in missing] == [HTTPStatus.NOT_FOUND] * 4


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_page_carries_a_dataset_with_one_distribution_per_file(client, catalogue, lang):
    publish()
    (release,) = releases()

    html = client.get(url("open-data", lang=lang)).content.decode()

    (block,) = JSON_LD.findall(html)
    data = json.loads(block)
    assert data["@type"] == "Dataset"
    assert data["license"] == "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"
    assert data["dateModified"] == release.created
    assert data["name"] and data["description"]
    urls = {item["contentUrl"]: item["encodingFormat"] for item in data["distribution"]}
    archive = url("open-data-release-archive", lang=lang, release=release.name)
    assert urls[f"http://testserver{archive}"] == "application/zip"
    csv_file = url("open-data-release-file", lang=lang, release=release.name, name="calls.csv")
    assert urls[f"http://testserver{csv_file}"] == "text/csv"
    assert len(urls) == len(RELEASE_FILES) + 1
    assert datetime.datetime.fromisoformat(data["dateModified"].replace("Z", "+00:00"))
