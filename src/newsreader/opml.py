"""OPML <-> feeds.yaml, behind ``newsreader opml import FILE`` and ``opml export``
(printed by ``commands.opml``).

Import appends new entries to feeds.yaml as text, so the user's comments, order and
formatting stay as they were. OPML comes from other programs and is parsed as
untrusted XML: no DTD, no external entities, no network.
"""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from newsreader.config import Config, parse_config, read_config_text
from newsreader.errors import ConfigError

if TYPE_CHECKING:
    from yaml.nodes import Node

MAX_OPML_BYTES = 20 * 1024 * 1024
MAX_NAME_CHARS = 200
FOLDER_SEPARATOR = " / "
_XML_POSITION = re.compile(r",? line \d+, column \d+$")
# Everything XML 1.0 has no place for (C0 controls but tab and line ends, lone
# surrogates, U+FFFE, U+FFFF): one of these makes the whole document not well-formed.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass(frozen=True, slots=True)
class OpmlFeed:
    """One subscription read from OPML; ``group`` is None when the OPML names none."""

    name: str
    url: str
    group: str | None = None


# -- reading OPML ---------------------------------------------------------------


def read_opml(path: Path, skipped: list[str] | None = None) -> list[OpmlFeed]:
    """The subscriptions in the OPML file at ``path``, in document order."""
    from newsreader.userfiles import read_user_file

    where = str(path)
    data = read_user_file(path, MAX_OPML_BYTES, expected="an OPML file", error=ConfigError)
    return parse_opml(data, where, skipped)


def parse_opml(data: bytes, where: str, skipped: list[str] | None = None) -> list[OpmlFeed]:
    """Subscriptions of OPML 1.0/2.0 ``data``; folders (nested outlines) become groups.

    Feed outlines without a usable http(s) ``xmlUrl`` are left out; their labels are
    appended to ``skipped`` when given.
    """
    from lxml import etree

    from newsreader.text.xmlsafe import safe_xml_parser

    try:
        root = etree.fromstring(data, safe_xml_parser())
    except etree.XMLSyntaxError as exc:
        message = _XML_POSITION.sub("", " ".join(str(exc.msg or exc).split()))
        raise ConfigError(where, f"not valid XML: {message}", exc.lineno or None) from None
    if root is None or _local(root.tag) != "opml":
        name = _local(root.tag) if root is not None else "nothing"
        raise ConfigError(where, f"not an OPML file (its root element is <{name}>)")
    body = next((el for el in root if _local(el.tag) == "body"), None)
    if body is None:
        raise ConfigError(where, "OPML file has no <body>", root.sourceline)
    feeds: list[OpmlFeed] = []
    _walk(body, [], feeds, skipped if skipped is not None else [])
    return feeds


def _local(tag: object) -> str:
    """An element's name without namespace, lower-cased; '' for comments and entities."""
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1].lower()


def _label(raw: str | None) -> str:
    """One clean line for a name or group: what feeds.yaml accepts back (no controls, no
    noncharacters), so an import never writes a file ``config check`` refuses."""
    from newsreader.text.sanitise import NONCHARACTERS, clean_line

    return clean_line(NONCHARACTERS.sub("", raw or ""))


def _walk(parent: object, folders: list[str], out: list[OpmlFeed], skipped: list[str]) -> None:
    # ``parent`` is an lxml element; lxml-stubs give its text and attributes as
    # str | bytes, which a tree parsed from bytes never holds, so it is left untyped.
    for child in parent:  # type: ignore[attr-defined]
        if _local(child.tag) != "outline":
            continue
        attrs = {_local(k): v for k, v in child.attrib.items()}
        label = _label(attrs.get("text")) or _label(attrs.get("title"))
        xml_url = (attrs.get("xmlurl") or "").strip()
        if xml_url:
            url = _feed_url(xml_url)
            if url is not None:
                group = FOLDER_SEPARATOR.join(folders) or _category(attrs.get("category"))
                name = (label or url)[:MAX_NAME_CHARS].strip()
                out.append(OpmlFeed(name=name, url=url, group=group))
            else:
                skipped.append(label or xml_url)
            continue
        if (attrs.get("type") or "").lower() in ("rss", "atom") and not len(child):
            skipped.append(label or "(untitled)")
            continue
        _walk(child, [*folders, label] if label else folders, out, skipped)


