"""Copydesk's dataclasses whose methods are written in their bodies and lint._record (not
generated at import: ~0.3-0.6 ms a class) behave as ``@dataclass`` would make them: the same
``__init__`` parameters and defaults, repr, equality, hash, frozenness, ``replace`` and pickling."""
from __future__ import annotations

import dataclasses
import importlib
import inspect
import pickle

import pytest

from lint._record import FACTORY, FrozenRecord, Record

MODULES = ("lint.model", "lint.config", "lint.cache", "lint.kinds.base", "lint.document",
           "lint.document.markdown", "lint.packs", "lint.runner")
EXPECTED = {"Edit", "Fix", "Diagnostic", "Example", "RuleMeta", "Config", "Stored", "Hit", "Block",
            "Suppression", "Document", "Rule", "RuleSet", "_Line", "FileResult"}


def _records() -> list[type]:
    for m in MODULES:
        importlib.import_module(m)
    out, todo = [], [Record]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            if "__dataclass_fields__" in sub.__dict__:  # decorated itself (StoredResult is not)
                out.append(sub)
    return sorted(out, key=lambda c: (c.__module__, c.__qualname__))


RECORDS = _records()


def test_every_record_is_checked():
    assert {c.__name__ for c in RECORDS} >= EXPECTED


def _reference(cls) -> type:
    """The dataclass ``@dataclass`` makes of ``cls``'s fields (frozen when ``cls`` is)."""
    specs = []
    for f in dataclasses.fields(cls):
        kw = {"compare": f.compare, "repr": f.repr, "hash": f.hash}
        if f.default is not dataclasses.MISSING:
            kw["default"] = f.default
        if f.default_factory is not dataclasses.MISSING:
            kw["default_factory"] = f.default_factory
        specs.append((f.name, f.type, dataclasses.field(**kw)))
    namespace = {"__post_init__": cls.__dict__["__post_init__"]} if "__post_init__" in cls.__dict__ else None
    ref = dataclasses.make_dataclass(cls.__name__, specs, frozen=issubclass(cls, FrozenRecord), namespace=namespace)
    ref.__qualname__ = cls.__qualname__
    return ref


def _values(cls, salt: str) -> dict:
    """A distinct value for every field (the classes store what they are given)."""
    return {f.name: f"{f.name}-{salt}" for f in dataclasses.fields(cls)}


@pytest.mark.parametrize("cls", RECORDS, ids=lambda c: c.__qualname__)
def test_a_record_behaves_as_the_generated_dataclass(cls):
    ref = _reference(cls)
    ours, theirs = inspect.signature(cls.__init__), inspect.signature(ref.__init__)
    assert list(ours.parameters) == list(theirs.parameters)
    for name, p in theirs.parameters.items():
        mine = ours.parameters[name]
        assert mine.kind == p.kind, name
        field = ref.__dataclass_fields__.get(name)
        if field is not None and field.default_factory is not dataclasses.MISSING:
            assert mine.default is FACTORY, name  # made by the factory, as the generated one does
        else:
            assert mine.default == p.default, name
    assert cls.__match_args__ == ref.__match_args__

    values = _values(cls, "a")
    if cls.__name__ == "Config":  # __post_init__ makes root absolute: a path it keeps as given
        import os

        values["root"] = os.path.abspath("root")
    a, r = cls(**values), ref(**values)
    assert repr(a) == repr(r)
    for f in dataclasses.fields(cls):
        assert getattr(a, f.name) == getattr(r, f.name), f.name
    assert a == cls(**values) and not (a != cls(**values))
    assert (a == r) is False  # another class: NotImplemented both ways, then identity
    for f in dataclasses.fields(cls):  # each compared field makes a difference, the others none
        other = dict(values, **{f.name: "changed" if f.name != "root" else values["root"] + "x"})
        assert (cls(**other) == a) is (not f.compare), f.name
        assert (ref(**other) == r) is (not f.compare), f.name

    if issubclass(cls, FrozenRecord):
        assert hash(a) == hash(cls(**values))
        for f in dataclasses.fields(cls):
            with pytest.raises(dataclasses.FrozenInstanceError):
                setattr(a, f.name, "x")
            with pytest.raises(dataclasses.FrozenInstanceError):
                delattr(a, f.name)
            with pytest.raises(dataclasses.FrozenInstanceError):
                setattr(r, f.name, "x")
    else:
        with pytest.raises(TypeError):
            hash(a)
        with pytest.raises(TypeError):
            hash(r)

    first = dataclasses.fields(cls)[0].name
    changed = dataclasses.replace(a, **{first: "replaced"})
    assert repr(changed) == repr(dataclasses.replace(r, **{first: "replaced"}))
    assert pickle.loads(pickle.dumps(a)) == a

    # defaults: each field left out takes its default, or a new value from its factory
    required = {f.name: values[f.name] for f in dataclasses.fields(cls)
                if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING}
    b, s = cls(**required), ref(**required)
    for f in dataclasses.fields(cls):
        if f.name not in required and f.name != "root":
            assert getattr(b, f.name) == getattr(s, f.name), f.name
            if f.default_factory is not dataclasses.MISSING:
                assert getattr(b, f.name) is not getattr(cls(**required), f.name), f.name


def test_repr_of_a_record_that_holds_itself_does_not_recurse():
    from lint.kinds.base import Hit

    h = Hit(None, 1, 2)
    h.vars["self"] = h
    assert repr(h) == "Hit(block=None, start=1, end=2, vars={'self': ...}, edits=None, message=None, fix_cap=None)"


@pytest.mark.parametrize("cls", RECORDS, ids=lambda c: c.__qualname__)
def test_a_record_says_what_the_generated_dataclass_says(cls):
    """Its dataclass parameters are those of the dataclass it replaces: a dataclass deriving from
    a frozen record may be frozen (and only frozen), as from a frozen dataclass."""
    ref = _reference(cls)
    for name in ("init", "repr", "eq", "order", "unsafe_hash", "frozen"):
        assert getattr(cls.__dataclass_params__, name) == getattr(ref.__dataclass_params__, name), name


def test_classes_deriving_from_a_record_behave_as_from_the_dataclass():
    from lint.model import Diagnostic, Edit, Severity

    @dataclasses.dataclass(frozen=True)
    class Tagged(Edit):
        tag: str = ""

    t = Tagged(1, 2, "x", "t")
    assert t == Tagged(1, 2, "x", "t") != Tagged(1, 2, "x", "u") and hash(t) == hash(Tagged(1, 2, "x", "t"))
    with pytest.raises(dataclasses.FrozenInstanceError):
        t.start = 3
    with pytest.raises(TypeError, match="non-frozen"):
        @dataclasses.dataclass
        class Loose(Edit):
            more: int = 0

    class Plain(Edit):  # not a dataclass: its fields are frozen, other attributes are not
        pass

    p = Plain(1, 2, "x")
    p.note = "kept"
    assert p.note == "kept"
    with pytest.raises(dataclasses.FrozenInstanceError):
        p.end = 5
    with pytest.raises(dataclasses.FrozenInstanceError):
        del p.start

    @dataclasses.dataclass
    class Scored(Diagnostic):
        score: float = 0.0

    d = Scored("A", "n", "c", Severity.ERROR, "m", 1, 2, score=0.5)
    assert d == Scored("A", "n", "c", Severity.ERROR, "m", 1, 2, score=0.5) != Scored("A", "n", "c", Severity.ERROR, "m", 1, 2)
    assert "score=0.5" in repr(d)
