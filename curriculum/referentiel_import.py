"""Apply a référentiel de compétences (`curriculum.referentiel`) to the speciality's reference data.

Competences are matched by name (short name, then long name), parcours by code, else by name (the national file
codes « Innovation pour l'industrie » `II` where the fixtures say `IPI`). Texts — long names, situations,
essential components, level labels, apprentissages critiques — are filled or corrected, on competences that frozen
programmes use too: they change no result (closed jury records keep the labels they printed). What would change a
frozen programme's structure, a competence or a level added where one of them runs, is refused and nothing is
written. Every change is journaled (`ReferenceChange`); a second run of the same file changes nothing.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction

from curriculum import audit
from curriculum.audit import Action, Change
from curriculum.models import (
    UE,
    Competence,
    CompetenceLevel,
    CriticalLearning,
    Parcours,
    Programme,
    ReferenceChange,
    Speciality,
)
from curriculum.referentiel import CompetenceText, LevelText, Referentiel
from curriculum.versions import locked_semester_labels

NO_SPECIALITY = "Spécialité « {code} » inconnue : chargez d'abord le référentiel de la spécialité (load_programmes)."
REFUSED = "Import refusé, rien n'a été enregistré : {reasons}"
LEVEL_FROZEN = "niveau {level} de « {competence} » ajouté alors que {programmes} (figé) utilise cette compétence"
COMPETENCE_FROZEN = "compétence « {competence} » ajoutée alors que {programmes} (figé) suit ce parcours"
LEVEL_OUT_OF_RANGE = "« {competence} » niveau {level} : un niveau va de 1 à 3"
COMPETENCE_UNPLACED = "compétence « {competence} » : aucune compétence de ce nom, et aucun parcours connu ne la suit"
COMPETENCE_CODE_TAKEN = "compétence « {competence} » : le code {code} est déjà pris par une autre compétence"
PARCOURS_UNPLACED = "parcours « {name} » ({code}) : ni ce code ni ce nom dans la spécialité"
STEP_UNPLACED = "parcours {parcours}, année {year} : compétence « {competence} » inconnue du fichier"
KEPT = "« {competence} » niveau {level} : absent du fichier, gardé tel quel"

SEPARATOR = "\n"


class ReferentielRefused(Exception):
    def __init__(self, message: str, report: ReferentielReport):
        super().__init__(message)
        self.message = message
        self.report = report


@dataclass
class ReferentielReport:
    matched: list[str] = field(default_factory=list)  # "Spécifier → C1", "II → IPI"
    added: list[str] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    unplaced: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    applied: bool = False

    def as_dict(self) -> dict:
        return {"matched": self.matched, "added": self.added, "changed": [str(c) for c in self.changes],
                "unplaced": self.unplaced, "refused": self.refused, "kept": self.kept, "applied": self.applied}


def fold(text: str) -> str:
    return " ".join(text.replace("’", "'").split()).casefold()


def referentiel_import(*, referentiel: Referentiel, user, dry_run: bool = False) -> ReferentielReport:
    """Compare the file with the database, then (unless `dry_run`) write every change in one transaction."""
    with transaction.atomic():
        speciality = Speciality.objects.filter(code__iexact=referentiel.speciality).first()
        if speciality is None:
            raise ReferentielRefused(NO_SPECIALITY.format(code=referentiel.speciality), ReferentielReport())
        report = ReferentielReport()
        _Importer(speciality=speciality, referentiel=referentiel, report=report).run()
        if report.refused and not dry_run:
            raise ReferentielRefused(REFUSED.format(reasons=" ; ".join(report.refused)), report)
        if dry_run:
            transaction.set_rollback(True)
        else:
            _journal(speciality=speciality, changes=report.changes, user=user)
            report.applied = True
    return report


def _journal(*, speciality: Speciality, changes: list[Change], user) -> None:
    audit.reference_record(speciality_id=speciality.pk, changes=changes, user=user,
                           source=ReferenceChange.Source.REFERENTIEL)


class _Importer:
    """One run: loads the speciality's reference in a few queries, then walks the file."""

    def __init__(self, *, speciality: Speciality, referentiel: Referentiel, report: ReferentielReport):
        self.speciality = speciality
        self.file = referentiel
        self.report = report
        self.competences = list(Competence.objects.filter(speciality=speciality).select_related("parcours")
                                .prefetch_related("levels__critical_learnings"))
        self.parcours = list(Parcours.objects.filter(speciality=speciality))
        self.frozen = self._frozen_programmes()

    def _frozen_programmes(self) -> dict[int, tuple[str, int, set[int]]]:
        """Return, per frozen programme id: its code, its parcours id and the competences its UEs use."""
        frozen = {}
        for programme in Programme.objects.filter(speciality=self.speciality).only("pk", "code", "parcours_id"):
            if locked_semester_labels(programme.pk):
                frozen[programme.pk] = (programme.code, programme.parcours_id, set())
        for programme_id, competence_id in (UE.objects.filter(semester__programme_id__in=frozen)
                                            .values_list("semester__programme_id", "competence_level__competence_id")):
            frozen[programme_id][2].add(competence_id)
        return frozen

    def run(self) -> None:
        parcours_of = self._match_parcours()
        names = {fold(c.name) for c in self.file.competences}
        for parcours in self.file.parcours:
            for step in parcours.steps:
                if fold(step.competence) not in names:
                    self.report.unplaced.append(STEP_UNPLACED.format(
                        parcours=parcours.code or parcours.name, year=step.year, competence=step.competence))
        for text in self.file.competences:
            competence = self._match_competence(text, parcours_of)
            if competence is None:
                competence = self._add_competence(text, parcours_of)
                if competence is None:
                    continue
            else:
                self.report.matched.append(f"{text.name} → {competence.code}")
            self._update_competence(competence, text)

    # Parcours -----------------------------------------------------------------------------------------------
    def _match_parcours(self) -> dict[str, Parcours]:
        """Return the database parcours of each file parcours (keyed by the file's code or name)."""
        by_code = {p.code.casefold(): p for p in self.parcours}
        by_name = {fold(p.name): p for p in self.parcours}
        found = {}
        for text in self.file.parcours:
            parcours = by_code.get(text.code.casefold()) if text.code else None
            how = "code"
            if parcours is None:
                parcours, how = by_name.get(fold(text.name)), "nom"
            if parcours is None:
                self.report.unplaced.append(PARCOURS_UNPLACED.format(name=text.name, code=text.code or "sans code"))
                continue
            found[text.code or text.name] = parcours
            self.report.matched.append(f"parcours {text.code or text.name} → {parcours.code} (par {how})")
        return found

    # Competences --------------------------------------------------------------------------------------------
    def _match_competence(self, text: CompetenceText, parcours_of: dict[str, Parcours]) -> Competence | None:
        """Match by name; else, for a competence only one parcours follows, that parcours' own competence."""
        for key, attribute in ((text.name, "short_name"), (text.name, "name"), (text.long_name, "name"),
                               (text.name, "code")):
            if not key:
                continue
            hits = [c for c in self.competences if fold(getattr(c, attribute)) == fold(key)]
            if len(hits) == 1:
                return hits[0]
        followers = self._followers(text, parcours_of)
        if len(followers) == 1 and len(self.file.parcours) > 1:
            own = [c for c in self.competences if c.parcours_id == next(iter(followers))]
            if len(own) == 1:
                return own[0]
        return None

    def _followers(self, text: CompetenceText, parcours_of: dict[str, Parcours]) -> dict[int, Parcours]:
        """Return the database parcours whose file lines name this competence."""
        return {parcours_of[p.code or p.name].pk: parcours_of[p.code or p.name] for p in self.file.parcours
                if (p.code or p.name) in parcours_of and any(fold(s.competence) == fold(text.name)
                                                             for s in p.steps)}

    def _add_competence(self, text: CompetenceText, parcours_of: dict[str, Parcours]) -> Competence | None:
        followed_by = self._followers(text, parcours_of)
        every = len(followed_by) == len(self.file.parcours) and len(followed_by) > 1
        if not followed_by:
            self.report.unplaced.append(COMPETENCE_UNPLACED.format(competence=text.name))
            return None
        parcours = None if every or len(followed_by) > 1 else next(iter(followed_by.values()))
        code = parcours.code if parcours else f"C{text.number}"
        if any(c.code == code for c in self.competences):
            self.report.unplaced.append(COMPETENCE_CODE_TAKEN.format(competence=text.name, code=code))
            return None
        frozen = [code_ for code_, parcours_id, _ in self.frozen.values()
                  if parcours is None or parcours_id == parcours.pk]
        if frozen:
            self.report.refused.append(COMPETENCE_FROZEN.format(competence=text.name, programmes=", ".join(frozen)))
        competence = Competence.objects.create(
            speciality=self.speciality, code=code, number=text.number, short_name=text.name[:60],
            name=(text.long_name or text.name)[:250], parcours=parcours)
        self.competences.append(competence)
        self.report.added.append(f"compétence « {text.name} » ({code})")
        self.report.changes.append(Change(Action.CREATE, text.name, new=code))
        return competence

    def _update_competence(self, competence: Competence, text: CompetenceText) -> None:
        new = {"name": text.long_name[:250] or competence.name, "situations": SEPARATOR.join(text.situations),
               "essential_components": SEPARATOR.join(text.components)}
        labels = {"name": "intitulé", "situations": "situations professionnelles",
                  "essential_components": "composantes essentielles"}
        changed = []
        for attribute, value in new.items():
            if getattr(competence, attribute) != value:
                self.report.changes.append(Change(Action.UPDATE, competence.short_name, field=labels[attribute],
                                                  old=getattr(competence, attribute), new=value))
                setattr(competence, attribute, value)
                changed.append(attribute)
        if changed:
            competence.save(update_fields=changed)
        levels = {level.level: level for level in competence.levels.all()}
        for level_text in text.levels:
            self._update_level(competence, levels.get(level_text.order), level_text)
        for number in sorted(set(levels) - {lt.order for lt in text.levels}):
            self.report.kept.append(KEPT.format(competence=competence.short_name, level=number))

    def _update_level(self, competence: Competence, level: CompetenceLevel | None, text: LevelText) -> None:
        subject = f"{competence.short_name} niveau {text.order}"
        if level is None:
            if not 1 <= text.order <= 3:
                self.report.unplaced.append(LEVEL_OUT_OF_RANGE.format(competence=competence.short_name,
                                                                      level=text.order))
                return
            frozen = [code for code, _, used in self.frozen.values() if competence.pk in used]
            if frozen:
                self.report.refused.append(LEVEL_FROZEN.format(level=text.order, competence=competence.short_name,
                                                               programmes=", ".join(frozen)))
            level = CompetenceLevel.objects.create(competence=competence, level=text.order,
                                                   label=text.label[:250] or f"Niveau {text.order}")
            self.report.added.append(subject)
            self.report.changes.append(Change(Action.CREATE, subject, new=level.label))
            existing = []
        else:
            if text.label and level.label != text.label[:250]:
                self.report.changes.append(Change(Action.UPDATE, subject, field="libellé", old=level.label,
                                                  new=text.label[:250]))
                level.label = text.label[:250]
                level.save(update_fields=["label"])
            existing = list(level.critical_learnings.all())
        self._update_learnings(level, subject, existing, text)

    def _update_learnings(self, level: CompetenceLevel, subject: str, existing: list[CriticalLearning],
                          text: LevelText) -> None:
        by_code = {learning.code: learning for learning in existing if learning.code}
        seen = set()
        for order, outcome in enumerate(text.learnings, start=1):
            learning = by_code.get(outcome.code) if outcome.code else None
            if learning is None and not outcome.code:
                learning = next((x for x in existing if not x.code and x.order == order), None)
            name = outcome.code or f"{subject}, AC n° {order}"
            if learning is None:
                CriticalLearning.objects.create(level=level, code=outcome.code[:20], text=outcome.text, order=order)
                self.report.changes.append(Change(Action.CREATE, name, new=outcome.text))
                continue
            seen.add(learning.pk)
            if (learning.text, learning.order) != (outcome.text, order):
                if learning.text != outcome.text:
                    self.report.changes.append(Change(Action.UPDATE, name, field="texte", old=learning.text,
                                                      new=outcome.text))
                learning.text, learning.order = outcome.text, order
                learning.save(update_fields=["text", "order"])
        for learning in existing:
            if learning.pk not in seen:
                self.report.changes.append(Change(Action.DELETE, learning.code or subject, old=learning.text))
                learning.delete()
