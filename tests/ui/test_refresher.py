"""The refresh logic without a UI: one run at a time, progress per feed, the outcome
and the texts made from it, against a real SQLite file and feed files on disk."""

from __future__ import annotations

from pathlib import Path

from newsreader.config import parse_config
from newsreader.model import FeedOutcome
from newsreader.ui.refresher import Refresher, failure_notice, progress_text

RSS = """<?xml version="1.0"?>
<rss version="2.0"><channel><title>Harbour notes</title><link>https://example.org/</link>
<item><title>Ferry timetable changes in spring</title><link>https://example.org/1</link>
<guid>h-1</guid><description>The early boat leaves ten minutes sooner.</description></item>
</channel></rss>
"""


class Recorder:
    """Keeps every report, and which of them came through the thread hop."""

    def __init__(self) -> None:
        self.events: list[tuple] = []
        self.hopped = 0

    def call(self, function, *args):  # type: ignore[no-untyped-def]
        self.hopped += 1
        return function(*args)

    def refresh_progress(self, status: str) -> None:
        self.events.append(("progress", status))

    def feed_arrived(self, name: str, changed: bool, status: str) -> None:
        self.events.append(("arrived", name, changed, status))

    def refresh_idle(self) -> None:
        self.events.append(("idle",))

    def refresh_failed(self, message: str) -> None:
        self.events.append(("failed", message))

    def refresh_done(self, outcomes, statuses) -> None:  # type: ignore[no-untyped-def]
        self.events.append(("done", sorted((o.name, o.status) for o in outcomes), statuses))


def _feeds(tmp_path: Path, text: str):  # type: ignore[no-untyped-def]
    """The config's feeds, known to the store at tmp_path/news.db as at start-up."""
    from newsreader.store import Store

    (tmp_path / "harbour.rss").write_text(RSS, encoding="utf-8")
    feeds = parse_config(text, tmp_path / "feeds.yaml").feeds
    with Store.open(tmp_path / "news.db") as store:
        store.sync_feeds(feeds)
    return feeds


TWO = "feeds:\n  - {name: Harbour, path: harbour.rss}\n  - {name: Gone, path: missing.rss}\n"


def test_only_one_run_is_claimed_at_a_time(tmp_path):
    feeds = _feeds(tmp_path, TWO)
    refresher = Refresher(tmp_path / "news.db", feeds, clock=lambda: 0.0)
    assert refresher.start(["Nobody"]) is None
    assert not refresher.running
    assert [f.name for f in refresher.start(None) or []] == ["Harbour", "Gone"]
    assert refresher.running and not refresher.chosen
    assert refresher.start(None) is None
    refresher.finish()
    assert [f.name for f in refresher.start(["Gone"]) or []] == ["Gone"]
    assert refresher.chosen
    assert Refresher(None, feeds, clock=lambda: 0.0).start(None) is None


def test_a_run_reports_each_feed_then_the_outcome(tmp_path):
    feeds = _feeds(tmp_path, TWO)
    refresher = Refresher(tmp_path / "news.db", feeds, clock=lambda: 0.0)
    recorder = Recorder()
    refresher.run(refresher.start(None) or [], recorder, due_only=False, call=recorder.call)
    arrived = [e for e in recorder.events if e[0] == "arrived"]
    assert sorted(e[3] for e in arrived) == [progress_text(1, 2), progress_text(2, 2)]
    assert ("arrived", "Harbour", True) in [e[:3] for e in arrived]
    assert ("arrived", "Gone", False) in [e[:3] for e in arrived]
    kind, outcomes, statuses = recorder.events[-1]
    assert kind == "done" and outcomes == [("Gone", "error"), ("Harbour", "ok")]
    assert set(statuses) == {"Gone", "Harbour"}
    assert recorder.hopped == len(recorder.events) == 3


