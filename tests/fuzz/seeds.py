"""Small valid documents of every kind the project reads, written for the fuzz tests.

Each template marks with ``§`` the places where a fuzz test puts text (titles, links,
dates, bodies, attribute values); ``fill`` in :mod:`tests.fuzz.strategies` escapes what
it puts there for the context (XML text, JSON string, YAML quoted scalar ...).
"""

from __future__ import annotations

from dataclasses import dataclass

MARK = "§"


@dataclass(frozen=True)
class Seed:
    name: str
    template: str
    context: str  # how a fill is escaped: xml, json, html, text, yaml
    filename: str
    content_type: str | None = None

    def render(self, fills: list[str] | None = None) -> str:
        parts = self.template.split(MARK)
        fills = fills or []
        out = [parts[0]]
        for index, part in enumerate(parts[1:]):
            out.append(fills[index] if index < len(fills) else DEFAULTS[index % len(DEFAULTS)])
            out.append(part)
        return "".join(out)

    @property
    def holes(self) -> int:
        return self.template.count(MARK)


# What a hole holds when a test leaves it alone: ordinary words, a date, a path.
DEFAULTS = ("Harbour ferry", "2024-03-05T09:30:00+08:00", "new timetable", "/news/1", "Ana Li")

RSS20 = Seed(
    "rss20",
    """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"
     xmlns:content="http://purl.org/rss/1.0/modules/content/">
  <channel>
    <title>§</title>
    <link>https://harbour.example.org/</link>
    <description>§</description>
    <item>
      <title>§</title>
      <link>https://harbour.example.org§</link>
      <guid isPermaLink="false">§</guid>
      <pubDate>§</pubDate>
      <dc:creator>§</dc:creator>
      <source url="https://other.example.org/rss">§</source>
      <description>&lt;p&gt;§&lt;/p&gt;</description>
      <content:encoded><![CDATA[<p>§</p>
        <p><a href="§">more</a> <img src="/i.png" alt="§"></p>]]></content:encoded>
    </item>
    <item>
      <title>Second §</title>
      <link>§</link>
      <pubDate>Tue, 05 Mar 2024 09:30:00 GMT</pubDate>
      <description>§</description>
    </item>
  </channel>
</rss>
""",
    "xml",
    "feed.xml",
    "application/rss+xml",
)

ATOM10 = Seed(
    "atom10",
    """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://tide.example.org/">
  <title type="html">§</title>
  <link rel="alternate" href="§"/>
  <id>urn:tide:feed</id>
  <updated>2024-03-05T09:30:00Z</updated>
  <author><name>§</name></author>
  <entry>
    <title type="text">§</title>
    <link rel="alternate" href="/posts/§"/>
    <id>§</id>
    <published>§</published>
    <updated>§</updated>
    <summary type="html">&lt;b&gt;§&lt;/b&gt;</summary>
    <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>§</p><ul><li>§</li></ul></div></content>
  </entry>
  <entry xml:base="§">
    <title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">§</div></title>
    <link href="§"/>
    <id>urn:tide:2</id>
    <updated>§</updated>
    <content type="text">§</content>
  </entry>
</feed>
""",
    "xml",
    "feed.atom",
    "application/atom+xml",
)

RDF = Seed(
    "rdf",
    """<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
         xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="https://mill.example.org/">
    <title>§</title>
    <link>https://mill.example.org/</link>
    <description>§</description>
  </channel>
  <item rdf:about="§">
    <title>§</title>
    <link>§</link>
    <description>§</description>
    <dc:date>§</dc:date>
    <dc:creator>§</dc:creator>
  </item>
</rdf:RDF>
""",
    "xml",
    "feed.rdf",
)

RSS091 = Seed(
    "rss091",
    """<?xml version="1.0" encoding="ISO-8859-1"?>
<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN"
  "http://my.netscape.com/publish/formats/rss-0.91.dtd">
<rss version="0.91">
  <channel>
    <title>§</title>
    <link>https://old.example.org/</link>
    <item><title>§</title><link>§</link><description>§</description></item>
  </channel>
</rss>
""",
    "xml",
    "old.xml",
)

