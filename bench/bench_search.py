"""Search at a year of news (issue 11): queries over 200,000 stored articles, and what
the full-text index costs a cold fetch and the database.

1. A store of ARTICLES articles in 50 feeds, written through ``Store.save_result`` as a
   year of fetches would write it (200 articles a feed per save, oldest first, feeds
   interleaved), about a tenth of it in Chinese or Japanese, bodies of a few hundred
   to a few thousand characters; the older articles are mostly read. Seeded: every
   run builds the same store.
2. Five queries (two words, a phrase, a 2-character Chinese word, ``is:unread feed:``,
   a prefix), each from the query string to its first 100 hits and their titles:
   parse, compile, ``Store.search(..., limit=100)``, ``hit_counts()`` and the titles
   of the hits. Warm cache, the queries taking turns; median and p90 of RUNS runs.
3. ``newsreader fetch`` of ``bench_fetch``'s 200 x 200 set into an empty database,
   with the index (NEW: by default the working tree's ``src``, copied when the run
   starts) and without it (BASE, by default the commit before the index), each tree
   as ``PYTHONPATH=TREE/src python -m newsreader`` from a git worktree, alternating
   for ROUNDS rounds: cold time and the database's size (the file and its WAL).

Prints a Markdown report (the figures in docs/benchmarks.md come from it).

    .venv/bin/python bench/bench_search.py [--articles 200000] [--runs 30] [--rounds 5]
        [--store PATH] [--base REV] [--new REV]
"""

from __future__ import annotations

import argparse
import itertools
import math
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from bench_fetch import generate

if TYPE_CHECKING:
    from newsreader.query.compile import Compiled
    from newsreader.store import Store

REPO = Path(__file__).resolve().parent.parent
FEEDS = 50
PER_SAVE = 200  # articles in one feed document, as one fetch stores them
END = datetime(2026, 12, 1, 6, 0, tzinfo=UTC)  # the newest article; the oldest a year before
BAR_MS = 30.0
FETCH_BAR = 1.25
SIZE_BAR = 1.60

# -- The words ---------------------------------------------------------------------------
# Sentences are made by a small grammar from these lists; each article has a topic (and
# often a second one) whose nouns it uses most, so that words which belong together
# (ferry, timetable) meet in the same articles, as they do in real news. Each list runs
# from the most to the least used word, drawn with Zipf's law (weight 1 / rank^1.1), so
# a query word can be common (bus, station) or rare (ferry, timetable), as in real text.


def _words(text: str) -> list[str]:
    """A word list written as one string, items separated by commas."""
    return [word.strip() for word in text.split(",")]


