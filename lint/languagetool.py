"""LanguageTool: grammar and spelling matches from a LanguageTool server, as the LT family.

The backend is not a YAML rule: it is one pseudo-rule (code ``LT``) whose implementation makes
finished diagnostics (``diagnostics(doc)``); :func:`lint.linter.lint_document` applies
suppression comments to them, and selection, per-file ignores and severity overrides are
applied here with a synthetic :class:`RuleMeta` per LanguageTool rule, so that every selector
works as for any rule: ``LT`` (the family), ``LT:MORFOLOGIK_RULE_EN_US`` (one rule),
``LT:MORFOLOGIK`` (a prefix), ``morfologik-rule-en-us`` (the name), ``grammar`` (the category).

What is sent: each document's blocks of extracted prose joined with blank lines, as
LanguageTool's annotated text (the ``data`` parameter): prose as ``text``, every masked part
(code, URL, inline HTML: one U+FFFC in the block text) as ``markup`` interpreted as a neutral
one-letter word, so LanguageTool neither flags it nor loses the sentence around it. A match
that touches a masked part is dropped anyway. Long documents go in chunks of whole blocks.

Offsets: LanguageTool counts UTF-16 code units in the original text (markup included). They
are converted to code points, then to a block and an offset in its text, then to source
offsets through the block's map, so an emoji, CJK text, curly quotes or a Markdown link before
a match do not shift it.

Fixes: LanguageTool's replacements are display-only, unless the rule id is listed in the
``promote`` setting (then unsafe: applied by ``fix --unsafe-fixes``). A replacement whose span
crosses markup stays display-only.

The HTTP client uses the standard library (``urllib``). With ``local = true`` and no URL,
language-tool-python starts a local server (it needs Java and its LanguageTool download) and
the same client talks to it.
"""
from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass
from pathlib import Path

from .config import selector_matches
from .document.textmap import MASK
from .model import Applicability, Diagnostic, Edit, Fix, RuleMeta, Severity
from .runner import InputError

DEFAULT_LANGUAGE = "en-US"
TIMEOUT = 60  # seconds for one request
PROBE_TIMEOUT = 15
MAX_CHUNK = 15000  # UTF-16 code units of text per request (public servers take 20,000 characters)
MASK_AS = "B"  # what LanguageTool reads for a masked part: one letter, "a B" as natural as "a `foo`"
SEPARATOR = "\n\n"

#: issue types (LanguageTool's ``rule.issueType``) reported as warnings; the rest are info
WARNING_TYPES = frozenset({"misspelling", "grammar", "typographical", "duplication", "characters",
                           "omission", "addition", "untranslated", "mistranslation", "inconsistency"})

#: the pseudo-rule: what ``--ignore LT`` or ``copydesk-disable LT`` names
LT_META = RuleMeta(
    code="LT", name="languagetool", kind="languagetool", category="grammar", family="LT",
    summary="{match}", why="Matches from a LanguageTool server (optional backend).",
    severity=Severity.WARNING, path="<languagetool>",
    fix_applicability=Applicability.DISPLAY_ONLY,
    fix_safety="LanguageTool proposes; a person decides, unless the rule is promoted.",
)

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


class LanguageToolError(InputError):
    """LanguageTool could not be asked: ``LanguageTool at URL: what failed``, on one line."""

    def __init__(self, where: str, what: str):
        self.where, self.what = where, " ".join(str(what).split())
        super().__init__(f"{where}: {self.what}")

    def __reduce__(self):  # picklable, for worker processes
        return (LanguageToolError, (self.where, self.what))


def is_lt_selector(selector: str) -> bool:
    """Selectors that name LanguageTool findings (never unknown, with or without a server)."""
    return selector.startswith("LT:") or (selector != "ALL" and selector_matches(selector, LT_META))


def check_url(url: str) -> str:
    """``http://host:8081`` (or ``…/v2``, ``…/v2/check``) -> ``http://host:8081/v2/check``."""
    url = url.strip().rstrip("/")
    if "://" not in url:
        url = "http://" + url
    if url.endswith("/v2/check"):
        return url
    if url.endswith("/v2"):
        return url + "/check"
    return url + "/v2/check"


