"""Who may do what in the jury's pages.

Jury and Direction record decisions and close a jury; only Direction reopens one; Secrétariat reads the reports;
a Jury-role user reads and decides only for the promotions they sit for (`grading.access.sits_for_instances`);
Direction and Secrétariat enrol a promotion into the next year; Enseignant and Étudiant see nothing here (a teacher
reads their modules' averages on the grading pages, never a jury's report, PV or letters).
"""
from enum import StrEnum

from django.core.exceptions import PermissionDenied

from butgmp.roles import Role, has_role
from grading.access import sits_for_instances

FORBIDDEN = "Vous n'avez pas accès aux jurys."
FORBIDDEN_DECIDE = "Seuls les membres du jury et la direction enregistrent les décisions."
FORBIDDEN_REOPEN = "Seule la direction peut rouvrir un jury clos."
FORBIDDEN_ENROL = "Seuls la direction et le secrétariat inscrivent une promotion dans l'année suivante."
FORBIDDEN_APOGEE_CODES = "Seule la direction modifie les codes Apogée et leur table de traduction."
FORBIDDEN_APOGEE_EXPORT = "Seuls la direction et le secrétariat font l'export Apogée."
FORBIDDEN_ASSIGN = "Seule la direction affecte les membres des jurys aux promotions."
FORBIDDEN_IDENTITY = "Seule la direction modifie l'identité de l'établissement."
FORBIDDEN_PROMOTION = "Vous ne siégez pas au jury de cette promotion : la direction affecte les membres des jurys."


class JuryAction(StrEnum):
    READ = "read"  # reports, sheets, exports
    DECIDE = "decide"  # open a jury, record decisions, close it
    REOPEN = "reopen"  # reopen a closed jury
    ENROL = "enrol"  # next year's enrolments from the decisions
    APOGEE_CODES = "apogee_codes"  # a programme's Apogée codes, the department's translation table
    APOGEE_EXPORT = "apogee_export"  # fill Apogée's maquette after a closed jury, download it
    ASSIGN = "assign"  # who sits for which promotion
    IDENTITY = "identity"  # the institution's identity on every document


ROLES = {
    JuryAction.READ: (Role.DIRECTION, Role.JURY, Role.SECRETARIAT),
    JuryAction.DECIDE: (Role.DIRECTION, Role.JURY),
    JuryAction.REOPEN: (Role.DIRECTION,),
    JuryAction.ENROL: (Role.DIRECTION, Role.SECRETARIAT),
    JuryAction.APOGEE_CODES: (Role.DIRECTION,),
    JuryAction.APOGEE_EXPORT: (Role.DIRECTION, Role.SECRETARIAT),
    JuryAction.ASSIGN: (Role.DIRECTION,),
    JuryAction.IDENTITY: (Role.DIRECTION,),
}
MESSAGES = {JuryAction.READ: FORBIDDEN, JuryAction.DECIDE: FORBIDDEN_DECIDE, JuryAction.REOPEN: FORBIDDEN_REOPEN,
            JuryAction.ENROL: FORBIDDEN_ENROL, JuryAction.APOGEE_CODES: FORBIDDEN_APOGEE_CODES,
            JuryAction.APOGEE_EXPORT: FORBIDDEN_APOGEE_EXPORT, JuryAction.ASSIGN: FORBIDDEN_ASSIGN,
            JuryAction.IDENTITY: FORBIDDEN_IDENTITY}


def may(user, action: JuryAction) -> bool:
    return getattr(user, "is_authenticated", False) and has_role(user, *ROLES[action])


def check(user, action: JuryAction, *, instances=None) -> None:
    """Raise PermissionDenied (403) unless the user may perform the action (on the promotion of `instances`)."""
    if not may(user, action):
        raise PermissionDenied(MESSAGES[action])
    if instances is not None and not sits_for_instances(user, instances):
        raise PermissionDenied(FORBIDDEN_PROMOTION)
