"""A throwaway PostgreSQL server for the suites that run cairn on the postgres:// metadata engine.

initdb into a temporary directory, then `postgres` on a free loopback port, with durability off
(the suites test semantics, not crashes). As root (initdb refuses to run as root) the server runs
as the `postgres` system user. The binaries come from CAIRN_POSTGRES_BIN (a directory), `initdb`
on PATH, or /usr/lib/postgresql/*/bin (Debian's `postgresql` package, scripts/install-deps.sh).
When the server cannot start, PostgresServerError says why: the suite fails, it does not skip.
stop() and start() again keep the port and the data directory (a server restart, as a gateway
sees one). Every wait is bounded; the server is stopped at exit in any case.
"""
import atexit
import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time

_live = []


class PostgresServerError(RuntimeError):
    pass


def _binaries():
    explicit = os.environ.get("CAIRN_POSTGRES_BIN")
    if explicit:
        return explicit
    initdb = shutil.which("initdb")
    if initdb:
        real = os.path.dirname(os.path.realpath(initdb))
        if os.path.exists(os.path.join(real, "postgres")):
            return real
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/postgres"))
    if found:
        return os.path.dirname(found[-1])
    raise PostgresServerError("no PostgreSQL server binaries (initdb, postgres): install Debian's "
                              "`postgresql` package (scripts/install-deps.sh) or set "
                              "CAIRN_POSTGRES_BIN")


def _free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PostgresServer:
    def __init__(self):
        self.bin = _binaries()
        self.dir = tempfile.mkdtemp(prefix="cairn-it-pg-")
        self.data = os.path.join(self.dir, "data")
        self.log = os.path.join(self.dir, "server.log")
        self.port = _free_port()
        self.proc = None
        self.user = None
        if os.geteuid() == 0:
            try:
                self.user = pwd.getpwnam("postgres")
            except KeyError:
                raise PostgresServerError("running as root, and there is no `postgres` user to "
                                          "run the server as")
            os.chown(self.dir, self.user.pw_uid, self.user.pw_gid)
        self._run([os.path.join(self.bin, "initdb"), "-D", self.data, "-U", "cairn", "-A",
                   "trust", "-E", "UTF8", "--locale=C", "--no-sync"], timeout=120)

    def _as_user(self):
        if self.user is not None:
            os.setgroups([])
            os.setgid(self.user.pw_gid)
            os.setuid(self.user.pw_uid)

    def _run(self, argv, timeout):
        with open(self.log, "ab") as log:
            r = subprocess.run(argv, stdout=log, stderr=subprocess.STDOUT,
                               preexec_fn=self._as_user, timeout=timeout)
        if r.returncode != 0:
            raise PostgresServerError("%s failed:\n%s" % (argv[0], self.log_tail()))

    def log_tail(self, n=3000):
        try:
            with open(self.log, "rb") as f:
                return f.read()[-n:].decode("utf-8", "replace")
        except OSError:
            return "(no log)"

    def uri(self, database="postgres"):
        return "postgresql://cairn@127.0.0.1:%d/%s" % (self.port, database)

    def start(self, timeout=60):
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen(
                [os.path.join(self.bin, "postgres"), "-D", self.data, "-p", str(self.port),
                 "-k", self.dir, "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off",
                 "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
                 "-c", "max_connections=200"],
                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                preexec_fn=self._as_user, start_new_session=True)
        if self not in _live:
            _live.append(self)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise PostgresServerError("postgres exited with %s:\n%s"
                                          % (self.proc.returncode, self.log_tail()))
            if self._answers():
                return self
            time.sleep(0.05)
        self.stop()
        raise PostgresServerError("postgres did not answer in %d s:\n%s"
                                  % (timeout, self.log_tail()))

    def _answers(self):
        ready = os.path.join(self.bin, "pg_isready")
        r = subprocess.run([ready, "-q", "-h", "127.0.0.1", "-p", str(self.port), "-U", "cairn",
                            "-t", "2"], timeout=10)
        return r.returncode == 0

    def sql(self, statement, database="postgres"):
        """Runs one statement with psql; returns its unaligned output."""
        r = subprocess.run([os.path.join(self.bin, "psql"), "-X", "-q", "-A", "-t", "-v",
                            "ON_ERROR_STOP=1", "-d", self.uri(database), "-c", statement],
                           capture_output=True, timeout=30)
        if r.returncode != 0:
            raise PostgresServerError("psql: %s" % r.stderr.decode("utf-8", "replace"))
        return r.stdout.decode("utf-8").strip()

    def create_database(self, name):
        self.sql('CREATE DATABASE "%s"' % name)
        return self.uri(name)

    def stop(self, timeout=30):
        """Fast shutdown (SIGINT: sessions are cut), SIGKILL if it takes longer than `timeout`."""
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        self.proc = None

    def cleanup(self):
        self.stop()
        if self in _live:
            _live.remove(self)
        shutil.rmtree(self.dir, ignore_errors=True)


@atexit.register
def _stop_leftovers():
    for server in list(_live):
        try:
            server.cleanup()
        except Exception:
            pass
