"""Tracker exports: recognized by content, read into nights with the stated rules, imported
idempotently and all or nothing; bad files refused in one line."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine

from anklesleep.basics.errors import AnkleSleepError
from anklesleep.services.trackers import import_export
from anklesleep.store import trackers as store
from anklesleep.trackers.detect import read_export
from anklesleep.trackers.records import TrackerNight

SAMPLES = Path(__file__).resolve().parents[2] / "shared" / "samples" / "sleep-exports"
needs_samples = pytest.mark.skipif(
    not SAMPLES.is_dir(), reason=f"the real tracker exports are not at {SAMPLES}"
)
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
LONDON = ZoneInfo("Europe/London")
NOW = dt.datetime(2026, 3, 14, 8, 0, tzinfo=dt.UTC)


def sample(folder: str, ending: str) -> Path:
    (path,) = [p for p in (SAMPLES / folder).iterdir() if p.name.endswith(ending)]
    return path


def by_night(nights: list[TrackerNight]) -> dict[dt.date, list[TrackerNight]]:
    result: dict[dt.date, list[TrackerNight]] = {}
    for night in nights:
        result.setdefault(night.night, []).append(night)
    return result


# --- the real exports -------------------------------------------------------------------------


@needs_samples
@pytest.mark.parametrize("who", ["parvej", "jan", "thijs", "maryam"])
def test_every_fitbit_csv_sample_reads_every_row(who: str) -> None:
    path = sample("fitbit-csv", f"_{who}.csv")
    rows = [line for line in path.read_text().splitlines() if line.strip()][1:]
    reading = read_export(path, AMSTERDAM)
    assert reading.format == "Fitbit CSV"
    assert reading.records_read == len(rows)
    assert len(reading.nights) == len(rows) and not reading.skipped
    for night in reading.nights:
        assert night.end > night.start and night.source == "fitbit"
        assert night.night == night.end.astimezone(AMSTERDAM).date()


@needs_samples
def test_the_fall_back_night_is_nine_real_hours_and_keeps_the_trackers_counts() -> None:
    reading = read_export(sample("fitbit-csv", "_jan.csv"), AMSTERDAM)
    (night,) = by_night(reading.nights)[dt.date(2021, 10, 31)]
    assert night.start == dt.datetime(2021, 10, 31, 1, 12, tzinfo=AMSTERDAM)
    assert night.start.utcoffset() == dt.timedelta(hours=2)
    assert night.end.utcoffset() == dt.timedelta(hours=1)
    assert night.in_bed_minutes == 9 * 60  # real elapsed time, not the wall clock's 8 hours
    assert (night.asleep_minutes, night.awake_minutes) == (418, 61)
    assert night.stages == {"deep": 99, "light": 177, "rem": 142, "awake": 61}


@needs_samples
def test_fitbit_naps_and_two_sleeps_on_one_date() -> None:
    reading = read_export(sample("fitbit-csv", "_parvej.csv"), AMSTERDAM)
    naps = [n for n in reading.nights if n.nap]
    assert len(naps) == 4 and all(n.stages is None for n in naps)
    assert all(n.start.astimezone(AMSTERDAM).hour >= 14 for n in naps)
    for nights in by_night(reading.nights).values():
        assert sum(not n.nap for n in nights) == 1  # one main sleep per night


@needs_samples
def test_unquoted_crlf_fitbit_csv_and_a_13_hour_classic_sleep() -> None:
    reading = read_export(sample("fitbit-csv", "_maryam.csv"), AMSTERDAM)
    (long,) = [n for n in reading.nights if n.in_bed_minutes > 12 * 60]
    assert long.night == dt.date(2021, 11, 21) and not long.nap and long.stages is None
    assert long.asleep_minutes == 772


@needs_samples
def test_fitbit_locale_formats_and_thousands_separators() -> None:
    simple = read_export(sample("sleepdiary", "simple_diary.csv"), AMSTERDAM)
    (night,) = simple.nights
    assert night.stages == {"deep": 12345, "light": 1234, "rem": 123, "awake": 91}
    hard = read_export(sample("sleepdiary", "hard-to-parse_diary.csv"), AMSTERDAM)
    assert hard.records_read == 4  # four spellings of the same start: one sleep
    assert len(hard.nights) == 1 and len(hard.skipped) == 3
    assert hard.nights[0].start == dt.datetime(2010, 11, 12, 1, 23, tzinfo=AMSTERDAM)
    assert hard.nights[0].end == dt.datetime(2010, 11, 12, 14, 34, tzinfo=AMSTERDAM)


@needs_samples
@pytest.mark.parametrize("ending", ["1606907034.zip", "sleep-export.csv"])
def test_sleep_as_android_bare_or_zipped(ending: str) -> None:
    reading = read_export(sample("sleepdiary", ending), ZoneInfo("America/New_York"))
    assert reading.format == "Sleep as Android" and reading.records_read == 12
    assert len(reading.nights) == 4 and len(reading.skipped) == 8
    assert all("shorter than 10 minutes" in s.reason for s in reading.skipped)
    manual = next(n for n in reading.nights if n.record_id == "1606852800000")
    # 20:00 to 07:00 in the record's own zone (London); the night in the user's zone.
    assert manual.start == dt.datetime(2020, 12, 1, 20, 0, tzinfo=dt.UTC)
    assert manual.end == dt.datetime(2020, 12, 2, 7, 0, tzinfo=dt.UTC)
    assert manual.night == dt.date(2020, 12, 2) and manual.in_bed_minutes == 660


@needs_samples
def test_apple_health_sample_with_an_offset_that_disagrees_with_its_zone() -> None:
    reading = read_export(sample("apple-health", "export.xml"), AMSTERDAM)
    assert reading.format == "Apple Health" and reading.records_read == 2
    (night,) = reading.nights  # the 1-minute InBed stretch is too short to count
    assert night.start == dt.datetime(
        2024, 1, 1, 3, 27, 53, tzinfo=dt.timezone(dt.timedelta(hours=2))
    )
    assert night.start.utcoffset() == dt.timedelta(hours=2)  # the written offset is kept
    assert night.stages == {"light": 12} and night.device.endswith("Apple Watch")


@needs_samples
def test_importing_twice_adds_nothing_and_an_edited_record_is_one_sleep(engine: Engine) -> None:
    older = sample("sleepdiary", "sleep-export.1.zip")
    newer = sample("sleepdiary", "1606907034.zip")
    first = import_export(engine, newer, LONDON, NOW)
    assert first.saved.added == 4
    again = import_export(engine, newer, LONDON, NOW)
    assert (again.saved.added, again.saved.replaced, len(again.saved.unchanged)) == (0, 0, 4)
    earlier = import_export(engine, older, LONDON, NOW)
    assert earlier.saved.added == 0
    with engine.connect() as conn:
        assert store.count(conn) == 4


# --- Fitbit JSON (made here: no licensed real file could be kept) -----------------------------


def fitbit_log(
    log_id: int, start: str, end: str, minutes: int, main: bool = True
) -> dict[str, object]:
    return {
        "logId": log_id,
        "dateOfSleep": end[:10],
        "startTime": start,
        "endTime": end,
        "duration": minutes * 60000,
        "minutesToFallAsleep": 0,
        "minutesAsleep": minutes - 30,
        "minutesAwake": 30,
        "minutesAfterWakeup": 0,
        "timeInBed": minutes,
        "efficiency": 93,
        "type": "stages",
        "infoCode": 0,
        "levels": {
            "summary": {
                "deep": {"count": 3, "minutes": 60, "thirtyDayAvgMinutes": 0},
                "wake": {"count": 20, "minutes": 30, "thirtyDayAvgMinutes": 0},
                "light": {"count": 20, "minutes": minutes - 150, "thirtyDayAvgMinutes": 0},
                "rem": {"count": 5, "minutes": 60, "thirtyDayAvgMinutes": 0},
            },
            "data": [],
        },
        "mainSleep": main,
    }


def test_fitbit_json_folder_with_overlapping_windows_and_its_zip(tmp_path: Path) -> None:
    one = fitbit_log(101, "2021-03-27T23:10:00.000", "2021-03-28T07:10:00.000", 420)
    two = fitbit_log(102, "2021-03-28T14:00:00.000", "2021-03-28T14:40:00.000", 40, main=False)
    three = fitbit_log(103, "2021-03-01T23:00:00.000", "2021-03-02T07:00:00.000", 480)
    folder = tmp_path / "Takeout" / "Fitbit" / "Global Export Data"
    folder.mkdir(parents=True)
    (folder / "sleep-2021-03-01.json").write_text(json.dumps([one, three], indent=1))
    (folder / "sleep-2021-03-28.json").write_text(json.dumps([two, one], indent=1))
    (folder / "heart_rate-2021-03-28.json").write_text("[]")
    for given in (tmp_path / "Takeout", zipped(tmp_path / "takeout.zip", tmp_path / "Takeout")):
        reading = read_export(given, AMSTERDAM)
        assert reading.format == "Fitbit JSON" and reading.records_read == 4
        assert len(reading.nights) == 3 and len(reading.skipped) == 1  # log 101 twice
        spring = next(n for n in reading.nights if n.record_id == "101")
        # The clocks went forward that night: 7 real hours between 23:10 and 07:10.
        assert spring.in_bed_minutes == 420 and spring.night == dt.date(2021, 3, 28)
        assert spring.stages == {"deep": 60, "light": 270, "rem": 60, "awake": 30}
        nap = next(n for n in reading.nights if n.record_id == "102")
        assert nap.nap


def zipped(target: Path, folder: Path) -> Path:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, path.relative_to(folder.parent).as_posix())
    return target


# --- Apple Health: several sources, one night -------------------------------------------------

APPLE_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE HealthData [
<!ELEMENT HealthData (ExportDate,Me,(Record|Correlation|Workout)*)>
<!ATTLIST HealthData locale CDATA #REQUIRED>
]>
<HealthData locale="en_GB">
 <ExportDate value="2024-04-02 09:00:00 +0100"/>
"""


