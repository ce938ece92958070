"""The open-data dump: the whole published catalogue as JSON and CSV files, with a README and
the licence (Licence Ouverte / Open Licence 2.0, Etalab), and what changed since a date.

Written by ``manage.py export_open_data DIR [--since DATE]``; published as dated releases (with
``CHANGES``, ``SHA256SUMS`` and a Frictionless ``datapackage.json``) by ``manage.py
publish_open_data``, which the ``/<lang>/open-data/`` page lists: a request never builds one. Instruments is the top layer, so this module may read every app.
"""

import csv
import datetime
import decimal
import hashlib
import json
import os
import re
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Count, Max
from django.http import FileResponse, Http404
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from cnrs_intl.exports import key_figure_columns
from cnrs_intl.figures import public_key_figures
from core import conditional
from core.exports import (
    SEPARATOR,
    Column,
    institute_columns,
    join_items,
    public_institutes,
    public_themes,
    theme_columns,
)
from core.models import Institute, KeyFigure, Publishable, Theme
from core.spreadsheets import csv_text
from instruments.exports import (
    instrument_columns,
    kind_columns,
    network_columns,
    public_instruments,
    public_kinds,
    public_networks,
)
from instruments.models import Instrument, Kind, LegacyName, Network
from offices.exports import (
    country_columns,
    office_columns,
    public_offices,
    sector_columns,
)
from offices.models import Country, Coverage, Office, Sector
from partnerships.exports import (
    agreement_columns,
    call_columns,
    institution_columns,
    milestone_columns,
    public_agreements,
    public_calls,
    public_institutions,
    public_milestones,
)
from partnerships.models import Agreement, Call, Institution, Milestone

# Bump when the files' shape changes, so the next ``publish_open_data`` makes a new release.
FORMAT_VERSION = "3"
LICENCE_NAME = "Licence Ouverte / Open Licence version 2.0 (Etalab)"
LICENCE_URL = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"
ARCHIVE_NAME = "cnrs-international-open-data.zip"  # the latest release's zip


@dataclass(frozen=True)
class Resource:
    """One file pair of the dump: which rows, which columns, how a row is identified."""

    name: str
    model: type
    rows: object  # callable returning the published queryset
    columns: object  # callable returning the columns
    identifier: str = "slug"
    description: str = ""
    # Changes to these (model, field pointing to a row of this resource) also change the row.
    dependents: tuple = ()

    @property
    def publishable(self) -> bool:
        return issubclass(self.model, Publishable)

    def identify(self, value) -> str:
        value = str(value)
        return value.lower() if self.model is Country else value


def reference_rows(model, *related):
    def rows():
        return model.objects.select_related(*related) if related else model.objects.all()

    return rows


RESOURCES = [
    Resource(
        name="sectors",
        model=Sector,
        rows=reference_rows(Sector),
        columns=sector_columns,
        description=_("The four geographic sectors (poles) of CNRS international cooperation."),
    ),
    Resource(
        name="countries",
        model=Country,
        rows=reference_rows(Country, "sector"),
        columns=country_columns,
        identifier="code",
        description=_("Every ISO 3166-1 country (alpha-2 code, lower case) and its sector."),
    ),
    Resource(
        name="offices",
        model=Office,
        rows=public_offices,
        columns=office_columns,
        description=_(
            "CNRS representative offices abroad, open and closed, and the countries "
            "they follow (with years)."
        ),
        dependents=((Coverage, "office_id"),),
    ),
    Resource(
        name="themes",
        model=Theme,
        rows=public_themes,
        columns=theme_columns,
        description=_("Scientific themes; a theme may have a broader parent theme."),
    ),
    Resource(
        name="institutes",
        model=Institute,
        rows=public_institutes,
        columns=institute_columns,
        identifier="code",
        description=_("The CNRS institutes."),
    ),
    Resource(
        name="kinds",
        model=Kind,
        rows=public_kinds,
        columns=kind_columns,
        identifier="code",
        description=_("Kinds of cooperation instrument and the former names they replaced."),
        dependents=((LegacyName, "kind_id"),),
    ),
    Resource(
        name="networks",
        model=Network,
        rows=public_networks,
        columns=network_columns,
        description=_("Networks whose nodes are instruments."),
    ),
    Resource(
        name="institutions",
        model=Institution,
        rows=public_institutions,
        columns=institution_columns,
        description=_("Partner institutions, foreign and French."),
    ),
    Resource(
        name="instruments",
        model=Instrument,
        rows=public_instruments,
        columns=instrument_columns,
        description=_(
            "Cooperation instruments: networks, joint projects and laboratories, programmes."
        ),
    ),
    Resource(
        name="agreements",
        model=Agreement,
        rows=public_agreements,
        columns=agreement_columns,
        description=_("Signed partnership agreements."),
    ),
    Resource(
        name="calls",
        model=Call,
        rows=public_calls,
        columns=call_columns,
        description=_("Calls for joint projects."),
    ),
    Resource(
        name="milestones",
        model=Milestone,
        rows=public_milestones,
        columns=milestone_columns,
        description=_("Dated events of the cooperation story."),
    ),
    Resource(
        name="key_figures",
        model=KeyFigure,
        rows=public_key_figures,
        columns=key_figure_columns,
        description="Figures official sources published (counts of tools, co-publications, "
        "money…), each as written, with what it counts, the tool code it counts (`kind`), its "
        "countries (none: worldwide), its date at its precision (`as_of`, empty when undated), "
        "its source and where sources disagree. History, not live counts.",
    ),
]


