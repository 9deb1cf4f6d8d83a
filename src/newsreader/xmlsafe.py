"""Old address of :mod:`newsreader.text.xmlsafe`, for formats.feed until it imports the
new home; it defines nothing."""

from newsreader.text.xmlsafe import safe_xml_parser

__all__ = ["safe_xml_parser"]
