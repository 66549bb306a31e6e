"""`make_demo`: the whole demo department, built once per database in one transaction.

Last year's BUT2 first (its jury sends this year's repeaters and BUT3), then this year's three promotions.
Every random draw comes from `random.Random` seeded by the seed and the stage, and every date from
`demo.dates`: one seed and size give one database. A database that holds the demo already is left
as it is, whatever the seed: building it again means starting from an empty database.
"""
import time
from collections.abc import Callable

from django.db import transaction

from curriculum.models import Programme
from demo.apogee import set_demo_codes
from demo.dates import LAST_YEAR, THIS_YEAR
from demo.identity import set_demo_identity
from demo.last_year import build_last_year
from demo.matrix import DEPARTMENT_PROGRAMME, SOURCE_PROGRAMME, department_programme
from demo.people import identities, staff_accounts
from demo.this_year import build_this_year
from grading.models import SemesterInstance
from grading.services.errors import ServiceError

DIJON_PROGRAMME = "dijon-mpi-alternance-2022"
DEFAULT_STUDENTS = 70
DEFAULT_SEED = 2026
MIN_STUDENTS, MAX_STUDENTS = 6, 120  # enough for the special cases; as many as the name lists allow (×4)
PROGRAMMES_MISSING = "programmes {codes} absents : lancez d'abord load_programmes"
ALREADY_THERE = "données de démonstration déjà présentes (pour les reconstruire, repartez d'une base vide)"
OTHER_DATA = ("La base contient déjà des semestres du programme {code} en {years} qui ne sont pas ceux de la "
              "démonstration (une ancienne démonstration ?) : repartez d'une base vide (supprimez db.sqlite3).")
SIZE_OUT_OF_RANGE = "--students : le nombre d'étudiants par promotion va de {low} à {high}."


def demo_present() -> bool:
    return SemesterInstance.objects.filter(semester__programme__code=DEPARTMENT_PROGRAMME,
                                           academic_year__start_year=THIS_YEAR).exists()


def make_demo(*, students: int = DEFAULT_STUDENTS, seed: int = DEFAULT_SEED,
              progress: Callable[[str], None] = print) -> str:
    """Create the demo accounts, then the demo department unless the database holds it; say what was done."""
    if not MIN_STUDENTS <= students <= MAX_STUDENTS:
        raise ServiceError(SIZE_OUT_OF_RANGE.format(low=MIN_STUDENTS, high=MAX_STUDENTS))
    with transaction.atomic():
        staff, done = staff_accounts()
        for line in done:
            progress(f"  {line}")
        missing = sorted({DIJON_PROGRAMME, SOURCE_PROGRAMME}
                         - set(Programme.objects.values_list("code", flat=True)))
        if missing:
            return PROGRAMMES_MISSING.format(codes=", ".join(missing))
        if demo_present():
            return ALREADY_THERE
        if SemesterInstance.objects.filter(semester__programme__code=DIJON_PROGRAMME,
                                           academic_year__start_year__in=(LAST_YEAR, THIS_YEAR)).exists():
            raise ServiceError(OTHER_DATA.format(code=DIJON_PROGRAMME, years=f"{LAST_YEAR} ou {THIS_YEAR}"))
        started = time.monotonic()

        def timed(line: str) -> None:
            progress(f"  [{time.monotonic() - started:5.1f} s] {line}")

        department = department_programme(user=staff.direction)
        timed(f"programme {department.code} : coefficients du département (nouvelle version de {SOURCE_PROGRAMME})")
        dijon = Programme.objects.get(code=DIJON_PROGRAMME)
        names = identities(seed)
        last = build_last_year(programme=dijon, but1=department, students=students, seed=seed, names=names,
                               staff=staff, progress=timed)
        promotions = build_this_year(department=department, dijon=dijon, last=last, students=students, seed=seed,
                                     names=names, staff=staff, progress=timed)
        for programme in (department, dijon):
            set_demo_codes(programme=programme, user=staff.direction)
        timed("codes Apogée des programmes")
        set_demo_identity(user=staff.direction)
        timed("identité de l'établissement (IUT fictif, logo, signature)")
    sizes = ", ".join(f"{name} {len(semesters[0].enrolments())}" for name, semesters in promotions.items())
    return f"démonstration construite (graine {seed}, {students} étudiants par promotion) : {sizes} inscrits"