# What each field of key_figures holds (the README says it: a figure is easy to misread).
KEY_FIGURE_FIELDS = {
    "slug": "identifier (the reference data's id for figures loaded from it)",
    "figure": "the figure as the source writes it (`80`, `about 80`, `5 of 7`, `7th`)",
    "value": "the number, when the source writes one; empty otherwise",
    "qualifier": "`exact`, `about` or `more_than`",
    "label_fr, label_en": "what the figure counts, and where; empty in a language no one "
    "wrote it in",
    "kind": "code of the tool the figure counts as the source names it (`IRL`, `UMI`, `LIA`…); "
    "empty when it counts something else",
    "countries": "lower-case ISO 3166-1 alpha-2 codes of the countries it is about; empty for a "
    "worldwide figure",
    "as_of, as_of_precision": "the date the figure describes, at its precision (`2022-04`, "
    "`month`); empty when the source is undated",
    "as_of_label_fr, as_of_label_en": "the period as the source words it, when it gives one",
    "contradictions": "where sources disagree: the values each gives, and which source",
    "other_sources": "other pages that state the same figure",
    "source_title, source_url, checked_on": "the source, and its date when known",
    "created, modified": "when the record was created and last modified here (UTC)",
}


# -- records -------------------------------------------------------------------------------------


def json_value(value):
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [json_value(item) for item in value]
    if isinstance(value, decimal.Decimal):
        return float(value)
    return value


def record(obj, columns: list[Column]) -> dict:
    """One row as the open data spells it: keys, identifiers, both languages."""
    data = {}
    for column in columns:
        for key, value in zip(column.open_data_keys(), column.open_data_values(obj), strict=True):
            data[key] = json_value(value if value != "" else None)
    return data


def csv_cell(value) -> str:
    """A CSV cell of the open data; a text no spreadsheet program runs (``core.spreadsheets``)."""
    if value is None:
        return ""
    if isinstance(value, list):
        return csv_text(join_items(value))
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return csv_text(value)
    return str(value)


def header(columns: list[Column]) -> list[str]:
    return [key for column in columns for key in column.open_data_keys()]


def records(resource: Resource, queryset=None):
    columns = resource.columns()
    queryset = resource.rows() if queryset is None else queryset
    for obj in queryset.iterator(chunk_size=500):
        yield record(obj, columns)


def write_json(path: Path, items) -> int:
    """A JSON array, written item by item (the whole list never sits in memory)."""
    count = 0
    with path.open("w", encoding="utf-8") as out:
        out.write("[")
        for item in items:
            out.write(",\n" if count else "\n")
            out.write(json.dumps(item, ensure_ascii=False, cls=DjangoJSONEncoder))
            count += 1
        out.write("\n]\n" if count else "]\n")
    return count


def write_csv(path: Path, keys: list[str], items):
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(keys)
        for item in items:
            writer.writerow([csv_cell(item.get(key)) for key in keys])


# -- what changed since a date --------------------------------------------------------------------


@dataclass
class Delta:
    added: list
    modified: list
    removed: list


def _state(resource: Resource, row) -> tuple[bool, str]:
    """(publicly visible, identifier) of a historical row."""
    visible = row["status"] == Publishable.Status.PUBLISHED if resource.publishable else True
    return visible, resource.identify(row[resource.identifier])


def _chunks(values, size=500):
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start : start + size]


