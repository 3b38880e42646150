"""Change log."""
