"""The RADOS blob engine end to end: `serve --blob rados://cairn?conf=...` on a throwaway one-node
Ceph cluster (tests/services/ceph.sh, started by this suite), driven with boto3. Without Ceph the
suite fails and says how to install it: a skipped suite would hide that the engine went untested."""
import hashlib
import os
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cairn_server  # noqa: E402

CEPH_SH = os.path.join(cairn_server.REPO, "tests", "services", "ceph.sh")
MIB = 1 << 20


def rados_objects(conf):
    """The names of the objects in pool cairn, as the cluster lists them."""
    out = subprocess.run(["rados", "-c", conf, "-p", "cairn", "ls"], capture_output=True,
                         text=True, timeout=30, check=True).stdout
    return set(out.split())


class RadosEngineTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if cairn_server.external():
            raise unittest.SkipTest("this suite starts cairn on its own Ceph cluster")
        cls.ceph_dir = tempfile.mkdtemp(prefix="cairn-it-ceph-")
        os.rmdir(cls.ceph_dir)  # ceph.sh wants an absent or empty directory
        started = subprocess.run([CEPH_SH, "start", cls.ceph_dir], capture_output=True, text=True,
                                 timeout=120)
        if started.returncode != 0:
            subprocess.run([CEPH_SH, "stop", cls.ceph_dir], timeout=60)
            raise AssertionError("the Ceph test cluster did not start (Debian's ceph-mon, "
                                 "ceph-osd and ceph-common are needed: scripts/install-deps.sh):\n"
                                 + started.stderr)
        cls.conf = started.stdout.strip()
        cls.server = cairn_server.CairnServer(
            name="rados", extra_args=["--blob", "rados://cairn?conf=" + cls.conf])
        try:
            cls.server.start()
        except Exception:
            cls.server.cleanup()
            subprocess.run([CEPH_SH, "stop", cls.ceph_dir], timeout=60)
            raise
        cls.s3 = cairn_server.client(cls.server.target())
        cls.s3.create_bucket(Bucket="rados")

    @classmethod
    def tearDownClass(cls):
        cls.server.cleanup()
        subprocess.run([CEPH_SH, "stop", cls.ceph_dir], timeout=60)

    def stripes(self):
        return {name for name in rados_objects(self.conf) if not name.startswith("cairn.index.")}

    def test_small_objects_round_trip(self):
        bodies = {"empty": b"", "tiny": b"x", "4k": os.urandom(4096), "1m": os.urandom(MIB + 3)}
        for key, body in bodies.items():
            self.s3.put_object(Bucket="rados", Key="small/" + key, Body=body)
        for key, body in bodies.items():
            got = self.s3.get_object(Bucket="rados", Key="small/" + key)
            self.assertEqual(got["Body"].read(), body, key)
            self.assertEqual(got["ETag"], '"%s"' % hashlib.md5(body).hexdigest(), key)

    def test_a_20_mib_multipart_object_is_striped_and_read_back_whole_and_by_range(self):
        body = os.urandom(20 * MIB + 12345)
        before = self.stripes()
        upload = self.s3.create_multipart_upload(Bucket="rados", Key="big")["UploadId"]
        parts, part_size = [], 5 * MIB
        for number, at in enumerate(range(0, len(body), part_size), start=1):
            etag = self.s3.upload_part(Bucket="rados", Key="big", UploadId=upload,
                                       PartNumber=number, Body=body[at:at + part_size])["ETag"]
            parts.append({"PartNumber": number, "ETag": etag})
        self.s3.complete_multipart_upload(Bucket="rados", Key="big", UploadId=upload,
                                          MultipartUpload={"Parts": parts})
        got = self.s3.get_object(Bucket="rados", Key="big")["Body"].read()
        self.assertEqual(hashlib.sha256(got).hexdigest(), hashlib.sha256(body).hexdigest())
        # A range across the first part boundary and a 4 MiB stripe boundary.
        first, last = 4 * MIB - 100, 5 * MIB + 100
        part = self.s3.get_object(Bucket="rados", Key="big", Range="bytes=%d-%d" % (first, last))
        self.assertEqual(part["Body"].read(), body[first:last + 1])
        # Each part is a blob in 4 MiB stripes: 2 for each 5 MiB part, 1 for the 12345-byte tail.
        self.assertEqual(len(self.stripes() - before), 9)
        # No blob lands in the data dir.
        self.assertEqual(cairn_server.data_usage(self.server).files, 0)
        # Deleting the object removes its stripes (off the request's path: a bounded wait).
        self.s3.delete_object(Bucket="rados", Key="big")
        deadline = time.monotonic() + 15
        while self.stripes() != before and time.monotonic() < deadline:
            time.sleep(0.2)
        self.assertEqual(self.stripes(), before)

    def test_objects_outlive_a_restart(self):
        body = os.urandom(6 * MIB)
        self.s3.put_object(Bucket="rados", Key="kept", Body=body)
        self.server.stop()
        self.server.start()
        got = self.s3.get_object(Bucket="rados", Key="kept")["Body"].read()
        self.assertEqual(hashlib.md5(got).hexdigest(), hashlib.md5(body).hexdigest())

    def test_a_pool_or_conf_that_is_not_there_stops_the_start_with_the_reason(self):
        for url, expected in (("rados://no-such-pool?conf=" + self.conf,
                               "open pool 'no-such-pool' of the cluster of " + self.conf),
                              ("rados://cairn?conf=/nonexistent/ceph.conf",
                               "read the Ceph configuration /nonexistent/ceph.conf"),
                              ("rados://cairn", "conf=/path/to/ceph.conf is required")):
            with tempfile.TemporaryDirectory() as data:
                r = subprocess.run([cairn_server.binary_path(), "serve", "--listen",
                                    "127.0.0.1:%d" % cairn_server.free_port(), "--data-dir", data,
                                    "--blob", url], capture_output=True, text=True, timeout=60)
            self.assertNotEqual(r.returncode, 0, url)
            self.assertIn(expected, r.stderr + r.stdout, url)


if __name__ == "__main__":
    cairn_server.main()