def changed_ids(resource: Resource, since: datetime.datetime) -> set:
    history = resource.model.history
    ids = set(history.filter(history_date__gte=since).values_list("id", flat=True))
    if hasattr(resource.model, "updated_at"):
        ids |= set(
            resource.model.objects.filter(updated_at__gte=since).values_list("pk", flat=True)
        )
    for model, field in resource.dependents:
        ids |= set(
            model.history.filter(history_date__gte=since)
            .exclude(**{f"{field}__isnull": True})
            .values_list(field, flat=True)
        )
    return ids


def delta(resource: Resource, since: datetime.datetime) -> Delta:
    """What a client holding the published catalogue as it was at ``since`` must change.

    ``added``: published now, not then (new, or published since); ``modified``: published then
    and now, changed since; ``removed``: identifiers published then and not now (deleted,
    unpublished, or renamed). The state at ``since`` comes from the history tables; a row
    with no history before ``since`` (loaded from fixtures) is taken as published then,
    so a removal is never missed.
    """
    ids = changed_ids(resource, since)
    fields = ["id", "history_type", resource.identifier, "history_date"]
    if resource.publishable:
        fields.append("status")
    before, first_after = {}, {}
    for chunk in _chunks(ids):
        rows = (
            resource.model.history.filter(id__in=chunk)
            .order_by("history_date", "history_id")
            .values(*fields)
        )
        for row in rows:
            if row["history_date"] < since:
                before[row["id"]] = row
            else:
                first_after.setdefault(row["id"], row)

    now = {}
    queryset = resource.rows()
    for chunk in _chunks(ids):
        for obj in queryset.filter(pk__in=chunk):
            now[obj.pk] = obj

    columns = resource.columns()
    added, modified, removed = [], [], set()
    for pk in sorted(ids):
        if pk in before:
            row = before[pk]
            if row["history_type"] == "-":
                was_visible, old_identifier = False, None
            else:
                was_visible, old_identifier = _state(resource, row)
        elif pk in first_after:
            row = first_after[pk]
            if row["history_type"] == "+":
                was_visible, old_identifier = False, None
            else:
                # It existed before its first recorded change (loaded from fixtures).
                was_visible, old_identifier = True, _state(resource, row)[1]
        elif pk in now:
            # Changed without a history row (a raw update): created before ``since``, it was there.
            created = getattr(now[pk], "created_at", None)
            if created is not None and created >= since:
                was_visible, old_identifier = False, None
            else:
                was_visible = True
                old_identifier = resource.identify(getattr(now[pk], resource.identifier))
        else:
            continue
        obj = now.get(pk)
        if obj is not None:
            (modified if was_visible else added).append(record(obj, columns))
            identifier = resource.identify(getattr(obj, resource.identifier))
            if was_visible and old_identifier and old_identifier != identifier:
                removed.add(old_identifier)
        elif was_visible and old_identifier:
            removed.add(old_identifier)
    key = header(columns)[0]
    return Delta(
        added=sorted(added, key=lambda item: item[key]),
        modified=sorted(modified, key=lambda item: item[key]),
        removed=sorted(removed),
    )


# -- the dump -------------------------------------------------------------------------------------


