"""glibc's malloc, told to hold less: what an index build does to keep its peak memory down.
Elsewhere (musl, macOS) both calls do nothing."""

from __future__ import annotations

import ctypes
from functools import lru_cache

# glibc's mallopt parameter for the most heaps ("arenas") malloc keeps (malloc.h)
_M_ARENA_MAX = -8
# Heaps for a build's threads: the main one and the embedding threads share them. glibc's
# default is 8 per core; each heap keeps what its threads freed. Seed corpus ×10: peak 526 MiB
# with the default, 495 with 2, both 133 s; ×50: 628 → 585 MiB (docs/benchmark.md).
BUILD_ARENAS = 2


@lru_cache(maxsize=1)
def _libc():
    try:
        libc = ctypes.CDLL("libc.so.6")
        return libc if hasattr(libc, "malloc_trim") and hasattr(libc, "mallopt") else None
    except OSError:  # not glibc
        return None


def cap_heaps(arenas: int = BUILD_ARENAS) -> None:
    """Let threads started from now on share at most `arenas` heaps."""
    if _libc():
        _libc().mallopt(_M_ARENA_MAX, arenas)


def release_freed_memory() -> None:
    """Give freed memory back to the system (malloc_trim).

    Each batch of passages allocates buffers of other sizes; glibc keeps what they freed in its
    heaps, which fragment: 50 passages of growing length left 86 MB behind. Trimming after
    each batch costs about a millisecond of its 300; a query's lone batch is not trimmed.
    """
    if _libc():
        _libc().malloc_trim(0)
