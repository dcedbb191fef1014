"""What cairn tells about itself: GET /_cairn/metrics (Prometheus' text format, for the admin key
only), the same without credentials on --metrics-listen, and the --access-log JSON lines. The
numbers are checked against requests the test made itself."""
import http.client
import json
import os
import re
import socket
import time
import unittest

import cairn_server
from cairn_server import CairnServer, free_port, raw_request


def parse_metrics(text):
    """{(name, frozenset(labels)): value} of a Prometheus text page."""
    out = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        m = re.match(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([^}]*)\})? (\S+)$', line)
        if not m:
            raise AssertionError("not a metrics line: %r" % line)
        labels = frozenset(re.findall(r'(\w+)="((?:[^"\\]|\\.)*)"', m.group(3) or ""))
        out[(m.group(1), labels)] = float(m.group(4))
    return out


def value(metrics, name, **labels):
    return metrics.get((name, frozenset(labels.items())), 0.0)


class OwnServer(unittest.TestCase):
    extra_args = ()

    def setUp(self):
        if cairn_server.external():
            self.skipTest("starts its own cairn")
        self.server = CairnServer(name="observability", extra_args=self.extra_args)
        self.addCleanup(self.server.cleanup)
        self.server.start()
        self.t = self.server.target()
        self.s3 = cairn_server.client(self.t)

    def metrics(self):
        r = raw_request("GET", "/_cairn/metrics", t=self.t)
        self.assertEqual(r.status, 200, r)
        self.assertTrue(r.header("Content-Type").startswith("text/plain; version=0.0.4"))
        return parse_metrics(r.body.decode())


class MetricsTests(OwnServer):
    extra_args = (cairn_server.TEST_HOOKS,)

    def test_metrics_need_the_admin_key(self):
        r = raw_request("GET", "/_cairn/metrics", t=self.t, sign=False)
        self.assertEqual(r.status, 403)
        self.assertEqual(r.error_code(), "AccessDenied")
        other = self.t.signer()
        other.secret_key = "wrong"
        r = raw_request("GET", "/_cairn/metrics", t=self.t, signer=other)
        self.assertEqual(r.status, 403)

    def test_requests_bytes_fsyncs_and_metadata_calls_are_counted(self):
        self.s3.create_bucket(Bucket="counted")
        before = self.metrics()
        body = os.urandom(100_000)
        for i in range(3):
            self.s3.put_object(Bucket="counted", Key="k%d" % i, Body=body)
        with self.assertRaises(Exception):
            self.s3.get_object(Bucket="counted", Key="missing")
        self.assertEqual(self.s3.get_object(Bucket="counted", Key="k0")["Body"].read(), body)
        after = self.metrics()
        delta = lambda name, **l: value(after, name, **l) - value(before, name, **l)
        self.assertEqual(delta("cairn_requests_total", operation="PutObject", status="200"), 3)
        self.assertEqual(delta("cairn_requests_total", operation="GetObject", status="404"), 1)
        self.assertEqual(delta("cairn_requests_total", operation="GetObject", status="200"), 1)
        self.assertEqual(delta("cairn_request_duration_seconds_count", operation="PutObject"), 3)
        self.assertGreaterEqual(delta("cairn_received_bytes_total"), 3 * len(body))
        self.assertGreaterEqual(delta("cairn_sent_bytes_total"), len(body))
        self.assertGreaterEqual(delta("cairn_fsync_duration_seconds_count", kind="file"), 3)
        self.assertGreaterEqual(delta("cairn_metadata_duration_seconds_count", call="PutObject"), 3)
        self.assertGreater(value(after, "cairn_disk_free_bytes"), 0)
        # The request that fetched the page is the one in flight.
        self.assertEqual(value(after, "cairn_requests_in_flight"), 1)

    def test_in_flight_counts_an_upload_that_is_still_sending(self):
        self.s3.create_bucket(Bucket="slow")
        sock = socket.create_connection(("127.0.0.1", self.t.port), timeout=10)
        self.addCleanup(sock.close)
        headers = {"host": self.t.netloc, "content-length": "1000000"}
        signed, _ = self.t.signer().sign("PUT", "/slow/partial", [], headers, "UNSIGNED-PAYLOAD")
        head = "PUT /slow/partial HTTP/1.1\r\n" + "".join("%s: %s\r\n" % kv for kv in signed.items())
        sock.sendall(head.encode() + b"\r\n" + b"x" * 1000)
        deadline = time.monotonic() + 10
        while value(self.metrics(), "cairn_requests_in_flight") < 2:
            self.assertLess(time.monotonic(), deadline, "the upload is never counted in flight")
            time.sleep(0.05)
        sock.close()
        while value(self.metrics(), "cairn_requests_in_flight") != 1:
            self.assertLess(time.monotonic(), deadline, "the broken upload stays in flight")
            time.sleep(0.05)

    def test_lifecycle_sweeps_are_counted(self):
        self.s3.create_bucket(Bucket="swept")
        self.s3.create_multipart_upload(Bucket="swept", Key="old")
        before = self.metrics()
        cairn_server.advance_clock(8 * 86400, t=self.t)
        self.assertEqual(cairn_server.sweep(t=self.t)["aborted_uploads"], 1)
        after = self.metrics()
        self.assertEqual(value(after, "cairn_lifecycle_aborted_uploads_total")
                         - value(before, "cairn_lifecycle_aborted_uploads_total"), 1)
        self.assertGreaterEqual(value(after, "cairn_lifecycle_sweep_duration_seconds_count"), 1)


