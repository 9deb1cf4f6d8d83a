"""The query language's syntax: text to tree (``parse``) and tree back to text
(``canonical``), one parser for the reader's ``/``, the command line and feeds.yaml.

The text is cleaned first (control characters removed, NFKC, so full-width ``ｆｅｒｒｙ``,
``（`` and ``：`` read as ``ferry``, ``(`` and ``:``); every column in an error is still a
column of the text as given. The grammar, loosest first::

    query  = or
    or     = and { "OR" and }             OR: the bare word in capitals, nothing else
    and    = unary { unary }              side by side: all must match
    unary  = "-" atom | atom              "-" right before what it excludes
    atom   = "(" or ")" | term
    term   = word | word"*" | '"' words '"' ["*"] | field":"value | flag | date | age

A term is a run of characters up to white space, ``(``, ``)`` or ``"``. Its words are
its runs of letters, digits and marks (any script, CJK included) and private-use
characters, the characters SQLite's unicode61 tokenizer keeps in a token; everything
else separates words, as it does in the index. So one word makes a Term; several
(``e-mail``, ``don't``) a Phrase of them; none (``&``, ``--``, ``*``) nothing at all,
since the index holds no punctuation. ``NAME:`` at the start of a term is a field when
NAME is ASCII letters and no ``/`` follows the colon (``http://x`` is text, and so is
``12:30``): a known field takes what follows, an unknown one is an error when a word
or a quote follows it and plain text when nothing does (``Note: ferry``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from datetime import date
from typing import NamedTuple, NoReturn

from newsreader.errors import QueryError
from newsreader.query.nodes import (
    FLAGS,
    TEXT_FIELDS,
    Age,
    And,
    DateBound,
    Flag,
    Node,
    Not,
    Operator,
    Or,
    Phrase,
    Term,
)
from newsreader.text.lazy import LazyPattern
from newsreader.text.sanitise import strip_controls

# Far past any query a person types or a rule needs; they bound the work one query can
# cause (and the recursion of the parser) whatever is pasted into the search box.
MAX_LENGTH = 4096
MAX_DEPTH = 32
MAX_AGE_SECONDS = 36500 * 86400  # 100 years
AGE_UNITS = {"w": 7 * 86400, "d": 86400, "h": 3600, "m": 60}
KEYWORDS = ("is", "has", "after", "before", "age")

_ALL_NAMES = ", ".join(f"{name}:" for name in (*TEXT_FIELDS, *KEYWORDS))

# Every message the parser gives; the golden table shows each one in use.
EMPTY = "the query is empty"
NO_WORDS = "nothing to search for: the query has no letters or digits"
TOO_LONG = f"the query is longer than {MAX_LENGTH} characters"
TOO_DEEP = f"parentheses are nested more than {MAX_DEPTH} deep"
UNCLOSED_PAREN = "expected ')' to close the '(' at column {column}"
STRAY_PAREN = "')' closes nothing: no '(' is open"
EMPTY_PARENS = "expected something to search for inside the '(' at column {column}"
UNCLOSED_QUOTE = "expected '\"' to close the phrase at column {column}"
EMPTY_PHRASE = "the phrase has no letters or digits to search for"
OR_BEFORE = "expected something to search for before 'OR'"
OR_AFTER = "expected something to search for after 'OR'"
EXCLUDE = "expected what to exclude right after '-': a word, a phrase, a field or '('"
NO_VALUE = "expected a word, a word* or a \"phrase\" right after '{name}:'"
UNKNOWN_FIELD = "unknown field '{name}:'; the fields are " + _ALL_NAMES
FLAG_VALUE = "expected {values} after '{name}:'"
DATE_FORMAT = "expected a date as YYYY-MM-DD after '{name}:'"
NO_SUCH_DAY = "there is no day {value}"
AGE_OPERATOR = "expected <, <=, > or >= after 'age:', as in age:<7d"
AGE_FORMAT = "expected a whole number and a unit m, h, d or w after 'age:{op}', as in age:{op}7d"
AGE_ZERO = "an age must be more than zero"
AGE_TOO_BIG = "an age can be at most 100 years (36500d)"
MESSAGES = (
    EMPTY,
    NO_WORDS,
    TOO_LONG,
    TOO_DEEP,
    UNCLOSED_PAREN,
    STRAY_PAREN,
    EMPTY_PARENS,
    UNCLOSED_QUOTE,
    EMPTY_PHRASE,
    OR_BEFORE,
    OR_AFTER,
    EXCLUDE,
    NO_VALUE,
    UNKNOWN_FIELD,
    FLAG_VALUE,
    DATE_FORMAT,
    NO_SUCH_DAY,
    AGE_OPERATOR,
    AGE_FORMAT,
    AGE_ZERO,
    AGE_TOO_BIG,
)

# Compiled on first use, as the sanitiser's are: most runs parse no query.
_FIELD = LazyPattern(r"([A-Za-z]+):(?!/)(.*)", re.DOTALL)
_DAY = LazyPattern(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
# An operator, then a number and a unit, or else anything (to tell which part is wrong).
_AGE = LazyPattern(r"(<=|>=|<|>)(?:([0-9]+)([mhdw])|.*)", re.DOTALL)
_OPERATORS: dict[str, Operator] = {"<=": "<=", ">=": ">=", "<": "<", ">": ">"}
_ENDS_TERM = frozenset('()"')


def _clean(text: str) -> str:
    return unicodedata.normalize("NFKC", strip_controls(text))


def _is_word_char(ch: str) -> bool:
    category = unicodedata.category(ch)
    return category[0] in "LNM" or category == "Co"


def _words(text: str) -> list[str]:
    """The runs of word characters in ``text``: what the index would make of it."""
    words: list[str] = []
    start = -1
    for i, ch in enumerate(text):
        if _is_word_char(ch):
            if start < 0:
                start = i
        elif start >= 0:
            words.append(text[start:i])
            start = -1
    if start >= 0:
        words.append(text[start:])
    return words


def _text_node(words: Sequence[str], field: str | None, prefix: bool) -> Term | Phrase:
    if len(words) == 1:
        return Term(words[0], field, prefix)
    return Phrase(tuple(words), field, prefix)


class _Source:
    """The query as given and as cleaned; positions are in the cleaned text, columns in
    the given one."""

    def __init__(self, given: str, where: str) -> None:
        self.given = given
        self.where = where
        self.text = _clean(given)

    def column(self, pos: int) -> int:
        """The 1-based column of the given character that the cleaned ``pos`` came from
        (one past the end for the end). Cleaning a longer start of the text never gives
        a shorter result, so a binary search over starts finds it."""
        if self.text == self.given:
            return pos + 1
        low, high = 1, len(self.given) + 1
        while low < high:
            middle = (low + high) // 2
            if len(_clean(self.given[:middle])) > pos:
                high = middle
            else:
                low = middle + 1
        return low

    def fail(self, pos: int, problem: str, **where: int) -> NoReturn:
        """Raise the error at ``pos``; positions in ``where`` become columns in the text."""
        if where:
            problem = problem.format(**{name: self.column(at) for name, at in where.items()})
        raise QueryError(problem, self.column(pos), where=self.where)


class _Token(NamedTuple):
    # "(", ")", "OR", "-", "term", "end", or "none": a term without a word in it.
    kind: str
    pos: int
    node: Node | None = None


def _lex(src: _Source) -> list[_Token]:
    text = src.text
    tokens: list[_Token] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch.isspace():
            i += 1
        elif ch in "()":
            tokens.append(_Token(ch, i))
            i += 1
        elif ch == '"':
            node, end = _phrase(src, i, None)
            tokens.append(_Token("term", i, node))
            i = end
        elif ch == "-":
            if i + 1 == len(text) or text[i + 1].isspace():
                src.fail(i + 1, EXCLUDE)
            tokens.append(_Token("-", i))
            i += 1
        else:
            end = i
            while end < len(text) and not text[end].isspace() and text[end] not in _ENDS_TERM:
                end += 1
            token, i = _term(src, i, end)
            tokens.append(token)
    tokens.append(_Token("end", len(text)))
    return tokens


def _phrase(src: _Source, quote: int, field: str | None) -> tuple[Node, int]:
    """The phrase whose opening quote is at ``quote``, and where the text goes on."""
    text = src.text
    close = text.find('"', quote + 1)
    if close < 0:
        src.fail(len(text), UNCLOSED_QUOTE, column=quote)
    words = _words(text[quote + 1 : close])
    if not words:
        src.fail(quote, EMPTY_PHRASE)
    end = close + 1
    prefix = end < len(text) and text[end] == "*"
    return _text_node(words, field, prefix), end + prefix


def _word_node(raw: str, field: str | None) -> Node | None:
    words = _words(raw)
    if not words:
        return None
    prefix = len(raw) >= 2 and raw[-1] == "*" and _is_word_char(raw[-2])
    return _text_node(words, field, prefix)


def _term(src: _Source, start: int, end: int) -> tuple[_Token, int]:
    """The token of the term in ``start:end``, and where the text goes on."""
    text = src.text
    raw = text[start:end]
    if raw == "OR":
        return _Token("OR", start), end
    field = _FIELD.fullmatch(raw)
    if field:
        name, value = field[1].lower(), field[2]
        at = start + field.start(2)
        quoted = not value and end < len(text) and text[end] == '"'
        if name in TEXT_FIELDS:
            if quoted:
                node, end = _phrase(src, end, name)
                return _Token("term", start, node), end
            word = _word_node(value, name)
            if word is None:
                src.fail(at, NO_VALUE.format(name=name))
            return _Token("term", start, word), end
        if name in KEYWORDS:
            return _Token("term", start, _keyword(src, name, value, at)), end
        if quoted or _words(value):
            src.fail(start, UNKNOWN_FIELD.format(name=field[1]))
    plain = _word_node(raw, None)
    return _Token("none" if plain is None else "term", start, plain), end


def _keyword(src: _Source, name: str, value: str, at: int) -> Node:
    """``is:``, ``has:``, ``after:``, ``before:`` and ``age:`` with the value at ``at``."""
    if name in ("is", "has"):
        flag = f"{name}:{value.lower()}"
        if flag not in FLAGS:
            *others, last = [f.partition(":")[2] for f in FLAGS if f.startswith(name + ":")]
            listed = f"{', '.join(others)} or {last}" if others else last
            src.fail(at, FLAG_VALUE.format(values=listed, name=name))
        return Flag(flag)
    if name in ("after", "before"):
        day = _DAY.fullmatch(value)
        if not day:
            src.fail(at, DATE_FORMAT.format(name=name))
        try:
            parsed = date(int(day[1]), int(day[2]), int(day[3]))
        except ValueError:
            src.fail(at, NO_SUCH_DAY.format(value=value))
        return DateBound("after" if name == "after" else "before", parsed)
    age = _AGE.fullmatch(value)
    if not age:
        src.fail(at, AGE_OPERATOR)
    op, number, unit = age[1], age[2], age[3]
    at += len(op)
    if not number:
        src.fail(at, AGE_FORMAT.format(op=op))
    digits = number.lstrip("0")
    if not digits:
        src.fail(at, AGE_ZERO)
    # The length first: int() of thousands of digits is slow, and then refused.
    if len(digits) > 12 or int(digits) * AGE_UNITS[unit] > MAX_AGE_SECONDS:
        src.fail(at, AGE_TOO_BIG)
    return Age(_OPERATORS[op], int(digits) * AGE_UNITS[unit])


def _all_of(items: list[Node]) -> Node:
    flat: list[Node] = []
    for item in items:
        flat.extend(item.items if isinstance(item, And) else (item,))
    return flat[0] if len(flat) == 1 else And(tuple(flat))


def _any_of(items: list[Node]) -> Node:
    flat: list[Node] = []
    for item in items:
        flat.extend(item.items if isinstance(item, Or) else (item,))
    return flat[0] if len(flat) == 1 else Or(tuple(flat))


class _Parser:
    """Recursive descent over the tokens; ``None`` from a rule means it found nothing,
    and the caller, which knows what was expected there, says so."""

    def __init__(self, src: _Source, tokens: list[_Token]) -> None:
        self.src = src
        self.tokens = tokens
        self.at = 0

    def peek(self) -> _Token:
        return self.tokens[self.at]

    def query(self) -> Node:
        node = self.any_of(0)
        token = self.peek()
        if token.kind == ")":
            self.src.fail(token.pos, STRAY_PAREN)
        if node is None:
            raise QueryError(NO_WORDS, 1, where=self.src.where)
        return node

    def any_of(self, depth: int) -> Node | None:
        groups: list[Node] = []
        while True:
            group = self.all_of(depth)
            token = self.peek()
            if group is None and (groups or token.kind == "OR"):
                self.src.fail(token.pos, OR_AFTER if groups else OR_BEFORE)
            if group is not None:
                groups.append(group)
            if token.kind != "OR":
                return _any_of(groups) if groups else None
            self.at += 1

    def all_of(self, depth: int) -> Node | None:
        items: list[Node] = []
        while True:
            kind = self.peek().kind
            if kind == "none":
                self.at += 1
            elif kind in ("OR", ")", "end"):
                return _all_of(items) if items else None
            else:
                items.append(self.unary(depth))

    def unary(self, depth: int) -> Node:
        if self.peek().kind != "-":
            return self.atom(depth)
        self.at += 1
        token = self.peek()
        if token.kind not in ("term", "("):
            self.src.fail(token.pos, EXCLUDE)
        return Not(self.atom(depth))

    def atom(self, depth: int) -> Node:
        token = self.peek()
        self.at += 1
        if token.node is not None:
            return token.node
        if depth == MAX_DEPTH:
            self.src.fail(token.pos, TOO_DEEP)
        inner = self.any_of(depth + 1)
        close = self.peek()
        if inner is None and close.kind == ")":
            self.src.fail(close.pos, EMPTY_PARENS, column=token.pos)
        if inner is None or close.kind != ")":
            self.src.fail(close.pos, UNCLOSED_PAREN, column=token.pos)
        self.at += 1
        return inner


def parse(text: str, *, where: str = "query") -> Node:
    """The tree of ``text``, or a QueryError whose one line says where and what is
    wrong; ``where`` begins that line (feeds.yaml passes ``file:line``)."""
    if len(text) > MAX_LENGTH:
        raise QueryError(TOO_LONG, MAX_LENGTH + 1, where=where)
    src = _Source(text, where)
    if not src.text.strip():
        raise QueryError(EMPTY, 1, where=where)
    return _Parser(src, _lex(src)).query()


def _duration(seconds: int) -> str:
    for unit, size in AGE_UNITS.items():
        if seconds % size == 0:
            return f"{seconds // size}{unit}"
    raise ValueError(f"an age of {seconds} s is not a whole number of minutes")


def canonical(node: Node) -> str:
    """The query as text in one spelling: ``parse(canonical(parse(q))) == parse(q)``
    for every query whose canonical form is within MAX_LENGTH. Saved searches and
    messages use it; it keeps the words' case, which matching ignores."""
    if isinstance(node, Term):
        field = f"{node.field}:" if node.field else ""
        if node.text == "OR" and not field and not node.prefix:
            return '"OR"'  # bare, it would be the operator
        return field + node.text + ("*" if node.prefix else "")
    if isinstance(node, Phrase):
        field = f"{node.field}:" if node.field else ""
        return f'{field}"{" ".join(node.words)}"' + ("*" if node.prefix else "")
    if isinstance(node, Flag):
        return node.name
    if isinstance(node, DateBound):
        return f"{node.side}:{node.day.isoformat()}"
    if isinstance(node, Age):
        return f"age:{node.op}{_duration(node.seconds)}"
    if isinstance(node, Not):
        inner = canonical(node.item)
        return f"-({inner})" if isinstance(node.item, And | Or | Not) else f"-{inner}"
    if isinstance(node, And):
        return " ".join(
            f"({canonical(item)})" if isinstance(item, Or) else canonical(item)
            for item in node.items
        )
    return " OR ".join(canonical(item) for item in node.items)
