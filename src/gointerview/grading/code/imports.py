"""What a submission may import.

Candidate code runs in the same process as the trusted harness, so the first line of defence
is what it can reach: the default allowlist holds only standard packages that touch no file,
descriptor, process or raw memory. An exercise that needs more (an HTTP client exercise
needs net/http) lists it in exercise.yaml `imports:`; a few packages can never be allowed
because they would let code read the harness's key from memory, run other programs, or
pull files into the binary.
"""

from __future__ import annotations

DEFAULT_ALLOWED: frozenset[str] = frozenset(
    {
        "bufio",
        "bytes",
        "cmp",
        "container/heap",
        "container/list",
        "container/ring",
        "context",
        "encoding/binary",
        "encoding/hex",
        "encoding/json",
        "errors",
        "fmt",
        "hash",
        "hash/crc32",
        "hash/crc64",
        "hash/fnv",
        "hash/maphash",
        "io",
        "iter",
        "log",
        "maps",
        "math",
        "math/big",
        "math/bits",
        "math/rand",
        "math/rand/v2",
        "path",
        "regexp",
        "runtime",
        "slices",
        "sort",
        "strconv",
        "strings",
        "sync",
        "sync/atomic",
        "time",
        "unicode",
        "unicode/utf16",
        "unicode/utf8",
        "unique",
        "weak",
    }
)

# Never, whatever an exercise says: raw memory and system calls (the harness key, other
# descriptors), other programs, files compiled into the binary, cgo, test internals.
NEVER_ALLOWED: frozenset[str] = frozenset(
    {"C", "unsafe", "syscall", "plugin", "embed", "os/exec", "runtime/cgo", "testing"}
)
NEVER_ALLOWED_PREFIXES = ("internal/", "vendor/", "testing/", "debug/", "golang.org/x/sys/")


def never_allowed(path: str) -> bool:
    return (
        path in NEVER_ALLOWED
        or path.startswith(NEVER_ALLOWED_PREFIXES)
        or "/internal/" in path
        or "." in path.split("/", 1)[0]  # not the standard library
    )


def allowed_imports(extra: list[str] | tuple[str, ...] = ()) -> list[str]:
    return sorted(DEFAULT_ALLOWED | set(extra))
