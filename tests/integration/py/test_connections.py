"""Connections as an attacker or a careless client uses them: resets in the middle of a response,
a reader that stops, more connections than file descriptors, transfer codings cairn does not
decode, and SIGTERM while requests are in flight (issue 12, items 0, 4, 5, 8 and 9).
Each class starts its own cairn: the tests read its log, its CPU time and its exit status."""
import os
import resource
import shutil
import signal
import socket
import ssl
import struct
import threading
import time
import unittest

import cairn_server
import s3sig
from test_addressing import make_cert
from test_robustness import read_response, signed_head

MiB = 1024 * 1024
BIG = 64 * MiB
# What an error-level line about a peer that went away looks like in cairn's log.
RESET_NOISE = ("Broken pipe", "Connection reset by peer")


def reset(sock):
    """Closes `sock` with SO_LINGER 0: the peer gets a RST, as from a killed browser tab."""
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    sock.close()


def small_receive_buffer_socket(t, size=4096):
    """A connection whose receive buffer fills after a few KiB (set before connecting)."""
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, size)
    s.settimeout(10)
    s.connect((t.host, t.port))
    return s


def get_head(t, path):
    return signed_head(t, "GET", path, {})


def cpu_seconds(pid):
    """User plus system CPU time of a process, from /proc/PID/stat."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class OwnServer(unittest.TestCase):
    """A cairn of the test's own, started with `server_args`, a bucket and a boto3 client."""
    server_args = ()

    @classmethod
    def setUpClass(cls):
        if cairn_server.external():
            raise unittest.SkipTest("needs a cairn it starts itself")

    def start_server(self, extra_args=(), before_start=None):
        server = cairn_server.CairnServer(name="connections",
                                          extra_args=list(self.server_args) + list(extra_args))
        self.addCleanup(server.cleanup)
        if before_start is None:
            server.start()
        else:
            with before_start():
                server.start()
        self.server = server
        self.t = server.target()
        self.s3 = cairn_server.client(self.t)
        self.bucket = "conn-" + os.urandom(3).hex()
        self.s3.create_bucket(Bucket=self.bucket)
        return server

    def assertServing(self):
        self.assertTrue(self.server.alive(), "cairn died: exit %s\n%s"
                        % (self.server.proc.returncode, self.server.log_tail()))
        self.s3.put_object(Bucket=self.bucket, Key="probe", Body=b"still here")
        got = self.s3.get_object(Bucket=self.bucket, Key="probe")["Body"].read()
        self.assertEqual(got, b"still here")

    def assertQuietLog(self):
        """No warning or error line about a client that reset its connection."""
        log = self.server.log_tail(200000)
        noisy = [line for line in log.splitlines()
                 if any(n in line for n in RESET_NOISE) and "debug" not in line]
        self.assertEqual(noisy, [], "reset clients were logged:\n" + "\n".join(noisy[:5]))

    def put_big(self, key, size=BIG):
        self.s3.put_object(Bucket=self.bucket, Key=key, Body=b"\xa5" * size)
        return s3sig.key_path(self.bucket, key)


