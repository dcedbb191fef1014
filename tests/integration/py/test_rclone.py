"""Debian's rclone against cairn, configured as the R2 guide says (provider Other, path style,
region auto): copy a file and a folder, ls, cat, check, copy back."""
import base64
import filecmp
import hashlib
import os
import shutil
import subprocess
import tempfile
import unittest

import cairn_server
import rclone_support
import s3sig
from rclone_support import RCLONE, TIMEOUT


def tearDownModule():
    cairn_server.shutdown()


@unittest.skipUnless(os.path.exists(RCLONE), "rclone is not installed")
class RcloneTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.t = cairn_server.target()
        cls.s3 = cairn_server.client(cls.t)
        cls.work = tempfile.mkdtemp(prefix="cairn-rclone-")
        cls.config = os.path.join(cls.work, "rclone.conf")
        with open(cls.config, "w") as f:
            f.write("[r2]\n" + rclone_support.remote(cls.t.access_key, cls.t.secret_key,
                                                     cls.t.endpoint) + "acl = private\n")
        cls.env = rclone_support.environment(cls.work)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.work, ignore_errors=True)

    def rclone(self, *args, check=True):
        p = rclone_support.run(self.config, self.env, args, insecure=self.t.scheme == "https")
        if check and p.returncode != 0:
            self.fail("rclone %s failed (%d):\nstdout: %s\nstderr: %s"
                      % (" ".join(args), p.returncode, p.stdout[-3000:], p.stderr[-3000:]))
        return p

    def bucket(self):
        name = "rclone-" + os.urandom(4).hex()
        self.s3.create_bucket(Bucket=name)
        self.addCleanup(self.rclone, "purge", "r2:" + name, check=False)
        return name

    def make_folder(self):
        folder = os.path.join(self.work, "folder-" + os.urandom(3).hex())
        files = {"one.txt": b"first file\n", "nested/two.bin": os.urandom(300_000),
                 "nested/deeper/three.txt": b"third\n", "with space.txt": b"spaced\n",
                 "ünï.txt": "unicode name\n".encode()}
        for rel, data in files.items():
            p = os.path.join(folder, rel)
            os.makedirs(os.path.dirname(p), exist_ok=True)
            with open(p, "wb") as f:
                f.write(data)
        return folder, files

    def remote_with(self, name, lines):
        """A second remote `name` on the same server, with extra configuration `lines`."""
        with open(self.config, "a") as f:
            f.write("\n[%s]\n" % name + rclone_support.remote(
                self.t.access_key, self.t.secret_key, self.t.endpoint) + lines)

    def test_acls(self):
        """acl = private (this suite's remote, the guide's) is accepted; public-read on objects is
        refused, not silently dropped; bucket_acl = public-read makes a bucket rclone creates
        public (src/core/acl.h)."""
        self.remote_with("public-objects", "acl = public-read\n")
        self.remote_with("public-buckets", "acl = private\nbucket_acl = public-read\n")
        b = self.bucket()
        src = os.path.join(self.work, "acl.txt")
        with open(src, "wb") as f:
            f.write(b"rclone acl\n")
        self.rclone("copy", src, "r2:" + b)
        self.assertEqual(self.s3.get_object_acl(Bucket=b, Key="acl.txt")["Grants"][0]
                         ["Permission"], "FULL_CONTROL")
        p = self.rclone("copyto", src, "public-objects:%s/public.txt" % b, check=False)
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("AccessControlListNotSupported", p.stderr)

        public = "rclone-public-" + os.urandom(4).hex()
        self.rclone("mkdir", "public-buckets:" + public)
        self.addCleanup(self.rclone, "purge", "r2:" + public, check=False)
        self.rclone("copy", src, "public-buckets:" + public)
        r = cairn_server.anonymous("GET", "/%s/acl.txt" % public)
        self.assertEqual((r.status, r.body), (200, b"rclone acl\n"))

    def test_version(self):
        print(self.rclone("version").stdout.splitlines()[0])

    def test_copy_single_file_as_in_guide(self):
        b = self.bucket()
        image = os.path.join(self.work, "image.png")
        data = b"\x89PNG" + os.urandom(50_000)
        with open(image, "wb") as f:
            f.write(data)
        self.rclone("copy", image, "r2:" + b)
        h = self.s3.head_object(Bucket=b, Key="image.png")
        self.assertEqual(h["ContentLength"], len(data))
        self.assertEqual(h["ETag"], '"%s"' % hashlib.md5(data).hexdigest())
        self.assertEqual(h["ContentType"], "image/png")
        p = self.rclone("ls", "r2:" + b)
        self.assertEqual(p.stdout.split(), [str(len(data)), "image.png"])
        raw = subprocess.run([RCLONE, "--config", self.config, "cat", "r2:%s/image.png" % b],
                             env=self.env, capture_output=True, timeout=TIMEOUT)
        self.assertEqual(raw.returncode, 0, raw.stderr)
        self.assertEqual(raw.stdout, data)

    def test_copy_folder_ls_check_and_back(self):
        b = self.bucket()
        folder, files = self.make_folder()
        self.rclone("copy", folder, "r2:" + b)
        p = self.rclone("ls", "r2:" + b)
        listed = {}
        for line in p.stdout.strip().splitlines():
            size, name = line.strip().split(None, 1)
            listed[name] = int(size)
        self.assertEqual(listed, {k: len(v) for k, v in files.items()})
        # check compares sizes and MD5 hashes (the ETags).
        p = self.rclone("check", folder, "r2:" + b)
        self.assertIn("0 differences found", p.stderr)
        p = self.rclone("md5sum", "r2:" + b)
        sums = {line.split(None, 1)[1]: line.split()[0] for line in p.stdout.strip().splitlines()}
        self.assertEqual(sums, {k: hashlib.md5(v).hexdigest() for k, v in files.items()})
        p = self.rclone("cat", "r2:%s/nested/deeper/three.txt" % b)
        self.assertEqual(p.stdout, "third\n")
        back = os.path.join(self.work, "back-" + os.urandom(3).hex())
        self.rclone("copy", "r2:" + b, back)
        cmp = filecmp.dircmp(folder, back)
        self.assertEqual((cmp.left_only, cmp.right_only, cmp.diff_files), ([], [], []))
        for rel, data in files.items():
            with open(os.path.join(back, rel), "rb") as f:
                self.assertEqual(f.read(), data)

    def test_copy_over_the_multipart_cutoff(self):
        b = self.bucket()
        folder = os.path.join(self.work, "mp-" + os.urandom(3).hex())
        os.makedirs(folder)
        path = os.path.join(folder, "video.bin")
        size = 17 * 1024 * 1024 + 77
        with open(path, "wb") as f:
            f.write(os.urandom(size))
        self.rclone("copy", "--s3-upload-cutoff", "5M", "--s3-chunk-size", "5M", path,
                    "r2:" + b)
        h = self.s3.head_object(Bucket=b, Key="video.bin")
        self.assertEqual(h["ContentLength"], size)
        # Uploaded in 5 MiB parts: the ETag is R2's md5-of-md5s with "-4".
        expect = '"%s"' % s3sig.multipart_etag_of_file(path, 5 * 1024 * 1024)
        self.assertTrue(expect.endswith('-4"'))
        self.assertEqual(h["ETag"], expect)
        # rclone keeps the whole file's MD5 in metadata given at CreateMultipartUpload.
        with open(path, "rb") as f:
            md5 = hashlib.md5(f.read())
        self.assertEqual(h["Metadata"].get("md5chksum"),
                         base64.b64encode(md5.digest()).decode())
        self.assertEqual(self.s3.list_multipart_uploads(Bucket=b).get("Uploads", []), [])
        p = self.rclone("check", folder, "r2:" + b)
        self.assertIn("0 differences found", p.stderr)
        back = os.path.join(self.work, "mp-back-" + os.urandom(3).hex())
        self.rclone("copy", "r2:%s/video.bin" % b, back)
        self.assertTrue(filecmp.cmp(path, os.path.join(back, "video.bin"), shallow=False))
        shutil.rmtree(folder, ignore_errors=True)
        shutil.rmtree(back, ignore_errors=True)

    def test_check_detects_difference(self):
        b = self.bucket()
        folder, _ = self.make_folder()
        self.rclone("copy", folder, "r2:" + b)
        self.s3.put_object(Bucket=b, Key="one.txt", Body=b"tampered\n!")
        p = self.rclone("check", folder, "r2:" + b, check=False)
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("1 differences found", p.stderr)

    def test_copy_creates_bucket_and_sync_delete(self):
        name = "rclone-mk-" + os.urandom(4).hex()
        folder, files = self.make_folder()
        self.rclone("mkdir", "r2:" + name)
        self.addCleanup(self.rclone, "purge", "r2:" + name, check=False)
        self.s3.head_bucket(Bucket=name)
        self.rclone("sync", folder, "r2:%s/mirror" % name)
        os.remove(os.path.join(folder, "one.txt"))
        self.rclone("sync", folder, "r2:%s/mirror" % name)
        keys = sorted(o["Key"] for o in self.s3.list_objects_v2(Bucket=name)["Contents"])
        self.assertEqual(keys, sorted("mirror/" + k for k in files if k != "one.txt"))

    def test_lsjson_and_delete(self):
        b = self.bucket()
        self.s3.put_object(Bucket=b, Key="dir/a", Body=b"a")
        self.s3.put_object(Bucket=b, Key="dir/b", Body=b"bb")
        p = self.rclone("lsf", "r2:%s/dir" % b)
        self.assertEqual(sorted(p.stdout.split()), ["a", "b"])
        self.rclone("delete", "r2:%s/dir" % b)
        self.assertEqual(self.s3.list_objects_v2(Bucket=b)["KeyCount"], 0)


if __name__ == "__main__":
    cairn_server.main()
