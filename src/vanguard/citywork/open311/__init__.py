"""Open311 GeoReport v2 over the city cases (docs/open311.md)."""