# (weight of the topic, its nouns)
TOPICS: dict[str, tuple[float, list[str]]] = {
    "transport": (
        1.0,
        _words(
            "bus, station, route, rail line, commuters, buses, fares, platform, bus service,"
            " bridge, tram, roadworks, depot, ring road, cycle lane, ferries, level crossing,"
            " car park, bus lane, signal failure, season ticket, park and ride, night trains,"
            " ferry, railcard, ticket office, sleeper train, taxi rank, school run, timetable"
        ),
    ),
    "harbour": (
        0.3,
        _words(
            "harbour, quay, pier, vessel, fishing fleet, lighthouse, coastguard, moorings, marina,"
            " harbourside, trawler, dredging, breakwater, harbourmaster, slipway, harbours,"
            " container terminal, harbour wall, lifeboat crew"
        ),
    ),
    "council": (
        1.6,
        _words(
            "council, mayor, budget, councillors, vote, committee, consultation, town hall,"
            " planning application, council tax, ward, city council, housing scheme, cabinet,"
            " county council, bylaw, parish council, spending plan"
        ),
    ),
    "weather": (
        0.8,
        _words(
            "storm, heavy rain, forecast, high winds, snow, flood defences, frost, weather warning,"
            " heatwave, gale, river levels, drought, power cuts, sandbags, fog"
        ),
    ),
    "health": (
        1.0,
        _words(
            "hospital, patients, doctors, nurses, clinic, waiting list, vaccine, ambulance,"
            " pharmacy, care home, surgery, health board, maternity ward, mental health service"
        ),
    ),
    "schools": (
        1.0,
        _words(
            "school, pupils, teachers, students, university, exam results, library, college,"
            " new term, curriculum, head teacher, nursery, school meals, lecturers"
        ),
    ),
    "business": (
        1.3,
        _words(
            "market, jobs, prices, shops, wages, inflation, investors, factory, high street,"
            " interest rates, retailers, tourism, exports, bakery, startup, harvest, shareholders"
        ),
    ),
    "tech": (
        1.0,
        _words(
            "data, software, app, network, update, privacy, smartphone, broadband, server, outage,"
            " artificial intelligence, chip, robot, open source, cyber attack, browser,"
            " cloud service"
        ),
    ),
    "science": (
        0.7,
        _words(
            "researchers, study, climate, species, ocean, laboratory, satellite, telescope,"
            " sea levels, glacier, fossil, volcano, vaccine trial, solar panels, bird survey"
        ),
    ),
    "culture": (
        0.9,
        _words(
            "festival, museum, concert, exhibition, theatre, film, gallery, choir, novel,"
            " orchestra, book fair, street art, lantern parade, poetry prize, folk night"
        ),
    ),
    "sport": (
        1.0,
        _words(
            "match, season, players, league, coach, goal, stadium, cup final, transfer, referee,"
            " home crowd, title race, marathon, rowing club, regatta"
        ),
    ),
    "crime": (
        0.7,
        _words(
            "police, court, arrest, trial, detectives, witness, fraud, burglary, magistrates,"
            " sentence, jury, appeal"
        ),
    ),
}
NOUNS = _words(
    "residents, officials, plan, report, scheme, proposal, changes, delays, cost, money,"
    " families, visitors, project, group, area, town, centre, community, decision, statement,"
    " figures, event, street, park, campaign, review, funding, survey, owners, staff,"
    " volunteers, neighbours, campaigners, union, charity, company, minister, government,"
    " agency, board, experts, workers, children, drivers, passengers, customers, tenants,"
    " farmers, city, region"
)
ADJECTIVES = _words(
    "new, local, long, early, late, public, major, small, busy, annual, final, first, second,"
    " northern, coastal, rural, extra, old, full, short, temporary, free, higher, lower,"
    " independent, national, popular, quiet, historic, weekly, revised, delayed"
)
VERBS = _words(
    "approved, announced, delayed, opened, closed, welcomed, criticised, reviewed, cancelled,"
    " extended, launched, funded, expanded, reported, confirmed, rejected, discussed, unveiled,"
    " restored, replaced, backed, questioned, published, promised, blamed, praised, paused,"
    " doubled, cut, moved, won, lost, visited, described, warned about, called for, agreed on,"
    " voted against, asked about, looked at"
)
DETERMINERS = _words("the, the, the, a, this, their, its, every, another")
PREPOSITIONS = _words(
    "in, on, at, near, across, after, before, during, over, under, without, despite, for, since"
)
WHEN = _words(
    "on Monday, on Tuesday, on Wednesday, on Thursday, on Friday, on Saturday, on Sunday,"
    " this week, last month, next spring, in March, in the autumn, last year, by the summer,"
    " overnight, this morning, two years ago, within weeks, for the third time, at the weekend"
)
LINKS = _words("and, but, while, after, because, although, so, as, until, when")
SAYS = _words("said, told reporters, wrote, added, explained, admitted, insisted")
FIRST_NAMES = _words(
    "Anna, Tom, Priya, Sean, Maria, David, Aisha, Lukas, Emma, Kwame, Sofia, James, Chloe,"
    " Omar, Grace, Niamh, Pablo, Lena"
)
LAST_NAMES = _words(
    "Smith, Jones, Patel, Murphy, Garcia, Nowak, Okafor, Brown, Evans, Rossi, Kowalski, Chen,"
    " Walsh, Silva, Hughes, Ahmed"
)

ZH_TOPICS = {
    "transport": _words("交通, 公交, 高铁, 机场, 票价, 大桥, 地铁, 站台, 渡轮, 时刻表, 地铁线路"),
    "harbour": _words("港口, 码头, 渔船, 灯塔, 航运, 集装箱码头, 海岸"),
    "council": _words("预算, 人大, 住房, 城市规划, 政策, 市长, 政府工作报告"),
    "weather": _words("暴雨, 台风, 气温, 天气预报, 洪水, 寒潮, 高温"),
    "health": _words("医院, 疫苗, 诊所, 病人, 医生, 医保"),
    "schools": _words("学校, 大学, 高考, 图书馆, 老师, 学生, 幼儿园"),
    "business": _words("市场, 经济, 价格, 工资, 企业, 投资, 消费, 出口"),
    "tech": _words("人工智能, 软件, 手机, 网络, 数据, 芯片, 机器人, 新能源汽车"),
    "culture": _words("博物馆, 展览, 音乐节, 电影, 演出, 灯会, 文化节"),
    "sport": _words("足球, 比赛, 球队, 决赛, 体育场, 马拉松, 篮球"),
}
ZH_WHEN = _words(
    "今天, 昨天, 本周, 上午, 下午, 近日, 目前, 去年, 明年, 周一, 周末, 上个月, 今年以来, 春节前"
)
ZH_PLACES = _words(
    "上海, 北京, 广州, 深圳, 杭州, 宁波, 上虞, 香港, 南京, 成都, 武汉, 厦门, 青岛, 绍兴"
)
ZH_WHO = _words(
    "市政府, 市民, 居民, 记者, 警方, 专家, 学生, 游客, 公司, 研究人员, 医生, 代表, 交通部门,"
    " 港务局, 有关部门, 志愿者"
)
ZH_VERBS = _words(
    "宣布, 表示, 计划, 开通, 启动, 推出, 增加, 减少, 讨论, 批准, 调整, 发布, 举行, 完成, 修复,"
    " 关闭, 扩建, 公布, 关注, 支持"
)
ZH_MODS = _words("新的, 重要的, 大型, 主要, 新一轮, 全市的, 今年的, 更多的, 部分")
ZH_ADVERBS = _words("已经, 正在, 将, 也, 进一步, 首次, 再次, 逐步")
ZH_NAMES = _words("王明, 李娜, 张伟, 刘洋, 陈静, 杨帆, 赵磊, 黄丽")

