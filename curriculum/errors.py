"""Refused programme edits, with their French messages (constants tests assert on)."""

FROZEN = ("Le programme {programme} est figé : {semesters} après son jury. Ses UE, modules et coefficients ne "
          "peuvent plus changer ; créez une nouvelle version du programme (code et première année de votre choix) "
          "pour les semestres à venir.")
FROZEN_FIXTURE = "{filename}: programme {programme} figé : {semesters} après son jury ; rien n'a été enregistré. " \
                 "Créez une nouvelle version du programme pour charger ces changements."
STALE = ("Le programme a été modifié entre-temps ({who}) : rien n'a été enregistré. Rechargez la page pour repartir "
         "des valeurs actuelles.")
NOTHING_CHANGED = "Aucune modification : rien à enregistrer."
PROTECTED = "Suppression impossible : {subject} est encore utilisé ({objects})."
VERSION_CODE_TAKEN = "Le code « {code} » est déjà celui d'un programme."


def locked_semesters_text(labels: list[str]) -> str:
    """Return "le semestre S1 2025-2026 est verrouillé" or "les semestres S1 …, S2 … sont verrouillés"."""
    if len(labels) == 1:
        return f"le semestre {labels[0]} est verrouillé"
    return f"les semestres {', '.join(labels)} sont verrouillés"


class EditRefused(Exception):
    """A refused change of a programme, with a French message for the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class ProgrammeFrozen(EditRefused):
    """The programme runs in a semester instance a jury has locked: it cannot change any more (R19)."""
