"""A stored result is keyed by Copydesk's own code as well as its version: an edited checkout (or
an upgrade that kept the version number) must lint again instead of serving old results."""
from lint import cache, rulecache


def test_a_change_to_copydesks_code_changes_the_result_key(monkeypatch):
    cache._CONFIG_DIGESTS.clear()
    before = cache.result_key("rules|SEG001", "json", b"digest")
    cache._CONFIG_DIGESTS.clear()
    monkeypatch.setattr(rulecache, "_code_stamp", lambda: "another build")
    after = cache.result_key("rules|SEG001", "json", b"digest")
    cache._CONFIG_DIGESTS.clear()
    assert before != after and before.endswith(b"digest") and after.endswith(b"digest")
