"""Nights from sleep trackers: recognizing an export by its content (Sleep as Android CSV,
Fitbit CSV and JSON, Apple Health export.xml), reading it as a stream, and turning what it
holds into tracker nights assigned to the morning's date in the user's time zone.

Pure apart from `files` (which opens a file, a folder or a zip with size limits). May import
`basics`. The rules are described for users in `docs/data.md`.
"""
