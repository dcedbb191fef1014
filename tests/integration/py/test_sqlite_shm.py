"""A metadata -shm file that shrinks under a running cairn (issue 12, item 8).

SQLite maps DATA/meta.sqlite3-shm (the WAL index) into memory; truncated while mapped, the next
access raises SIGBUS inside SQLite, which no SQLite call can turn into an error (see
src/meta/sqlite/mapping_fault.h for the alternatives measured). The process used to die of it
without a word. Now the server log says what happened and which file, the process still ends
(killed by SIGBUS), and a restart on the same data dir serves everything stored before.
A -shm file whose contents are overwritten (not shortened) is rebuilt by SQLite: no fault."""
import os
import time
import unittest

import cairn_server


def tearDownModule():
    cairn_server.shutdown()


@unittest.skipIf(cairn_server.external(), "damages the data dir of a cairn it starts itself")
class ShmFaultTests(unittest.TestCase):

    def setUp(self):
        self.server = cairn_server.CairnServer(name="sqlite-shm")
        self.addCleanup(self.server.cleanup)
        self.server.start()
        self.s3 = cairn_server.client(self.server.target())
        self.s3.create_bucket(Bucket="shm-test")
        self.bodies = {"k%d" % i: os.urandom(1000 * (i + 1)) for i in range(3)}
        for key, body in self.bodies.items():
            self.s3.put_object(Bucket="shm-test", Key=key, Body=body)
        self.shm = os.path.join(self.server.data_dir, "meta.sqlite3-shm")

    def requests_until_death(self, seconds=20):
        """Writes and lists until the server dies (or `seconds` pass); the exit status."""
        deadline = time.monotonic() + seconds
        i = 0
        while self.server.alive() and time.monotonic() < deadline:
            i += 1
            try:
                self.s3.put_object(Bucket="shm-test", Key="after-%d" % i, Body=b"x")
                self.s3.list_objects_v2(Bucket="shm-test")
            except Exception:  # the connection breaks when the process dies
                time.sleep(0.05)
        try:
            return self.server.proc.wait(timeout=5)
        except Exception:
            return None

    def test_truncated_shm_is_logged_before_the_process_ends(self):
        os.truncate(self.shm, 0)
        status = self.requests_until_death()
        self.assertIsNotNone(status, "cairn still runs with a truncated -shm file")
        self.assertNotEqual(status, 0)
        log = self.server.log_tail(10000)
        self.assertIn("SIGBUS", log)
        self.assertIn(self.shm, log, "the log does not name the -shm file")
        # A restart rebuilds the WAL index: everything acknowledged before is there.
        self.server.start()
        s3 = cairn_server.client(self.server.target())
        for key, body in self.bodies.items():
            self.assertEqual(s3.get_object(Bucket="shm-test", Key=key)["Body"].read(), body)

    def test_overwritten_shm_is_rebuilt_and_serving_goes_on(self):
        size = os.path.getsize(self.shm)
        with open(self.shm, "r+b") as f:
            f.write(os.urandom(size))
        for i in range(5):
            self.s3.put_object(Bucket="shm-test", Key="more-%d" % i, Body=b"y")
        keys = [o["Key"] for o in self.s3.list_objects_v2(Bucket="shm-test")["Contents"]]
        self.assertEqual(keys, sorted(list(self.bodies) + ["more-%d" % i for i in range(5)]))
        self.assertTrue(self.server.alive())


if __name__ == "__main__":
    cairn_server.main()
