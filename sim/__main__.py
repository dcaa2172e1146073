"""``python -m sim`` runs the ``wargame`` command line."""

from sim.cli import main

main()
