"""The Insights page: how regularly you practise and how your nights and complaints change.

The numbers come from `anklesleep.insights.progress`. The page draws its charts itself from
`anklesleep.printouts.screen_charts` (HTML text at its real size over a stretched inline SVG, a
table behind each, see docs/web.md), so they read on a 320 px phone. The matplotlib drawings of
`anklesleep.printouts.charts` stay available as separate SVG images (`/insights/NAME.svg`, each
with its own narrow Content-Security-Policy) for printing and saving.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from anklesleep.basics.i18n import translator
from anklesleep.services.evidence import experiment_power_sentence
from anklesleep.store import diary as diary_store
from anklesleep.store import sessions as sessions_store
from anklesleep.web.context import Web, render, web_of

if TYPE_CHECKING:
    from anklesleep.services.trackers import SideBySide

DAYS = 90
CHARTS = ("practice", "habit", "sleep", "symptoms")
AGREEMENT_CHARTS = ("agreement-tst", "agreement-se")
#: matplotlib's SVG carries a <style> element and style attributes; images cannot run scripts.
CHART_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


def _overview(web: Web) -> Any:
    from anklesleep.insights import progress as insights

    today = web.local_now().date()
    # older history still counts for streaks and habit strength; anything older than this is
    # older than the period shown, so the first day of use need not be looked for further back
    start = today - dt.timedelta(days=DAYS + 400)
    with web.engine.connect() as conn:
        records = sessions_store.list_sessions(conn, start=start)
        nights = diary_store.list_nights(conn, start=start)
        symptoms = diary_store.list_symptoms(conn, start=start)
    used = [r.local_date for r in records] + [n.night for n in nights] + [s.day for s in symptoms]
    return insights.overview(
        records,
        nights,
        symptoms,
        today=today,
        t=translator(),
        days=DAYS,
        first_use=min(used, default=None),
    )


def screen_charts(overview: Any) -> list[Any]:
    """The page's charts, drawn for screens of any width."""
    from anklesleep.printouts import screen_charts as sc

    t = translator()
    return [
        sc.practice_calendar(overview.adherence.days, overview.today, t),
        sc.habit_line(overview.habit, t),
        sc.sleep_panels(overview.nights, overview.rolling, overview.bedtime_days, t),
        sc.symptom_lines(overview.symptoms, overview.start, overview.today, t),
    ]


def _chart(web: Web, name: str) -> Any:
    return _draw(_overview(web), name)


def _draw(overview: Any, name: str) -> Any:
    from anklesleep.printouts import charts

    if name == "practice":
        return charts.adherence_calendar(overview.adherence.days, weeks=14)
    if name == "habit":
        return charts.habit_chart(overview.habit)
    if name == "sleep":
        return charts.sleep_chart(overview.nights, overview.rolling, overview.bedtime_days)
    return charts.symptom_chart(overview.symptoms)


def tracker_charts(side: SideBySide | None) -> list[Any]:
    """The tracker's nights beside the diary's, and a Bland–Altman chart per measure with
    enough nights that have both; none without tracker nights."""
    from anklesleep.printouts import screen_agreement as sa

    if side is None:
        return []
    t = translator()
    charts = [sa.tracker_trends(side.diary, side.tracker, side.devices, t)]
    agreements = side.comparison.agreements.values()
    return charts + [sa.agreement_chart(a, t) for a in agreements if a is not None]


def insights_page(request: Request) -> Response:
    from anklesleep.insights import progress as insights
    from anklesleep.services.trackers import side_by_side

    web = web_of(request)
    overview = _overview(web)
    power = experiment_power_sentence(web.engine, overview.today, translator())
    side = side_by_side(web.engine, overview.start, overview.today)
    paired = 0
    if side is not None:
        paired = len(set(side.diary["tst"]) & set(side.tracker["tst"]))
    return render(
        request,
        "insights.html",
        lines=insights.headline(overview, translator()),
        charts=screen_charts(overview),
        tracker=side,
        paired=paired,
        agreement_lines=side.comparison.sentences(translator()) if side else [],
        tracker_charts=tracker_charts(side),
        days=(overview.today - overview.start).days + 1,
        first_day=overview.start,
        experiment_power=power,
    )


def _agreement_image(web: Web, measure: str) -> Any:
    """The printable Bland–Altman drawing of one measure, or None with too few nights."""
    from anklesleep.printouts.agreement import agreement_chart
    from anklesleep.services.trackers import comparison

    today = web.local_now().date()
    found = comparison(web.engine, today - dt.timedelta(days=DAYS - 1), today)
    agreement = None if found is None else found.agreements.get(measure)  # type: ignore[call-overload]
    return None if agreement is None else agreement_chart(agreement)


def chart_image(request: Request) -> Response:
    name = request.path_params["name"]
    if name in AGREEMENT_CHARTS:
        chart = _agreement_image(web_of(request), name.removeprefix("agreement-"))
        if chart is None:
            raise HTTPException(404, f"chart: {name} needs 3 nights with diary and tracker")
    elif name not in CHARTS:
        raise HTTPException(404, f"chart: got {name!r}; choose one of {', '.join(CHARTS)}")
    else:
        chart = _chart(web_of(request), name)
    return Response(
        chart.svg,
        media_type="image/svg+xml",
        headers={"content-security-policy": CHART_CSP, "cache-control": "no-store"},
    )


routes = [
    Route("/insights", insights_page, name="insights"),
    Route("/insights/{name}.svg", chart_image, name="chart"),
]
