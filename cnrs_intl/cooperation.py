"""The cooperation catalogue: the reference data set's CSV files in fixtures/cooperation/.

One CSV per kind of record (instruments, agreements, calls, institutions, key figures, office
facts), copied from the curated data set with its README's columns. Every row becomes one record,
its id kept as ``data_id`` (and as the slug of a new record); a record of the TOML fixtures that
is the same thing names the row with ``data_id`` and keeps its slug: the fields the TOML gives win,
the row fills the others. What the rows say is loaded as the sources give it:

- names in the language a source gives them (``name_en`` / ``name_fr``), the other language left
  empty for the site to fall back on; where no source gives a name, the curators' ``label`` or a
  title composed of the record's own code, acronym or parties serves as a working title;
- ``evidence`` is a curator's note for checking a row against its page: it is never loaded;
- dates at their precision (``2011``, ``2011-10``, ``2011-10-04``); "last checked" is the
  source's date at its precision, or empty, never the day of loading;
- partners become institutions, found by name or acronym among the known ones or created once
  per name (no country: a row's countries are its own, not each partner's).

Summaries are left empty: the portal writes its own, never the curators' paraphrase.
"""

import csv
import datetime
import re
import tomllib
from decimal import Decimal
from urllib.parse import unquote, urlsplit

from django.utils import translation
from django.utils.text import slugify

from core.models import DatePrecision, Institute, KeyFigure, Publishable, Theme
from instruments.models import Instrument, Kind
from offices.models import Country
from partnerships.models import Agreement, Call, Institution, Milestone

FOLDER = "cooperation"
# The data's free theme words → the portal's theme slugs (an empty slug: no fitting theme).
THEME_WORDS = "theme_words.toml"
# Files in load order, with the model each row becomes.
FILES = {
    "institutions.csv": Institution,
    "agreements.csv": Agreement,
    "calls.csv": Call,
    "office_facts.csv": Milestone,
    "instruments.csv": Instrument,
    "key_figures.csv": KeyFigure,
}
DATE_PATTERN = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")
AGREEMENT_KINDS = {
    "framework": Agreement.Kind.FRAMEWORK,
    "bilateral": Agreement.Kind.BILATERAL,
    "mou": Agreement.Kind.MEMORANDUM,
    "joint-call": Agreement.Kind.JOINT_CALL,
}
# Rows that give no code: a structure whose code no source gives, or a programme, symposium or
# school that is not a CNRS tool.
NO_CODE_KINDS = {"unknown": "OTHER", "no": "PROGRAMME"}
QUALIFIERS = (
    ("more than ", KeyFigure.Qualifier.MORE_THAN),
    ("over ", KeyFigure.Qualifier.MORE_THAN),
    ("about ", KeyFigure.Qualifier.ABOUT),
    ("approximately ", KeyFigure.Qualifier.ABOUT),
)


def split(value: str, separator: str = "; ") -> list[str]:
    return [part.strip() for part in (value or "").split(separator.strip()) if part.strip()]


def source_title(url: str) -> str:
    """A readable title for a page the data names only by its address: host and path."""
    parts = urlsplit(url)
    host = parts.netloc.lower().removeprefix("www.").rstrip(".")
    path = unquote(parts.path).rstrip("/")
    return f"{host}{path}"[:300] or url[:300]


