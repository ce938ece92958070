"""Conditional requests: ETag, Last-Modified and 304 on the API, feeds, downloads and open data;
Cache-Control on anonymous reads; Atom ``rel="self"`` with the filters, entry ids on record ids."""

import datetime
import xml.etree.ElementTree as ET
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import http_date, parse_http_date

from core import conditional
from instruments.models import Instrument

ATOM = "{http://www.w3.org/2005/Atom}"


def localized(url_name, lang="en", **kwargs):
    with translation.override(lang):
        return reverse(url_name, kwargs=kwargs or None)


@pytest.fixture
def settled(catalogue, monkeypatch):
    """The catalogue as if its last change were a minute ago (Last-Modified is then sent)."""
    moment = timezone.now() - datetime.timedelta(minutes=1)
    monkeypatch.setattr(conditional, "_last_change", lambda: moment)
    midnight = timezone.make_aware(
        datetime.datetime.combine(timezone.localdate(), datetime.time.min)
    )
    if moment < midnight:  # the test runs just after midnight
        moment = midnight
    return catalogue


def addresses(catalogue):
    return [
        reverse("api:instrument-list") + "?country=cn",
        reverse("api:instrument-detail", kwargs={"slug": "irn-bio"}),
        reverse("api:country-detail", kwargs={"iso2": "cn"}),
        localized("feeds:instruments") + "?country=cn",
        localized("instruments:export-csv") + "?country=cn",
        localized("instruments:export-xlsx"),
        localized("countries:export-csv", iso2="cn"),
    ]


@pytest.mark.parametrize("index", range(7))
def test_every_read_sends_validators_and_answers_304(client, settled, index):
    address = addresses(settled)[index]

    first = client.get(address)

    assert first.status_code == HTTPStatus.OK
    etag = first["ETag"]
    assert etag
    assert "public" in first["Cache-Control"]
    assert "max-age=60" in first["Cache-Control"]
    last_modified = first["Last-Modified"]
    assert parse_http_date(last_modified) <= timezone.now().timestamp()

    by_etag = client.get(address, headers={"if-none-match": etag})
    assert by_etag.status_code == HTTPStatus.NOT_MODIFIED
    assert by_etag.content == b""
    assert by_etag["ETag"] == etag

    by_date = client.get(address, headers={"if-modified-since": last_modified})
    assert by_date.status_code == HTTPStatus.NOT_MODIFIED
    assert by_date["Last-Modified"] == last_modified

    stale = client.get(address, headers={"if-none-match": '"something-else"'})
    assert stale.status_code == HTTPStatus.OK


def test_if_none_match_wins_over_if_modified_since(client, settled):
    address = reverse("api:agreement-list")
    first = client.get(address)

    response = client.get(
        address,
        headers={"if-none-match": '"old"', "if-modified-since": first["Last-Modified"]},
    )

    assert response.status_code == HTTPStatus.OK


def test_a_change_makes_the_copy_stale(client, catalogue):
    address = reverse("api:instrument-detail", kwargs={"slug": "irn-bio"})
    first = client.get(address)
    when = timezone.now() - datetime.timedelta(seconds=5)
    Instrument.objects.filter(pk=catalogue.irn_bio.pk).update(updated_at=when)

    Instrument.objects.filter(pk=catalogue.irn_bio.pk).update(title_fr="Autre titre")
    catalogue.cas.save()  # an embedded name's record saved: the catalogue changed

    response = client.get(address, headers={"if-none-match": first["ETag"]})
    assert response.status_code == HTTPStatus.OK
    assert response["ETag"] != first["ETag"]
    assert response.json()["title"] == "Autre titre"


def test_an_unpublication_moves_last_modified(client, catalogue, settings):
    address = reverse("api:agreement-list")
    old = http_date(timezone.now().timestamp() - 3600)
    catalogue.old_japan.status = "draft"
    catalogue.old_japan.save()  # its history row says when

    response = client.get(address, headers={"if-modified-since": old})

    assert response.status_code == HTTPStatus.OK
    assert [item["slug"] for item in response.json()["results"]] == ["cnrs-cas"]


def test_last_modified_is_the_latest_history_row(catalogue):
    from cnrs_intl.changes import last_change

    before = last_change()
    catalogue.jsps.name_en = "JSPS (renamed)"
    catalogue.jsps.save()

    after = last_change()
    assert after > before
    assert abs((after - timezone.now()).total_seconds()) < 60
    assert after == catalogue.jsps.history.latest("history_date").history_date


def test_last_modified_is_never_before_midnight(monkeypatch):
    monkeypatch.setattr(
        conditional, "_last_change", lambda: timezone.now() - datetime.timedelta(days=400)
    )

    moment = conditional.catalogue_moment()

    assert timezone.localtime(moment).date() == timezone.localdate()
    assert timezone.localtime(moment).time() == datetime.time.min


def test_a_change_in_the_current_second_sends_no_last_modified(client, catalogue, monkeypatch):
    monkeypatch.setattr(conditional, "_last_change", timezone.now)

    response = client.get(reverse("api:theme-list"))

    assert response.status_code == HTTPStatus.OK
    assert "Last-Modified" not in response
    assert response["ETag"]


def test_errors_are_not_cached_as_public(client, settled):
    response = client.get(reverse("api:instrument-list"), {"country": "zz"})

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "ETag" not in response
    assert "public" not in response.get("Cache-Control", "")


def test_the_etag_follows_the_language(client, settled):
    address = reverse("api:theme-detail", kwargs={"slug": "biodiversity"})
    french = client.get(address, {"lang": "fr"})

    english = client.get(address, {"lang": "en"}, headers={"if-none-match": french["ETag"]})

    assert english.status_code == HTTPStatus.OK
    assert english["ETag"] != french["ETag"]
    assert "Accept-Language" in english["Vary"]


def test_open_data_files_answer_304(client, settled):
    from cnrs_intl.open_data import publish_release

    publish_release()  # the files are served from a release, never built on a request
    address = localized("open-data-file", name="themes.json")
    first = client.get(address)
    assert first.status_code == HTTPStatus.OK
    b"".join(first.streaming_content)

    again = client.get(address, headers={"if-none-match": first["ETag"]})

    assert again.status_code == HTTPStatus.NOT_MODIFIED
    assert "public" in first["Cache-Control"]


def test_staff_previews_are_never_stored(admin_client, catalogue):
    draft = Instrument.objects.get(slug="draft-instrument")
    with translation.override("en"):
        address = draft.get_absolute_url()

    response = admin_client.get(address, {"preview": "1"})

    assert response.status_code == HTTPStatus.OK
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_atom_self_link_keeps_the_filters_and_entry_ids_are_record_ids(client, catalogue):
    address = localized("feeds:instruments")
    response = client.get(address, {"country": "cn", "theme": "biodiversity"})
    feed = ET.fromstring(response.content)

    self_link = feed.find(f"{ATOM}link[@rel='self']").get("href")
    assert self_link == f"http://testserver{address}?country=cn&theme=biodiversity"
    ids = [entry.find(f"{ATOM}id").text for entry in feed.iter(f"{ATOM}entry")]
    assert ids == [f"tag:international.cnrs.fr,2025:instrument/{catalogue.irn_bio.pk}"]

    catalogue.irn_bio.slug = "irn-biodiversity"
    catalogue.irn_bio.save()
    renamed = ET.fromstring(client.get(address, {"country": "cn"}).content)
    assert f"tag:international.cnrs.fr,2025:instrument/{catalogue.irn_bio.pk}" in [
        entry.find(f"{ATOM}id").text for entry in renamed.iter(f"{ATOM}entry")
    ]
