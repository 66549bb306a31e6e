"""What a jury decision may be about: the year, a UE or an RCUE of the student's programme and parcours.

A decision on "UE9.9", on a UE of another programme, of a parcours the student does not follow, or of
another BUT year than the enrolment's, is refused with a French message (pages and admin alike).
"""
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

from curriculum.models import UE
from grading.engine.codes import JuryLevel
from grading.models import Enrolment

UE_REFUSED = ("« {subject} » n'est pas une UE du BUT {year} du programme {programme} suivie dans le parcours "
              "{parcours} : décision refusée.")
RCUE_REFUSED = ("« {subject} » n'est pas un RCUE du BUT {year} du programme {programme} pour le parcours "
                "{parcours} : décision refusée.")
YEAR_REFUSED = "Une décision d'année porte sur l'année {year} de cette inscription, pas sur « {subject} »."


@dataclass
class Subjects:
    """The subjects a jury may decide for one enrolment."""

    year: str
    parcours: str
    programme: str
    ues: dict[str, UE] = field(default_factory=dict)  # UE code -> UE, in programme order
    rcues: dict[str, str] = field(default_factory=dict)  # RCUE key (C1-2) -> competence name

    def choices(self) -> list[tuple[str, str]]:
        """Return (level:subject, label) pairs for a form."""
        return ([(f"{JuryLevel.YEAR}:{self.year}", f"Année (BUT {self.year})")]
                + [(f"{JuryLevel.RCUE}:{key}", f"RCUE {key} – {name}") for key, name in self.rcues.items()]
                + [(f"{JuryLevel.UE}:{code}", f"UE {code}") for code in self.ues])


def last_enrolment(*, student, instance_ids) -> Enrolment | None:
    """Return the student's enrolment in the last semester among `instance_ids` (a jury's decisions are about it),
    with what `subjects_for` reads; None when the student is not enrolled in any."""
    return (student.enrolments.filter(semester_instance_id__in=instance_ids)
            .select_related("parcours", "semester_instance__semester__programme__parcours")
            .order_by("semester_instance__semester__number").last())


def enrolment_parcours(enrolment: Enrolment) -> str:
    """Return the parcours code of an enrolment (its own, else its programme's)."""
    if enrolment.parcours_id:
        return enrolment.parcours.code
    return enrolment.semester_instance.semester.programme.parcours.code


def subjects_for(enrolment: Enrolment) -> Subjects:
    """Return the UEs and RCUEs of the enrolment's BUT year, programme and parcours (two queries)."""
    semester = enrolment.semester_instance.semester
    parcours = enrolment_parcours(enrolment)
    year = semester.year
    subjects = Subjects(year=str(year), parcours=parcours, programme=semester.programme.code)
    rows = (UE.objects.filter(semester__programme_id=semester.programme_id,
                              semester__number__in=(2 * year - 1, 2 * year))
            .select_related("semester", "competence_level__competence").prefetch_related("parcours")
            .order_by("semester__number", "order", "code"))
    levels: dict[str, list[UE]] = {}
    for ue in rows:
        codes = {p.code for p in ue.parcours.all()}
        if codes and parcours not in codes:
            continue
        subjects.ues[ue.code] = ue
        levels.setdefault(ue.competence_level.rcue_key, []).append(ue)
    for key, ues in levels.items():
        if len(ues) >= 2:  # R8: an RCUE groups the two UEs of a year on one competence level
            subjects.rcues[key] = ues[0].competence_level.competence.name
    return subjects


def check_subject(*, enrolment: Enrolment, level: str, subject: str, subjects: Subjects | None = None) -> None:
    """Raise ValidationError unless the subject belongs to the enrolment's programme, parcours and year."""
    subjects = subjects or subjects_for(enrolment)
    names = {"subject": subject, "year": subjects.year, "programme": subjects.programme,
             "parcours": subjects.parcours}
    if level == JuryLevel.YEAR and subject != subjects.year:
        raise ValidationError(YEAR_REFUSED.format(**names))
    if level == JuryLevel.UE and subject not in subjects.ues:
        raise ValidationError(UE_REFUSED.format(**names))
    if level == JuryLevel.RCUE and subject not in subjects.rcues:
        raise ValidationError(RCUE_REFUSED.format(**names))
