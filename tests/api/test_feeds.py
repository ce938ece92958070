"""Atom feeds of new and changed published records, for any filter combination."""

import datetime
import xml.etree.ElementTree as ET
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import translation

from instruments.models import Instrument
from tests.factories import InstrumentFactory

ATOM = "{http://www.w3.org/2005/Atom}"


def url(name, lang="en"):
    with translation.override(lang):
        return reverse(name)


def parse(response) -> ET.Element:
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    return ET.fromstring(response.content)


def entry_links(feed) -> list[str]:
    return [entry.find(f"{ATOM}link").get("href") for entry in feed.iter(f"{ATOM}entry")]


def test_instrument_feed_keeps_the_filters_and_says_them(client, catalogue):
    feed = parse(client.get(url("feeds:instruments"), {"country": "cn", "theme": "biodiversity"}))

    assert feed.tag == f"{ATOM}feed"
    assert feed.find(f"{ATOM}title").text == (
        "CNRS International – cooperation instruments (country: cn, theme: biodiversity)"
    )
    assert entry_links(feed) == ["http://testserver/en/instruments/irn-bio/"]
    entry = feed.find(f"{ATOM}entry")
    assert entry.find(f"{ATOM}title").text == "BIO – Biodiversity network"
    assert entry.find(f"{ATOM}id").text == (
        f"tag:international.cnrs.fr,2025:instrument/{catalogue.irn_bio.pk}"
    )
    assert [c.get("term") for c in entry.findall(f"{ATOM}category")] == ["Biodiversity"]
    assert "China" in entry.find(f"{ATOM}summary").text
    alternate = feed.find(f"{ATOM}link[@rel='alternate']").get("href")
    assert alternate == "http://testserver/en/instruments/?country=cn&theme=biodiversity"


def test_feed_leaves_drafts_out(client, catalogue):
    feed = parse(client.get(url("feeds:instruments"), {"country": "cn"}))

    assert "draft-instrument" not in response_text(feed)
    assert sorted(entry_links(feed)) == [
        "http://testserver/en/instruments/future-irn/",
        "http://testserver/en/instruments/irn-bio/",
    ]


def response_text(feed) -> str:
    return ET.tostring(feed, encoding="unicode")


def test_feed_lists_the_latest_changes_first(client, catalogue):
    Instrument.objects.filter(slug="irp-physics").update(
        updated_at=datetime.datetime(2030, 1, 1, tzinfo=datetime.UTC)
    )
    Instrument.objects.filter(slug="irn-bio").update(
        updated_at=datetime.datetime(2029, 1, 1, tzinfo=datetime.UTC)
    )
    Instrument.objects.filter(slug="future-irn").update(
        updated_at=datetime.datetime(2028, 1, 1, tzinfo=datetime.UTC)
    )

    feed = parse(client.get(url("feeds:instruments")))

    assert [link.rsplit("/", 2)[1] for link in entry_links(feed)] == [
        "irp-physics",
        "irn-bio",
        "future-irn",
    ]
    updated = [entry.find(f"{ATOM}updated").text for entry in feed.iter(f"{ATOM}entry")]
    assert updated[0] == "2030-01-01T00:00:00+00:00"
    assert feed.find(f"{ATOM}updated").text == "2030-01-01T00:00:00+00:00"


def test_feed_holds_at_most_50_entries(client, catalogue):
    InstrumentFactory.create_batch(55, kind=catalogue.irn)

    feed = parse(client.get(url("feeds:instruments")))

    assert len(entry_links(feed)) == 50


def test_feed_follows_the_language_of_its_address(client, catalogue):
    feed = parse(client.get(url("feeds:instruments", lang="fr"), {"kind": "LIA"}))

    entry = feed.find(f"{ATOM}entry")
    assert entry.find(f"{ATOM}title").text == "Projet physique"
    assert entry_links(feed) == ["http://testserver/fr/instruments/irp-physics/"]


@pytest.mark.parametrize(
    ("name", "params", "expected"),
    [
        ("feeds:partnerships", {"country": "cn"}, ["/en/partnerships/cnrs-cas/"]),
        ("feeds:institutions", {"country": "jp"}, ["/en/institutions/jsps/"]),
        ("feeds:calls", {"status": "ended"}, ["/en/calls/jsps-call/"]),
    ],
)
def test_every_list_has_a_feed_with_its_filters(client, catalogue, name, params, expected):
    feed = parse(client.get(url(name), params))

    assert [link.removeprefix("http://testserver") for link in entry_links(feed)] == expected


@pytest.mark.parametrize(
    ("name", "draft"),
    [
        ("feeds:partnerships", "draft-agreement"),
        ("feeds:institutions", "hidden-institution"),
        ("feeds:calls", "draft-call"),
    ],
)
def test_other_feeds_leave_drafts_out(client, catalogue, name, draft):
    response = client.get(url(name))

    assert response.status_code == HTTPStatus.OK
    assert draft not in response.content.decode()


@pytest.mark.parametrize("name", ["feeds:instruments", "feeds:partnerships", "feeds:calls"])
def test_a_filter_value_that_means_nothing_answers_400(client, catalogue, name):
    response = client.get(url(name), {"theme": "astrology"})

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.content.decode() == (
        "Invalid filter value:\n- theme: “astrology” is not a known value for this filter.\n"
    )