class ResetTests(OwnServer):
    """Item 0: a reset during a response ends that connection, never the server."""

    def setUp(self):
        self.console_port = cairn_server.free_port()
        self.start_server(["--console-listen", "127.0.0.1:%d" % self.console_port])

    def test_reset_during_large_get(self):
        # A reader that keeps up, then resets: the reset lands while sendfile is busy, whose
        # next call then fails with EPIPE (SIGPIPE by default).
        path = self.put_big("big")
        for i in range(8):
            s = socket.create_connection((self.t.host, self.t.port), timeout=10)
            s.sendall(get_head(self.t, path))
            received, want = 0, (i % 4 + 1) * 4 * MiB
            while received < want:
                received += len(s.recv(MiB))
            reset(s)
            time.sleep(0.2)
            self.assertTrue(self.server.alive(), "cairn died: exit %s"
                            % self.server.proc.returncode)
        self.assertServing()
        self.assertQuietLog()

    def test_reset_during_presigned_get(self):
        path = self.put_big("shared")
        query = self.t.signer().presign("GET", self.t.netloc, path)
        for _ in range(2):
            s = small_receive_buffer_socket(self.t)
            s.sendall(("GET %s?%s HTTP/1.1\r\nHost: %s\r\n\r\n"
                       % (path, query, self.t.netloc)).encode())
            self.assertTrue(s.recv(4096).startswith(b"HTTP/1.1 200"))
            reset(s)
            time.sleep(0.3)
        self.assertServing()
        self.assertQuietLog()

    def test_reset_during_put_responses(self):
        # The request is sent whole, then reset before the server's response: the response meets
        # a reset connection (or the read does, whichever the kernel lets the server see first).
        for i in range(20):
            path = s3sig.key_path(self.bucket, "put-%d" % i)
            body = b"p" * 100000
            s = socket.create_connection((self.t.host, self.t.port), timeout=10)
            s.sendall(signed_head(self.t, "PUT", path, {"Content-Length": str(len(body))}) + body)
            if i % 2:
                time.sleep(0.01)
            reset(s)
        time.sleep(0.3)
        self.assertServing()
        self.assertQuietLog()

    def test_reset_against_console(self):
        page = cairn_server.urlopen("http://127.0.0.1:%d/_cairn/ui/" % self.console_port)
        self.assertEqual(page.status, 200)
        console = cairn_server.Target("http://127.0.0.1:%d" % self.console_port, None, None)
        for _ in range(20):
            s = small_receive_buffer_socket(console)
            s.sendall(b"GET /_cairn/ui/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n" * 8)
            s.recv(100)
            reset(s)
        time.sleep(0.3)
        page = cairn_server.urlopen("http://127.0.0.1:%d/_cairn/ui/" % self.console_port)
        self.assertEqual(page.status, 200)
        self.assertServing()
        self.assertQuietLog()


class StalledReaderTests(OwnServer):
    """Item 4: a reader that stops holds neither its connection nor a deleted object's blob."""
    server_args = ("--io-timeout-seconds", "2")

    def test_stalled_get_is_closed_and_deleted_blob_freed(self):
        self.start_server()
        path = self.put_big("stalled")
        s = small_receive_buffer_socket(self.t)
        self.addCleanup(s.close)
        s.sendall(get_head(self.t, path))
        self.assertTrue(s.recv(4096).startswith(b"HTTP/1.1 200"))
        self.s3.delete_object(Bucket=self.bucket, Key="stalled")
        # The stalled reader keeps the blob for now: it may still read it.
        self.assertEqual(cairn_server.data_usage(self.server).files, 1)
        start = time.monotonic()
        usage = cairn_server.wait_usage(self.server, lambda u: u.files == 0, timeout=20)
        self.assertEqual(usage.files, 0, "the deleted object's blob is still held")
        self.assertLess(time.monotonic() - start, 15)
        # The server closed the connection: what it had sent drains, then end of stream.
        received = 0
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            chunk = s.recv(1 << 20)
            if not chunk:
                break
            received += len(chunk)
        else:
            self.fail("the connection is still open")
        self.assertLess(received, BIG)
        self.assertServing()


