"""Every module of a demo semester gets its responsible teacher and an evaluation plan with dates.

Teachers hold modules by teaching domain (the national numbering R{s}.01 Mécanique, .04 Mathématiques…);
resources have two tests (three with a marked practical when they last 40 hours or more), SAÉ a report and a
defence, the portfolio one assessment, the internship a report and a defence. Everything goes through the
semester services (`responsible_add`, and `evaluation_plan_create` with each module's dated plan).
"""
import re
from dataclasses import dataclass
from decimal import Decimal

from curriculum.models import Module, ModuleKind
from demo.dates import Window
from grading.models import SemesterInstance
from grading.services.evaluation_plans import PlannedEvaluation, evaluation_plan_create
from grading.services.semesters import responsible_add

# Teaching domain (the two digits of R{s}.{nn}) -> teacher login; SAÉ, portfolio and internship apart.
DOMAIN_TEACHERS = {1: "enseignant", 7: "enseignant", 2: "cfontaine", 3: "cfontaine", 4: "kbenali", 5: "iroussel",
                   6: "iroussel", 8: "mdelorme", 9: "mdelorme", 10: "slopez", 13: "aleclerc", 15: "aleclerc",
                   14: "dhughes", 17: "pgirard"}
KIND_TEACHERS = {ModuleKind.SAE: "pgirard", ModuleKind.STAGE: "pgirard", ModuleKind.PORTFOLIO: "aleclerc"}
RESOURCE_CODE = re.compile(r"^R\d+\.(\d+)")
LONG_RESOURCE_HOURS = 40


@dataclass(frozen=True)
class Planned:
    """One evaluation of a module's plan: its title, coefficient and place in the semester (0 to 1)."""

    title: str
    coefficient: Decimal
    at: float


RESOURCE_PLAN = [Planned("DS 1", Decimal("1"), 0.40), Planned("DS 2", Decimal("2"), 0.88)]
LONG_RESOURCE_PLAN = [Planned("DS 1", Decimal("1"), 0.35), Planned("TP noté", Decimal("1"), 0.62),
                      Planned("DS 2", Decimal("2"), 0.88)]
PLANS = {
    ModuleKind.SAE: [Planned("Rapport", Decimal("2"), 0.85), Planned("Soutenance", Decimal("1"), 0.97)],
    ModuleKind.PORTFOLIO: [Planned("Portfolio", Decimal("1"), 0.99)],
    ModuleKind.STAGE: [Planned("Mémoire de stage", Decimal("2"), 0.96), Planned("Soutenance de stage", Decimal("1"),
                                                                                1.0)],
}


def teacher_login(module: Module) -> str:
    """Return the login of the teacher responsible for a module."""
    if module.kind in KIND_TEACHERS:
        return KIND_TEACHERS[module.kind]
    match = RESOURCE_CODE.match(module.code)
    return DOMAIN_TEACHERS.get(int(match.group(1)), "pgirard") if match else "pgirard"


def module_plan(module: Module) -> list[Planned]:
    if module.kind == ModuleKind.RESOURCE:
        hours = module.cm + module.td + module.tp + module.project
        return LONG_RESOURCE_PLAN if hours >= LONG_RESOURCE_HOURS else RESOURCE_PLAN
    return PLANS[module.kind]


def plan_semester(*, instance: SemesterInstance, window: Window, teachers: dict, user) -> dict[int, object]:
    """Give every module of the semester its teacher and its dated evaluations; return module id -> teacher."""
    responsible = {}
    for index, module in enumerate(Module.objects.filter(semester=instance.semester).order_by("order", "code")):
        responsible[module.pk] = teachers[teacher_login(module)]
        responsible_add(semester_instance=instance, module=module, user=responsible[module.pk], lead=True)
        # the modules' tests spread over a fortnight around their place in the semester; the last ones at the end
        shift = (index % 5) * 3 - 6
        evaluation_plan_create(semester_instance=instance, modules=[module], user=user, plan=[
            PlannedEvaluation(title=p.title, coefficient=p.coefficient,
                              date=window.at(p.at, shift_days=shift if p.at < 0.95 else 0))
            for p in module_plan(module)])
    return responsible