def write_open_data(directory, since: datetime.datetime | None = None) -> dict:
    """Write the dump into ``directory``; returns the number of records per resource."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    generated = timezone.now()
    counts = {}
    for resource in RESOURCES:
        columns = resource.columns()
        keys = header(columns)
        counts[resource.name] = write_json(directory / f"{resource.name}.json", records(resource))
        write_csv(directory / f"{resource.name}.csv", keys, records(resource))
    changes = None
    if since is not None:
        changes = write_delta(directory / delta_folder(since), since, generated)
    (directory / "README.md").write_text(
        readme(counts, generated, since, changes), encoding="utf-8"
    )
    (directory / "LICENCE.txt").write_text(licence_text(generated), encoding="utf-8")
    return counts


def delta_folder(since: datetime.datetime) -> str:
    return f"changes-since-{timezone.localtime(since):%Y-%m-%d}"


def write_delta(directory: Path, since, generated) -> dict:
    directory.mkdir(parents=True, exist_ok=True)
    summary = {}
    for resource in RESOURCES:
        change = delta(resource, since)
        summary[resource.name] = {
            "added": len(change.added),
            "modified": len(change.modified),
            "removed": len(change.removed),
        }
        document = {
            "resource": resource.name,
            "since": json_value(since),
            "generated": json_value(generated),
            "added": change.added,
            "modified": change.modified,
            "removed": change.removed,
        }
        (directory / f"{resource.name}.json").write_text(
            json.dumps(document, ensure_ascii=False, indent=1, cls=DjangoJSONEncoder) + "\n",
            encoding="utf-8",
        )
        keys = header(resource.columns())
        rows = [
            *({"change": "added", **item} for item in change.added),
            *({"change": "modified", **item} for item in change.modified),
            *({"change": "removed", keys[0]: identifier} for identifier in change.removed),
        ]
        write_csv(directory / f"{resource.name}.csv", ["change", *keys], rows)
    return summary


def readme(counts, generated, since=None, changes=None) -> str:
    lines = [
        "# CNRS International — open data",
        "",
        "The published catalogue of the CNRS international cooperation network: sectors, "
        "countries, offices, themes, CNRS institutes, instrument kinds, networks, partner "
        "institutions, instruments, agreements, calls and milestones. Drafts are never included.",
        "",
        f"Generated {json_value(generated)} (UTC). Licence: {LICENCE_NAME}, see `LICENCE.txt` "
        f"and {LICENCE_URL}. Attribution: “CNRS – CNRS International, {generated:%Y-%m-%d}”.",
        "",
        "## Files",
        "",
        "Each resource comes as `<name>.json` (an array of objects) and `<name>.csv` (UTF-8, "
        f"comma-separated, one row per record, lists joined with `{SEPARATOR.strip()} `; a value "
        'containing `;` or `"` is put in double quotes, its quotes doubled: read a list cell with '
        "`csv.reader([cell], delimiter=';', skipinitialspace=True)`). "
        "Records point to each other by identifier (slug, code, or lower-case ISO 3166-1 "
        "alpha-2 country code). Translated text comes in two columns, `_fr` and `_en`. "
        "Dates are ISO 8601, as precisely as their source gives them: a date known only to the "
        "month or the year is written `YYYY-MM` or `YYYY`, and the field `<date>_precision` "
        "beside it says `day`, `month` or `year`. `created` and `modified` are UTC date-times. "
        "In the CSV files, a text starting with `=`, `+`, `-`, `@`, a tab or a carriage return "
        "(other than a plain number) has a leading `'` so that no spreadsheet program runs it "
        "as a formula (OWASP, CSV injection); the JSON files give the text as it is.",
        "",
        "| file | records | what |",
        "| --- | ---: | --- |",
    ]
    for resource in RESOURCES:
        with translation.override("en"):  # the README is in English, whatever the caller's language
            description = str(resource.description)
        lines.append(
            f"| `{resource.name}.json`, `{resource.name}.csv` | {counts.get(resource.name, 0)} "
            f"| {description} |"
        )
    lines += ["", "## Fields", ""]
    for resource in RESOURCES:
        columns = resource.columns()
        fields = ", ".join(f"`{key}`" for key in header(columns))
        lines.append(f"- **{resource.name}** (identifier `{header(columns)[0]}`): {fields}")
    lines += ["", "### key_figures", ""]
    lines += [
        f"- `{name.replace(', ', '`, `')}`: {text}" for name, text in KEY_FIGURE_FIELDS.items()
    ]
    if since is not None:
        folder = delta_folder(since)
        lines += [
            "",
            f"## Changes since {timezone.localtime(since):%Y-%m-%d}",
            "",
            f"`{folder}/<name>.json` lists what changed since {json_value(since)}: `added` "
            "(records published since, in full), `modified` (records already published then and "
            "changed since, in full) and `removed` (identifiers published then that are no longer: "
            f"deleted, unpublished or renamed). `{folder}/<name>.csv` holds the same with a "
            "`change` column.",
            "",
            "| resource | added | modified | removed |",
            "| --- | ---: | ---: | ---: |",
        ]
        for name, summary in (changes or {}).items():
            lines.append(
                f"| {name} | {summary['added']} | {summary['modified']} | {summary['removed']} |"
            )
    lines += [
        "",
        "## Also",
        "",
        "The same data, filtered and always current, from the read-only JSON API: "
        "`/api/v1/` (OpenAPI schema at `/api/v1/schema/`, documentation at `/api/v1/docs/`).",
        "",
    ]
    return "\n".join(lines)


def licence_text(generated) -> str:
    return f"""{LICENCE_NAME}
{"=" * len(LICENCE_NAME)}

