"""What a person prints or looks at outside the app: the routine sheet, the step pictures,
the charts and the self-contained report; and the same charts laid out for screens of any
width (`screen_charts`: positions and words only, the web page draws them).

May import `basics` and the domains it draws (routine, insights, experiment, schedule).
"""
