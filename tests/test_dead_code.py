"""No dead code in the package: vulture reads the package with the tests, benchmarks and
scripts that use it, and every name it reports unused must be one listed here with the reason
it is used after all (by click, SQLAlchemy, pydantic, a template, a JSON output)."""

from __future__ import annotations

from pathlib import Path

import pytest
import vulture

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "anklesleep"

#: Commands are found by click through their decorators, never called by name.
DECORATORS = ["@click.command", "@click.group", "@*.command", "@*.group"]

#: Names used where vulture cannot see: by a library, a template, or a JSON document.
USED_ELSEWHERE = {
    # lru_cache keys (the arguments make the key; the body does not read them)
    "mtime_ns",
    # onnxruntime session options, set as attributes
    "intra_op_num_threads",
    "inter_op_num_threads",
    # click: a Group override, and the messages marked for the catalog
    "format_commands",
    "WORDS",
    # SQLAlchemy: the driver connection's attributes and a TypeDecorator's hooks
    "isolation_level",
    "text_factory",
    "impl",
    "cache_ok",
    "process_bind_param",
    "process_result_value",
    # expat's handler attribute
    "StartElementHandler",
    # the lazy `store` package (PEP 562)
    "__getattr__",
    # Alembic migration scripts
    "down_revision",
    "branch_labels",
    "depends_on",
    "downgrade",
    # pydantic: settings and fields that exist for the OpenAPI document
    "model_config",
    "tib_minutes",
    "tst_minutes",
    "se_percent",
    "tib_after_final_minutes",
    "tib_before_trying_minutes",
    "quality_label",
    "first_cue",
    "audio_url",
    "download_url",
    "chapters_url",
    "last_night",
    "last_night_metrics",
    "diary_nudge",
    "safety_acknowledged_at",
    # dataclass fields and properties in `--json` output or read by templates
    "smallest_possible_p",
    "diary_rate",
    "row_heads",
    "last_session",
    "acknowledged_session",
}


def unused() -> list[str]:
    checker = vulture.Vulture(ignore_names=sorted(USED_ELSEWHERE), ignore_decorators=DECORATORS)
    checker.scavenge([str(PACKAGE), *(str(ROOT / d) for d in ("tests", "benchmarks", "scripts"))])
    return [
        item.get_report(add_size=False)
        for item in checker.get_unused_code(min_confidence=60)
        if Path(item.filename).resolve().is_relative_to(PACKAGE)
    ]


@pytest.mark.slow
def test_vulture_finds_no_dead_code_in_the_package() -> None:
    found = unused()
    assert not found, "\n".join(found)
