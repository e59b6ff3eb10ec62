"""The JSON API: every route, its answers and its errors (one 4xx naming the field)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from anklesleep.store import diary as diary_store
from anklesleep.store import preferences
from anklesleep.store import slots as slots_store
from anklesleep.web import api
from tests.session_helpers import stored_session, stored_sessions
from tests.web_helpers import client, csrf

NIGHT = {
    "into_bed": "23:00",
    "tried_to_sleep": "23:15",
    "sol_minutes": 20,
    "awakenings": 2,
    "waso_minutes": 25,
    "final_awakening": "06:45",
    "out_of_bed": "07:00",
    "quality": 4,
    "note": "",
}


def test_routines_lists_the_builtins_with_their_length(engine: Engine, tmp_path: Path) -> None:
    c, _ = client(engine, tmp_path)
    data = c.get("/api/routines").json()["routines"]
    ids = [r["id"] for r in data]
    assert ids[:2] == ["full", "quick"]
    quick = data[1]
    assert quick["origin"] == "ours"
    assert 45 < quick["total_seconds"] < 120


def test_timeline_applies_the_options(engine: Engine, tmp_path: Path) -> None:
    c, _ = client(engine, tmp_path)
    slow = c.get("/api/timeline?routine=quick&tempo=2").json()
    normal = c.get("/api/timeline?routine=quick").json()
    assert slow["options"]["tempo"] == 2.0
    assert slow["total_seconds"] > normal["total_seconds"]
    assert normal["cues"][0]["start"] == 0
    assert normal["chapters"][0]["start"] == 0
    assert normal["chapters"][-1]["kind"] == "done"
    extra = c.get("/api/timeline?routine=quick&extra_circles=left%3Dinward").json()
    assert len(extra["chapters"]) == len(normal["chapters"]) + 1


def test_timeline_starts_from_the_saved_preferences(engine: Engine, tmp_path: Path) -> None:
    c, _ = client(engine, tmp_path)
    assert (
        c.get("/api/timeline?routine=quick").json()["cues"][1]["foot"] == "left"
    )  # after the lead-in
    c.put(
        "/api/settings",
        json={"preferences": {"options": {"first_foot": "right"}}},
        headers=csrf(c),
    )
    data = c.get("/api/timeline?routine=quick").json()
    assert data["cues"][1]["foot"] == "right"  # after the lead-in


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("routine=nope", "routine"),
        ("routine=quick&tempo=0", "tempo"),
        ("routine=quick&hold=abc", "hold"),
        ("routine=quick&extra_circles=sideways", "extra_circles"),
        ("routine=quick&voice=maybe", "voice"),
        ("routine=quick&speed=2", "speed"),
    ],
)
def test_bad_timeline_requests_name_the_field(
    engine: Engine, tmp_path: Path, query: str, field: str
) -> None:
    c, _ = client(engine, tmp_path)
    response = c.get(f"/api/timeline?{query}")
    assert response.status_code == 400
    body = response.json()
    assert body["field"] == field
    assert body["error"]


def test_track_renders_once_and_serves_the_file(engine: Engine, tmp_path: Path) -> None:
    c, renderer = client(engine, tmp_path)
    data = c.get("/api/track?routine=quick&tempo=0.5").json()
    assert renderer.calls[0][0] == "quick"
    assert renderer.calls[0][1].tempo == 0.5
    assert data["audio_url"] == f"/tracks/{data['id']}.mp3"
    assert data["timeline"]["routine"] == "quick"
    audio = c.get(data["audio_url"], headers={"accept-encoding": "gzip"})
    assert audio.status_code == 200
    assert audio.headers["content-type"] == "audio/mpeg"
    assert "content-encoding" not in audio.headers  # compressed audio is sent as it is
    assert audio.content.startswith(b"ID3")
    part = c.get(data["audio_url"], headers={"range": "bytes=0-9"})
    assert part.status_code == 206
    assert len(part.content) == 10
    download = c.get(data["download_url"])
    assert download.headers["content-disposition"] == 'attachment; filename="anklesleep-quick.mp3"'


def test_track_formats_and_errors(engine: Engine, tmp_path: Path) -> None:
    c, _ = client(engine, tmp_path)
    assert c.get("/api/track?routine=quick&fmt=opus").json()["format"] == "opus"
    bad = c.get("/api/track?routine=quick&fmt=flac")
    assert bad.status_code == 400
    assert bad.json()["field"] == "fmt"
    missing = c.get(f"/tracks/{'a' * 40}.mp3")
    assert missing.status_code == 404
    assert (
        "not ready" in missing.json()["error"]
        if missing.headers["content-type"].startswith("application/json")
        else "not ready" in missing.text
    )
    assert c.get("/tracks/..%2F..%2Fetc.mp3").status_code == 404


def test_a_track_rendered_before_a_restart_is_still_served(engine: Engine, tmp_path: Path) -> None:
    from anklesleep.basics import paths

    c, _ = client(engine, tmp_path)
    track_id = "b" * 40
    folder = paths.cache_dir() / "tracks"
    folder.mkdir(parents=True)
    (folder / f"{track_id}.opus").write_bytes(b"OggS-track-bytes")
    served = c.get(f"/tracks/{track_id}.opus")
    assert served.status_code == 200
    assert served.content == b"OggS-track-bytes"
    assert served.headers["content-type"].startswith("audio/ogg")
    assert c.get(f"/tracks/{track_id}.mp3").status_code == 404
    assert c.get(f"/tracks/{track_id}.txt").status_code == 404


def _start(c: Any, **extra: Any) -> dict[str, Any]:
    body = {"routine": "quick", "planned_seconds": 75.5, **extra}
    response = c.post("/api/sessions", json=body, headers=csrf(c))
    assert response.status_code == 201, response.text
    data: dict[str, Any] = response.json()
    return data


def test_a_web_session_is_started_checkpointed_and_finished(engine: Engine, tmp_path: Path) -> None:
    c, _ = client(engine, tmp_path)
    record = _start(c, options={"tempo": 0.5})
    assert record["source"] == "web"
    assert record["slot"] == "morning"
    assert record["options"]["tempo"] == 0.5
    uuid = record["uuid"]
    cp = c.post(
        f"/api/sessions/{uuid}/checkpoint",
        json={"completed_seconds": 20.5, "steps_done": ["A0 (left)", "A1 (left)"]},
        headers=csrf(c),
    )
    assert cp.json()["completed_seconds"] == 20.5
    stored = stored_session(engine, uuid)
    assert stored is not None
    assert stored.steps_done == ("A0 (left)", "A1 (left)")
    assert not stored.completed  # a closed tab leaves this partial record
    done = c.post(
        f"/api/sessions/{uuid}/finish",
        json={"completed": True, "completed_seconds": 75.5, "steps_done": ["A0 (left)"]},
        headers=csrf(c),
    ).json()
    assert done["completed"] is True
    assert done["ended_at"] is not None
    assert c.get(f"/api/sessions/{uuid}").json()["completed"] is True
    listed = c.get("/api/sessions?start=2026-03-14").json()["sessions"]
    assert [s["uuid"] for s in listed] == [uuid]
    assert c.get("/api/today").json()["slots"][0]["status"] == "done"
    late = c.post(
        f"/api/sessions/{uuid}/checkpoint",
        json={"completed_seconds": 1, "steps_done": []},
        headers=csrf(c),
    )
    assert late.status_code == 400
    assert late.json()["field"] == "uuid"


def test_a_stopped_session_is_partial(engine: Engine, tmp_path: Path) -> None:
    c, _ = client(engine, tmp_path)
    uuid = _start(c)["uuid"]
    c.post(
        f"/api/sessions/{uuid}/finish",
        json={"completed": False, "completed_seconds": 30, "steps_done": ["A0 (left)"]},
        headers=csrf(c),
    )
    today = c.get("/api/today").json()
    assert today["slots"][0]["status"] == "partial"
    assert today["streak"] == 0


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"routine": "nope", "planned_seconds": 10}, "routine"),
        ({"routine": "quick", "planned_seconds": -1}, "planned_seconds"),
        ({"routine": "quick", "planned_seconds": "ten"}, "planned_seconds"),
        ({"routine": "quick", "planned_seconds": 10, "slot": "noon"}, "slot"),
        ({"routine": "quick", "planned_seconds": 10, "options": {"tempo": 5}}, "tempo"),
        ({"routine": "quick", "planned_seconds": 10, "options": []}, "options"),
        ({"routine": "quick", "planned_seconds": 10, "colour": "red"}, "colour"),
    ],
)
def test_bad_session_bodies_name_the_field(
    engine: Engine, tmp_path: Path, body: dict[str, Any], field: str
) -> None:
    c, _ = client(engine, tmp_path)
    response = c.post("/api/sessions", json=body, headers=csrf(c))
    assert response.status_code == 400
    assert response.json()["field"] == field
    assert stored_sessions(engine) == []


def test_session_bodies_must_be_json_objects(engine: Engine, tmp_path: Path) -> None:
    c, _ = client(engine, tmp_path)
    headers = {**csrf(c), "content-type": "application/json"}
    broken = c.post("/api/sessions", content=b"{nope", headers=headers)
    assert broken.status_code == 400
    assert broken.json()["field"] == "body"
    listed = c.post("/api/sessions", content=b"[1]", headers=headers)
    assert listed.json()["field"] == "body"
    text = c.post("/api/sessions", content=b"x", headers={**csrf(c), "content-type": "text/plain"})
    assert text.json()["field"] == "content-type"


def test_unknown_sessions_are_404(engine: Engine, tmp_path: Path) -> None:
    c, _ = client(engine, tmp_path)
    assert c.get("/api/sessions/nope").status_code == 404
    response = c.post(
        "/api/sessions/nope/finish",
        json={"completed": True, "completed_seconds": 1},
        headers=csrf(c),
    )
    assert response.status_code == 404
    assert response.json()["error"].startswith("uuid:")


def test_checkpoint_checks_its_fields(engine: Engine, tmp_path: Path) -> None:
    c, _ = client(engine, tmp_path)
    uuid = _start(c)["uuid"]
    for body, field in [
        ({"completed_seconds": -3}, "completed_seconds"),
        ({"completed_seconds": 3, "steps_done": "A0"}, "steps_done"),
        ({"completed_seconds": 3, "steps_done": [1]}, "steps_done"),
    ]:
        response = c.post(f"/api/sessions/{uuid}/checkpoint", json=body, headers=csrf(c))
        assert response.status_code == 400
        assert response.json()["field"] == field
    missing = c.post(f"/api/sessions/{uuid}/finish", json={"completed_seconds": 1}, headers=csrf(c))
    assert missing.json()["field"] == "completed"


def test_sleep_nights_are_saved_read_listed_and_deleted(engine: Engine, tmp_path: Path) -> None:
    c, _ = client(engine, tmp_path)
    created = c.put("/api/sleep/2026-03-14", json=NIGHT, headers=csrf(c))
    assert created.status_code == 201
    assert created.json()["metrics"]["tst_minutes"] == 405
    assert created.json()["metrics"]["se_percent"] == 84.4
    replaced = c.put("/api/sleep/2026-03-14", json={**NIGHT, "quality": 2}, headers=csrf(c))
    assert replaced.status_code == 200
    assert c.get("/api/sleep/2026-03-14").json()["quality"] == 2
    assert len(c.get("/api/sleep?start=2026-03-01").json()["nights"]) == 1
    assert c.get("/api/today").json()["last_night"]["quality"] == 2
    assert c.delete("/api/sleep/2026-03-14", headers=csrf(c)).status_code == 204
    assert c.get("/api/sleep/2026-03-14").status_code == 404
    assert c.delete("/api/sleep/2026-03-14", headers=csrf(c)).status_code == 404


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"into_bed": 2300}, "into_bed"),
        ({"into_bed": "25:00"}, "into_bed"),
        ({"sol_minutes": 12.5}, "sol_minutes"),
        ({"quality": 9}, "quality"),
        ({"waso_minutes": 900}, "waso_minutes"),
        ({"snoring": True}, "snoring"),
    ],
)
def test_bad_nights_name_the_field_and_save_nothing(
    engine: Engine, tmp_path: Path, changes: dict[str, Any], field: str
) -> None:
    c, _ = client(engine, tmp_path)
    response = c.put("/api/sleep/2026-03-14", json={**NIGHT, **changes}, headers=csrf(c))
    assert response.status_code == 400
    assert response.json()["field"] == field
    with engine.connect() as conn:
        assert diary_store.list_nights(conn) == []


def test_a_night_in_the_future_or_a_bad_date_is_refused(engine: Engine, tmp_path: Path) -> None:
    c, _ = client(engine, tmp_path)
    future = c.put("/api/sleep/2026-04-01", json=NIGHT, headers=csrf(c))
    assert future.json()["field"] == "night"
    bad = c.get("/api/sleep/yesterday")
    assert bad.status_code == 400
    assert bad.json()["field"] == "night"


def test_symptoms_are_put_and_read(engine: Engine, tmp_path: Path) -> None:
    c, _ = client(engine, tmp_path)
    data = c.put(
        "/api/symptoms/2026-03-14", json={"knee": 4, "headache": 0}, headers=csrf(c)
    ).json()
    scores = {s["key"]: s["score"] for s in data["symptoms"]}
    assert scores["knee"] == 4
    assert scores["headache"] == 0
    assert scores["fatigue"] is None
    cleared = c.put("/api/symptoms/2026-03-14", json={"knee": None}, headers=csrf(c)).json()
    assert {s["key"]: s["score"] for s in cleared["symptoms"]}["knee"] is None
    assert {s["key"]: s["score"] for s in cleared["symptoms"]}["headache"] == 0
    today = c.get("/api/symptoms").json()
    assert today["day"] == "2026-03-14"
    assert len(today["symptoms"]) == 7


@pytest.mark.parametrize(
    ("body", "field"),
    [({"knee": 11}, "knee"), ({"knee": "3"}, "knee"), ({"elbow": 2}, "elbow")],
)
def test_bad_symptom_scores_save_nothing(
    engine: Engine, tmp_path: Path, body: dict[str, Any], field: str
) -> None:
    c, _ = client(engine, tmp_path)
    response = c.put("/api/symptoms/2026-03-14", json={"headache": 2, **body}, headers=csrf(c))
    assert response.status_code == 400
    assert response.json()["field"] == field
    with engine.connect() as conn:
        assert diary_store.list_symptoms(conn) == []


def test_settings_round_trip(engine: Engine, tmp_path: Path) -> None:
    c, _ = client(engine, tmp_path, acknowledged=False)
    start = c.get("/api/settings").json()
    assert start["safety_acknowledged_at"] is None
    assert start["preferences"]["theme"] == "auto"
    body = {
        "slots": {
            "timezone": "Asia/Tokyo",
            "slots": {"bedtime": {"time": "21:45", "enabled": False}},
        },
        "preferences": {"theme": "light", "options": {"tempo": 0.8, "voice": False}},
        "safety_acknowledged": True,
    }
    saved = c.put("/api/settings", json=body, headers=csrf(c)).json()
    assert saved["slots"]["timezone"] == "Asia/Tokyo"
    assert saved["slots"]["slots"]["bedtime"] == {
        "time": "21:45",
        "enabled": False,
        "routine": "full",
    }
    assert saved["preferences"]["theme"] == "light"
    assert saved["preferences"]["options"]["tempo"] == 0.8
    assert saved["preferences"]["options"]["voice"] is False
    assert saved["safety_acknowledged_at"] is not None
    assert c.get("/api/settings").json() == saved


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"slots": {"timezone": "Nowhere/Land"}}, "timezone"),
        ({"slots": {"slots": {"noon": {"time": "12:00"}}}}, "slot"),
        ({"slots": {"slots": {"home": {"time": "7pm"}}}}, "time"),
        ({"slots": {"slots": {"home": {"routine": "marathon"}}}}, "routine"),
        ({"preferences": {"theme": "neon"}}, "theme"),
        ({"preferences": {"options": {"tempo": 4}}}, "tempo"),
        ({"volume": 11}, "volume"),
    ],
)
def test_bad_settings_change_nothing(
    engine: Engine, tmp_path: Path, body: dict[str, Any], field: str
) -> None:
    c, _ = client(engine, tmp_path)
    # a good change next to the bad one must not be stored either
    response = c.put(
        "/api/settings",
        json={**body, "preferences": body.get("preferences", {"theme": "dark"})},
        headers=csrf(c),
    )
    assert response.status_code == 400
    assert response.json()["field"] == field
    with engine.connect() as conn:
        assert preferences.load(conn).theme == "auto"
        assert slots_store.load(conn).timezone == "UTC"


def test_openapi_describes_every_api_route(engine: Engine, tmp_path: Path) -> None:
    c, _ = client(engine, tmp_path)
    doc = c.get("/openapi.json").json()
    assert doc["openapi"].startswith("3.")
    described = {(path, method.upper()) for path, ops in doc["paths"].items() for method in ops}
    for route in api.routes:
        if not route.path.startswith("/api/"):
            continue
        for method in route.methods or ():
            if method == "HEAD":
                continue
            assert (route.path, method) in described, (route.path, method)
    for ops in doc["paths"].values():
        for op in ops.values():
            assert op["summary"]
            assert op["responses"]


def test_today_api(engine: Engine, tmp_path: Path) -> None:
    c, _ = client(engine, tmp_path)
    data = c.get("/api/today").json()
    assert data["day"] == "2026-03-14"
    assert [s["slot"] for s in data["slots"]] == ["morning", "home", "bedtime"]
    assert data["current_slot"] == "morning"
    assert data["diary_nudge"] is True
    assert data["streak"] == 0


def test_today_lists_the_reminders_of_the_next_day(engine: Engine, tmp_path: Path) -> None:
    c, _ = client(engine, tmp_path)  # 07:30 UTC, zone UTC
    reminders = c.get("/api/today").json()["reminders"]
    assert [(r["slot"], r["at"]) for r in reminders] == [
        ("home", "2026-03-14T18:30:00+00:00"),
        ("bedtime", "2026-03-14T22:00:00+00:00"),
        ("morning", "2026-03-15T07:00:00+00:00"),
    ]
    assert all(r["done"] is False and r["url"].startswith("/play/") for r in reminders)
    c.put("/api/settings", json={"slots": {"slots": {"home": {"enabled": False}}}}, headers=csrf(c))
    slots = [r["slot"] for r in c.get("/api/today").json()["reminders"]]
    assert slots == ["bedtime", "morning"]


def test_dates_in_listings_are_checked(engine: Engine, tmp_path: Path) -> None:
    c, _ = client(engine, tmp_path)
    assert c.get("/api/sessions?start=soon").json()["field"] == "start"
    assert c.get("/api/sleep?end=later").json()["field"] == "end"
    assert c.get("/api/symptoms?day=x").json()["field"] == "day"


def test_the_day_rolls_over_in_the_users_time_zone(engine: Engine, tmp_path: Path) -> None:
    c, _ = client(engine, tmp_path)
    c.put("/api/settings", json={"slots": {"timezone": "Pacific/Auckland"}}, headers=csrf(c))
    # 07:30 UTC on 14 March is 20:30 on 14 March in Auckland (UTC+13)
    data = c.get("/api/today").json()
    assert data["day"] == "2026-03-14"
    assert data["current_slot"] in ("home", "bedtime")
    assert dt.date.fromisoformat(data["day"])


@pytest.mark.parametrize(
    ("options", "field"),
    [
        ({"extra_circles": False}, "extra_circles"),
        ({"extra_circles": 0}, "extra_circles"),
        ({"extra_circles": [1]}, "extra_circles"),
        ({"voice": "maybe"}, "voice"),
        ({"hold": [1]}, "hold"),
        ({"first_foot": 3}, "first_foot"),
    ],
)
def test_wrong_types_in_saved_options_answer_400(
    engine: Engine, tmp_path: Path, options: dict[str, object], field: str
) -> None:
    c, _ = client(engine, tmp_path)
    response = c.put("/api/settings", json={"preferences": {"options": options}}, headers=csrf(c))
    assert response.status_code == 400
    assert response.json()["field"] == field


@pytest.mark.parametrize(
    "path", ["/api/settings", "/api/sleep/2026-03-13", "/api/symptoms/2026-03-13"]
)
def test_deeply_nested_json_answers_400_naming_the_body(
    engine: Engine, tmp_path: Path, path: str
) -> None:
    c, _ = client(engine, tmp_path)
    body = '{"note": ' + "[" * 1000 + "]" * 1000 + "}"
    response = c.put(path, content=body, headers={**csrf(c), "content-type": "application/json"})
    assert response.status_code == 400
    assert response.json()["field"] == "body"


def test_the_chapters_of_a_track_are_served_as_webvtt(engine: Engine, tmp_path: Path) -> None:
    c, _ = client(engine, tmp_path)
    data = c.get("/api/track?routine=quick").json()
    assert data["chapters_url"] == f"/tracks/{data['id']}.vtt"
    vtt = c.get(data["chapters_url"])
    assert vtt.status_code == 200
    assert vtt.headers["content-type"].startswith("text/vtt")
    assert vtt.text.startswith("WEBVTT")
    cues = [line for line in vtt.text.splitlines() if "-->" in line]
    assert len(cues) == len(data["timeline"]["chapters"])
    assert cues[0].startswith("00:00:00.000 --> ")
    assert c.get(f"/tracks/{'b' * 40}.vtt").status_code == 404


def test_seeking_to_the_end_earns_no_completion(engine: Engine, tmp_path: Path) -> None:
    c, _ = client(engine, tmp_path)
    track = c.get("/api/track?routine=quick").json()
    total = track["timeline"]["total_seconds"]
    uuid = _start(c, planned_seconds=total)["uuid"]
    body = {"played": [[0, 8]], "position_seconds": 8, "steps_done": ["A0"]}
    c.post(f"/api/sessions/{uuid}/checkpoint", json=body, headers=csrf(c))
    done = c.post(
        f"/api/sessions/{uuid}/finish",
        json={"completed": True, "played": [[total - 2, total]], "track": track["id"]},
        headers=csrf(c),
    ).json()
    assert done["completed"] is False
    assert done["completed_seconds"] == pytest.approx(10)
    assert 0 < done["percent_played"] < 20
    assert c.get("/api/today").json()["streak"] == 0


def test_a_session_played_through_is_completed_once(engine: Engine, tmp_path: Path) -> None:
    c, _ = client(engine, tmp_path)
    track = c.get("/api/track?routine=quick").json()
    total = track["timeline"]["total_seconds"]
    uuid = _start(c, planned_seconds=total)["uuid"]
    for a, b, step in [(0, 20, "A0"), (20, 40, "A1"), (15, 30, "A1")]:
        c.post(
            f"/api/sessions/{uuid}/checkpoint",
            json={"played": [[a, b]], "steps_done": [step], "position_seconds": b},
            headers=csrf(c),
        )
    done = c.post(
        f"/api/sessions/{uuid}/finish",
        json={"completed": True, "played": [[40, total]], "track": track["id"]},
        headers=csrf(c),
    ).json()
    assert done["completed"] is True
    assert done["steps_done"] == ["A0", "A1"]
    assert done["completed_seconds"] == pytest.approx(total, abs=1e-3)  # stored to the ms
    again = c.post(
        f"/api/sessions/{uuid}/finish", json={"completed": False}, headers=csrf(c)
    ).json()
    assert again == done


def test_start_over_keeps_the_unfinished_session_as_partial(engine: Engine, tmp_path: Path) -> None:
    c, _ = client(engine, tmp_path)
    old = _start(c)["uuid"]
    c.post(
        f"/api/sessions/{old}/checkpoint",
        json={"played": [[0, 42.4]], "position_seconds": 42.4},
        headers=csrf(c),
    )
    new = _start(c, replaces=old)["uuid"]
    stored = stored_session(engine, old)
    assert stored is not None and stored.ended_at is not None and not stored.completed
    assert stored.completed_seconds == pytest.approx(42.4)
    assert new != old
    bad = c.post(
        f"/api/sessions/{new}/checkpoint", json={"played": [[3, 1]]}, headers=csrf(c)
    ).json()
    assert bad["field"] == "played"
    shape = c.post(
        f"/api/sessions/{new}/checkpoint", json={"played": [1, 2]}, headers=csrf(c)
    ).json()
    assert shape["field"] == "played"


def test_tracks_are_prepared_at_start_and_after_an_option_changes(
    engine: Engine, tmp_path: Path
) -> None:
    from starlette.testclient import TestClient

    from anklesleep.web.app import create_app
    from tests.web_helpers import BASE, Clock, FakeRenderer, prepare

    renderer = FakeRenderer(tmp_path / "tracks")
    prepare(engine, acknowledged=True)
    app = create_app(engine, clock=Clock(), renderer=renderer, prepare_tracks=True)
    with TestClient(app, base_url=BASE, headers={"x-requested-with": "anklesleep"}) as c:
        app.state.preparer.pending.result(timeout=30)
        assert sorted(call[0] for call in renderer.calls) == ["full", "quick"]
        ready = set(app.state.web.tracks)
        track = c.get("/api/track?routine=full").json()
        assert track["id"] in ready  # the player's request finds the prepared track
        changed = c.put(
            "/api/settings",
            json={"preferences": {"options": {"tempo": 0.75}}},
            headers=csrf(c),
        )
        assert changed.status_code == 200
        app.state.preparer.pending.result(timeout=30)
        tempos = {call[1].tempo for call in renderer.calls if call[0] == "full"}
        assert tempos == {1.0, 0.75}


@pytest.mark.parametrize("options", [1.5, "tempo=2", [1], True])
def test_saved_options_that_are_not_an_object_answer_400(
    engine: Engine, tmp_path: Path, options: object
) -> None:
    c, _ = client(engine, tmp_path)
    response = c.put("/api/settings", json={"preferences": {"options": options}}, headers=csrf(c))
    assert response.status_code == 400
    assert response.json()["field"] == "preferences.options"


def test_the_busiest_requests_are_matched_first(engine: Engine, tmp_path: Path) -> None:
    c, _ = client(engine, tmp_path)
    paths = [getattr(route, "path", None) for route in c.app.routes]  # type: ignore[attr-defined]
    assert paths[:2] == ["/", "/api/timeline"]
    assert c.get("/api/timeline?routine=quick").status_code == 200
