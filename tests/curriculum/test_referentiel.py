"""The référentiel import: Orébut's XML read bounded and safe, applied to the reference data, journaled."""
import json
import re
from pathlib import Path

import pytest
from django.core.management import call_command

from curriculum.models import (
    Competence,
    CompetenceLevel,
    CriticalLearning,
    Parcours,
    ReferenceChange,
    Speciality,
)
from curriculum.referentiel import (
    FORBIDDEN,
    MAX_BYTES,
    MAX_ELEMENTS,
    TOO_DEEP,
    TOO_LARGE,
    TOO_MANY,
    ReferentielError,
    parse_referentiel,
)
from curriculum.referentiel_import import ReferentielRefused, referentiel_import

XML = Path(__file__).parent / "data" / "referentiel_gmp.xml"
PLACEHOLDER = "Niveau {n} (libellé non fourni par les sources)"


@pytest.fixture
def gmp(db):
    speciality = Speciality.objects.create(code="GMP", name="Génie mécanique et productique")
    ipi = Parcours.objects.create(speciality=speciality, code="IPI", name="Innovation pour l'industrie")
    mpi = Parcours.objects.create(speciality=speciality, code="MPI", name="Management de process industriel")
    competences = {}
    for number, (code, short, parcours, levels) in enumerate((
            ("C1", "Spécifier", None, 3), ("C2", "Développer", None, 3),
            ("IPI", "Innovation pour l'industrie", ipi, 1), ("MPI", "Manager", mpi, 2)), start=1):
        competence = Competence.objects.create(speciality=speciality, code=code, number=min(number, 5),
                                               short_name=short, name=f"{short} (intitulé)", parcours=parcours)
        for level in range(1, levels + 1):
            CompetenceLevel.objects.create(competence=competence, level=level, label=PLACEHOLDER.format(n=level))
        competences[code] = competence
    return competences


def label(code: str, level: int) -> str:
    return CompetenceLevel.objects.get(competence__code=code, level=level).label


def learnings(code: str, level: int) -> list[tuple[str, str]]:
    return list(CriticalLearning.objects.filter(level__competence__code=code, level__level=level)
                .order_by("order").values_list("code", "text"))


def test_the_reader_normalises_texts_and_accepts_the_attribute_variants():
    referentiel = parse_referentiel(XML.read_bytes())
    specify, develop, innovate, _ = referentiel.competences
    assert specify.long_name == "Spécifier les exigences technico-économiques industrielles"
    assert specify.situations == ("Analyse d'un besoin client", "Rédaction d'un cahier des charges")
    assert specify.levels[0].label == "Identifier le besoin d'un client dans un cas simple"
    assert specify.levels[0].learnings[0].text == "Recueillir les données du besoin"
    assert develop.name == "Développer"  # nom_court
    assert develop.levels[0].year == 1  # annee="BUT1"
    assert [level.year for level in innovate.levels] == [2, 3]
    assert [(p.code, len(p.steps)) for p in referentiel.parcours] == [("II", 4), ("MPI", 2)]


def test_it_fills_labels_texts_and_learnings_per_level(gmp):
    report = referentiel_import(referentiel=parse_referentiel(XML.read_bytes()), user=None)
    assert report.applied and not report.refused
    assert label("C1", 1) == "Identifier le besoin d'un client dans un cas simple"
    assert label("C1", 3) == "Piloter la spécification d'un produit complexe"
    assert label("C2", 1) == "Proposer des solutions dans un cas simple"
    assert label("C2", 3) == PLACEHOLDER.format(n=3)  # not in the file: kept
    assert learnings("C1", 1) == [("AC11.01", "Recueillir les données du besoin"),
                                  ("AC11.02", "Lire un cahier des charges")]
    assert learnings("C1", 2) == [("AC21.01", "Formaliser le besoin")]
    specify = Competence.objects.get(code="C1")
    assert specify.name == "Spécifier les exigences technico-économiques industrielles"
    assert specify.situations.splitlines() == ["Analyse d'un besoin client", "Rédaction d'un cahier des charges"]
    assert specify.essential_components.splitlines() == ["En respectant les normes", "En dialoguant avec le client"]
    assert "« Développer » niveau 3 : absent du fichier, gardé tel quel" in report.kept


