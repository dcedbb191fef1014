"""A throwaway PostgreSQL server for the suites that run cairn on `--meta postgres://...`.

`shared()` starts one server per process on first use: initdb into a temporary directory, postgres
on a free loopback port with durability off (fsync=off: the tests are about what gateways see,
not about PostgreSQL's crashes), stopped and removed at exit whatever happens. `new_database()`
gives a libpq URI of a database of its own on it. As src/meta/postgres/test_server.h does for the
unit tests: as root (initdb refuses root) the server runs as the `postgres` system user, which owns
the temporary directory; the binaries are CAIRN_POSTGRES_BIN (a directory), then `initdb` on PATH,
then /usr/lib/postgresql/*/bin (Debian's `postgresql` package, scripts/install-deps.sh).

When PostgreSQL cannot start, PostgresUnavailable says why: a suite that needs it fails with that
reason, never skips. `python3 pg_service.py --check` exits 0 when the binaries (and, as root, the
`postgres` user) are there, 1 with the reason otherwise: run.sh asks it before running the cluster
suites. Every wait is bounded.
"""
import atexit
import glob
import os
import pwd
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

START_TIMEOUT = 60  # initdb and the first answer, on a machine busy with builds
SERVICE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "services",
                       "postgres.sh")
STOP_TIMEOUT = 20
QUERY_TIMEOUT = 30
BINARIES = ("initdb", "postgres", "psql", "pg_dump")


class PostgresUnavailable(RuntimeError):
    pass


def find_binaries():
    """The directory holding initdb, postgres and psql; PostgresUnavailable when none does."""
    env = os.environ.get("CAIRN_POSTGRES_BIN")
    if env:
        candidates = [env]
    else:
        on_path = shutil.which("initdb")
        # Debian links initdb into PATH; postgres sits beside the link's target
        candidates = [os.path.dirname(os.path.realpath(on_path))] if on_path else []
        newest_first = sorted(glob.glob("/usr/lib/postgresql/*/bin/postgres"), reverse=True)
        candidates += [os.path.dirname(p) for p in newest_first]
    for d in candidates:
        if all(os.access(os.path.join(d, b), os.X_OK) for b in BINARIES):
            return d
    raise PostgresUnavailable(
        "no PostgreSQL server binaries (%s)%s: install Debian's `postgresql` "
        "package (scripts/install-deps.sh) or set CAIRN_POSTGRES_BIN"
        % (", ".join(BINARIES), " in CAIRN_POSTGRES_BIN=%s" % env if env else ""))


def server_user():
    """The passwd entry to run the server as (root only), or None."""
    if os.geteuid() != 0:
        return None
    try:
        return pwd.getpwnam("postgres")
    except KeyError:
        raise PostgresUnavailable("running as root, and there is no `postgres` user to run "
                                  "PostgreSQL as (Debian's `postgresql` package makes it)")


def exit_on_sigterm():
    """run.sh's timeout ends a suite with SIGTERM, which by default ends Python without its atexit
    handlers: postgres, in a session of its own, would outlive the suite. Exit through them, as
    from Ctrl-C (unittest stops at a KeyboardInterrupt; it would record SystemExit and go on)."""

    def interrupt(*_):
        raise KeyboardInterrupt("SIGTERM")

    if (threading.current_thread() is threading.main_thread()
            and signal.getsignal(signal.SIGTERM) == signal.SIG_DFL):
        signal.signal(signal.SIGTERM, interrupt)


