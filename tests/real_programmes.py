"""The real programmes of fixtures/ (gmp.yaml and programmes/*.yaml), loaded once per test module.

A module that reads them says which with a marker; the fixtures of tests/conftest.py load those programmes
(and the national reference) before its first test, in a transaction rolled back after its last one:

    pytestmark = pytest.mark.real_programmes(DIJON, CAI)

    def test_something(real_programmes):          # {code: Programme}
        ...

Every test of that module sees them (each in its own transaction, so a test that edits a programme leaves the
next one the programme as loaded). `real_programmes` checks, before each test that asks for it, that they are
still there: a transactional test flushes the database, and the programmes are then loaded again inside the test.
"""
from pathlib import Path

from curriculum.fixture_loader import PROGRAMMES_DIR, REFERENCE_FILE, load_programme_file, load_reference
from curriculum.models import Programme

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
DIJON = "dijon-mpi-alternance-2022"
CAI = "lecreusot-cai-alternance-2026"
LECREUSOT_IPI = "lecreusot-ipi-alternance-2026"


def load(codes: tuple[str, ...]) -> None:
    """Load the national reference, then the programmes `codes` (what `load_all` does with only these files)."""
    load_reference(FIXTURES / REFERENCE_FILE)
    for code in codes:
        load_programme_file(FIXTURES / PROGRAMMES_DIR / f"{code}.yaml")


def loaded(codes: tuple[str, ...]) -> dict[str, Programme] | None:
    """Return the programmes `codes` by code when every one is in the database, else None (one query)."""
    programmes = {p.code: p for p in Programme.objects.filter(code__in=codes)}
    return programmes if len(programmes) == len(codes) else None


def present(codes: tuple[str, ...]) -> dict[str, Programme]:
    """Return the programmes `codes` by code, loading them first if one is missing (a flush took them)."""
    programmes = loaded(codes)
    if programmes is None:
        load(codes)
        programmes = loaded(codes)
    return programmes
