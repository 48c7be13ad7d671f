"""An unsafe fix that the fixer refuses because it would also delete a real sentence is said
on standard error (it used to be dropped silently: the finding stayed, nobody knew why)."""
from helpers import pattern_rule_yaml, run

# a house rule that reports the whole line
_RULE = pattern_rule_yaml(r"Click here to read more[^\n]*", "⟦Click here to read more about it⟧",
                          "replace: ''\nfix:\n  applicability: unsafe\n  safety: it reports the whole line\n",
                          code="UI901", name="click-line", category="ui-leftover")


def test_a_refused_unsafe_fix_is_named_with_the_sentence_it_keeps(tmp_path, monkeypatch):
    (tmp_path / "house").mkdir()
    (tmp_path / "house" / "UI901-click-line.yaml").write_text(_RULE, encoding="utf-8")
    (tmp_path / "copydesk.toml").write_text('packs = ["house"]\n', encoding="utf-8")
    art = tmp_path / "a.txt"
    art.write_text("Click here to read more The vote was 7-2 in favour.\n\nThe region. .\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    # --no-cache: the house pack's rule cache (built and stored with the accelerator's
    # database) would cost more than building the rules twice
    for args in (["fix", "--no-cache", "--unsafe-fixes", "--select", "UI901,SEG001", "a.txt"],
                 ["fix", "--no-cache", "--unsafe-fixes", "--diff", "--select", "UI901,SEG001", "a.txt"]):
        code, _out, err = run(*args)
        assert "a.txt: UI901's fix not applied: it would also delete 'The vote was 7-2 in favour.'" in err, err
    assert art.read_text(encoding="utf-8") == "Click here to read more The vote was 7-2 in favour.\n\nThe region.\n"
