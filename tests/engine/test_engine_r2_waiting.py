"""R2 seen from the secretariat: whom an incomplete evaluation waits for, and what a newcomer would hold up."""
from decimal import Decimal

from grading.engine.types import CohortInput, EvaluationDef, GradeValue, ModuleDef, SemesterRun, UEDef
from grading.engine.waiting import r2_newcomer_waits
from grading.selectors.missing import missing_in_cohort

UES = {"UE3.1": UEDef(code="UE3.1", semester=3, competence="C1", level=2, ects=Decimal(15)),
       "UE3.5": UEDef(code="UE3.5", semester=3, competence="C5", level=1, ects=Decimal(15),
                      parcours=frozenset({"MPI"}))}
MODULES = {"R3.01": ModuleDef(code="R3.01", semester=3, kind="resource", coefficients={"UE3.1": Decimal(1)}),
           "R3.17": ModuleDef(code="R3.17", semester=3, kind="resource", coefficients={"UE3.5": Decimal(1)})}
EVALUATIONS = (EvaluationDef(id="ds", module="R3.01", coef=Decimal(1), max=Decimal(20)),
               EvaluationDef(id="mpi", module="R3.17", coef=Decimal(1), max=Decimal(20)),
               EvaluationDef(id="oral", module="R3.01", coef=Decimal(1), max=Decimal(20), immediate=True),
               EvaluationDef(id="ratt", module="R3.01", coef=Decimal(1), max=Decimal(20), rattrapage=True),
               EvaluationDef(id="later", module="R3.01", coef=Decimal(1), max=Decimal(20)))
TWELVE = GradeValue(value=Decimal(12))


def cohort(grades, parcours) -> CohortInput:
    run = SemesterRun(key="S3", semester=3, evaluations=EVALUATIONS, grades=grades, enrolled=frozenset(parcours),
                      enrolled_parcours=parcours)
    return CohortInput(ues=UES, modules=MODULES, runs={"S3": run}, students=())


def test_r2_an_incomplete_evaluation_waits_for_those_who_follow_its_module_without_a_grade():
    grades = {"ana": {"ds": TWELVE, "mpi": TWELVE, "oral": TWELVE},
              "bob": {"ds": GradeValue(code="EXC")},
              "cai": {"mpi": None}}
    found = missing_in_cohort(cohort(grades, {"ana": "MPI", "bob": "MPI", "cai": "CAI", "dan": "MPI"}), ["S3"])
    waiting = {ev: tuple(sorted(students)) for ev, students in found.items()}
    # ds waits for cai and dan; mpi (MPI only) for bob and dan, not for cai (CAI does not take R3.17);
    # later waits for everybody; oral (immediate) and ratt (rattrapage) never wait.
    assert waiting == {"ds": ("cai", "dan"), "mpi": ("bob", "dan"), "later": ("ana", "bob", "cai", "dan")}


def test_r2_a_newcomer_would_hold_up_the_graded_ordinary_evaluations_of_the_modules_they_take():
    grades = {"ana": {"ds": TWELVE, "mpi": TWELVE, "oral": TWELVE, "ratt": TWELVE}}
    data = cohort(grades, {"ana": "MPI"})
    assert r2_newcomer_waits(data, "S3", "MPI") == ("ds", "mpi")
    assert r2_newcomer_waits(data, "S3", "CAI") == ("ds",)
    assert r2_newcomer_waits(data, "unknown run", "MPI") == ()
