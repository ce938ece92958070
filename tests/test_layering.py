"""The layering rule, read from the source (docs/architecture.md, "Layers").

Domain apps are stacked ``core ← offices ← partnerships ← instruments``; each imports only the
ones below it. The site layer, ``cnrs_intl``, is the only code that combines them. A domain app
does not reach an upper app by other means either: no ``related_model(…)`` reflection, no ORM
lookup through a relation that an upper app declared (``Country.instruments``), no upper URL
name (``"instruments:list"``) and no upper model label (``"instruments.instrument"``) in a string.
"""

import ast
import re
from pathlib import Path

import pytest
from django.apps import apps

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ["core", "offices", "partnerships", "instruments"]
SITE = "cnrs_intl"

# The URL namespaces each app's records are shown under (the site layer wires some of the views,
# a record still knows its own page).
NAMESPACES = {
    "offices": "offices",
    "countries": "offices",
    "partnerships": "partnerships",
    "institutions": "partnerships",
    "calls": "partnerships",
    "instruments": "instruments",
    "feeds": SITE,
}
# QuerySet and ORM calls whose string arguments (and keyword names) are relation paths.
ORM_CALLS = {
    "Prefetch",
    "prefetch_related",
    "select_related",
    "values",
    "values_list",
    "filter",
    "exclude",
    "annotate",
    "order_by",
    "only",
    "defer",
    "get_field",
    "_via",
    "Count",
    "F",
    "OuterRef",
}
# Frozen history: written before the site layer existed, its GIN indexes name every searchable
# model. New search indexes belong in a site-layer migration (cnrs_intl/migrations/).
EXEMPT = {"core/migrations/0003_search_indexes.py"}


def upper_apps(app: str) -> set[str]:
    return set(LAYERS[LAYERS.index(app) + 1 :]) | {SITE}


def upper_relations(app: str) -> set[str]:
    """Names of relations on ``app``'s models that an upper app declared (reverse accessors)."""
    names = set()
    uppers = upper_apps(app)
    for model in apps.get_app_config(app).get_models():
        for field in model._meta.get_fields(include_hidden=False):
            if not (field.is_relation and field.auto_created and not field.concrete):
                continue
            if field.related_model._meta.app_label not in uppers:
                continue
            names.add(field.name)
            accessor = field.get_accessor_name()
            if accessor:
                names.add(accessor)
    return names


def imported_project_packages(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names & (set(LAYERS) | {SITE})


def _call_name(node: ast.Call) -> str:
    func = node.func
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return ""


def reflections(path: Path, app: str, relations: set[str]) -> list[str]:
    """``file:line: what`` for each way ``path`` reaches above ``app`` without importing it."""
    uppers = upper_apps(app)
    label = re.compile(rf"^({'|'.join(sorted(uppers))})\.[A-Za-z_]+$")
    url_name = re.compile(r"^([a-z-]+):[a-z0-9-]+$")
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []

    def report(node, message):
        found.append((node.lineno, f"{path.relative_to(ROOT)}:{node.lineno}: {message}"))

    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = _call_name(node)
            if name == "related_model":
                report(node, "related_model(…) reflects on a relation instead of naming a model")
            if name == "get_model" and node.args and isinstance(node.args[0], ast.Constant):
                if str(node.args[0].value).split(".")[0] in uppers:
                    report(node, f"get_model({node.args[0].value!r}) names an upper app")
            if name in ORM_CALLS:
                paths = [a.value for a in node.args if isinstance(a, ast.Constant)]
                paths += [k.arg for k in node.keywords if k.arg]
                for value in paths:
                    if isinstance(value, str) and value.lstrip("-").split("__")[0] in relations:
                        report(node, f"{name}({value!r}) goes through an upper app's relation")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            if label.match(node.value):
                report(node, f"{node.value!r} names an upper app's model")
            match = url_name.match(node.value)
            if match and NAMESPACES.get(match.group(1), app) in uppers:
                report(node, f"{node.value!r} is an upper app's URL name")
    return [line for _lineno, line in sorted(found)]


def domain_sources(app: str):
    for path in sorted((ROOT / app).rglob("*.py")):
        if str(path.relative_to(ROOT)) not in EXEMPT:
            yield path


@pytest.mark.parametrize("app", LAYERS)
def test_domain_app_imports_only_lower_domain_apps(app):
    allowed = set(LAYERS[: LAYERS.index(app) + 1])
    offenders = {}

    for path in domain_sources(app):
        wrong = imported_project_packages(path) - allowed
        if wrong:
            offenders[str(path.relative_to(ROOT))] = sorted(wrong)

    assert offenders == {}


@pytest.mark.parametrize("app", LAYERS)
def test_domain_app_does_not_reflect_on_upper_apps(app):
    relations = upper_relations(app)

    found = [line for path in domain_sources(app) for line in reflections(path, app, relations)]

    assert found == []


def test_upper_relations_are_the_ones_declared_above():
    assert {"instruments", "agreements", "calls", "institutions"} <= upper_relations("offices")
    assert "joint_operators" in upper_relations("offices")
    assert "instruments" in upper_relations("partnerships")
    assert "countries" not in upper_relations("partnerships")
    assert upper_relations("instruments") == set()


def test_layering_check_detects_an_upward_import(tmp_path):
    module = tmp_path / "bad.py"
    module.write_text("from instruments.models import Instrument\nimport cnrs_intl.settings\n")

    found = imported_project_packages(module)

    assert found == {"instruments", "cnrs_intl"}


def test_layering_check_names_each_reflection_with_its_line(tmp_path, monkeypatch):
    monkeypatch.setattr("tests.test_layering.ROOT", tmp_path)
    module = tmp_path / "bad.py"
    module.write_text(
        "Institution = related_model(Office, 'joint_operators')\n"
        "qs = Country.objects.prefetch_related('instruments')\n"
        "url = reverse('instruments:list')\n"
        "SEARCH = {'instruments.instrument': ()}\n"
        "ok = reverse('offices:detail'), Country.objects.filter(sector__slug='europe')\n"
    )

    found = reflections(module, "offices", upper_relations("offices"))

    assert [line.split(": ", 1)[0] for line in found] == [
        "bad.py:1",
        "bad.py:2",
        "bad.py:3",
        "bad.py:4",
    ]
    assert "related_model" in found[0]
    assert "'instruments'" in found[1]
    assert "URL name" in found[2]
    assert "model" in found[3]
