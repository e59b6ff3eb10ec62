"""The personal experiment: the randomized block design (an N-of-1 trial), what it asks of
each day, and its analysis with honest uncertainty.

Pure. May import `basics`, `insights` and `practice`.
"""