def _reason(exc) -> str:
    """What failed, in a few words."""
    import socket

    reason = getattr(exc, "reason", exc)
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused (is the server running?)"
    if isinstance(reason, (TimeoutError, socket.timeout)):
        return "no answer (timed out)"
    if isinstance(reason, socket.gaierror):
        return f"cannot resolve the host name ({reason.strerror or reason})"
    if isinstance(reason, OSError) and reason.strerror:
        return reason.strerror[0].lower() + reason.strerror[1:]
    return str(reason) or type(reason).__name__


class Client:
    """POSTs to a LanguageTool server's ``/v2/check`` and returns its ``matches``."""

    def __init__(self, url: str, where: str | None = None, timeout: float = TIMEOUT):
        self.url = check_url(url)
        self.where = where or f"LanguageTool at {url}"
        self.timeout = timeout
        self._opener = None

    def _open(self, request, timeout):
        if self._opener is None:
            import urllib.parse
            import urllib.request

            host = urllib.parse.urlsplit(self.url).hostname or ""
            loopback = host in ("localhost", "::1") or host.startswith("127.")
            # a local server is never reached through a proxy; a remote one may need the environment's
            self._opener = urllib.request.build_opener(*([urllib.request.ProxyHandler({})] if loopback else []))
        return self._opener.open(request, timeout=timeout)

    def check(self, params: dict, timeout: float | None = None) -> list[dict]:
        import urllib.error
        import urllib.parse
        import urllib.request

        from . import __version__

        body = urllib.parse.urlencode(params).encode("utf-8")
        request = urllib.request.Request(self.url, data=body, method="POST", headers={
            "Content-Type": "application/x-www-form-urlencoded; charset=utf-8",
            "Accept": "application/json", "User-Agent": f"copydesk/{__version__}"})
        try:
            with self._open(request, timeout or self.timeout) as response:
                raw = response.read()
        except urllib.error.HTTPError as exc:
            try:
                detail = exc.read(400).decode("utf-8", "replace").strip().splitlines()
            except Exception:  # pragma: no cover - a broken error body
                detail = []
            extra = f": {detail[0][:200]}" if detail else ""
            raise LanguageToolError(self.where, f"HTTP {exc.code} {exc.reason} from {self.url}{extra}") from None
        except (urllib.error.URLError, OSError, ValueError) as exc:
            raise LanguageToolError(self.where, _reason(exc)) from None
        try:
            data = json.loads(raw.decode("utf-8"))
            matches = data["matches"]
            if not isinstance(matches, list):
                raise TypeError
        except (UnicodeDecodeError, ValueError, KeyError, TypeError):
            raise LanguageToolError(self.where, f"{self.url} did not answer with LanguageTool's /v2/check JSON "
                                                "(no 'matches' list)") from None
        return matches


# --------------------------------------------------------------------------- text and offsets

@dataclass
class Chunk:
    """Blocks sent in one request: ``text`` is what LanguageTool's offsets count in."""

    blocks: list
    starts: list[int]  # code-point offset of each block in ``text``
    text: str

    def annotation(self) -> str:
        """The ``data`` parameter: prose as text, each masked part as markup."""
        parts: list[dict] = []
        for piece in re.split(f"({MASK})", self.text):
            if piece == MASK:
                parts.append({"markup": MASK, "interpretAs": MASK_AS})
            elif piece:
                parts.append({"text": piece})
        return json.dumps({"annotation": parts}, ensure_ascii=False)

    def astral(self) -> list[int]:
        """UTF-16 offsets of the characters outside the BMP (two code units each)."""
        return [m.start() + i for i, m in enumerate(_ASTRAL.finditer(self.text))]


def utf16_len(text: str) -> int:
    return len(text) + len(_ASTRAL.findall(text))


def utf16_to_cp(offset: int, astral: list[int], end: bool = False) -> int:
    """A UTF-16 offset as a code-point offset. An offset inside a surrogate pair falls to the
    start of its character (``end``: past it)."""
    k = bisect.bisect_left(astral, offset)  # astral characters starting before the offset
    if k and astral[k - 1] + 1 == offset:
        return astral[k - 1] - (k - 1) + (1 if end else 0)
    return offset - k