JA_TOPICS = {
    "transport": _words("地下鉄, フェリー, 時刻表, 新幹線, 空港, 運賃, バス, 駅"),
    "harbour": _words("港, 漁船, 灯台, 岸壁, 港湾"),
    "council": _words("予算, 市議会, 住宅, 都市計画, 市長, 条例"),
    "weather": _words("台風, 大雨, 気温, 天気予報, 洪水, 大雪"),
    "health": _words("病院, ワクチン, 診療所, 患者, 医師"),
    "schools": _words("学校, 大学, 入試, 図書館, 教員, 生徒"),
    "business": _words("市場, 経済, 価格, 賃金, 企業, 投資, 輸出"),
    "tech": _words("人工知能, ソフトウェア, スマートフォン, データ, 半導体, ロボット"),
    "culture": _words("博物館, 展覧会, 祭り, 映画, 公演, 花火大会"),
    "sport": _words("サッカー, 試合, 決勝, 野球, 競技場, マラソン"),
}
JA_WHEN = _words("今日, 昨日, 今週, 午前, 午後, 先月, 来年, 昨年, 週末, 今月")
JA_PLACES = _words("東京, 大阪, 横浜, 京都, 名古屋, 福岡, 札幌, 神戸, 仙台")
JA_WHO = _words(
    "市役所, 住民, 記者, 警察, 専門家, 学生, 観光客, 企業, 研究者, 医師, 議員, 交通局, 関係者"
)
JA_VERBS = _words(
    "発表した, 開始した, 決定した, 計画している, 検討している, 増やした, 減らした, 開催した,"
    " 公開した, 見直した, 延期した, 再開した"
)
JA_MODS = _words("新しい, 大規模な, 主要な, 今年の, 一部の, 全国の")
JA_NAMES = _words("佐藤, 鈴木, 高橋, 田中, 伊藤, 渡辺, 山本, 中村")

CJK_TOPICS = {"zh": ZH_TOPICS, "ja": JA_TOPICS}
CJK_WORDS = {
    "zh": {"when": ZH_WHEN, "place": ZH_PLACES, "who": ZH_WHO, "verb": ZH_VERBS,
           "verb2": ZH_VERBS, "mod": ZH_MODS, "adv": ZH_ADVERBS, "name": ZH_NAMES},
    "ja": {"when": JA_WHEN, "place": JA_PLACES, "who": JA_WHO, "verb": JA_VERBS,
           "mod": JA_MODS, "name": JA_NAMES},
}  # fmt: skip
# Sentence shapes and how often each comes; a title's shape.
CJK_SENTENCES = {
    "zh": (
        [
            "{when}，{place}{who}{adv}{verb}了{mod}{noun}。",
            "{who}表示，{noun}{adv}{verb}，{place}的{noun2}也将{verb2}。",
            "据{place}媒体报道，共有{count}名{who}参加了{noun}和{noun2}的{verb}工作。",
            "“{noun}{adv}{verb}，{mod}{noun2}是关键。”{name}说。",
        ],
        [0.4, 0.3, 0.15, 0.15],
    ),
    "ja": (
        [
            "{when}、{place}の{who}は{mod}{noun}を{verb}。",
            "{who}によると、{noun}の{noun2}は{count}件{verb}という。",
            "「{noun}と{noun2}が大切だ」と{name}さんは話した。",
        ],
        [0.45, 0.35, 0.2],
    ),
}
CJK_TITLES = {
    "zh": "{place}{noun}{verb}{mod}{noun2}",
    "ja": "{place}の{noun}、{mod}{noun2}を{verb}",
}