def apple_record(source: str, value: str, start: str, end: str) -> str:
    return (
        f' <Record type="HKCategoryTypeIdentifierSleepAnalysis" sourceName="{source}" '
        f'sourceVersion="17" creationDate="{end}" startDate="{start}" endDate="{end}" '
        f'value="HKCategoryValueSleepAnalysis{value}"/>\n'
    )


def test_overlapping_apple_sources_are_merged_without_double_counting(tmp_path: Path) -> None:
    body = (
        APPLE_HEAD
        + "".join(
            [
                apple_record(
                    "iPhone", "InBed", "2024-03-31 22:30:00 +0100", "2024-04-01 07:30:00 +0100"
                ),
                apple_record(
                    "Watch", "AsleepCore", "2024-03-31 23:00:00 +0100", "2024-04-01 01:00:00 +0100"
                ),
                apple_record(
                    "Watch", "AsleepDeep", "2024-04-01 01:00:00 +0100", "2024-04-01 02:00:00 +0100"
                ),
                apple_record(
                    "Watch", "Awake", "2024-04-01 02:00:00 +0100", "2024-04-01 02:20:00 +0100"
                ),
                apple_record(
                    "Watch", "AsleepREM", "2024-04-01 02:20:00 +0100", "2024-04-01 03:00:00 +0100"
                ),
                # the same stretch written twice (e.g. a second app) is counted once
                apple_record(
                    "Watch", "AsleepCore", "2024-04-01 03:00:00 +0100", "2024-04-01 07:00:00 +0100"
                ),
                apple_record(
                    "Watch", "AsleepCore", "2024-04-01 03:00:00 +0100", "2024-04-01 07:00:00 +0100"
                ),
                ' <Record type="HKQuantityTypeIdentifierStepCount" sourceName="iPhone" '
                'unit="count" startDate="2024-04-01 09:00:00 +0100" '
                'endDate="2024-04-01 09:10:00 +0100" value="5"/>\n',
            ]
        )
        + "</HealthData>\n"
    )
    path = tmp_path / "vienti.xml"  # localized name: recognized by content
    path.write_text(body)
    reading = read_export(path, LONDON)
    assert reading.records_read == 7 and reading.merged == 1
    (night,) = reading.nights
    assert night.night == dt.date(2024, 4, 1) and night.device == "Watch"
    assert night.in_bed_minutes == 9 * 60  # the iPhone's in-bed span
    assert night.asleep_minutes == 120 + 60 + 40 + 240  # overlaps counted once
    assert night.stages == {"deep": 60, "light": 360, "rem": 40, "awake": 20}
    assert night.awake_minutes == 20