The data in this folder is published by the CNRS (Centre national de la recherche
scientifique) under the Licence Ouverte / Open Licence version 2.0, published by Etalab,
the French government's open-data mission: {LICENCE_URL}
(full text: https://www.etalab.gouv.fr/wp-content/uploads/2017/04/ETALAB-Licence-Ouverte-v2.0.pdf).

In short, anyone may, worldwide, free of charge and without time limit:
- reproduce, copy and publish the information;
- adapt, modify, extract and transform it, for example to build new data sets;
- share, distribute and redistribute it;
- use it commercially or not,

on condition of attributing it: name the source (the producer, CNRS – CNRS International)
and the date of its last update, e.g. “CNRS – CNRS International, {generated:%Y-%m-%d}”,
for example with a link to the portal. The attribution must not suggest that CNRS endorses
the reuse. The information is provided as it is, without warranty; CNRS is not liable for
its reuse.

The licence is compatible with the Open Government Licence (OGL), the Creative Commons
Attribution licence (CC BY 2.0 and later) and the Open Data Commons Attribution licence (ODC-BY).

Licence Ouverte / Open Licence version 2.0 — résumé : chacun peut réutiliser librement ces
informations, y compris commercialement, sous réserve d'en mentionner la paternité
(« CNRS – CNRS International ») et la date de dernière mise à jour.
"""


# -- releases: built by ``manage.py publish_open_data``, never during a request ------------------

RELEASE_PREFIX = "cnrs-international-"
RELEASE_PATTERN = re.compile(r"^cnrs-international-(\d{4}-\d{2}-\d{2})(?:-(\d+))?$")
CHECKSUMS = "SHA256SUMS"
CHANGES = "CHANGES"
DATAPACKAGE = "datapackage.json"
FILE_NAMES = [
    *(f"{resource.name}.{ext}" for resource in RESOURCES for ext in ("json", "csv")),
    "README.md",
    "LICENCE.txt",
]
RELEASE_FILES = [*FILE_NAMES, CHANGES, DATAPACKAGE, CHECKSUMS]
CONTENT_TYPES = {
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "md": "text/markdown; charset=utf-8",
    "txt": "text/plain; charset=utf-8",
    "zip": "application/zip",
}
# The files whose bytes say whether the catalogue changed (README and LICENCE carry the date).
DATA_FILES = [f"{resource.name}.{ext}" for resource in RESOURCES for ext in ("json", "csv")]


def releases_root() -> Path:
    """``settings.OPEN_DATA_ROOT``, or ``<MEDIA_ROOT>/open-data`` when it is not set."""
    configured = getattr(settings, "OPEN_DATA_ROOT", "")
    return Path(configured) if configured else Path(settings.MEDIA_ROOT) / "open-data"


def content_type(name: str) -> str:
    return CONTENT_TYPES.get(name.rsplit(".", 1)[-1], "text/plain; charset=utf-8")


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass(frozen=True)
class Release:
    """One published release: a folder of files and a zip of them beside it."""

    name: str
    folder: Path

    @property
    def archive(self) -> Path:
        return self.folder.with_name(f"{self.name}.zip")

    @property
    def day(self) -> datetime.date:
        return datetime.date.fromisoformat(RELEASE_PATTERN.match(self.name).group(1))

    @property
    def number(self) -> int:
        return int(RELEASE_PATTERN.match(self.name).group(2) or 1)

    def package(self) -> dict:
        return json.loads((self.folder / DATAPACKAGE).read_text(encoding="utf-8"))

    @property
    def created(self) -> str:
        return self.package()["created"]

    @property
    def size(self) -> int:
        return self.archive.stat().st_size

    @property
    def archive_sha256(self) -> str:
        return (self.folder.with_name(f"{self.name}.zip.sha256")).read_text().split()[0]

    def checksums(self) -> dict[str, str]:
        sums = {}
        for line in (self.folder / CHECKSUMS).read_text(encoding="utf-8").splitlines():
            digest, name = line.split(maxsplit=1)
            sums[name.lstrip("*")] = digest
        return sums

    def files(self) -> list[dict]:
        sums = self.checksums()
        return [
            {"name": name, "size": (self.folder / name).stat().st_size, "sha256": sums.get(name)}
            for name in RELEASE_FILES
            if (self.folder / name).is_file()
        ]


def releases() -> list[Release]:
    """The complete releases, newest first (a folder counts once its zip and checksums exist)."""
    root = releases_root()
    if not root.is_dir():
        return []
    found = []
    for folder in root.iterdir():
        if not (folder.is_dir() and RELEASE_PATTERN.match(folder.name)):
            continue
        release = Release(folder.name, folder)
        if (folder / CHECKSUMS).is_file() and release.archive.is_file():
            found.append(release)
    return sorted(found, key=lambda r: (r.day, r.number), reverse=True)


def latest_release() -> Release | None:
    found = releases()
    return found[0] if found else None


def find_release(name: str) -> Release | None:
    if not RELEASE_PATTERN.match(name):
        return None
    return next((release for release in releases() if release.name == name), None)


def next_release_name(day: datetime.date) -> str:
    root = releases_root()
    name = f"{RELEASE_PREFIX}{day:%Y-%m-%d}"
    number = 1
    while (root / name).exists() or (root / f"{name}.zip").exists():
        number += 1
        name = f"{RELEASE_PREFIX}{day:%Y-%m-%d}-{number}"
    return name


def fingerprint() -> str:
    """Changes whenever a record, a reference row, the day (statuses) or the files' shape does."""
    parts = [FORMAT_VERSION, str(timezone.localdate())]
    models = [resource.model for resource in RESOURCES] + [Coverage, LegacyName]
    for model in models:
        history = model.history.aggregate(count=Count("history_id"), last=Max("history_date"))
        parts.append(f"{model._meta.label}:{history['count']}:{history['last']}")
        if hasattr(model, "updated_at"):
            latest = model.objects.aggregate(last=Max("updated_at"), count=Count("pk"))
            parts.append(f"{latest['count']}:{latest['last']}")
        else:
            parts.append(str(model.objects.count()))
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


# -- CHANGES: the difference between two releases' files -----------------------------------------


def _keyed(path: Path, resource: Resource) -> dict:
    if not path.is_file():
        return {}
    key = header(resource.columns())[0]
    return {str(item[key]): item for item in json.loads(path.read_text(encoding="utf-8"))}


def release_changes(folder: Path, previous: Release | None) -> dict:
    """Per resource, the identifiers created, updated and removed since ``previous``.

    Read from the two releases' JSON files, so it says exactly what a copy of the previous
    release must change (a renamed record is removed under its old identifier, created under
    its new one; a record whose embedded names changed is updated).
    """
    changes = {}
    for resource in RESOURCES:
        new = _keyed(folder / f"{resource.name}.json", resource)
        old = _keyed(previous.folder / f"{resource.name}.json", resource) if previous else {}
        changes[resource.name] = {
            "created": sorted(set(new) - set(old)),
            "updated": sorted(key for key in set(new) & set(old) if new[key] != old[key]),
            "removed": sorted(set(old) - set(new)),
        }
    return changes


def changes_text(name: str, generated, previous: Release | None, changes: dict) -> str:
    lines = [f"CNRS International open data, release {name} ({json_value(generated)})", ""]
    if previous is None:
        lines += ["First release: every record is created.", ""]
    else:
        lines += [f"Changes since release {previous.name} ({previous.created}).", ""]
    for resource, change in changes.items():
        counts = ", ".join(f"{len(change[action])} {action}" for action in change)
        lines.append(f"{resource}: {counts}")
        if previous is None:
            continue
        for action, identifiers in change.items():
            for identifier in identifiers:
                lines.append(f"  {action} {identifier}")
    return "\n".join(lines) + "\n"


# -- datapackage.json (Frictionless Data Package) -------------------------------------------------

DATETIME_KEYS = {"created", "modified"}
CSV_DIALECT = {"delimiter": ",", "doubleQuote": True, "header": True}


def field_type(key: str, keys: set, values: list) -> tuple[str, str | None]:
    """(Frictionless type, format) of a field, from its name and the values it holds."""
    if key in DATETIME_KEYS:
        return "datetime", None
    if f"{key}_precision" in keys:
        return "string", None  # YYYY, YYYY-MM or YYYY-MM-DD, as precise as the source
    present = [value for value in values if value is not None]
    if not present:
        return "string", None
    if all(isinstance(value, bool) for value in present):
        return "boolean", None
    if all(isinstance(value, int) and not isinstance(value, bool) for value in present):
        return "integer", None
    if all(isinstance(value, int | float) and not isinstance(value, bool) for value in present):
        return "number", None
    if all(isinstance(value, list) for value in present):
        return "array", None
    if all(
        isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) for value in present
    ):
        return "date", None
    if key.endswith("url") or key == "website":
        return "string", "uri"
    return "string", None


