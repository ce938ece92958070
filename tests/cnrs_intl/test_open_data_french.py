"""The open-data page reads in French: its resource descriptions are translated."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from cnrs_intl.open_data import RESOURCES, readme

pytestmark = pytest.mark.django_db


def test_the_open_data_page_describes_its_files_in_french(client):
    with translation.override("fr"):
        url = reverse("open-data")
    html = client.get(url).content.decode()
    assert "Les bureaux de représentation du CNRS à l’étranger" in html
    assert "Les instruments de coopération\u00a0: réseaux" in html
    assert "Dated events of the cooperation story" not in html
    assert '<td lang="en">' not in html


def test_the_open_data_page_in_english_keeps_the_english_descriptions(client):
    with translation.override("en"):
        url = reverse("open-data")
    html = client.get(url).content.decode()
    assert "Dated events of the cooperation story." in html


def test_the_readme_stays_in_english_whatever_the_language():
    with translation.override("fr"):
        text = readme({resource.name: 0 for resource in RESOURCES}, datetime.datetime(2026, 1, 1))
    assert "Dated events of the cooperation story." in text
    assert "Les événements datés" not in text
