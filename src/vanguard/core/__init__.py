"""Shared pieces: navigation, errors, the base templates."""
