"""Storage engines chosen by URL: `serve --meta sqlite:///path --blob file:///path|mem://`."""
import hashlib
import os
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cairn_server  # noqa: E402


class EngineUrlTests(cairn_server.CairnTestCase):
    def serve(self, *args):
        server = cairn_server.CairnServer(name="engines", extra_args=list(args))
        self.addCleanup(server.cleanup)
        server.start()
        return server, cairn_server.client(server.target())

    def round_trip(self, s3):
        s3.create_bucket(Bucket="engines")
        small, large = b"inline bytes", os.urandom(3 << 20)
        for key, body in (("small", small), ("large", large)):
            s3.put_object(Bucket="engines", Key=key, Body=body)
            got = s3.get_object(Bucket="engines", Key=key)
            self.assertEqual(got["Body"].read(), body)
            self.assertEqual(got["ETag"], '"%s"' % hashlib.md5(body).hexdigest())
        part = s3.get_object(Bucket="engines", Key="large", Range="bytes=1000-1999")
        self.assertEqual(part["Body"].read(), large[1000:2000])
        return large

    def test_memory_blobs_keep_nothing_on_disk(self):
        server, s3 = self.serve("--blob", "mem://")
        self.round_trip(s3)
        self.assertEqual(cairn_server.data_usage(server).files, 0, "no blob file was written")

    def test_files_and_database_where_the_urls_say(self):
        elsewhere = tempfile.mkdtemp(prefix="cairn-engines-")
        self.addCleanup(subprocess.run, ["rm", "-rf", elsewhere])
        db = os.path.join(elsewhere, "my meta.sqlite3")
        server, s3 = self.serve("--meta", "sqlite://" + db.replace(" ", "%20"),
                                "--blob", "file://" + os.path.join(elsewhere, "blobs-root"))
        large = self.round_trip(s3)
        self.assertTrue(os.path.exists(db))
        self.assertFalse(os.path.exists(os.path.join(server.data_dir, "meta.sqlite3")))
        stored = [os.path.join(r, n) for r, _, names in
                  os.walk(os.path.join(elsewhere, "blobs-root", "blobs")) for n in names]
        self.assertEqual(len(stored), 1)
        with open(stored[0], "rb") as f:
            self.assertEqual(f.read(), large)

    def test_a_url_no_engine_takes_stops_the_start(self):
        for flag, url, expected in (("--meta", "mysql://db/cairn", "--meta wants sqlite:///"),
                                    # An engine cairn has, which cannot be reached: said so.
                                    ("--meta", "postgres://127.0.0.1:1/cairn",
                                     "metadata store: postgres: connection to server"),
                                    ("--blob", "s3://bucket", "--blob wants file:///"),
                                    ("--blob", "mem", "--blob wants")):
            with tempfile.TemporaryDirectory() as data:
                r = subprocess.run([cairn_server.binary_path(), "serve", "--listen",
                                    "127.0.0.1:0", "--data-dir", data, flag, url],
                                   capture_output=True, timeout=30)
                self.assertNotEqual(r.returncode, 0, url)
                self.assertIn(expected, r.stderr.decode(), url)


if __name__ == "__main__":
    unittest.main()
