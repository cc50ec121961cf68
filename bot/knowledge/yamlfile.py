"""Read YAML keeping the line of every mapping and key, so errors can name file:line."""

from __future__ import annotations

from pathlib import Path

import yaml

from .models import Problem


class Located(dict):
    """A YAML mapping that remembers where it and each of its keys stood."""

    line: int = 0
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


# libyaml's parser when PyYAML has it (its wheels do): about ten times faster than
# the pure-Python one, which dominates loading a large knowledge base.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_SafeLoader):
    pass


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> Located:
    loader.flatten_mapping(node)
    mapping = Located()
    mapping.line = node.start_mark.line + 1
    mapping.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in mapping:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.key_lines[str(key)] = key_node.start_mark.line + 1
    return mapping


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def read_yaml(path: Path, *, display: str | None = None) -> tuple[object, list[Problem]]:
    """Parse `path`; a syntax error comes back as a Problem naming the file and line."""
    name = display or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        return None, [Problem(name, 0, f"cannot read file: {error.strerror or error}")]
    except UnicodeDecodeError as error:
        return None, [Problem(name, 0, f"not UTF-8 text: {error.reason}")]
    try:
        return yaml.load(text, Loader=_Loader), []  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        line = mark.line + 1 if mark else 0
        message = f"YAML syntax error: {getattr(error, 'problem', None) or error}"
        context, start = getattr(error, "context", None), getattr(error, "context_mark", None)
        if context:
            message += f" ({context}"
            message += f" that starts at line {start.line + 1})" if start else ")"
        return None, [Problem(name, line, message)]