def field_descriptions(resource: Resource) -> dict[str, str]:
    """English descriptions of a resource's fields: the README's, else the column's label."""
    described = {}
    for names, text in KEY_FIGURE_FIELDS.items() if resource.name == "key_figures" else ():
        for name in names.split(", "):
            described[name] = text
    with translation.override("en"):
        for column in resource.columns():
            label = str(column.label)
            if column.translated:
                for code, language in (("fr", "French"), ("en", "English")):
                    described.setdefault(f"{column.key}_{code}", f"{label} ({language})")
            else:
                described.setdefault(column.key, label)
    return described


def resource_schema(resource: Resource, items: list[dict], *, for_csv: bool) -> dict:
    keys = header(resource.columns())
    descriptions = field_descriptions(resource)
    fields = []
    for key in keys:
        kind, fmt = field_type(key, set(keys), [item.get(key) for item in items])
        description = descriptions.get(key, key)
        if kind == "array" and for_csv:
            kind = "string"
            description += f" (a list, values joined with “{SEPARATOR}”)"
        elif f"{key}_precision" in keys:
            description += " (ISO 8601 at the source's precision: YYYY, YYYY-MM or YYYY-MM-DD)"
        elif kind == "datetime":
            description += " (ISO 8601, UTC)"
        field = {"name": key, "type": kind, "description": description}
        if fmt:
            field["format"] = fmt
        fields.append(field)
    return {"fields": fields, "primaryKey": [keys[0]]}


