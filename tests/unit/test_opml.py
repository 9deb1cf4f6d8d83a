"""OPML import/export: other readers' dialects, hostile XML, feeds.yaml kept intact."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from newsreader.cli import main
from newsreader.commands.opml import run_export, run_import
from newsreader.config import load_config
from newsreader.errors import ConfigError
from newsreader.model import DEFAULT_GROUP
from newsreader.opml import OpmlFeed, parse_opml, read_opml

DATA = Path(__file__).resolve().parents[1] / "data" / "opml"


def outlines(xml: str) -> list[tuple[tuple[str, ...], str, str]]:
    """(folder path, name, xmlUrl) of every feed outline, for comparing exports."""
    root = etree.fromstring(xml.encode("utf-8"))
    found = []

    def walk(element: etree._Element, path: tuple[str, ...]) -> None:
        for child in element.findall("outline"):
            if child.get("xmlUrl"):
                found.append((path, child.get("text"), child.get("xmlUrl")))
            else:
                walk(child, (*path, child.get("text")))

    walk(root.find("body"), ())
    return found


def export(config: Path, capsys: pytest.CaptureFixture[str]) -> str:
    assert run_export(config) == 0
    return capsys.readouterr().out


def test_a_reader_export_gives_groups_from_nested_folders() -> None:
    feeds = read_opml(DATA / "reader-export-2.0.opml")
    assert feeds == [
        OpmlFeed("Kettle Engineering Blog", "https://kettle.example.org/blog/feed.xml", "Tech"),
        OpmlFeed("Snake Notes", "https://snakes.example.net/atom.xml", "Tech / Python"),
        OpmlFeed(
            "Millbrook Courier",
            "http://courier.example.com/rss?section=town&format=xml",
            "Local & Weather",
        ),
        OpmlFeed(
            "Millbrook Courier again",
            "HTTP://Courier.Example.com/rss?section=town&format=xml",
            "Local & Weather",
        ),
        OpmlFeed("Lighthouse Log", "https://lighthouse.example.org/index.rss", "Travel / Coast"),
        OpmlFeed("Unfiled Ideas", "https://ideas.example.org/feed", None),
    ]


def test_an_opml_1_file_with_titles_only_and_old_forms_is_read() -> None:
    skipped: list[str] = []
    feeds = read_opml(DATA / "classic-1.0.opml", skipped)
    assert feeds == [
        OpmlFeed("Crema Weekly", "https://crema.example.com/weekly.xml", "Café culture"),
        OpmlFeed("Bean Counter", "https://beans.example.com/rss2", "Café culture"),
        OpmlFeed("Café décor", "http://decor.example.com/feed.rss", None),
    ]
    assert skipped == ["No address at all", "Scripted", "Gopher hole"]


def test_outline_labels_are_sanitised() -> None:
    data = (
        b'<opml version="2.0"><body><outline text="Bad&#x9b;31m &#x85;folder&#x7f;">'
        b'<outline text="  Spaced\n  out &#x202e;name " xmlUrl=" https://a.example.org/f "/>'
        b"</outline></body></opml>"
    )
    assert parse_opml(data, "x.opml") == [
        OpmlFeed("Spaced out name", "https://a.example.org/f", "Bad folder")
    ]


def test_an_outline_without_a_label_is_named_by_its_url() -> None:
    data = b'<opml version="1.0"><body><outline type="rss" xmlUrl="https://a.example.org/"/></body></opml>'
    assert parse_opml(data, "x.opml") == [
        OpmlFeed("https://a.example.org/", "https://a.example.org/")
    ]


def test_external_entities_are_never_resolved(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-TOKEN", encoding="utf-8")
    for where in ('text="Leak &xxe;"', 'text="x"><outline text="y">&xxe;</outline'):
        data = (
            f'<?xml version="1.0"?>\n<!DOCTYPE opml [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>\n'
            f'<opml version="2.0"><body><outline {where} xmlUrl="https://a.example.org/"/>'
            "</body></opml>"
        ).encode()
        try:
            feeds = parse_opml(data, "xxe.opml")
        except ConfigError as exc:
            assert "TOP-SECRET-TOKEN" not in str(exc)
            continue
        assert "TOP-SECRET-TOKEN" not in repr(feeds)


def test_entity_expansion_is_refused_quickly() -> None:
    started = time.perf_counter()
    with pytest.raises(ConfigError) as info:
        read_opml(DATA / "entity-expansion.opml")
    assert time.perf_counter() - started < 5
    assert "entity-expansion.opml" in str(info.value)
    assert "\n" not in str(info.value)


def test_truncated_xml_is_one_error_with_a_line() -> None:
    with pytest.raises(ConfigError) as info:
        read_opml(DATA / "truncated.opml")
    assert info.value.line == 6
    assert str(info.value).startswith(f"{DATA / 'truncated.opml'}:6: not valid XML: ")
    assert "line 6, column" not in str(info.value)


def test_a_feed_document_is_not_taken_for_opml() -> None:
    with pytest.raises(ConfigError, match=r"not an OPML file \(its root element is <rss>\)"):
        read_opml(DATA / "not-opml.xml")


def test_a_missing_opml_file_is_one_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"nothing\.opml: no such file$"):
        read_opml(tmp_path / "nothing.opml")


def test_import_into_a_new_config_writes_a_valid_feeds_yaml(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "new" / "feeds.yaml"
    assert run_import(DATA / "reader-export-2.0.opml", config) == 0
    out = capsys.readouterr().out
    assert out == (
        f"{config}: added 5 feeds from {DATA / 'reader-export-2.0.opml'}, 1 already there\n"
    )
    feeds = load_config(config).feeds
    assert [(f.name, f.group, f.source, f.target) for f in feeds] == [
        ("Kettle Engineering Blog", "Tech", "http", "https://kettle.example.org/blog/feed.xml"),
        ("Snake Notes", "Tech / Python", "http", "https://snakes.example.net/atom.xml"),
        (
            "Millbrook Courier",
            "Local & Weather",
            "http",
            "http://courier.example.com/rss?section=town&format=xml",
        ),
        ("Lighthouse Log", "Travel / Coast", "http", "https://lighthouse.example.org/index.rss"),
        ("Unfiled Ideas", DEFAULT_GROUP, "http", "https://ideas.example.org/feed"),
    ]


def test_import_keeps_the_existing_file_and_its_comments(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "feeds.yaml"
    head = (
        "# My feeds. Do not lose this comment.\n"
        "settings:\n"
        "  theme: paper   # light theme\n"
        "\n"
        "feeds:\n"
        "    - name: Kettle (my name for it)\n"
        "      url: https://KETTLE.example.org/blog/feed.xml   # already have it\n"
    )
    tail = "\n# Key bindings below.\nkeys:\n  refresh: ctrl+r\n"
    config.write_text(head + tail, encoding="utf-8")
    assert run_import(DATA / "reader-export-2.0.opml", config) == 0
    assert "added 4 feeds" in capsys.readouterr().out
    text = config.read_text(encoding="utf-8")
    assert text.startswith(head)
    assert text.endswith(tail)
    assert "\n    - name: Snake Notes\n      url: https://snakes.example.net/atom.xml\n" in text
    loaded = load_config(config)
    assert [f.name for f in loaded.feeds] == [
        "Kettle (my name for it)",
        "Snake Notes",
        "Millbrook Courier",
        "Lighthouse Log",
        "Unfiled Ideas",
    ]
    assert loaded.theme == "paper"
    assert loaded.keys == {"refresh": "ctrl+r"}


@pytest.mark.parametrize(
    "original",
    [
        "feeds:\nsettings:\n  theme: x\n",
        "feeds: ~  # none yet\nsettings:\n  theme: x\n",
        "feeds: []\nsettings:\n  theme: x\n",
        "settings:\n  theme: x\n",
        "# just a comment",
        "feeds:\n- name: Old\n  url: https://old.example.org/\nsettings:\n  theme: x\n",
        "settings:\r\n  theme: x\r\nfeeds:\r\n  - name: Old\r\n    url: https://old.example.org/\r\n",
    ],
)
def test_import_appends_to_every_shape_of_feeds_section(tmp_path: Path, original: str) -> None:
    config = tmp_path / "feeds.yaml"
    config.write_bytes(original.encode("utf-8"))
    assert run_import(DATA / "classic-1.0.opml", config) == 0
    loaded = load_config(config)
    names = [f.name for f in loaded.feeds]
    assert names[-3:] == ["Crema Weekly", "Bean Counter", "Café décor"]
    if "theme" in original:
        assert loaded.theme == "x"
    if "\r\n" in original:
        assert b"\n" not in config.read_bytes().replace(b"\r\n", b"")


def test_a_second_import_adds_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "feeds.yaml"
    run_import(DATA / "classic-1.0.opml", config)
    before = config.read_bytes()
    capsys.readouterr()
    assert run_import(DATA / "classic-1.0.opml", config) == 0
    assert "added 0 feeds" in capsys.readouterr().out
    assert config.read_bytes() == before


def test_imported_names_that_clash_get_a_number(tmp_path: Path) -> None:
    config = tmp_path / "feeds.yaml"
    config.write_text("feeds:\n  - name: Crema Weekly\n    path: crema.xml\n", encoding="utf-8")
    run_import(DATA / "classic-1.0.opml", config)
    assert [f.name for f in load_config(config).feeds][:2] == ["Crema Weekly", "Crema Weekly (2)"]


def test_awkward_names_survive_the_trip_into_yaml(tmp_path: Path) -> None:
    names = [
        "true",
        "null",
        "- dash",
        "a: colon",
        "hash # sign",
        '"quoted"',
        "'single'",
        "[brackets]",
        "{braces}",
        "&anchor",
        "*alias",
        "!tag",
        "@at",
        "% percent",
        "1.5",
        "日本語のニュース",
        "back\\slash",
        "2024-01-01",
    ]
    body = "".join(
        f'<outline text="{n.replace("&", "&amp;").replace(chr(34), "&quot;")}"'
        f' xmlUrl="https://x{i}.example.org/feed"/>'
        for i, n in enumerate(names)
    )
    opml = tmp_path / "awkward.opml"
    opml.write_text(f'<opml version="2.0"><body>{body}</body></opml>', encoding="utf-8")
    config = tmp_path / "feeds.yaml"
    assert run_import(opml, config) == 0
    assert [f.name for f in load_config(config).feeds] == names


def test_import_refuses_to_touch_an_invalid_config(tmp_path: Path) -> None:
    config = tmp_path / "feeds.yaml"
    original = "feeds:\n  - name: A\n    url: gopher://a.example/\n"
    config.write_text(original, encoding="utf-8")
    with pytest.raises(ConfigError, match=r"feeds\.yaml:3: "):
        run_import(DATA / "classic-1.0.opml", config)
    assert config.read_text(encoding="utf-8") == original


def test_import_refuses_a_one_line_feeds_list_it_cannot_extend(tmp_path: Path) -> None:
    config = tmp_path / "feeds.yaml"
    original = "feeds: [{name: A, url: 'https://a.example.org/'}]\n"
    config.write_text(original, encoding="utf-8")
    with pytest.raises(ConfigError, match="written on one line"):
        run_import(DATA / "classic-1.0.opml", config)
    assert config.read_text(encoding="utf-8") == original


def test_export_writes_opml_2_with_groups_as_folders(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "feeds.yaml"
    config.write_text(
        "feeds:\n"
        "  - {name: 'A <&> \"B\"', url: 'https://a.example.org/?x=1&y=2', group: Tech}\n"
        "  - {name: Local, path: local.xml, group: Tech}\n"
        "  - {name: Plugin, source: almanac}\n"
        "  - {name: C, url: 'http://c.example.org/', group: Tech / Python}\n"
        "  - {name: D, url: 'https://d.example.org/'}\n",
        encoding="utf-8",
    )
    assert run_export(config) == 0
    out, err = capsys.readouterr()
    root = etree.fromstring(out.encode("utf-8"))
    assert root.get("version") == "2.0"
    assert root.findtext("head/title") == "newsreader feeds"
    assert outlines(out) == [
        (("Tech",), 'A <&> "B"', "https://a.example.org/?x=1&y=2"),
        (("Tech", "Python"), "C", "http://c.example.org/"),
        ((DEFAULT_GROUP,), "D", "https://d.example.org/"),
    ]
    assert all(el.get("type") == "rss" for el in root.iter("outline") if el.get("xmlUrl"))
    assert err == (
        f"newsreader: {config}: left out 2 feeds without a web URL (local files, plugin sources)\n"
    )


def test_export_then_import_then_export_gives_the_same_feeds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "source.yaml"
    run_import(DATA / "reader-export-2.0.opml", source)
    run_import(DATA / "classic-1.0.opml", source)
    capsys.readouterr()
    first = export(source, capsys)
    exported = tmp_path / "exported.opml"
    exported.write_text(first, encoding="utf-8")

    target = tmp_path / "empty.yaml"
    target.write_text("", encoding="utf-8")
    assert run_import(exported, target) == 0
    capsys.readouterr()
    second = export(target, capsys)

    assert len(outlines(first)) == 8
    assert outlines(second) == outlines(first)
    before = [(f.name, f.group, f.url) for f in load_config(source).feeds]
    after = [(f.name, f.group, f.url) for f in load_config(target).feeds]
    assert sorted(after) == sorted(before)


def test_the_cli_imports_and_exports(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "feeds.yaml"
    opml = str(DATA / "classic-1.0.opml")
    assert main(["opml", "import", opml, "--config", str(config)]) == 0
    assert "added 3 feeds" in capsys.readouterr().out
    assert main(["opml", "export", "--config", str(config)]) == 0
    assert len(outlines(capsys.readouterr().out)) == 3
    assert main(["opml", "import", str(DATA / "truncated.opml"), "--config", str(config)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"newsreader: {DATA / 'truncated.opml'}:6: not valid XML")
    assert err.count("\n") == 1


# Text that XML 1.0 cannot hold, or only just: noncharacters, lone surrogates, C0 and C1
# controls, bidi overrides, line breaks, the BOM; mixed into arbitrary text.
_HOSTILE_CHARS = st.sampled_from(
    ["\uffff", "\ufffe", "\ud800", "\udfff", "\x00", "\x01", "\x1b", "\x7f", "\x85", "\x9b",
     "\u202e", "\u2028", "\ufeff", "\ufdd0", "\U0010ffff", "\t", "\n", "\r", "&", "<", "\"",
     "]]>", " / "]
)  # fmt: skip
_HOSTILE_TEXT = st.lists(st.one_of(st.text(max_size=6), _HOSTILE_CHARS), max_size=8).map("".join)


@settings(max_examples=300, deadline=None)
@given(names=st.lists(_HOSTILE_TEXT, min_size=1, max_size=4), group=_HOSTILE_TEXT)
def test_export_is_well_formed_xml_whatever_the_names_hold(names: list[str], group: str) -> None:
    """Regression: a feed named with U+FFFF (or a lone surrogate, a C0 control, U+FFFE)
    was exported as it was, giving OPML no XML parser accepts. The output is re-read
    with two strict parsers."""
    import xml.etree.ElementTree as ET

    from newsreader.config import Config
    from newsreader.model import FeedConfig
    from newsreader.opml import render_opml

    feeds = tuple(
        FeedConfig(
            name=f"{name}{n}",
            source="http",
            target=f"https://e.example.org/{n}",
            group=group or DEFAULT_GROUP,
            url=f"https://e.example.org/{n}{name[:3]}",
        )
        for n, name in enumerate(names)
    )
    text, left_out = render_opml(Config(path=Path("feeds.yaml"), feeds=feeds))
    assert left_out == 0
    data = text.encode("utf-8")  # a lone surrogate would already fail here
    ET.fromstring(data)  # expat: strict, no recovery
    root = etree.fromstring(data, etree.XMLParser(recover=False))
    assert len(root.findall(".//outline[@xmlUrl]")) == len(names)


@settings(max_examples=300, deadline=None)
@given(names=st.lists(_HOSTILE_TEXT, min_size=1, max_size=4), group=_HOSTILE_TEXT)
def test_imported_names_round_trip_through_feeds_yaml_and_back_to_opml(
    names: list[str], group: str
) -> None:
    """Names an OPML file may hold (U+FDD0, line separators, YAML syntax, quotes) are
    written to feeds.yaml so that it loads with the same names and groups, and exports
    back to the same names."""
    import xml.etree.ElementTree as ET

    from newsreader.config import parse_config
    from newsreader.opml import append_feeds, plan_import, render_opml, xml_text

    opml = ET.Element("opml", version="2.0")
    body = ET.SubElement(opml, "body")
    folder = ET.SubElement(body, "outline", text=xml_text(group)) if xml_text(group) else body
    for n, name in enumerate(names):
        url = f"https://e.example.org/{n}"
        ET.SubElement(folder, "outline", type="rss", text=xml_text(name), xmlUrl=url)
    found = parse_opml(ET.tostring(opml, encoding="utf-8"), "in.opml")
    where = Path("/nowhere/feeds.yaml")
    added, _ = plan_import(parse_config("", where), found)
    config = parse_config(append_feeds("", added, str(where)), where)
    assert [(f.name, f.group) for f in config.feeds] == [
        (a.name, a.group or DEFAULT_GROUP) for a in added
    ]
    text, _ = render_opml(config)
    assert [f.name for f in parse_opml(text.encode("utf-8"), "out.opml")] == [a.name for a in added]


def test_opml_import_of_a_device_or_a_pipe_is_refused_without_reading(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Regression: ``opml import /dev/zero`` read until memory ran out (its size is 0,
    so the size check passed); a FIFO would block forever."""
    import os

    config = tmp_path / "feeds.yaml"
    config.write_text("feeds: []\n", encoding="utf-8")
    fifo = tmp_path / "subs.opml"
    os.mkfifo(fifo)
    for source, kind in (("/dev/zero", "a device"), (str(fifo), "a named pipe")):
        assert main(["opml", "import", source, "--config", str(config)]) == 2
        assert capsys.readouterr().err == (
            f"newsreader: {source}: is {kind}, expected an OPML file\n"
        )
    assert config.read_text(encoding="utf-8") == "feeds: []\n"