# English feed names are a place and a paper. The first, "Harbour Times", is the one
# ``feed:`` is timed on; "harbour" is also a word of the articles' text (the index reads
# its every occurrence to find those in the feed column), and harb* matches the name.
PAPERS = _words(
    "Times, Herald, Gazette, Post, Chronicle, Echo, Courier, Observer, Mercury, Advertiser,"
    " Journal, Standard, Express, Argus, Bulletin"
)
PLACES = _words(
    "Harbour, Island, County, Riverside, Northgate, Hillside, Valley, Coast, Lakeside,"
    " Market Town, Westbury, Eastfield, Bay, Moor, Tech, Science, Arts, Sports, Business, City,"
    " Kingsbridge, Ashford, Brookvale, Castleton, Deepdale, Elmstead, Fairhaven, Glenmore,"
    " Highcliffe, Ironbridge, Juniper Hill, Longmarsh, Millbrook, Newhaven, Oakridge, Pinewood,"
    " Redcliffe, Stonebridge, Thornbury, Upton, Whitby, Yarmouth, Zennor, Alderney, Bramley"
)
CJK_FEEDS = [("上虞日报", "zh"), ("杭州新闻", "zh"), ("南方快讯", "zh"), ("東京ニュース", "ja"),
             ("横浜新聞", "ja")]  # fmt: skip
GROUPS = ("Town", "World", "Tech", "Culture", "Sport")

QUERIES = [
    ("two words", "ferry timetable"),
    ("phrase", '"city council"'),
    ("2-character Chinese", "地铁"),
    ("unread in one feed", 'is:unread feed:"Harbour Times"'),
    ("prefix", "harb*"),
]


def feed_names() -> list[tuple[str, str, str]]:
    """(name, language, group) of the FEEDS feeds: a tenth Chinese or Japanese."""
    english = [f"{place} {paper}" for place, paper in zip(PLACES, PAPERS * 3, strict=True)]
    feeds = [(name, "en", GROUPS[i % len(GROUPS)]) for i, name in enumerate(english)]
    cjk = [(name, lang, "World") for name, lang in CJK_FEEDS]
    # The CJK feeds are spread among the others, as a reader's list would have them.
    feeds = feeds[: FEEDS - len(cjk)]
    for i, entry in enumerate(cjk):
        feeds.insert(5 + i * 9, entry)
    return feeds


_ZIPF: dict[int, list[float]] = {}


class Writer:
    """Titles and bodies in one language, from a seeded random generator."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.topic_names = list(TOPICS)
        self.topic_weights = [TOPICS[t][0] for t in self.topic_names]

    def pick(self, words: list[str]) -> str:
        """One of ``words``, the first ones most often (Zipf)."""
        weights = _ZIPF.get(len(words))
        if weights is None:
            weights = _ZIPF[len(words)] = list(
                itertools.accumulate(1 / rank**1.1 for rank in range(1, len(words) + 1))
            )
        return self.rng.choices(words, cum_weights=weights)[0]

    def length(self, median: float, low: int, high: int) -> int:
        """A body length: log-normal around ``median``, as feeds' descriptions are."""
        return int(min(high, max(low, self.rng.lognormvariate(math.log(median), 0.7))))

    # English

    def _noun(self, topics: list[str]) -> str:
        rng = self.rng
        if rng.random() < 0.55:
            return self.pick(TOPICS[rng.choice(topics)][1])
        return self.pick(NOUNS)

    def _phrase(self, topics: list[str]) -> str:
        rng = self.rng
        words = [rng.choice(DETERMINERS)]
        if rng.random() < 0.4:
            words.append(rng.choice(ADJECTIVES))
        words.append(self._noun(topics))
        return " ".join(words)

    def _sentence(self, topics: list[str]) -> str:
        rng = self.rng
        shape = rng.random()
        clause = f"{self._phrase(topics)} {rng.choice(VERBS)} {self._phrase(topics)}"
        if shape < 0.35:
            clause += f" {rng.choice(PREPOSITIONS)} {self._phrase(topics)}"
        elif shape < 0.6:
            clause += f" {rng.choice(WHEN)}"
        elif shape < 0.8:
            clause += f", {rng.choice(LINKS)} {self._phrase(topics)} {rng.choice(VERBS)}"
            clause += f" {self._phrase(topics)}"
        else:
            who = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
            return f'"{clause.capitalize()}," {who} {rng.choice(SAYS)}.'
        return clause[0].upper() + clause[1:] + "."

    def english(self) -> tuple[str, str]:
        rng = self.rng
        topics = rng.choices(self.topic_names, self.topic_weights, k=2 if rng.random() < 0.4 else 1)
        title = f"{self._noun(topics)} {rng.choice(VERBS)} {rng.choice(ADJECTIVES)}"
        title += f" {self._noun(topics)} {rng.choice(WHEN)}"
        return title[0].upper() + title[1:], self._paragraphs(
            self.length(700, 180, 6000), lambda: self._sentence(topics), " "
        )

    def _paragraphs(self, size: int, sentence: Callable[[], str], joiner: str) -> str:
        paragraphs: list[str] = []
        total = 0
        while total < size:
            paragraph = joiner.join(sentence() for _ in range(self.rng.randint(2, 5)))
            paragraphs.append(paragraph)
            total += len(paragraph) + 2
        return "\n\n".join(paragraphs)

    # Chinese and Japanese

    def cjk(self, lang: str) -> tuple[str, str]:
        rng = self.rng
        words = CJK_WORDS[lang]
        topics = rng.sample(list(CJK_TOPICS[lang]), 2)

        def fill(template: str) -> str:
            nouns = CJK_TOPICS[lang]
            return template.format(
                noun=self.pick(nouns[rng.choice(topics)]),
                noun2=self.pick(nouns[rng.choice(topics)]),
                count=rng.randint(2, 900),
                **{field: rng.choice(choices) for field, choices in words.items()},
            )

        templates, weights = CJK_SENTENCES[lang]
        return fill(CJK_TITLES[lang]), self._paragraphs(
            self.length(350, 80, 3000), lambda: fill(rng.choices(templates, weights)[0]), ""
        )


