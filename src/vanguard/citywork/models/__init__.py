"""City work (城市更新管理): the third battle. Models are kept by subject."""

from vanguard.citywork.models.grids import Grid

__all__ = ["Grid"]
