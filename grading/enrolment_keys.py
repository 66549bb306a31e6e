"""The keys that name a student and a group: a valid INE, and a group name's (kind, rest) key."""
import re

INE_RE = re.compile(r"^[0-9A-Z]{11}$")


def is_valid_ine(ine: str) -> bool:
    """Tell whether an (upper-cased) INE has the national form: 11 ASCII digits and letters."""
    return bool(INE_RE.match(ine))


GROUP_PREFIX_RE = re.compile(r"^(TD|TP)(?![a-z])[\s_.:-]*(?P<rest>\S.*)$", re.IGNORECASE)


def group_key(name: str, kind: str = "TD") -> tuple[str, str]:
    """Return what identifies a group whatever its spelling: "TD A", "td-a" and "A" (a TD) are one group.

    A leading TD/TP gives the kind; without it the group's own kind (TD for a name read from a file).
    """
    text = " ".join(str(name).split())
    match = GROUP_PREFIX_RE.match(text)
    if match:
        return match.group(1).upper(), match.group("rest").casefold()
    return (kind or "TD").upper(), text.casefold()