def test_a_parcours_is_matched_by_name_when_the_codes_differ(gmp):
    report = referentiel_import(referentiel=parse_referentiel(XML.read_bytes()), user=None)
    assert "parcours II → IPI (par nom)" in report.matched
    assert "parcours MPI → MPI (par code)" in report.matched
    # « Innover » is named nowhere in the database, but only II follows it: it is IPI's own competence.
    assert "Innover → IPI" in report.matched
    assert label("IPI", 1) == "Proposer une innovation simple"
    assert label("IPI", 2) == "Conduire un projet d'innovation"  # level added (nothing frozen)
    assert "Innovation pour l'industrie niveau 2" in report.added
    assert label("MPI", 1) == "Organiser une production"
    assert not report.unplaced


def test_a_second_run_changes_nothing(gmp):
    referentiel = parse_referentiel(XML.read_bytes())
    first = referentiel_import(referentiel=referentiel, user=None)
    written = ReferenceChange.objects.count()
    assert written == len(first.changes) > 10
    second = referentiel_import(referentiel=referentiel, user=None)
    assert second.changes == [] and second.added == []
    assert ReferenceChange.objects.count() == written


def test_a_dry_run_writes_nothing_and_shows_the_changes(gmp):
    report = referentiel_import(referentiel=parse_referentiel(XML.read_bytes()), user=None, dry_run=True)
    assert not report.applied
    assert any(c.field == "libellé" and c.subject == "Spécifier niveau 1" for c in report.changes)
    assert label("C1", 1) == PLACEHOLDER.format(n=1)
    assert not CompetenceLevel.objects.filter(competence__code="IPI", level=2).exists()
    assert ReferenceChange.objects.count() == 0


@pytest.fixture
def frozen(gmp, make_programme, make_semester_instance):
    """A programme whose S1 (UEs on C1 and C2 level 1) a jury has locked."""
    instance = make_semester_instance(programme=make_programme(number=1, ues=2))
    instance.is_locked = True
    instance.save()
    return instance.semester.programme


def test_texts_of_a_frozen_programme_competence_may_be_corrected_and_are_journaled(frozen, users):
    report = referentiel_import(referentiel=parse_referentiel(XML.read_bytes()), user=users["direction"])
    assert report.applied
    assert label("C1", 1) == "Identifier le besoin d'un client dans un cas simple"
    change = ReferenceChange.objects.get(subject="Spécifier niveau 1", field="libellé")
    assert (change.old_value, change.user.username) == (PLACEHOLDER.format(n=1), "direction")


