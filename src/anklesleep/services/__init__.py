"""Use cases that combine the core and the store, shared by both shells: what the insights and
the experiment load, Today (one view and one JSON shape for `today --json` and `/api/today`),
recording a terminal session, and the web access token.

May import `basics`, the domains and `store`; never `cli` or `web`.
"""
