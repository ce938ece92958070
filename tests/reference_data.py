"""The reference data (fixtures/) as tests load it; the fixtures are in tests/conftest.py."""

from io import StringIO
from pathlib import Path

from django.core.management import call_command

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def load_reference_data(fixtures_dir: Path = FIXTURES) -> str:
    """Run ``load_reference_data`` on ``fixtures_dir``; what the command printed."""
    out = StringIO()
    call_command("load_reference_data", fixtures_dir=str(fixtures_dir), stdout=out)
    return out.getvalue()


def edit(path: Path, old: str, new: str) -> None:
    """Replace the one occurrence of ``old`` in a fixtures file."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} should occur once in {path.name}"
    path.write_text(text.replace(old, new), encoding="utf-8")
