"""Each app imports only from the layers below it (design.md): read the imports, not the docs."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ["core", "offices", "partnerships", "instruments"]


def imported_project_packages(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names & (set(LAYERS) | {"cnrs_intl"})


@pytest.mark.parametrize("app", LAYERS)
def test_app_imports_only_lower_layers(app):
    allowed = set(LAYERS[: LAYERS.index(app) + 1])
    offenders = {}

    for path in sorted((ROOT / app).rglob("*.py")):
        wrong = imported_project_packages(path) - allowed
        if wrong:
            offenders[str(path.relative_to(ROOT))] = sorted(wrong)

    assert offenders == {}


def test_layering_check_detects_an_upward_import(tmp_path):
    module = tmp_path / "bad.py"
    module.write_text("from instruments.models import Instrument\nimport cnrs_intl.settings\n")

    found = imported_project_packages(module)

    assert found == {"instruments", "cnrs_intl"}
