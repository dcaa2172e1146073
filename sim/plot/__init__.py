"""Plots: pure functions that draw analysed data onto an axes (``ax=None`` makes one).

matplotlib is imported only in this package (ruff TID251 enforces it). Plots take analysed
results and stored traces; nothing here runs the engine.
"""
