"""Read the national référentiel de compétences from the XML file Orébut exports (the one ScoDoc imports).

Pure reading, no database: the bytes are bounded (size, element depth and count), parsed by defusedxml with
DTDs and entities forbidden, and turned into plain frozen dataclasses whose texts are normalised (line breaks
and indentation folded into single spaces). The variants other tools write are accepted: `nom_court` beside
`name`, `annee="BUT1"` beside `annee="1"`.

    <referentiel_competence specialite="GMP" specialite_long="…" type="B.U.T.">
      <competences>
        <competence name="Spécifier" numero="1" libelle_long="…" couleur="c1">
          <situations><situation>…</situation></situations>
          <composantes_essentielles><composante>…</composante></composantes_essentielles>
          <niveaux><niveau ordre="1" libelle="…" annee="1"><acs><ac code="AC11.01">…</ac></acs></niveau></niveaux>
        </competence>
      </competences>
      <parcours>
        <parcour numero="1" libelle="…" code="SNRV"><annee ordre="1"><competence nom="Spécifier" niveau="1"/></annee>
        </parcour>
      </parcours>
    </referentiel_competence>
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

MAX_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 10
MAX_ELEMENTS = 20_000

TOO_LARGE = "Fichier trop volumineux ({size} octets ; au plus {limit})."
TOO_DEEP = "Fichier refusé : imbrication trop profonde (plus de {limit} niveaux)."
TOO_MANY = "Fichier refusé : plus de {limit} éléments."
FORBIDDEN = "Fichier refusé : il déclare une DTD ou des entités (interdites dans un référentiel)."
NOT_XML = "Fichier illisible : ce n'est pas du XML bien formé ({detail})."
WRONG_ROOT = ("Ce n'est pas un référentiel de compétences : l'élément racine est <{tag}>, "
              "<referentiel_competence> attendu.")
MISSING = "{where} : attribut « {attribute} » manquant."
NOT_A_NUMBER = "{where} : « {value} » n'est pas un nombre ({attribute})."

_SPACES = re.compile(r"\s+")
_YEAR = re.compile(r"^(?:BUT)?\s*(\d)$", re.IGNORECASE)


class ReferentielError(ValueError):
    """The file is not a référentiel this reader accepts; the message, in French, says why and where."""


@dataclass(frozen=True)
class LearningOutcome:
    """An apprentissage critique."""

    code: str
    text: str


@dataclass(frozen=True)
class LevelText:
    order: int
    label: str
    year: int | None
    learnings: tuple[LearningOutcome, ...]


@dataclass(frozen=True)
class CompetenceText:
    name: str  # the short name, e.g. "Spécifier"
    number: int
    long_name: str
    situations: tuple[str, ...]
    components: tuple[str, ...]
    levels: tuple[LevelText, ...]


@dataclass(frozen=True)
class ParcoursStep:
    """One line of a parcours: in year `year`, competence `competence` at level `level`."""

    year: int
    competence: str
    level: int


@dataclass(frozen=True)
class ParcoursText:
    number: int | None
    code: str
    name: str
    steps: tuple[ParcoursStep, ...]


@dataclass(frozen=True)
class Referentiel:
    speciality: str
    speciality_name: str
    competences: tuple[CompetenceText, ...]
    parcours: tuple[ParcoursText, ...]


def normalise(text: str | None) -> str:
    """Fold line breaks and indentation into single spaces."""
    return _SPACES.sub(" ", text or "").strip()


def parse_referentiel(data: bytes) -> Referentiel:
    """Return the référentiel the bytes hold, or raise ReferentielError naming what is wrong."""
    return _read(_bounded_tree(data))


def _bounded_tree(data: bytes) -> Element:
    if len(data) > MAX_BYTES:
        raise ReferentielError(TOO_LARGE.format(size=len(data), limit=MAX_BYTES))
    depth = count = 0
    root = None
    try:
        for event, element in iterparse(io.BytesIO(data), events=("start", "end"), forbid_dtd=True):
            if event == "start":
                depth += 1
                count += 1
                root = element if root is None else root
                if depth > MAX_DEPTH:
                    raise ReferentielError(TOO_DEEP.format(limit=MAX_DEPTH))
                if count > MAX_ELEMENTS:
                    raise ReferentielError(TOO_MANY.format(limit=MAX_ELEMENTS))
            else:
                depth -= 1
    except DefusedXmlException as exc:
        raise ReferentielError(FORBIDDEN) from exc
    except ParseError as exc:
        raise ReferentielError(NOT_XML.format(detail=exc)) from exc
    if root is None:
        raise ReferentielError(NOT_XML.format(detail="document vide"))
    return root


def _read(root: Element) -> Referentiel:
    if root.tag != "referentiel_competence":
        raise ReferentielError(WRONG_ROOT.format(tag=root.tag))
    competences = tuple(_competence(element, index)
                        for index, element in enumerate(root.findall("competences/competence"), start=1))
    parcours = tuple(_parcours(element, index)
                     for index, element in enumerate(root.findall("parcours/parcour"), start=1))
    return Referentiel(speciality=normalise(root.get("specialite")),
                       speciality_name=normalise(root.get("specialite_long")),
                       competences=competences, parcours=parcours)


def _competence(element: Element, index: int) -> CompetenceText:
    name = normalise(element.get("name") or element.get("nom_court"))
    where = f"compétence n° {index}" + (f" « {name} »" if name else "")
    if not name:
        raise ReferentielError(MISSING.format(where=where, attribute="name"))
    levels = tuple(_level(level, f"{where}, niveau n° {position}")
                   for position, level in enumerate(element.findall("niveaux/niveau"), start=1))
    return CompetenceText(
        name=name, number=_number(element, "numero", where, required=False) or index,
        long_name=normalise(element.get("libelle_long")),
        situations=_texts(element.findall("situations/situation")),
        components=_texts(element.findall("composantes_essentielles/composante")),
        levels=levels)


def _level(element: Element, where: str) -> LevelText:
    learnings = tuple(LearningOutcome(code=normalise(ac.get("code")), text=normalise(ac.text))
                      for ac in element.findall("acs/ac") if normalise(ac.text))
    return LevelText(order=_number(element, "ordre", where), label=normalise(element.get("libelle")),
                     year=_year(element.get("annee"), where, "annee"), learnings=learnings)


def _parcours(element: Element, index: int) -> ParcoursText:
    code = normalise(element.get("code"))
    name = normalise(element.get("libelle"))
    where = f"parcours n° {index}" + (f" « {code or name} »" if code or name else "")
    if not code and not name:
        raise ReferentielError(MISSING.format(where=where, attribute="code"))
    steps = []
    for year in element.findall("annee"):
        year_number = _year(year.get("ordre"), where, "ordre")
        if year_number is None:
            raise ReferentielError(MISSING.format(where=f"{where}, année", attribute="ordre"))
        for line in year.findall("competence"):
            competence = normalise(line.get("nom") or line.get("name") or line.get("nom_court"))
            if not competence:
                raise ReferentielError(MISSING.format(where=f"{where}, année {year_number}", attribute="nom"))
            steps.append(ParcoursStep(year=year_number, competence=competence,
                                      level=_number(line, "niveau", f"{where}, {competence}")))
    return ParcoursText(number=_number(element, "numero", where, required=False), code=code, name=name,
                        steps=tuple(steps))


def _texts(elements: list[Element]) -> tuple[str, ...]:
    return tuple(text for text in (normalise("".join(e.itertext())) for e in elements) if text)


def _number(element: Element, attribute: str, where: str, *, required: bool = True) -> int | None:
    value = normalise(element.get(attribute))
    if not value:
        if required:
            raise ReferentielError(MISSING.format(where=where, attribute=attribute))
        return None
    if not value.isdigit():
        raise ReferentielError(NOT_A_NUMBER.format(where=where, value=value, attribute=attribute))
    return int(value)


def _year(value: str | None, where: str, attribute: str) -> int | None:
    """Read "1", "BUT1" or "BUT 1" as 1; nothing as None."""
    value = normalise(value)
    if not value:
        return None
    match = _YEAR.match(value)
    if match is None:
        raise ReferentielError(NOT_A_NUMBER.format(where=where, value=value, attribute=attribute))
    return int(match.group(1))
