"""Load the reference data in fixtures/ into the database.

The fixture files (TOML, and a CSV for the countries) are read in dependency order; every record
is validated with ``full_clean()`` and upserted by its natural key (a slug, a code, an ISO code),
saving only what actually differs, so that a second run changes nothing and writes no history.
Everything happens in one transaction: a wrong record stops the load, names its file and record,
and leaves the database as it was.
"""

import csv
import datetime
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, models, transaction
from django.utils import timezone, translation
from django_countries import countries as iso_countries
from modeltranslation.translator import NotRegistered, translator

from cnrs_intl.cooperation import CooperationLoader
from core.models import DatePrecision, Institute, KeyFigure, Publishable, Theme
from instruments.models import Instrument, Kind, LegacyName, Network
from offices.models import Country, Coverage, Office, Sector
from partnerships.models import Agreement, Call, Institution, Milestone

LANGUAGES = tuple(settings.MODELTRANSLATION_LANGUAGES)
PROVENANCE_FIELDS = ("source_title", "source_url", "checked_on")
PRECISION_SUFFIX = "_precision"


class FixtureError(Exception):
    """A record that cannot be loaded, with the file and the record it comes from."""

    def __init__(self, path: str, message: str, record: str = ""):
        self.path, self.record, self.message = path, record, message
        super().__init__(f"{path}: {record}: {message}" if record else f"{path}: {message}")


@dataclass(frozen=True)
class Ref:
    """A reference from a fixture record to another record by natural key."""

    model: type[models.Model]
    key: str
    label: str


SECTOR = Ref(Sector, "slug", "sector")
COUNTRY = Ref(Country, "code", "country")
THEME = Ref(Theme, "slug", "theme")
INSTITUTE = Ref(Institute, "code", "institute")
OFFICE = Ref(Office, "slug", "office")
INSTITUTION = Ref(Institution, "slug", "institution")
AGREEMENT = Ref(Agreement, "slug", "agreement")
MILESTONE = Ref(Milestone, "slug", "milestone")
KIND = Ref(Kind, "code", "kind")
NETWORK = Ref(Network, "slug", "network")
INSTRUMENT = Ref(Instrument, "slug", "instrument")


@dataclass(frozen=True)
class Section:
    """One array of tables in a TOML file (``[[theme]]``) and the model its records fill."""

    table: str
    model: type[models.Model]
    key: str = "slug"
    fks: dict[str, Ref] = field(default_factory=dict)
    m2m: dict[str, Ref] = field(default_factory=dict)
    children: str = ""

    @property
    def label(self) -> str:
        return self.table.replace("_", " ")


# Files in load order; each record may only refer to records loaded before it (or, for a
# reference to its own model such as a theme's parent, to another record of the same section).
TOML_FILES = {
    "sectors.toml": [Section("sector", Sector)],
    # countries.csv is loaded here
    "themes.toml": [Section("theme", Theme, fks={"parent": THEME})],
    "institutes.toml": [Section("institute", Institute, key="code")],
    "offices.toml": [
        Section(
            "office",
            Office,
            fks={"country": COUNTRY, "sector": SECTOR, "predecessor": OFFICE},
            children="coverage",
        )
    ],
    "institutions.toml": [
        Section(
            "institution",
            Institution,
            fks={"country": COUNTRY, "parent": INSTITUTION},
            m2m={"offices_operated": OFFICE},
        )
    ],
    "agreements.toml": [
        Section(
            "agreement",
            Agreement,
            fks={"office": OFFICE},
            m2m={"parties": INSTITUTION, "countries": COUNTRY, "themes": THEME},
        ),
        Section(
            "call",
            Call,
            fks={"agreement": AGREEMENT, "office": OFFICE},
            m2m={"funders": INSTITUTION, "countries": COUNTRY, "themes": THEME},
        ),
    ],
    "milestones.toml": [
        Section(
            "milestone",
            Milestone,
            m2m={
                "countries": COUNTRY,
                "agreements": AGREEMENT,
                "institutions": INSTITUTION,
                "themes": THEME,
            },
        )
    ],
    "kinds.toml": [Section("kind", Kind, key="code", children="legacy")],
    "instruments.toml": [
        Section(
            "network",
            Network,
            fks={"agreement": AGREEMENT, "office": OFFICE},
            m2m={
                "themes": THEME,
                "countries": COUNTRY,
                "institutions": INSTITUTION,
                "milestones": MILESTONE,
            },
        ),
        Section(
            "instrument",
            Instrument,
            fks={
                "kind": KIND,
                "office": OFFICE,
                "agreement": AGREEMENT,
            },
            m2m={
                "themes": THEME,
                "countries": COUNTRY,
                "institutes": INSTITUTE,
                "partners": INSTITUTION,
                "networks": NETWORK,
                "predecessors": INSTRUMENT,
                "milestones": MILESTONE,
            },
        ),
    ],
    "key_figures.toml": [Section("key_figure", KeyFigure)],
}
SOURCES_FILE = "sources.toml"
COUNTRIES_FILE = "countries.csv"
COUNTRIES_AFTER = "sectors.toml"
# The French embassies' science services, one record per country, loaded after the countries.
SCIENCE_SERVICES_FILE = "science_services.toml"
SCIENCE_SERVICE_FIELDS = {"country", "url", "email", "source", "name_fr", "name_en"}
# A record whose contacts come from another page than its other facts: `contact_source = "<key>"`.
CONTACT_SOURCE = "contact_source"


