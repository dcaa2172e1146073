"""Plots: pure functions that draw analysed data onto an axes (``ax=None`` makes one).

matplotlib is imported only in this package (ruff TID251 enforces it); nothing here runs the
engine except :mod:`sim.plot.standard`, which re-simulates the one representative replication
whose timeline it draws.
"""
