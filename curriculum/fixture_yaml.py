"""Read the YAML fixture files: numbers kept as their text (exact Decimals), typed access that fails with the
file name, the key path and the problem in French (FixtureError)."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, NoReturn

import yaml

SHEET_FIELDS = frozenset({
    "cm", "td", "tp", "project", "total", "cm_td", "coefficient", "resources_coefficient", "sae_coefficient", "ects",
    "module_td", "module_tp", "module_total", "domain_coefficient",
})
ZERO = Decimal("0")


class FixtureError(Exception):
    """A fixture file that cannot be loaded: the message names the file, the key path and the problem."""



class YamlNumber(str):
    """The text of a YAML number, kept as written so that it becomes an exact Decimal."""


# libyaml's parser when PyYAML was built with it (ten times faster on a programme file), else the Python one;
# both give the same documents and the same line and column of a problem.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _FixtureLoader(_SafeLoader):
    """Read numbers as their text and refuse a key given twice in one mapping."""

    def construct_mapping(self, node, deep=False):
        if isinstance(node, yaml.MappingNode):
            self.flatten_mapping(node)
            seen = set()
            for key_node, _value_node in node.value:
                key = self.construct_object(key_node, deep=True)
                if key in seen:
                    raise yaml.constructor.ConstructorError(
                        None, None, f"clé « {key} » en double", key_node.start_mark)
                seen.add(key)
        return super().construct_mapping(node, deep=deep)


def _construct_number(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> YamlNumber:
    return YamlNumber(loader.construct_scalar(node))


_FixtureLoader.add_constructor("tag:yaml.org,2002:int", _construct_number)
_FixtureLoader.add_constructor("tag:yaml.org,2002:float", _construct_number)


def read_fixture(path: str | Path) -> Any:
    """Return the parsed YAML of ``path``, numbers as YamlNumber (their text); FixtureError if unreadable."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise FixtureError(f"{path.name}: (fichier): fichier absent") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise FixtureError(f"{path.name}: (fichier): lecture impossible ({exc})") from None
    try:
        return yaml.load(text, Loader=_FixtureLoader)  # noqa: S506 — a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"ligne {mark.line + 1}, colonne {mark.column + 1}" if mark else "(document)"
        problem = getattr(exc, "problem", None) or str(exc)
        raise FixtureError(f"{path.name}: {where}: YAML invalide : {problem}") from None


def at(where: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{where}[{key}]"
    return f"{where}.{key}" if where else str(key)


def show(value: Any) -> str:
    if value is None:
        return "valeur vide"
    if isinstance(value, dict):
        return "un dictionnaire"
    if isinstance(value, list):
        return "une liste"
    return f"« {value} »"


@dataclass(frozen=True)
class Reader:
    """Typed access to the parsed YAML, failing with the file name and the key path."""

    filename: str

    def fail(self, where: str, problem: str) -> NoReturn:
        raise FixtureError(f"{self.filename}: {where or '(racine)'}: {problem}")

    def mapping(self, value: Any, where: str, *, allowed: frozenset[str], required: Iterable[str] = ()) -> dict:
        if not isinstance(value, dict):
            self.fail(where, f"dictionnaire attendu, {show(value)} reçu")
        for key in value:
            if key not in allowed:
                self.fail(at(where, str(key)), "clé inconnue")
        for key in required:
            if key not in value:
                self.fail(at(where, key), "clé obligatoire absente")
        return value

    def sequence(self, value: Any, where: str, *, allow_none: bool = False) -> list:
        if value is None and allow_none:
            return []
        if not isinstance(value, list):
            self.fail(where, f"liste attendue, {show(value)} reçu")
        return value

    def text(self, data: dict, key: str, where: str, *, required: bool = False, default: str = "") -> str:
        value = data.get(key)
        if value is None:
            if required:
                self.fail(at(where, key), "texte attendu, valeur vide")
            return default
        value = self.string(value, at(where, key))
        if required and not value:
            self.fail(at(where, key), "texte attendu, valeur vide")
        return value

    def string(self, value: Any, where: str) -> str:
        if isinstance(value, bool) or not isinstance(value, str):
            self.fail(where, f"texte attendu, {show(value)} reçu")
        return str(value).strip()

    def number(self, value: Any, where: str) -> Decimal:
        if not isinstance(value, YamlNumber):
            self.fail(where, f"nombre attendu, {show(value)} reçu")
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            self.fail(where, f"nombre invalide {show(value)}")
        if not number.is_finite():
            self.fail(where, f"nombre invalide {show(value)}")
        if number < 0:
            self.fail(where, f"nombre négatif {show(value)}")
        return number

    def decimal(self, data: dict, key: str, where: str, *, default: Decimal | None = ZERO,
                nullable: bool = False) -> Decimal | None:
        if key not in data:
            return default
        if data[key] is None:
            if nullable:
                return None
            self.fail(at(where, key), "nombre attendu, valeur vide")
        return self.number(data[key], at(where, key))

    def integer(self, data: dict, key: str, where: str, *, default: int | None = None) -> int:
        if key not in data and default is not None:
            return default
        number = self.decimal(data, key, where)
        if number != number.to_integral_value():
            self.fail(at(where, key), f"nombre entier attendu, « {data[key]} » reçu")
        return int(number)

    def choice(self, data: dict, key: str, where: str, choices: Iterable[str]) -> str:
        value = self.text(data, key, where, required=True)
        choices = list(choices)
        if value not in choices:
            self.fail(at(where, key), f"valeur « {value} » inconnue (attendu : {', '.join(choices)})")
        return value

    def sheet(self, data: dict, where: str) -> None:
        """Check a ``sheet:`` block and its ``sheet_mismatch:`` list (they are not stored)."""
        sheet = data.get("sheet")
        if sheet is not None:
            self.mapping(sheet, at(where, "sheet"), allowed=SHEET_FIELDS)
            for key, value in sheet.items():
                self.number(value, at(at(where, "sheet"), key))
        mismatch = self.sequence(data.get("sheet_mismatch"), at(where, "sheet_mismatch"), allow_none=True)
        for index, name in enumerate(mismatch):
            if not isinstance(name, str) or name not in (sheet or {}):
                self.fail(at(at(where, "sheet_mismatch"), index), f"champ {show(name)} absent de sheet")
        if mismatch and not self.text(data, "notes", where):
            self.fail(at(where, "notes"), "un écart déclaré (sheet_mismatch) doit être expliqué dans notes")


def unique(reader: Reader, items: list[tuple[Any, str]], what: str) -> None:
    seen = set()
    for key, where in items:
        if key in seen:
            reader.fail(where, f"{what} « {key} » en double")
        seen.add(key)
