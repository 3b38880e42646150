"""Typed helpers that read settings from environment variables and fail loudly.

A value may also come from a file named by ``<NAME>_FILE`` (for secrets mounted by
an orchestrator), which wins over the plain variable.
"""

import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _raw(name):
    path = os.environ.get(name + "_FILE")
    if path:
        try:
            with open(path, encoding="utf-8") as handle:
                return handle.read().strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE={path} cannot be read: {exc}") from exc
    return os.environ.get(name)


def env_str(name, default=None, *, required=False):
    value = _raw(name)
    if value is None or value == "":
        if required:
            raise ImproperlyConfigured(f"Environment variable {name} must be set.")
        return default
    return value


def env_bool(name, default=False):
    value = _raw(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={value!r} is not a boolean (use 1/0, true/false).")


def env_int(name, default):
    value = _raw(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}={value!r} is not an integer.") from exc


def env_list(name, default=()):
    value = _raw(name)
    if value is None or value.strip() == "":
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def read_key_file(path, name):
    """Read a secret generated into a file, for when the variable ``name`` is not set."""
    try:
        with open(path, encoding="utf-8") as handle:
            value = handle.read().strip()
    except FileNotFoundError:
        value = ""
    except OSError as exc:
        raise ImproperlyConfigured(f"{path} cannot be read: {exc}") from exc
    if not value:
        raise ImproperlyConfigured(
            f"Environment variable {name} must be set (or {name}_FILE), "
            f"or {path} must hold one: `make run` writes it."
        )
    return value
