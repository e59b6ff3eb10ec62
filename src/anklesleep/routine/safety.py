"""The safety notes and what the routine is (and is not), shared by every front end.

Shown before the very first session (acknowledged once, remembered in the setting
`safety_acknowledged_at`), on the web app's About page and on the printable routine sheet.
Messages are marked with `N_()` and translated where they are shown.
"""

from __future__ import annotations

from anklesleep.basics.i18n import N_, Translate

SETTING = "safety_acknowledged_at"

TITLE = N_("Before you start")

#: One sentence each, in the order of ROUTINE.md's safety list.
NOTES: tuple[str, ...] = (
    N_(
        "This is not medical advice and not a treatment: the method comes from one bodywork "
        "practitioner, not from clinical trials."
    ),
    N_("Press gently but firmly. Stop straight away if you feel pain, tingling or numbness."),
    N_(
        "Leave a leg alone if it is swollen, red, warm or painful: that can be a blood clot, so "
        "get medical help now. Also skip any spot with a recent sprain, break, operation, wound "
        "or skin infection."
    ),
    N_(
        "If you have diabetes, less feeling in your feet, or you are pregnant, check with a "
        "clinician before you begin."
    ),
    N_(
        "See a doctor if you sleep badly three or more nights a week for three months or more, "
        "if you snore loudly or stop breathing in your sleep, or if you are too sleepy to drive "
        "safely."
    ),
)

#: What the routine is and is not: the article's explanation, presented as a claim.
ABOUT = N_(
    "This routine follows a self-massage taught by Takeshi Shimizu, a Japanese judo bodywork "
    "therapist. In his view the ankle bone (the talus) has no muscles attached, drifts out of "
    "place during the day, and that drift tilts the pelvis, stiffens the spine, strains the "
    "nervous system and disturbs sleep. That is one practitioner's explanation: clinical "
    "research has not tested it. anklesleep does not promise that the routine helps; it guides "
    "you through it and lets you keep a sleep diary, so you can find out for yourself."
)

ACKNOWLEDGE = N_("I have read these notes")


def notes(t: Translate) -> tuple[str, ...]:
    """The safety notes in the user's language."""
    return tuple(t(note) for note in NOTES)
