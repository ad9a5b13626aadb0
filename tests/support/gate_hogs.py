"""Functions that overrun what the gate's reading child may take, for
tests/publishing/gate/test_reading.py: run by ``gate.run_bounded`` in the child, by name, where
the real limits stop them."""

import os
import signal
import time


def take_memory(progress):
    chunks = []
    while True:  # until the address-space limit refuses more
        chunks.append(bytearray(16 * 1024 * 1024))


def take_time(progress):
    progress(1, 2)
    time.sleep(60)


def crash(progress):
    os.kill(os.getpid(), signal.SIGSEGV)


def fail(progress):
    raise KeyError("a reader's bug")
