"""The gate's reading child (``limits.run_bounded``): a new Python process that caps its own
address space (``RLIMIT_AS``), then runs one function on what its parent sent on stdin and sends
back its progress and its result (or its exception, or "memory") on stdout.

    python -m publishing.gate.child   < request   (parent only: not a command for people)
"""

import importlib
import pickle
import resource
import struct
import sys
import traceback

from publishing.gate import reading  # noqa: F401 - loaded before the cap: PDFium, pypdf
from publishing.gate.extraction import UnreadableDocument
from publishing.gate.limits import MB, address_space_in_use, send


def _large_allocations_mapped() -> None:
    """Make glibc map every allocation over 128 KB afresh (its threshold otherwise grows, and
    large blocks come out of free heap), so that what reading takes is counted by the cap."""
    import ctypes
    import ctypes.util

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.mallopt(-3, 128 * 1024)  # M_MMAP_THRESHOLD
    except (OSError, AttributeError):
        pass


def main() -> int:
    out = sys.stdout.buffer
    (length,) = struct.unpack("!Q", sys.stdin.buffer.read(8))
    request = sys.stdin.buffer.read(length)
    target, args, kwargs, memory_mb = pickle.loads(request)  # noqa: S301 - from our parent
    del request
    module, _, name = target.partition(":")
    function = importlib.import_module(module)
    for part in name.split("."):
        function = getattr(function, part)
    _large_allocations_mapped()
    cap = address_space_in_use() + memory_mb * MB
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))

    def progress(done: int, total: int) -> None:
        send(out, ("progress", done, total))

    try:
        result = function(*args, progress=progress, **kwargs)
        del args
        send(out, ("result", result))
    except MemoryError:
        send(out, ("memory",))
    except UnreadableDocument as error:  # the readers' own refusal, sent whole
        send(out, ("error", error))
    except BaseException as error:
        # A reader that fails in a way nobody foresaw: the document cannot be checked (the
        # traceback goes to the worker's log), rather than the task failing on every retry.
        traceback.print_exc()
        reason = f"reading it failed ({type(error).__name__})"
        send(out, ("error", UnreadableDocument(reason)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