class ConnectionLimitTests(OwnServer):
    """Item 5: at the descriptor limit the server neither spins nor floods its log, and a
    connection beyond --max-connections gets a clean 503."""

    @staticmethod
    def nofile(limit):
        """A context in which children start with RLIMIT_NOFILE `limit` (ours is restored)."""
        class Limit:
            def __enter__(self):
                self.old = resource.getrlimit(resource.RLIMIT_NOFILE)
                resource.setrlimit(resource.RLIMIT_NOFILE, (limit, self.old[1]))

            def __exit__(self, *exc):
                resource.setrlimit(resource.RLIMIT_NOFILE, self.old)
        return Limit

    def flood(self, count=400, seconds=3.0):
        """Opens `count` connections and holds them for `seconds`; returns the server's CPU
        seconds and log growth over that time, and closes them."""
        pid = self.server.proc.pid
        log_before = os.path.getsize(self.server.log_path)
        cpu_before = cpu_seconds(pid)
        conns = []
        try:
            for _ in range(count):
                conns.append(socket.create_connection((self.t.host, self.t.port), timeout=10))
            time.sleep(seconds)
            cpu = cpu_seconds(pid) - cpu_before
            log = os.path.getsize(self.server.log_path) - log_before
        finally:
            for c in conns:
                c.close()
        return cpu, log

    def assertServingSoon(self):
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                if self.server.health(timeout=2) == 200:
                    break
            except OSError:
                time.sleep(0.1)
        self.assertServing()

    def test_flood_at_the_descriptor_limit_with_default_cap(self):
        self.start_server(before_start=self.nofile(256))
        cpu, log = self.flood()
        print("default cap: %.2f s CPU, %d bytes of log in 3 s" % (cpu, log))
        self.assertLess(cpu, 1.0)
        self.assertLess(log, 20000)
        self.assertServingSoon()

    def test_flood_beyond_the_descriptor_limit(self):
        # A cap above what the descriptors allow: accept itself fails (EMFILE) and backs off.
        self.start_server(["--max-connections", "100000"], before_start=self.nofile(256))
        cpu, log = self.flood()
        print("no effective cap: %.2f s CPU, %d bytes of log in 3 s" % (cpu, log))
        self.assertLess(cpu, 1.0)
        self.assertLess(log, 20000)
        self.assertIn("accept failed", self.server.log_tail())
        self.assertServingSoon()

    def test_max_connections_refuses_the_next_with_503(self):
        self.start_server(["--max-connections", "4"])
        held = [socket.create_connection((self.t.host, self.t.port), timeout=10)
                for _ in range(4)]
        try:
            time.sleep(0.2)
            with socket.create_connection((self.t.host, self.t.port), timeout=10) as s:
                s.sendall(b"GET /_cairn/health HTTP/1.1\r\nHost: x\r\n\r\n")
                status, raw = read_response(s, timeout=5)
                self.assertEqual(status, 503, raw)
                self.assertIn(b"<Code>SlowDown</Code>", raw)
                self.assertIn(b"Connection: close", raw)
                self.assertEqual(s.recv(100), b"")  # and closed
        finally:
            for c in held:
                c.close()
        time.sleep(0.3)
        self.assertServing()


class TransferCodingTests(OwnServer):
    """Item 8: a transfer coding other than chunked is refused with 501, not ignored."""

    def test_gzip_chunked_and_gzip_are_refused(self):
        self.start_server()
        for coding in ("gzip, chunked", "gzip", "chunked, chunked", "deflate,chunked"):
            with self.subTest(coding=coding):
                path = s3sig.key_path(self.bucket, "coded")
                with socket.create_connection((self.t.host, self.t.port), timeout=10) as s:
                    s.sendall(signed_head(self.t, "PUT", path, {"Transfer-Encoding": coding}) +
                              b"5\r\nhello\r\n0\r\n\r\n")
                    status, raw = read_response(s, timeout=5)
                    self.assertEqual(status, 501, raw)
                    self.assertIn(b"<Code>NotImplemented</Code>", raw)
                    self.assertIn(b"Connection: close", raw)
                    self.assertEqual(s.recv(100), b"")  # the connection is closed
                r = cairn_server.raw_request("HEAD", path, t=self.t)
                self.assertEqual(r.status, 404)
        # Plain chunked still works.
        path = s3sig.key_path(self.bucket, "chunked")
        with socket.create_connection((self.t.host, self.t.port), timeout=10) as s:
            s.sendall(signed_head(self.t, "PUT", path, {"Transfer-Encoding": "Chunked"}) +
                      b"5\r\nhello\r\n0\r\n\r\n")
            status, raw = read_response(s, timeout=5)
            self.assertEqual(status, 200, raw)
        self.assertEqual(self.s3.get_object(Bucket=self.bucket, Key="chunked")["Body"].read(),
                         b"hello")


