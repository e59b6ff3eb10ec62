"""The Insights page: how regularly you practise and how your nights and complaints change.

The numbers come from `anklesleep.insights.progress`, the charts from `anklesleep.printouts.charts`
(matplotlib SVG). Charts are separate SVG images, each served with its own narrow Content-Security-
Policy (an SVG shown as an image runs no script), so the page itself keeps `default-src 'self'`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from anklesleep.basics.i18n import translator
from anklesleep.services.evidence import experiment_power_sentence
from anklesleep.store import diary as diary_store
from anklesleep.store import sessions as sessions_store
from anklesleep.web.context import Web, render, web_of

DAYS = 90
CHARTS = ("practice", "habit", "sleep", "symptoms")
#: matplotlib's SVG carries a <style> element and style attributes; images cannot run scripts.
CHART_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


def _overview(web: Web) -> Any:
    from anklesleep.insights import progress as insights

    today = web.local_now().date()
    start = today - dt.timedelta(days=DAYS + 400)
    with web.engine.connect() as conn:
        records = sessions_store.list_sessions(conn, start=start)
        nights = diary_store.list_nights(conn, start=start)
        symptoms = diary_store.list_symptoms(conn, start=start)
    return insights.overview(records, nights, symptoms, today=today, t=translator(), days=DAYS)


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


def insights_page(request: Request) -> Response:
    from anklesleep.insights import progress as insights

    web = web_of(request)
    overview = _overview(web)
    drawn = [_draw(overview, name) for name in CHARTS]
    power = experiment_power_sentence(web.engine, overview.today, translator())
    return render(
        request,
        "insights.html",
        lines=insights.headline(overview, translator()),
        charts=list(zip(CHARTS, drawn, strict=True)),
        days=DAYS,
        experiment_power=power,
    )


def chart_image(request: Request) -> Response:
    name = request.path_params["name"]
    if name not in CHARTS:
        raise HTTPException(404, f"chart: got {name!r}; choose one of {', '.join(CHARTS)}")
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
