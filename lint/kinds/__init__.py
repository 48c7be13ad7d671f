"""The registry of rule kinds. Adding a kind is adding a module and a line here."""
from .balance import Balance
from .consistency import Consistency
from .context import Context
from .docpattern import DocPattern
from .docstyle import DocStyle
from .edge import Edge
from .lines import Lines
from .menu import Menu
from .metric import Metric
from .pattern import Pattern
from .repeats import Repeats
from .phrase import Phrase
from .run import Run
from .script import Script
from .shape import Shape
from .standalone import Standalone

KINDS = {
    "pattern": Pattern,
    "standalone": Standalone,
    "shape": Shape,
    "consistency": Consistency,
    "phrase": Phrase,
    "run": Run,
    "edge": Edge,
    "metric": Metric,
    "context": Context,
    "docpattern": DocPattern,
    "docstyle": DocStyle,
    "balance": Balance,
    "script": Script,
    "menu": Menu,
    "lines": Lines,
    "repeats": Repeats,
}
