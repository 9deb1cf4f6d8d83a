"""feeds.yaml loading: every error names its line, settings cascade, paths resolve."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from newsreader.cli import main
from newsreader.commands.check import run_check
from newsreader.config import load_config
from newsreader.errors import ConfigError
from newsreader.model import DEFAULT_GROUP, FeedSettings


def write(folder: Path, text: str, name: str = "feeds.yaml") -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def error_of(folder: Path, text: str) -> ConfigError:
    path = write(folder, text)
    with pytest.raises(ConfigError) as info:
        load_config(path)
    return info.value


# Each case: the YAML, the line the error must name, words the message must hold.
BAD_CONFIGS = [
    pytest.param(
        """\
        feeds:
          - name: A
            ur: https://a.example.org/feed
        """,
        3,
        ["unknown key 'ur'", "did you mean 'url'"],
        id="unknown-feed-key",
    ),
    pytest.param(
        """\
        setings:
          theme: dark
        """,
        1,
        ["unknown key 'setings'", "did you mean 'settings'"],
        id="unknown-top-key",
    ),
    pytest.param(
        """\
        settings:
          theme: dark
          refresh_minuts: 5
        """,
        3,
        ["unknown key 'refresh_minuts' in settings", "did you mean 'refresh_minutes'"],
        id="unknown-settings-key",
    ),
    pytest.param(
        """\
        feeds:
          - name: A
            group: Tech
        """,
        2,
        ["needs one of url:, path: or source:"],
        id="missing-target",
    ),
    pytest.param(
        """\
        feeds:
          - name: A
            url: https://a.example.org/feed
            path: local/a.xml
        """,
        4,
        ["both url: and path:"],
        id="two-targets",
    ),
    pytest.param(
        """\
        feeds:
          - name: A
            url: https://a.example.org/feed
          - name: B
            url: https://b.example.org/feed
          - name: A
            path: a.xml
        """,
        6,
        ["duplicate feed name 'A'", "first at line 2"],
        id="duplicate-name",
    ),
    pytest.param(
        """\
        feeds:
          - name: A
            url: ftp://a.example/feed
        """,
        3,
        ["unsupported scheme 'ftp'", "http, https or file"],
        id="ftp-scheme",
    ),
    pytest.param(
        """\
        feeds:

          - name: A
            url: javascript:alert(1)
        """,
        4,
        ["unsupported scheme 'javascript'"],
        id="javascript-scheme",
    ),
    pytest.param(
        """\
        feeds:
          - name: A
            url: a.example/feed
        """,
        3,
        ["needs a scheme"],
        id="no-scheme",
    ),
    pytest.param(
        """\
        feeds:
          - name: A
            url: https:///feed
        """,
        3,
        ["names no host"],
        id="no-host",
    ),
    pytest.param(
        """\
        feeds:
          - name: A
            source: no-such-plugin
        """,
        3,
        ["unknown source 'no-such-plugin'", "no such plugin installed", "almanac"],
        id="unknown-plugin",
    ),
    pytest.param(
        """\
        feeds:
          - name: A
            source: almanc
        """,
        3,
        ["did you mean 'almanac'"],
        id="misspelt-plugin",
    ),
    pytest.param(
        """\
        feeds:
          - name: A
            source: http
        """,
        3,
        ["built in", "url:"],
        id="builtin-as-source",
    ),
    pytest.param(
        """\
        feeds:
          - name: A
            url: https://a.example.org/feed
            options: {count: 3}
        """,
        4,
        ["options: only applies to source: feeds"],
        id="options-without-source",
    ),
    pytest.param(
        """\
        feeds:
          - name: A
            source: almanac
            options: [1, 2]
        """,
        4,
        ["options must be a mapping, not a list"],
        id="options-not-mapping",
    ),
    pytest.param(
        """\
        feeds:
          - name: A
            url: [https://a.example.org/feed
        """,
        4,
        ["invalid YAML", "line 3"],
        id="yaml-syntax-unclosed",
    ),
    pytest.param(
        """\
        feeds:
          - name: A
             url: https://a.example.org/feed
        """,
        3,
        ["invalid YAML"],
        id="yaml-syntax-indent",
    ),
    pytest.param(
        """\
        feeds:
          name: A
        """,
        2,
        ["feeds must be a list of feeds, not a mapping"],
        id="feeds-not-list",
    ),
    pytest.param(
        """\
        feeds:
          - https://a.example.org/feed
        """,
        2,
        ["a feed must be a mapping", "not text"],
        id="feed-not-mapping",
    ),
    pytest.param(
        """\
        - name: A
        """,
        1,
        ["the file must be a mapping"],
        id="top-level-list",
    ),
    pytest.param(
        """\
        settings:
          refresh_minutes: "30"
        """,
        2,
        ["refresh_minutes must be a whole number, not text"],
        id="refresh-as-text",
    ),
    pytest.param(
        """\
        settings:
          refresh_minutes: true
        """,
        2,
        ["refresh_minutes must be a whole number, not true/false"],
        id="refresh-as-bool",
    ),
    pytest.param(
        """\
        settings:
          refresh_minutes: 0
        """,
        2,
        ["refresh_minutes must be from 1 to 527,040 minutes, not 0"],
        id="refresh-zero",
    ),
    pytest.param(
        """\
        feeds:
          - name: A
            url: https://a.example.org/feed
            max_articles: 2.5
        """,
        4,
        ["max_articles must be a whole number"],
        id="max-articles-float",
    ),
    pytest.param(
        """\
        settings:
          timeout: -1
        """,
        2,
        ["timeout must be more than 0 and at most 3600 seconds, not -1"],
        id="timeout-negative",
    ),
    pytest.param(
        """\
        settings:
          timeout: .nan
        """,
        2,
        ["timeout must be more than 0 and at most 3600 seconds, not .nan"],
        id="timeout-nan",
    ),
    # A name XML cannot hold made ``opml export`` write a document no parser reads.
    pytest.param(
        'feeds:\n  - name: "Caf\\uFFFF"\n    url: https://a.example.org/\n',
        2,
        ["name must not contain U+FFFF, which is not a character"],
        id="name-with-a-noncharacter",
    ),
    pytest.param(
        'feeds:\n  - url: https://a.example.org/\n    group: "G\\U0001FFFE"\n',
        3,
        ["group must not contain U+1FFFE"],
        id="group-with-a-noncharacter",
    ),
    # Numbers past their range passed the check once and then crashed ``fetch``
    # (OverflowError storing refresh_minutes 10**20 in SQLite).
    pytest.param(
        "settings:\n  refresh_minutes: 100000000000000000000\n",
        2,
        ["refresh_minutes must be from 1 to 527,040 minutes, not 100000000000000000000"],
        id="refresh-overflow",
    ),
    pytest.param(
        "settings:\n  refresh_minutes: " + "9" * 5000 + "\n",
        2,
        ["refresh_minutes must be a whole number", "too long"],
        id="refresh-thousands-of-digits",
    ),
    pytest.param(
        "settings:\n  refresh_minutes: !!int abc\n",
        2,
        ["not a valid value", "abc"],
        id="refresh-tagged-int-that-is-no-int",
    ),
    pytest.param(
        "feeds:\n  - name: A\n    url: https://a.example.org/\n    max_articles: 1.0e+30\n",
        4,
        ["max_articles must be a whole number, not 1.0e+30"],
        id="max-articles-huge-float",
    ),
    pytest.param(
        "feeds:\n  - name: A\n    url: https://a.example.org/\n    max_articles: 100000000000\n",
        4,
        ["max_articles must be from 1 to 10,000,000, not 100000000000"],
        id="max-articles-overflow",
    ),
    pytest.param(
        "settings:\n  max_articles: -3\n",
        2,
        ["max_articles must be from 1 to 10,000,000, not -3"],
        id="max-articles-negative",
    ),
    pytest.param(
        "settings:\n  timeout: 1.0e+300\n",
        2,
        ["timeout must be more than 0 and at most 3600 seconds, not 1.0e+300"],
        id="timeout-overflow",
    ),
    pytest.param(
        "settings:\n  timeout: .inf\n",
        2,
        ["timeout must be more than 0 and at most 3600 seconds, not .inf"],
        id="timeout-infinite",
    ),
    pytest.param(
        "settings:\n  timeout: yes\n",
        2,
        ["timeout must be a number of seconds, not true/false"],
        id="timeout-as-bool",
    ),
    pytest.param(
        "settings:\n  timeout: 1e3\n",
        2,
        ["timeout must be a number of seconds, not text ('1e3')"],
        id="timeout-exponent-yaml-reads-as-text",
    ),
    pytest.param(
        "settings:\n  max_size_mb: 4096\n",
        2,
        ["max_size_mb must be from 1 to 1,024 MB, not 4096"],
        id="max-size-over-the-cap",
    ),
    pytest.param(
        "settings:\n  max_size_mb: on\n",
        2,
        ["max_size_mb must be a whole number, not true/false"],
        id="max-size-as-bool",
    ),
    pytest.param(
        """\
        settings:
          timeout: soon
        """,
        2,
        ["timeout must be a number of seconds, not text ('soon')"],
        id="timeout-text",
    ),
    pytest.param(
        """\
        settings:
          theme: [dark]
        """,
        2,
        ["theme must be text, not a list"],
        id="theme-list",
    ),
    pytest.param(
        """\
        settings:
          headers:
            "Bad Header": x
        """,
        3,
        ["'Bad Header' is not a valid HTTP header name"],
        id="header-name",
    ),
    pytest.param(
        """\
        settings:
          headers:
            X-Token: "a\\r\\nX-Evil: 1"
        """,
        3,
        ["header 'X-Token' must be one line"],
        id="header-injection",
    ),
    pytest.param(
        """\
        settings:
          headers:
            X-Token: "café"
        """,
        3,
        ["header 'X-Token' must be ASCII text"],
        id="header-not-ascii",
    ),
    pytest.param(
        """\
        feeds:
          - name: "Tab\\tname"
            url: https://a.example.org/feed
        """,
        2,
        ["name must not contain control characters"],
        id="name-control-chars",
    ),
    pytest.param(
        """\
        feeds:
          - name: ""
            url: https://a.example.org/feed
        """,
        2,
        ["name must not be empty"],
        id="name-empty",
    ),
    pytest.param(
        """\
        feeds:
          - name: A
            url: https://a.example.org/feed
            group: [x]
        """,
        4,
        ["group must be text, not a list"],
        id="group-list",
    ),
    pytest.param(
        """\
        keys:
          next_unread: [n]
        """,
        2,
        ["keys.next_unread must be text, not a list"],
        id="key-list",
    ),
    pytest.param(
        """\
        keys:
          next: j
          refesh: ctrl+r
        """,
        3,
        ["unknown binding id 'refesh' in keys", "did you mean 'refresh'"],
        id="unknown-binding-id",
    ),
    pytest.param(
        "feeds: " + "[" * 20000 + "]" * 20000 + "\n",
        1,
        ["invalid YAML"],
        id="nested-too-deeply",
    ),
    pytest.param(
        """\
        feeds:
          - name: A
            source: almanac
            options:
              a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]
              b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]
              c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]
              d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]
              e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]
              f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]
        """,
        5,
        ["options hold more than 100000 values once aliases expand"],
        id="alias-bomb-in-options",
    ),
    pytest.param(
        """\
        feeds:
          - name: A
            source: almanac
            options: &loop
              again: *loop
        """,
        4,
        ["options contain themselves through an alias"],
        id="alias-cycle-in-options",
    ),
    pytest.param(
        "feeds:\n  - name: Bell\x07\n    url: https://a.example.org/\n",
        2,
        ["character #x0007 is not allowed in YAML"],
        id="raw-control-character",
    ),
    pytest.param(
        """\
        keys: [j, k]
        """,
        1,
        ["keys must be a mapping of action to key"],
        id="keys-list",
    ),
    pytest.param(
        """\
        feeds:
          - name: A
            url: https://a.example.org/feed
            url: https://b.example.org/feed
        """,
        4,
        ["duplicate key 'url'", "first at line 3"],
        id="duplicate-key",
    ),
    pytest.param(
        """\
        feeds:
          - name: A
            url: !!python/object/apply:os.system ["true"]
        """,
        3,
        ["!!python/object/apply:os.system"],
        id="python-tag",
    ),
    pytest.param(
        """\
        feeds:
          - name: A
            source: almanac
            options: {when: !!python/name:os.system }
        """,
        4,
        ["could not determine a constructor"],
        id="python-tag-in-options",
    ),
]


@pytest.mark.parametrize(("text", "line", "words"), BAD_CONFIGS)
def test_every_config_error_names_its_line(
    tmp_path: Path, text: str, line: int, words: list[str]
) -> None:
    err = error_of(tmp_path, text)
    message = str(err)
    assert err.line == line, message
    assert message.startswith(f"{tmp_path / 'feeds.yaml'}:{line}: "), message
    assert "\n" not in message
    for word in words:
        assert word in message


def test_a_missing_file_is_one_error_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "nope.yaml"
    with pytest.raises(ConfigError, match=r"nope\.yaml: no such file$"):
        load_config(path)


def test_a_folder_instead_of_a_file_is_reported(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="is a folder, expected a YAML file"):
        load_config(tmp_path)


def test_an_unreadable_file_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, "feeds: []\n")
    real_open = os.open

    def refuse(name: str, flags: int, *args: int) -> int:
        if str(name) == str(path):
            raise PermissionError(13, "Permission denied", str(name))
        return real_open(name, flags, *args)

    monkeypatch.setattr(os, "open", refuse)
    with pytest.raises(ConfigError, match=r"feeds\.yaml: cannot read: permission denied$"):
        load_config(path)


def test_bytes_that_are_not_utf8_name_their_line(tmp_path: Path) -> None:
    path = tmp_path / "feeds.yaml"
    path.write_bytes(b"feeds:\n  - name: Caf\xe9\n    url: https://a.example.org/\n")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert info.value.line == 2
    assert "not UTF-8" in str(info.value)


@pytest.mark.parametrize(
    "text", ["", "\n\n", "# nothing yet\n", "feeds:\n", "feeds: []\n", "---\n"]
)
def test_an_empty_config_is_valid_and_has_no_feeds(tmp_path: Path, text: str) -> None:
    config = load_config(write(tmp_path, text))
    assert config.feeds == ()
    assert config.groups == ()
    assert config.defaults == FeedSettings()


def test_the_bundled_default_config_is_valid(repo: Path) -> None:
    config = load_config(repo / "feeds.yaml")
    assert [f.source for f in config.feeds] == ["local"] * 4
    assert config.groups == ("Local", "Tech")
    for feed in config.feeds:
        assert Path(feed.target).is_absolute()
        assert Path(feed.target).is_relative_to(repo / "samples"), feed.target


def test_settings_cascade_into_feeds_and_feeds_override_them(tmp_path: Path) -> None:
    config = load_config(
        write(
            tmp_path,
            """\
            settings:
              theme: paper
              refresh_minutes: 15
              max_articles: 200
              timeout: 7
              headers:
                User-Agent: reader/1
                Accept-Language: en
            feeds:
              - name: Plain
                url: https://a.example.org/feed
              - name: Tuned
                url: https://b.example.org/feed
                refresh_minutes: 240
                max_articles: null
                timeout: 2.5
                headers:
                  user-agent: special/2
                  X-Key: "12"
            """,
        )
    )
    assert config.theme == "paper"
    plain, tuned = config.feeds
    assert plain.settings == config.defaults
    assert plain.settings == FeedSettings(
        refresh_minutes=15,
        max_articles=200,
        headers={"User-Agent": "reader/1", "Accept-Language": "en"},
        timeout_seconds=7.0,
    )
    assert tuned.settings.refresh_minutes == 240
    assert tuned.settings.max_articles is None
    assert tuned.settings.timeout_seconds == 2.5
    # Header names compare case-insensitively: the feed's user-agent replaces the default.
    assert dict(tuned.settings.headers) == {
        "Accept-Language": "en",
        "user-agent": "special/2",
        "X-Key": "12",
    }


def test_defaults_apply_when_settings_are_absent(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, "feeds:\n  - name: A\n    url: https://a.example.org/\n"))
    feed = config.feeds[0]
    assert config.theme is None
    assert feed.settings == FeedSettings()
    assert feed.group == DEFAULT_GROUP
    assert feed.line == 2


def test_paths_resolve_against_the_config_folder_not_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "conf"
    folder.mkdir()
    path = write(
        folder,
        """\
        feeds:
          - name: Here
            path: samples/a.xml
          - name: Up
            path: ../shared/b.xml
          - name: Home
            path: ~/news/c.xml
          - name: Absolute
            path: /srv/feeds/d.xml
        """,
    )
    monkeypatch.chdir("/")
    targets = {f.name: f.target for f in load_config(path).feeds}
    assert targets["Here"] == str(folder / "samples" / "a.xml")
    assert targets["Up"] == str(tmp_path / "shared" / "b.xml")
    assert targets["Home"] == os.path.join(os.environ["HOME"], "news", "c.xml")
    assert targets["Absolute"] == "/srv/feeds/d.xml"


def test_a_relative_config_path_still_gives_absolute_targets(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, "feeds:\n  - name: A\n    path: a.xml\n")
    monkeypatch.chdir(tmp_path)
    feed = load_config(Path("feeds.yaml")).feeds[0]
    assert feed.target == str(tmp_path / "a.xml")


def test_urls_pick_the_source_and_file_urls_read_locally(tmp_path: Path) -> None:
    config = load_config(
        write(
            tmp_path,
            """\
            feeds:
              - name: Web
                url: https://news.example.org/feed.xml?x=1
              - name: Plain web
                url: HTTP://news.example.org/rss
              - name: On disk
                url: file:///var/feeds/my%20feed.xml
            """,
        )
    )
    web, plain, disk = config.feeds
    assert (web.source, web.target, web.url) == (
        "http",
        "https://news.example.org/feed.xml?x=1",
        "https://news.example.org/feed.xml?x=1",
    )
    assert plain.source == "http"
    assert (disk.source, disk.target) == ("local", "/var/feeds/my feed.xml")
    assert disk.url == "file:///var/feeds/my%20feed.xml"


def test_a_plugin_source_gets_its_options(tmp_path: Path) -> None:
    config = load_config(
        write(
            tmp_path,
            """\
            feeds:
              - name: Almanac
                source: almanac
                group: Generated
                options:
                  count: 2
                  title: Garden
                  start: 2024-03-01
            """,
        )
    )
    feed = config.feeds[0]
    assert (feed.source, feed.group) == ("almanac", "Generated")
    assert feed.options["count"] == 2
    assert feed.options["title"] == "Garden"
    assert str(feed.options["start"]) == "2024-03-01"


def test_names_may_hold_any_printable_text(tmp_path: Path) -> None:
    """Regression: emoji joiners and no-break spaces were refused as control characters."""
    names = ["👩\u200d💻 Dev notes", "Le\u00a0Monde", "日本語\u3000ニュース", "Soft\u00adhyphen"]
    text = "feeds:\n" + "".join(
        f'  - name: "{n}"\n    url: https://x{i}.example.org/\n' for i, n in enumerate(names)
    )
    config = load_config(write(tmp_path, text))
    assert [f.name for f in config.feeds] == names


def test_names_default_to_the_address_and_may_be_numbers(tmp_path: Path) -> None:
    config = load_config(
        write(
            tmp_path,
            """\
            feeds:
              - url: https://a.example.org/feed
              - path: b.xml
              - name: 2600
                url: https://c.example.org/
                group: 1984
            """,
        )
    )
    assert [f.name for f in config.feeds] == ["https://a.example.org/feed", "b.xml", "2600"]
    assert config.feeds[2].group == "1984"


def test_groups_keep_their_first_appearance_order(tmp_path: Path) -> None:
    config = load_config(
        write(
            tmp_path,
            """\
            feeds:
              - {name: A, url: "https://a.example.org/", group: Zed}
              - {name: B, url: "https://b.example.org/"}
              - {name: C, url: "https://c.example.org/", group: Zed}
              - {name: D, url: "https://d.example.org/", group: Alpha}
            """,
        )
    )
    assert config.groups == ("Zed", DEFAULT_GROUP, "Alpha")


def test_keys_map_binding_ids_to_keys(tmp_path: Path) -> None:
    config = load_config(
        write(
            tmp_path,
            """\
            keys:
              next: "j, ctrl+j"
              refresh: ctrl+r
              page_down: 5
            """,
        )
    )
    # Stored without the spaces: Textual would take " ctrl+j" as the key's name.
    assert config.keys == {"next": "j,ctrl+j", "refresh": "ctrl+r", "page_down": "5"}


@pytest.mark.parametrize(
    ("keys", "line", "words"),
    [
        pytest.param(
            "toggle_star: q",
            2,
            [
                "keys.toggle_star: 'q' is already the key of quit, by default",
                "quit would have no key",
            ],
            id="quit-left-without-a-key",
        ),
        pytest.param(
            "help: q",
            2,
            ["keys.help: 'q' is already the key of quit", "quit would have no key"],
            id="help-takes-the-quit-key",
        ),
        pytest.param(
            "quit: question_mark",
            2,
            ["keys.quit: 'question_mark' is already the key of help", "help would have no key"],
            id="help-left-without-a-key",
        ),
        pytest.param(
            'next: "j,down"',
            2,
            ["keys.next: 'down' is already the key of cursor_down, by default"],
            id="a-default-key-given-to-a-second-action",
        ),
        pytest.param(
            'next: x\n  previous: "k, x"',
            3,
            ["keys.previous: 'x' is already the key of keys.next (line 2)"],
            id="one-key-for-two-of-the-users-actions",
        ),
        pytest.param(
            "toggle_read: ctrl+p",
            2,
            ["keys.toggle_read: 'ctrl+p' is reserved for the command palette"],
            id="a-key-textual-reserves",
        ),
        pytest.param(
            'next: "j,,k"',
            2,
            ["keys.next must name a key"],
            id="an-empty-key-between-commas",
        ),
        pytest.param(
            "refresh: ctrl + r",
            2,
            ["'ctrl + r' is not a key name"],
            id="a-key-name-with-spaces",
        ),
    ],
)
def test_a_keymap_that_locks_the_user_out_is_refused_on_its_line(
    tmp_path: Path, keys: str, line: int, words: list[str]
) -> None:
    """Regression: ``keys:`` could give q to another action, leaving the reader with no
    key to quit (or help) by, and config check said OK."""
    err = error_of(tmp_path, f"keys:\n  {keys}\n")
    message = str(err)
    assert err.line == line, message
    for word in words:
        assert word in message, message


def test_keys_may_be_swapped_and_quit_may_take_ctrl_q(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, 'keys:\n  quit: "s, ctrl+q"\n  toggle_star: q\n'))
    assert config.keys == {"quit": "s,ctrl+q", "toggle_star": "q"}


def test_the_reader_refuses_a_keymap_without_a_quit_key_like_config_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The reader reads feeds.yaml through the same check: exit 2, one line, no UI."""
    path = write(tmp_path, "keys:\n  toggle_star: q\n")
    assert main(["--config", str(path), "--db", str(tmp_path / "news.db")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "quit would have no key" in err
    assert not (tmp_path / "news.db").exists()


def test_yaml_merge_keys_work_like_safe_load(tmp_path: Path) -> None:
    config = load_config(
        write(
            tmp_path,
            """\
            feeds:
              - &base
                name: A
                url: https://a.example.org/
                refresh_minutes: 720
                group: Weekly
              - <<: *base
                name: B
                url: https://b.example.org/
            """,
        )
    )
    b = config.feeds[1]
    assert (b.name, b.target, b.group, b.settings.refresh_minutes) == (
        "B",
        "https://b.example.org/",
        "Weekly",
        720,
    )


def test_run_check_prints_a_summary_and_exits_0(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(
        tmp_path,
        """\
        feeds:
          - {name: A, url: "https://a.example.org/", group: One}
          - {name: B, path: b.xml, group: Two}
          - {name: C, source: almanac, group: Two}
        """,
    )
    assert run_check(path) == 0
    out, err = capsys.readouterr()
    assert out == f"{path}: OK, 3 feeds in 2 groups\n"
    assert err == ""


def test_run_check_prints_one_line_and_exits_2_for_a_bad_config(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, "feeds:\n  - name: A\n    url: gopher://a.example/\n")
    assert run_check(path) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1
    assert err.startswith(f"newsreader: {path}:3: url 'gopher://a.example/': unsupported scheme")


def test_the_cli_command_checks_the_given_config(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, "feeds:\n  - name: A\n    url: https://a.example.org/\n")
    assert main(["config", "check", "--config", str(path)]) == 0
    assert capsys.readouterr().out == f"{path}: OK, 1 feed in 1 group\n"
    bad = write(tmp_path, "feeds:\n  - name: A\n", name="bad.yaml")
    assert main(["config", "check", "--config", str(bad)]) == 2
    assert capsys.readouterr().err == (
        f"newsreader: {bad}:2: feed needs one of url:, path: or source:\n"
    )


def test_importing_config_loads_neither_yaml_nor_plugins() -> None:
    """Start-up path: the module itself must stay cheap to import."""
    code = (
        "import sys, newsreader.config\n"
        "heavy = [m for m in ('yaml', 'importlib.metadata', 'newsreader.sources.registry')"
        " if m in sys.modules]\n"
        "print(heavy)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


def test_a_config_without_plugins_never_reads_entry_points(tmp_path: Path) -> None:
    """Entry-point scanning costs tens of ms; url:/path: feeds must not pay for it."""
    path = write(tmp_path, "feeds:\n  - {name: A, url: 'https://a.example.org/'}\n")
    code = (
        "import sys; from pathlib import Path; from newsreader.config import load_config\n"
        f"load_config(Path({str(path)!r}))\n"
        "print('newsreader.sources.registry' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "False"


def test_max_size_mb_sets_the_byte_cap_and_a_feed_may_override_it(tmp_path: Path) -> None:
    path = tmp_path / "feeds.yaml"
    path.write_text(
        "settings:\n  max_size_mb: 5\nfeeds:\n"
        "  - {name: A, url: https://example.org/a.xml}\n"
        "  - {name: B, url: https://example.org/b.xml, max_size_mb: 2}\n",
        encoding="utf-8",
    )
    a, b = load_config(path).feeds
    assert (a.settings.max_bytes, b.settings.max_bytes) == (5 * 1024 * 1024, 2 * 1024 * 1024)
    path.write_text("settings:\n  max_size_mb: 0\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert caught.value.line == 2 and "max_size_mb" in str(caught.value)


def test_feed_settings_made_in_code_hold_the_same_ranges() -> None:
    """Out-of-range numbers cannot reach the refresh through settings built in code
    either (``open``, plugins): the dataclass refuses them where they are made."""
    for bad in (
        {"refresh_minutes": 10**20},
        {"refresh_minutes": 0},
        {"timeout_seconds": float("nan")},
        {"timeout_seconds": 1e300},
        {"max_articles": 0},
        {"max_bytes": 2**62},
    ):
        with pytest.raises(ValueError, match="out of range"):
            FeedSettings(**bad)  # type: ignore[arg-type]
    assert FeedSettings(refresh_minutes=527_040, timeout_seconds=3600.0).refresh_minutes == 527_040


def test_the_keymap_keeps_known_ids_and_names_the_file_for_the_others() -> None:
    from newsreader.keymap import resolve_keymap

    keymap, problems = resolve_keymap({"next": "down", "warp": "w"}, "feeds.yaml")
    assert keymap == {"next": "down"}
    assert problems == ["feeds.yaml: unknown key id(s) warp (press ? to see the ids)"]
