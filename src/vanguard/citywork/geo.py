"""The geometry of grids is the project's shared geometry (``vanguard.core.geo``).

Kept as a name for citywork's modules; every app imports ``vanguard.core.geo`` itself.
"""

from vanguard.core.geo import bbox, contains, distance_m, rings

__all__ = ["bbox", "contains", "distance_m", "rings"]
