"""The reader's exit code: a crash inside the app is never exit 0."""

from __future__ import annotations

import functools
import os

from textual.app import App

from newsreader.ui import launch
from newsreader.ui.app import NewsreaderApp


def _headless(monkeypatch):
    monkeypatch.setattr(App, "run", functools.partialmethod(App.run, headless=True))


def test_a_crash_inside_the_app_gives_a_non_zero_exit_code(tmp_path, monkeypatch):
    config_path = tmp_path / "feeds.yaml"
    config_path.write_text("feeds:\n  - name: One\n    path: one.xml\n", encoding="utf-8")

    def crash(self: NewsreaderApp) -> None:
        raise RuntimeError("boom inside the reader")

    _headless(monkeypatch)
    monkeypatch.setattr(NewsreaderApp, "on_mount", crash)
    code = launch.run_reader(config_path, tmp_path / "news.db")
    assert code != 0


def test_a_clean_quit_gives_exit_code_zero(tmp_path, monkeypatch):
    config_path = tmp_path / "feeds.yaml"
    config_path.write_text("feeds:\n  - name: One\n    path: one.xml\n", encoding="utf-8")

    def quit_at_once(self: NewsreaderApp) -> None:
        self.set_timer(0.3, self.action_quit)  # as `q` would, once the screen is drawn

    _headless(monkeypatch)
    monkeypatch.setattr(NewsreaderApp, "on_mount", quit_at_once)
    assert launch.run_reader(config_path, tmp_path / "news.db") == 0


def test_the_reader_raises_textuals_frame_cap_unless_the_user_set_one(tmp_path, monkeypatch):
    """At Textual's 60 a key's frame waits up to two frame times after the last one."""
    config = tmp_path / "feeds.yaml"
    config.write_text("feeds:\n  - name: One\n    path: one.xml\n", encoding="utf-8")
    seen: list[str | None] = []
    monkeypatch.setattr(
        launch, "_start_store", lambda *a: seen.append(os.environ.get("TEXTUAL_FPS")) or 0
    )
    monkeypatch.setenv("TEXTUAL_FPS", "")  # recorded, so the value set below is undone
    monkeypatch.delenv("TEXTUAL_FPS")
    launch.run_reader(config, tmp_path / "news.db")
    monkeypatch.setenv("TEXTUAL_FPS", "30")
    launch.run_reader(config, tmp_path / "news.db")
    assert seen == [str(launch.FRAME_RATE), "30"]
