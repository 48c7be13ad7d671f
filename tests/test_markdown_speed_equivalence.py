"""Recorded outputs of the Markdown parser (kinds, texts, block spans and every map segment),
and its one fast path (the bare-link pre-check: text without "://", "w." or "@" is not searched
for addresses) changes nothing.

The outputs were recorded from the hand-written parser before it had fast paths; three changed
when markdown-it-py replaced it, each to what CommonMark says (marked "CommonMark:" below)."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lint.document import markdown as md_module
from lint.document import parse


def blocks(source: str) -> list[tuple]:
    """(kind, text, src_start, src_end, parts) per block; parts as "<kind letter>t0:t1=s0:s1"."""
    return [(b.kind, b.text, b.src_start, b.src_end,
             " ".join(f"{p[4][0]}{p[0]}:{p[1]}={p[2]}:{p[3]}" for p in b.map.parts))
            for b in parse(source, "x.md").blocks]


def full(source: str) -> tuple:
    doc = parse(source, "x.md")
    return [(b.kind, b.text, b.src_start, b.src_end, b.map.parts) for b in doc.blocks], doc.comments


def switch_off_fast_paths(monkeypatch) -> None:
    """Bare URLs searched for from the start of every block."""
    monkeypatch.setattr(md_module, "_first_url_start", lambda text: 0)


@pytest.fixture
def no_fast_paths(monkeypatch):
    switch_off_fast_paths(monkeypatch)


# recorded from the parser before it had fast paths
GOLDEN = [
    ('plain words, nothing else', [
        ('paragraph', 'plain words, nothing else', 0, 25, 'l0:25=0:25'),
    ]),
    ('trailing blanks at the end  \t', [
        ('paragraph', 'trailing blanks at the end', 0, 29, 'l0:26=0:26 g26:26=26:29'),
    ]),
    ('hard break  \nnext line\t\nlast', [
        ('paragraph', 'hard break next line last', 0, 28,
         'l0:10=0:10 e10:11=10:13 l11:20=13:22 e20:21=22:24 l21:25=24:28'),
    ]),
    ('blanks before markup *em* and `code`  ', [
        ('paragraph', 'blanks before markup em and \ufffc', 0, 38,
         'l0:21=0:21 g21:21=21:22 l21:23=22:24 g23:23=24:25 l23:28=25:30 m28:29=30:36 '
         'g29:29=36:38'),
    ]),
    ('tab\tinside and\xa0nbsp\xa0', [
        ('paragraph', 'tab\tinside and\xa0nbsp', 0, 20, 'l0:19=0:19 g19:19=19:20'),
    ]),
    ('\xa0leading nbsp and trailing\u3000', [
        ('paragraph', 'leading nbsp and trailing', 0, 27, 'g0:0=0:1 l0:25=1:26 g25:25=26:27'),
    ]),
    ('\ufffc', [
    ]),
    ('\ufffc \ufffc', [
        ('paragraph', '\ufffc \ufffc', 0, 3, 'l0:3=0:3'),
    ]),
    ('text \ufffc text', [
        ('paragraph', 'text \ufffc text', 0, 11, 'l0:11=0:11'),
    ]),
    ('[link text  ](http://q.org)  after', [
        ('paragraph', 'link text  after', 0, 34, 'g0:0=0:1 l0:11=1:12 g11:11=12:29 l11:16=29:34'),
    ]),
    ('[  spaced  ][ref]\n\n[ref]: /x', [
        ('paragraph', 'spaced', 0, 17, 'g0:0=0:3 l0:6=3:9 g6:6=9:17'),
    ]),
    ('see http://q.org/a. and www.q.org, or Www.Q.org!', [
        ('paragraph', 'see \ufffc. and \ufffc, or \ufffc!', 0, 48,
         'l0:4=0:4 m4:5=4:18 l5:11=18:24 m11:12=24:33 l12:17=33:38 m17:18=38:47 l18:19=47:48'),
    ]),
    ('xhttp://q.org then (http://q.org) and “www.q.org”', [
        ('paragraph', 'xhttp://q.org then (\ufffc) and “\ufffc', 0, 49,
         'l0:20=0:20 m20:21=20:32 l21:28=32:39 m28:29=39:49'),
    ]),
    ('now. www.q.org and saw.www.q.org', [
        ('paragraph', 'now. \ufffc and saw.www.q.org', 0, 32, 'l0:5=0:5 m5:6=5:14 l6:24=14:32'),
    ]),
    ('httpſ://q.org and HTTPS://Q.ORG/X) end', [
        ('paragraph', '\ufffc and \ufffc) end', 0, 38, 'm0:1=0:13 l1:6=13:18 m6:7=18:33 l7:12=33:38'),
    ]),
    ('before  www.q.org  after', [
        ('paragraph', 'before  \ufffc  after', 0, 24, 'l0:8=0:8 m8:9=8:17 l9:16=17:24'),
    ]),
    # CommonMark: "_me@q.org_" is emphasis (both underscores flank the address)
    ('mail me@q.org, _me@q.org_ or -x@y.z- now', [
        ('paragraph', 'mail \ufffc, \ufffc or \ufffc- now', 0, 40,
         'l0:5=0:5 m5:6=5:13 l6:8=13:15 m8:9=15:24 g9:9=24:25 l9:13=25:29 m13:14=29:35 '
         'l14:19=35:40'),
    ]),
    ('a@b and x@y.z. and @q.org', [
        ('paragraph', 'a@b and \ufffc. and @q.org', 0, 25, 'l0:8=0:8 m8:9=8:13 l9:21=13:25'),
    ]),
    ('[http://q.org/] and [me@q.org](x)', [
        ('paragraph', '[\ufffc and \ufffc', 0, 33,
         'l0:1=0:1 m1:2=1:15 l2:7=15:20 g7:7=20:21 m7:8=21:29 g8:8=29:33'),
    ]),
    ('[a `]` b](x) [c <span title="]">d</span>](y)', [
        ('paragraph', 'a \ufffc b c d', 0, 44,
         'g0:0=0:1 l0:2=1:3 m2:3=3:6 l3:5=6:8 g5:5=8:12 l5:6=12:13 g6:6=13:14 l6:8=14:16 '
         'g8:8=16:32 l8:9=32:33 g9:9=33:44'),
    ]),
    ('[a <![CDATA[ ] ]]> b](x) [\\]](y) [a \\\\](z)', [
        ('paragraph', 'a b ] a \\', 0, 42,
         'g0:0=0:1 l0:2=1:3 g2:2=3:19 l2:3=19:20 g3:3=20:24 l3:4=24:25 g4:4=25:27 l4:5=27:28 '
         'g5:5=28:32 l5:6=32:33 g6:6=33:34 l6:8=34:36 g8:8=36:37 l8:9=37:38 g9:9=38:42'),
    ]),
    # CommonMark: a destination may hold a no-break space (only ASCII spaces and controls end it)
    ('[x](http://q.org/(a)b "title") [y](http://q.org/a\xa0b) [z](a\x01b)', [
        ('paragraph', 'x y [z](a\x01b)', 0, 61,
         'g0:0=0:1 l0:1=1:2 g1:1=2:30 l1:2=30:31 g2:2=31:32 l2:3=32:33 g3:3=33:52 l3:12=52:61'),
    ]),
    ('[x](<a b> \'t\') [y](a\\)b) [z](a(b) [w](\n  http://q.org\n  "t"\n)', [
        ('paragraph', 'x y [z](a(b) w', 0, 61,
         'g0:0=0:1 l0:1=1:2 g1:1=2:14 l1:2=14:15 g2:2=15:16 l2:3=16:17 g3:3=17:24 l3:13=24:34 '
         'g13:13=34:35 l13:14=35:36 g14:14=36:61'),
    ]),
    ('![img *alt*](a.png) and ! alone and \\! and \\', [
        ('paragraph', '\ufffc and ! alone and ! and \\', 0, 44,
         'm0:1=0:19 l1:18=19:36 g18:18=36:37 l18:25=37:44'),
    ]),
    # CommonMark: only ASCII digits number a list item
    ('١. arabic-indic item\n\n１. fullwidth\n\n12345678901. too long', [
        ('paragraph', '١. arabic-indic item', 0, 20, 'l0:20=0:20'),
        ('paragraph', '１. fullwidth', 22, 34, 'l0:12=22:34'),
        ('paragraph', '12345678901. too long', 36, 57, 'l0:21=36:57'),
    ]),
    ('- a\n* b\n+ c\n\n> quote\n\n# h\n\n---\n\n<div>\nhtml\n</div>\n\n```\ncode\n```\n\n'
     '[r]: /u\n\n| a | b |\n|---|---|\n| c | d |', [
        ('list.item', 'a', 0, 3, 'g0:0=0:2 l0:1=2:3'),
        ('list.item', 'b', 4, 7, 'g0:0=4:6 l0:1=6:7'),
        ('list.item', 'c', 8, 11, 'g0:0=8:10 l0:1=10:11'),
        ('blockquote', 'quote', 13, 20, 'g0:0=13:15 l0:5=15:20'),
        ('heading', 'h', 22, 25, 'g0:0=22:24 l0:1=24:25'),
        ('table.cell', 'a', 76, 77, 'l0:1=76:77'),
        ('table.cell', 'b', 80, 81, 'l0:1=80:81'),
        ('table.cell', 'c', 96, 97, 'l0:1=96:97'),
        ('table.cell', 'd', 100, 101, 'l0:1=100:101'),
    ]),
    ('~~~\nfence\n~~~\n\n_ _ _\n\n+++ not front matter\n\n<3 is text', [
        ('paragraph', '+++ not front matter', 22, 42, 'l0:20=22:42'),
        ('paragraph', '<3 is text', 44, 54, 'l0:10=44:54'),
    ]),
    ('para\r\nline two\r\n\r\nnext\rthird\r', [
        ('paragraph', 'para line two', 0, 14, 'l0:4=0:4 e4:5=4:6 l5:13=6:14'),
        ('paragraph', 'next third', 18, 28, 'l0:4=18:22 e4:5=22:23 l5:10=23:28'),
    ]),
    ('', [
    ]),
    ('   ', [
    ]),
    ('#', [
    ]),
    ('# heading #  ', [
        ('heading', 'heading', 0, 13, 'g0:0=0:2 l0:7=2:9 g7:7=9:13'),
    ]),
]


@pytest.mark.parametrize("source, expected", GOLDEN)
def test_golden(source, expected):
    assert blocks(source) == [tuple(b) for b in expected]


@pytest.mark.parametrize("source, expected", GOLDEN)
def test_golden_without_fast_paths(no_fast_paths, source, expected):
    assert blocks(source) == [tuple(b) for b in expected]


FRAGMENTS = [
    "word", "Wörter", "東京", "😀", " ", " ", "  ", "\t", "\n", "\n", "\r\n", "\n\n", "  \n", "\u00a0", "\ufffc",
    "*", "**", "_", "__", "~~", "`", "``", "\\", "\\*", "!", "![", "[", "]", "](", "(", ")", "<", ">", "&",
    "&amp;", "&bogus;", "<b>", "</b>", "<br>", "<!-- c -->", "<code>", "</code>", "<http://q.org>", "<me@q.org>",
    "http://q.org/a_(b).", "https://q.org", "www.q.org", "Www.Q.org,", "now.", "xhttp://", "://", "me@q.org",
    "_me@q.org_", "@", "[ref]", "[^1]", "- ", "1. ", "\u0661. ", "> ", "# ", "| ", "---", "```", "<div>",
    "[ref]: /u\n", "\"t\"", "\x01",
]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                   HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=40).map("".join))
def test_the_bare_link_precheck_changes_nothing(monkeypatch, source):
    fast = full(source)
    with monkeypatch.context() as m:
        switch_off_fast_paths(m)
        slow = full(source)
    assert fast == slow
