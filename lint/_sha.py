"""``sha256`` (and ``blake2b``) for the start-up path: the interpreter's built-in implementation, which does not
load OpenSSL as ``import hashlib`` does (a few milliseconds of every run). Same digests."""
try:
    from _sha256 import sha256  # CPython 3.11
except ImportError:  # pragma: no cover - other versions and builds
    try:
        from _sha2 import sha256  # CPython 3.12+
    except ImportError:
        from hashlib import sha256

try:
    from _blake2 import blake2b  # built in (hashlib's own blake2b is this one)
except ImportError:  # pragma: no cover
    from hashlib import blake2b

__all__ = ["sha256", "blake2b"]
