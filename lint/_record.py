"""The methods ``@dataclass`` writes, written once.

``@dataclass`` makes ``__init__``, ``__repr__``, ``__eq__`` (and for a frozen class
``__setattr__``, ``__delattr__`` and ``__hash__``) by generating their source and compiling it
when the class is defined: 0.3-0.6 ms a class, about 7 ms of a one-file run for the fifteen
classes it imports, as much as linting the file. Copydesk's classes on that path are declared
``@record`` (``@dataclass(init=False, repr=False, eq=False)``, which keeps their fields:
``dataclasses.fields``, ``replace``, ``asdict`` work as before) and make no code; each writes its ``__init__`` in its body
(compiled with its module, kept in its bytecode), and takes the other methods from
:class:`Record` or :class:`FrozenRecord`, which behave as the generated ones do: equality and
hash over the fields with ``compare``, a repr of the fields with ``repr``, assignment to a
frozen instance raising ``dataclasses.FrozenInstanceError``. tests/test_record.py compares each
such class with the dataclass ``@dataclass`` would make of the same fields.
"""
from __future__ import annotations

import reprlib
from dataclasses import FrozenInstanceError, dataclass, fields
from operator import attrgetter

#: the default of an ``__init__`` parameter whose field has a ``default_factory``: the factory
#: makes the value (what the generated ``__init__`` does with its own such marker)
FACTORY = type("Factory", (), {"__repr__": lambda self: "<factory>"})()

_COMPARE: dict = {}  # class -> the getter of its compared fields, as a tuple
_REPR: dict = {}  # class -> the names of its fields shown by repr


def _compared(cls):
    get = _COMPARE.get(cls)
    if get is None:
        names = [f.name for f in fields(cls) if f.compare]
        if len(names) > 1:
            get = attrgetter(*names)
        elif names:
            name = names[0]
            get = lambda obj: (getattr(obj, name),)  # noqa: E731 - a one-field tuple, as the generated methods compare
        else:
            get = lambda obj: ()  # noqa: E731
        _COMPARE[cls] = get
    return get


#: how a frozen record's ``__init__`` sets its fields, past its ``__setattr__`` (as the generated
#: one does): ``assign(self, "start", start)``
assign = object.__setattr__


def record(cls):
    """``@record`` on a class deriving from :class:`Record` (frozen: from :class:`FrozenRecord`)
    that writes its own ``__init__``: ``@dataclass(init=False, repr=False, eq=False)``, then the
    class's dataclass parameters set to what ``@dataclass`` (or ``@dataclass(frozen=True)``)
    records, which a dataclass deriving from it is checked against (a frozen dataclass may only
    derive from a frozen one)."""
    if not issubclass(cls, Record):
        raise TypeError(f"{cls.__qualname__}: a record derives from Record or FrozenRecord")
    cls = dataclass(init=False, repr=False, eq=False)(cls)
    params = cls.__dataclass_params__
    params.init = params.repr = params.eq = True
    params.frozen = issubclass(cls, FrozenRecord)
    return cls


class Record:
    """``__eq__`` and ``__repr__`` of a dataclass declared with ``eq=False, repr=False``. Not
    hashable, as a dataclass with ``eq`` and without ``frozen`` is not."""

    __slots__ = ()

    def __eq__(self, other):
        if other.__class__ is not self.__class__:
            return NotImplemented
        get = _compared(self.__class__)
        return get(self) == get(other)

    __hash__ = None  # type: ignore[assignment]

    @reprlib.recursive_repr()
    def __repr__(self) -> str:
        cls = self.__class__
        names = _REPR.get(cls)
        if names is None:
            names = _REPR[cls] = tuple(f.name for f in fields(cls) if f.repr)
        return f"{cls.__qualname__}(" + ", ".join(f"{n}={getattr(self, n)!r}" for n in names) + ")"


class FrozenRecord(Record):
    """A frozen dataclass's methods besides: no assignment nor deletion of attributes once made
    (``__init__`` sets them with ``object.__setattr__``, as the generated one does), and a hash
    of the compared fields."""

    __slots__ = ()

    # as the generated methods: every attribute of the frozen class's own instances, and the
    # fields of an instance of a (plain) class deriving from it
    def __setattr__(self, name, value):
        cls = type(self)
        if "__dataclass_fields__" in cls.__dict__ or name in cls.__dataclass_fields__:
            raise FrozenInstanceError(f"cannot assign to field {name!r}")
        object.__setattr__(self, name, value)

    def __delattr__(self, name):
        cls = type(self)
        if "__dataclass_fields__" in cls.__dict__ or name in cls.__dataclass_fields__:
            raise FrozenInstanceError(f"cannot delete field {name!r}")
        object.__delattr__(self, name)

    def __hash__(self) -> int:
        return hash(_compared(self.__class__)(self))
