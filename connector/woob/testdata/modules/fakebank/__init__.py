"""A fake woob module for iswigo's tests: no website, fixed data."""

from .module import FakeBankModule

__all__ = ["FakeBankModule"]
