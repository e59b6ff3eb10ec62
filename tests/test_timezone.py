"""Detecting the user's IANA zone and checking zone names."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from anklesleep.basics.errors import AnkleSleepError
from anklesleep.schedule import timezones as timezone


@pytest.fixture
def no_files(tmp_path: Path) -> dict[str, Path]:
    """Paths for /etc/timezone and /etc/localtime that do not exist."""
    return {"etc_timezone": tmp_path / "timezone", "etc_localtime": tmp_path / "localtime"}


@pytest.mark.parametrize(
    ("tz", "expected"),
    [
        ("Europe/London", "Europe/London"),
        (":America/New_York", "America/New_York"),
        ("/usr/share/zoneinfo/Asia/Tokyo", "Asia/Tokyo"),
        (":/usr/share/zoneinfo/Europe/Paris", "Europe/Paris"),
        ("Etc/UTC", "UTC"),
    ],
)
def test_tz_variable_comes_first(tz: str, expected: str, no_files: dict[str, Path]) -> None:
    (no_files["etc_timezone"]).write_text("Australia/Sydney\n")
    assert timezone.detect({"TZ": tz}, **no_files) == expected


def test_etc_timezone_then_localtime_symlink(no_files: dict[str, Path]) -> None:
    no_files["etc_localtime"].symlink_to("/usr/share/zoneinfo/America/Chicago")
    assert timezone.detect({}, **no_files) == "America/Chicago"
    no_files["etc_timezone"].write_text("Europe/Berlin\n")
    assert timezone.detect({}, **no_files) == "Europe/Berlin"


def test_unusable_sources_are_skipped(no_files: dict[str, Path]) -> None:
    no_files["etc_timezone"].write_text("Not/AZone\n")
    no_files["etc_localtime"].symlink_to("/usr/share/zoneinfo/Pacific/Auckland")
    env = {"TZ": "EST5EDT,M3.2.0,M11.1.0x"}  # a POSIX rule, not an IANA name
    assert timezone.detect(env, **no_files) == "Pacific/Auckland"


def test_falls_back_to_utc(no_files: dict[str, Path]) -> None:
    assert timezone.detect({}, **no_files) == "UTC"
    no_files["etc_timezone"].write_bytes(b"\xff\xfe")
    no_files["etc_localtime"].write_text("a regular file, not a symlink")
    assert timezone.detect({"TZ": "   "}, **no_files) == "UTC"


def test_localtime_without_zoneinfo_in_its_path(no_files: dict[str, Path]) -> None:
    no_files["etc_localtime"].symlink_to("/somewhere/else")
    assert timezone.detect({"TZ": "localtime"}, **no_files) == "UTC"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Europe/London", "Europe/London"),
        ("  america/new_york ", "America/New_York"),
        ("utc", "UTC"),
        ("Etc/UTC", "UTC"),
        ("GMT", "UTC"),
        ("Asia/Kolkata", "Asia/Kolkata"),
    ],
)
def test_check_accepts_names_in_any_case(typed: str, expected: str) -> None:
    assert timezone.check(typed) == expected


@pytest.mark.parametrize(
    "bad", ["", "Mars/Olympus", "localtime", "../../etc/passwd", "/etc/localtime", "Factory", "+01"]
)
def test_check_rejects_with_one_line(bad: str) -> None:
    with pytest.raises(AnkleSleepError) as info:
        timezone.check(bad, field="timezone")
    message = info.value.message
    assert message.startswith(f"timezone: got {bad!r}; use an IANA time zone name")
    assert "\n" not in message
    assert info.value.field == "timezone"


def test_zone_loads_checked_names() -> None:
    assert str(timezone.zone("europe/london")) == "Europe/London"


@given(st.text(max_size=40))
def test_check_only_ever_answers_a_name_or_an_anklesleep_error(text: str) -> None:
    try:
        name = timezone.check(text)
    except AnkleSleepError as exc:
        assert "\n" not in exc.message
    else:
        assert timezone.check(name) == name  # a checked name stays valid


def test_usual_zones_are_checked_without_walking_the_zone_folders(
    monkeypatch: pytest.MonkeyPatch, no_files: dict[str, Path]
) -> None:
    """Listing every zone opens hundreds of files (tens of milliseconds on each `slots`): the
    names the tzdata package lists, and UTC's, are known without it."""

    def walk() -> set[str]:
        raise AssertionError("walked the zone folders")

    monkeypatch.setattr(timezone.zoneinfo, "available_timezones", walk)
    timezone._available.cache_clear()
    for name in ("Europe/London", "Asia/Tokyo", "America/Argentina/Buenos_Aires", "Etc/UTC"):
        assert timezone.check(name) == timezone.normalize(name)
    assert timezone.detect({"TZ": "Europe/Paris"}, **no_files) == "Europe/Paris"
    assert timezone.detect({}, **no_files) == "UTC"
