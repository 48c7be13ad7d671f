"""A pickled lint.Linter carries the gate registry of the process that pickled it
(lint.regex.gate.registered), so that a corpus worker asks for the Hyperscan database its client
loaded or built (lint.corpus._gate_first) instead of building one over its own rules' patterns."""
import pickle

from lint.regex import gate


def test_an_unpickled_linter_registers_its_clients_gate_patterns(monkeypatch):
    import lint

    linter = lint.Linter({"select": ["UI005", "CAP002"]})
    blob = pickle.dumps(linter)
    client = gate.registered()
    selected = {(rx.pattern, int(rx.flags)) for r in linter.rules() for rx in getattr(r.impl, "regexes", ())}
    assert selected and set(client) > selected, "the client holds more patterns than the selected rules"
    # a fresh worker process: nothing registered yet
    monkeypatch.setattr(gate, "_REGISTRY", {})
    monkeypatch.setattr(gate, "_SORTED", None)
    worker = pickle.loads(blob)
    assert gate.registered() == client
    assert [r.meta.code for r in worker.rules()] == [r.meta.code for r in linter.rules()]


def test_register_keys_ignores_what_is_not_a_pattern_pair(monkeypatch):
    monkeypatch.setattr(gate, "_REGISTRY", {})
    monkeypatch.setattr(gate, "_SORTED", None)
    gate.register_keys([("a+", 0), "b", ("c", "0"), (1, 2), ("d", 2, 3), None, ("a+", 0)])
    assert gate.registered() == [("a+", 0)]
    gate.register_keys(None)
    assert gate.registered() == [("a+", 0)]
