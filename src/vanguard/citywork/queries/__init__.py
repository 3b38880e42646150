"""Reads of the third battle's weekly work, always through ``org.access``, by subject."""
