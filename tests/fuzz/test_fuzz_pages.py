"""Single articles (HTML, Markdown, plain-text news pages), hostile and mutated."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz.profile import fuzz
from tests.fuzz.seeds import HTML, MARKDOWN, PAGES, TEXT_EN, TEXT_ZH
from tests.fuzz.strategies import filled, hostile_text, mutated, parse

URLS = st.sampled_from(
    (None, "https://fuzz.example.org/news/2024/story.html", "file:///tmp/a.html")
)


@fuzz()
@given(seed=st.sampled_from(PAGES), data=st.data(), url=URLS)
def test_hostile_text_in_every_field_comes_out_plain(seed, data, url) -> None:
    text = data.draw(filled(seed))
    parse(
        text.encode("utf-8", "surrogatepass"),
        source=seed.filename,
        url=url,
        content_type=seed.content_type,
        filename=seed.filename,
    )


@fuzz()
@given(document=mutated(HTML), url=URLS)
def test_mutated_html_never_escapes_the_error_family(document, url) -> None:
    parse(document, source="page.html", url=url, content_type="text/html", filename=None)


@fuzz()
@given(document=st.one_of(mutated(TEXT_ZH), mutated(TEXT_EN)), url=URLS)
def test_mutated_text_page_never_escapes_the_error_family(document, url) -> None:
    parse(document, source="page.txt", url=url, content_type=None, filename="page.txt")


@fuzz()
@given(document=mutated(MARKDOWN), url=URLS)
def test_mutated_markdown_never_escapes_the_error_family(document, url) -> None:
    parse(document, source="note.md", url=url, content_type=None, filename="note.md")


@fuzz()
@given(
    lines=st.lists(hostile_text(), min_size=1, max_size=12),
    name=st.sampled_from(("a.txt", "a.md", "a.html", None)),
)
def test_lines_of_hostile_text_as_any_page_kind(lines, name) -> None:
    data = "\n".join(lines).encode("utf-8", "surrogatepass")
    parse(data, source="lines", url=None, content_type=None, filename=name)


@fuzz()
@given(
    html=st.text(max_size=300),
    tags=st.lists(
        st.sampled_from(
            (
                "<p>",
                "</p>",
                "<div>",
                "<br>",
                "<pre>",
                "<li>",
                "<table><tr><td>",
                "<script>",
                "<!--",
                "<a href='javascript:x'>",
                "<img alt='\x1b[31m'>",
                "<h1>",
                "<nav>",
                "<svg>",
                "<title>",
                "<![CDATA[",
                "&#27;",
                "&#x9b;",
                "&",
                "<",
                ">",
            )
        ),
        max_size=20,
    ),
)
def test_html_fragments_convert_to_clean_text_and_markdown(html, tags) -> None:
    from newsreader.text.html import html_to_markdown, html_to_text
    from tests.fuzz.strategies import check_markdown, check_text

    source = "".join(t + html[i * 10 : i * 10 + 10] for i, t in enumerate(tags)) + html
    check_text("html_to_text", html_to_text(source, "https://fuzz.example.org/"), multiline=True)
    check_markdown("html_to_markdown", html_to_markdown(source, "https://fuzz.example.org/"))
