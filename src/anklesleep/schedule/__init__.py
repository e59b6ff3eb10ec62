"""The three daily slots (morning, home, bedtime): their times and which slot a moment is in,
the reminder calendar (.ics), the reminder service's logic, desktop notifications and time
zones.

Pure where it can be (slots, calendar); the clock and notifications come in through seams.
May import `basics` and `routine`.
"""
