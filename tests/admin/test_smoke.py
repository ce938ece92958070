"""Every admin page of every model opens, finds, filters, and stays within its query budget."""

import re
from html import unescape
from http import HTTPStatus

import pytest
from django.contrib import admin
from django.urls import reverse

from core.models import Institute, KeyFigure, Theme
from instruments.models import Instrument, Kind, Network
from offices.models import Country, Coverage, Office, Sector
from partnerships.models import Agreement, Call, Institution, Milestone
from tests.admin.builders import build

pytestmark = pytest.mark.django_db

# The queries each changelist takes, the same with 1 row as with 20.
# One count per "needs attention" check of the list (core.admin.common_checks and each app's).
QUERIES = {
    Theme: 6,
    Institute: 5,
    KeyFigure: 7,  # the "tool counted" filter lists the codes in use
    Sector: 5,
    Country: 6,
    Office: 12,
    Coverage: 8,
    Institution: 9,
    Agreement: 11,
    Call: 11,
    Milestone: 9,
    Kind: 7,
    Network: 9,
    Instrument: 13,
}
MODELS = list(QUERIES)
# The translated field whose FR and EN inputs the add form shows side by side.
TRANSLATED = {
    Theme: "name",
    Institute: "name",
    KeyFigure: "label",
    Sector: "name",
    Country: "name",
    Office: "name",
    Coverage: "note",
    Institution: "name",
    Agreement: "title",
    Call: "title",
    Milestone: "title",
    Kind: "name",
    Network: "name",
    Instrument: "title",
}


def url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def search_key(obj) -> str:
    if isinstance(obj, Coverage):
        return obj.office.slug
    if isinstance(obj, Country):
        return str(obj.code)
    return getattr(obj, "slug", None) or obj.code


def filter_links(html: str) -> list[str]:
    """The query strings of every choice in the changelist's filter sidebar."""
    sidebar = html.split('id="changelist-filter"', 1)[1].split("</nav>", 1)[0]
    links = {unescape(href) for href in re.findall(r'href="(\?[^"]*)"', sidebar)}
    return sorted(link for link in links if link != "?")


@pytest.mark.parametrize("rows", [1, 20])
@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.model_name)
def test_changelist_queries_do_not_grow_with_rows(
    admin_client, django_assert_num_queries, model, rows
):
    built = build(model, rows)

    with django_assert_num_queries(QUERIES[model]):
        response = admin_client.get(url(model, "changelist"))

    assert response.status_code == HTTPStatus.OK
    assert response.context["cl"].result_count == model.objects.count()
    assert len(response.context["cl"].result_list) == min(model.objects.count(), 50)
    content = response.content.decode()
    missing = [obj for obj in built if f'href="{url(model, "change", obj.pk)}"' not in content]
    assert not missing, f"rows not on the changelist: {missing}"


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.model_name)
def test_changelist_search_finds_the_row(admin_client, model):
    wanted, other = build(model, 2)

    response = admin_client.get(url(model, "changelist"), {"q": search_key(wanted)})

    found = list(response.context["cl"].result_list)
    assert wanted in found
    assert other not in found


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.model_name)
def test_changelist_every_filter_choice_opens(admin_client, model):
    build(model, 2)
    html = admin_client.get(url(model, "changelist")).content.decode()

    links = filter_links(html)
    statuses = {
        link: admin_client.get(url(model, "changelist") + link).status_code for link in links
    }

    assert links
    assert set(statuses.values()) == {HTTPStatus.OK}, statuses


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.model_name)
def test_add_form_shows_french_and_english_side_by_side(admin_client, model):
    name = TRANSLATED[model]

    response = admin_client.get(url(model, "add"))

    html = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert f'name="{name}_fr"' in html
    assert f'name="{name}_en"' in html
    assert f"form-row field-{name}_fr field-{name}_en" in html  # one row, both languages


@pytest.mark.parametrize(
    ("model", "date"),
    [
        (Agreement, "signed_on"),
        (Agreement, "renewed_on"),
        (Agreement, "expires_on"),
        (Call, "opens_on"),
        (Call, "closes_on"),
        (Call, "projects_start"),
        (Call, "projects_end"),
        (Network, "launched_on"),
        (Network, "ended_on"),
        (Instrument, "start_on"),
        (Instrument, "end_on"),
        (Milestone, "date"),
    ],
    ids=lambda value: value if isinstance(value, str) else value._meta.model_name,
)
def test_add_form_shows_each_date_precision_beside_its_date(admin_client, model, date):
    response = admin_client.get(url(model, "add"))

    html = response.content.decode()
    assert f'name="{date}_precision"' in html
    assert f"form-row field-{date} field-{date}_precision" in html  # one row


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.model_name)
def test_change_form_and_history_open(admin_client, model):
    (obj,) = build(model, 1)

    change = admin_client.get(url(model, "change", obj.pk))
    history = admin_client.get(url(model, "history", obj.pk))

    assert change.status_code == HTTPStatus.OK
    assert change.context["original"] == obj
    assert history.status_code == HTTPStatus.OK
    assert len(history.context["page_obj"].object_list) >= 1


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.model_name)
def test_every_relation_is_picked_by_autocomplete(model):
    model_admin = admin.site._registry[model]
    relations = {
        field.name
        for field in model._meta.get_fields()
        if (field.many_to_many or field.many_to_one) and field.concrete and field.editable
    }

    assert relations <= set(model_admin.autocomplete_fields)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.model_name)
def test_admin_pages_load_nothing_from_a_cdn(admin_client, model):
    html = admin_client.get(url(model, "add")).content.decode()

    assert re.findall(r'(?:src|href)="(?:https?:)?//', html) == []
