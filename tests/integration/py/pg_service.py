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
import socket
import subprocess
import sys
import tempfile
import threading
import time

START_TIMEOUT = 60  # initdb and the first answer, on a machine busy with builds
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


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


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
        self.proc = None

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
        started = time.monotonic()
        self.dir = tempfile.mkdtemp(prefix="cairn-pg-")
        atexit.register(self.stop)
        exit_on_sigterm()
        if self.user is not None:
            os.chown(self.dir, self.user.pw_uid, self.user.pw_gid)
        data = os.path.join(self.dir, "data")
        with open(os.path.join(self.dir, "server.log"), "ab") as log:
            try:
                subprocess.run([os.path.join(self.bin, "initdb"), "-D", data, "-U", "cairn",
                                "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"],
                               stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                               timeout=START_TIMEOUT, check=True, cwd=self.dir,
                               **self._as_server_user())
            except (subprocess.SubprocessError, OSError) as e:
                raise PostgresUnavailable("initdb failed (%r):\n%s" % (e, self.log_tail()))
            self.port = free_port()
            self.proc = subprocess.Popen(
                [os.path.join(self.bin, "postgres"), "-D", data, "-p", str(self.port),
                 "-k", self.dir, "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off",
                 "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
                 "-c", "max_connections=300"],
                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, cwd=self.dir,
                start_new_session=True, **self._as_server_user())
        while True:
            if self.proc.poll() is not None:
                raise PostgresUnavailable("postgres exited with %s:\n%s"
                                          % (self.proc.returncode, self.log_tail()))
            if self._answers():
                break
            if time.monotonic() - started > START_TIMEOUT:
                self.stop()
                raise PostgresUnavailable("postgres did not answer in %d s:\n%s"
                                          % (START_TIMEOUT, self.log_tail()))
            time.sleep(0.05)
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

    def stop(self):
        """Fast shutdown (SIGINT), SIGKILL after STOP_TIMEOUT; then the directory goes."""
        if self.proc is not None and self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGINT)
                self.proc.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=STOP_TIMEOUT)
            except ProcessLookupError:
                pass
        self.proc = None
        if self.dir is not None:
            if os.environ.get("CAIRN_TEST_KEEP"):
                sys.stderr.write("postgres data and log kept in %s\n" % self.dir)
            else:
                shutil.rmtree(self.dir, ignore_errors=True)
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
