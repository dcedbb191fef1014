"""The AWS CLI against cairn: Debian's /usr/bin/aws (v2.9, pre-2025 defaults), and, when the
python running this suite has the awscli module (v1 on a current botocore), that one too."""
import filecmp
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

import cairn_server
import s3sig

CLI_TIMEOUT = 120


def tearDownModule():
    cairn_server.shutdown()


def cli_env(t, home):
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update({
        "HOME": home,
        "AWS_ACCESS_KEY_ID": t.access_key,
        "AWS_SECRET_ACCESS_KEY": t.secret_key,
        "AWS_DEFAULT_REGION": t.region,
        "AWS_REGION": t.region,
        "AWS_EC2_METADATA_DISABLED": "true",
        "AWS_CONFIG_FILE": os.path.join(home, "aws-config"),
        "AWS_SHARED_CREDENTIALS_FILE": os.path.join(home, "aws-credentials"),
        "AWS_PAGER": "",
        "AWS_MAX_ATTEMPTS": "1",
    })
    return env


class AwsCliBase:
    """Mixed into a TestCase; subclasses set `command` (argv prefix)."""
    command = None

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.t = cairn_server.target()
        cls.home = tempfile.mkdtemp(prefix="cairn-awscli-home-")
        cls.env = cli_env(cls.t, cls.home)
        cls.s3 = cairn_server.client(cls.t)
        cls.work = tempfile.mkdtemp(prefix="cairn-awscli-")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.home, ignore_errors=True)
        shutil.rmtree(cls.work, ignore_errors=True)
        super().tearDownClass()

    def aws(self, *args, check=True):
        cmd = list(self.command) + ["--endpoint-url", self.t.endpoint,
                                    "--cli-read-timeout", "60", "--cli-connect-timeout", "10"]
        if self.t.scheme == "https":
            cmd.append("--no-verify-ssl")
        cmd += list(args)
        p = subprocess.run(cmd, env=self.env, capture_output=True, text=True,
                           timeout=CLI_TIMEOUT, stdin=subprocess.DEVNULL)
        if check and p.returncode != 0:
            self.fail("%s failed (%d):\nstdout: %s\nstderr: %s"
                      % (" ".join(args), p.returncode, p.stdout[-3000:], p.stderr[-3000:]))
        return p

    def bucket(self):
        name = "cli-" + os.urandom(4).hex()
        self.aws("s3", "mb", "s3://" + name)
        self.addCleanup(self.aws, "s3", "rb", "s3://" + name, "--force", check=False)
        return name

    def test_version(self):
        p = self.aws("--version")
        print(p.stdout.strip() or p.stderr.strip())

    def test_cp_up_and_down(self):
        b = self.bucket()
        src = os.path.join(self.work, "up.bin")
        data = os.urandom(3 * 1024 * 1024 + 17)  # below the CLI's 8 MiB multipart threshold
        with open(src, "wb") as f:
            f.write(data)
        self.aws("s3", "cp", src, "s3://%s/dir/up.bin" % b)
        h = self.s3.head_object(Bucket=b, Key="dir/up.bin")
        self.assertEqual(h["ETag"], '"%s"' % hashlib.md5(data).hexdigest())
        dst = os.path.join(self.work, "down.bin")
        self.aws("s3", "cp", "s3://%s/dir/up.bin" % b, dst)
        with open(dst, "rb") as f:
            self.assertEqual(f.read(), data)

    def test_cp_multipart_100_mib(self):
        # Over the CLI's 8 MiB multipart threshold: parts of its default 8 MiB chunk size.
        b = self.bucket()
        size = 100 * 1024 * 1024
        src = os.path.join(self.work, "big-up.bin")
        dst = os.path.join(self.work, "big-down.bin")
        for p in (src, dst):
            self.addCleanup(lambda p=p: os.path.exists(p) and os.remove(p))
        with open(src, "wb") as f:
            for _ in range(size // (4 * 1024 * 1024)):
                f.write(os.urandom(4 * 1024 * 1024))
        self.aws("s3", "cp", src, "s3://%s/big/backup.bin" % b)
        h = self.s3.head_object(Bucket=b, Key="big/backup.bin")
        self.assertEqual(h["ContentLength"], size)
        expect = '"%s"' % s3sig.multipart_etag_of_file(src, 8 * 1024 * 1024)
        self.assertTrue(expect.endswith('-13"'))
        self.assertEqual(h["ETag"], expect)
        self.assertEqual(self.s3.list_multipart_uploads(Bucket=b).get("Uploads", []), [])
        self.aws("s3", "cp", "s3://%s/big/backup.bin" % b, dst)
        self.assertTrue(filecmp.cmp(src, dst, shallow=False), "downloaded bytes differ")

    def test_cp_with_content_type_and_metadata(self):
        b = self.bucket()
        src = os.path.join(self.work, "page.html")
        with open(src, "w") as f:
            f.write("<h1>hi</h1>")
        self.aws("s3", "cp", src, "s3://%s/page.html" % b, "--content-type", "text/html",
                 "--metadata", "author=cli", "--cache-control", "no-cache")
        h = self.s3.head_object(Bucket=b, Key="page.html")
        self.assertEqual(h["ContentType"], "text/html")
        self.assertEqual(h["Metadata"], {"author": "cli"})
        self.assertEqual(h["CacheControl"], "no-cache")

    def test_ls(self):
        b = self.bucket()
        for k in ["a.txt", "dir/b.txt", "dir/sub/c.txt"]:
            self.s3.put_object(Bucket=b, Key=k, Body=k.encode())
        p = self.aws("s3", "ls")
        self.assertIn(b, p.stdout)
        p = self.aws("s3", "ls", "s3://%s/" % b)
        self.assertIn("a.txt", p.stdout)
        self.assertIn("PRE dir/", p.stdout)
        self.assertNotIn("b.txt", p.stdout)
        p = self.aws("s3", "ls", "s3://%s/" % b, "--recursive")
        lines = [ln.split()[-1] for ln in p.stdout.strip().splitlines()]
        self.assertEqual(lines, ["a.txt", "dir/b.txt", "dir/sub/c.txt"])

    def test_s3api_put_object_content_type(self):
        b = self.bucket()
        src = os.path.join(self.work, "image.png")
        data = b"\x89PNG" + os.urandom(5000)
        with open(src, "wb") as f:
            f.write(data)
        p = self.aws("s3api", "put-object", "--bucket", b, "--key", "image.png", "--body", src,
                     "--content-type", "image/png")
        out = json.loads(p.stdout)
        print("Uploaded successfully. ETag: %s" % out["ETag"])
        self.assertEqual(out["ETag"], s3sig.quoted_md5(data))
        p = self.aws("s3api", "head-object", "--bucket", b, "--key", "image.png")
        head = json.loads(p.stdout)
        self.assertEqual(head["ContentType"], "image/png")
        self.assertEqual(head["ContentLength"], len(data))

    def test_s3api_list_and_errors(self):
        b = self.bucket()
        self.s3.put_object(Bucket=b, Key="x", Body=b"1")
        p = self.aws("s3api", "list-objects-v2", "--bucket", b)
        self.assertEqual([o["Key"] for o in json.loads(p.stdout)["Contents"]], ["x"])
        p = self.aws("s3api", "get-object", "--bucket", b, "--key", "missing",
                     os.path.join(self.work, "nothing"), check=False)
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("NoSuchKey", p.stderr)

    def test_s3api_get_object_attributes(self):
        # A COMPOSITE CRC32 object of two parts, then its attributes a part at a time.
        b = self.bucket()
        datas = [os.urandom(5 * 1024 * 1024), b"the last part"]
        uid = self.s3.create_multipart_upload(Bucket=b, Key="mp", ChecksumAlgorithm="CRC32")[
            "UploadId"]
        parts = []
        for i, d in enumerate(datas):
            r = self.s3.upload_part(Bucket=b, Key="mp", UploadId=uid, PartNumber=i + 1, Body=d,
                                    ChecksumAlgorithm="CRC32")
            parts.append({"PartNumber": i + 1, "ETag": r["ETag"],
                          "ChecksumCRC32": r["ChecksumCRC32"]})
        self.s3.complete_multipart_upload(Bucket=b, Key="mp", UploadId=uid,
                                          MultipartUpload={"Parts": parts})
        p = self.aws("s3api", "get-object-attributes", "--bucket", b, "--key", "mp",
                     "--object-attributes", "ETag", "ObjectParts", "ObjectSize",
                     "--max-parts", "1", "--part-number-marker", "1")
        out = json.loads(p.stdout)
        self.assertEqual(out["ETag"], s3sig.multipart_etag_of_parts(datas))
        self.assertEqual(out["ObjectSize"], sum(map(len, datas)))
        self.assertEqual(out["ObjectParts"]["TotalPartsCount"], 2)
        self.assertEqual(out["ObjectParts"]["Parts"], [
            {"PartNumber": 2, "Size": len(datas[1]),
             "ChecksumCRC32": s3sig.checksum_value("crc32", datas[1])}])
        self.assertFalse(out["ObjectParts"]["IsTruncated"])

    def test_rm(self):
        b = self.bucket()
        self.s3.put_object(Bucket=b, Key="del/me", Body=b"1")
        self.s3.put_object(Bucket=b, Key="del/too", Body=b"2")
        self.s3.put_object(Bucket=b, Key="keep", Body=b"3")
        self.aws("s3", "rm", "s3://%s/keep" % b)
        self.assertEqual([o["Key"] for o in self.s3.list_objects_v2(Bucket=b)["Contents"]],
                         ["del/me", "del/too"])
        self.aws("s3", "rm", "s3://%s/del/" % b, "--recursive")
        self.assertEqual(self.s3.list_objects_v2(Bucket=b)["KeyCount"], 0)

    def test_sync_folder(self):
        b = self.bucket()
        src = os.path.join(self.work, "sync-src-" + os.urandom(3).hex())
        files = {"a.txt": b"alpha", "sub/b.bin": os.urandom(100_000),
                 "sub/deeper/c with space.txt": b"gamma", "ü.txt": "unicode".encode()}
        for rel, data in files.items():
            p = os.path.join(src, rel)
            os.makedirs(os.path.dirname(p), exist_ok=True)
            with open(p, "wb") as f:
                f.write(data)
        self.aws("s3", "sync", src, "s3://%s/backup" % b)
        keys = sorted(o["Key"] for o in self.s3.list_objects_v2(Bucket=b)["Contents"])
        self.assertEqual(keys, sorted("backup/" + k for k in files))
        # A second sync uploads nothing.
        p = self.aws("s3", "sync", src, "s3://%s/backup" % b)
        self.assertNotIn("upload:", p.stdout)
        # Change one file, delete another: sync --delete mirrors that.
        with open(os.path.join(src, "a.txt"), "wb") as f:
            f.write(b"alpha changed")
        os.remove(os.path.join(src, "sub", "deeper", "c with space.txt"))
        self.aws("s3", "sync", src, "s3://%s/backup" % b, "--delete")
        self.assertEqual(self.s3.get_object(Bucket=b, Key="backup/a.txt")["Body"].read(),
                         b"alpha changed")
        keys = sorted(o["Key"] for o in self.s3.list_objects_v2(Bucket=b)["Contents"])
        self.assertNotIn("backup/sub/deeper/c with space.txt", keys)
        # And down again into an empty folder.
        dst = os.path.join(self.work, "sync-dst-" + os.urandom(3).hex())
        self.aws("s3", "sync", "s3://%s/backup" % b, dst)
        cmp = filecmp.dircmp(src, dst)
        self.assertEqual((cmp.left_only, cmp.right_only, cmp.diff_files), ([], [], []))
        for rel in ["a.txt", "sub/b.bin", "ü.txt"]:
            with open(os.path.join(src, rel), "rb") as f1, open(os.path.join(dst, rel), "rb") as f2:
                self.assertEqual(f1.read(), f2.read())

    def test_s3api_lifecycle_from_a_template(self):
        # A template's usual rule: no ID, versioning-era elements (no-ops without versioning).
        b = self.bucket()
        template = os.path.join(self.work, "lifecycle.json")
        with open(template, "w") as f:
            json.dump({"Rules": [{
                "Filter": {"Prefix": "tmp/"}, "Status": "Enabled",
                "Expiration": {"Days": 30},
                "NoncurrentVersionExpiration": {"NoncurrentDays": 7},
                "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 1}}]}, f)
        self.aws("s3api", "put-bucket-lifecycle-configuration", "--bucket", b,
                 "--lifecycle-configuration", "file://" + template)
        got = json.loads(self.aws("s3api", "get-bucket-lifecycle-configuration", "--bucket", b,
                                  "--output", "json").stdout)["Rules"]
        self.assertEqual(len(got), 1)
        self.assertRegex(got[0].get("ID", ""), r"^[A-Za-z0-9]{48}$")
        self.assertEqual(got[0]["Expiration"], {"Days": 30})
        self.assertEqual(got[0]["NoncurrentVersionExpiration"], {"NoncurrentDays": 7})

    def test_canned_acls(self):
        """--acl private is accepted; public-read is refused on an object and is the public
        setting on a bucket (src/core/acl.h)."""
        b = self.bucket()
        src = os.path.join(self.work, "acl-" + os.urandom(3).hex() + ".txt")
        with open(src, "wb") as f:
            f.write(b"private by acl\n")
        self.aws("s3", "cp", src, "s3://%s/page.txt" % b, "--acl", "private")
        acl = json.loads(self.aws("s3api", "get-object-acl", "--bucket", b, "--key",
                                  "page.txt").stdout)
        self.assertEqual([g["Permission"] for g in acl["Grants"]], ["FULL_CONTROL"])
        p = self.aws("s3", "cp", src, "s3://%s/public.txt" % b, "--acl", "public-read",
                     check=False)
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("AccessControlListNotSupported", p.stderr)

        self.aws("s3api", "put-bucket-acl", "--bucket", b, "--acl", "public-read")
        acl = json.loads(self.aws("s3api", "get-bucket-acl", "--bucket", b).stdout)
        self.assertIn(("http://acs.amazonaws.com/groups/global/AllUsers", "READ"),
                      [(g["Grantee"].get("URI"), g["Permission"]) for g in acl["Grants"]])
        self.assertEqual(cairn_server.anonymous("GET", "/%s/page.txt" % b).status, 200)
        self.aws("s3api", "put-bucket-acl", "--bucket", b, "--acl", "private")
        self.assertEqual(cairn_server.anonymous("GET", "/%s/page.txt" % b).status, 403)

    def test_presign(self):
        b = self.bucket()
        self.s3.put_object(Bucket=b, Key="p.txt", Body=b"presigned by the cli")
        p = self.aws("s3", "presign", "s3://%s/p.txt" % b, "--expires-in", "300")
        url = p.stdout.strip()
        self.assertEqual(cairn_server.urlopen(url).body, b"presigned by the cli")


@unittest.skipUnless(os.path.exists("/usr/bin/aws"), "Debian's awscli is not installed")
class DebianAwsCliV2Tests(AwsCliBase, unittest.TestCase):
    command = ["/usr/bin/aws"]


def _has_awscli_module():
    try:
        import awscli  # noqa: F401
        return True
    except ImportError:
        return False


@unittest.skipUnless(_has_awscli_module() and sys.executable != "/usr/bin/python3",
                     "no awscli module for this python")
class PythonAwsCliV1Tests(AwsCliBase, unittest.TestCase):
    command = [sys.executable, "-m", "awscli"]


if __name__ == "__main__":
    cairn_server.main()
