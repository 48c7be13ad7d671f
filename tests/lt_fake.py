"""A small stand-in for a LanguageTool server: ``POST /v2/check`` in the documented format.

It accepts ``text`` or ``data`` (annotated text: ``text`` and ``markup`` parts, markup read as
its ``interpretAs``), finds a few fixed mistakes in the text as LanguageTool reads it, and
answers with offsets and lengths in UTF-16 code units of the original text (markup included),
as LanguageTool does. Every request is recorded for the tests to inspect. Only 127.0.0.1.
"""
from __future__ import annotations

import json
import re
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

RULES = [
    # (regex, group, rule id, issue type, category, message, replacements)
    (r"\bteh\b", 0, "MORFOLOGIK_RULE_EN_US", "misspelling", "TYPOS",
     "Possible spelling mistake found.", ["the", "ten", "tech", "tea", "Ted"]),
    (r"\b(a) (?:apple|hour|owl)\b", 1, "EN_A_VS_AN", "grammar", "MISC",
     "Use “an” instead of “a” if the following word starts with a vowel sound, e.g. “an article”.", ["an"]),
    (r"(?<=\S)  +(?=\S)", 0, "WHITESPACE_RULE", "whitespace", "TYPOGRAPHY",
     "Possible typo: you repeated a whitespace", [" "]),
    # a real server would not flag a one-letter word; this one does, so that the client's
    # dropping of matches on masked parts (sent as markup read as "B") can be tested
    (r"\bB\b", 0, "FAKE_MASK_RULE", "grammar", "MISC", "Flagged the masked part.", ["C"]),
]


def utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _read_annotation(data: str) -> tuple[str, str, list[int]]:
    """(original text, text as read, original index of each character read)."""
    original, read, where = [], [], []
    pos = 0
    for part in json.loads(data)["annotation"]:
        if "text" in part:
            t = part["text"]
            read.append(t)
            where.extend(range(pos, pos + len(t)))
            original.append(t)
            pos += len(t)
        else:
            markup = part.get("markup", "")
            as_ = part.get("interpretAs", "")
            read.append(as_)
            where.extend([pos] * len(as_))
            original.append(markup)
            pos += len(markup)
    return "".join(original), "".join(read), where


class FakeLanguageTool:
    def __init__(self, mode: str = "ok"):
        self.mode = mode  # ok | error500 | garbage
        self.requests: list[dict] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode("utf-8")
                form = {k: v[0] for k, v in urllib.parse.parse_qs(body, keep_blank_values=True).items()}
                fake.requests.append(form)
                if not self.path.rstrip("/").endswith("/v2/check"):
                    return self._send(404, b"Not found", "text/plain")
                if fake.mode == "error500":
                    return self._send(500, b"Error: internal error in the fake", "text/plain")
                if fake.mode == "garbage":
                    return self._send(200, b"<html>not LanguageTool</html>", "text/html")
                self._send(200, json.dumps(fake.answer(form)).encode("utf-8"), "application/json")

            def _send(self, code, payload, ctype):
                self.send_response(code)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.01},
                                       daemon=True)  # shutdown() waits up to one poll interval

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    @property
    def checks(self) -> list[dict]:
        """Requests other than the client's start-up probe."""
        return [r for r in self.requests if "data" in r]

    def answer(self, form: dict) -> dict:
        if "data" in form:
            original, read, where = _read_annotation(form["data"])
        else:
            original = read = form.get("text", "")
            where = list(range(len(read)))
        disabled = set(filter(None, form.get("disabledRules", "").split(",")))
        matches = []
        for rx, group, rule_id, issue, category, message, replacements in RULES:
            if rule_id in disabled:
                continue
            for m in re.finditer(rx, read):
                s, e = m.span(group)
                o_start = where[s]
                o_end = where[e - 1] + 1 if e > s else o_start
                start16 = utf16(original[:o_start])
                matches.append({
                    "message": message,
                    "shortMessage": "",
                    "replacements": [{"value": r} for r in replacements],
                    "offset": start16,
                    "length": utf16(original[o_start:o_end]),
                    "context": {"text": read[max(0, s - 20):e + 20], "offset": min(s, 20), "length": e - s},
                    "sentence": read,
                    "type": {"typeName": "Other" if issue != "misspelling" else "UnknownWord"},
                    "rule": {"id": rule_id, "description": message, "issueType": issue,
                             "category": {"id": category, "name": category.title()}},
                    "ignoreForIncompleteSentence": False,
                    "contextForSureMatch": 0,
                })
        matches.sort(key=lambda m: m["offset"])
        return {
            "software": {"name": "LanguageTool", "version": "6.6-fake", "buildDate": "2025-01-01",
                         "apiVersion": 1, "premium": False, "status": ""},
            "language": {"name": "English (US)", "code": form.get("language", "en-US"),
                         "detectedLanguage": {"name": "English (US)", "code": "en-US", "confidence": 0.9}},
            "matches": matches,
        }


def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (just released)."""
    import socket

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port
