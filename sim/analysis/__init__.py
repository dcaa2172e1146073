"""Output analysis: intervals, survival, bands, comparisons, the after-action story."""
