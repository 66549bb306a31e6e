"""The YAML reader of scenario files: numbers read exactly (Decimal), aliases, duplicate keys and over-long integers
refused, each with its place in the file; and the error a malformed scenario file raises."""
from decimal import Decimal

import yaml
from yaml.constructor import ConstructorError


class ScenarioError(Exception):
    """A malformed scenario file; the message names the file, the key and the problem."""


MAX_FILE_BYTES = 2 * 1024 * 1024


class YamlLoader(yaml.SafeLoader):
    """Read YAML floats from their text as Decimal (9.995 is exactly 9.995); refuse aliases and duplicate keys.

    An alias (`*name`) can make a small file stand for billions of values (the "billion laughs"), and a
    duplicate key silently drops the first value: both are errors in a scenario.
    """

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise ConstructorError(None, None, f"alias « *{event.anchor} » : les ancres et alias ne sont pas permis",
                                   event.start_mark)
        return super().compose_node(parent, index)

    def construct_mapping(self, node, deep=False):
        if isinstance(node, yaml.MappingNode):
            seen = set()
            for key_node, _value in node.value:
                key = self.construct_object(key_node, deep=True)
                try:
                    duplicate = key in seen
                except TypeError:
                    duplicate = False  # unhashable: PyYAML says so below
                if duplicate:
                    raise ConstructorError(None, None, f"clé « {short(key)} » en double", key_node.start_mark)
                if not duplicate and hashable(key):
                    seen.add(key)
        return super().construct_mapping(node, deep=deep)

    def construct_yaml_int(self, node):
        try:
            return super().construct_yaml_int(node)
        except ValueError:
            raise ConstructorError(None, None, "entier trop long", node.start_mark) from None

    def construct_yaml_decimal(self, node):
        text = self.construct_scalar(node).replace("_", "")
        try:
            value = Decimal(text)
        except ArithmeticError:
            value = None
        if value is None or not value.is_finite():
            raise ConstructorError(None, None, f"nombre « {short(text)} » non permis", node.start_mark)
        return value


YamlLoader.add_constructor("tag:yaml.org,2002:float", YamlLoader.construct_yaml_decimal)
YamlLoader.add_constructor("tag:yaml.org,2002:int", YamlLoader.construct_yaml_int)


def hashable(value) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


def short(value, limit: int = 40) -> str:
    text = str(value)
    return text if len(text) <= limit else f"{text[:limit]}… ({len(text)} caractères)"
