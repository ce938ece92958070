""" "Needs attention" also lists undated records shown as current, sources not checked for a year,
offices without a contact, pending revisions and broken predecessor chains, each linked."""

import datetime
from html import unescape

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from core.models import Revision, today
from instruments.models import Instrument
from offices.models import Office
from tests.admin.helpers import admin_url
from tests.factories import InstrumentFactory, KindFactory, OfficeFactory

pytestmark = pytest.mark.django_db


def attention_section(client) -> str:
    html = client.get(reverse("admin:index")).content.decode()
    return unescape(html[html.index('id="attention-heading"') : html.index("</section>")])


def rows(client, model, key) -> list:
    response = client.get(admin_url(model, "changelist"), {"attention": key})
    return sorted(obj.slug for obj in response.context["cl"].result_list)


def test_each_new_check_is_listed_on_the_index_and_links_to_its_rows(derci_client, china):
    kind = KindFactory(code="IRP")
    InstrumentFactory(slug="undated", kind=kind, start_on=None, end_on=None)
    InstrumentFactory(
        slug="stale",
        kind=kind,
        start_on=datetime.date(2020, 1, 1),
        checked_on=today() - datetime.timedelta(days=400),
    )
    InstrumentFactory(
        slug="fresh",
        kind=kind,
        start_on=datetime.date(2020, 1, 1),
        checked_on=today() - datetime.timedelta(days=30),
    )
    draft = InstrumentFactory(
        slug="draft-before", kind=kind, status="draft", start_on=datetime.date(2001, 1, 1)
    )
    InstrumentFactory(
        slug="orphan", kind=kind, predecessors=[draft], start_on=datetime.date(2010, 1, 1)
    )
    later = InstrumentFactory(slug="later", kind=kind, start_on=datetime.date(2022, 1, 1))
    InstrumentFactory(
        slug="earlier", kind=kind, predecessors=[later], start_on=datetime.date(2015, 1, 1)
    )
    OfficeFactory(slug="silent", country=china, address="", email="", website="")
    OfficeFactory(slug="reachable", country=china, email="office@cnrs.fr")

    section = attention_section(derci_client)

    instruments = admin_url(Instrument, "changelist")
    offices = admin_url(Office, "changelist")
    for href in (
        f"{instruments}?attention=undated",
        f"{instruments}?attention=stale-source",
        f"{instruments}?attention=broken-chain",
        f"{offices}?attention=no-contact",
    ):
        assert f'href="{href}"' in section, href
    assert rows(derci_client, Instrument, "undated") == ["undated"]
    assert rows(derci_client, Instrument, "stale-source") == ["stale"]
    assert rows(derci_client, Instrument, "broken-chain") == ["earlier", "orphan"]
    assert "silent" in rows(derci_client, Office, "no-contact")
    assert "reachable" not in rows(derci_client, Office, "no-contact")


def test_pending_revisions_are_listed_for_reviewers_only(derci_client, viewer_client, china):
    office = OfficeFactory(slug="tokyo-x", country=china)
    Revision.objects.create(
        content_type=ContentType.objects.get_for_model(Office),
        object_id=str(office.pk),
        record_label=str(office),
        values={"email": "x@cnrs.fr"},
        before={"email": ""},
    )

    section = attention_section(derci_client)

    assert "1 proposed change is waiting for review." in section
    assert f'href="{admin_url(Revision, "changelist")}?review=pending"' in section
    assert "waiting for review" not in attention_section(viewer_client)
