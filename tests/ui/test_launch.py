"""The reader's exit code: a crash inside the app is never exit 0."""

from __future__ import annotations

import functools

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
