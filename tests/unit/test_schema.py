from datetime import UTC, date, datetime, timedelta

import pytest

from clinicpress.diagnostics import Diagnostics
from clinicpress.sources.schema import (
    FieldError,
    Where,
    boolean,
    calendar_date,
    link_target,
    text,
    text_list,
    timestamp,
)

W = Where("post.md", 3, Diagnostics())


def test_dates_and_datetimes_normalise_to_comparable_values() -> None:
    day = timestamp("2024-05-01", W)
    moment = timestamp("2024-05-01T09:30:00+02:00", W)
    assert day == datetime(2024, 5, 1, tzinfo=UTC)
    assert moment.utcoffset() == timedelta(hours=2)
    assert sorted([moment, day]) == [day, moment]  # no TypeError mixing the two
    assert calendar_date("2024-05-01 10:00", W) == date(2024, 5, 1)
    assert timestamp("2024-05-01T07:30Z", W).tzinfo == UTC


@pytest.mark.parametrize(("value", "message"), [
    ("2024-02-30", "'2024-02-30' is not a real date (day is out of range for month)"),
    ("May 1st", "expected a date like 2024-05-31, got the text 'May 1st'"),
    (20240501, "expected a date like 2024-05-31, got the number 20240501"),
])
def test_bad_dates(value: object, message: str) -> None:
    with pytest.raises(FieldError, match="^" + message.replace("(", r"\(").replace(")", r"\)")):
        timestamp(value, W)


def test_wrong_types_have_a_hint() -> None:
    with pytest.raises(FieldError, match=r"expected text, got the number 2024 \(put it in quotes\)"):
        text(2024, W)
    with pytest.raises(FieldError, match=r"remove the quotes"):
        boolean("false", W)
    with pytest.raises(FieldError, match=r"write true or false"):
        boolean("NO", W)
    with pytest.raises(FieldError, match=r"write \[pain\]"):
        text_list("pain", W)


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "java\tscript:x",
                                 "vbscript:x", "data:text/html,x"])
def test_script_urls_are_refused(url: str) -> None:
    with pytest.raises(FieldError, match="not allowed"):
        link_target(url, W)


def test_ordinary_links_pass() -> None:
    for url in ("https://example.org/", "/about/", "mailto:a@b.org", "tel:+15550100", "#x",
                "images/a.png"):
        assert link_target(url, W) == url
