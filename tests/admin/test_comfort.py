"""A comfortable admin: French headings with their article, wide inputs for long text, lists
that fit the screen (record names in two lines, the full name on hover)."""

import re

import pytest
from django.test import Client

from instruments.models import Instrument
from offices.models import Country
from partnerships.models import Institution
from tests.admin.helpers import admin_url
from tests.factories import InstitutionFactory, InstrumentFactory

pytestmark = pytest.mark.django_db

LONG_TITLE = (
    "Franco-Chinese International Research Network on the biodiversity of coastal wetlands "
    "and their microbial communities"
)


def client_in(language: str, user) -> Client:
    client = Client(headers={"Accept-Language": language})
    client.force_login(user)
    return client


def heading(response) -> str:
    return re.search(r"<h1>(.*?)</h1>", response.content.decode(), re.S).group(1).strip()


@pytest.mark.parametrize(
    ("model", "view", "french", "english"),
    [
        (Instrument, "add", "Ajout d’un instrument", "Add instrument"),
        (Institution, "add", "Ajout d’une institution", "Add institution"),
        (Country, "add", "Ajout d’un pays", "Add country"),
    ],
)
def test_add_form_headings_read_naturally_in_french(admin_user, model, view, french, english):
    url = admin_url(model, view)

    in_french = heading(client_in("fr", admin_user).get(url))
    in_english = heading(client_in("en", admin_user).get(url))

    assert (in_french, in_english) == (french, english)


def test_change_form_headings_take_the_article_and_its_elision(admin_user, china):
    instrument = InstrumentFactory()
    institution = InstitutionFactory()
    client = client_in("fr", admin_user)

    headings = [
        heading(client.get(admin_url(Instrument, "change", instrument.pk))),
        heading(client.get(admin_url(Institution, "change", institution.pk))),
        heading(client.get(admin_url(Country, "change", china.pk))),
    ]

    assert headings == [
        "Modification de l’instrument",
        "Modification de l’institution",
        "Modification du pays",
    ]


def test_a_viewer_reads_a_view_heading(viewer):
    instrument = InstrumentFactory()

    response = client_in("fr", viewer).get(admin_url(Instrument, "change", instrument.pk))

    assert heading(response) == "Affichage de l’instrument"


def test_the_add_button_names_the_record_with_its_article(admin_user):
    html = client_in("fr", admin_user).get(admin_url(Institution, "changelist")).content.decode()

    assert re.search(r'class="addlink">\s*Ajouter une institution\s*</a>', html), html


def test_title_and_source_inputs_are_wide_and_short_ones_are_not(admin_user):
    instrument = InstrumentFactory()

    form = client_in("en", admin_user).get(admin_url(Instrument, "change", instrument.pk))
    fields = form.context["adminform"].form.fields

    wide = {
        name
        for name, field in fields.items()
        if "wide-input" in field.widget.attrs.get("class", "")
    }
    assert {"title_fr", "title_en", "source_title", "source_url", "website"} <= wide
    assert not wide & {"acronym", "slug", "start_on", "status"}


def test_a_long_title_is_listed_in_full_for_hovering_and_clamped_by_class(admin_user):
    instrument = InstrumentFactory(title_en=LONG_TITLE, title_fr=LONG_TITLE, acronym="WET")

    html = client_in("en", admin_user).get(admin_url(Instrument, "changelist")).content.decode()

    cell = re.search(r'<th class="field-__str__">(.*?)</th>', html, re.S).group(1)
    assert f'href="{admin_url(Instrument, "change", instrument.pk)}' in cell
    assert f'<span class="cell-text" title="{instrument}">{instrument}</span>' in cell


def test_changelists_leave_out_the_navigation_sidebar_forms_keep_it(admin_user):
    instrument = InstrumentFactory()
    client = client_in("en", admin_user)

    listing = client.get(admin_url(Instrument, "changelist")).content.decode()
    form = client.get(admin_url(Instrument, "change", instrument.pk)).content.decode()

    assert 'id="nav-sidebar"' not in listing
    assert 'id="nav-sidebar"' in form


def test_the_export_page_has_no_inline_script_or_style_and_a_labelled_select_all(admin_user):
    html = client_in("en", admin_user).get(admin_url(Instrument, "export")).content.decode()

    assert 'id="id_select_all_toggle"' in html
    assert '<label for="id_select_all_toggle">Select all</label>' in html
    assert not re.search(r"\son[a-z]+=", html)
    assert "style=" not in html.split("<body", 1)[1]