def test_a_level_added_to_a_competence_a_frozen_programme_uses_is_refused(frozen):
    CompetenceLevel.objects.filter(competence__code="C1", level=3).delete()
    with pytest.raises(ReferentielRefused) as refused:
        referentiel_import(referentiel=parse_referentiel(XML.read_bytes()), user=None)
    assert refused.value.report.refused == [
        f"niveau 3 de « Spécifier » ajouté alors que {frozen.code} (figé) utilise cette compétence"]
    assert refused.value.message.startswith("Import refusé, rien n'a été enregistré : niveau 3 de « Spécifier »")
    assert not CompetenceLevel.objects.filter(competence__code="C1", level=3).exists()
    assert label("C1", 1) == PLACEHOLDER.format(n=1)  # nothing written, texts included
    assert ReferenceChange.objects.count() == 0


ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<referentiel_competence specialite="GMP"><competences/>&x;</referentiel_competence>"""


def test_a_file_declaring_an_external_entity_is_refused():
    with pytest.raises(ReferentielError, match=f"^{re.escape(FORBIDDEN)}$"):
        parse_referentiel(ENTITY)


def test_a_file_nested_too_deep_is_refused():
    deep = b"<referentiel_competence>" + b"<a>" * 20 + b"</a>" * 20 + b"</referentiel_competence>"
    with pytest.raises(ReferentielError, match=re.escape(TOO_DEEP.format(limit=10))):
        parse_referentiel(deep)


@pytest.mark.parametrize("data,message", [
    (b"<programme/>", "l'élément racine est <programme>"),
    (b"<referentiel_competence><competences><competence numero='1'/></competences></referentiel_competence>",
     "compétence n° 1 : attribut « name » manquant."),
    (b"<referentiel_competence><competences><competence name='A'><niveaux><niveau ordre='x'/></niveaux>"
     b"</competence></competences></referentiel_competence>", "« x » n'est pas un nombre (ordre)"),
    (b"<referentiel_competence>", "pas du XML bien formé"),
])
def test_it_names_what_is_wrong_in_a_malformed_file(data, message):
    with pytest.raises(ReferentielError, match=re.escape(message)):
        parse_referentiel(data)


def test_the_command_prints_the_report_and_refuses_a_malformed_file(gmp, tmp_path, capsys):
    call_command("import_referentiel", str(XML), "--dry-run")
    out = json.loads(capsys.readouterr().out)
    assert out["applied"] is False and "parcours II → IPI (par nom)" in out["matched"]
    assert label("C1", 1) == PLACEHOLDER.format(n=1)
    bad = tmp_path / "bad.xml"
    bad.write_bytes(ENTITY)
    with pytest.raises(SystemExit) as exit_:
        call_command("import_referentiel", str(bad))
    assert exit_.value.code == 2
    assert FORBIDDEN in capsys.readouterr().err


def test_direction_previews_then_confirms_the_import_on_the_page(gmp, client, users):
    client.force_login(users["direction"])
    with XML.open("rb") as handle:
        preview = client.post("/programmes/referentiel/", {"file": handle})
    assert preview.status_code == 200
    page = preview.content.decode()
    assert "parcours II → IPI (par nom)" in page and "Identifier le besoin d&#x27;un client" in page
    assert label("C1", 1) == PLACEHOLDER.format(n=1)  # the preview wrote nothing
    token = preview.context["confirm_form"].initial["token"]
    done = client.post("/programmes/referentiel/confirmer/", {"token": token}, follow=True)
    assert "Référentiel importé" in done.content.decode()
    assert label("C1", 1) == "Identifier le besoin d'un client dans un cas simple"
    again = client.post("/programmes/referentiel/confirmer/", {"token": token}, follow=True)
    assert "Aperçu expiré" in again.content.decode()


def test_the_page_is_for_direction_only(gmp, client, users):
    client.force_login(users["secretariat"])
    assert client.get("/programmes/referentiel/").status_code == 403


def test_a_competence_added_where_a_frozen_programme_runs_is_refused(frozen):
    """A common competence the database lacks (followed by every parcours) would change the frozen programme."""
    added = XML.read_text(encoding="utf-8").replace("  </competences>", """    <competence name="Réaliser" numero="3"
        libelle_long="Concrétiser la solution technique retenue" couleur="c3">
      <niveaux><niveau ordre="1" libelle="Réaliser une pièce simple" annee="1"/></niveaux>
    </competence>
  </competences>""").replace("""        <competence nom="Développer" niveau="1"/>
      </annee>""", """        <competence nom="Développer" niveau="1"/>
        <competence nom="Réaliser" niveau="1"/>
      </annee>""").replace("""      <annee ordre="2">
        <competence nom="Spécifier" niveau="2"/>
        <competence nom="Gérer" niveau="1"/>""", """      <annee ordre="2">
        <competence nom="Spécifier" niveau="2"/>
        <competence nom="Réaliser" niveau="2"/>
        <competence nom="Gérer" niveau="1"/>""")
    with pytest.raises(ReferentielRefused) as refused:
        referentiel_import(referentiel=parse_referentiel(added.encode()), user=None)
    assert refused.value.report.refused == [
        f"compétence « Réaliser » ajoutée alors que {frozen.code} (figé) suit ce parcours"]
    assert not Competence.objects.filter(code="C3").exists()
    assert ReferenceChange.objects.count() == 0
    dry = referentiel_import(referentiel=parse_referentiel(added.encode()), user=None, dry_run=True)
    assert dry.refused == refused.value.report.refused and "compétence « Réaliser » (C3)" in dry.added


def test_a_file_past_the_size_or_element_limits_is_refused_before_it_is_read():
    with pytest.raises(ReferentielError, match=re.escape(TOO_LARGE.format(size=MAX_BYTES + 1, limit=MAX_BYTES))):
        parse_referentiel(b" " * (MAX_BYTES + 1))
    many = b"<referentiel_competence>" + b"<a/>" * MAX_ELEMENTS + b"</referentiel_competence>"
    with pytest.raises(ReferentielError, match=re.escape(TOO_MANY.format(limit=MAX_ELEMENTS))):
        parse_referentiel(many)
