"""Debian's rclone with an object-rw key limited to one bucket (docs/access-keys.md): with
`no_check_bucket = true` it copies into the bucket and lists it; it cannot reach another bucket.
Without no_check_bucket rclone may first try to create the bucket, which an object key may not do;
what rclone makes of that refusal depends on its version, so that run is only reported."""
import hashlib
import os
import secrets
import shutil
import tempfile
import unittest

import cairn_server
import rclone_support
from admin_api import AccessTestCase
from rclone_support import RCLONE


def tearDownModule():
    cairn_server.shutdown()


@unittest.skipUnless(os.path.exists(RCLONE), "rclone is not installed")
class ScopedRcloneTests(AccessTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.bucket = "rclone-scoped-" + secrets.token_hex(4)
        cls.other = "rclone-other-" + secrets.token_hex(4)
        for b in (cls.bucket, cls.other):
            cls.s3.create_bucket(Bucket=b)
        cls.key = cls.admin.create_key("object-rw", name="rclone", buckets=[cls.bucket])
        cls.work = tempfile.mkdtemp(prefix="cairn-rclone-scoped-")
        cls.config = os.path.join(cls.work, "rclone.conf")
        remote = rclone_support.remote(cls.key.access_key, cls.key.secret_key, cls.t.endpoint)
        with open(cls.config, "w") as f:
            f.write("[scoped]\n" + remote + "no_check_bucket = true\n\n")
            f.write("[checking]\n" + remote)
        cls.env = rclone_support.environment(cls.work)
        cls.folder = os.path.join(cls.work, "site")
        cls.files = {"index.html": b"<h1>home</h1>\n", "img/logo.png": os.urandom(70_000),
                     "css/site.css": b"body{}\n"}
        for rel, data in cls.files.items():
            p = os.path.join(cls.folder, rel)
            os.makedirs(os.path.dirname(p), exist_ok=True)
            with open(p, "wb") as f:
                f.write(data)

    @classmethod
    def tearDownClass(cls):
        for b in (cls.bucket, cls.other):
            cls.empty_and_delete(b)
        shutil.rmtree(cls.work, ignore_errors=True)
        super().tearDownClass()

    def rclone(self, *args):
        return rclone_support.run(self.config, self.env, args)

    def keys(self, bucket):
        return sorted(o["Key"] for o in
                      self.s3.list_objects_v2(Bucket=bucket).get("Contents", []))

    def test_copy_and_lsf_with_no_check_bucket(self):
        p = self.rclone("copy", self.folder, "scoped:%s/site" % self.bucket)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(self.keys(self.bucket), sorted("site/" + k for k in self.files))
        for rel, data in self.files.items():
            got = self.s3.get_object(Bucket=self.bucket, Key="site/" + rel)["Body"].read()
            self.assertEqual(hashlib.md5(got).digest(), hashlib.md5(data).digest(), rel)
        p = self.rclone("lsf", "-R", "scoped:%s/site" % self.bucket)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(sorted(x for x in p.stdout.split() if not x.endswith("/")),
                         sorted(self.files))
        p = self.rclone("check", self.folder, "scoped:%s/site" % self.bucket)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("0 differences found", p.stderr)

    def test_copy_one_file_with_no_check_bucket(self):
        # The case that needs no_check_bucket: for a single file rclone lists nothing first, so
        # without it rclone would ask to create the bucket.
        p = self.rclone("copy", os.path.join(self.folder, "index.html"),
                        "scoped:%s/single" % self.bucket)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(self.s3.get_object(Bucket=self.bucket, Key="single/index.html")
                         ["Body"].read(), self.files["index.html"])

    def test_another_bucket_is_refused(self):
        p = self.rclone("copy", self.folder, "scoped:%s/site" % self.other)
        self.assertNotEqual(p.returncode, 0, p.stdout)
        self.assertIn("AccessDenied", p.stderr)
        self.assertEqual(self.keys(self.other), [])
        p = self.rclone("lsf", "scoped:" + self.other)
        self.assertNotEqual(p.returncode, 0, p.stdout)

    def test_listing_buckets_is_refused(self):
        p = self.rclone("lsd", "scoped:")
        self.assertNotEqual(p.returncode, 0, p.stdout)
        self.assertIn("AccessDenied", p.stderr)

    def test_without_no_check_bucket(self):
        # Without no_check_bucket rclone asks to create the bucket before it writes (refused:
        # AccessDenied) unless a listing of the destination already told it the bucket exists:
        # rclone 1.60 fails a single-file copy and completes a folder copy. What other versions
        # do differs, so the outcome is only reported; what lands is what rclone said it copied.
        for name, source in (("file", os.path.join(self.folder, "index.html")),
                             ("folder", self.folder)):
            p = self.rclone("copy", source, "checking:%s/unchecked-%s" % (self.bucket, name))
            print("rclone copy of a %s without no_check_bucket: exit %d\n%s"
                  % (name, p.returncode, p.stderr[-1000:]))
            landed = [k for k in self.keys(self.bucket) if k.startswith("unchecked-%s/" % name)]
            if p.returncode == 0:
                want = ["index.html"] if name == "file" else self.files
                self.assertEqual(landed, sorted("unchecked-%s/%s" % (name, k) for k in want))
            else:
                self.assertIn("AccessDenied", p.stderr)
                self.assertEqual(landed, [])


if __name__ == "__main__":
    cairn_server.main()
