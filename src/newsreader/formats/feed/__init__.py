"""RSS 0.9x/1.0/2.0, Atom 0.3/1.0 and JSON Feed 1.0/1.1 -> :class:`Feed`.

Why this shape (measured on the corpus of real feeds, see docs/benchmarks.md): a strict
lxml parse plus a compact mapping reads the 95 % of real XML feeds that are well-formed
at about 50x feedparser, and keeps what the faster libraries lose: raw date strings with
their offset, xml:base, text around HTML named entities. Where the time goes decided the
rest. UTF-8 documents with nothing but processing instructions before the root go to lxml
as they are; large CDATA sections are cut out first (``cdata.py``); item bodies stay as
the feed wrote them and become text and Markdown when first read (``_FeedBody``), which
a refresh does only for new or changed items. Documents lxml rejects are repaired in the
common ways (HTML named entities, bare ``&``, control characters, stray declarations,
trailing junk) and parsed strictly again; what still fails goes to feedparser, slow but
robust, then to libxml2's recovery. JSON Feed goes through json.

Security: a document with a DOCTYPE never takes the as-is path, and there every DOCTYPE
is removed before parsing, so no entity declared by the document (external or
exponential) is ever defined; references to such entities are dropped by the repair
step. lxml runs with ``resolve_entities=False``, ``no_network=True`` and
``huge_tree=False``; documents, item counts and bodies are bounded.

The parts: ``xml`` (the chain of XML parses), ``repair`` (what makes real XML feeds
well-formed again), ``elements`` (reading lxml elements), ``items`` (raw item fields ->
``Article``), ``rss`` (RSS 0.9x/1.0/2.0 and RDF), ``atom``, ``fallback`` (feedparser) and
``jsonfeed``.
"""

from newsreader.formats.feed.jsonfeed import parse_json_feed
from newsreader.formats.feed.xml import parse_xml_feed

__all__ = ["parse_json_feed", "parse_xml_feed"]