class PostgresServer:
    """One postgres process on a temporary cluster; `start()`, `new_database()`, `stop()`."""

    def __init__(self):
        self.bin = find_binaries()
        self.user = server_user()
        self.dir = None
        self.port = None

    def _as_server_user(self):
        if self.user is None:
            return {}
        return {"user": self.user.pw_uid, "group": self.user.pw_gid, "extra_groups": []}

    def log_tail(self, n=3000):
        try:
            with open(os.path.join(self.dir, "server.log"), "rb") as f:
                return f.read()[-n:].decode("utf-8", "replace")
        except OSError:
            return "(no log)"

    def start(self):
        """tests/services/postgres.sh, the launcher the benchmarks use too."""
        started = time.monotonic()
        self.dir = tempfile.mkdtemp(prefix="cairn-pg-")
        atexit.register(self.stop)
        exit_on_sigterm()
        try:
            r = subprocess.run([SERVICE, "start", self.dir], stdin=subprocess.DEVNULL,
                               capture_output=True, timeout=START_TIMEOUT,
                               env=dict(os.environ, CAIRN_POSTGRES_BIN=self.bin))
        except subprocess.TimeoutExpired:
            self.stop()
            raise PostgresUnavailable("postgres did not start in %d s:\n%s"
                                      % (START_TIMEOUT, self.log_tail()))
        if r.returncode != 0:
            self.dir = None  # the launcher stopped what it started; its message says why
            raise PostgresUnavailable(r.stderr.decode(errors="replace"))
        with open(os.path.join(self.dir, "port")) as f:
            self.port = int(f.read())
        sys.stderr.write("[postgres] test server on 127.0.0.1:%d started in %.1f s "
                         "(initdb included)\n" % (self.port, time.monotonic() - started))
        return self

    def _answers(self):
        try:
            self.query("SELECT 1", timeout=2)
            return True
        except (AssertionError, subprocess.TimeoutExpired):
            return False

    def uri(self, database="postgres"):
        return "postgresql://cairn@127.0.0.1:%d/%s" % (self.port, database)

    def query(self, sql, database="postgres", timeout=QUERY_TIMEOUT):
        """Runs `sql` with psql; the result rows as lists of strings (NULL as '')."""
        r = subprocess.run([os.path.join(self.bin, "psql"), "-X", "-q", "-A", "-t", "-F", "\t",
                            "-v", "ON_ERROR_STOP=1", "-d", self.uri(database), "-c", sql],
                           stdin=subprocess.DEVNULL, capture_output=True, timeout=timeout)
        if r.returncode != 0:
            raise AssertionError("psql %r failed: %s"
                                 % (sql[:200], r.stderr.decode(errors="replace")))
        text = r.stdout.decode()
        return [line.split("\t") for line in text.splitlines() if line]

    def new_database(self):
        """A fresh, empty database; its libpq URI."""
        name = "t_" + secrets.token_hex(6)
        self.query("CREATE DATABASE %s" % name)
        return self.uri(name)

    def dump(self, database, path):
        """pg_dump of `database` into `path` (plain SQL), for a failure's evidence."""
        with open(path, "wb") as out:
            subprocess.run([os.path.join(self.bin, "pg_dump"), "-d", self.uri(database)],
                           stdin=subprocess.DEVNULL, stdout=out, timeout=QUERY_TIMEOUT,
                           check=True)

    def pause(self):
        """An immediate shutdown that keeps the data and the port, for resume()."""
        subprocess.run([SERVICE, "stop", self.dir, "--keep"], capture_output=True,
                       timeout=STOP_TIMEOUT + 10, check=True)

    def resume(self):
        """The server stopped by pause() again, on the same port, with the same databases."""
        r = subprocess.run([SERVICE, "resume", self.dir], capture_output=True,
                           timeout=START_TIMEOUT)
        if r.returncode != 0:
            raise PostgresUnavailable(r.stderr.decode(errors="replace"))

    def _processes(self):
        """The postmaster's pid and its children's (the backends, the background workers)."""
        with open(os.path.join(self.dir, "data", "postmaster.pid")) as f:
            postmaster = int(f.readline())
        children = []
        for entry in os.listdir("/proc"):
            try:
                with open("/proc/%s/stat" % entry) as f:
                    # pid (comm) state ppid ...: comm may hold spaces, so split after its ')'
                    if int(f.read().rsplit(")", 1)[1].split()[1]) == postmaster:
                        children.append(int(entry))
            except (OSError, ValueError, IndexError):
                continue
        return [postmaster] + children

    def freeze(self):
        """A server that stops answering without closing anything (a hung host, a cut network):
        every process of it stopped with SIGSTOP; the kernel still accepts connections."""
        for pid in self._processes():
            os.kill(pid, signal.SIGSTOP)

    def thaw(self):
        for pid in self._processes():
            os.kill(pid, signal.SIGCONT)

    def stop(self):
        """An immediate shutdown, then the directory goes (unless CAIRN_TEST_KEEP is set)."""
        if self.dir is None:
            return
        keep = bool(os.environ.get("CAIRN_TEST_KEEP"))
        subprocess.run([SERVICE, "stop", self.dir] + (["--keep"] if keep else []),
                       capture_output=True, timeout=STOP_TIMEOUT + 10)
        if keep:
            sys.stderr.write("postgres data and log kept in %s\n" % self.dir)
        self.dir = None


_shared = None


def shared():
    """This process's server, started on first use (PostgresUnavailable when it cannot)."""
    global _shared
    if _shared is None:
        server = PostgresServer()
        server.start()
        _shared = server
    return _shared


def new_database():
    """A libpq URI of a fresh database on this process's server."""
    return shared().new_database()


def database_of(uri):
    """The database name of a URI that new_database() gave."""
    return uri.rsplit("/", 1)[1].split("?", 1)[0]


def check():
    """Why PostgreSQL cannot be started here, or None when it can be tried."""
    try:
        find_binaries()
        server_user()
    except PostgresUnavailable as e:
        return str(e)
    return None


if __name__ == "__main__":
    if sys.argv[1:] != ["--check"]:
        sys.exit("usage: python3 pg_service.py --check")
    reason = check()
    if reason:
        print(reason)
    sys.exit(1 if reason else 0)
