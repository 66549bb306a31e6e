"""What the grade grid's script (`static/js/grid.js`) is handed through `json_script`: the pattern, codes and
messages of the grade parser (R1), so that a typed grade is refused with the very sentence the server would
give, and the texts of the cells' states. No Django import."""
from grading.engine.codes import GradeCode
from grading.grade_text import (
    ERROR_ABOVE_MAX,
    ERROR_NEGATIVE,
    ERROR_NOT_A_GRADE,
    ERROR_TOO_MANY_DECIMALS,
    NUMBER_RE,
)

UNSAVED_COUNT = "{count} note(s) non enregistrée(s)"
ALL_SAVED = "Toutes les notes sont enregistrées"
UNSAVED_WARNING = "Des notes saisies ne sont pas enregistrées."
CELL_PENDING = "à enregistrer"
CELL_SAVING = "enregistrement…"
CELL_SAVED = "enregistrée"
CELL_REFUSED = "refusée"
CELL_NETWORK = "non enregistrée (réseau) – réessayez"
CONFLICT_KEEP = "garder ma saisie"
CONFLICT_TAKE = "reprendre « {value} »"
CONFLICT_EMPTY = "vide"


def grid_script_data() -> dict:
    """Return what the grid's script reads from the page (as JSON)."""
    return {
        "pattern": NUMBER_RE.pattern,
        "codes": list(GradeCode.__members__),
        "messages": {"not_a_grade": ERROR_NOT_A_GRADE, "negative": ERROR_NEGATIVE, "above_max": ERROR_ABOVE_MAX,
                     "decimals": ERROR_TOO_MANY_DECIMALS},
        "texts": {"unsaved_count": UNSAVED_COUNT, "all_saved": ALL_SAVED, "unsaved": UNSAVED_WARNING,
                  "pending": CELL_PENDING, "saving": CELL_SAVING, "saved": CELL_SAVED, "refused": CELL_REFUSED,
                  "network": CELL_NETWORK, "keep": CONFLICT_KEEP, "take": CONFLICT_TAKE, "empty": CONFLICT_EMPTY},
    }
