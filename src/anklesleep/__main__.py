"""`python -m anklesleep` runs the command line (with its exit status)."""

from anklesleep.cli import main

raise SystemExit(main())
