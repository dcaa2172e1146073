"""Benchmarks of engine and batch speed, against bare SimPy, EMA Workbench and Mesa."""
