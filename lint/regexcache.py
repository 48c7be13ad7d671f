"""Kept for code that still imports ``lint.regexcache``: it is :mod:`lint.regex`, the regex-engine
boundary (this module replaces itself with that package, so ``regexcache.X = ...`` sets
``lint.regex.X``). New code imports :mod:`lint.regex`."""
import sys

from . import regex as _regex

sys.modules[__name__] = _regex
