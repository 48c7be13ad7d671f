"""Zones: which part of an article a block belongs to.

``headline`` (the title), ``heading`` (a later subheading), ``dateline`` (a byline or dateline
block), ``body``, and ``tail`` (the run of short blocks after the last full paragraph, where
scraper footers and credits sit). Rules say which zones they apply to; body rules applied to
headlines and datelines are the commonest source of false alarms.
"""
from __future__ import annotations

import re

TERMINAL = re.compile(r"[.!?…:;\"”’)]\s*$")
DATELINE = re.compile(r"^[A-Z][A-Z .'-]{2,40}(?:,\s*[A-Z][\w .]{1,30})?\s*(?:\([A-Za-z .]{1,30}\))?\s*[—–-]")
BYLINE = re.compile(r"^(?:By|Von|Par|Por)\s+[A-Z]", re.I)

ZONES = ("headline", "heading", "dateline", "body", "tail", "caption")


def words(text: str) -> int:
    return len(text.split())


def assign_zones(doc) -> None:
    blocks = doc.blocks
    if not blocks:
        return
    for b in blocks:
        if b.kind == "heading":
            b.zone = "heading"
        elif b.kind == "caption":
            b.zone = "caption"
        else:
            b.zone = "body"
    first = blocks[0]
    # (Block.n_words is len(text.split()), as words() counts: kept for the rules that ask it)
    if first.kind == "heading" or (first.n_words <= 25 and not TERMINAL.search(first.text)):
        first.zone = "headline"
    for b in blocks[1:4]:
        if b.zone == "body" and (BYLINE.match(b.text) and b.n_words <= 12):
            b.zone = "dateline"
    # tail: trailing run of short blocks after the last long paragraph
    for b in reversed(blocks[1:]):
        if b.n_words > 12 or b.kind == "heading":
            break
        if b.zone == "body":
            b.zone = "tail"
