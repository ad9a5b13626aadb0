"""Bounds on what reading one document may cost: the bytes an archive unpacks to, and the memory
and time of the child process that reads it. A document that breaches one "cannot be checked",
with the reason; it never exhausts the machine (a 190 KB Word file that unpacked to 150 MB once
drove a gate worker to 8.7 GB).

- ``Limits``: the caps, from the settings ``GATE_MAX_UNPACKED_MB``, ``GATE_MAX_UNPACK_RATIO``,
  ``GATE_MEMORY_MB`` and ``GATE_TIME_LIMIT_SECONDS`` (``publishing.services`` builds them).
- ``ArchiveBudget``: reads a zip's members by streaming, counting the bytes actually
  decompressed, chunk by chunk: the sizes an archive declares are never trusted.
- ``run_bounded``: runs a function in a child Python process (``publishing.gate.child``) with
  ``RLIMIT_AS`` set, kills it when it overruns its time, and relays its progress and its result
  (or its exception) over a pipe.
"""

import os
import pickle
import select
import struct
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from publishing.gate.extraction import UnreadableDocument

MB = 1024 * 1024
CHUNK = 64 * 1024


@dataclass(frozen=True)
class Limits:
    """What reading one document may cost. ``unpacked_mb``: the bytes all the parts of an
    archive (a .docx) may decompress to; ``unpack_ratio``: how many times its compressed size a
    part may grow (after its first megabyte); ``memory_mb``: the memory the reading child may
    take beyond what it maps once started (Python and the readers, about 150 MB);
    ``seconds``: how long it may take, OCR included."""

    unpacked_mb: int = 100
    unpack_ratio: int = 100
    memory_mb: int = 1536
    seconds: int = 3600


class ArchiveBudget:
    """The bytes read so far from one archive, against ``Limits``."""

    def __init__(self, limits: Limits):
        self.limits = limits
        self.total = 0

    def read(self, archive: zipfile.ZipFile, name: str) -> bytes:
        """One member's bytes, decompressed chunk by chunk; ``UnreadableDocument`` as soon as
        the archive's total or the member's ratio goes past its cap."""
        info = archive.getinfo(name)
        chunks = []
        self._stream(archive, info, chunks.append)
        return b"".join(chunks)

    def check_all(self, archive: zipfile.ZipFile) -> None:
        """Decompress every member without keeping it: the archive as a whole within its caps
        (what an upload is checked against before anything parses it)."""
        for info in archive.infolist():
            self._stream(archive, info, lambda chunk: None)

    def _stream(self, archive: zipfile.ZipFile, info: zipfile.ZipInfo, keep) -> None:
        limit_total = self.limits.unpacked_mb * MB
        # A part may be 1 MB whatever its compressed size; past that, at most `ratio` times it.
        limit_part = max(info.compress_size, 1) * self.limits.unpack_ratio + MB
        part = 0
        try:
            with archive.open(info) as stream:
                while True:
                    chunk = stream.read(CHUNK)
                    if not chunk:
                        break
                    part += len(chunk)
                    self.total += len(chunk)
                    if self.total > limit_total:
                        raise UnreadableDocument(
                            f"it unpacks to more than {self.limits.unpacked_mb} MB"
                        )
                    if part > limit_part:
                        raise UnreadableDocument(
                            f"a part of it unpacks to more than {self.limits.unpack_ratio} times "
                            "its packed size (a zip bomb?)"
                        )
                    keep(chunk)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as error:
            raise UnreadableDocument("it is not a readable Word document") from error


# --- The reading child ---------------------------------------------------------------------------

ROOT = Path(__file__).resolve().parents[2]


def address_space_in_use() -> int:
    """This process's mapped address space (VmSize), which RLIMIT_AS counts."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def send(stream, message: tuple) -> None:
    data = pickle.dumps(message)
    stream.write(struct.pack("!I", len(data)) + data)
    stream.flush()


def _frames(buffer: bytearray):
    """Complete (length-prefixed) messages at the start of ``buffer``, removed from it."""
    while len(buffer) >= 4:
        (length,) = struct.unpack("!I", buffer[:4])
        if len(buffer) < 4 + length:
            return
        data = bytes(buffer[4 : 4 + length])
        del buffer[: 4 + length]
        yield pickle.loads(data)  # noqa: S301 - our own child's message, over our own pipe


def _target_name(function: Callable | str) -> str:
    if isinstance(function, str):
        return function
    return f"{function.__module__}:{function.__qualname__}"


def run_bounded(
    function: Callable | str,
    *args,
    bounds: Limits,
    progress: Callable[[int, int], None] | None = None,
    **kwargs,
):
    """``function(*args, progress=…, **kwargs)`` (a module-level function, or its name as
    "module:function") in a new Python process (``publishing.gate.child``) whose address space
    may grow ``bounds.memory_mb`` past what it holds once started (``RLIMIT_AS``), killed after
    ``bounds.seconds``. Its progress reaches ``progress`` here; its result is returned, its
    exception raised. Out of memory, out of time or killed: ``UnreadableDocument`` with the
    reason. A new process, not a fork: nothing of the worker (its memory, its database
    connections, its threads) is shared with the code reading an untrusted file."""
    limits = bounds
    progress = progress or (lambda done, total: None)
    request = pickle.dumps((_target_name(function), args, kwargs, limits.memory_mb))
    child = subprocess.Popen(
        [sys.executable, "-m", "publishing.gate.child"],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        # One thread for Tesseract: its OpenMP threads spin against each other on a busy
        # machine (one A4 page at 300 dpi: 17 s with two threads, 4 s with one, on 2 cores).
        env={**os.environ, "PYTHONPATH": str(ROOT), "OMP_THREAD_LIMIT": "1"},
    )
    deadline = time.monotonic() + limits.seconds
    buffer = bytearray()
    outcome: tuple | None = None
    try:
        try:
            child.stdin.write(struct.pack("!Q", len(request)) + request)
            child.stdin.close()
        except BrokenPipeError:
            pass  # it died on starting: reported below
        fd = child.stdout.fileno()
        while outcome is None:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise UnreadableDocument(
                    f"reading it took more than {limits.seconds} seconds, so it was stopped"
                )
            ready, _, _ = select.select([fd], [], [], min(remaining, 1.0))
            if not ready:
                continue
            data = os.read(fd, CHUNK)
            if not data:
                break
            buffer.extend(data)
            for message in _frames(buffer):
                if message[0] == "progress":
                    progress(message[1], message[2])
                else:
                    outcome = message
                    break
        status = child.wait(timeout=max(deadline - time.monotonic(), 1))
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        child.stdout.close()
    if outcome is None:
        how = f"it was stopped by signal {-status}" if status < 0 else "it stopped"
        raise UnreadableDocument(
            f"the reader {how} (more than {limits.memory_mb} MB of memory, or a damaged file)"
        )
    if outcome[0] == "memory":
        raise UnreadableDocument(f"reading it needed more than {limits.memory_mb} MB of memory")
    if outcome[0] == "error":
        raise outcome[1]
    return outcome[1]