# -- The store ---------------------------------------------------------------------------


def _author(rng: random.Random, lang: str) -> str | None:
    if rng.random() < 0.35:
        return None
    if lang == "zh":
        return f"记者 {rng.choice(ZH_NAMES)}"
    if lang == "ja":
        return f"{rng.choice(JA_NAMES)}記者"
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def _batches(feed: int, lang: str, per_feed: int) -> Iterator[list[tuple[str, str, str, str, str]]]:
    """The feed's articles a save at a time, oldest save first, newest article first in
    each (as a feed document lists them): (id, title, published, author, text)."""
    rng = random.Random(f"search-{feed}")
    writer = Writer(rng)

    def write() -> tuple[str, str]:
        return writer.english() if lang == "en" else writer.cjk(lang)

    year = timedelta(days=365).total_seconds()
    for start in range(0, per_feed, PER_SAVE):
        batch = []
        for i in range(start, min(per_feed, start + PER_SAVE)):
            title, text = write()
            age = year * (1 - (i + rng.random()) / per_feed)
            published = (END - timedelta(seconds=age)).isoformat(timespec="seconds")
            author = _author(rng, lang) or ""
            batch.append((f"https://news.invalid/{feed}/{i}", title, published, author, text))
        yield batch[::-1]


def build_store(db: Path, articles: int) -> None:
    """Write the store through ``sync_feeds`` and ``save_result``, the fetch's own path,
    a feed document of PER_SAVE articles at a time; then mark the older articles read."""
    from newsreader.model import Article, Feed, FeedConfig, FetchResult, FetchState
    from newsreader.store import Store

    feeds = feed_names()
    per_feed = articles // FEEDS
    with Store.open(db) as store:
        store.sync_feeds(
            [FeedConfig(name=n, source="local", target=f"/feeds/{i}.xml", group=g)
             for i, (n, _lang, g) in enumerate(feeds)]
        )  # fmt: skip
        streams = [_batches(i, lang, per_feed) for i, (_n, lang, _g) in enumerate(feeds)]
        # A year of fetches: every feed gains its next batch, then the next round.
        for _round in range(math.ceil(per_feed / PER_SAVE)):
            for (name, _lang, _group), stream in zip(feeds, streams, strict=True):
                batch = next(stream, None)
                if batch is None:
                    continue
                items = tuple(
                    Article(id=aid, title=title, link=aid, published=published,
                            author=author or None, text=text)
                    for aid, title, published, author, text in batch
                )  # fmt: skip
                store.save_result(name, FetchResult(Feed(name, None, name, items), FetchState()))
        store.set_read(_read_keys(db))


def _read_keys(db: Path) -> list[int]:
    """The articles a regular reader has read: most of those over a fortnight old, a
    third of the newer ones."""
    rng = random.Random(11)
    fortnight = (END - timedelta(days=14)).timestamp()
    with closing(sqlite3.connect(db)) as conn:
        rows = conn.execute("SELECT key, sort_key FROM articles ORDER BY key").fetchall()
    return [k for k, when in rows if rng.random() < (0.85 if when < fortnight else 0.33)]


# -- The queries -------------------------------------------------------------------------


