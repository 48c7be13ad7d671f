"""``metric``: a readability figure from textstat, measured per sentence, paragraph or document.

Options: ``metric`` (a name from :data:`lint.readability.METRICS`: ``words``,
``flesch_reading_ease``, ``flesch_kincaid_grade``, ``gunning_fog`` …), ``unit``
(``sentence`` | ``paragraph`` | ``document``; default ``paragraph``), ``above`` and/or
``below`` (the unit is reported when its figure is strictly above / below), ``min_words``
(units with fewer words are not measured: formulas are noise on a line or two).

Figures are taken on the extracted prose (no markup, code or URLs): a sentence or paragraph
reports its own span; a document reports the span from its first to its last measured block.
Summary variables: ``{value}``, ``{threshold}``, ``{metric}`` (a label), ``{unit}``, ``{words}``.
textstat is imported only when a metric rule actually runs.
"""
from __future__ import annotations

from ..document.sentences import sentences
from .base import Hit, Kind

UNITS = ("sentence", "paragraph", "document")


def _fmt(value) -> str:
    """12 -> "12", 12.0 -> "12", 41.4326 -> "41.4"."""
    if isinstance(value, float):
        value = round(value, 1)
        return str(int(value)) if value.is_integer() else f"{value:.1f}"
    return str(value)


class Metric(Kind):
    OPTIONS = {"metric": str, "unit": str, "above": (int, float), "below": (int, float), "min_words": int}
    REQUIRED = ("metric",)

    def setup(self, data):
        from ..readability import METRICS

        self.metric = data["metric"]
        if self.metric not in METRICS:
            raise ValueError(f"unknown metric {self.metric!r} (known: {', '.join(sorted(METRICS))})")
        self.unit = data.get("unit", "paragraph")
        if self.unit not in UNITS:
            raise ValueError(f"unit must be one of {', '.join(UNITS)}")
        self.above = data.get("above")
        self.below = data.get("below")
        if self.above is None and self.below is None:
            raise ValueError("a metric rule needs 'above' or 'below' (or both)")
        self.min_words = data.get("min_words", 0)

    def _judge(self, text: str):
        """``(value, threshold, words)`` when ``text`` crosses a threshold, else None."""
        from ..readability import measure

        if not text:
            return None
        words = measure("words", text)
        if not words or words < self.min_words:
            return None
        value = words if self.metric == "words" else measure(self.metric, text)
        if value is None:
            return None
        if self.above is not None and value > self.above:
            return value, self.above, words
        if self.below is not None and value < self.below:
            return value, self.below, words
        return None

    def _vars(self, judged, match: str) -> dict:
        from ..readability import METRICS

        value, threshold, words = judged
        return {"value": _fmt(value),
                "threshold": _fmt(threshold), "metric": METRICS[self.metric][0], "unit": self.unit,
                "words": words, "match": match}

    def check(self, doc, blocks):
        # lint.readability is imported only when a metric rule runs (they are off by default)
        from ..readability import clean, prose

        if self.unit == "document":
            measured = [b for b in blocks if clean(b.text)]
            if not measured:
                return
            judged = self._judge(prose(b.text for b in measured))
            if judged is None:
                return
            first, last = measured[0], measured[-1]
            start = first.to_source(0, len(first.text))[0]
            end = last.to_source(0, len(last.text))[1]
            yield Hit(None, start, end, self._vars(judged, doc.source[start:end]))
            return
        for block in blocks:
            text = block.text
            if self.unit == "paragraph":
                spans = [(0, len(text))] if text.strip() else []
            else:
                spans = sentences(text)
            for s, e in spans:
                judged = self._judge(clean(text[s:e]))
                if judged is not None:
                    yield Hit(block, s, e, self._vars(judged, text[s:e]))