JSONFEED = Seed(
    "jsonfeed",
    """{
  "version": "https://jsonfeed.org/version/1.1",
  "title": "§",
  "home_page_url": "§",
  "feed_url": "https://kite.example.org/feed.json",
  "authors": [{"name": "§"}],
  "items": [
    {"id": "§", "url": "§", "title": "§", "summary": "§",
     "content_html": "<p>§</p><p><a href=\\"§\\">x</a></p>",
     "date_published": "§", "date_modified": "§", "author": {"name": "§"}},
    {"id": 2, "external_url": "https://kite.example.org/2", "content_text": "§\\n\\n§"}
  ]
}
""",
    "json",
    "feed.json",
    "application/feed+json",
)

HTML = Seed(
    "html",
    """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>§ | Harbour Daily</title>
<meta property="og:title" content="§">
<meta property="og:site_name" content="§">
<meta property="article:published_time" content="§">
<meta name="author" content="§">
<meta name="description" content="§">
<link rel="canonical" href="§">
<script type="application/ld+json">{"@type": "NewsArticle", "headline": "§",
 "datePublished": "§", "author": {"name": "§"}}</script>
</head>
<body>
<nav class="breadcrumb"><ol><li><a href="/">Home</a></li><li><a href="/city">§</a></li></ol></nav>
<article>
<h1>§</h1>
<p class="byline">By §</p>
<time datetime="§" pubdate>§</time>
<p>The harbour ferry runs on a new timetable from Monday, the port office said. §</p>
<p>Morning crossings start at six and the last boat leaves at eleven at night. §</p>
<blockquote><p>§</p></blockquote>
<ul><li>§</li><li><a href="§">§</a></li></ul>
<table><tr><th>§</th><td>§</td></tr></table>
<pre>§</pre>
</article>
<footer>§ Copyright Harbour Daily</footer>
</body>
</html>
""",
    "html",
    "page.html",
    "text/html; charset=utf-8",
)

TEXT_ZH = Seed(
    "text-zh",
    """渡轮新时刻表公布  港口夜间航班增加  §
您的位置：首页 > 本地 > §
§
2024-03-05 09:30  来源：§  作者：§

港口办公室周一表示，渡轮将从下周起执行新的时刻表。§

早班船六点开出，末班船晚上十一点离港。§

§

免责声明：本文仅供参考。§
""",
    "text",
    "page.txt",
)

TEXT_EN = Seed(
    "text-en",
    """Ferry timetable changes   Night boats added   §
You are here: Home > City > §
§
By § | March 5, 2024 9:30 am | Source: §

The harbour ferry runs on a new timetable from Monday, the port office said. §

What changes
Morning crossings start at six and the last boat leaves at eleven. §

Disclaimer: §
""",
    "text",
    "story.txt",
)

MARKDOWN = Seed(
    "markdown",
    """---
title: "§"
date: "§"
author: "§"
source: "§"
link: "§"
breadcrumb: ["§", "§"]
summary: "§"
related: ["§"]
---
# §

The harbour ferry runs on a new timetable. §

* §
* [§](§)

> §

```
§
```
""",
    "yaml-md",
    "note.md",
)

OPML = Seed(
    "opml",
    """<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0">
  <head><title>§</title></head>
  <body>
    <outline text="§" title="§">
      <outline type="rss" text="§" xmlUrl="https://harbour.example.org/§" htmlUrl="§"/>
      <outline text="§"><outline type="rss" text="Nested" xmlUrl="§"/></outline>
    </outline>
    <outline type="rss" text="§" category="§" xmlUrl="feed://kite.example/§"/>
  </body>
</opml>
""",
    "xml-attr",
    "subs.opml",
)

FEEDS_YAML = Seed(
    "feeds-yaml",
    """settings:
  theme: "§"
  refresh_minutes: 30
  headers:
    User-Agent: "§"
feeds:
  - name: "§"
    path: "samples/§"
    group: "§"
  - name: "§"
    url: "https://harbour.example.org/§"
    group: Tech
    timeout: 5
  - name: §
    url: "§"
""",
    "yaml",
    "feeds.yaml",
)

FEEDS = (RSS20, ATOM10, RDF, RSS091, JSONFEED)
PAGES = (HTML, TEXT_ZH, TEXT_EN, MARKDOWN)
DOCUMENTS = FEEDS + PAGES


def warm_up() -> None:
    """Parse one of each kind: imports (trafilatura alone takes ~0.5 s) and caches."""
    from newsreader.formats import parse_document

    for seed in DOCUMENTS:
        parse_document(
            seed.render().encode("utf-8"),
            source=seed.filename,
            url="https://warm.example.org/",
            content_type=seed.content_type,
            filename=seed.filename,
        )
    parse_document(b"<rss><channel><item>&bad</rss>", source="x", url=None)
