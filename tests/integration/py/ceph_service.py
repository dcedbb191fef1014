"""A throwaway one-node Ceph cluster for the suites that run cairn on `--blob rados://...`.

`shared()` starts one cluster per process on first use with tests/services/ceph.sh (one monitor, one
memstore OSD, cephx off, msgr2 on 127.0.0.1; 4 to 8 s here), stopped and removed at exit.
`new_pool()` gives a pool of its own to each caller, so that what one test leaves in RADOS never
shows in another's checks. When Ceph cannot start, CephUnavailable says why: a suite that needs it
fails with that reason, never skips. `python3 ceph_service.py --check` exits 0 when the daemons are
installed, 1 with the reason otherwise. Every wait is bounded.
"""
import atexit
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time

import pg_service

SERVICE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "services",
                       "ceph.sh")
START_TIMEOUT = 120  # the launcher's own waits are bounded at 60 s each
COMMAND_TIMEOUT = 60
BINARIES = ("ceph-mon", "ceph-osd", "ceph", "rados", "monmaptool")


class CephUnavailable(RuntimeError):
    pass


class CephCluster:
    def __init__(self):
        self.dir = None
        self.conf = None

    def start(self):
        started = time.monotonic()
        self.dir = tempfile.mkdtemp(prefix="cairn-ceph-")
        atexit.register(self.stop)
        pg_service.exit_on_sigterm()
        try:
            r = subprocess.run([SERVICE, "start", self.dir], stdin=subprocess.DEVNULL,
                               capture_output=True, timeout=START_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.stop()
            raise CephUnavailable("Ceph did not start in %d s" % START_TIMEOUT)
        if r.returncode != 0:
            self.dir = None  # the launcher stopped what it started
            raise CephUnavailable(r.stderr.decode(errors="replace"))
        self.conf = r.stdout.decode().strip()
        sys.stderr.write("[ceph] test cluster %s started in %.1f s\n"
                         % (self.conf, time.monotonic() - started))
        return self

    def command(self, *args):
        """`ceph` or `rados` with this cluster's configuration; stdout as text."""
        r = subprocess.run([args[0], "-c", self.conf] + list(args[1:]), stdin=subprocess.DEVNULL,
                           capture_output=True, timeout=COMMAND_TIMEOUT)
        if r.returncode != 0:
            raise AssertionError("%s failed: %s" % (" ".join(args), r.stderr.decode(errors="replace")))
        return r.stdout.decode()

    def new_pool(self):
        name = "t-" + secrets.token_hex(4)
        self.command("ceph", "osd", "pool", "create", name, "8", "8")
        return name

    def objects(self, pool):
        """The names of every RADOS object in `pool`."""
        return set(self.command("rados", "-p", pool, "ls").split())

    def url(self, pool):
        return "rados://%s?conf=%s" % (pool, self.conf)

    def stop(self):
        if self.dir is None:
            return
        if os.environ.get("CAIRN_TEST_KEEP"):
            sys.stderr.write("ceph cluster left running in %s (stop it with %s stop DIR)\n"
                             % (self.dir, SERVICE))
        else:
            subprocess.run([SERVICE, "stop", self.dir], capture_output=True, timeout=COMMAND_TIMEOUT)
        self.dir = None


_shared = None


def shared():
    """This process's cluster, started on first use (CephUnavailable when it cannot)."""
    global _shared
    if _shared is None:
        _shared = CephCluster().start()
    return _shared


def check():
    """Why Ceph cannot be started here, or None when it can be tried."""
    missing = [b for b in BINARIES if shutil.which(b) is None]
    if missing:
        return ("no %s: install Debian's ceph-mon, ceph-osd and ceph-common "
                "(scripts/install-deps.sh)" % ", ".join(missing))
    return None


if __name__ == "__main__":
    if sys.argv[1:] != ["--check"]:
        sys.exit("usage: python3 ceph_service.py --check")
    reason = check()
    if reason:
        print(reason)
    sys.exit(1 if reason else 0)