def chunks(blocks, limit: int = MAX_CHUNK) -> list[Chunk]:
    out: list[Chunk] = []
    cur: list = []
    size = 0
    for b in blocks:
        if not b.text.strip():
            continue
        n = utf16_len(b.text) + len(SEPARATOR)
        if cur and size + n > limit:
            out.append(_chunk(cur))
            cur, size = [], 0
        cur.append(b)
        size += n
    if cur:
        out.append(_chunk(cur))
    return out


def _chunk(blocks) -> Chunk:
    starts, pos = [], 0
    for b in blocks:
        starts.append(pos)
        pos += len(b.text) + len(SEPARATOR)
    return Chunk(list(blocks), starts, SEPARATOR.join(b.text for b in blocks))


def rule_meta(rule_id: str, severity: Severity, description: str = "") -> RuleMeta:
    """The synthetic metadata of one LanguageTool rule, for selection and severity overrides."""
    return RuleMeta(
        code=f"LT:{rule_id}", name=rule_id.lower().replace("_", "-"), kind="languagetool",
        category="grammar", family="LT", summary="{match}",
        why=description or f"LanguageTool rule {rule_id}.", severity=severity, path="<languagetool>",
        fix_applicability=Applicability.DISPLAY_ONLY)


def _fix(replacements, src_start, src_end, applicability) -> Fix | None:
    values = [r.get("value") for r in replacements or () if isinstance(r, dict)]
    values = [v for v in values if isinstance(v, str)]
    if not values:
        return None
    title = f"Replace with {values[0]!r}"
    if len(values) > 1:
        title += " (or " + ", ".join(repr(v) for v in values[1:4]) + (", …" if len(values) > 4 else "") + ")"
    return Fix((Edit(src_start, src_end, values[0]),), applicability, title)


# --------------------------------------------------------------------------- the backend

def wanted(config, path) -> bool:
    """Whether LanguageTool runs for this file: the LT family is not ignored and the selection
    can pick an LT finding (by default it does)."""
    if config.rule_enabled(LT_META, path):
        return True
    return any(s.startswith("LT:") for s in list(config.select or []) + list(config.extend_select))


