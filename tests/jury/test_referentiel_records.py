"""The référentiel import corrects texts of competences a closed jury decided on: the jury's record keeps its labels."""
import datetime

from curriculum.models import Competence, CompetenceLevel
from curriculum.referentiel import parse_referentiel
from curriculum.referentiel_import import referentiel_import
from demo.jury_promotion import make_promotion
from jury.decisions import proposals_accept
from jury.records import session_report
from jury.report import jury_report
from jury.scope import scope_of_session
from jury.sessions import session_close, session_create

XML = """<?xml version="1.0" encoding="UTF-8"?>
<referentiel_competence specialite="GMP" specialite_long="Génie mécanique et productique" type="B.U.T.">
  <competences>
    <competence name="Spécifier" numero="1" libelle_long="Spécifier les exigences
        technico-économiques industrielles" couleur="c1">
      <niveaux>
        <niveau ordre="2" libelle="Déterminer le besoin d'un client dans un cas industriel" annee="BUT2">
          <acs><ac code="AC21.01">Formaliser le besoin</ac></acs>
        </niveau>
      </niveaux>
    </competence>
  </competences>
</referentiel_competence>""".encode()


def test_a_closed_jury_keeps_the_labels_it_printed_after_the_texts_are_corrected(db, users):
    promotion = make_promotion(students=3, seed=4)
    session = session_create(semester_instances=[promotion.s3, promotion.s4], date=datetime.date(2026, 6, 20),
                             president="Mme Présidente", user=users["jury"])
    proposals_accept(session=session, user=users["jury"])
    session = session_close(session=session, user=users["jury"])
    printed = [(c.key, c.competence) for c in session_report(session).rcue_columns]
    assert printed[0] == ("C1-2", "Spécifier")

    report = referentiel_import(referentiel=parse_referentiel(XML), user=users["direction"])
    assert report.applied and not report.refused
    assert Competence.objects.get(code="C1").name == "Spécifier les exigences technico-économiques industrielles"
    assert CompetenceLevel.objects.get(competence__code="C1", level=2).critical_learnings.count() == 1
    assert [(c.key, c.competence) for c in session_report(session).rcue_columns] == printed  # the record's
    live = jury_report(scope=scope_of_session(session)).rcue_columns[0]
    assert (live.key, live.competence) == ("C1-2", "Spécifier les exigences technico-économiques industrielles")