class Timing:
    """One query's samples, in milliseconds, by step."""

    def __init__(self, label: str, query: str) -> None:
        self.label = label
        self.query = query
        self.matches = 0
        self.total: list[float] = []
        self.compile: list[float] = []
        self.search: list[float] = []
        self.counts: list[float] = []
        self.titles: list[float] = []
        self.feeds: list[float] = []  # hit_headlines of every feed with hits, not in total
        self.index: list[float] = []  # the MATCH alone, on a connection of its own
        self.plans: list[tuple[str, list[str]]] = []


def _hit_titles(store: Store) -> list[str]:
    """The hits' titles, newest first, as the sidebar draws them.

    The store reads its hits only as counts so far, so this goes through its connection
    (the hits are a temporary table of that connection). CROSS JOIN keeps the hits as
    the outer loop: SQLite has no statistics for a temporary table, and with a plain
    JOIN it walks every article and looks each up in the hits (1.6 ms against 0.1 ms at
    10,000 articles).
    """
    rows = store._read(
        "SELECT a.title FROM temp.hits h CROSS JOIN articles a ON a.key = h.key"
        " ORDER BY a.sort_key DESC NULLS LAST, a.key DESC"
    )
    return [str(row[0]) for row in rows]


def _match_params(compiled: Compiled) -> list[str]:
    """The FTS5 expressions among a compiled query's parameters."""
    chunks = compiled.where.split("?")
    return [
        str(p)
        for chunk, p in zip(chunks, compiled.params, strict=False)
        if chunk.endswith("MATCH ")
    ]


def _plans(store: Store, compiled: Compiled) -> list[tuple[str, list[str]]]:
    """``EXPLAIN QUERY PLAN`` of what ``search`` and ``hit_counts`` run, as they ran it."""
    statements: list[str] = []
    store._db.set_trace_callback(statements.append)
    try:
        store.search(compiled, limit=100)
        store.hit_counts()
    finally:
        store._db.set_trace_callback(None)
    plans = []
    for sql in statements:
        if sql.startswith("INSERT INTO temp.hits") or (
            sql.startswith("SELECT") and "count(*) FROM temp.hits" not in sql
        ):
            rows = store._db.execute(f"EXPLAIN QUERY PLAN {sql}").fetchall()
            name = "search" if sql.startswith("INSERT") else "hit_counts"
            plans.append((name, [f"{'  ' * _depth(rows, row)}{row[3]}" for row in rows]))
    return plans


def _depth(rows: list[tuple[int, int, int, str]], row: tuple[int, int, int, str]) -> int:
    parents = {r[0]: r[1] for r in rows}
    depth, parent = 0, row[1]
    while parent:
        depth, parent = depth + 1, parents.get(parent, 0)
    return depth


def time_queries(db: Path, runs: int) -> list[Timing]:
    """Each query from its text to its first 100 hits and their titles, the queries
    taking turns; three rounds first to warm the cache."""
    from newsreader.query import parse
    from newsreader.query.compile import compile_query
    from newsreader.store import Store

    groups = sorted({group for _n, _l, group in feed_names()})
    timings = [Timing(label, query) for label, query in QUERIES]
    with Store.open(db) as store, closing(sqlite3.connect(db)) as plain:
        for timing in timings:
            compiled = compile_query(parse(timing.query), groups=groups, now=time.time())
            timing.matches = store.search(compiled)
            timing.plans = _plans(store, compiled)
        for run in range(runs + 3):
            for timing in timings:
                started = time.perf_counter()
                compiled = compile_query(parse(timing.query), groups=groups, now=time.time())
                compiled_at = time.perf_counter()
                store.search(compiled, limit=100)
                searched_at = time.perf_counter()
                store.hit_counts()
                counted_at = time.perf_counter()
                titles = _hit_titles(store)
                done = time.perf_counter()
                assert len(titles) == min(100, timing.matches)
                for match in _match_params(compiled):
                    plain.execute(
                        "SELECT count(*) FROM search WHERE search MATCH ?", (match,)
                    ).fetchone()
                index_ms = (time.perf_counter() - done) * 1000
                feeds_started = time.perf_counter()
                for feed in store.hit_counts():
                    store.hit_headlines(feed)
                feeds_ms = (time.perf_counter() - feeds_started) * 1000
                if run < 3:
                    continue
                timing.total.append((done - started) * 1000)
                timing.compile.append((compiled_at - started) * 1000)
                timing.search.append((searched_at - compiled_at) * 1000)
                timing.counts.append((counted_at - searched_at) * 1000)
                timing.titles.append((done - counted_at) * 1000)
                timing.index.append(index_ms)
                timing.feeds.append(feeds_ms)
    return timings


# -- The index's cost on a cold fetch ----------------------------------------------------


def _git(*args: str) -> str:
    done = subprocess.run(["git", "-C", str(REPO), *args], capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"git {' '.join(args)}: {done.stderr.strip()}")
    return done.stdout.strip()


