"""The Settings page: slot times, the time zone, the player's default options, the theme and
the language.

Everything on the form is checked before anything is stored, and both parts are saved in one
transaction, so a mistake changes nothing.
"""

from __future__ import annotations

from typing import Any

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from anklesleep.basics.errors import AnkleSleepError
from anklesleep.basics.i18n import N_, _, available
from anklesleep.routine.options import BED_SOFT, EXTRA_CIRCLE_CHOICES, RANGES
from anklesleep.schedule.slots import SLOT_LABELS, SLOTS
from anklesleep.store import language as language_store
from anklesleep.store import preferences as prefs_store
from anklesleep.store import slots as slots_store
from anklesleep.web import settings_words
from anklesleep.web.context import render, web_of
from anklesleep.web.forms import preferences_from_form, slots_from_form
from anklesleep.web.prepare import prepare_soon
from anklesleep.web.requests import with_form

#: the quiet bed's choices on the settings page: off, or a level in dB
BED_LEVELS: tuple[tuple[str, str], ...] = (
    ("off", N_("Off")),
    ("-54", N_("Very soft")),
    (f"{BED_SOFT:g}", N_("Soft")),
    ("-42", N_("Clearer")),
)


def language_choices() -> list[tuple[str, str]]:
    """The language choices, each language named in itself ("English", "日本語")."""
    from babel import Locale

    named = [(code, Locale.parse(code).get_display_name(code) or code) for code in available()]
    return [(language_store.AUTO, _("Automatic (browser)")), *named]


def installed_speakers() -> list[tuple[str, str]]:
    """The speech engines and voices installed here, the most natural first ("none" is the voice
    switch), each with a label naming the language it reads ("kokoro.jf_alpha (Japanese)"); a
    voice reads only its own language, the others keep their own voice."""
    from anklesleep.audio import voices

    found: list[tuple[str, str]] = []
    for name in voices.installed_speakers():
        language = voices.language_name(voices.engine_language(voices.installed_engine(name)))
        found.append((name, _("{voice} ({language})").format(voice=name, language=language)))
    return found


def form_values(
    slots: Any, prefs: prefs_store.Preferences, language: str = language_store.AUTO
) -> dict[str, str]:
    """The stored settings as the form's field values."""
    o = prefs.options
    values: dict[str, str] = {
        "language": language,
        "timezone": slots.timezone,
        "theme": prefs.theme,
        "tempo": f"{o.tempo:g}",
        "foot_order": o.foot_order or "routine",
        "first_foot": o.first_foot,
        "voice": "on" if o.voice else "",
        "speaker": o.speaker or "auto",
        "speech_rate": "" if o.speech_rate is None else str(o.speech_rate),
        "bed": "off" if o.bed is None else f"{o.bed:g}",
    }
    for name in ("hold", "release", "circle_pace", "tilt_pace"):
        value = getattr(o, name)
        values[name] = "" if value is None else f"{value:g}"
    for foot in ("left", "right"):
        values[f"extra_circles_{foot}"] = o.extra_circles.get(foot, "none")
    for name in SLOTS:
        slot = slots.slot(name)
        values[f"slot_{name}_time"] = slot.time.strftime("%H:%M")
        values[f"slot_{name}_enabled"] = "on" if slot.enabled else ""
        values[f"slot_{name}_routine"] = slot.routine
    return values


def _page(request: Request, values: dict[str, str], **extra: Any) -> Response:
    extra.setdefault("subscribe_url", subscribe_url(request))
    return render(
        request,
        "settings.html",
        values=values,
        slot_names=SLOTS,
        slot_labels=SLOT_LABELS,
        extra_choices=EXTRA_CIRCLE_CHOICES,
        ranges=RANGES,
        speakers=installed_speakers(),
        bed_levels=BED_LEVELS,
        languages=language_choices(),
        **extra,
    )


def settings_page(request: Request) -> Response:
    web = web_of(request)
    snap = web.snapshot()
    saved = request.query_params.get("saved") == "1"
    with web.engine.connect() as conn:
        language = language_store.load(conn)
    return _page(
        request,
        form_values(snap.slots, snap.prefs, language),
        saved=saved,
        snapshot=snap,
    )


def subscribe_url(request: Request) -> str:
    """The calendar feed's address for calendar apps, with the access token when there is one."""
    web = web_of(request)
    url = f"{request.url.scheme}://{request.url.netloc}/calendar.ics"
    return f"{url}?token={web.token}" if web.token else url


def settings_save(request: Request, form: FormData) -> Response:
    web = web_of(request)
    data = {key: str(value) for key, value in form.items()}
    current = web.slots()
    try:
        slots = slots_from_form(data, current)
        prefs = preferences_from_form(data)
        language = language_store.check(data.get("language") or language_store.AUTO)
    except AnkleSleepError as exc:
        found = settings_words.problems(data, exc)
        response = _page(request, data, problems=found)
        response.status_code = 400
        return response
    now = web.now()
    with web.engine.begin() as conn:
        slots_store.save(conn, slots, now)
        prefs_store.save(conn, prefs, now)
        language_store.save(conn, language, now)
    prepare_soon(request.app.state)  # the tracks the player will ask for next
    return RedirectResponse("/settings?saved=1", status_code=303)


def calendar_file(request: Request) -> Response:
    """The three moments as a daily calendar (.ics), each event linking to its player."""
    from anklesleep.services.calendar import calendar_bytes

    web = web_of(request)
    snap = web.snapshot()
    link = f"{request.url.scheme}://{request.url.netloc}/play/{{routine}}"
    data = calendar_bytes(
        web.engine, snap.slots, now=web.now(), link=link, options=snap.prefs.options
    )
    return Response(
        data,
        media_type="text/calendar; charset=utf-8",
        headers={"content-disposition": 'attachment; filename="anklesleep.ics"'},
    )


routes = [
    Route("/calendar.ics", calendar_file, name="calendar"),
    Route("/settings", settings_page, name="settings"),
    Route("/settings", with_form(settings_save), methods=["POST"], name="settings_save"),
]
