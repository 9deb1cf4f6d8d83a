"""The one way newsreader parses untrusted XML (feeds, OPML)."""

from __future__ import annotations

from typing import Any


def safe_xml_parser(*, recover: bool = False, encoding: str | None = None) -> Any:
    """An lxml parser that never loads a DTD, resolves an entity or touches the network.

    Comments and processing instructions are dropped: nothing in them is content.
    """
    from lxml import etree

    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        remove_comments=True,
        remove_pis=True,
        recover=recover,
        encoding=encoding,
    )
