"""`python -m anklesleep` runs the command line."""

from anklesleep.cli import main

main()
