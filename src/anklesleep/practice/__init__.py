"""The practice log as values: session records, what each day's slots add up to, and streaks.

Pure. May import `basics` and `schedule`.
"""
