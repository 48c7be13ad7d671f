import atexit
import math
import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# pytest rewrites the asserts of every test module (about 3 s of CPU for this suite, in each
# pytest-xdist worker) and keeps the result as bytecode, and every command a test runs as a
# child process imports Copydesk: unless PYTHONDONTWRITEBYTECODE is set, when every run (and
# every child) compiles them all again. The session and its children write bytecode anyway, in
# the usual __pycache__ folders (ignored by git, .gitignore), never in a folder of its own
# (PYTHONPYCACHEPREFIX: the standard library and the installed packages, compiled at install
# time, were then compiled again into it). COPYDESK_TEST_NO_PYCACHE=1 keeps the setting.
if sys.dont_write_bytecode and not os.environ.get("COPYDESK_TEST_NO_PYCACHE"):
    sys.dont_write_bytecode = False
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)

# A pytest-xdist worker whose session is over has sent every result: it leaves without tearing
# its interpreter down (freeing every module and object of ~1,600 tests took ~0.5 s, which the
# controller waited for before it could exit). Registered before this module's other exit
# handlers, so it runs after them (atexit runs the last registered first): the rule cache
# folder below is still removed.
if os.environ.get("PYTEST_XDIST_WORKER"):
    def _leave_at_once() -> None:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):
                pass
        os._exit(0)

    atexit.register(_leave_at_once)

# The rule set cache (lint.rulecache) of every test, and of the commands tests run, is a
# temporary folder: never the real ~/.cache/copydesk. Each process (each pytest-xdist worker)
# has its own.
_RULE_CACHE = tempfile.mkdtemp(prefix="copydesk-test-cache-")
os.environ["COPYDESK_CACHE_DIR"] = _RULE_CACHE
atexit.register(shutil.rmtree, _RULE_CACHE, True)


# -- Hypothesis budgets ---------------------------------------------------------------------------
#
# A test's ``@settings(max_examples=N)`` is its thorough budget. The default profile runs a
# quarter of it (at least 10 examples), so that `python3 -m pytest` stays fast; the thorough
# profile runs N as written:
#
#     python3 -m pytest --hypothesis-profile=thorough      (or COPYDESK_HYPOTHESIS=thorough)
#
# Both profiles are deterministic (derandomize, no example database), so a run is repeatable.

from hypothesis import settings as _hsettings  # noqa: E402

_hsettings.register_profile("default", deadline=None, derandomize=True, database=None)
_hsettings.register_profile("thorough", deadline=None, derandomize=True, database=None)
#: the share of each test's max_examples a profile runs
BUDGET = {"default": 0.25, "thorough": 1.0}
MIN_EXAMPLES = 10
_hsettings.load_profile(os.environ.get("COPYDESK_HYPOTHESIS", "default"))
if os.environ.get("COPYDESK_FUZZ_EXAMPLES"):  # a bug hunt (tests/test_fuzz.py) runs the budgets it asks for
    BUDGET["default"] = 1.0


def _profile_name() -> str:
    getter = getattr(_hsettings, "get_current_profile_name", None)
    return getter() if getter else os.environ.get("COPYDESK_HYPOTHESIS", "default")


def scaled_examples(n: int, profile: str | None = None) -> int:
    """How many examples a test written with ``max_examples=n`` runs in ``profile``."""
    share = BUDGET.get(profile or _profile_name(), 1.0)
    return n if share >= 1 else min(n, max(MIN_EXAMPLES, math.ceil(n * share)))


