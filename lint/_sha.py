"""``sha256`` for the start-up path: the interpreter's built-in implementation, which does not
load OpenSSL as ``import hashlib`` does (a few milliseconds of every run). Same digests."""
try:
    from _sha256 import sha256  # CPython 3.11
except ImportError:  # pragma: no cover - other versions and builds
    try:
        from _sha2 import sha256  # CPython 3.12+
    except ImportError:
        from hashlib import sha256

__all__ = ["sha256"]
