"""Plausible Apogée codes on the demo's programmes, as a scolarité would set them (journaled like any edit)."""
import re

from curriculum.apogee_codes import (
    MODULE,
    RCUE,
    SEMESTER,
    UE_KIND,
    VET,
    VET_VERSION,
    YEAR,
    apogee_codes_save,
    apogee_objects,
)
from curriculum.models import Programme


def demo_code(programme: Programme, obj) -> str:
    """Return a code in the style of Apogée's: the diploma's prefix, the parcours, then the object's own part."""
    prefix = f"BG{programme.parcours.code[:2]}"
    compact = re.sub(r"[^A-Z0-9]", "", obj.name.split(" ")[-1].upper())
    return {
        VET: f"{prefix}{obj.year}V",
        VET_VERSION: f"{programme.first_year % 100 + 100}",
        YEAR: f"{prefix}{obj.year}A",
        SEMESTER: f"{prefix}S{obj.semester}",
        UE_KIND: f"{prefix}{compact}",
        RCUE: f"{prefix}R{compact}",
        MODULE: f"{prefix}{compact}"[:20],
    }[obj.kind]


def set_demo_codes(*, programme: Programme, user) -> int:
    """Give every object of the programme a code; return how many were set."""
    codes = {obj.name: demo_code(programme, obj) for obj in apogee_objects(programme=programme)}
    return len(apogee_codes_save(programme=programme, codes=codes, user=user))
