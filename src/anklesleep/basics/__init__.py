"""Shared basics every layer may use: the one user-facing error type, translation, where
files live on this machine, and the one atomic file writer.

Imports nothing else from anklesleep.
"""