def test_due_only_skips_feeds_tried_within_their_interval(tmp_path):
    from datetime import UTC, datetime

    feeds = _feeds(
        tmp_path, "feeds:\n  - {name: Harbour, path: harbour.rss, refresh_minutes: 30}\n"
    )
    now = [datetime.now(UTC).timestamp()]
    refresher = Refresher(tmp_path / "news.db", feeds, clock=lambda: now[0])
    first = Recorder()
    refresher.run(feeds, first, due_only=True)
    assert first.events[0] == ("progress", progress_text(0, 1))
    assert first.events[-1][0] == "done"
    again = Recorder()
    refresher.run(feeds, again, due_only=True)
    assert again.events == [("idle",)]
    now[0] += 31 * 60  # past its refresh_minutes
    later = Recorder()
    refresher.run(feeds, later, due_only=True)
    assert later.events[0] == ("progress", progress_text(0, 1))
    assert later.events[-1][0] == "done"


def test_a_store_that_cannot_open_is_one_failure_line(tmp_path):
    feeds = _feeds(tmp_path, TWO)
    (tmp_path / "not-a-db").mkdir()
    recorder = Recorder()
    Refresher(tmp_path / "not-a-db", feeds, clock=lambda: 0.0).run(feeds, recorder, due_only=False)
    [(kind, message)] = recorder.events
    assert kind == "failed" and message and "\n" not in message


def test_arrived_feeds_are_taken_once(tmp_path):
    refresher = Refresher(tmp_path / "news.db", [], clock=lambda: 0.0)
    refresher.arrived.add("A")
    assert refresher.take_arrived() == {"A"}
    assert refresher.take_arrived() == set()


def test_the_failure_notice_names_three_reasons_at_most():
    assert failure_notice([FeedOutcome("A", "ok"), FeedOutcome("B", "not modified")]) is None
    reasons = [FeedOutcome(f"F{i}", "error", error=f"f{i}.xml: HTTP 500") for i in range(5)]
    waiting = FeedOutcome("W", "waiting", error="w.xml: retry after 60 s")
    assert failure_notice([waiting]) == "w.xml: retry after 60 s"
    assert failure_notice(reasons) == (
        "f0.xml: HTTP 500\nf1.xml: HTTP 500\nf2.xml: HTTP 500\n(and 2 more)"
    )
    assert progress_text(3, 2) == "⟳ Refreshing 2/2"


def test_pressing_refresh_asks_a_feed_told_to_wait(tmp_path):
    from datetime import UTC, datetime, timedelta

    from newsreader.store import Store

    feeds = _feeds(tmp_path, "feeds:\n  - {name: Harbour, path: harbour.rss}\n")
    later = datetime.now(UTC) + timedelta(hours=1)
    with Store.open(tmp_path / "news.db") as store:
        store.save_error("Harbour", "harbour.rss: asked to wait", next_attempt=later)
    refresher = Refresher(tmp_path / "news.db", feeds, clock=lambda: 0.0)
    timer = Recorder()
    refresher.run(feeds, timer, due_only=True)
    assert timer.events == [("idle",)]
    pressed = Recorder()
    refresher.run(feeds, pressed, due_only=False)
    assert pressed.events[-1][:2] == ("done", [("Harbour", "ok")])


def test_a_large_run_in_the_reader_parses_on_a_thread(tmp_path, monkeypatch):
    """Worker processes would share the reader's terminal: the reader never starts them."""
    from newsreader import parse_pool

    many = "feeds:\n" + "".join(
        f"  - {{name: 'H{i}', path: harbour.rss}}\n" for i in range(parse_pool.POOL_FROM + 2)
    )
    feeds = _feeds(tmp_path, many)

    def no_pool(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("the reader started worker processes")

    monkeypatch.setattr(parse_pool.ParsePool, "_run_in_worker", no_pool)
    refresher = Refresher(tmp_path / "news.db", feeds, clock=lambda: 0.0)
    recorder = Recorder()
    refresher.run(refresher.start(None) or [], recorder, due_only=False, call=recorder.call)
    kind, outcomes, _ = recorder.events[-1]
    assert kind == "done" and {status for _, status in outcomes} == {"ok"}
    assert len(outcomes) == len(feeds)
