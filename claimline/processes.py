"""Child processes that end with their parent, even when it is killed with `kill -9`."""

import ctypes
import os
import signal
import sys

PR_SET_PDEATHSIG = 1


def die_with_parent(parent_pid=None):
    """Runs in a child process before its work: when its parent dies, the kernel kills
    it too, instead of leaving it working alone (Linux). `parent_pid` closes the race
    of a parent that died before this call: the child then exits at once."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if parent_pid is not None and os.getppid() != parent_pid:
        os._exit(1)
