"""Experiments: many replications in chunks, on serial, local-process or Dask executors."""
