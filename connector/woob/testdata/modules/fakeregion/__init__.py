"""A fake woob module for iswigo's tests: no website, fixed data."""

from .module import FakeRegionModule

__all__ = ["FakeRegionModule"]
