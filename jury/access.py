"""Who may do what in the jury's pages.

Jury and Direction record decisions and close a jury; only Direction reopens one; Secrétariat and Enseignant
read the reports; Direction and Secrétariat enrol a promotion into the next year; Étudiant sees nothing here.
Publishing a closed jury's decisions to the students is the students' side's rule (`portal.access`).
"""
from enum import StrEnum

from django.core.exceptions import PermissionDenied

from butgmp.roles import Role, has_role

FORBIDDEN = "Vous n'avez pas accès aux jurys."
FORBIDDEN_DECIDE = "Seuls les membres du jury et la direction enregistrent les décisions."
FORBIDDEN_REOPEN = "Seule la direction peut rouvrir un jury clos."
FORBIDDEN_ENROL = "Seuls la direction et le secrétariat inscrivent une promotion dans l'année suivante."
FORBIDDEN_APOGEE_CODES = "Seule la direction modifie les codes Apogée et leur table de traduction."
FORBIDDEN_APOGEE_EXPORT = "Seuls la direction et le secrétariat font l'export Apogée."


class JuryAction(StrEnum):
    READ = "read"  # reports, sheets, exports
    DECIDE = "decide"  # open a jury, record decisions, close it
    REOPEN = "reopen"  # reopen a closed jury
    ENROL = "enrol"  # next year's enrolments from the decisions
    APOGEE_CODES = "apogee_codes"  # a programme's Apogée codes, the department's translation table
    APOGEE_EXPORT = "apogee_export"  # fill Apogée's maquette after a closed jury, download it


ROLES = {
    JuryAction.READ: (Role.DIRECTION, Role.JURY, Role.SECRETARIAT, Role.TEACHER),
    JuryAction.DECIDE: (Role.DIRECTION, Role.JURY),
    JuryAction.REOPEN: (Role.DIRECTION,),
    JuryAction.ENROL: (Role.DIRECTION, Role.SECRETARIAT),
    JuryAction.APOGEE_CODES: (Role.DIRECTION,),
    JuryAction.APOGEE_EXPORT: (Role.DIRECTION, Role.SECRETARIAT),
}
MESSAGES = {JuryAction.READ: FORBIDDEN, JuryAction.DECIDE: FORBIDDEN_DECIDE, JuryAction.REOPEN: FORBIDDEN_REOPEN,
            JuryAction.ENROL: FORBIDDEN_ENROL, JuryAction.APOGEE_CODES: FORBIDDEN_APOGEE_CODES,
            JuryAction.APOGEE_EXPORT: FORBIDDEN_APOGEE_EXPORT}


def may(user, action: JuryAction) -> bool:
    return getattr(user, "is_authenticated", False) and has_role(user, *ROLES[action])


def check(user, action: JuryAction) -> None:
    """Raise PermissionDenied (403) unless the user may perform the action."""
    if not may(user, action):
        raise PermissionDenied(MESSAGES[action])
