"""`python -m anklesleep` runs the command line (with its exit status)."""

from anklesleep.cli import main

if __name__ == "__main__":  # not when a spawned child process re-imports this module
    raise SystemExit(main())
