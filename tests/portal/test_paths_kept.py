"""Every URL path a user had before the applications were split still answers (or redirects) for a user who may
open it: bookmarks, links in e-mails already sent and the browser journeys keep working.

PATHS is the list taken from the URLconf as it was; its arguments are filled from the urlconf sweep's world.
"""
import re

import pytest
from django.urls import resolve
from test_students_urlconf_sweep import ARGUMENTS

pytestmark = pytest.mark.django_db

PATHS = """
/ connexion/ deconnexion/ compte/mot-de-passe/enregistre/ favicon.ico
programmes/ programmes/<slug:code>/ programmes/<slug:code>/programme.xlsx programmes/<slug:code>/S<int:number>.xlsx
programmes/<slug:code>/S<int:number>.pdf programmes/<slug:code>/S<int:number>/modifier/
programmes/<slug:code>/nouvelle-version/
notes/jury/ notes/jury/rapport/<slug:kind>/<int:pk>/ notes/jury/rapport/<slug:kind>/<int:pk>/etudiants/<int:student_pk>/
notes/jury/rapport/<slug:kind>/<int:pk>/export.<slug:fmt> notes/jury/rapport/<slug:kind>/<int:pk>/jury/
notes/jury/jurys/<int:pk>/ notes/jury/jurys/<int:pk>/valider/
notes/jury/jurys/<int:pk>/etudiants/<int:student_pk>/decision/ notes/jury/jurys/<int:pk>/clore/
notes/jury/jurys/<int:pk>/rouvrir/ notes/jury/jurys/<int:pk>/publier/ notes/jury/jurys/<int:pk>/pv.pdf
notes/jury/jurys/<int:pk>/pv.xlsx notes/jury/jurys/<int:pk>/lettres.pdf notes/jury/jurys/<int:pk>/annee-suivante/
notes/ notes/semestres/nouveau/ notes/semestres/<int:pk>/ notes/semestres/<int:pk>/verrou/
notes/semestres/<int:pk>/resultats/ notes/semestres/<int:pk>/etudiants/ notes/semestres/<int:pk>/etudiants/importer/
notes/semestres/<int:pk>/etudiants/importer/confirmer/
notes/semestres/<int:pk>/etudiants/imports/<str:batch>/annuler/ notes/semestres/<int:pk>/etudiants/<int:enrolment_pk>/
notes/semestres/<int:pk>/etudiants/<int:enrolment_pk>/modifier/ notes/semestres/<int:pk>/groupes/
notes/semestres/<int:pk>/groupes/<int:group_pk>/supprimer/ notes/semestres/<int:pk>/responsables/
notes/semestres/<int:pk>/responsables/<int:responsible_pk>/supprimer/
notes/semestres/<int:pk>/modules/<int:module_pk>/ notes/semestres/<int:pk>/modules/<int:module_pk>/moyennes/
notes/semestres/<int:pk>/modules/<int:module_pk>/evaluations/nouvelle/
notes/evaluations/<int:pk>/ notes/evaluations/<int:pk>/modifier/ notes/evaluations/<int:pk>/enregistrer/
notes/evaluations/<int:pk>/historique/<int:enrolment_pk>/ notes/evaluations/<int:pk>/export.xlsx
notes/evaluations/<int:pk>/importer/ notes/evaluations/<int:pk>/importer/confirmer/
notes/evaluations/<int:pk>/imports/<int:batch_pk>/annuler/ notes/evaluations/<int:pk>/incomplete/
notes/evaluations/<int:pk>/notes-manquantes/
notes/mes-resultats/ notes/mes-resultats/avis/ notes/mes-resultats/<int:instance_pk>/bulletin.pdf
notes/api/etudiant/semestres/ notes/api/etudiant/semestres/<int:instance_pk>/
notes/semestres/<int:pk>/publication/ notes/jurys/<int:pk>/publier/ notes/semestres/<int:pk>/bulletins/
notes/semestres/<int:pk>/bulletins/<int:batch_pk>/bulletins.pdf
notes/semestres/<int:pk>/etudiants/<int:enrolment_pk>/bulletin.pdf notes/semestres/<int:pk>/etudiants/comptes/
notes/recherche/ notes/etudiants/<int:pk>/ notes/etudiants/<int:pk>/identite/
notes/semestres/<int:pk>/etudiants/actions/ notes/semestres/<int:pk>/plan/ notes/semestres/<int:pk>/plan/copier/
notes/semestres/<int:pk>/mes-modules/
""".split()
STUDENT_PATHS = {"notes/mes-resultats/", "notes/mes-resultats/avis/",
                 "notes/mes-resultats/<int:instance_pk>/bulletin.pdf", "notes/api/etudiant/semestres/",
                 "notes/api/etudiant/semestres/<int:instance_pk>/"}
ANSWERS = {200, 301, 302, 405}  # 405: a page that only takes POST (a form's target) still exists


def concrete(path: str, values: dict) -> str:
    """Fill each <converter:argument> of a path with the world's object, chosen as the urlconf sweep does."""
    def value(match):
        before = path[:match.start()].rstrip("/").split("/")[-1] if "/" in path[:match.start()] else None
        key = (ARGUMENTS.get((before, match.group(1))) or ARGUMENTS.get((None, match.group(1)))
               or ARGUMENTS[match.group(1)])
        return str(values[key])
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", value, path).lstrip("/")


def test_every_path_of_before_resolves(world):
    for path in PATHS:
        resolve(concrete(path, world))  # raises Resolver404 for a lost path


@pytest.mark.parametrize("role", ["direction", "student"])
def test_every_path_of_before_answers_or_redirects_for_a_user_allowed_there(client, users, world, role):
    client.force_login(users[role])
    for path in PATHS:
        if (path in STUDENT_PATHS) != (role == "student") or path == "deconnexion/":
            continue
        url = concrete(path, world)
        assert client.get(url).status_code in ANSWERS, url
