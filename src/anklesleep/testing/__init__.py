"""Fakes and synthetic data for tests, benchmarks and screenshots (seeded histories, manual
clocks, recording outputs). Never imported by the app itself.

May import `basics` and the domains.
"""