def datapackage(folder: Path, name: str, generated, fingerprint_value: str) -> dict:
    resources = []
    with translation.override("en"):
        for resource in RESOURCES:
            items = json.loads((folder / f"{resource.name}.json").read_text(encoding="utf-8"))
            for ext in ("csv", "json"):
                path = folder / f"{resource.name}.{ext}"
                entry = {
                    "name": f"{resource.name}-{ext}".replace("_", "-"),
                    "path": path.name,
                    "title": f"{resource.name} ({ext.upper()})",
                    "description": str(resource.description),
                    "format": ext,
                    "mediatype": content_type(path.name).split(";")[0],
                    "encoding": "utf-8",
                    "bytes": path.stat().st_size,
                    "hash": f"sha256:{sha256(path)}",
                    "schema": resource_schema(resource, items, for_csv=ext == "csv"),
                }
                if ext == "csv":
                    entry["profile"] = "tabular-data-resource"
                    entry["dialect"] = CSV_DIALECT
                else:
                    entry["profile"] = "data-resource"
                resources.append(entry)
    for file_name, description in (
        ("README.md", "What the files hold, field by field."),
        ("LICENCE.txt", LICENCE_NAME),
        (CHANGES, "What changed since the previous release: identifiers per resource."),
    ):
        path = folder / file_name
        resources.append(
            {
                "name": file_name.lower().replace(".", "-"),
                "path": file_name,
                "description": description,
                "format": file_name.rsplit(".", 1)[1] if "." in file_name else "txt",
                "mediatype": content_type(file_name).split(";")[0],
                "encoding": "utf-8",
                "bytes": path.stat().st_size,
                "hash": f"sha256:{sha256(path)}",
            }
        )
    return {
        "profile": "data-package",
        "name": "cnrs-international",
        "id": name,
        "title": "CNRS International — open data",
        "description": "The published catalogue of the CNRS international cooperation network.",
        "version": name.removeprefix(RELEASE_PREFIX),
        "created": json_value(generated),
        "homepage": "https://international.cnrs.fr/",
        "licenses": [{"name": "etalab-2.0", "path": LICENCE_URL, "title": LICENCE_NAME}],
        "contributors": [{"title": "CNRS – CNRS International", "role": "publisher"}],
        "x_fingerprint": fingerprint_value,
        "resources": resources,
    }


# -- publishing -----------------------------------------------------------------------------------


def _same_data(folder: Path, release: Release) -> bool:
    old = release.checksums()
    return all(old.get(name) == sha256(folder / name) for name in DATA_FILES)