# --- bad files --------------------------------------------------------------------------------


def write(tmp_path: Path, name: str, content: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


def zip_bomb(tmp_path: Path) -> Path:
    path = tmp_path / "export.zip"
    inside = "apple_health_export/export.xml"
    with (
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open(inside, "w", force_zip64=True) as member,
    ):
        member.write(APPLE_HEAD.encode())
        chunk = b" " * (1024 * 1024)
        for _ in range(200):
            member.write(chunk)
    return path


def truncated_zip(tmp_path: Path) -> Path:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("sleep-export.csv", "".join(f"Id,Tz,From,To,{n}\n" for n in range(9999)))
    whole = buffer.getvalue()
    return write(tmp_path, "sleep-export.zip", whole[: len(whole) // 2])


GOOD_ROW = '"2021-11-28 11:09PM","2021-11-29 7:17AM","420","68","37","488","88","240","92"\n'
FITBIT_HEADER = (
    "Start Time,End Time,Minutes Asleep,Minutes Awake,Number of Awakenings,Time in Bed,"
    "Minutes REM Sleep,Minutes Light Sleep,Minutes Deep Sleep\n"
)


@pytest.mark.parametrize(
    ("make", "fragment"),
    [
        (truncated_zip, "the zip file is damaged or cut short"),
        (
            lambda p: write(p, "habits.csv", b"Date,Habit,Done\n2024-01-01,Walk,1\n"),
            "is not a sleep export",
        ),
        (
            lambda p: write(
                p,
                "export.xml",
                (
                    APPLE_HEAD
                    + ' <Record type="HKQuantityTypeIdentifierStepCount" value="1"/>\n' * 2000
                    + "</HealthData>"
                ).encode(),
            ),
            "no sleep records in it",
        ),
        (zip_bomb, "would unpack to"),
        (
            lambda p: write(
                p,
                "fitbit.csv",
                (FITBIT_HEADER + GOOD_ROW).encode("utf-16"),
            ),
            "is not UTF-8 text",
        ),
        (
            lambda p: write(
                p,
                "fitbit.csv",
                (
                    FITBIT_HEADER
                    + GOOD_ROW
                    + '"Bäckerei","2021-11-30 7:17AM","1","1","1","1","1","1","1"\n'
                ).encode("latin-1"),
            ),
            "is not UTF-8 text",
        ),
        (
            lambda p: write(
                p,
                "fitbit.csv",
                (
                    FITBIT_HEADER
                    + GOOD_ROW
                    + GOOD_ROW.replace('"2021-11-28 11:09PM"', '"yesterday night"')
                ).encode(),
            ),
            "fitbit.csv line 3: Start Time 'yesterday night' cannot be read",
        ),
        (
            lambda p: write(
                p,
                "export.xml",
                (
                    APPLE_HEAD
                    + apple_record(
                        "W", "AsleepCore", "2024-03-31 23:00:00 +0100", "2024-04-01 01:00:00 +0100"
                    )
                ).encode(),
            ),
            "the XML is damaged or cut short",
        ),
    ],
    ids=[
        "truncated-zip",
        "other-app-csv",
        "xml-without-sleep",
        "zip-bomb",
        "utf-16",
        "latin-1",
        "bad-date",
        "truncated-xml",
    ],
)
def test_bad_files_fail_with_one_line_and_change_nothing(
    tmp_path: Path, engine: Engine, make: object, fragment: str
) -> None:
    assert callable(make)
    path = make(tmp_path)
    with pytest.raises(AnkleSleepError) as caught:
        import_export(engine, path, AMSTERDAM, NOW)
    assert fragment in caught.value.message and "\n" not in caught.value.message
    with engine.connect() as conn:
        assert store.count(conn) == 0


def fitbit_json_with(extra: str) -> bytes:
    head = '[{"logId": 1, "startTime": "2026-03-12T23:00:00.000", "pad": '
    return (head + extra + "}]").encode()


def test_a_deeply_nested_fitbit_json_is_one_line(tmp_path: Path, engine: Engine) -> None:
    deep = "[" * 100_000 + "]" * 100_000
    path = write(tmp_path, "sleep-2026-03-01.json", fitbit_json_with(deep))
    with pytest.raises(AnkleSleepError) as caught:
        import_export(engine, path, AMSTERDAM, NOW)
    assert "nests too deeply" in caught.value.message


def test_a_fitbit_json_is_read_within_a_limit(
    tmp_path: Path, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    from anklesleep.trackers import fitbit_json

    monkeypatch.setattr(fitbit_json, "MAX_JSON_BYTES", 1000)
    path = tmp_path / "export.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("sleep-2026-03-01.json", fitbit_json_with('"' + "ab" * 800 + '"'))
    with pytest.raises(AnkleSleepError) as caught:
        import_export(engine, path, AMSTERDAM, NOW)
    assert "is larger than a Fitbit sleep file can be" in caught.value.message
    with engine.connect() as conn:
        assert store.count(conn) == 0


@pytest.mark.skipif(not Path("/dev/null").exists(), reason="no /dev/null here")
def test_a_device_is_refused_before_it_is_read(engine: Engine) -> None:
    with pytest.raises(AnkleSleepError) as caught:
        import_export(engine, Path("/dev/null"), AMSTERDAM, NOW)
    assert "is not a file, a folder or a zip" in caught.value.message


def test_a_bad_row_after_good_ones_imports_nothing(tmp_path: Path, engine: Engine) -> None:
    good = GOOD_ROW
    path = write(
        tmp_path,
        "s.csv",
        (
            FITBIT_HEADER
            + good * 3
            + '"2021-11-28 11:09PM","2021-11-29 7:17AM","lots","68","37","488","88","240","92"\n'
        ).encode(),
    )
    with pytest.raises(AnkleSleepError, match=r"s.csv line 5: Minutes Asleep 'lots'"):
        import_export(engine, path, AMSTERDAM, NOW)
    with engine.connect() as conn:
        assert store.count(conn) == 0


def test_the_same_sleep_from_fitbit_csv_then_json_is_replaced_not_added(
    tmp_path: Path, engine: Engine
) -> None:
    csv_path = write(
        tmp_path,
        "s.csv",
        (
            FITBIT_HEADER
            + '"2021-03-01 11:00PM","2021-03-02 7:00AM","450","30","5","480","60","330","60"\n'
        ).encode(),
    )
    json_path = tmp_path / "sleep-2021-03-01.json"
    json_path.write_text(
        json.dumps([fitbit_log(7, "2021-03-01T23:00:00.000", "2021-03-02T07:00:00.000", 480)])
    )
    assert import_export(engine, csv_path, AMSTERDAM, NOW).saved.added == 1
    second = import_export(engine, json_path, AMSTERDAM, NOW).saved
    assert (second.added, second.replaced) == (0, 1)
    with engine.connect() as conn:
        (stored,) = store.between(conn, dt.date(2021, 3, 1), dt.date(2021, 3, 3))
    assert stored.record_id == "7" and stored.start.utcoffset() == dt.timedelta(hours=1)


# --- the web page -----------------------------------------------------------------------------


@needs_samples
def test_upload_on_the_sleep_page_then_history_and_the_form_show_the_tracker(
    engine: Engine, tmp_path: Path
) -> None:
    from tests.web_helpers import Clock, client, csrf

    c, _renderer = client(
        engine, tmp_path, clock=Clock(dt.datetime(2021, 12, 1, 9, 0, tzinfo=dt.UTC))
    )
    body = sample("fitbit-csv", "_parvej.csv").read_bytes()
    refused = c.post("/sleep/import?name=x.csv", content=body)  # no CSRF token
    assert refused.status_code == 403
    answer = c.post("/sleep/import?name=sleep.csv", content=body, headers=csrf(c))
    assert answer.status_code == 200, answer.text
    assert "Saved: 33 new" in answer.json()["summary"]
    again = c.post("/sleep/import?name=sleep.csv", content=body, headers=csrf(c)).json()
    assert "0 new, 0 updated, 33 already there" in again["summary"]
    bad = c.post("/sleep/import?name=notes.csv", content=b"a,b\n1,2\n", headers=csrf(c))
    assert bad.status_code == 400 and "is not a sleep export" in bad.json()["error"]
    history = c.get("/history").text
    assert "Tracker: asleep" in history
    assert 'data-night="2021-11-29"' in history and "no diary entry" in history
    page = c.get("/sleep?night=2021-11-29").text
    assert 'data-testid="tracker-night"' in page and 'data-testid="from-tracker"' in page
    # the form starts from the tracker's times (23:09 to 07:17 UTC), editable
    assert 'name="into_bed" value="23:09"' in page and 'name="out_of_bed" value="07:17"' in page
    assert 'name="waso_minutes" value="68"' in page


def test_the_upload_route_takes_files_larger_than_a_form_body(
    engine: Engine, tmp_path: Path
) -> None:
    """Other routes refuse bodies over 8 MB; the tracker upload streams its file to disk."""
    from anklesleep.web.security import MAX_REQUEST_BYTES
    from tests.web_helpers import client, csrf

    c, _ = client(engine, tmp_path)
    big = b"x" * (MAX_REQUEST_BYTES + 1024)
    assert c.put("/api/settings", content=big, headers=csrf(c)).status_code == 413
    answer = c.post("/sleep/import?name=big.csv", content=big, headers=csrf(c))
    assert answer.status_code == 400  # read whole, then refused as no known export
    assert "413" not in answer.text


@pytest.mark.parametrize(
    ("start", "refused"),
    [
        ("2024-03-31 23:00:00 +0100", None),
        ("2024-13-31 23:00:00 +0100", "export.xml record 2: startDate '2024-13-31 23:00:00 +0100'"),
        ("2024-03-31 23:00 +0100", "export.xml record 2: startDate '2024-03-31 23:00 +0100'"),
        ("2024-03-31", "export.xml record 2: startDate '2024-03-31'"),
    ],
)
def test_apple_dates_are_read_in_apples_form_only(
    tmp_path: Path, start: str, refused: str | None
) -> None:
    """The fast date path gives the same instants as strptime and refuses what it refused."""
    body = (
        APPLE_HEAD
        + ' <Record type="HKQuantityTypeIdentifierStepCount" value="1"/>\n'
        + apple_record("W", "AsleepCore", start, "2024-04-01 07:00:00 +0100")
        + "</HealthData>\n"
    )
    path = write(tmp_path, "export.xml", body.encode())
    if refused is None:
        (night,) = read_export(path, LONDON).nights
        assert night.asleep_minutes == 8 * 60
        assert night.start == dt.datetime(
            2024, 3, 31, 23, tzinfo=dt.timezone(dt.timedelta(hours=1))
        )
    else:
        with pytest.raises(AnkleSleepError, match="cannot be read") as caught:
            read_export(path, LONDON)
        assert caught.value.message.startswith(refused)
