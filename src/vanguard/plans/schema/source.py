"""YAML read into plain values, with the line of every field path."""

import re
from datetime import date

import yaml

from vanguard.plans.schema.specs import Problem


class _Missing:
    """Marker for a key that is absent, as opposed to present with a null value."""


MISSING = _Missing()


def read_yaml(text: str) -> tuple[object, dict[str, int], list[Problem]]:
    """Parse YAML into plain values plus a map from field path to 1-based line."""
    loader = yaml.SafeLoader(text)
    try:
        root = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        detail = " ".join(s for s in (exc.context, exc.problem) if s)
        return None, {}, [Problem(line, "(yaml)", f"YAML 语法错误：{detail}", detail)]
    except yaml.YAMLError as exc:
        return None, {}, [Problem(None, "(yaml)", "YAML 语法错误", str(exc))]
    finally:
        loader.dispose()
    if root is None:
        return None, {}, []
    lines: dict[str, int] = {}
    problems: list[Problem] = []
    value = _to_python(loader, root, "", lines, problems)
    return value, lines, problems


def _to_python(loader, node, path, lines, problems):
    """Build plain values from a YAML node, recording each value's line under its path."""
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        result = {}
        for key_node, value_node in node.value:
            key = _scalar(loader, key_node)
            key = str(key) if isinstance(key, int | date) else key
            child = child_path(path, key)
            if key in result:
                problems.append(
                    Problem(
                        key_node.start_mark.line + 1,
                        child,
                        "字段重复",
                        "duplicate key",
                    )
                )
                continue
            result[key] = _to_python(loader, value_node, child, lines, problems)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [
            _to_python(loader, item, f"{path}[{i}]", lines, problems)
            for i, item in enumerate(node.value)
        ]
    return _scalar(loader, node)


def _scalar(loader, node):
    """Construct a scalar; keep the raw text when YAML cannot (e.g. the date 2026-13-01)."""
    if not isinstance(node, yaml.ScalarNode):
        return node
    try:
        return loader.construct_object(node, deep=True)
    except (ValueError, yaml.YAMLError):
        return node.value


def child_path(path, key):
    """The path of a mapping's key: plain names dotted, anything else quoted in brackets."""
    key = str(key)
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key):
        return f"{path}.{key}" if path else key
    return f'{path}["{key}"]'
