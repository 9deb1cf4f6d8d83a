"""The article pane: a Line API widget that lays out only what is on screen.

Opening an article splits and wraps just enough blocks to fill the first screen;
the rest is laid out as the reader scrolls and in short slices while idle, so a
200 KB article paints as fast as a short one. Wrapped lines are kept per width and
styles are resolved from the theme at draw time, so resizing back and switching
themes cost no re-parse. Feed text only ever becomes plain ``Segment`` text.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, ClassVar

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from newsreader.text.sanitise import for_terminal
from newsreader.ui.article.document import Document, local_date
from newsreader.ui.article.inline import BOLD, CODE, ITALIC, MATCH, STRIKE
from newsreader.ui.article.layout import Layout, Segments, StyleKey
from newsreader.ui.state.tree import untitled_label

if TYPE_CHECKING:
    from newsreader.model import StoredArticle
    from newsreader.query.highlight import Highlighter

_IDLE_SLICE = 0.008  # seconds of layout work per idle step
_KEEP_WIDTHS = 3
_STRIP_CACHE = 512
_FLAG_STYLES = (
    (BOLD, Style(bold=True)),
    (ITALIC, Style(italic=True)),
    (STRIKE, Style(strike=True)),
)


class ArticleView(ScrollView, can_focus=True):
    """Shows one article (or a message) with headings, lists, quotes, code, tables, links."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "line(1)", "Down", show=False, id="article.line_down"),
        Binding("up", "line(-1)", "Up", show=False, id="article.line_up"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="article.page_down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="article.page_up"),
        Binding("home", "edge(0)", "Top", show=False, id="article.top"),
        Binding("end", "edge(1)", "Bottom", show=False, id="article.bottom"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "article-view--title",
        "article-view--message",
        "article-view--meta",
        "article-view--url",
        "article-view--heading",
        "article-view--heading-minor",
        "article-view--link",
        "article-view--ref",
        "article-view--image",
        "article-view--quote",
        "article-view--quote-bar",
        "article-view--code",
        "article-view--marker",
        "article-view--rule",
        "article-view--table-header",
        "article-view--table-border",
        "article-view--match",
    }

    DEFAULT_CSS = """
    ArticleView {
        width: 1fr;
        height: 1fr;
        scrollbar-gutter: stable;
        overflow-x: hidden;
        overflow-y: auto;
        padding: 0 1;
        background: $background;
        color: $foreground;
    }
    ArticleView > .article-view--title { color: $article-heading; text-style: bold; }
    ArticleView > .article-view--message { color: $article-heading; text-style: bold; }
    ArticleView > .article-view--meta { color: $article-quote; }
    ArticleView > .article-view--url { color: $article-link; }
    ArticleView > .article-view--heading { color: $article-heading; text-style: bold; }
    ArticleView > .article-view--heading-minor { color: $article-heading; text-style: italic; }
    ArticleView > .article-view--link { color: $article-link; text-style: underline; }
    ArticleView > .article-view--ref { color: $article-link; }
    ArticleView > .article-view--image { color: $article-link; text-style: italic; }
    ArticleView > .article-view--quote { color: $article-quote; text-style: italic; }
    ArticleView > .article-view--quote-bar { color: $article-quote; }
    ArticleView > .article-view--code { background: $article-code-bg; }
    ArticleView > .article-view--marker { color: $article-link; }
    ArticleView > .article-view--rule { color: $crumb-separator; }
    ArticleView > .article-view--table-header { text-style: bold; }
    ArticleView > .article-view--table-border { color: $crumb-separator; }
    ArticleView > .article-view--match { color: $background; background: $article-link; }
    """

    class LinkClicked(Message):
        """A link in the article was clicked; the app decides how to open it."""

        def __init__(self, url: str) -> None:
            super().__init__()
            self.url = url

    def __init__(
        self,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self._doc: Document | None = None
        self._layout: Layout | None = None
        self._layouts: dict[int, Layout] = {}
        self._link: str | None = None
        self._generation = 0
        self._base: Style | None = None
        self._styles: dict[StyleKey, Style] = {}
        self._strips: dict[int, Strip] = {}
        self._idle_scheduled = False
        self._highlighter: Highlighter | None = None
        self.group: str | None = None
        self.feed_name: str | None = None

    # --- public interface ----------------------------------------------------------

    @property
    def link(self) -> str | None:
        """The shown article's own link, for open and copy; None for messages."""
        return self._link

    def show_article(
        self, stored: StoredArticle, *, group: str, feed_name: str, ruled: str = ""
    ) -> None:
        """Show ``stored``; only its first screen is laid out before returning.
        ``ruled`` says what the rules of feeds.yaml did to it, on a line under the meta
        line: plain text, guarded as that line is."""
        article = stored.article
        self.group, self.feed_name = group, feed_name
        author = article.author
        meta = " · ".join(
            part
            for part in (
                local_date(article.published or article.updated),
                author,
                article.source if article.source != author else None,
                feed_name,
            )
            if part
        )
        self._link = article.link
        self._set_document(
            Document.build(
                title=article.title.strip() or untitled_label(article.summary, article.text),
                meta=meta,
                url=article.link,
                markdown=article.markdown,
                text=article.text or article.summary or "",
                related=article.related,
                ruled=ruled,
            )
        )

    def show_message(self, title: str, body: str) -> None:
        """An empty or error state: a title and plain-text paragraphs."""
        self.group = self.feed_name = None
        self._link = None
        self._set_document(
            Document.build(title=title, meta="", url=None, markdown="", text=body, message=True)
        )

    def highlight(self, highlighter: Highlighter | None) -> None:
        """Light what ``highlighter`` matches in this and every later article (title,
        meta line and body); None turns it off. The lines are laid out again from the
        parsed blocks, so the reading position stays where it is."""
        if highlighter == self._highlighter:
            return
        self._highlighter = highlighter
        if self._doc is None:
            return
        self._lay_out_again(round(self.scroll_y) + self._page_height() + 2)
        self._update_virtual_size()
        self.refresh()
        self._schedule_idle()

    @property
    def highlighter(self) -> Highlighter | None:
        """What the pane lights now, as last given to :meth:`highlight`."""
        return self._highlighter

    def scroll_page_down(self, *, animate: bool = False, **kwargs: object) -> None:
        """One page down, without animation (key-driven scrolling must land at once)."""
        self._scroll_by(max(1, self.scrollable_content_region.height - 1))

    def scroll_page_up(self, *, animate: bool = False, **kwargs: object) -> None:
        self._scroll_by(-max(1, self.scrollable_content_region.height - 1))

    @property
    def shown_lines(self) -> list[str]:
        """The plain text of every line laid out so far (for tests and screen readers)."""
        if self._layout is None:
            return []
        return ["".join(text for text, _ in line) for line in self._layout.lines]

    def laid_out_all(self) -> list[str]:
        """Lay out the whole document at the current width and return its lines."""
        if self._layout is not None:
            self._layout.ensure_all()
            self._update_virtual_size()
        return self.shown_lines

    # --- actions -------------------------------------------------------------------

    def action_line(self, delta: int) -> None:
        self._scroll_by(delta)

    def action_page(self, delta: int) -> None:
        if delta > 0:
            self.scroll_page_down()
        else:
            self.scroll_page_up()

    def action_edge(self, end: int) -> None:
        if end and self._layout is not None:
            self._layout.ensure_all()
            self._update_virtual_size()
            self.scroll_to(y=self.max_scroll_y, animate=False)
        else:
            self.scroll_to(y=0, animate=False)

    def _scroll_by(self, delta: int) -> None:
        target = max(0, round(self.scroll_y) + delta)
        self._grow_to(target + self.scrollable_content_region.height * 2)
        self.scroll_to(y=target, animate=False)

    # --- document and layout -------------------------------------------------------

    def _lay_out_again(self, lines: int) -> None:
        """Forget every laid-out line and lay out the first ``lines`` at this width."""
        self._layouts.clear()
        self._strips.clear()
        self._layout = None
        width = self._text_width()
        if width > 0:
            self._layout = self._layout_for(width)
            self._layout.ensure(lines)

    def _set_document(self, doc: Document) -> None:
        self._generation += 1
        self._doc = doc
        self._lay_out_again(self._page_height() + 2)
        self.scroll_to(x=0, y=0, animate=False)
        self._update_virtual_size()
        self.refresh()
        self._schedule_idle()

    def _text_width(self) -> int:
        return self.scrollable_content_region.width

    def _page_height(self) -> int:
        return max(self.scrollable_content_region.height, self.size.height, 1)

    def _layout_for(self, width: int) -> Layout:
        assert self._doc is not None
        layout = self._layouts.pop(width, None) or Layout(self._doc, width, self._highlighter)
        self._layouts[width] = layout
        while len(self._layouts) > _KEEP_WIDTHS:
            del self._layouts[next(iter(self._layouts))]
        return layout

    def _grow_to(self, lines: int) -> None:
        if self._layout is not None and len(self._layout.lines) < lines:
            self._layout.ensure(lines)
            self._update_virtual_size()

    def _update_virtual_size(self) -> None:
        layout = self._layout
        height = layout.estimated_height() if layout is not None else 0
        width = layout.width if layout is not None else 0
        if self.virtual_size != Size(width, height):
            self.virtual_size = Size(width, height)

    def _schedule_idle(self) -> None:
        if not self._idle_scheduled and self._layout is not None and not self._layout.done:
            self._idle_scheduled = True
            generation = self._generation
            self.set_timer(0.05, lambda: self._idle_step(generation))

    def _idle_step(self, generation: int) -> None:
        """Lay out more of the article in a short slice, then yield to input."""
        self._idle_scheduled = False
        layout = self._layout
        if generation != self._generation or layout is None or layout.done:
            return
        deadline = time.perf_counter() + _IDLE_SLICE
        while not layout.done and time.perf_counter() < deadline:
            layout.step()
        self._update_virtual_size()
        if not layout.done:
            self._idle_scheduled = True
            self.set_timer(0.01, lambda: self._idle_step(generation))

    def on_resize(self, event: events.Resize) -> None:
        width = self._text_width()
        if self._doc is None or width <= 0:
            return
        old = self._layout
        if old is not None and old.width == width:
            self._grow_to(round(self.scroll_y) + self._page_height() + 2)
            return
        anchor = 0
        if old is not None and old.line_blocks:
            top = min(round(self.scroll_y), len(old.line_blocks) - 1)
            anchor = old.line_blocks[top]
        self._strips.clear()
        self._layout = self._layout_for(width)
        first = self._layout.ensure_block(anchor) if anchor else 0
        self._layout.ensure(first + self._page_height() + 2)
        self._update_virtual_size()
        self.scroll_to(y=first, animate=False)
        self.refresh()
        self._schedule_idle()

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        self._grow_to(round(new_value) + self._page_height() + 2)
        super().watch_scroll_y(old_value, new_value)

    # --- drawing -------------------------------------------------------------------

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._forget_styles()

    def on_focus(self) -> None:
        self._forget_styles()

    def on_blur(self) -> None:
        self._forget_styles()

    def _forget_styles(self) -> None:
        self._base = None
        self._styles.clear()
        self._strips.clear()

    def _base_style(self) -> Style:
        """The pane's own style; resolving it walks the DOM, so it is kept until the
        theme or focus changes."""
        if self._base is None:
            self._base = self.rich_style
        return self._base

    def _style(self, key: StyleKey) -> Style:
        """The drawn style of a span: the pane's style with the span's on top."""
        style = self._styles.get(key)
        if style is None:
            component, flags, url = key
            style = self._base_style()
            if component != "body":
                style += self.get_component_rich_style(
                    f"article-view--{component}", partial=True, default=Style()
                )
            for flag, extra in _FLAG_STYLES:
                if flags & flag:
                    style += extra
            if flags & CODE:
                style += self.get_component_rich_style(
                    "article-view--code", partial=True, default=Style()
                )
            if flags & MATCH:
                style += self.get_component_rich_style(
                    "article-view--match", partial=True, default=Style()
                )
            if url:
                style += Style(link=for_terminal(url))
            self._styles[key] = style
        return style

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        layout = self._layout
        index = round(self.scroll_y) + y
        if layout is None or layout.width != width:
            return Strip.blank(width, self._base_style())
        if index >= len(layout.lines):
            layout.ensure(index + 1)
            if index >= len(layout.lines):
                return Strip.blank(width, self._base_style())
        strip = self._strips.get(index)
        if strip is None:
            strip = self._line_strip(layout.lines[index], width)
            if len(self._strips) >= _STRIP_CACHE:
                self._strips.clear()
            self._strips[index] = strip
        return strip

    def _line_strip(self, line: Segments, width: int) -> Strip:
        """One laid-out line as one strip of exactly ``width`` cells (a new article
        draws a screenful of these in one frame, so no intermediate strips)."""
        # The render guard, last: whatever the layout decoded, no control is drawn.
        segments = [Segment(for_terminal(text), self._style(key)) for text, key in line]
        cells = sum(cell_len(segment.text) for segment in segments)
        if cells > width:
            return Strip(segments, cells).crop_extend(0, width, self._base_style())
        if cells < width:
            segments.append(Segment(" " * (width - cells), self._base_style()))
        return Strip(segments, width)

    def on_click(self, event: events.Click) -> None:
        url = event.style.link if event.style else None
        if url:
            event.stop()
            self.post_message(self.LinkClicked(url))