# -- the order of the test files: the costliest first --------------------------------------------
#
# pytest-xdist hands whole test files to its workers (--dist loadfile, pyproject.toml), each the
# next in this order as soon as it is almost done with its own (--no-loadscope-reorder: not by
# the number of tests). The costliest files go first, so that the last ones handed out are
# short and both workers finish at about the same time (greedy longest-first scheduling). A file
# in one worker also starts its module fixtures once (test_corpus's Dask cluster, test_accel's
# databases). The seconds are each file's wall time in a run on 2 cores (December 2026); a file
# not listed comes after these, in collection order. Out of date, the list costs time, never a result.
COSTLIEST = {
    "test_literals.py": 5.2, "test_corpus.py": 4.4, "test_hostile_regex.py": 3.0, "test_accel.py": 2.8,
    "test_hostile_store.py": 2.7, "test_result_store.py": 2.1, "test_rule_examples.py": 2.0,
    "test_commonmark_spec.py": 2.0, "test_joined.py": 1.9, "test_hostile_cli.py": 1.9, "test_fuzz.py": 1.8,
    "test_regex_boundary.py": 1.7, "test_hostile_markdown.py": 1.5, "test_rule_cache.py": 1.4,
    "test_html_report.py": 1.3, "test_runner_cache.py": 1.3, "test_languagetool.py": 0.8,
    "test_speed_startup.py": 0.7, "test_reporters.py": 0.7, "test_packs_meta.py": 0.7,
    "test_speed_memory.py": 0.7, "test_metric.py": 0.7, "test_gitdiff.py": 0.6, "test_speed_gate.py": 0.6,
    "test_cli.py": 0.5, "test_document_html.py": 0.5,
}


#: test files that pytest-xdist runs in the same worker as another one (--dist loadfile: the two
#: files are one unit of work, the second file's tests after the first's), because they share
#: work done once per process: tests/test_joined.py compares its runs against
#: test_literals.default_findings (~1 s of CPU to compute for a.txt and a.md), which a worker
#: that had not run test_literals.py computed again
SAME_WORKER = {"test_joined.py": "test_literals.py"}


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """--dist loadfile, but the files of SAME_WORKER go with the file they name."""
    if config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class _SharedFiles(LoadFileScheduling):
        def _split_scope(self, nodeid: str) -> str:
            scope = super()._split_scope(nodeid)
            folder, slash, name = scope.rpartition("/")
            return folder + slash + SAME_WORKER[name] if name in SAME_WORKER else scope

    return _SharedFiles(config, log)


def _costliest_first(items) -> None:
    items.sort(key=lambda item: -COSTLIEST.get(item.path.name, 0.0))  # stable: collection order within


def pytest_collection_modifyitems(config, items):
    """The test files, costliest first (COSTLIEST). Then scale every Hypothesis test's budget to
    the profile (see BUDGET). The settings a test runs with are read from its wrapper when it is
    called, so replacing them here is enough."""
    _costliest_first(items)
    seen = set()
    for item in items:
        fn = getattr(item, "obj", None)
        if fn is None or id(fn) in seen or not hasattr(fn, "hypothesis"):
            continue
        seen.add(id(fn))
        current = getattr(fn, "_hypothesis_internal_use_settings", None)
        if current is None:
            continue
        wanted = scaled_examples(current.max_examples)
        if wanted != current.max_examples:
            fn._hypothesis_internal_use_settings = _hsettings(current, max_examples=wanted)


# -- the built-in rule set, built once per process ------------------------------------------------
#
# Building the built-in rules from their YAML files takes a few tenths of a second, and test
# modules (at import) and in-process `check --no-cache` runs did it hundreds of times. Within
# the test session, lint.packs.load_rules of the built-in pack alone returns the rule set built
# for the same rule files (the same fingerprint: contents and names), regex engine and
# COPYDESK_* environment: uncached, and cached in this process's own rule-cache folder (the
# in-process commands of most tests: unpickling the cached set cost 10-20 ms a run). Everything
# else goes to the real function: extra packs, a changed rule file, and the rule cache in a
# folder a test chose (COPYDESK_CACHE_DIR set by the test: every test of the rule cache, the
# result store and hostile caches). A test that needs a fresh build marks itself
# ``@pytest.mark.fresh_rules``; COPYDESK_TEST_FRESH_RULES=1 turns the sharing off for a run.

import lint.packs as _packs  # noqa: E402

_real_load_rules = _packs.load_rules
_BUILT: dict = {}
_FRESH = [bool(os.environ.get("COPYDESK_TEST_FRESH_RULES"))]  # set: no sharing at all


_FINGERPRINTS: dict = {}
#: top folder -> (its folders, its rule and data files, their stats, the fingerprint) as last walked
_WALKED: dict = {}


def _stats(dirs, files) -> tuple | None:
    try:
        return (tuple((st.st_mtime_ns, st.st_ino) for st in map(os.stat, dirs)),
                tuple((st.st_size, st.st_mtime_ns, st.st_ino) for st in map(os.stat, files)))
    except OSError:
        return None


