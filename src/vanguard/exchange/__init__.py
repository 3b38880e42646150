"""Excel import and export, shared by every app."""