def _feed_url(raw: str) -> str | None:
    """An http(s) URL from ``xmlUrl``, also from the old ``feed:`` forms; None if unusable."""
    from urllib.parse import urlsplit

    url = raw
    lowered = url.lower()
    if lowered.startswith("feed://"):
        url = "http://" + url[7:]
    elif lowered.startswith("feed:"):
        url = url[5:]
    if not url.isprintable() or any(ch.isspace() for ch in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return url


def _category(raw: str | None) -> str | None:
    """A group from OPML 2.0's ``category="/Tech/Python,/Other"``: the first path."""
    if not raw:
        return None
    first = raw.split(",", 1)[0]
    parts = [_label(p) for p in first.split("/")]
    return FOLDER_SEPARATOR.join(p for p in parts if p) or None


# -- import ------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportReport:
    """What ``opml import`` did: the feeds added, how many were there already, and how
    many outlines had no http(s) feed URL."""

    added: list[OpmlFeed]
    present: int
    unusable: int


def import_opml(opml_path: Path, config_path: Path) -> ImportReport:
    """Add the OPML file's feeds that feeds.yaml does not have yet. The new text is
    parsed before it replaces the file, which it does atomically."""
    unusable: list[str] = []
    found = read_opml(opml_path, unusable)
    exists = config_path.exists()
    text = read_config_text(config_path) if exists else ""
    config = parse_config(text, config_path)
    added, present = plan_import(config, found)
    if added:
        new_text = append_feeds(text, added, str(config_path))
        parse_config(new_text, config_path)
        _write_atomically(config_path, new_text)
    return ImportReport(added, present, len(unusable))


def plan_import(config: Config, found: list[OpmlFeed]) -> tuple[list[OpmlFeed], int]:
    """The feeds to add (new URLs, names made unique) and how many were already there."""
    urls = {_url_key(f.url) for f in config.feeds if f.url}
    names = {f.name for f in config.feeds}
    added: list[OpmlFeed] = []
    present = 0
    for feed in found:
        key = _url_key(feed.url)
        if key in urls:
            present += 1
            continue
        urls.add(key)
        name = feed.name
        number = 2
        while name in names:
            name = f"{feed.name} ({number})"
            number += 1
        names.add(name)
        added.append(OpmlFeed(name=name, url=feed.url, group=feed.group))
    return added, present


def _url_key(url: str) -> str:
    """URLs that differ only in the case of scheme and host are the same feed."""
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return url.strip()
    return parts._replace(scheme=parts.scheme.lower(), netloc=parts.netloc.lower()).geturl()


def append_feeds(text: str, feeds: list[OpmlFeed], where: str) -> str:
    """``text`` with ``feeds`` added at the end of its ``feeds:`` list, as block YAML."""
    import yaml
    from yaml.nodes import MappingNode, ScalarNode, SequenceNode

    newline = "\r\n" if "\r\n" in text else "\n"
    root = yaml.compose(text, Loader=yaml.SafeLoader) if text.strip() else None
    if root is None or (isinstance(root, ScalarNode) and root.tag.endswith(":null")):
        return _ensure_newline(text, newline) + "feeds:" + newline + _render(feeds, 2, 2, newline)
    if not isinstance(root, MappingNode):
        raise ConfigError(where, "cannot add feeds: the file is not a mapping")
    entry = next(((k, v) for k, v in root.value if k.value == "feeds"), None)
    if entry is None:
        return _ensure_newline(text, newline) + "feeds:" + newline + _render(feeds, 2, 2, newline)
    key, value = entry
    if isinstance(value, SequenceNode) and value.value and not value.flow_style:
        dash = value.start_mark.column
        first = value.value[0]
        indent = (
            first.start_mark.column - dash if first.start_mark.line == value.start_mark.line else 2
        )
        at = _after_line(text, _last_end(value))
        block = _render(feeds, dash, max(indent, 1), newline)
        return _ensure_newline(text[:at], newline) + block + text[at:]
    empty = (isinstance(value, ScalarNode) and value.tag.endswith(":null")) or (
        isinstance(value, SequenceNode) and not value.value
    )
    if not empty:
        raise ConfigError(
            where,
            "cannot add feeds: 'feeds:' is written on one line; make it a block list",
            value.start_mark.line + 1,
        )
    text = text[: value.start_mark.index] + text[value.end_mark.index :]
    colon = text.index(":", key.end_mark.index) + 1
    line_end = text.find("\n", colon)
    rest = (text[colon:] if line_end < 0 else text[colon:line_end]).rstrip("\r")
    if not rest.strip():
        text = text[:colon] + text[colon + len(rest) :]
    at = _after_line(text, colon)
    block = _render(feeds, key.start_mark.column + 2, 2, newline)
    return _ensure_newline(text[:at], newline) + block + text[at:]


def _last_end(node: Node) -> int:
    """Where the last value inside a block collection ends (before comments that follow)."""
    from yaml.nodes import MappingNode, SequenceNode

    while isinstance(node, MappingNode | SequenceNode) and node.value and not node.flow_style:
        last = node.value[-1]
        node = last[1] if isinstance(node, MappingNode) else last
    return int(node.end_mark.index)


def _after_line(text: str, index: int) -> int:
    """The start of the line after the one holding ``index`` (or the end of the text)."""
    if index > 0 and text[index - 1] == "\n":
        return index
    end = text.find("\n", index)
    return len(text) if end < 0 else end + 1


def _ensure_newline(text: str, newline: str) -> str:
    return text if not text or text.endswith("\n") else text + newline


def _render(feeds: list[OpmlFeed], dash: int, indent: int, newline: str) -> str:
    """Block-YAML list items, the dash at column ``dash``, keys ``indent`` further in."""
    pad = " " * dash
    inner = " " * (dash + indent)
    gap = " " * (indent - 1)
    lines = []
    for feed in feeds:
        lines.append(f"{pad}-{gap}name: {_scalar(feed.name)}")
        lines.append(f"{inner}url: {_scalar(feed.url)}")
        if feed.group:
            lines.append(f"{inner}group: {_scalar(feed.group)}")
    return newline.join(lines) + newline


def _scalar(value: str) -> str:
    """``value`` as a YAML scalar: plain when it reads back unchanged, else double-quoted."""
    import json

    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    if value and value == value.strip():
        try:
            if yaml.load(f"k: {value}", Loader=loader) == {"k": value}:
                return value
        except yaml.YAMLError:
            pass
    return json.dumps(value, ensure_ascii=False)


def _write_atomically(path: Path, text: str) -> None:
    """Replace the file in one step, so an interrupted import never leaves half a file.

    A folder that cannot be written (a read-only mount, a full disk) is one line
    naming feeds.yaml, which is left as it was.
    """
    target = path.resolve() if path.is_symlink() else path
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".feeds-", suffix=".yaml.tmp", dir=target.parent)
    except OSError as exc:
        raise ConfigError(str(path), f"cannot write: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        if target.exists():
            os.chmod(tmp, target.stat().st_mode & 0o7777)
        os.replace(tmp, target)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise ConfigError(str(path), f"cannot write: {exc.strerror or exc}") from None
        raise


# -- export ------------------------------------------------------------------------


def render_opml(config: Config) -> tuple[str, int]:
    """OPML 2.0 for the config's http(s) feeds, and how many were left out (no web URL).

    Each group is a folder outline; a group named ``A / B`` becomes folder B inside A,
    which is how it was read from a nested OPML in the first place.
    """
    import xml.etree.ElementTree as ET
    from email.utils import formatdate

    opml = ET.Element("opml", version="2.0")
    head = ET.SubElement(opml, "head")
    ET.SubElement(head, "title").text = "newsreader feeds"
    ET.SubElement(head, "dateCreated").text = formatdate(usegmt=True)
    ET.SubElement(head, "docs").text = "https://opml.org/spec2.opml"
    body = ET.SubElement(opml, "body")
    folders: dict[tuple[str, ...], ET.Element] = {}
    left_out = 0
    for feed in config.feeds:
        if feed.source != "http" or not feed.url:
            left_out += 1
            continue
        folder = body
        path: tuple[str, ...] = ()
        group = xml_text(feed.group)
        parts = [p for p in group.split(FOLDER_SEPARATOR) if p.strip()] or [group]
        for part in parts:
            path = (*path, part)
            if path not in folders:
                folders[path] = ET.SubElement(folder, "outline", text=part, title=part)
            folder = folders[path]
        name = xml_text(feed.name)
        ET.SubElement(
            folder, "outline", type="rss", text=name, title=name, xmlUrl=xml_text(feed.url)
        )
    ET.indent(opml, space="  ")
    xml = ET.tostring(opml, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + xml + "\n", left_out


def xml_text(text: str) -> str:
    """``text`` without the characters XML cannot hold; every string exported goes here."""
    return _NOT_XML.sub("", text)
