"""Bulk import from CSV and XLSX with a dry run, natural keys, no half-written file; export."""

import csv
import io
from http import HTTPStatus

import openpyxl
import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from tablib import Dataset

from core.models import Publishable
from instruments.models import Instrument
from instruments.resources import InstrumentResource
from offices.models import Coverage
from partnerships.models import Agreement, Call, Institution
from tests.admin.helpers import admin_url
from tests.factories import (
    AgreementFactory,
    CountryFactory,
    InstituteFactory,
    InstitutionFactory,
    InstrumentFactory,
    KindFactory,
    LegacyNameFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db
CSV_FORMAT, XLSX_FORMAT = "0", "1"

INSTRUMENT_HEADER = [
    "slug",
    "acronym",
    "title_fr",
    "title_en",
    "kind",
    "start_on",
    "end_on",
    "countries",
    "themes",
    "institutes",
    "office",
    "status",
]


@pytest.fixture
def references(china, japan, own_office):
    irp = KindFactory(code="IRP")
    LegacyNameFactory(kind=irp, code="LIA")
    KindFactory(code="IRN")
    ThemeFactory(slug="carbon")
    ThemeFactory(slug="oceans")
    InstituteFactory(code="INEE")


def csv_file(rows, header=INSTRUMENT_HEADER) -> SimpleUploadedFile:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return SimpleUploadedFile("rows.csv", out.getvalue().encode(), content_type="text/csv")


def xlsx_file(rows, header=INSTRUMENT_HEADER) -> SimpleUploadedFile:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("rows.xlsx", out.getvalue())


INSTRUMENTS = [
    [
        "cnc-sea",
        "SEA",
        "Mers",
        "Seas",
        "IRN",
        "2024-06-01",
        "2029-05-31",
        "CN",
        "oceans",
        "INEE",
        "beijing",
        "published",
    ],
    [
        "lia-x",
        "LIAX",
        "Labo X",
        "Lab X",
        "lia",
        "2020-01-01",
        "",
        "cn,JP",
        "carbon,oceans",
        "",
        "",
        "",
    ],
]


def dry_run(client, model, upload, file_format=CSV_FORMAT):
    return client.post(
        admin_url(model, "import"),
        {"format": file_format, "resource": "0", "import_file": upload},
    )


def confirm(client, model, dry_run_response):
    form = dry_run_response.context["confirm_form"]
    return client.post(admin_url(model, "process_import"), form.initial, follow=True)


def totals(response) -> dict:
    result = response.context["result"]
    return {key: value for key, value in result.totals.items() if value}


def test_dry_run_shows_what_will_happen_and_writes_nothing(derci_client, references):
    response = dry_run(derci_client, Instrument, csv_file(INSTRUMENTS))

    assert response.status_code == HTTPStatus.OK
    assert totals(response) == {"new": 2}
    assert "confirm_form" in response.context
    assert not Instrument.objects.exists()


def test_confirmed_import_writes_rows_with_their_relations_and_history(
    derci_client, derci_user, references, own_office
):
    confirm(derci_client, Instrument, dry_run(derci_client, Instrument, csv_file(INSTRUMENTS)))

    rows = {i.slug: i for i in Instrument.objects.all()}
    assert sorted(rows) == ["cnc-sea", "lia-x"]
    sea, lia = rows["cnc-sea"], rows["lia-x"]
    assert (sea.kind.code, sea.office, sea.status) == ("IRN", own_office, "published")
    assert sea.published_at is not None
    assert [str(c.code) for c in sea.countries.all()] == ["CN"]
    assert [i.code for i in sea.institutes.all()] == ["INEE"]
    # A legacy code names the current kind; an empty status means a draft.
    assert (lia.kind.code, lia.status, lia.end_on, lia.office) == ("IRP", "draft", None, None)
    assert sorted(str(c.code) for c in lia.countries.all()) == ["CN", "JP"]
    assert sorted(t.slug for t in lia.themes.all()) == ["carbon", "oceans"]
    assert (sea.created_by, sea.updated_by) == (derci_user, derci_user)
    assert sea.history.earliest().history_user == derci_user


def test_importing_the_same_file_twice_changes_nothing(derci_client, references):
    confirm(derci_client, Instrument, dry_run(derci_client, Instrument, csv_file(INSTRUMENTS)))
    history_before = Instrument.history.count()

    second = dry_run(derci_client, Instrument, csv_file(INSTRUMENTS))
    confirm(derci_client, Instrument, second)

    assert totals(second) == {"skip": 2}
    assert Instrument.objects.count() == 2
    assert Instrument.history.count() == history_before


def test_a_changed_row_updates_the_record_matched_by_slug(derci_client, references):
    confirm(derci_client, Instrument, dry_run(derci_client, Instrument, csv_file(INSTRUMENTS)))
    changed = [[*INSTRUMENTS[0][:3], "Seas and oceans", *INSTRUMENTS[0][4:]], INSTRUMENTS[1]]

    response = dry_run(derci_client, Instrument, csv_file(changed))
    confirm(derci_client, Instrument, response)

    assert totals(response) == {"update": 1, "skip": 1}
    assert Instrument.objects.get(slug="cnc-sea").title_en == "Seas and oceans"


def test_a_bad_row_writes_nothing_and_names_row_column_and_reason(derci_client, references):
    rows = [
        INSTRUMENTS[0],
        [
            "bad",
            "BAD",
            "Mauvais",
            "Bad",
            "IRN",
            "2024-01-01",
            "2023-01-01",
            "CN,ZZ",
            "",
            "",
            "",
            "",
        ],
        INSTRUMENTS[1],
    ]

    response = dry_run(derci_client, Instrument, csv_file(rows))

    result = response.context["result"]
    (invalid,) = result.invalid_rows
    assert invalid.number == 2
    assert invalid.field_specific_errors == {
        "countries": ["unknown country code: ZZ."],
        "end_on": ["Cannot precede “start”."],
    }
    html = response.content.decode()
    assert "unknown country code: ZZ." in html
    assert "confirm_form" not in response.context
    assert not Instrument.objects.exists()


def test_a_bad_row_rolls_back_the_whole_file_even_without_the_dry_run(derci_user, references):
    rows = [INSTRUMENTS[0], ["bad", "", "Mauvais", "", "NOPE", "", "", "", "", "", "", ""]]
    dataset = Dataset(*rows, headers=INSTRUMENT_HEADER)

    result = InstrumentResource().import_data(dataset, dry_run=False, user=derci_user)

    assert [row.number for row in result.invalid_rows] == [2]
    assert result.invalid_rows[0].field_specific_errors == {
        "kind": ["no instrument kind has the code “NOPE”."]
    }
    assert not Instrument.objects.exists()


def test_xlsx_with_empty_text_cells_imports(derci_client, references):
    rows = [["xl", None, "Classeur", None, "IRN", None, None, None, None, None, None, None]]

    response = dry_run(derci_client, Instrument, xlsx_file(rows), XLSX_FORMAT)
    confirm(derci_client, Instrument, response)

    instrument = Instrument.objects.get()
    assert (instrument.slug, instrument.title_fr, instrument.acronym) == ("xl", "Classeur", "")
    assert instrument.summary_fr in ("", None)


def test_date_precisions_import_and_export_beside_their_dates(derci_user, references):
    header = [*INSTRUMENT_HEADER, "start_on_precision", "end_on_precision"]
    rows = [[*INSTRUMENTS[0], "Month", ""], [*INSTRUMENTS[1], "year", ""]]

    result = InstrumentResource().import_data(
        Dataset(*rows, headers=header), dry_run=False, user=derci_user
    )
    exported = InstrumentResource().export(queryset=Instrument.objects.order_by("slug"))

    assert not result.has_errors() and not result.invalid_rows
    assert list(
        Instrument.objects.order_by("slug").values_list(
            "slug", "start_on_precision", "end_on_precision"
        )
    ) == [("cnc-sea", "month", "day"), ("lia-x", "year", "day")]
    columns = exported.headers
    assert columns[columns.index("start_on") : columns.index("end_on_precision") + 1] == [
        "start_on",
        "start_on_precision",
        "end_on",
        "end_on_precision",
    ]
    assert [(row["slug"], row["start_on"], row["start_on_precision"]) for row in exported.dict] == [
        ("cnc-sea", "2024-06-01", "month"),
        ("lia-x", "2020-01-01", "year"),
    ]


def test_an_unknown_date_precision_is_refused_naming_the_column(derci_user, references):
    header = [*INSTRUMENT_HEADER, "start_on_precision"]

    result = InstrumentResource().import_data(
        Dataset([*INSTRUMENTS[0], "week"], headers=header), dry_run=False, user=derci_user
    )

    (invalid,) = result.invalid_rows
    assert invalid.field_specific_errors == {
        "start_on_precision": ["Value 'week' is not a valid choice."]
    }
    assert not Instrument.objects.exists()


def test_coverage_rows_match_on_office_country_and_start_year(
    derci_client, own_office, china, japan
):
    header = ["office", "country", "start_year", "end_year", "note_fr"]
    rows = [["beijing", "cn", "", "2030", "Jusqu'en 2030"], ["beijing", "JP", "2021", "", ""]]

    response = dry_run(derci_client, Coverage, csv_file(rows, header))
    confirm(derci_client, Coverage, response)

    assert totals(response) == {"update": 1, "new": 1}
    assert sorted(
        (c.office.slug, str(c.country.code), c.start_year or 0, c.end_year or 0)
        for c in Coverage.objects.all()
    ) == [("beijing", "CN", 0, 2030), ("beijing", "JP", 2021, 0)]


def test_institutions_match_on_ror_id_before_slug(derci_client, china):
    InstitutionFactory(slug="cas", name_fr="Académie", ror_id="034t30j35", country=china)
    header = ["slug", "name_fr", "kind", "country", "ror_id"]
    rows = [
        [
            "chinese-academy-of-sciences",
            "Académie chinoise des sciences",
            "academy",
            "CN",
            "034t30j35",
        ],
        ["nsfc", "NSFC", "funding_agency", "CN", "01h0zpd94"],
    ]

    response = dry_run(derci_client, Institution, csv_file(rows, header))
    confirm(derci_client, Institution, response)

    assert totals(response) == {"update": 1, "new": 1}
    assert sorted(Institution.objects.values_list("ror_id", "slug")) == [
        ("01h0zpd94", "nsfc"),
        ("034t30j35", "chinese-academy-of-sciences"),
    ]


def test_institution_with_a_malformed_ror_id_is_refused(derci_client, china):
    header = ["slug", "name_fr", "kind", "country", "ror_id"]

    response = dry_run(
        derci_client, Institution, csv_file([["x", "X", "other", "CN", "not-a-ror"]], header)
    )

    (invalid,) = response.context["result"].invalid_rows
    assert list(invalid.field_specific_errors) == ["ror_id"]
    assert not Institution.objects.exists()


@pytest.mark.parametrize(
    ("model", "header", "row"),
    [
        (
            Agreement,
            ["slug", "title_fr", "kind", "parties", "countries"],
            ["cas-2023", "Accord CAS", "framework", "cas", "CN"],
        ),
        (
            Call,
            ["slug", "title_fr", "agreement", "funders", "opens_on", "closes_on"],
            ["nsfc-2025", "Appel NSFC", "cnrs-nsfc", "cas", "2025-01-01", "2025-03-01"],
        ),
    ],
    ids=["agreement", "call"],
)
def test_agreements_and_calls_import_twice_without_change(derci_client, china, model, header, row):
    InstitutionFactory(slug="cas", country=china)
    AgreementFactory(slug="cnrs-nsfc")
    before = model.objects.count()

    first = dry_run(derci_client, model, csv_file([row], header))
    confirm(derci_client, model, first)
    second = dry_run(derci_client, model, csv_file([row], header))

    assert totals(first) == {"new": 1}
    assert totals(second) == {"skip": 1}
    assert model.objects.count() == before + 1


@pytest.mark.parametrize("client_name", ["office_editor_client", "viewer_client"])
def test_import_is_for_derci_editors_only(request, client_name):
    client = request.getfixturevalue(client_name)

    response = client.get(admin_url(Instrument, "import"))

    assert response.status_code == HTTPStatus.FORBIDDEN


def test_office_editor_import_post_is_refused(office_editor_client, references):
    response = dry_run(office_editor_client, Instrument, csv_file(INSTRUMENTS))

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert not Instrument.objects.exists()


def test_export_of_a_changelist_selection(viewer_client, references):
    kind = KindFactory(code="IRN")
    chosen = InstrumentFactory(slug="chosen", kind=kind, countries=[CountryFactory(code="CN")])
    InstrumentFactory(slug="left-out", kind=kind)

    form_page = viewer_client.post(
        admin_url(Instrument, "changelist"),
        {"action": "export_admin_action", "_selected_action": [chosen.pk]},
    )
    form = form_page.context["form"]
    data = {"format": CSV_FORMAT, "resource": "0", "export_items": [str(chosen.pk)]}
    data.update(
        {
            name: "on"
            for name, field in form.fields.items()
            if getattr(field, "is_selectable_field", False)
        }
    )
    response = viewer_client.post(admin_url(Instrument, "export"), data)

    assert response.status_code == HTTPStatus.OK
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [(r["slug"], r["countries"], r["kind"]) for r in rows] == [("chosen", "CN", "IRN")]


def test_import_rows_of_a_non_publisher_stay_drafts(derci_user, references):
    derci_user.user_permissions.clear()
    for group in derci_user.groups.all():
        group.permissions.remove(Permission.objects.get(codename="publish_instrument"))
    user = type(derci_user).objects.get(pk=derci_user.pk)

    InstrumentResource().import_data(
        Dataset(INSTRUMENTS[0], headers=INSTRUMENT_HEADER), dry_run=False, user=user
    )

    assert Instrument.objects.get().status == Publishable.Status.DRAFT
