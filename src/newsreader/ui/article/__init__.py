"""The article pane: Markdown split into blocks (``blocks``, ``splitter``), inline markup
(``inline``), the document and its lazy layout by terminal cells (``document``,
``layout``, ``wrap``) and the Textual widget that draws it (``view``).

Only ``view`` imports Textual; the rest is plain Python over strings.
"""