def default_base() -> str:
    """The commit before the one that added the index, or HEAD while it is not committed."""
    added = _git("log", "--diff-filter=A", "--format=%H", "--", "src/newsreader/store/search.py")
    return f"{added.split()[-1]}^" if added else "HEAD"


class Fetches:
    """Cold fetches of one tree: wall and CPU seconds, database bytes."""

    def __init__(self, tree: Path) -> None:
        self.tree = tree
        self.wall: list[float] = []
        self.cpu: list[float] = []
        self.size: list[int] = []

    def run(self, config: Path, db: Path) -> None:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPATH"] = str(self.tree / "src")
        cmd = [sys.executable, "-m", "newsreader", "fetch", "--config", str(config)]
        before = os.times()
        started = time.perf_counter()
        done = subprocess.run([*cmd, "--db", str(db)], capture_output=True, text=True, env=env)
        self.wall.append(time.perf_counter() - started)
        after = os.times()
        if done.returncode != 0:
            sys.exit(f"fetch with {self.tree} failed: {done.stderr.strip()[:500]}")
        self.cpu.append(
            after.children_user - before.children_user + after.children_system
            - before.children_system
        )  # fmt: skip
        wal = db.with_name(db.name + "-wal")
        self.size.append(db.stat().st_size + (wal.stat().st_size if wal.exists() else 0))
        for path in db.parent.glob(db.name + "*"):
            path.unlink()


def fetch_cost(rounds: int, base: str, new: str | None) -> tuple[str, str, Fetches, Fetches, float]:
    """Cold fetches of bench_fetch's 200 x 200 set by BASE and by NEW (a commit, or the
    working tree), alternating (ABBA), each into a new database, after one untimed run
    of each (which also writes their bytecode)."""
    with tempfile.TemporaryDirectory(prefix="nr-bench-search-") as tmp:
        folder = Path(tmp)
        (folder / "set").mkdir()
        config, _size = generate(folder / "set", 200, 200)
        commits = [_git("rev-parse", "--short", base)]
        if new is None:
            # A copy, so that edits made to the working tree meanwhile stay out of the run.
            shutil.copytree(REPO / "src", folder / "new" / "src",
                            ignore=shutil.ignore_patterns("__pycache__"))  # fmt: skip
        else:
            commits.append(_git("rev-parse", "--short", new))
        worktrees = []
        try:
            for name, commit in zip(("base", "new"), commits, strict=False):
                worktrees.append(folder / name)
                _git("worktree", "add", "--detach", str(folder / name), commit)
            without, with_index = Fetches(folder / "base"), Fetches(folder / "new")
            loads = []
            for fetches in (without, with_index):
                fetches.run(config, folder / "warm.db")
                fetches.wall.clear()
                fetches.cpu.clear()
                fetches.size.clear()
            for n in range(rounds):
                order = (without, with_index) if n % 2 == 0 else (with_index, without)
                for fetches in order:
                    loads.append(os.getloadavg()[0])
                    fetches.run(config, folder / f"cold{n}.db")
        finally:
            for worktree in worktrees:
                _git("worktree", "remove", "--force", str(worktree))
    label = commits[1] if new is not None else "working tree"
    return commits[0], label, without, with_index, statistics.median(loads)


# -- The report --------------------------------------------------------------------------


def _p90(values: list[float]) -> float:
    return statistics.quantiles(values, n=10, method="inclusive")[-1]


def _verdict(met: bool) -> str:
    return "met" if met else "**not met**"


def _mb(size: float) -> str:
    return f"{size / 1e6:.1f} MB"


def report_queries(timings: list[Timing], runs: int) -> None:
    print("| query | matches | median | p90 | bar | |\n|---|---|---|---|---|---|")
    for t in timings:
        median = statistics.median(t.total)
        print(f"| {t.label}: `{t.query}` | {t.matches:,} | {median:.1f} ms | {_p90(t.total):.1f} ms"
              f" | {BAR_MS:.0f} ms | {_verdict(median <= BAR_MS)} |")  # fmt: skip
    print(
        f"\nWhere the time goes (medians of {runs}, ms): parse and compile; `Store.search`"
        " (into temp.hits); `hit_counts()`; the 100 titles; and, outside the total, the index"
        " alone (`SELECT count(*) FROM search WHERE search MATCH ?`, every match) and"
        " `hit_headlines(feed)` of every feed with hits, as the sidebar reads them.\n"
    )
    print("| query | compile | search | hit_counts | titles | index alone | hit_headlines |")
    print("|---|---|---|---|---|---|---|")
    for t in timings:
        parts = (t.compile, t.search, t.counts, t.titles, t.index, t.feeds)
        print(f"| {t.label} | " + " | ".join(f"{statistics.median(p):.2f}" for p in parts) + " |")
    print("\nQuery plans (`EXPLAIN QUERY PLAN` of the statements `Store.search` and")
    print("`hit_counts()` ran):\n")
    for t in timings:
        for name, plan in t.plans:
            print(f"{name}, `{t.query}`:\n```\n" + "\n".join(plan) + "\n```")


