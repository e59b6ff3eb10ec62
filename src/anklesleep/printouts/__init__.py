"""What a person prints or looks at outside the app: the routine sheet, the step pictures,
the charts and the self-contained report.

May import `basics` and the domains it draws (routine, insights, experiment, schedule).
"""
