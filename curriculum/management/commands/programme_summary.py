import json

from django.core.management.base import BaseCommand, CommandError

from butgmp.formats import as_number
from curriculum.apogee_codes import apogee_objects
from curriculum.models import Programme
from curriculum.selectors import (
    ProgrammeSummary,
    UESummary,
    get_programme_summary,
    list_programme_summaries,
    programme_codes,
)
from curriculum.totals import CoefTotal


def _coefficient(total: CoefTotal):
    # An unknown coefficient makes the total unknown (null), never a partial sum passed off as the total.
    return as_number(total.value)


def _ue(ue: UESummary) -> dict:
    return {
        "code": ue.code,
        "competence": ue.competence_code,
        "level": ue.level,
        "ects": as_number(ue.ects),
        "coefficient_total": _coefficient(ue.total.coefficient),
        "resources_coefficient": _coefficient(ue.resources.coefficient),
        "sae_coefficient": _coefficient(ue.sae.coefficient),
        "coefficients_complete": ue.total.coefficient.complete,
        "hours": ue.total.hours.as_dict(),
        "modules": [
            {"code": row.module.code, "kind": row.module.kind, "coefficient": as_number(row.coefficient),
             "hours": row.hours.as_dict(), "domain": row.module.domain,
             "domain_coefficient": as_number(row.module.domain_coefficient),
             "code_derived": row.module.code_derived}
            for row in ue.rows
        ],
    }


def programme_as_dict(programme: ProgrammeSummary) -> dict:
    return {
        "code": programme.code,
        "iut": programme.iut,
        "parcours": programme.parcours_code,
        "modality": programme.modality,
        "hours_mode": programme.hours_mode,
        "semesters": [
            {
                "number": semester.number,
                "ects": as_number(semester.ects),
                "coefficient_total": _coefficient(semester.total.coefficient),
                "domain_coefficient_total": as_number(semester.domain_coefficient_total),
                "hours": semester.total.hours.as_dict(),
                "ues": [_ue(ue) for ue in semester.ues],
            }
            for semester in programme.semesters
        ],
    }


def _apogee_codes(programme: Programme) -> list[dict]:
    return [{"object": o.name, "code": o.code} for o in apogee_objects(programme=programme) if o.code]


class Command(BaseCommand):
    help = (
        "Affiche en JSON (indentation 2, UTF-8) le résumé des programmes : par semestre et par UE, compétence, "
        "niveau, ECTS, coefficients (total, pôle ressources, pôle SAÉ), heures (cm, td, tp, project) et modules "
        "avec leur coefficient et les heures listées sous l'UE. Les nombres décimaux sont écrits comme nombres "
        "JSON : entier quand la valeur est entière (2), sinon le flottant de son écriture décimale (1.5). Un "
        "coefficient que la source ne donne pas vaut null, et tout total qui en dépend aussi "
        "(coefficients_complete vaut alors false). Les heures d'un semestre sont la somme des lignes (mode "
        "split) ou celle des heures propres de chaque module comptées une fois (mode repeated). Chaque module "
        "porte aussi domain (domaine d'enseignement, \"\" si aucun), domain_coefficient (coefficient que la source "
        "donne au domaine pour tout le semestre, et non par UE : il est répété sous chaque UE où le module figure, "
        "null si la source n'en donne pas) et code_derived (true quand le code est déduit de la numérotation "
        "nationale, absent de la source). Par semestre, domain_coefficient_total est la somme des coefficients de "
        "domaine de ses modules, chacun compté une fois et les null laissés de côté (null si aucun module n'en a). "
        "Enfin apogee_codes liste les codes Apogée renseignés : objet (VET BUT2, VET BUT2 version, BUT2, S3, UE3.1, "
        "RCUE C1-2, R3.01) et code."
    )

    def add_arguments(self, parser):
        parser.add_argument("--programme", metavar="CODE", help="Code d'un programme (par défaut : tous).")

    def handle(self, *args, programme=None, **options):
        if programme:
            summary = get_programme_summary(code=programme)
            if summary is None:
                known = ", ".join(programme_codes()) or "aucun programme chargé"
                raise CommandError(f"Programme « {programme} » inconnu. Programmes connus : {known}.")
            summaries = [summary]
        else:
            summaries = list_programme_summaries()
        programmes = Programme.objects.in_bulk([s.id for s in summaries])
        data = [{**programme_as_dict(s), "apogee_codes": _apogee_codes(programmes[s.id])} for s in summaries]
        self.stdout.write(json.dumps(data, indent=2, ensure_ascii=False))