def _builtin_fingerprint() -> str:
    """lint.packs.fingerprint of the built-in pack (it reads and hashes every rule and data
    file: about 5 ms), remembered by the files' names, sizes, modification times and inodes.
    Asked on every load_rules call (hundreds in a worker): the folders and files found by the
    last walk are stat'ed again (~0.3 ms) and the walk (~0.6 ms) is done again only when one
    of them changed (a file added, removed or renamed changes its folder's modification time)."""
    top = _packs.builtin_pack_dir()
    known = _WALKED.get(top)
    if known is not None and _stats(known[0], known[1]) == known[2]:
        return known[3]
    dirs, stamp = _walk(top)
    if stamp not in _FINGERPRINTS:
        _FINGERPRINTS.clear()
        _FINGERPRINTS[stamp] = _packs.fingerprint([top])[0]
    # remembered when the stats taken now are those of the walk, and a second walk after them
    # finds what the first found (nothing changed while they were taken)
    files = [os.path.join(d, n) for d, n, *_ in stamp]
    stats = _stats(dirs, files)
    _WALKED.clear()
    if stats is not None and stats[1] == tuple(x[2:] for x in stamp) and _walk(top) == (dirs, stamp):
        _WALKED[top] = (dirs, files, stats, _FINGERPRINTS[stamp])
    return _FINGERPRINTS[stamp]


def _walk(top) -> tuple[list, tuple]:
    """(every folder, (folder, name, size, mtime, inode) of every rule and data file, sorted)."""
    seen, dirs = [], []
    for dirpath, _dirs, names in os.walk(top):
        dirs.append(dirpath)
        for name in names:
            if name.endswith((".yaml", ".txt")):
                st = os.stat(os.path.join(dirpath, name))
                seen.append((dirpath, name, st.st_size, st.st_mtime_ns, st.st_ino))
    return dirs, tuple(sorted(seen))


def _shared_load_rules(extra_dirs=(), include_builtin: bool = True, cache: bool = False):
    if (cache and os.environ.get("COPYDESK_CACHE_DIR") != _RULE_CACHE) or not include_builtin \
            or list(extra_dirs) or _FRESH[0]:
        return _real_load_rules(extra_dirs, include_builtin=include_builtin, cache=cache)
    fp = _builtin_fingerprint()
    env = tuple(sorted((k, v) for k, v in os.environ.items() if k.startswith("COPYDESK_") and k != "COPYDESK_CACHE_DIR"))
    engine = sys.modules.get("lint.regex")
    key = (fp, getattr(engine, "ENGINE", None), getattr(engine, "SHIFT", None), env)
    if key not in _BUILT:
        _BUILT.clear()  # one rule set at a time: an edited rule file makes the old one stale
        _BUILT[key] = _real_load_rules(extra_dirs, include_builtin=include_builtin, cache=False)
    return _BUILT[key]


_shared_load_rules.__doc__ = _real_load_rules.__doc__
_packs.load_rules = _shared_load_rules
for _name in ("lint.cli", "lint.api"):  # modules that import the name (if already imported)
    if _name in sys.modules and getattr(sys.modules[_name], "load_rules", None) is _real_load_rules:
        sys.modules[_name].load_rules = _shared_load_rules


# The Hyperscan gate's database (lint.regex.gate) is keyed by every pattern this process has
# registered, and a process builds it (~1.5 s CPU) after its BUILD_AT-th document for each new
# key. A test process loads many rule sets (every house pack adds its patterns to the key), so
# in-process commands rebuilt it again and again (e.g. 4 builds in test_fix_spared,
# test_quote_fix_safety and test_punctuation_rules alone). In the test processes a database is
# only loaded (the built-in set's is stored with the warm rule cache below); the on-demand build
# is still covered by the CLI runs in child processes (tests/test_accel.py) and by the tests
# that build it explicitly (gate.prebuild / gate.current(build=True)).
# COPYDESK_TEST_GATE_BUILD=1 keeps the product's threshold.
if not os.environ.get("COPYDESK_TEST_GATE_BUILD"):
    from lint.regex import gate as _gate  # noqa: E402

    _gate.BUILD_AT = 10 ** 9


def pytest_configure(config):
    config.addinivalue_line("markers", "fresh_rules: build the rule set anew on every load_rules call "
                                       "(no rule set shared within the session)")
    config.addinivalue_line("markers", "cluster: starts Dask workers (copydesk corpus); run by default")
    _start_warm_build(config)