def _same(current, wanted) -> bool:
    """Equal as stored values; an empty text and a NULL count as the same."""
    if current in (None, "") and wanted in (None, ""):
        return True
    return current == wanted


def _messages(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        parts = []
        for name, errors in error.message_dict.items():
            text = " ".join(errors)
            parts.append(text if name == "__all__" else f"{name}: {text}")
        return "; ".join(parts)
    return " ".join(error.messages)


def _translated_fields(model) -> set[str]:
    try:
        return set(translator.get_options_for_model(model).all_fields)
    except NotRegistered:
        return set()


class ReferenceLoader:
    """Reads the fixture files of one directory and upserts their records."""

    def __init__(self, fixtures_dir: Path):
        self.dir = Path(fixtures_dir)
        self.sources: dict[str, dict] = {}
        self.cache: dict[tuple[type, str], models.Model] = {}
        self.stats: dict[str, Counter] = {}
        self.rows: dict[tuple, dict[tuple, models.Model]] = {}
        # What each TOML record gives, by (model, natural key): a catalogue row describing the
        # same record fills only the rest.
        self.given: dict[tuple, set[str]] = {}
        self.now = timezone.now()

    # ------------------------------------------------------------------ files

    def display(self, name: str) -> str:
        path = self.dir / name
        try:
            return str(path.relative_to(settings.BASE_DIR))
        except ValueError:
            return str(path)

    def read_toml(self, name: str) -> dict:
        path = self.dir / name
        if not path.is_file():
            raise FixtureError(self.display(name), "file not found")
        try:
            with path.open("rb") as handle:
                return tomllib.load(handle)
        except tomllib.TOMLDecodeError as error:
            raise FixtureError(self.display(name), f"not valid TOML: {error}") from error

    def run(self) -> None:
        self.load_sources()
        for name, sections in TOML_FILES.items():
            self.load_file(name, sections)
            if name == COUNTRIES_AFTER:
                self.load_countries()
                self.load_science_services()
        CooperationLoader(self).run()

    def summary(self) -> list[str]:
        return [
            f"{label}: {counts['created']} created, {counts['updated']} updated, "
            f"{counts['unchanged']} unchanged"
            + (f", {counts['deleted']} deleted" if counts["deleted"] else "")
            for label, counts in self.stats.items()
        ]

    # ------------------------------------------------------------------ sources

    def load_sources(self) -> None:
        path = self.display(SOURCES_FILE)
        data = self.read_toml(SOURCES_FILE)
        unknown = set(data) - {"source"}
        if unknown:
            raise FixtureError(path, f"unknown table(s): {', '.join(sorted(unknown))}")
        for key, source in data.get("source", {}).items():
            record = f"source '{key}'"
            extra = set(source) - {"title", "url", "checked_on"}
            if extra:
                raise FixtureError(path, f"unknown field(s): {', '.join(sorted(extra))}", record)
            if not str(source.get("title", "")).strip():
                raise FixtureError(path, "a source needs a title", record)
            checked_on = source.get("checked_on")
            if checked_on is not None and type(checked_on) is not datetime.date:
                raise FixtureError(path, "checked_on must be a date (YYYY-MM-DD)", record)
            self.sources[key] = {
                "source_title": str(source["title"]).strip(),
                "source_url": str(source.get("url", "")).strip(),
                "checked_on": checked_on,
            }

    def provenance(self, path: str, record: str, data: dict, inherited: dict | None) -> dict:
        """The three provenance fields of a record: from its source key, its own fields, or its parent."""
        key = data.pop("source", None)
        own = {name: data.pop(name) for name in PROVENANCE_FIELDS if name in data}
        if key is not None:
            if not isinstance(key, str) or key not in self.sources:
                raise FixtureError(path, f"source '{key}' is not defined in {SOURCES_FILE}", record)
            values = dict(self.sources[key])
        elif inherited is not None:
            values = dict(inherited)
        elif own:
            values = {"source_title": "", "source_url": "", "checked_on": None}
        else:
            raise FixtureError(path, "no source: give `source` or `source_title`", record)
        values.update(own)
        if not values["source_title"]:
            raise FixtureError(path, "the source has no title", record)
        return values

    # ------------------------------------------------------------------ countries

    def load_countries(self) -> None:
        path = self.display(COUNTRIES_FILE)
        file = self.dir / COUNTRIES_FILE
        if not file.is_file():
            raise FixtureError(path, "file not found")
        names = {}
        for language in LANGUAGES:
            with translation.override(language):
                names[language] = {c.code: str(c.name) for c in iso_countries}
        known = set(names[LANGUAGES[0]])
        seen: set[str] = set()
        with file.open(newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            if not {"iso2", "sector"} <= set(reader.fieldnames or ()):
                raise FixtureError(path, "the header must have the columns iso2 and sector")
            for line, row in enumerate(reader, start=2):
                code = (row["iso2"] or "").strip().upper()
                record = f"line {line}: country '{code}'"
                if code not in known:
                    raise FixtureError(path, "not an ISO 3166-1 alpha-2 code", record)
                if code in seen:
                    raise FixtureError(path, "listed twice", record)
                seen.add(code)
                sector = self.resolve(path, record, SECTOR, (row["sector"] or "").strip())
                values = {"sector_id": sector.pk}
                values.update({f"name_{lang}": names[lang][code] for lang in LANGUAGES})
                self.upsert(path, record, Country, {"code": code}, values)
        missing = sorted(known - seen)
        if missing:
            raise FixtureError(path, f"countries without a sector: {', '.join(missing)}")

    def load_science_services(self) -> None:
        path = self.display(SCIENCE_SERVICES_FILE)
        data = self.read_toml(SCIENCE_SERVICES_FILE)
        unknown = set(data) - {"science_service"}
        if unknown:
            raise FixtureError(path, f"unknown table(s): {', '.join(sorted(unknown))}")
        records = data.get("science_service", [])
        if not isinstance(records, list):
            raise FixtureError(path, "[[science_service]] must be an array of tables")
        seen: set[str] = set()
        for position, raw in enumerate(records, start=1):
            code = raw.get("country")
            record = f"science service '{code}'" if code else f"science service #{position}"
            extra = set(raw) - SCIENCE_SERVICE_FIELDS
            if extra:
                raise FixtureError(path, f"unknown field(s): {', '.join(sorted(extra))}", record)
            country = self.resolve(path, record, COUNTRY, code)
            if country.code in seen:
                raise FixtureError(path, "defined twice", record)
            seen.add(str(country.code))
            texts = {name: raw.get(name, "") for name in SCIENCE_SERVICE_FIELDS - {"country"}}
            if not all(isinstance(value, str) for value in texts.values()):
                raise FixtureError(path, "every field is a text", record)
            if not (texts["url"].strip() or texts["email"].strip()):
                raise FixtureError(path, "give the service's url or e-mail", record)
            names = [texts[f"name_{lang}"].strip() for lang in LANGUAGES]
            if any(names) and not all(names):
                raise FixtureError(path, "give the name in every language, or none", record)
            key = texts["source"]
            if key not in self.sources:
                raise FixtureError(path, f"source '{key}' is not defined in {SOURCES_FILE}", record)
            values = {
                "science_service_url": texts["url"].strip(),
                "science_service_email": texts["email"].strip(),
                "science_service_source_title": self.sources[key]["source_title"],
                "science_service_source_url": self.sources[key]["source_url"],
            }
            values.update(
                {
                    f"science_service_name_{lang}": texts[f"name_{lang}"].strip()
                    for lang in LANGUAGES
                }
            )
            self.upsert(
                path, record, Country, {"code": country.code}, values, stat="Science service"
            )

    def contact_provenance(self, path: str, record: str, model, data: dict) -> dict:
        """``contact_source = "<key>"``: the title and address of the page the contacts come from."""
        if CONTACT_SOURCE not in data:
            return {}
        key = data.pop(CONTACT_SOURCE)
        try:
            model._meta.get_field("contact_source_title")
        except FieldDoesNotExist as error:
            raise FixtureError(path, f"unknown field '{CONTACT_SOURCE}'", record) from error
        if not isinstance(key, str) or key not in self.sources:
            raise FixtureError(path, f"source '{key}' is not defined in {SOURCES_FILE}", record)
        source = self.sources[key]
        return {
            "contact_source_title": source["source_title"],
            "contact_source_url": source["source_url"],
        }

    # ------------------------------------------------------------------ references

    def resolve(self, path: str, record: str, ref: Ref, value) -> models.Model:
        if not isinstance(value, str) or not value.strip():
            raise FixtureError(path, f"{ref.label} must be a non-empty text", record)
        value = value.strip()
        if ref is COUNTRY:
            value = value.upper()
        cache_key = (ref.model, value)
        if cache_key not in self.cache:
            obj = ref.model._default_manager.filter(**{ref.key: value}).first()
            if obj is None:
                raise FixtureError(path, f"{ref.label} '{value}' does not exist", record)
            self.cache[cache_key] = obj
        return self.cache[cache_key]

    def resolve_many(self, path: str, record: str, ref: Ref, values) -> list[models.Model]:
        if not isinstance(values, list):
            raise FixtureError(path, f"a list of {ref.label} keys is expected", record)
        objects = [self.resolve(path, record, ref, value) for value in values]
        if len({obj.pk for obj in objects}) != len(objects):
            raise FixtureError(path, f"a {ref.label} is listed twice", record)
        return objects

    # ------------------------------------------------------------------ generic records

    def load_file(self, name: str, sections: list[Section]) -> None:
        path = self.display(name)
        data = self.read_toml(name)
        unknown = set(data) - {section.table for section in sections}
        if unknown:
            raise FixtureError(path, f"unknown table(s): {', '.join(sorted(unknown))}")
        for section in sections:
            records = data.get(section.table, [])
            if not isinstance(records, list):
                raise FixtureError(path, f"[[{section.table}]] must be an array of tables")
            for data_record in self.ordered(path, section, records):
                self.load_record(path, section, data_record)

    def ordered(self, path: str, section: Section, records: list[dict]) -> list[dict]:
        """The records with the ones referred to by a same-model reference (a parent) first."""
        by_key: dict[str, dict] = {}
        for position, record in enumerate(records, start=1):
            key = record.get(section.key)
            if not isinstance(key, str) or not key.strip():
                raise FixtureError(path, f"no {section.key}", f"{section.label} #{position}")
            if key in by_key:
                raise FixtureError(path, "defined twice", f"{section.label} '{key}'")
            by_key[key] = record
        self_refs = [name for name, ref in section.fks.items() if ref.model is section.model]
        result: list[dict] = []
        done: set[str] = set()

        def visit(key: str, chain: tuple[str, ...]) -> None:
            if key in done:
                return
            if key in chain:
                raise FixtureError(path, "refers to itself in a loop", f"{section.label} '{key}'")
            for name in self_refs:
                parent = by_key[key].get(name)
                if isinstance(parent, str) and parent in by_key:
                    visit(parent, (*chain, key))
            done.add(key)
            result.append(by_key[key])

        for key in by_key:
            visit(key, ())
        return result

    def load_record(self, path: str, section: Section, raw: dict) -> models.Model:
        data = dict(raw)
        key = data.pop(section.key)
        record = f"{section.label} '{key}'"
        children = data.pop(section.children, []) if section.children else []
        if not isinstance(children, list) or not all(isinstance(c, dict) for c in children):
            raise FixtureError(path, f"[[{section.table}.{section.children}]] expected", record)
        provenance = self.provenance(path, record, data, None)
        contacts = self.contact_provenance(path, record, section.model, data)
        values, m2m = self.values(path, record, section, data)
        values.update(provenance, **contacts)
        self.check_record(path, record, section, key, values, children)
        self.given[(section.model, key)] = set(values) | set(m2m)
        obj = self.upsert(path, record, section.model, {section.key: key}, values, m2m)
        if section.children == "coverage":
            self.load_coverages(path, record, obj, children, provenance)
        elif section.children == "legacy":
            self.load_legacy_names(path, record, obj, children, provenance)
        return obj

    def values(self, path: str, record: str, section: Section, data: dict):
        """Field values (by attribute name) and many-to-many targets from a record's data."""
        model = section.model
        translated = _translated_fields(model)
        values: dict = {}
        m2m: dict[str, list] = {}
        if issubclass(model, Publishable):
            status = data.pop("status", Publishable.Status.PUBLISHED)
            if status not in Publishable.Status.values:
                raise FixtureError(path, f"status '{status}' is not draft or published", record)
            values["status"] = status
        for name, value in data.items():
            if name in section.fks:
                target = self.resolve(path, record, section.fks[name], value)
                values[model._meta.get_field(name).attname] = target.pk
            elif name in section.m2m:
                m2m[name] = self.resolve_many(path, record, section.m2m[name], value)
            elif name in translated:
                languages = " and ".join(f"{name}_{lang}" for lang in LANGUAGES)
                raise FixtureError(path, f"give {languages} instead of {name}", record)
            else:
                values[name] = self.plain_value(path, record, model, name, value)
        self.date_precisions(path, record, model, data, values)
        for name in translated:
            given = [lang for lang in LANGUAGES if f"{name}_{lang}" in data]
            required = not model._meta.get_field(name).blank
            if (given or required) and len(given) != len(LANGUAGES):
                languages = ", ".join(f"{name}_{lang}" for lang in LANGUAGES)
                raise FixtureError(path, f"{languages} are all required", record)
        return values, m2m

    def date_precisions(self, path: str, record: str, model, data: dict, values: dict) -> None:
        """A date given without ``<date>_precision`` is known to the day; a precision needs its date."""
        names = [f.name for f in model._meta.concrete_fields]
        for date_name in names:
            precision = f"{date_name}{PRECISION_SUFFIX}"
            if precision not in names:
                continue
            if precision in data and date_name not in data:
                raise FixtureError(path, f"{precision} is given without {date_name}", record)
            if date_name in data and precision not in data:
                values[precision] = DatePrecision.DAY

    def plain_value(self, path: str, record: str, model, name: str, value):
        try:
            model_field = model._meta.get_field(name)
        except FieldDoesNotExist as error:
            raise FixtureError(path, f"unknown field '{name}'", record) from error
        if (
            not model_field.concrete
            or model_field.primary_key
            or not model_field.editable
            or model_field.is_relation
            or isinstance(model_field, models.FileField)
        ):
            raise FixtureError(path, f"field '{name}' cannot be set from a fixture", record)
        if isinstance(value, dict | list):
            raise FixtureError(path, f"{name}: a single value is expected", record)
        is_date = isinstance(model_field, models.DateField) and not isinstance(
            model_field, models.DateTimeField
        )
        if is_date and type(value) is not datetime.date:
            raise FixtureError(path, f"{name}: a date (YYYY-MM-DD) is expected", record)
        if isinstance(model_field, models.DecimalField) and isinstance(value, float):
            value = str(value)  # 50.8503, not the binary float's 50.850299999…
        try:
            return model_field.to_python(value)
        except ValidationError as error:
            raise FixtureError(path, f"{name}: {_messages(error)}", record) from error

    def check_record(self, path, record, section, key, values, children) -> None:
        """Rules across a record and its nested tables, asked of the model before saving them
        (the rules of one record are its ``full_clean()``, in ``upsert``)."""
        if section.model is Office:
            if "country_id" not in values:
                raise FixtureError(path, "an office needs a host country", record)
            covered = [
                self.resolve(path, record, COUNTRY, code).pk
                for child in children
                if isinstance(child.get("countries"), list)
                for code in child["countries"]
            ]
            with translation.override("en"):  # messages in one language, like the loader's own
                try:
                    Office(country_id=values["country_id"]).check_covers_host_country(covered)
                except ValidationError as error:
                    raise FixtureError(path, _messages(error), record) from error

    # ------------------------------------------------------------------ nested records

    def load_coverages(self, path, record, office, children, provenance) -> None:
        allowed = {"countries", "start_year", "end_year", *PROVENANCE_FIELDS, "source"}
        allowed |= {f"note_{lang}" for lang in LANGUAGES}
        seen: set[tuple[str, int | None]] = set()
        kept: set[tuple[int, int | None]] = set()
        for raw in children:
            data = dict(raw)
            extra = set(data) - allowed
            if extra:
                raise FixtureError(
                    path, f"coverage: unknown field(s) {', '.join(sorted(extra))}", record
                )
            entry_provenance = self.provenance(path, record, data, provenance)
            start, end = data.get("start_year"), data.get("end_year")
            for name, year in (("start_year", start), ("end_year", end)):
                if year is not None and type(year) is not int:
                    raise FixtureError(path, f"coverage: {name} must be a year", record)
            if office.opened and start is None:
                raise FixtureError(
                    path,
                    f"coverage: give start_year (the office opened in {office.opened})",
                    record,
                )
            if office.closed and end is None:
                raise FixtureError(
                    path,
                    f"coverage: the office closed in {office.closed}, so every coverage needs an end_year",
                    record,
                )
            if office.closed and end is not None and end > office.closed:
                raise FixtureError(path, f"coverage: end_year {end} is after the closure", record)
            if office.opened and start is not None and start < office.opened:
                raise FixtureError(
                    path, f"coverage: start_year {start} is before the opening", record
                )
            notes = {f"note_{lang}": data.get(f"note_{lang}", "") for lang in LANGUAGES}
            if any(notes.values()) and not all(notes.values()):
                raise FixtureError(path, "coverage: give the note in every language", record)
            countries = self.resolve_many(path, record, COUNTRY, data.get("countries"))
            for country in countries:
                natural = (country.code, start)
                label = f"{record}: coverage {country.code} from {start or 'opening'}"
                if natural in seen:
                    raise FixtureError(path, "defined twice", label)
                seen.add(natural)
                kept.add((country.pk, start))
                self.upsert(
                    path,
                    label,
                    Coverage,
                    {"office": office, "country": country, "start_year": start},
                    {"end_year": end, **notes, **entry_provenance},
                )
        self.prune_coverages(path, record, office, kept)

    def prune_coverages(self, path, record, office, kept) -> None:
        """A period the office's record no longer lists (a corrected start year) is removed, so a
        correction does not leave the old period beside the new one."""
        rows, _ = self.existing(Coverage, {"office": office, "country": None, "start_year": None})
        stale = [
            (row_key, row)
            for row_key, row in rows.items()
            if row.office_id == office.pk and (row.country_id, row.start_year) not in kept
        ]
        for row_key, row in stale:
            try:
                row.delete()
            except DatabaseError as error:
                label = f"{record}: coverage of country #{row.country_id} from {row.start_year}"
                raise FixtureError(path, f"the database refused it: {error}", label) from error
            del rows[row_key]
            self.stats.setdefault(Coverage.__name__, Counter())["deleted"] += 1

    def load_legacy_names(self, path, record, kind, children, provenance) -> None:
        section = Section("legacy name", LegacyName, key="code")
        for raw in children:
            data = dict(raw)
            code = data.pop("code", None)
            if not isinstance(code, str) or not code.strip():
                raise FixtureError(path, "a legacy name has no code", record)
            label = f"{record}: legacy name '{code}'"
            entry_provenance = self.provenance(path, label, data, provenance)
            values, _ = self.values(path, label, section, data)
            values.update(entry_provenance, kind_id=kind.pk)
            self.upsert(path, label, LegacyName, {"code": code.strip().upper()}, values)

    # ------------------------------------------------------------------ writing

    def existing(self, model, lookup: dict) -> tuple[dict, tuple]:
        """The model's rows keyed by the lookup's fields (read once), and this lookup's key."""
        names = tuple(sorted(model._meta.get_field(name).attname for name in lookup))
        if (model, names) not in self.rows:
            self.rows[(model, names)] = {
                tuple(str(getattr(row, name)) for name in names): row
                for row in model._default_manager.all()
            }
        values = {
            model._meta.get_field(name).attname: value.pk
            if isinstance(value, models.Model)
            else value
            for name, value in lookup.items()
        }
        return self.rows[(model, names)], tuple(str(values[name]) for name in names)

    def upsert(self, path, record, model, lookup, values, m2m=None, stat="") -> models.Model:
        """Create or update one row, saving (and writing history) only when something differs."""
        rows, row_key = self.existing(model, lookup)
        obj = rows.get(row_key)
        created = obj is None
        if created:
            obj = model(**lookup)
        changed = created
        for name, value in values.items():
            if created or not _same(getattr(obj, name), value):
                setattr(obj, name, value)
                changed = True
        if isinstance(obj, Publishable) and obj.is_published and obj.published_at is None:
            obj.published_at = self.now
            changed = True
        links = []
        for name, targets in (m2m or {}).items():
            wanted = {target.pk for target in targets}
            current = set() if created else set(getattr(obj, name).values_list("pk", flat=True))
            if current != wanted:
                links.append((name, targets))
        if changed:
            # A row that did not change was valid when it was written: only changes are checked.
            with translation.override("en"):  # messages in one language, like the loader's own
                try:
                    obj.full_clean()
                except ValidationError as error:
                    raise FixtureError(path, _messages(error), record) from error
        if changed or links:
            self.write(path, record, obj, created, changed, links)
            rows[row_key] = obj
            changed = True
        outcome = "created" if created else "updated" if changed else "unchanged"
        self.stats.setdefault(stat or model.__name__, Counter())[outcome] += 1
        key_field = next(iter(lookup))
        if isinstance(lookup[key_field], str):
            self.cache[(model, lookup[key_field])] = obj
        return obj

    def write(self, path, record, obj, created, changed, links) -> None:
        """Save the row and its links with one history entry, not one per link set."""
        try:
            if links:
                # History is written once, after the links, so that entry holds them all.
                obj.skip_history_when_saving = True
            if changed:
                obj.save()
            for name, targets in links:
                getattr(obj, name).set(targets)
            if links:
                del obj.skip_history_when_saving
                obj.save()
                if created and hasattr(obj, "history"):
                    # That entry is the row's creation ("+"), as a plain save would have said.
                    latest = obj.history.order_by("-history_id").values("history_id")[:1]
                    obj.history.model.objects.filter(history_id__in=latest).update(history_type="+")
        except DatabaseError as error:
            raise FixtureError(path, f"the database refused it: {error}", record) from error


class Command(BaseCommand):
    help = (
        "Load the reference data (sectors, countries, offices, institutions, agreements, "
        "instruments, key figures…) from the fixture files. Idempotent; one transaction."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--fixtures-dir",
            default=str(Path(settings.BASE_DIR) / "fixtures"),
            help="Folder holding the fixture files (default: <project>/fixtures).",
        )

    def handle(self, *args, fixtures_dir, **options):
        loader = ReferenceLoader(Path(fixtures_dir))
        try:
            # Translated models copy the active language into their untranslated column on save.
            language = settings.MODELTRANSLATION_DEFAULT_LANGUAGE
            with transaction.atomic(), translation.override(language):
                loader.run()
        except FixtureError as error:
            raise CommandError(str(error)) from error
        if options["verbosity"] >= 1:
            for line in loader.summary():
                self.stdout.write(line)
            self.stdout.write(self.style.SUCCESS("Reference data loaded."))