class Backend:
    """The pseudo-rule's implementation: ``diagnostics(doc)`` asks the server about one document."""

    def __init__(self, client: Client, config_for, required: bool = True, warn=None, local_tool=None):
        self.client = client
        self.config_for = config_for
        self.required = required
        self.warn = warn or (lambda message: None)
        self.local_tool = local_tool
        self.disabled = False
        self._memo: dict = {}

    # -- requests
    @staticmethod
    def params(settings: dict) -> dict:
        params = {"language": settings.get("language") or DEFAULT_LANGUAGE}
        if settings.get("mother-tongue"):
            params["motherTongue"] = settings["mother-tongue"]
        for key, name in (("enabled-rules", "enabledRules"), ("disabled-rules", "disabledRules"),
                          ("enabled-categories", "enabledCategories"),
                          ("disabled-categories", "disabledCategories")):
            values = [v[3:] if v.startswith("LT:") else v for v in settings.get(key) or ()]
            if values:
                params[name] = ",".join(values)
        return params

    def probe(self, settings: dict) -> None:
        """One tiny check, so that a server that does not answer is reported before linting."""
        self.client.check({**self.params(settings), "text": "Copydesk checks this sentence."}, PROBE_TIMEOUT)

    def _matches(self, params: dict, chunk: Chunk) -> list[dict]:
        request = {**params, "data": chunk.annotation()}
        key = json.dumps(request, sort_keys=True, ensure_ascii=False)
        hit = self._memo.get(key)
        if hit is None:
            hit = self._memo[key] = self.client.check(request)
            if len(self._memo) > 256:
                self._memo.pop(next(iter(self._memo)))
        return hit

    # -- the rule
    def diagnostics(self, doc) -> list[Diagnostic]:
        if self.disabled:
            return []
        path = Path(doc.path)
        config = self.config_for(doc.path)
        if not wanted(config, path):
            return []
        settings = config.languagetool or {}
        params = self.params(settings)
        promote = {p[3:] if p.startswith("LT:") else p for p in settings.get("promote") or ()}
        out: list[Diagnostic] = []
        for chunk in chunks(doc.blocks):
            try:
                matches = self._matches(params, chunk)
            except LanguageToolError as exc:
                if self.required:
                    raise
                self.warn(f"{exc}; going on without LanguageTool")
                self.disabled = True
                return []
            astral = chunk.astral()
            for m in matches:
                d = self._diagnostic(m, chunk, astral, config, path, promote)
                if d is not None:
                    out.append(d)
        return out

    def _diagnostic(self, m: dict, chunk: Chunk, astral, config, path, promote) -> Diagnostic | None:
        try:
            rule = m.get("rule") or {}
            rule_id = str(rule["id"])
            offset, length = int(m["offset"]), int(m["length"])
        except (AttributeError, KeyError, TypeError, ValueError):
            return None
        if not re.fullmatch(r"[A-Za-z0-9_.\-]+", rule_id) or offset < 0 or length < 0:
            return None
        start = utf16_to_cp(offset, astral)
        end = max(start, utf16_to_cp(offset + length, astral, end=True))
        text = chunk.text
        if end > len(text) or MASK in text[start:end]:
            return None  # outside what was sent, or touching code, a URL or inline HTML
        bi = bisect.bisect_right(chunk.starts, start) - 1
        be = bisect.bisect_right(chunk.starts, max(start, end - 1)) - 1
        b_start, b_end = chunk.blocks[bi], chunk.blocks[be]
        ls, le = start - chunk.starts[bi], end - chunk.starts[be]
        if ls >= len(b_start.text):  # starts in the blank line between blocks
            if be == bi:
                return None
            bi, b_start, ls = bi + 1, chunk.blocks[bi + 1], 0
        le = min(le, len(b_end.text))
        if bi == be:
            src_start, src_end = b_start.to_source(ls, le)
            exact = b_start.map.is_exact(ls, le)
        else:
            src_start = b_start.to_source(ls, len(b_start.text))[0]
            src_end = b_end.to_source(0, le)[1]
            exact = False
        issue = str(rule.get("issueType") or "")
        meta = rule_meta(rule_id, Severity.WARNING if issue in WARNING_TYPES else Severity.INFO,
                         str(rule.get("description") or ""))
        if not config.rule_enabled(meta, path):
            return None
        applicability = Applicability.UNSAFE if rule_id in promote and exact else Applicability.DISPLAY_ONLY
        message = " ".join(str(m.get("message") or rule.get("description") or rule_id).split())
        return Diagnostic(meta.code, meta.name, meta.category, config.severity_for(meta), message,
                          src_start, src_end, _fix(m.get("replacements"), src_start, src_end, applicability))

    def close(self) -> None:
        if self.local_tool is not None:
            try:
                self.local_tool.close()
            except Exception:  # pragma: no cover - best effort at exit
                pass
            self.local_tool = None


def _start_local(settings: dict):
    """A local server started by language-tool-python: (client, tool)."""
    where = "LanguageTool (local server)"
    try:
        import language_tool_python
    except ImportError as exc:
        raise LanguageToolError(where, f"language-tool-python is not installed ({exc})") from None
    try:
        tool = language_tool_python.LanguageTool(settings.get("language") or DEFAULT_LANGUAGE,
                                                 mother_tongue=settings.get("mother-tongue"))
    except Exception as exc:  # Java missing, download refused, server not starting …
        what = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise LanguageToolError(where, f"could not start ({what})") from None
    return Client(tool.url, where), tool


def setup(url: str | None, config, config_for, warn):
    """The LT pseudo-rule for a run, or None when LanguageTool is not wanted (no URL, or the LT
    family is not selected by ``config``, the run's base configuration) or, with ``required =
    false``, does not answer. ``url`` is ``--languagetool`` or the configured ``url``; without
    one, ``local = true`` starts a local server. Raises :class:`LanguageToolError` when a
    required server does not answer."""
    from .packs import Rule

    settings = config.languagetool or {}
    if not wanted(config, None):
        return None
    required = settings.get("required", True)
    try:
        if url:
            client, tool = Client(url), None
        elif settings.get("local"):
            client, tool = _start_local(settings)
        else:
            return None
        backend = Backend(client, config_for, required, warn, tool)
        if tool is not None:
            import atexit

            atexit.register(backend.close)
        backend.probe(settings)
    except LanguageToolError as exc:
        if required:
            raise
        warn(f"{exc}; going on without LanguageTool")
        return None
    return Rule(LT_META, backend)