class MetricsListenTests(OwnServer):
    def setUp(self):
        self.metrics_port = free_port()
        self.extra_args = ("--metrics-listen", "127.0.0.1:%d" % self.metrics_port)
        super().setUp()

    def get(self, path):
        conn = http.client.HTTPConnection("127.0.0.1", self.metrics_port, timeout=10)
        try:
            conn.request("GET", path)
            resp = conn.getresponse()
            return resp, resp.read().decode()
        finally:
            conn.close()

    def test_metrics_address_needs_no_credentials_and_serves_only_metrics(self):
        self.s3.create_bucket(Bucket="listed")
        resp, text = self.get("/metrics")
        self.assertEqual(resp.status, 200)
        metrics = parse_metrics(text)
        self.assertEqual(value(metrics, "cairn_requests_total", operation="CreateBucket", status="200"), 1)
        resp, _ = self.get("/listed")
        self.assertEqual(resp.status, 404)
        # The S3 address still wants the admin key for its copy of the page.
        self.assertEqual(raw_request("GET", "/_cairn/metrics", t=self.t, sign=False).status, 403)
        with open(self.server.log_path) as log:
            self.assertIn("metrics:        http://127.0.0.1:%d/metrics" % self.metrics_port, log.read())


class AccessLogTests(OwnServer):
    def setUp(self):
        self.log_dir = cairn_server.tempfile.mkdtemp(prefix="cairn-access-")
        self.addCleanup(cairn_server.shutil.rmtree, self.log_dir, ignore_errors=True)
        self.log_file = os.path.join(self.log_dir, "access.log")
        self.extra_args = ("--access-log", self.log_file)
        super().setUp()

    def lines(self, count, timeout=10):
        deadline = time.monotonic() + timeout
        while True:
            with open(self.log_file) as f:
                lines = [json.loads(line) for line in f if line.strip()]
            # The harness polled the health check while the server started.
            lines = [line for line in lines if line["operation"] != "Health"]
            if len(lines) >= count or time.monotonic() > deadline:
                return lines
            time.sleep(0.05)

    def test_one_json_line_per_request(self):
        self.s3.create_bucket(Bucket="logged")
        self.s3.put_object(Bucket="logged", Key="dir/día 1.txt", Body=b"12345")
        with self.assertRaises(Exception):
            self.s3.head_object(Bucket="logged", Key="missing")
        lines = self.lines(3)
        self.assertEqual(len(lines), 3, lines)
        create, put, head = lines
        self.assertEqual((create["operation"], create["status"], create["bucket"]), ("CreateBucket", 200, "logged"))
        self.assertEqual(put["operation"], "PutObject")
        self.assertEqual(put["key"], "dir/día 1.txt")
        self.assertEqual(put["status"], 200)
        self.assertGreaterEqual(put["bytes_received"], 5)
        self.assertGreater(put["bytes_sent"], 0)
        self.assertEqual((head["operation"], head["status"]), ("HeadObject", 404))
        for line in lines:
            self.assertRegex(line["request_id"], r"^[0-9A-F]{16}$")
            self.assertTrue(line["remote_address"].startswith("127.0.0.1"), line)
            self.assertGreater(line["duration_ms"], 0)
            self.assertRegex(line["time"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
        # Each signed request names its key, and no line carries the secret.
        self.assertEqual({line["access_key_id"] for line in lines}, {self.server.access_key})
        with open(self.log_file) as f:
            self.assertNotIn(self.server.secret_key, f.read())
        # The request id in the log is the one the client saw.
        r = self.s3.put_object(Bucket="logged", Key="again", Body=b"x")
        self.assertEqual(self.lines(4)[-1]["request_id"], r["ResponseMetadata"]["RequestId"])


if __name__ == "__main__":
    cairn_server.main()
