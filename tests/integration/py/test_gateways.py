"""Several stateless gateways on one PostgreSQL metadata store (`serve --meta postgres://...`):
what one gateway writes, the others serve at once (no stale object from a per-process cache);
access keys created, rotated or revoked on one are honoured by the others within a second; a
PostgreSQL that goes away is answered 503 SlowDown and the gateway reconnects by itself; and
`cairn migrate` brings the schema up to date, while a gateway refuses a schema newer than it knows.

Each test gets its own database on one throwaway PostgreSQL server (pg_service.py), which
fails the suite loudly when it cannot start, and gateways from cairn_cluster.py (the same keys,
blobs in a RADOS pool of their own).
"""
import os
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import admin_api  # noqa: E402
import cairn_cluster  # noqa: E402
import cairn_server  # noqa: E402
import pg_service  # noqa: E402

KEY_PROPAGATION_LIMIT = 1.0  # seconds


class GatewaysOnOnePostgres(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # A server of its own: one test stops it for a while.
        cls.pg = pg_service.PostgresServer()
        cls.addClassCleanup(cls.pg.stop)
        cls.pg.start()

    def database(self):
        return self.pg.new_database()

    def gateways(self, count=2, uri=None, extra_args=()):
        cluster = cairn_cluster.Cluster(count, name="gateways", meta_uri=uri or self.database(),
                                        extra_args=extra_args)
        self.addCleanup(cluster.cleanup)
        return cluster.start().gateways

    def test_a_get_on_one_gateway_sees_a_put_on_the_other_at_once(self):
        a, b = self.gateways()
        s3a, s3b = cairn_server.client(a.target()), cairn_server.client(b.target())
        s3a.create_bucket(Bucket="shared")
        s3a.put_object(Bucket="shared", Key="k", Body=b"version 1")
        for _ in range(2):  # what a per-process cache would keep
            self.assertEqual(s3b.get_object(Bucket="shared", Key="k")["Body"].read(), b"version 1")
        s3a.put_object(Bucket="shared", Key="k", Body=b"version 2")
        self.assertEqual(s3b.get_object(Bucket="shared", Key="k")["Body"].read(), b"version 2")
        self.assertEqual(s3b.head_object(Bucket="shared", Key="k")["ContentLength"], 9)
        s3a.delete_object(Bucket="shared", Key="k")
        with self.assertRaises(s3b.exceptions.NoSuchKey):
            s3b.get_object(Bucket="shared", Key="k")
        # Bucket configuration too: CORS set on one gateway is what the other answers.
        rules = {"CORSRules": [{"AllowedOrigins": ["https://app.example"],
                                "AllowedMethods": ["GET"]}]}
        s3a.put_bucket_cors(Bucket="shared", CORSConfiguration=rules)
        got = s3b.get_bucket_cors(Bucket="shared")["CORSRules"]
        self.assertEqual(got[0]["AllowedOrigins"], ["https://app.example"])

    def wait_for_status(self, server, creds, want, limit):
        """Seconds until a ListBuckets signed with `creds` on `server` answers `want`."""
        started = time.monotonic()
        while True:
            r = cairn_server.raw_request("GET", "/", t=server.target(), signer=creds.signer(
                server.target()))
            if r.status == want:
                return time.monotonic() - started, r
            if time.monotonic() - started > limit + 2:
                self.fail("still %s after %.1f s (wanted %s): %s"
                          % (r.status, time.monotonic() - started, want, r.body[:300]))
            time.sleep(0.02)

    def test_a_key_changed_on_one_gateway_is_honoured_by_the_other_within_a_second(self):
        # The polling below signs with a stale secret many times a second: not a brute force.
        a, b = self.gateways(extra_args=["--auth-failure-limit", "100000"])
        admin_a = admin_api.AdminApi(a.target())
        key = admin_a.create_key("admin-ro", name="propagated")
        took, _ = self.wait_for_status(b, key, 200, KEY_PROPAGATION_LIMIT)
        self.assertLess(took, KEY_PROPAGATION_LIMIT, "a new key reached the other gateway late")

        rotated = admin_a.rotate(key.access_key, grace_seconds=0)
        took, r = self.wait_for_status(b, key, 403, KEY_PROPAGATION_LIMIT)
        self.assertLess(took, KEY_PROPAGATION_LIMIT, "a rotated-out secret kept working")
        self.assertEqual(r.error_code(), "SignatureDoesNotMatch")
        self.wait_for_status(b, rotated, 200, KEY_PROPAGATION_LIMIT)

        admin_a.revoke(key.access_key)
        took, r = self.wait_for_status(b, rotated, 403, KEY_PROPAGATION_LIMIT)
        self.assertLess(took, KEY_PROPAGATION_LIMIT, "a revoked key kept working")
        self.assertEqual(r.error_code(), "InvalidAccessKeyId")
        # And it stays revoked: a later use on B writes no record back.
        time.sleep(0.5)
        self.assertEqual(admin_api.AdminApi(b.target()).request(
            "GET", "keys/" + key.access_key).status, 404)

    def assert_slow_down(self, gateway, requests, within):
        """Each (method, path) is answered 503 SlowDown with Retry-After in under `within` s."""
        for method, path in requests:
            started = time.monotonic()
            r = cairn_server.raw_request(method, path, t=gateway.target(), timeout=60,
                                         body=b"x" if method == "PUT" else b"")
            self.assertEqual(r.status, 503, "%s %s: %s" % (method, path, r.body[:300]))
            self.assertEqual(r.error_code(), "SlowDown")
            self.assertIsNotNone(r.header("Retry-After"))
            self.assertLess(time.monotonic() - started, within, "%s %s" % (method, path))

    def assert_recovers(self, gateway, within):
        """The object written before the trouble is served again within `within` s."""
        deadline = time.monotonic() + within
        while True:
            r = cairn_server.raw_request("GET", "/kept/k", t=gateway.target(), timeout=60)
            if r.status == 200 or time.monotonic() > deadline:
                break
            time.sleep(0.1)
        self.assertEqual((r.status, r.body), (200, b"still here"))
        self.assertTrue(gateway.alive())

    def gateway_with_an_object(self, meta_timeout):
        (gateway,) = self.gateways(1, extra_args=["--meta-pool", "2",
                                                  "--meta-timeout", str(meta_timeout)])
        s3 = cairn_server.client(gateway.target())
        s3.create_bucket(Bucket="kept")
        s3.put_object(Bucket="kept", Key="k", Body=b"still here")
        return gateway

    def test_an_unreachable_postgres_is_slow_down_and_the_gateway_recovers(self):
        gateway = self.gateway_with_an_object(meta_timeout=5)
        self.pg.pause()
        try:
            self.assert_slow_down(gateway, (("GET", "/kept/k"), ("GET", "/"), ("PUT", "/kept/new")),
                                  within=10)
        finally:
            self.pg.resume()
        self.assert_recovers(gateway, within=10)

    def test_a_postgres_that_stops_answering_is_slow_down_and_the_gateway_recovers(self):
        # Frozen, the server keeps its connections open and answers nothing: no request may wait
        # for it forever (--meta-timeout and 2 s for a statement, as long again for a reconnect,
        # then 503), and once it answers again the gateway reconnects by itself.
        gateway = self.gateway_with_an_object(meta_timeout=2)
        self.pg.freeze()
        try:
            self.assert_slow_down(gateway, (("GET", "/kept/k"), ("PUT", "/kept/new"),
                                            ("GET", "/kept/k")), within=15)
        finally:
            self.pg.thaw()
        self.assert_recovers(gateway, within=15)

    def migrate(self, uri):
        return subprocess.run([cairn_server.binary_path(), "migrate", "--meta", uri],
                              capture_output=True, timeout=60)

    def test_migrate_brings_the_schema_up_and_a_newer_schema_stops_the_gateway(self):
        uri = self.database()
        first = self.migrate(uri)
        self.assertEqual(first.returncode, 0, first.stderr)
        self.assertRegex(first.stdout.decode(), r"^metadata schema: version 0 -> \d+\n$")
        latest = first.stdout.decode().split()[-1]
        again = self.migrate(uri)
        self.assertEqual(again.returncode, 0, again.stderr)
        self.assertEqual(again.stdout.decode(), "metadata schema: already at version %s\n" % latest)
        self.gateways(1, uri=uri)  # a migrated store serves

        self.pg.query("UPDATE cairn_schema SET version = version + 1", pg_service.database_of(uri))
        refused = self.migrate(uri)
        self.assertEqual(refused.returncode, 1)
        self.assertIn("newer than this cairn understands", refused.stderr.decode())
        with tempfile.TemporaryDirectory() as data:
            r = subprocess.run([cairn_server.binary_path(), "serve", "--listen", "127.0.0.1:0",
                                "--data-dir", data, "--meta", uri], capture_output=True,
                               timeout=60)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("newer than this cairn understands", r.stderr.decode())

    def test_migrate_on_sqlite_and_postgres_only_flags_refused_there(self):
        with tempfile.TemporaryDirectory() as data:
            db = os.path.join(data, "meta.sqlite3")
            r = self.migrate("sqlite://" + db)
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertRegex(r.stdout.decode(), r"^metadata schema: version 0 -> \d+\n$")
            r = subprocess.run([cairn_server.binary_path(), "serve", "--listen", "127.0.0.1:0",
                                "--data-dir", data, "--meta-pool", "4"], capture_output=True,
                               timeout=60)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("--meta-pool and --meta-timeout apply to a postgres:// metadata engine only",
                      r.stderr.decode())


if __name__ == "__main__":
    unittest.main()
