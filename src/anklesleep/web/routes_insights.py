"""The Insights page: how regularly you practise and how your nights and complaints change.

The numbers come from `anklesleep.insights.progress`, the charts from `anklesleep.printouts.charts`
(matplotlib SVG). Charts are separate SVG images, each served with its own narrow Content-Security-
Policy (an SVG shown as an image runs no script), so the page itself keeps `default-src 'self'`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from starlette.concurrency import run_in_threadpool
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

    today = web.local_now(web.recent_snapshot().slots).date()
    start = today - dt.timedelta(days=DAYS + 400)

    def make() -> Any:
        records = sessions_store.list_sessions(web.engine, start=start)
        with web.engine.connect() as conn:
            nights = diary_store.list_nights(conn, start=start)
            symptoms = diary_store.list_symptoms(conn, start=start)
        return insights.overview(records, nights, symptoms, today=today, t=translator(), days=DAYS)

    return web.memo.get_or_make(("overview", web.recent_version(), today), make)


def _chart(web: Web, name: str) -> Any:
    from anklesleep.printouts import charts

    overview = _overview(web)

    def make() -> Any:
        if name == "practice":
            return charts.adherence_calendar(overview.adherence.days, weeks=14)
        if name == "habit":
            return charts.habit_chart(overview.habit)
        if name == "sleep":
            return charts.sleep_chart(overview.nights, overview.rolling, overview.bedtime_days)
        return charts.symptom_chart(overview.symptoms)

    return web.memo.get_or_make(("chart", name, web.recent_version(), overview.today), make)


async def insights_page(request: Request) -> Response:
    from anklesleep.insights import progress as insights

    web = web_of(request)
    overview = await run_in_threadpool(_overview, web)
    drawn = [await run_in_threadpool(_chart, web, name) for name in CHARTS]
    power = await run_in_threadpool(
        experiment_power_sentence, web.engine, overview.today, translator()
    )
    return render(
        request,
        "insights.html",
        lines=insights.headline(overview, translator()),
        charts=list(zip(CHARTS, drawn, strict=True)),
        days=DAYS,
        experiment_power=power,
    )


async def chart_image(request: Request) -> Response:
    name = request.path_params["name"]
    if name not in CHARTS:
        raise HTTPException(404, f"chart: got {name!r}; choose one of {', '.join(CHARTS)}")
    chart = await run_in_threadpool(_chart, web_of(request), name)
    return Response(
        chart.svg,
        media_type="image/svg+xml",
        headers={"content-security-policy": CHART_CSP, "cache-control": "no-store"},
    )


routes = [
    Route("/insights", insights_page, name="insights"),
    Route("/insights/{name}.svg", chart_image, name="chart"),
]
