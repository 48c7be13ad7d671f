"""The registry of rule kinds. Adding a kind is adding a module and a line here."""
from .consistency import Consistency
from .pattern import Pattern
from .phrase import Phrase
from .shape import Shape
from .standalone import Standalone

KINDS = {
    "pattern": Pattern,
    "standalone": Standalone,
    "shape": Shape,
    "consistency": Consistency,
    "phrase": Phrase,
}
