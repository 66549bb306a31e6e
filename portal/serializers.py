"""The students' results as JSON for portals and mobile apps: the same content as the page, plain values.

Numbers are JSON numbers (averages rounded half-up to the cent, R6); a code or an ECTS figure the jury has not
published is null, exactly as the page shows "non publié".
"""
from butgmp.formats import as_number
from portal.results import GradeLine, ModuleLine, RCUELine, SemesterResults, StudentResults, UELine


def semester_summary(semester: SemesterResults, *, url: str) -> dict:
    return {
        "id": semester.instance_id,
        "semestre": semester.number,
        "libelle": semester.label,
        "annee_universitaire": semester.academic_year,
        "programme": semester.programme,
        "decisions_publiees": semester.jury_published,
        "provisoire": semester.provisional,
        "url": url,
    }


def semesters_json(results: StudentResults, *, url_of) -> dict:
    """Return the list of a student's semesters; `url_of(instance_id)` gives each detail's address."""
    return {
        "etudiant": _student(results),
        "ects_acquis": as_number(results.ects),
        "semestres": [semester_summary(s, url=url_of(s.instance_id)) for s in results.semesters],
    }


def bulletin_json(results: StudentResults, semester: SemesterResults, *, url: str) -> dict:
    """Return one semester's bulletin."""
    return {
        "etudiant": _student(results),
        **semester_summary(semester, url=url),
        "document_de_travail": results.draft,
        "evaluations_non_publiees": semester.unpublished_evaluations,
        "ues": [_ue(ue) for ue in semester.ues],
        "rcues": [_rcue(r) for r in semester.rcues],
        "decision_annee": semester.year_decision,
        "ects_semestre": as_number(semester.ects),
        "ects_acquis": as_number(results.ects),
        "competences": [
            {"code": c.code, "nom": c.name,
             "niveaux": [{"niveau": cell.level, "etat": cell.state} for cell in c.levels]}
            for c in results.competences
        ],
    }


def _student(results: StudentResults) -> dict:
    student = results.student
    return {"ine": student.ine, "nom": student.last_name, "prenom": student.first_name}


def _ue(ue: UELine) -> dict:
    return {
        "code": ue.code,
        "intitule": ue.title,
        "competence": ue.competence,
        "moyenne": as_number(ue.average),
        "moyenne_avant_bonus": as_number(ue.average_before_bonus),
        "decision": ue.decision,
        "ects": as_number(ue.ects),
        "ects_ue": as_number(ue.ects_value),
        "capitalisee": ue.capitalised,
        "modules": [_module(m) for m in ue.modules],
    }


def _module(module: ModuleLine) -> dict:
    return {
        "code": module.code,
        "intitule": module.title,
        "coefficient": as_number(module.coefficient),
        "moyenne": as_number(module.average),
        "evaluations": [_grade(g) for g in module.evaluations],
    }


def _grade(line: GradeLine) -> dict:
    return {
        "intitule": line.title,
        "date": line.date.isoformat() if line.date else None,
        "coefficient": as_number(line.coefficient),
        "note_maximale": as_number(line.max_score),
        "publiee": line.published,
        "note": as_number(line.value),
        "code": line.code,
    }


def _rcue(rcue: RCUELine) -> dict:
    return {
        "cle": rcue.key,
        "competence": rcue.competence,
        "competence_intitule": rcue.competence_name,
        "niveau": rcue.level,
        "libelle": rcue.label,
        "ues": list(rcue.ues),
        "moyenne": as_number(rcue.average),
        "decision": rcue.decision,
    }
