"""The fast XML scan finds exactly the records a full parse finds, numbered the same, across any
chunk boundary, and still refuses a damaged document with its line."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from anklesleep.trackers import xml_scan
from anklesleep.trackers.xml_scan import Damaged, Scan, elements

SLEEP = "HKCategoryTypeIdentifierSleepAnalysis"
MARKER = SLEEP.encode()

HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE HealthData [
<!ELEMENT HealthData (Record|Workout)*>
]>
<HealthData locale="en_GB">
"""

RECORDS = [
    # plain, self-closing
    f' <Record type="{SLEEP}" sourceName="Watch" value="InBed"/>\n',
    # entities, a raw ">" and non-ASCII text inside values; children after it
    f' <Record type="{SLEEP}" sourceName="Åsa&apos;s &lt;Watch&gt; > x" value="Awake">\n'
    '  <MetadataEntry key="k" value="v"/>\n </Record>\n',
    # single quotes, attributes over several lines, the type not first
    f" <Record\n   value='AsleepREM'\n   type='{SLEEP}' />\n",
    # the sleep type mentioned by another element or another attribute: not a sleep record
    f' <Workout type="{SLEEP}"/>\n',
    f' <Record type="HKQuantityTypeIdentifierHeartRate" note="{SLEEP}" value="60"/>\n',
    ' <Record type="HKQuantityTypeIdentifierStepCount" value="5"/>\n',
    " <!-- a comment < with a bracket -->\n",
]


def reference(document: bytes) -> list[tuple[int, dict[str, str]]]:
    """What a full ElementTree parse sees: every Record of the sleep type, numbered."""
    records = ET.fromstring(document).iter("Record")
    return [
        (number, dict(element.attrib))
        for number, element in enumerate(records, start=1)
        if element.get("type") == SLEEP
    ]


def scanned(document: bytes) -> tuple[list[tuple[int, dict[str, str]]], Scan]:
    scan = Scan()
    found = [
        (f.number, f.attributes)
        for f in elements(io.BytesIO(document), "Record", MARKER, scan, "HealthData")
        if f.attributes.get("type") == SLEEP
    ]
    return found, scan


@settings(max_examples=150, deadline=None)
@given(
    picks=st.lists(st.integers(0, len(RECORDS) - 1), min_size=0, max_size=40),
    chunk=st.integers(1, 97),
)
def test_the_scan_agrees_with_a_full_parse_at_every_chunk_size(
    picks: list[int], chunk: int
) -> None:
    document = (HEAD + "".join(RECORDS[k] for k in picks) + "</HealthData>\n").encode()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(xml_scan, "_CHUNK", chunk)
        found, scan = scanned(document)
    assert found == reference(document)
    assert scan.root == "HealthData"


def test_entities_and_quotes_are_decoded_as_xml_says() -> None:
    document = (HEAD + RECORDS[1] + RECORDS[2] + "</HealthData>").encode()
    found, _scan = scanned(document)
    assert [attrs["sourceName"] for _n, attrs in found[:1]] == ["Åsa's <Watch> > x"]
    assert found[1] == (2, {"value": "AsleepREM", "type": SLEEP})


@pytest.mark.parametrize("chunk", [7, 1 << 20])
def test_a_damaged_middle_or_a_cut_end_fails_with_its_line(chunk: int) -> None:
    damaged = (
        HEAD + RECORDS[0] * 3 + " <Record type=oops/>\n" + RECORDS[0] + "</HealthData>"
    ).encode()
    cut = (HEAD + RECORDS[0] * 3).encode()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(xml_scan, "_CHUNK", chunk)
        with pytest.raises(Damaged) as caught:
            scanned(damaged)
        assert caught.value.line == HEAD.count("\n") + 4
        with pytest.raises(Damaged):
            scanned(cut)


def test_another_root_stops_the_scan_and_is_reported() -> None:
    found, scan = scanned(f'<Other><Record type="{SLEEP}"/></Other>'.encode())
    assert scan.root == "Other" and found == []


def test_text_longer_than_a_chunk_keeps_the_numbering() -> None:
    """Text with no tag in it, longer than what is carried between chunks, loses nothing."""
    text = "x" * (3 * xml_scan._CARRY)
    document = (HEAD + RECORDS[0] + f"<Record type='a'>{text}</Record>" + RECORDS[0]).encode()
    document += b"</HealthData>"
    found, _scan = scanned(document)
    assert [n for n, _a in found] == [1, 3]