@pytest.fixture(autouse=True)
def _fresh_rules_marker(request):
    if request.node.get_closest_marker("fresh_rules") is None:
        yield
        return
    before, _FRESH[0] = _FRESH[0], True
    try:
        yield
    finally:
        _FRESH[0] = before


def _build_warm_cache(folder: Path) -> None:
    """Build the built-in rule set and store its cache file (lint.rulecache) in ``folder``,
    which then holds that file and what is stored with it (the accelerator's database,
    lint.regex.gate), as a first run leaves them."""
    from lint import rulecache

    from lint.regex import gate

    build = Path(tempfile.mkdtemp(prefix="copydesk-test-build-"))
    before = os.environ.get("COPYDESK_CACHE_DIR")
    os.environ["COPYDESK_CACHE_DIR"] = str(build)
    # the gate's database over the built-in rules' patterns alone, as a fresh process stores it
    # (tests/test_accel.py's built_gate loads it), whatever this process has registered before
    saved = gate._REGISTRY, gate._SORTED, gate._MEMO
    gate._REGISTRY, gate._SORTED, gate._MEMO = {}, None, {}
    try:
        _real_load_rules(cache=True)
        gate.prebuild()  # as the first run of 64 files or more stores it (lint.regex.gate.BUILD_AT)
        built = rulecache.cache_file([_packs.builtin_pack_dir()])
        assert built is not None and built.is_file(), "the rule set cache was not written"
        folder.mkdir(parents=True, exist_ok=True)
        for f in build.iterdir():
            if f.is_file():
                shutil.copy2(f, folder / f.name)
    finally:
        os.environ["COPYDESK_CACHE_DIR"] = before if before is not None else _RULE_CACHE
        shutil.rmtree(build, ignore_errors=True)
        registered = gate._REGISTRY
        gate._REGISTRY, gate._SORTED, gate._MEMO = saved
        gate.register_keys(list(registered))


def _warm_key() -> str:
    """What the warm rule cache depends on: the rule cache's own key of the built-in pack (its
    format, Copydesk's version and code, Python, the regex engine, the rule files' fingerprint)
    and the COPYDESK_* settings it was built under."""
    from lint import rulecache

    folders = [_packs.builtin_pack_dir()]
    env = sorted((k, v) for k, v in os.environ.items() if k.startswith("COPYDESK_") and k != "COPYDESK_CACHE_DIR")
    key = rulecache.cache_key(folders, _builtin_fingerprint()) + repr(env)
    return __import__("hashlib").sha256(key.encode("utf-8", "surrogateescape")).hexdigest()[:20]


def _warm_root(config) -> Path | None:
    """Where the warm rule caches are kept (pytest's cache folder), or None without pytest's cache."""
    cache = getattr(config, "cache", None)
    return Path(cache.mkdir("copydesk-warm-rule-cache")) if cache is not None else None


try:
    import fcntl  # the warm rule cache's lock (POSIX)
except ImportError:  # pragma: no cover - Windows: one warm cache per process
    fcntl = None