def publish_release(*, force: bool = False) -> Release | None:
    """Build a new release when the catalogue changed since the last one; ``None`` otherwise.

    Built in a temporary folder beside the releases and moved into place at the end, so the
    page never lists a half-written release.
    """
    root = releases_root()
    root.mkdir(parents=True, exist_ok=True)
    previous = latest_release()
    current = fingerprint()
    if previous is not None and not force and previous.package().get("x_fingerprint") == current:
        return None
    generated = timezone.now()
    with tempfile.TemporaryDirectory(dir=root, prefix=".building-") as building:
        folder = Path(building) / "release"
        write_open_data(folder)
        if previous is not None and not force and _same_data(folder, previous):
            return None
        name = next_release_name(timezone.localdate(generated))
        changes = release_changes(folder, previous)
        (folder / CHANGES).write_text(
            changes_text(name, generated, previous, changes), encoding="utf-8"
        )
        package = datapackage(folder, name, generated, current)
        (folder / DATAPACKAGE).write_text(
            json.dumps(package, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
        listed = [*FILE_NAMES, CHANGES, DATAPACKAGE]
        (folder / CHECKSUMS).write_text(
            "".join(f"{sha256(folder / file)}  {file}\n" for file in listed), encoding="utf-8"
        )
        archive = Path(building) / "release.zip"
        with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zipped:
            for file in RELEASE_FILES:
                zipped.write(folder / file, arcname=f"{name}/{file}")
        (root / f"{name}.zip.sha256").write_text(f"{sha256(archive)}  {name}.zip\n")
        os.replace(archive, root / f"{name}.zip")
        os.replace(folder, root / name)  # last: the release exists once its folder does
    return Release(name, root / name)


# -- the page and the downloads: they only read what the command stored ---------------------------


class OpenDataView(TemplateView):
    """The open-data page: the licence, the releases, the files, the API."""

    template_name = "open_data/open_data.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        found = releases()
        context["releases"] = found
        context["latest"] = found[0] if found else None
        context["resources"] = RESOURCES
        context["licence_name"] = LICENCE_NAME
        context["licence_url"] = LICENCE_URL
        context["structured_data"] = dataset_json_ld(self.request, found[0] if found else None)
        return context


def dataset_json_ld(request, release: Release | None) -> dict:
    """schema.org ``Dataset`` (DCAT-style) for the latest release, one distribution per file."""
    data = {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "name": "CNRS International — open data",
        "description": str(
            _(
                "The published catalogue of the CNRS international cooperation network: offices, "
                "countries, instruments, networks, agreements, institutions, calls and milestones."
            )
        ),
        "url": request.build_absolute_uri(request.path),
        "license": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
        "isAccessibleForFree": True,
        "inLanguage": ["fr", "en"],
        "publisher": {"@type": "Organization", "name": "CNRS – CNRS International"},
    }
    if release is None:
        return data
    data["version"] = release.name.removeprefix(RELEASE_PREFIX)
    data["dateModified"] = release.created
    distribution = [
        {
            "@type": "DataDownload",
            "name": f"{release.name}.zip",
            "encodingFormat": "application/zip",
            "contentUrl": request.build_absolute_uri(
                reverse("open-data-release-archive", kwargs={"release": release.name})
            ),
            "contentSize": f"{release.size} B",
            "sha256": release.archive_sha256,
        }
    ]
    for item in release.files():
        distribution.append(
            {
                "@type": "DataDownload",
                "name": item["name"],
                "encodingFormat": content_type(item["name"]).split(";")[0],
                "contentUrl": request.build_absolute_uri(
                    reverse(
                        "open-data-release-file",
                        kwargs={"release": release.name, "name": item["name"]},
                    )
                ),
                "contentSize": f"{item['size']} B",
            }
        )
    data["distribution"] = distribution
    return data


def stored_file(path: Path, name: str):
    return FileResponse(
        path.open("rb"), content_type=content_type(name), as_attachment=True, filename=name
    )


def no_release():
    raise Http404(_("No open-data release has been published yet."))


def download_archive(request):
    """The latest release's zip."""
    release = latest_release() or no_release()
    return conditional.serve(
        request,
        lambda: stored_file(release.archive, release.archive.name),
        etag_parts=(release.name,),
        streamed=True,
    )


def download_file(request, name):
    """One file of the latest release."""
    if name not in RELEASE_FILES:
        raise Http404(_("No such open-data file."))
    release = latest_release() or no_release()
    return conditional.serve(
        request,
        lambda: stored_file(release.folder / name, name),
        etag_parts=(release.name,),
        streamed=True,
    )


def download_release_archive(request, release):
    found = find_release(release)
    if found is None:
        raise Http404(_("No such open-data release."))
    return conditional.serve(
        request,
        lambda: stored_file(found.archive, found.archive.name),
        etag_parts=(found.name,),
        streamed=True,
    )


def download_release_file(request, release, name):
    found = find_release(release)
    if found is None:
        raise Http404(_("No such open-data release."))
    if name not in RELEASE_FILES or not (found.folder / name).is_file():
        raise Http404(_("No such open-data file."))
    return conditional.serve(
        request,
        lambda: stored_file(found.folder / name, name),
        etag_parts=(found.name,),
        streamed=True,
    )
