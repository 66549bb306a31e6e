"""Names people recognise for a promotion and its juries: « BUT2 MPI alternance — Dijon-Auxerre — 2026-2027 — jury
du 24/06/2027 », never a programme's code. Used wherever juries are listed (jury pages, publication, history)."""
from collections.abc import Iterable

from curriculum.models import Modality
from grading.models import JurySession, SemesterInstance
from grading.models.semesters import iut_place

MODALITY_WORDS = {Modality.WORK_STUDY: "alternance", Modality.INITIAL: "formation initiale"}
DASH = " — "


def promotion_label(instances: Iterable[SemesterInstance]) -> str:
    """« BUT2 MPI alternance — Dijon-Auxerre — 2026-2027 » (the instances' label, when set, after the year)."""
    instances = sorted(instances, key=lambda i: i.semester.number)
    if not instances:
        return ""
    first = instances[0]
    programme = first.semester.programme
    what = f"BUT{first.semester.year} {programme.parcours.code} {MODALITY_WORDS.get(programme.modality, '')}".strip()
    where = iut_place(programme.iut)
    year = f"{first.academic_year}" + (f" {first.label}" if first.label else "")
    return DASH.join(part for part in (what, where, year) if part)


def jury_label(session: JurySession, instances: Iterable[SemesterInstance] | None = None) -> str:
    """« BUT2 MPI alternance — Dijon-Auxerre — 2026-2027 — jury du 24/06/2027 »; an odd-semester jury says
    « jury de S3 du … ». `instances`: the session's, when already read (prefetched, or else one query)."""
    if instances is None and "semester_instances" in getattr(session, "_prefetched_objects_cache", {}):
        instances = session.semester_instances.all()
    if instances is None:
        instances = session.semester_instances.select_related(
            "semester__programme__parcours", "academic_year")
    instances = list(instances)
    numbers = sorted(i.semester.number for i in instances)
    which = "jury" if any(n % 2 == 0 for n in numbers) or not numbers else f"jury de S{numbers[0]}"
    return DASH.join(part for part in (promotion_label(instances), f"{which} du {session.date:%d/%m/%Y}") if part)