def _ensure_warm(root: Path) -> Path:
    """The warm rule cache folder of this code and these rules under ``root``, built (under a
    lock: one builder at a time, the others wait and then find it) if it is not there yet."""
    key = _warm_key()
    folder = root / key
    with open(root / "warm-rule-cache.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        done = root / f"{key}.complete"  # beside the folder: copies of it hold the cache's files only
        if not done.is_file() or not folder.is_dir():
            shutil.rmtree(folder, ignore_errors=True)
            _build_warm_cache(folder)
            done.write_text(key, encoding="utf-8")
            # the folders of other code or rules (an edit since): dropped once an hour old (a
            # session of a checkout being edited beside this one may still be copying one)
            import time

            for other in root.iterdir():
                if other.name.startswith(key) or other.name == lock.name.rsplit("/", 1)[-1]:
                    continue
                if time.time() - other.stat().st_mtime > 3600:
                    shutil.rmtree(other, ignore_errors=True) if other.is_dir() else other.unlink()
    return folder


_EARLY: list = []  # the controller's early build of the warm rule cache (a child process)


def _start_warm_build(config) -> None:
    """In the pytest-xdist controller, when the warm rule cache is not built yet: build it in a
    child process now, while the workers start and collect the tests (about 1.5 s each), instead
    of in the first worker to ask, with the other waiting for it (a first session's ~1.5 s of
    one idle core). The workers take the same lock (_ensure_warm) and find it built, or wait
    for the end of the build. Nothing depends on it: a child that fails leaves the build to them."""
    if getattr(config, "workerinput", None) is not None or not config.pluginmanager.hasplugin("dsession") \
            or not config.getoption("numprocesses", None):
        return
    root = _warm_root(config)
    if fcntl is None or root is None or (root / f"{_warm_key()}.complete").is_file():
        return
    import subprocess

    code = "import sys; sys.path.insert(0, sys.argv[1]); import conftest; conftest._ensure_warm(conftest.Path(sys.argv[2]))"
    _EARLY.append(subprocess.Popen([sys.executable, "-c", code, str(Path(__file__).parent), str(root)],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))


def pytest_unconfigure(config):
    while _EARLY:
        _EARLY.pop().wait()


@pytest.fixture(scope="session")
def warm_rule_cache(request, tmp_path_factory):
    """A rule-set cache folder (COPYDESK_CACHE_DIR) holding the built-in rule set's cache file
    (and the accelerator's database stored with it), built once (building and storing it costs
    about two seconds) and kept in pytest's cache folder (.pytest_cache) under the rule cache's
    own key (lint.rulecache.cache_key: the code, the rule files, Python) and the COPYDESK_*
    settings, so that the next session of the same code and rules reuses it: the pytest-xdist
    workers share it, the first one to ask builds it under a lock (in a first session, the
    controller has started building it already: _start_warm_build). Without pytest's cache
    (-p no:cacheprovider) it is built once per session in the run's temporary folder.
    Tests copy it (shutil.copytree) into a folder of their own; nothing writes into it."""
    root = _warm_root(request.config)
    if root is None:
        root = tmp_path_factory.getbasetemp()
        if os.environ.get("PYTEST_XDIST_WORKER"):
            root = root.parent  # the run's folder, above each worker's own
    if fcntl is None:  # no flock: one per process
        folder = tmp_path_factory.mktemp("warm-rule-cache")
        _build_warm_cache(folder)
        return folder
    return _ensure_warm(root)


@pytest.fixture(scope="session", autouse=True)
def _seeded_rule_cache(warm_rule_cache):
    """This process's own rule cache (COPYDESK_CACHE_DIR) starts with the built-in rule set's
    file, so that the commands tests run (in process or as children) load it instead of each
    process building and storing it once."""
    for f in warm_rule_cache.iterdir():
        if not (Path(_RULE_CACHE) / f.name).exists():
            shutil.copy2(f, Path(_RULE_CACHE) / f.name)


@pytest.fixture(scope="session")
def ruleset():
    from lint.packs import load_rules

    return load_rules()


# -- the fake LanguageTool server -----------------------------------------------------------------

@pytest.fixture(scope="session")
def _lt_session_server():
    from lt_fake import FakeLanguageTool

    with FakeLanguageTool() as fake:
        yield fake


@pytest.fixture
def lt_server(_lt_session_server):
    """One fake LanguageTool server per process, answering normally, its request log emptied."""
    _lt_session_server.mode = "ok"
    _lt_session_server.requests.clear()
    yield _lt_session_server
    _lt_session_server.mode = "ok"


def needs_shared(path: str):
    """Skip a test when the research data beside the checkout is absent (it is not shipped)."""
    return pytest.mark.skipif(not (SHARED / path).exists(),
                              reason=f"../shared/{path} not present (evaluation data is not part of the project)")


@pytest.fixture
def store_repo(tmp_path, monkeypatch, warm_rule_cache):
    """The current directory: a repository of the fixture articles in ``corpus/`` (dated an hour
    ago: not racily clean), with a copy of the warm rule-set cache of its own."""
    import shutil
    import time

    from helpers import fixture_corpus

    shutil.copytree(warm_rule_cache, tmp_path / "rule-cache")
    monkeypatch.setenv("COPYDESK_CACHE_DIR", str(tmp_path / "rule-cache"))
    monkeypatch.chdir(tmp_path)
    fixture_corpus(tmp_path, mtime=time.time() - 3600)
    return tmp_path
