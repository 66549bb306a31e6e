"""The demo's people: one account per role (password « demo »), the teachers, and the students' identities.

The five role accounts are the README's logins; the other teachers hold modules (their grades are entered in
their name) but have no usable password. Students get French names from two fixed lists, an INE-like number
and an address at etu.example.org (a domain reserved for examples: nothing is ever delivered there).
"""
import random
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from django.contrib.auth.models import Group as AuthGroup
from django.contrib.auth.models import User

from butgmp.roles import Role
from grading.services.promotions import jury_every_promotion_set

DEMO_PASSWORD = "demo"
# Demo accounts carry people's names (the pages show names, never logins); the student is a BUT2 repeater.
DEMO_USERS = [
    ("direction", "Nicole", "Perrin", Role.DIRECTION),
    ("secretariat", "Sophie", "Gauthier", Role.SECRETARIAT),
    ("enseignant", "Étienne", "Marchal", Role.TEACHER),
    ("jury", "Julien", "Caron", Role.JURY),
    ("etudiant", "Léa", "Bernard", Role.STUDENT),
]
# The other teachers (no usable password): login, first name, last name.
TEACHERS = [
    ("cfontaine", "Claire", "Fontaine"),
    ("kbenali", "Karim", "Benali"),
    ("iroussel", "Isabelle", "Roussel"),
    ("mdelorme", "Marc", "Delorme"),
    ("slopez", "Sandrine", "Lopez"),
    ("aleclerc", "Anne", "Leclerc"),
    ("dhughes", "David", "Hughes"),
    ("pgirard", "Pascal", "Girard"),
]
LAST_NAMES = ["Bernard", "Dubois", "Durand", "Fontaine", "Garnier", "Girard", "Lambert", "Lefèvre", "Martin",
              "Mercier", "Moreau", "Morel", "Petit", "Robert", "Roux", "Simon", "Thomas", "Vincent", "Bonnet",
              "Chevalier", "Faure", "André", "Rousseau", "Blanc"]
FIRST_NAMES = ["Léa", "Hugo", "Chloé", "Louis", "Emma", "Jules", "Manon", "Lucas", "Inès", "Nathan", "Camille",
               "Théo", "Sarah", "Tom", "Jade", "Enzo", "Lina", "Noah", "Zoé", "Adam", "Anaïs", "Maël", "Clara", "Yanis"]
STUDENT_LOGIN = "etudiant"
EMAIL_DOMAIN = "etu.example.org"


@dataclass
class Staff:
    """The demo's staff accounts: one per role, and every teacher by login (the `enseignant` account included)."""

    direction: User
    secretariat: User
    jury: User
    student: User  # the `etudiant` login, linked to a student by the build
    teachers: dict[str, User]


def staff_accounts() -> tuple[Staff, list[str]]:
    """Create the demo accounts that are missing (names kept up to date); return them and what was done."""
    done, by_role = [], {}
    for username, first, last, role in DEMO_USERS:
        user, line = _account(username, first, last, role, password=DEMO_PASSWORD)
        user.is_staff = user.is_superuser = role == Role.DIRECTION
        user.save(update_fields=["is_staff", "is_superuser"])
        by_role[role] = user
        done += line
    teachers = {"enseignant": by_role[Role.TEACHER]}
    for username, first, last in TEACHERS:
        teachers[username], line = _account(username, first, last, Role.TEACHER, password=None)
        done += line
    staff = Staff(direction=by_role[Role.DIRECTION], secretariat=by_role[Role.SECRETARIAT], jury=by_role[Role.JURY],
                  student=by_role[Role.STUDENT], teachers=teachers)
    # a small department: its one jury member sits for every promotion (Direction's choice, journaled)
    if jury_every_promotion_set(value=True, user=by_role[Role.DIRECTION]):
        done.append("jury : toutes les promotions")
    return staff, done


def _account(username: str, first: str, last: str, role: str, *, password: str | None) -> tuple[User, list[str]]:
    user, created = User.objects.get_or_create(username=username, defaults={"first_name": first, "last_name": last})
    done = []
    if created:
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save()
        done.append(f"utilisateur {username} ({role})")
    elif (user.first_name, user.last_name) != (first, last):
        user.first_name, user.last_name = first, last
        user.save(update_fields=["first_name", "last_name"])
        done.append(f"utilisateur {username} : nom mis à jour ({first} {last})")
    user.groups.add(AuthGroup.objects.get_or_create(name=role)[0])
    return user, done


@dataclass(frozen=True)
class Identity:
    ine: str
    first_name: str
    last_name: str

    @property
    def nip(self) -> str:
        """The student number, as Apogée would give it: 2, the year of entry, the INE's serial (so as unique)."""
        return "2" + self.ine[:2] + self.ine[3:9]

    @property
    def email(self) -> str:
        local = f"{self.first_name}.{self.last_name}".lower().replace(" ", "-")
        return unicodedata.normalize("NFKD", local).encode("ascii", "ignore").decode() + f"@{EMAIL_DOMAIN}"


def ine(entry_year: int, number: int) -> str:
    """Return an INE-like number (nine digits, two letters), fixed by the year of entry and a serial number."""
    digits = f"{entry_year % 100:02d}7{number:06d}"
    return digits + chr(65 + number % 26) + chr(65 + (number // 26 + entry_year) % 26)


def identities(seed: int) -> Iterator[tuple[str, str]]:
    """Yield distinct (first name, last name) pairs in an order fixed by the seed; the `etudiant` name first."""
    first, last = DEMO_USERS[-1][1], DEMO_USERS[-1][2]
    pairs = [(f, n) for f in FIRST_NAMES for n in LAST_NAMES if (f, n) != (first, last)]
    random.Random(f"{seed}:names").shuffle(pairs)
    yield first, last
    yield from pairs
