"""The admin names the portal, in English and in French (with French typography)."""

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "header"),
    [
        ("en", "CNRS International — administration"),
        ("fr", "CNRS International\u00a0— administration"),
    ],
)
def test_the_admin_header_and_title_name_the_portal(derci_user, language, header):
    client = Client(headers={"Accept-Language": language})
    client.force_login(derci_user)

    html = client.get(reverse("admin:index")).content.decode()

    assert f'<a href="{reverse("admin:index")}">{header}</a>' in html
    assert f"| {header}</title>" in html
    assert "Django administration" not in html and "Administration de Django" not in html
