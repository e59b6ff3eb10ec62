"""Progress and trends: adherence, streaks, habit strength, rolling sleep means, complaint
trends, the nights-after-a-session association, and the small exact statistics they share
with the experiment.

Pure. May import `basics`, `diary`, `practice` and `schedule`.
"""
