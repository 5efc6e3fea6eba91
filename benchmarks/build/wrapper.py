"""Run one command, print its wall time, CPU time and peak memory as JSON (stdlib only).

``python -m benchmarks.build.wrapper -- CMD...`` is started fresh for every measurement,
because ``getrusage(RUSAGE_CHILDREN)`` accumulates over the caller's whole life.

What is measured, and why three memory numbers:

* ``max_rss_kib``: ``ru_maxrss`` of RUSAGE_CHILDREN, the largest resident set of any *single*
  descendant that was waited for (in practice the ``mkdocs`` process). Not a sum.
* ``peak_tree_rss_kib``: the largest *sum* of RSS over the whole process tree, sampled from
  ``/proc`` every few milliseconds. Forked children share numpy's pages with their parent,
  so this sum counts shared pages more than once: an upper bound.
* ``peak_tree_pss_kib``: the same sum of PSS (shared pages split between their users), the
  honest figure for "RAM this build occupied"; sampled, so a spike shorter than the interval
  can be missed.

The wrapper makes itself a child subreaper, so processes that outlive ``mkdocs`` (a
multiprocessing fork server exits after its parent) are re-parented to it, stay visible to
the sampler and are reaped here, so their usage reaches RUSAGE_CHILDREN too.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import resource
import subprocess
import sys
import threading
import time
from collections.abc import Sequence

_PR_SET_CHILD_SUBREAPER = 36
_PAGE_KIB = os.sysconf("SC_PAGE_SIZE") // 1024


def _become_subreaper() -> bool:
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return found
    for task in tasks:
        try:
            with open(f"/proc/{pid}/task/{task}/children") as stream:
                found.extend(int(child) for child in stream.read().split())
        except OSError:
            continue
    return found


def _descendants(root: int) -> list[int]:
    seen: list[int] = []
    stack = _children(root)
    while stack:
        pid = stack.pop()
        seen.append(pid)
        stack.extend(_children(pid))
    return seen


def _rss_pss_kib(pid: int) -> tuple[int, int]:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as stream:
            rss = pss = 0
            for line in stream:
                if line.startswith("Rss:"):
                    rss = int(line.split()[1])
                elif line.startswith("Pss:"):
                    pss = int(line.split()[1])
            return rss, pss
    except (OSError, ValueError, IndexError):
        pass
    try:
        with open(f"/proc/{pid}/statm") as stream:
            resident = int(stream.read().split()[1]) * _PAGE_KIB
            return resident, resident
    except (OSError, ValueError, IndexError):
        return 0, 0


class TreeSampler(threading.Thread):
    """Samples the summed RSS and PSS of every descendant of this process."""

    def __init__(self, interval: float) -> None:
        super().__init__(daemon=True)
        self.interval = interval
        self.peak_rss = 0
        self.peak_pss = 0
        self.peak_processes = 0
        self.samples = 0
        #: Per process: (its own peak PSS in KiB, what it runs), to say where memory goes.
        self.per_process: dict[int, tuple[int, str]] = {}
        self._stop_event = threading.Event()

    def run(self) -> None:
        me = os.getpid()
        while not self._stop_event.is_set():
            pids = _descendants(me)
            rss = pss = 0
            for pid in pids:
                one_rss, one_pss = _rss_pss_kib(pid)
                rss += one_rss
                pss += one_pss
                known = self.per_process.get(pid)
                if one_pss and (known is None or one_pss > known[0]):
                    # Read again at each new peak: a child shows the wrapper's command line
                    # between fork and exec.
                    self.per_process[pid] = (one_pss, _command(pid))
            self.peak_rss = max(self.peak_rss, rss)
            self.peak_pss = max(self.peak_pss, pss)
            self.peak_processes = max(self.peak_processes, len(pids))
            self.samples += 1
            self._stop_event.wait(self.interval)

    def stop(self) -> None:
        self._stop_event.set()
        self.join()


def _command(pid: int) -> str:
    """What a process runs, shortened: the script or module, or the code of ``-c``."""
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as stream:
            words = stream.read().decode(errors="replace").split("\0")
    except OSError:
        return "?"
    words = [os.path.basename(words[0]), *words[1:]] if words else []
    return " ".join(word for word in words if word)[:120]


def _reap_orphans(deadline: float) -> None:
    """Wait for re-parented descendants so their usage is counted; kill stragglers."""
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            if time.monotonic() > deadline:
                for orphan in _children(os.getpid()):
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(orphan, 9)
                deadline = float("inf")
            time.sleep(0.01)


def busy_cpu_seconds() -> float:
    """CPU seconds the whole machine has spent busy since boot (``/proc/stat``)."""
    with open("/proc/stat") as stream:
        fields = [int(value) for value in stream.readline().split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def _raise_priority(niceness: int) -> int:
    """Run the build (and everything it starts) at ``niceness``; returns the one in force.

    Why: on a shared machine the builds then get the CPU before other people's work, so the
    measurement disturbs them rather than the other way round. Lowering niceness below 0
    needs privileges; without them the build runs at the ordinary priority.
    """
    current = os.nice(0)
    if niceness < current:
        with contextlib.suppress(OSError):
            os.nice(niceness - current)
    return os.nice(0)


def measure(
    command: Sequence[str], cwd: str | None, interval: float, niceness: int = 0
) -> dict[str, object]:
    applied = _raise_priority(niceness)
    subreaper = _become_subreaper()
    sampler = TreeSampler(interval)
    sampler.start()
    busy_before = busy_cpu_seconds()
    started = time.perf_counter()
    completed = subprocess.run(list(command), cwd=cwd, capture_output=True, text=True)
    wall = time.perf_counter() - started
    busy = busy_cpu_seconds() - busy_before
    _reap_orphans(time.monotonic() + 10)
    sampler.stop()
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    own = usage.ru_utime + usage.ru_stime
    return {
        "returncode": completed.returncode,
        "wall_s": wall,
        "cpu_user_s": usage.ru_utime,
        "cpu_system_s": usage.ru_stime,
        "max_rss_kib": usage.ru_maxrss,
        "peak_tree_rss_kib": sampler.peak_rss,
        "peak_tree_pss_kib": sampler.peak_pss,
        "peak_processes": sampler.peak_processes,
        "memory_samples": sampler.samples,
        "processes": [
            {"pid": pid, "peak_pss_kib": peak, "command": command}
            for pid, (peak, command) in sorted(sampler.per_process.items())
        ],
        # CPU the rest of the machine used meanwhile (other jobs competing for the cores);
        # includes this wrapper's sampler thread.
        "other_cpu_s": max(busy - own, 0.0),
        "subreaper": subreaper,
        "niceness": applied,
        "log_tail": (completed.stdout + completed.stderr)[-4000:],
    }


def main(argv: Sequence[str]) -> int:
    args = list(argv)
    interval = 0.02
    niceness = 0
    cwd: str | None = None
    while args and args[0] != "--":
        option = args.pop(0)
        if option == "--interval":
            interval = float(args.pop(0))
        elif option == "--cwd":
            cwd = args.pop(0)
        elif option == "--nice":
            niceness = int(args.pop(0))
        else:
            print(f"unknown option {option!r}", file=sys.stderr)
            return 2
    if not args or len(args) < 2:
        print("usage: wrapper [--interval S] [--cwd DIR] -- COMMAND...", file=sys.stderr)
        return 2
    print(json.dumps(measure(args[1:], cwd, interval, niceness)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
