"""The web shell: a Starlette app of server-rendered pages, a JSON API under `/api/` and small
vanilla JS modules, all served from the package (no CDN, no web fonts).

Parses requests, calls `services`, the store and the domains, and presents; may import
everything below it but never `cli`.
"""
