"""Pages of the third battle, by subject."""