def report_fetch(commit: str, new: str, without: Fetches, with_index: Fetches, load: float) -> None:
    rounds = len(without.wall)
    print(f"| 200 x 200, cold (median of {rounds}) | without index ({commit}) | with ({new}) |"
          " ratio | bar | |\n|---|---|---|---|---|---|")  # fmt: skip
    wall = statistics.median(with_index.wall) / statistics.median(without.wall)
    cpu = statistics.median(with_index.cpu) / statistics.median(without.cpu)
    size = statistics.median(with_index.size) / statistics.median(without.size)
    print(f"| fetch, wall | {_spread(without.wall)} | {_spread(with_index.wall)} | {wall:.2f}"
          f" | {FETCH_BAR:.2f} | {_verdict(wall <= FETCH_BAR)} |")  # fmt: skip
    print(f"| fetch, CPU | {_spread(without.cpu)} | {_spread(with_index.cpu)} | {cpu:.2f} | | |")
    print(f"| database (file + WAL) | {_mb(statistics.median(without.size))} |"
          f" {_mb(statistics.median(with_index.size))} | {size:.2f} | {SIZE_BAR:.2f}"
          f" | {_verdict(size <= SIZE_BAR)} |")  # fmt: skip
    paired = [b / a for a, b in zip(without.wall, with_index.wall, strict=True)]
    print(f"\nEach round's two fetches run back to back; the median of the rounds' own wall"
          f" ratios is {statistics.median(paired):.2f} ({min(paired):.2f}–{max(paired):.2f})."
          f" Load average before the fetches: median {load:.2f}.")  # fmt: skip


def _spread(values: list[float]) -> str:
    return f"{statistics.median(values):.2f} s ({min(values):.2f}–{max(values):.2f})"


def describe_store(db: Path, seconds: float | None) -> None:
    with closing(sqlite3.connect(db)) as conn:
        count = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        unread = conn.execute("SELECT count(*) FROM articles WHERE read = 0").fetchone()[0]
        index = conn.execute(
            "SELECT sum(pgsize) FROM dbstat WHERE name = 'search' OR name LIKE 'search!_%'"
            " ESCAPE '!'"
        ).fetchone()[0]
        lengths = [n for (n,) in conn.execute("SELECT length(text) FROM bodies")]
    size = sum(p.stat().st_size for p in db.parent.glob(db.name + "*"))
    cjk = sum(1 for _n, lang, _g in feed_names() if lang != "en") * (count // FEEDS)
    built = f", built in {seconds:.0f} s" if seconds is not None else ""
    deciles = statistics.quantiles(lengths, n=10)
    print(f"Store: {count:,} articles in {FEEDS} feeds ({cjk:,} Chinese or Japanese),"
          f" {unread:,} unread{built}; bodies {deciles[0]:.0f}–{deciles[-1]:.0f} characters"
          f" (10th–90th percentile, median {statistics.median(lengths):.0f}); database"
          f" {_mb(size)}, of which the search index {_mb(index or 0)}.\n")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=30, help="timed runs of each query (0: none)")
    parser.add_argument("--rounds", type=int, default=5, help="cold fetches of each tree (0: none)")
    parser.add_argument("--store", type=Path, help="keep the store here (reused if it exists)")
    parser.add_argument("--base", help="the tree without the index (default: the commit before it)")
    parser.add_argument("--new", help="the tree with the index (default: the working tree)")
    args = parser.parse_args()
    command = " ".join([".venv/bin/python", "bench/bench_search.py", *sys.argv[1:]])
    print(f"`{command}` at {_git('rev-parse', '--short', 'HEAD')} (and the working tree),"
          f" load average {os.getloadavg()[0]:.2f} at the start.\n")  # fmt: skip
    if args.runs:
        with tempfile.TemporaryDirectory(prefix="nr-bench-search-") as tmp:
            db = args.store or Path(tmp) / "search.db"
            seconds = None
            if not db.exists():
                started = time.perf_counter()
                build_store(db, args.articles)
                seconds = time.perf_counter() - started
            print(f"### Queries over {args.articles:,} articles\n")
            describe_store(db, seconds)
            report_queries(time_queries(db, args.runs), args.runs)
    if args.rounds:
        print("\n### The index's cost on a cold fetch\n")
        report_fetch(*fetch_cost(args.rounds, args.base or default_base(), args.new))


if __name__ == "__main__":
    main()