class CooperationLoader:
    """Loads the CSV files through a ``ReferenceLoader`` (its upsert, references and errors)."""

    def __init__(self, loader):
        self.loader = loader
        self.dir = loader.dir / FOLDER
        self.institutions: dict[str, Institution] = {}
        self.predecessors: list[tuple[str, str, Instrument, list[str]]] = []
        self.slugs: dict[str, str] = {}
        self.theme_words: dict[str, Theme | None] | None = None

    # ------------------------------------------------------------------ helpers

    def error(self, path, row, field_name, message):
        from cnrs_intl.management.commands.load_reference_data import FixtureError

        record = f"row '{row.get('id', '?')}'"
        return FixtureError(path, f"{field_name}: {message}" if field_name else message, record)

    def date(self, path, row, field_name):
        """``(date, precision)`` of a ``YYYY[-MM[-DD]]`` cell; ``(None, day)`` when empty."""
        text = (row.get(field_name) or "").strip()
        if not text:
            return None, DatePrecision.DAY
        match = DATE_PATTERN.match(text)
        if not match:
            raise self.error(path, row, field_name, f"'{text}' is not YYYY, YYYY-MM or YYYY-MM-DD")
        year, month, day = match.groups()
        try:
            value = datetime.date(int(year), int(month or 1), int(day or 1))
        except ValueError as error:
            raise self.error(path, row, field_name, f"'{text}' is not a real date") from error
        precision = (
            DatePrecision.DAY if day else DatePrecision.MONTH if month else DatePrecision.YEAR
        )
        return value, precision

    def provenance(self, path, row) -> dict:
        url = (row.get("source_url") or "").strip()
        if not url:
            raise self.error(path, row, "source_url", "every row needs its source")
        checked_on, precision = self.date(path, row, "source_date")
        others = split(row.get("other_source_urls", ""), " | ")
        return {
            "source_title": source_title(url),
            "source_url": url,
            "checked_on": checked_on,
            "checked_on_precision": precision,
            "other_source_urls": "\n".join(others),
            "reported_status": (row.get("status_as_of") or "").strip(),
            "contradictions": (row.get("contradictions") or "").strip(),
            "data_id": row["id"],
            "status": Publishable.Status.PUBLISHED,
        }

    def countries(self, path, row) -> list[Country]:
        from cnrs_intl.management.commands.load_reference_data import COUNTRY

        result = []
        for code in split(row.get("countries", "")):
            try:
                result.append(self.loader.resolve(path, f"row '{row['id']}'", COUNTRY, code))
            except Exception as error:
                raise self.error(
                    path, row, "countries", f"'{code}' is not a known country"
                ) from error
        return result

    def institutes(self, path, row) -> list[Institute]:
        codes = split(row.get("cnrs_institutes", ""))
        found = {i.code: i for i in Institute.objects.filter(code__in=codes)}
        missing = [code for code in codes if code not in found]
        if missing:
            raise self.error(
                path, row, "cnrs_institutes", f"unknown institute {', '.join(missing)}"
            )
        return [found[code] for code in codes]

    def read_theme_words(self) -> dict[str, Theme | None]:
        """``theme_words.toml``: each theme word of the data, the theme it means or none."""
        from cnrs_intl.management.commands.load_reference_data import FixtureError

        path = self.loader.display(f"{FOLDER}/{THEME_WORDS}")
        file = self.dir / THEME_WORDS
        if not file.is_file():
            raise FixtureError(path, "file not found")
        try:
            words = tomllib.loads(file.read_text(encoding="utf-8")).get("words", {})
        except tomllib.TOMLDecodeError as error:
            raise FixtureError(path, f"not valid TOML: {error}") from error
        themes = {theme.slug: theme for theme in Theme.objects.all()}
        result: dict[str, Theme | None] = {}
        for word, slug in words.items():
            if not isinstance(slug, str) or (slug and slug not in themes):
                raise FixtureError(path, f"'{slug}' is not a theme of themes.toml", f"'{word}'")
            result[word.casefold()] = themes.get(slug)
        return result

    def themes(self, path, row) -> list[Theme]:
        """The themes a row's words mean; a word the mapping does not list fails the load."""
        if self.theme_words is None:
            self.theme_words = self.read_theme_words()
        result: list[Theme] = []
        for word in split(row.get("themes", "")):
            if word.casefold() not in self.theme_words:
                raise self.error(
                    path, row, "themes", f"'{word}' is not listed in {FOLDER}/{THEME_WORDS}"
                )
            theme = self.theme_words[word.casefold()]
            if theme is not None and theme not in result:
                result.append(theme)
        return result

    def known_institutions(self) -> dict[str, Institution]:
        if not self.institutions:
            for institution in Institution.objects.order_by("pk"):
                for name in (institution.acronym, institution.name_fr, institution.name_en):
                    if slugify(name):
                        self.institutions.setdefault(slugify(name), institution)
        return self.institutions

    def partners(self, path, row) -> list[Institution]:
        """The institutions a row's ``partners`` name, created once per name when unknown.

        Names are compared as slugs (TÜBİTAK is TUBITAK), against acronyms and names.
        """
        known = self.known_institutions()
        result: list[Institution] = []
        for name in split(row.get("partners", "")):
            institution = known.get(slugify(name))
            if institution is None:
                slug = slugify(name)[:110].strip("-") or "partner"
                base, number = slug, 2
                while Institution.objects.filter(slug=slug).exclude(name_fr=name).exists():
                    slug, number = f"{base}-{number}", number + 1
                values = {
                    "name_fr": name,
                    "name_en": name,
                    "kind": Institution.Kind.OTHER,
                    **self.provenance(path, row),
                }
                # The institution is named by the row, not described by it.
                values.update(data_id="", reported_status="", contradictions="")
                institution = self.upsert(
                    path, row, Institution, {"slug": slug}, values, given_by_toml=False
                )
                known[slugify(name)] = institution
            if institution not in result:
                result.append(institution)
        return result

    def names(self, row, field_name: str) -> dict:
        """``<field>_fr`` / ``<field>_en`` from the names a source gives in each language."""
        return {
            f"{field_name}_fr": (row.get("name_fr") or "").strip(),
            f"{field_name}_en": (row.get("name_en") or "").strip(),
        }

    def working_title(self, row, field_name: str, composed: tuple[str, str]) -> dict:
        """The names; else the curators' label (English); else a title composed of facts."""
        values = self.names(row, field_name)
        if any(values.values()):
            return values
        label = (row.get("label") or "").strip()
        if label:
            return {f"{field_name}_fr": "", f"{field_name}_en": label}
        return {f"{field_name}_fr": composed[0], f"{field_name}_en": composed[1]}

    def upsert(self, path, row, model, lookup, values, m2m=None, given_by_toml=True):
        """The loader's upsert, leaving alone what a TOML record of the same thing gives."""
        key = lookup.get("slug")
        if given_by_toml and key:
            given = self.loader.given.get((model, key), set())
            values = {name: value for name, value in values.items() if name not in given}
            m2m = {name: value for name, value in (m2m or {}).items() if name not in given}
        return self.loader.upsert(path, f"row '{row['id']}'", model, lookup, values, m2m)

    def slug_for(self, model, row) -> str:
        """The slug of the record the row describes: a TOML record naming it, or the row's id."""
        existing = model._default_manager.filter(data_id=row["id"]).values_list("slug", flat=True)
        return existing.first() or row["id"]

    # ------------------------------------------------------------------ files

    def run(self) -> None:
        for name, model in FILES.items():
            path = self.loader.display(f"{FOLDER}/{name}")
            file = self.dir / name
            if not file.is_file():
                from cnrs_intl.management.commands.load_reference_data import FixtureError

                raise FixtureError(path, "file not found")
            with file.open(newline="", encoding="utf-8") as handle:
                rows = list(csv.DictReader(handle))
            seen: set[str] = set()
            for row in rows:
                if not (row.get("id") or "").strip():
                    raise self.error(path, row, "id", "every row needs an id")
                if row["id"] in seen:
                    raise self.error(path, row, "id", "listed twice")
                seen.add(row["id"])
                getattr(self, f"load_{model._meta.model_name}")(path, row)
        self.link_predecessors()

    def load_institution(self, path, row):
        countries = self.countries(path, row)
        values = {
            **self.working_title(row, "name", ("", row.get("acronym") or row["id"])),
            "acronym": (row.get("acronym") or "").strip(),
            "country_id": countries[0].pk if len(countries) == 1 else None,
            **self.provenance(path, row),
        }
        slug = self.slug_for(Institution, row)
        obj = self.upsert(path, row, Institution, {"slug": slug}, values)
        for name in (obj.acronym, obj.name_fr, obj.name_en):
            if slugify(name):
                self.known_institutions().setdefault(slugify(name), obj)

    def load_agreement(self, path, row):
        kind = AGREEMENT_KINDS.get((row.get("kind") or "").strip())
        if kind is None:
            raise self.error(path, row, "kind", f"'{row.get('kind')}' is not an agreement kind")
        signed_on, signed_precision = self.date(path, row, "start")
        expires_on, expires_precision = self.date(path, row, "end")
        parties = self.partners(path, row)
        composed = []
        for language in ("fr", "en"):
            with translation.override(language):
                kind_label = str(Agreement.Kind(kind).label)
            who = " – ".join(["CNRS", *[p.acronym or p.name_en or p.name_fr for p in parties[:3]]])
            composed.append(f"{kind_label}, {who}")
        values = {
            **self.working_title(row, "title", tuple(composed)),
            "kind": kind,
            "signed_on": signed_on,
            "signed_on_precision": signed_precision,
            "expires_on": expires_on,
            "expires_on_precision": expires_precision,
            **self.provenance(path, row),
        }
        m2m = {
            "parties": parties,
            "countries": self.countries(path, row),
            "themes": self.themes(path, row),
        }
        self.upsert(path, row, Agreement, {"slug": self.slug_for(Agreement, row)}, values, m2m)

    def load_call(self, path, row):
        opens_on, opens_precision = self.date(path, row, "start")
        closes_on, closes_precision = self.date(path, row, "end")
        funders = self.partners(path, row)
        acronym = (row.get("acronym") or "").strip()
        composed = []
        for language in ("fr", "en"):
            with translation.override(language):
                label = str(Call._meta.verbose_name).capitalize()
            what = acronym or " – ".join(p.acronym or p.name_en for p in funders[:3]) or "CNRS"
            year = f" ({opens_on.year})" if opens_on else ""
            composed.append(f"{label}, {what}{year}")
        values = {
            **self.working_title(row, "title", tuple(composed)),
            "opens_on": opens_on,
            "opens_on_precision": opens_precision,
            "closes_on": closes_on,
            "closes_on_precision": closes_precision,
            **self.provenance(path, row),
        }
        slug = self.slug_for(Call, row)
        if "projects_start" in self.loader.given.get((Call, slug), set()):
            # The row's dates are then the project period the TOML record already gives (README:
            # "the opening (or the project period)"), not an opening and a deadline.
            for name in ("opens_on", "opens_on_precision", "closes_on", "closes_on_precision"):
                values.pop(name)
        m2m = {
            "funders": funders,
            "countries": self.countries(path, row),
            "themes": self.themes(path, row),
        }
        self.upsert(path, row, Call, {"slug": slug}, values, m2m)

    def load_milestone(self, path, row):
        date, precision = self.date(path, row, "start")
        countries = self.countries(path, row)
        place = (row.get("city") or "").strip()
        composed = []
        for language, words in (("fr", "Bureau du CNRS"), ("en", "CNRS office")):
            with translation.override(language):
                where = place or ", ".join(str(c) for c in countries)
            composed.append(f"{words}, {where}" if where else words)
        values = {
            **self.working_title(row, "title", tuple(composed)),
            "date": date,
            "date_precision": precision,
            **self.provenance(path, row),
        }
        m2m = {"countries": countries, "institutions": self.partners(path, row)}
        self.upsert(path, row, Milestone, {"slug": self.slug_for(Milestone, row)}, values, m2m)

    def load_instrument(self, path, row):
        stated = (row.get("kind_stated") or "").strip()
        current = (row.get("kind_current") or "").strip()
        tool = (row.get("cnrs_tool") or "").strip()
        code = current or NO_CODE_KINDS.get(tool)
        if code is None:
            raise self.error(path, row, "cnrs_tool", f"'{tool}' is not yes, no or unknown")
        kind = Kind.objects.filter(code=code).first()
        if kind is None:
            raise self.error(path, row, "kind_current", f"kind '{code}' is not in kinds.toml")
        start_on, start_precision = self.date(path, row, "start")
        end_on, end_precision = self.date(path, row, "end")
        acronym = (row.get("acronym") or "").strip()
        units = (row.get("unit_number") or "").strip()
        partners = self.partners(path, row)
        short = acronym or units.split(";")[0].strip()
        if short:
            shown = short if not stated or short.upper().startswith(stated) else f"{stated} {short}"
            composed = (shown, shown)
        else:
            who = ", ".join(p.acronym or p.name_en for p in partners[:2])
            shown = " – ".join(part for part in (stated or kind.code, who) if part)
            composed = (shown, shown)
        values = {
            **self.working_title(row, "title", composed),
            "acronym": acronym,
            "kind_id": kind.pk,
            "stated_code": stated if stated and stated != kind.code else "",
            "former_codes": (row.get("former_codes") or "").strip(),
            "unit_numbers": units,
            "city": (row.get("city") or "").strip(),
            "start_on": start_on,
            "start_on_precision": start_precision,
            "end_on": end_on,
            "end_on_precision": end_precision,
            **self.provenance(path, row),
        }
        m2m = {
            "countries": self.countries(path, row),
            "partners": partners,
            "institutes": self.institutes(path, row),
            "themes": self.themes(path, row),
        }
        slug = self.slug_for(Instrument, row)
        obj = self.upsert(path, row, Instrument, {"slug": slug}, values, m2m)
        self.slugs[row["id"]] = obj.slug
        predecessors = split(row.get("predecessor_id", ""), " | ")
        if predecessors:
            # Every structure the row names (LAFMIA merged two LIAs), linked once all rows exist.
            self.predecessors.append((path, row["id"], obj, predecessors))

    def link_predecessors(self):
        """Each row's predecessors, all of them, unless a TOML record gives its own."""
        for path, row_id, obj, predecessor_ids in self.predecessors:
            slugs = []
            for predecessor_id in predecessor_ids:
                slug = self.slugs.get(predecessor_id)
                if slug is None:
                    raise self.error(
                        path, {"id": row_id}, "predecessor_id", f"'{predecessor_id}' is not a row"
                    )
                slugs.append(slug)
            if "predecessors" in self.loader.given.get((Instrument, obj.slug), set()):
                continue
            predecessors = list(Instrument.objects.filter(slug__in=slugs).order_by("slug"))
            self.loader.upsert(
                path,
                f"row '{row_id}'",
                Instrument,
                {"slug": obj.slug},
                {},
                {"predecessors": predecessors},
            )

    def load_keyfigure(self, path, row):
        figure = (row.get("figure") or "").strip()
        if not figure:
            raise self.error(path, row, "figure", "a key figure needs its figure")
        as_of, as_of_precision = self.date(path, row, "as_of")
        qualifier = KeyFigure.Qualifier.EXACT
        lowered = figure.casefold()
        for prefix, value in QUALIFIERS:
            if lowered.startswith(prefix):
                qualifier = value
        number = re.fullmatch(
            r"(?:about |more than |over |approximately )?([\d,]+(?:\.\d+)?)", lowered
        )
        counts_what = (row.get("counts_what") or "").strip()
        if not counts_what:
            raise self.error(path, row, "counts_what", "a key figure says what it counts")
        values = {
            "value": Decimal(number.group(1).replace(",", "")) if number else None,
            "figure": figure,
            "qualifier": qualifier,
            "label_fr": "",
            "label_en": counts_what,
            "as_of": as_of,
            "as_of_precision": as_of_precision,
            "on_home_page": False,
            **self.key_figure_scope(path, row),
            **self.provenance(path, row),
        }
        if row["id"] in HOME_PAGE_FIGURES:
            order, label_fr, compare_with = HOME_PAGE_FIGURES[row["id"]]
            values.update(
                order=order, label_fr=label_fr, compare_with=compare_with, on_home_page=True
            )
        self.upsert(path, row, KeyFigure, {"slug": self.slug_for(KeyFigure, row)}, values)

    def key_figure_scope(self, path, row) -> dict:
        """What a figure counts: the tool code (``kind``) and its countries (none: worldwide)."""
        kind = (row.get("kind") or "").strip().upper()
        if kind and not re.fullmatch(r"[A-Z0-9]{2,20}", kind):
            raise self.error(path, row, "kind", f"'{kind}' is not a tool code")
        codes = [str(country.code) for country in self.countries(path, row)]
        return {"kind": kind, "countries": " ".join(sorted(set(codes)))}


# A short selection for the home page (recent counts of CNRS tools), each with our French wording
# of what it counts (the data gives it in English) and the live count it is compared with.
HOME_PAGE_FIGURES = {
    "kf-irl-count-2022": (
        1,
        "laboratoires de recherche internationaux (IRL) dans le monde",
        "kind:IRL",
    ),
    "kf-umifre-count-inshs-2023": (
        2,
        "instituts français de recherche à l’étranger sous la double tutelle du CNRS et du "
        "ministère de l’Europe et des Affaires étrangères (UMIFRE)",
        "kind:UMIFRE",
    ),
    "kf-instruments-africa-2021": (3, "instruments de coopération du CNRS en Afrique", ""),
}