class ShutdownTests(OwnServer):
    """Item 9: SIGTERM stops accepting, lets requests in flight finish, and exits 0."""

    def slow_put(self, key, size):
        """Starts a PUT of `size` bytes and sends its first byte; returns (socket, path)."""
        path = s3sig.key_path(self.bucket, key)
        s = socket.create_connection((self.t.host, self.t.port), timeout=10)
        self.addCleanup(s.close)
        s.sendall(signed_head(self.t, "PUT", path, {"Content-Length": str(size)}) + b"s")
        return s, path

    def signal_later(self, delay, how):
        """Calls how() on a thread after `delay` seconds; returns the thread."""
        def run():
            time.sleep(delay)
            how()
        th = threading.Thread(target=run, daemon=True)
        th.start()
        return th

    def test_upload_in_flight_completes(self):
        server = self.start_server()
        idle = socket.create_connection((self.t.host, self.t.port), timeout=10)
        self.addCleanup(idle.close)
        s, path = self.slow_put("slow", 20)
        stopper = self.signal_later(0.5, lambda: server.stop(timeout=20))
        for _ in range(19):  # the rest of the body over ~2 s
            time.sleep(0.1)
            s.sendall(b"s")
        time.sleep(0.1)
        # After the SIGTERM nobody new gets in...
        with self.assertRaises(OSError):
            socket.create_connection((self.t.host, self.t.port), timeout=2).close()
        # ...an idle kept-alive connection was closed...
        idle.settimeout(2)
        self.assertEqual(idle.recv(100), b"")
        # ...and the upload in flight finished.
        status, raw = read_response(s)
        self.assertEqual(status, 200, raw)
        self.assertIn(b"Connection: close", raw)
        stopper.join(25)
        self.assertEqual(server.proc.returncode, 0, server.log_tail())
        server.start()
        self.assertEqual(self.s3.get_object(Bucket=self.bucket, Key="slow")["Body"].read(),
                         b"s" * 20)

    def test_idle_connections_do_not_delay_the_exit(self):
        server = self.start_server()
        idle = [socket.create_connection((self.t.host, self.t.port), timeout=10)
                for _ in range(5)]
        for c in idle:
            self.addCleanup(c.close)
        start = time.monotonic()
        server.stop(timeout=20)
        self.assertLess(time.monotonic() - start, 2)
        self.assertEqual(server.proc.returncode, 0, server.log_tail())

    def test_idle_tls_connections_do_not_delay_the_exit(self):
        # A TLS close waits for the client's close_notify, which an idle client never sends.
        if not shutil.which("openssl"):
            self.skipTest("openssl not installed")
        server = cairn_server.CairnServer(name="connections", scheme="https")
        self.addCleanup(server.cleanup)
        cert, key = make_cert(server.workdir)
        server.extra_args = ["--tls-cert", cert, "--tls-key", key]
        server.start()
        context = ssl._create_unverified_context()
        for _ in range(3):
            c = context.wrap_socket(socket.create_connection(("127.0.0.1", server.port), timeout=10))
            self.addCleanup(c.close)
            c.sendall(b"GET /_cairn/health HTTP/1.1\r\nHost: x\r\n\r\n")
            self.assertTrue(c.recv(100).startswith(b"HTTP/1.1 200"))
        start = time.monotonic()
        server.stop(timeout=20)
        self.assertLess(time.monotonic() - start, 2)
        self.assertEqual(server.proc.returncode, 0, server.log_tail())

    def test_grace_period_bounds_a_stalled_upload(self):
        server = self.start_server(["--shutdown-grace-seconds", "1"])
        s, _ = self.slow_put("stalled", 1000)
        time.sleep(0.2)
        start = time.monotonic()
        stopper = self.signal_later(0, lambda: server.stop(timeout=10))
        time.sleep(0.5)
        self.assertTrue(server.alive(), "exited before the grace period was over")
        stopper.join(15)
        took = time.monotonic() - start
        self.assertLess(took, 2.5)
        self.assertEqual(server.proc.returncode, 0, server.log_tail())
        status, raw = read_response(s, timeout=2)
        self.assertNotEqual(status, 200, raw)
        server.start()
        with self.assertRaises(Exception):
            self.s3.head_object(Bucket=self.bucket, Key="stalled")

    def test_second_signal_exits_at_once(self):
        server = self.start_server()
        self.slow_put("stalled", 1000)
        time.sleep(0.2)
        stopper = self.signal_later(0, lambda: server.stop(timeout=10))  # the first SIGTERM
        time.sleep(0.5)
        self.assertTrue(server.alive(), "exited before the upload finished")
        start = time.monotonic()
        server.proc.send_signal(signal.SIGTERM)
        stopper.join(15)
        self.assertLess(time.monotonic() - start, 1)
        self.assertEqual(server.proc.returncode, 128 + signal.SIGTERM)


def tearDownModule():
    cairn_server.shutdown()


if __name__ == "__main__":
    cairn_server.main()
