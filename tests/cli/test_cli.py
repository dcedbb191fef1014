"""The cairn command line against a live server: the real binary, checked with boto3.

Runs `cairn object|bulk|bucket|presign ...` as a user would and looks at the result through boto3
(or plain urllib for presigned URLs): every metadata flag of `object put`, streamed --pipe uploads,
multipart uploads of large files, downloads to a file and to stdout, listing over several pages,
bulk uploads, bucket and lifecycle commands, presigned URLs, the exit code of every kind of error,
and --local on a stopped server's data directory.

The server comes from tests/integration/py/cairn_server.py (imported, not copied): a cairn started
on a free loopback port with a temporary data dir, or --endpoint URL for another server (the
--local tests then skip). Run alone with
    python3 tests/cli/test_cli.py [--binary build/cairn] [--endpoint URL] [unittest args]
or through tests/cli/run.sh BINARY.
"""
import hashlib
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import unittest
import urllib.request
from concurrent.futures import ThreadPoolExecutor

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "integration", "py"))

import cairn_server  # noqa: E402
from cairn_server import CairnServer, CairnTestCase  # noqa: E402

MiB = 1 << 20
CLI_TIMEOUT = 300

# Exit codes of the command line (src/cli/errors.h).
EXIT_S3, EXIT_USAGE, EXIT_NOT_FOUND, EXIT_AUTH, EXIT_UNREACHABLE, EXIT_LOCAL_FILE = 1, 2, 3, 4, 5, 6


def tearDownModule():
    cairn_server.shutdown()


def binary():
    return cairn_server.binary_path()


def cairn(*args, t=None, stdin=None, input=None, env=None, cwd=None, creds=True,
          timeout=CLI_TIMEOUT):
    """Runs the CLI with the target's endpoint and keys in its environment (unless creds=False);
    returns the CompletedProcess with bytes stdout and stderr."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("CAIRN_")}
    full_env["CAIRN_CONFIG"] = os.devnull  # no profile of the machine's user
    if creds:
        t = t or cairn_server.target()
        full_env.update(CAIRN_ENDPOINT=t.endpoint, CAIRN_ACCESS_KEY_ID=t.access_key,
                        CAIRN_SECRET_ACCESS_KEY=t.secret_key)
    full_env.update(env or {})
    return subprocess.run([binary()] + [str(a) for a in args], stdin=stdin, input=input,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=full_env, cwd=cwd,
                          timeout=timeout)


def write_random(path, size):
    """Writes `size` random bytes and returns their MD5."""
    digest = hashlib.md5()
    with open(path, "wb") as f:
        left = size
        while left > 0:
            chunk = os.urandom(min(left, MiB))
            f.write(chunk)
            digest.update(chunk)
            left -= len(chunk)
    return digest.hexdigest()


def md5_file(path):
    digest = hashlib.md5()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(MiB), b""):
            digest.update(chunk)
    return digest.hexdigest()


class CliTestCase(CairnTestCase):
    def setUp(self):
        super().setUp()
        self.tmp = tempfile.mkdtemp(prefix="cairn-cli-")
        self.addCleanup(shutil.rmtree, self.tmp, True)

    def path(self, name):
        return os.path.join(self.tmp, name)

    def ok(self, *args, **kwargs):
        r = cairn(*args, **kwargs)
        self.assertEqual(r.returncode, 0, "cairn %s failed (%d):\n%s" % (
            " ".join(map(str, args)), r.returncode, r.stderr.decode(errors="replace")))
        return r

    def ok_json(self, *args, **kwargs):
        return json.loads(self.ok(*(args + ("--json",)), **kwargs).stdout)

    def fails(self, code, *args, **kwargs):
        r = cairn(*args, **kwargs)
        self.assertEqual(r.returncode, code, "cairn %s: expected exit %d, got %d\nstdout: %r\n"
                         "stderr: %r" % (" ".join(map(str, args)), code, r.returncode,
                                         r.stdout[:500], r.stderr[:500]))
        err = r.stderr.decode(errors="replace").strip()
        self.assertTrue(err.startswith("cairn: "), err)
        self.assertEqual(len(err.splitlines()), 1, "not a one-line message: %r" % err)
        return err


class ObjectPutTests(CliTestCase):
    def test_put_with_every_metadata_flag(self):
        b = self.new_bucket("cli")
        f = self.path("page.html")
        with open(f, "w") as out:
            out.write("<h1>hi</h1>")
        long_flags = ["--content-type", "text/html; charset=latin1",
                      "--content-disposition", 'attachment; filename="p.html"',
                      "--content-encoding", "gzip", "--content-language", "de-CH",
                      "--cache-control", "max-age=300, public",
                      "--expires", "Wed, 01 Jan 2031 00:00:00 GMT",
                      "--storage-class", "InfrequentAccess"]
        short_flags = ["--ct", "text/html; charset=latin1", "--cd", 'attachment; filename="p.html"',
                       "--ce", "gzip", "--cl", "de-CH", "--cc", "max-age=300, public",
                       "--expires", "2031-01-01", "-s", "InfrequentAccess"]
        for name, flags in (("long", long_flags), ("short", short_flags)):
            with self.subTest(flags=name):
                key = "dir/%s/page.html" % name
                out = self.ok_json("object", "put", "%s/%s" % (b, key), "--file", f, *flags,
                                   "--meta", "build=42", "--meta", "eq=a=b", "--meta", "Empty=")
                self.assertEqual(out["key"], key)
                self.assertEqual(out["size"], 11)
                h = self.s3.head_object(Bucket=b, Key=key)
                self.assertEqual(h["ContentType"], "text/html; charset=latin1")
                self.assertEqual(h["ContentDisposition"], 'attachment; filename="p.html"')
                self.assertEqual(h["ContentEncoding"], "gzip")
                self.assertEqual(h["ContentLanguage"], "de-CH")
                self.assertEqual(h["CacheControl"], "max-age=300, public")
                expires = h["ResponseMetadata"]["HTTPHeaders"].get("expires")
                self.assertEqual(expires, "Wed, 01 Jan 2031 00:00:00 GMT")
                self.assertEqual(h["StorageClass"], "STANDARD_IA")
                self.assertEqual(h["Metadata"], {"build": "42", "eq": "a=b", "empty": ""})
                self.assertEqual(h["ETag"].strip('"'), hashlib.md5(b"<h1>hi</h1>").hexdigest())

    def test_content_type_is_guessed_from_the_file_name(self):
        b = self.new_bucket("cli")
        for name, expected in (("cat.png", "image/png"), ("data.JSON", "application/json"),
                               ("notes", "application/octet-stream"),
                               ("a.tar.gz", "application/gzip")):
            with self.subTest(name=name):
                with open(self.path(name), "wb") as f:
                    f.write(b"x")
                self.ok("object", "put", "%s/k-%s" % (b, name), "-f", self.path(name))
                self.assertEqual(self.s3.head_object(Bucket=b, Key="k-" + name)["ContentType"],
                                 expected)

    def test_put_prints_a_result_line(self):
        b = self.new_bucket("cli")
        with open(self.path("x.txt"), "w") as f:
            f.write("hello")
        r = self.ok("object", "put", b + "/x.txt", "--file=" + self.path("x.txt"))
        self.assertIn("Uploaded %s/x.txt" % b, r.stdout.decode())
        # stderr is not a terminal here: no progress bar, nothing at all.
        self.assertEqual(r.stderr, b"")

    def test_pipe_streams_30_mib(self):
        b = self.new_bucket("cli")
        env = {k: v for k, v in os.environ.items() if not k.startswith("CAIRN_")}
        t = self.t
        env.update(CAIRN_ENDPOINT=t.endpoint, CAIRN_ACCESS_KEY_ID=t.access_key,
                   CAIRN_SECRET_ACCESS_KEY=t.secret_key, CAIRN_CONFIG=os.devnull)
        proc = subprocess.Popen([binary(), "object", "put", b + "/piped.bin", "--pipe", "--json"],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, env=env)
        digest = hashlib.md5()

        # Written in pieces while the CLI runs: it has to stream, the whole never exists at once.
        def feed():
            try:
                for i in range(30):
                    chunk = hashlib.sha256(b"%d" % i).digest() * (MiB // 32)
                    digest.update(chunk)
                    proc.stdin.write(chunk)
            finally:
                proc.stdin.close()

        writer = threading.Thread(target=feed)
        writer.start()
        try:
            out = proc.stdout.read()
            err = proc.stderr.read()
            proc.wait(timeout=CLI_TIMEOUT)
        finally:
            if proc.poll() is None:
                proc.kill()
            writer.join(timeout=CLI_TIMEOUT)
        self.assertEqual(proc.returncode, 0, err)
        self.assertEqual(json.loads(out)["size"], 30 * MiB)
        body = self.s3.get_object(Bucket=b, Key="piped.bin")["Body"].read()
        self.assertEqual(len(body), 30 * MiB)
        self.assertEqual(hashlib.md5(body).hexdigest(), digest.hexdigest())
        self.assertEqual(self.s3.head_object(Bucket=b, Key="piped.bin")["ContentType"],
                         "application/octet-stream")

    def test_small_pipe(self):
        b = self.new_bucket("cli")
        self.ok("object", "put", b + "/small.txt", "-p", input=b"tiny")
        self.assertEqual(self.s3.get_object(Bucket=b, Key="small.txt")["Body"].read(), b"tiny")
        # No file name to guess from: the key's extension is used.
        self.assertEqual(self.s3.head_object(Bucket=b, Key="small.txt")["ContentType"],
                         "text/plain; charset=utf-8")

    def test_60_mib_file_goes_multipart(self):
        b = self.new_bucket("cli")
        f = self.path("big.bin")
        md5 = write_random(f, 60 * MiB)
        out = self.ok_json("object", "put", b + "/big.bin", "-f", f, "--concurrency", "4")
        self.assertEqual(out["size"], 60 * MiB)
        etag = self.s3.head_object(Bucket=b, Key="big.bin")["ETag"].strip('"')
        m = re.fullmatch(r"[0-9a-f]{32}-(\d+)", etag)
        self.assertTrue(m, etag)
        self.assertGreater(int(m.group(1)), 1)
        self.assertEqual(out["etag"], etag)
        got = self.path("big.out")
        self.s3.download_file(b, "big.bin", got)
        self.assertEqual(md5_file(got), md5)

        # --part-size decides the number of parts.
        self.ok("object", "put", b + "/big16.bin", "-f", f, "--part-size", "16MiB")
        etag = self.s3.head_object(Bucket=b, Key="big16.bin")["ETag"].strip('"')
        self.assertTrue(etag.endswith("-4"), etag)

    def test_bad_put_arguments_are_usage_errors(self):
        b = self.new_bucket("cli")
        f = self.path("x")
        open(f, "w").close()
        for args in ([b + "/k"],                                  # neither --file nor --pipe
                     [b + "/k", "-f", f, "--pipe"],               # both
                     [b, "-f", f],                                # no key
                     [b + "/k", "-f", f, "--meta", "novalue"],
                     [b + "/k", "-f", f, "-s", "GLACIER"],
                     [b + "/k", "-f", f, "--expires", "someday"],
                     [b + "/k", "-f", f, "--part-size", "1MiB"],
                     [b + "/k", "-f", f, "--bogus-flag"]):
            with self.subTest(args=args):
                self.fails(EXIT_USAGE, "object", "put", *args)


class ObjectReadTests(CliTestCase):
    def test_get_to_file_and_to_stdout(self):
        b = self.new_bucket("cli")
        data = os.urandom(3 * MiB + 17)
        self.s3.put_object(Bucket=b, Key="dir/blob.bin", Body=data)
        out = self.path("blob.copy")
        r = self.ok("object", "get", b + "/dir/blob.bin", "--file", out)
        self.assertIn("Downloaded", r.stdout.decode())
        with open(out, "rb") as f:
            self.assertEqual(f.read(), data)
        r = self.ok("object", "get", b + "/dir/blob.bin", "--pipe")
        self.assertEqual(r.stdout, data)
        # No --file: like wrangler, into the current directory under the key's last component.
        self.ok("object", "get", b + "/dir/blob.bin", cwd=self.tmp)
        with open(self.path("blob.bin"), "rb") as f:
            self.assertEqual(f.read(), data)

    def test_get_large_object_streams_through_a_pipe(self):
        b = self.new_bucket("cli")
        f = self.path("big")
        md5 = write_random(f, 40 * MiB)
        self.s3.upload_file(f, b, "big")
        r = self.ok("object", "get", b + "/big", "-p")
        self.assertEqual(len(r.stdout), 40 * MiB)
        self.assertEqual(hashlib.md5(r.stdout).hexdigest(), md5)

    def test_head(self):
        b = self.new_bucket("cli")
        self.s3.put_object(Bucket=b, Key="h.txt", Body=b"abc", ContentType="text/plain",
                           Metadata={"k": "v"})
        info = self.ok_json("object", "head", b + "/h.txt")
        self.assertEqual(info["size"], 3)
        self.assertEqual(info["etag"], hashlib.md5(b"abc").hexdigest())
        self.assertEqual(info["httpEtag"], '"%s"' % info["etag"])
        self.assertEqual(info["httpMetadata"]["contentType"], "text/plain")
        self.assertEqual(info["customMetadata"], {"k": "v"})
        text = self.ok("object", "head", b + "/h.txt").stdout.decode()
        self.assertIn("size:", text)
        self.assertIn("content-type:", text)

    def test_list_prefix_delimiter_limit(self):
        b = self.new_bucket("cli")
        for k in ("a/1", "a/2", "b/3", "c"):
            self.s3.put_object(Bucket=b, Key=k, Body=k.encode())
        self.assertEqual([o["key"] for o in self.ok_json("object", "list", b)["objects"]],
                         ["a/1", "a/2", "b/3", "c"])
        self.assertEqual([o["key"] for o in self.ok_json("object", "list", b + "/a/")["objects"]],
                         ["a/1", "a/2"])
        out = self.ok_json("object", "list", b, "--delimiter", "/")
        self.assertEqual(out["delimitedPrefixes"], ["a/", "b/"])
        self.assertEqual([o["key"] for o in out["objects"]], ["c"])
        out = self.ok_json("object", "list", b, "--limit", "2")
        self.assertEqual(len(out["objects"]), 2)
        self.assertTrue(out["truncated"])
        text = self.ok("object", "list", b, "--delimiter", "/").stdout.decode()
        self.assertIn("PRE  a/", text)
        self.assertRegex(text, r"\n.*\s1  c\n")

    def test_list_reads_every_page(self):
        b = self.new_bucket("cli")
        keys = ["k%04d" % i for i in range(1003)]
        with ThreadPoolExecutor(16) as pool:
            list(pool.map(lambda k: self.s3.put_object(Bucket=b, Key=k, Body=b""), keys))
        out = self.ok_json("object", "list", b)
        self.assertEqual([o["key"] for o in out["objects"]], keys)
        self.assertFalse(out["truncated"])
        out = self.ok_json("object", "list", b, "--limit", "1001")
        self.assertEqual(len(out["objects"]), 1001)
        self.assertTrue(out["truncated"])
        lines = self.ok("object", "list", b).stdout.decode().splitlines()
        self.assertEqual(len(lines), 1003)
        self.addCleanup(lambda: [self.s3.delete_objects(
            Bucket=b, Delete={"Objects": [{"Key": k} for k in keys[i:i + 1000]]})
            for i in range(0, len(keys), 1000)])

    def test_delete(self):
        b = self.new_bucket("cli")
        for k in ("one", "two", "three"):
            self.s3.put_object(Bucket=b, Key=k, Body=b"x")
        self.ok("object", "delete", b + "/one")
        out = self.ok_json("object", "delete", b + "/two", b + "/three")
        self.assertEqual(out["deleted"], [b + "/two", b + "/three"])
        self.assertEqual(self.s3.list_objects_v2(Bucket=b).get("KeyCount"), 0)
        # As S3: deleting what is not there succeeds.
        self.ok("object", "delete", b + "/one")


class BulkTests(CliTestCase):
    def test_bulk_put_five_files(self):
        b = self.new_bucket("cli")
        entries = []
        for i in range(5):
            name = self.path("f%d.txt" % i)
            with open(name, "w") as f:
                f.write("file %d" % i)
            entries.append({"key": "bulk/%d.txt" % i, "file": name})
        entries[4]["content_type"] = "application/x-custom"
        with open(self.path("list.json"), "w") as f:
            json.dump(entries, f)
        r = self.ok("bulk", "put", b, "--file", self.path("list.json"), "--concurrency", "20")
        self.assertIn("Uploaded 5 of 5 files", r.stdout.decode())
        for i in range(5):
            obj = self.s3.get_object(Bucket=b, Key="bulk/%d.txt" % i)
            self.assertEqual(obj["Body"].read(), b"file %d" % i)
            self.assertEqual(obj["ContentType"], "application/x-custom" if i == 4
                             else "text/plain; charset=utf-8")

    def test_bulk_put_reports_each_failure(self):
        b = self.new_bucket("cli")
        with open(self.path("ok.txt"), "w") as f:
            f.write("ok")
        entries = [{"key": "ok", "file": self.path("ok.txt")},
                   {"key": "missing", "file": self.path("nope.txt")},
                   {"key": "ok2", "file": self.path("ok.txt")}]
        with open(self.path("list.json"), "w") as f:
            json.dump(entries, f)
        r = cairn("bulk", "put", b, "-f", self.path("list.json"), "--json")
        self.assertEqual(r.returncode, EXIT_LOCAL_FILE, r.stderr)
        self.assertIn(b"nope.txt", r.stderr)
        out = json.loads(r.stdout)
        self.assertFalse(out["ok"])
        self.assertEqual([u["key"] for u in out["uploaded"]], ["ok", "ok2"])
        self.assertEqual([(x["key"], x["exitCode"]) for x in out["failed"]],
                         [("missing", EXIT_LOCAL_FILE)])
        self.assertEqual(sorted(o["Key"] for o in self.s3.list_objects_v2(Bucket=b)["Contents"]),
                         ["ok", "ok2"])

    def test_bad_list_is_a_usage_error(self):
        b = self.new_bucket("cli")
        with open(self.path("list.json"), "w") as f:
            f.write('[{"key": "k"}]')
        self.assertIn("list.json", self.fails(EXIT_USAGE, "bulk", "put", b, "-f",
                                              self.path("list.json")))


class BucketTests(CliTestCase):
    def test_create_list_info_delete(self):
        name = "cli-bucket-" + secrets.token_hex(4)
        self.addCleanup(lambda: name in [x["Name"] for x in self.s3.list_buckets()["Buckets"]]
                        and self.empty_and_delete(name))
        self.assertIn("Created", self.ok("bucket", "create", name).stdout.decode())
        names = [x["name"] for x in self.ok_json("bucket", "list")["buckets"]]
        self.assertIn(name, names)
        self.assertIn(name, self.ok("bucket", "list").stdout.decode())
        info = self.ok_json("bucket", "info", name)
        self.assertEqual(info["name"], name)
        self.assertTrue(info["created"])
        self.assertIn("location", info)
        self.assertEqual((info["objects"], info["bytes"]), (0, 0))
        self.s3.put_object(Bucket=name, Key="a", Body=b"x" * 1000)
        self.s3.put_object(Bucket=name, Key="b", Body=b"y" * 24)
        info = self.ok_json("bucket", "info", name)
        self.assertEqual((info["objects"], info["bytes"]), (2, 1024))
        self.assertIn("objects:   2", self.ok("bucket", "info", name).stdout.decode())
        self.s3.delete_objects(Bucket=name, Delete={"Objects": [{"Key": "a"}, {"Key": "b"}]})
        self.assertTrue(self.ok_json("bucket", "delete", name)["deleted"])
        self.assertNotIn(name, [x["name"] for x in self.ok_json("bucket", "list")["buckets"]])
        self.fails(EXIT_NOT_FOUND, "bucket", "delete", name)
        self.fails(EXIT_NOT_FOUND, "bucket", "info", name)

    def test_delete_of_a_non_empty_bucket_fails_with_the_s3_code(self):
        b = self.new_bucket("cli")
        self.s3.put_object(Bucket=b, Key="x", Body=b"x")
        self.assertIn("BucketNotEmpty", self.fails(EXIT_S3, "bucket", "delete", b))

    def test_lifecycle_set_from_aws_json_then_get(self):
        b = self.new_bucket("cli")
        rules = {"Rules": [{"ID": "logs", "Filter": {"Prefix": "logs/"}, "Status": "Enabled",
                            "Expiration": {"Days": 30},
                            "Transitions": [{"Days": 7, "StorageClass": "STANDARD_IA"}],
                            "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 2}}]}
        with open(self.path("rules.json"), "w") as f:
            json.dump(rules, f)
        self.ok("bucket", "lifecycle", "set", b, "--file", self.path("rules.json"))
        got = json.loads(self.ok("bucket", "lifecycle", "get", b).stdout)
        rule = [r for r in got["Rules"] if r.get("ID") == "logs"]
        self.assertEqual(len(rule), 1, got)
        rule = rule[0]
        self.assertEqual(rule["Filter"], {"Prefix": "logs/"})
        self.assertEqual(rule["Status"], "Enabled")
        self.assertEqual(rule["Expiration"], {"Days": 30})
        self.assertEqual(rule["Transitions"], [{"Days": 7, "StorageClass": "STANDARD_IA"}])
        self.assertEqual(rule["AbortIncompleteMultipartUpload"], {"DaysAfterInitiation": 2})
        # What boto3 sees is the same rule.
        aws = self.s3.get_bucket_lifecycle_configuration(Bucket=b)["Rules"]
        self.assertEqual([r["ID"] for r in aws], ["logs"])
        xml = self.ok("bucket", "lifecycle", "get", b, "--xml").stdout.decode()
        self.assertIn("<LifecycleConfiguration", xml)
        # `get`'s JSON is accepted back by `set`.
        with open(self.path("again.json"), "wb") as f:
            f.write(self.ok("bucket", "lifecycle", "get", b).stdout)
        self.ok("bucket", "lifecycle", "set", b, "-f", self.path("again.json"))
        self.ok("bucket", "lifecycle", "delete", b)
        after = json.loads(self.ok("bucket", "lifecycle", "get", b).stdout)
        self.assertEqual([r for r in after["Rules"] if r.get("ID") == "logs"], [])

    def test_lifecycle_from_r2_json_and_from_xml(self):
        b = self.new_bucket("cli")
        with open(self.path("r2.json"), "w") as f:
            json.dump({"rules": [{"id": "tmp", "enabled": True, "conditions": {"prefix": "tmp/"},
                                  "deleteObjectsTransition": {
                                      "condition": {"type": "Age", "maxAge": 86400}}}]}, f)
        self.ok("bucket", "lifecycle", "set", b, "-f", self.path("r2.json"))
        rule = self.s3.get_bucket_lifecycle_configuration(Bucket=b)["Rules"][0]
        self.assertEqual((rule["ID"], rule["Expiration"]["Days"]), ("tmp", 1))
        with open(self.path("rules.xml"), "w") as f:
            f.write('<LifecycleConfiguration><Rule><ID>x</ID><Filter><Prefix>x/</Prefix></Filter>'
                    '<Status>Enabled</Status><Expiration><Days>5</Days></Expiration></Rule>'
                    '</LifecycleConfiguration>')
        self.ok("bucket", "lifecycle", "set", b, "-f", self.path("rules.xml"))
        rule = self.s3.get_bucket_lifecycle_configuration(Bucket=b)["Rules"][0]
        self.assertEqual((rule["ID"], rule["Expiration"]["Days"]), ("x", 5))

    def test_bad_lifecycle_file(self):
        b = self.new_bucket("cli")
        with open(self.path("bad.json"), "w") as f:
            f.write('{"Rules": [')
        self.assertIn("bad.json", self.fails(EXIT_USAGE, "bucket", "lifecycle", "set", b, "-f",
                                             self.path("bad.json")))
        self.fails(EXIT_LOCAL_FILE, "bucket", "lifecycle", "set", b, "-f", self.path("none.json"))

    def test_cors_set_works_or_says_not_implemented(self):
        b = self.new_bucket("cli")
        with open(self.path("cors.json"), "w") as f:
            json.dump({"CORSRules": [{"AllowedOrigins": ["https://example.com"],
                                      "AllowedMethods": ["GET", "PUT"],
                                      "AllowedHeaders": ["*"], "ExposeHeaders": ["ETag"],
                                      "MaxAgeSeconds": 600}]}, f)
        r = cairn("bucket", "cors", "set", b, "-f", self.path("cors.json"))
        if r.returncode == 0:
            got = json.loads(self.ok("bucket", "cors", "get", b).stdout)
            self.assertEqual(got["CORSRules"][0]["AllowedOrigins"], ["https://example.com"])
            self.ok("bucket", "cors", "delete", b)
        else:
            self.assertEqual(r.returncode, EXIT_S3, r.stderr)
            self.assertIn(b"NotImplemented", r.stderr)
            self.assertIn(b"does not support bucket CORS rules", r.stderr)
            out = json.loads(cairn("bucket", "cors", "get", b, "--json").stdout)
            self.assertEqual(out["error"]["code"], "NotImplemented")


class PresignTests(CliTestCase):
    def test_presigned_put_then_get(self):
        b = self.new_bucket("cli")
        url = self.ok("presign", "PUT", b + "/up.txt", "--expires", "600",
                      "--content-type", "text/plain").stdout.decode().strip()
        self.assertIn("X-Amz-Signature=", url)
        self.assertIn("X-Amz-Expires=600", url)
        req = urllib.request.Request(url, data=b"presigned body", method="PUT",
                                     headers={"Content-Type": "text/plain"})
        r = cairn_server.urlopen(req)
        self.assertEqual(r.status, 200, r)
        obj = self.s3.get_object(Bucket=b, Key="up.txt")
        self.assertEqual(obj["Body"].read(), b"presigned body")
        self.assertEqual(obj["ContentType"], "text/plain")

        out = self.ok_json("presign", "get", b + "/up.txt")
        self.assertEqual(out["method"], "GET")
        self.assertEqual(out["expiresIn"], 3600)
        self.assertEqual(cairn_server.urlopen(out["url"]).body, b"presigned body")

        url = self.ok("presign", "DELETE", b + "/up.txt").stdout.decode().strip()
        self.assertEqual(cairn_server.urlopen(urllib.request.Request(url, method="DELETE")).status,
                         204)

    def test_presign_usage_errors(self):
        self.fails(EXIT_USAGE, "presign", "POST", "b/k")
        self.fails(EXIT_USAGE, "presign", "GET", "b/k", "--expires", "604801")
        self.fails(EXIT_USAGE, "presign", "GET", "b")


class ErrorTests(CliTestCase):
    def test_missing_local_file(self):
        b = self.new_bucket("cli")
        err = self.fails(EXIT_LOCAL_FILE, "object", "put", b + "/k", "-f", self.path("nope"))
        self.assertIn("nope", err)
        self.fails(EXIT_LOCAL_FILE, "object", "put", b + "/k", "-f", self.tmp)  # a directory

    def test_no_such_bucket_or_key(self):
        missing = "no-such-bucket-" + secrets.token_hex(4)
        with open(self.path("f"), "w") as f:
            f.write("x")
        self.assertIn("NoSuchBucket", self.fails(EXIT_NOT_FOUND, "object", "put", missing + "/k",
                                                 "-f", self.path("f")))
        self.fails(EXIT_NOT_FOUND, "object", "list", missing)
        self.fails(EXIT_NOT_FOUND, "object", "get", missing + "/k", "-f", self.path("out"))
        self.assertFalse(os.path.exists(self.path("out")), "a failed get left a file behind")
        b = self.new_bucket("cli")
        self.assertIn("NoSuchKey", self.fails(EXIT_NOT_FOUND, "object", "get", b + "/nope",
                                              "-f", self.path("out")))
        self.assertFalse(os.path.exists(self.path("out")), "a failed get left a file behind")
        self.fails(EXIT_NOT_FOUND, "object", "get", b + "/nope", "--pipe")
        self.fails(EXIT_NOT_FOUND, "object", "head", b + "/nope")

    def test_wrong_secret(self):
        b = self.new_bucket("cli")
        env = {"CAIRN_SECRET_ACCESS_KEY": "wrong-" + secrets.token_hex(8)}
        err = self.fails(EXIT_AUTH, "object", "list", b, env=env)
        self.assertIn("SignatureDoesNotMatch", err)
        self.fails(EXIT_AUTH, "bucket", "list", env=env)
        self.fails(EXIT_AUTH, "object", "head", b + "/k", env=env)  # a HEAD: no error document
        err = self.fails(EXIT_AUTH, "bucket", "list", env={"CAIRN_ACCESS_KEY_ID": "NOBODY"})
        self.assertIn("InvalidAccessKeyId", err)

    def test_unreachable_endpoint(self):
        port = cairn_server.free_port()
        err = self.fails(EXIT_UNREACHABLE, "bucket", "list",
                         env={"CAIRN_ENDPOINT": "http://127.0.0.1:%d" % port})
        self.assertIn("127.0.0.1:%d" % port, err)
        self.fails(EXIT_UNREACHABLE, "bucket", "list", "--endpoint", "http://127.0.0.1:%d" % port)

    def test_json_error_document(self):
        r = cairn("object", "head", "no-such-bucket-%s/k" % secrets.token_hex(4), "--json")
        self.assertEqual(r.returncode, EXIT_NOT_FOUND)
        err = json.loads(r.stdout)
        self.assertFalse(err["ok"])
        self.assertEqual(err["error"]["exitCode"], EXIT_NOT_FOUND)

    def test_usage_errors(self):
        for args in ([], ["object"], ["object", "frobnicate"], ["bucket", "create"],
                     ["object", "list", "b", "--limit", "many"]):
            with self.subTest(args=args):
                r = cairn(*args)
                self.assertEqual(r.returncode, EXIT_USAGE, r.stderr)

    def test_bad_endpoint_or_ca_file(self):
        self.fails(EXIT_USAGE, "bucket", "list", "--endpoint", "localhost:9000")
        self.fails(EXIT_USAGE, "bucket", "list", "--endpoint", "ftp://127.0.0.1:1")
        self.fails(EXIT_LOCAL_FILE, "bucket", "list", "--endpoint", "https://127.0.0.1:1",
                   "--ca-file", self.path("no-such-ca.pem"))

    def test_missing_credentials(self):
        r = cairn("bucket", "list", creds=False, env={"HOME": self.tmp})
        self.assertEqual(r.returncode, EXIT_USAGE, r.stderr)
        self.assertIn(b"credentials", r.stderr)

    def test_help_on_every_command_has_examples(self):
        for cmd in (["object", "put"], ["object", "get"], ["object", "head"], ["object", "delete"],
                    ["object", "list"], ["bulk", "put"], ["bucket", "create"], ["bucket", "list"],
                    ["bucket", "delete"], ["bucket", "info"], ["bucket", "cors", "get"],
                    ["bucket", "cors", "set"], ["bucket", "cors", "delete"],
                    ["bucket", "lifecycle", "get"], ["bucket", "lifecycle", "set"],
                    ["bucket", "lifecycle", "delete"], ["presign"], ["object"], ["bulk"],
                    ["bucket"], ["bucket", "cors"], ["bucket", "lifecycle"]):
            with self.subTest(cmd=cmd):
                r = cairn(*(cmd + ["--help"]))
                self.assertEqual(r.returncode, 0)
                self.assertIn(b"Examples:", r.stdout)
                if len(cmd) > 1 and cmd[-1] not in ("cors", "lifecycle"):
                    self.assertIn(b"--json", r.stdout)


class ProfileTests(CliTestCase):
    def test_profile_file(self):
        b = self.new_bucket("cli")
        config = self.path("config.json")
        with open(config, "w") as f:
            json.dump({"profiles": {
                "default": {"endpoint": "http://127.0.0.1:1", "access_key_id": "X",
                            "secret_access_key": "Y"},
                "test": {"endpoint": self.t.endpoint, "access_key_id": self.t.access_key,
                         "secret_access_key": self.t.secret_key}}}, f)
        env = {"CAIRN_CONFIG": config}
        out = self.ok_json("object", "list", b, "--profile", "test", creds=False, env=env)
        self.assertEqual(out["objects"], [])
        # Without --profile, "default" applies (and points nowhere).
        self.fails(EXIT_UNREACHABLE, "object", "list", b, creds=False, env=env)
        # Flags beat the profile.
        self.ok("object", "list", b, "--endpoint", self.t.endpoint, "--access-key-id",
                self.t.access_key, "--secret-access-key", self.t.secret_key, creds=False, env=env)
        self.fails(EXIT_USAGE, "object", "list", b, "--profile", "nope", creds=False, env=env)


@unittest.skipIf(cairn_server.external(), "--local needs a cairn we start ourselves")
class LocalTests(CliTestCase):
    def test_local_put_on_a_stopped_server_then_serve_it(self):
        server = CairnServer(name="cli-local")
        self.addCleanup(server.cleanup)
        server.start()
        s3 = cairn_server.client(server.target())
        s3.create_bucket(Bucket="local")
        server.stop()

        f = self.path("local.txt")
        with open(f, "w") as out:
            out.write("written without a server")
        out = self.ok_json("object", "put", "local/k.txt", "-f", f, "--meta", "via=local",
                           "--local", "--data-dir", server.data_dir, creds=False)
        self.assertEqual(out["size"], 24)
        listing = self.ok_json("object", "list", "local", "--local", "--data-dir", server.data_dir,
                               creds=False)
        self.assertEqual([o["key"] for o in listing["objects"]], ["k.txt"])
        self.ok("bucket", "create", "made-locally", "--local", "--data-dir", server.data_dir,
                creds=False)
        # Nothing of the one-off key stays behind.
        self.assertFalse(os.path.exists(os.path.join(server.data_dir, "admin-credentials.json")))

        server.start()
        obj = s3.get_object(Bucket="local", Key="k.txt")
        self.assertEqual(obj["Body"].read(), b"written without a server")
        self.assertEqual(obj["Metadata"], {"via": "local"})
        self.assertEqual(obj["ContentType"], "text/plain; charset=utf-8")
        self.assertIn("made-locally", [x["Name"] for x in s3.list_buckets()["Buckets"]])

        # While the server holds the directory, --local refuses and changes nothing.
        err = self.fails(EXIT_S3, "object", "put", "local/k2.txt", "-f", f, "--local",
                         "--data-dir", server.data_dir, creds=False)
        self.assertIn("refusing", err)
        self.assertRegex(err, r"in use by another cairn process \(pid \d+\)")
        self.assertNotIn("Contents", s3.list_objects_v2(Bucket="local", Prefix="k2"))

    def test_local_needs_an_existing_data_dir(self):
        self.fails(EXIT_LOCAL_FILE, "bucket", "list", "--local", "--data-dir",
                   self.path("no-such-dir"), creds=False)
        self.assertFalse(os.path.exists(self.path("no-such-dir")))

    def test_local_excludes_an_endpoint(self):
        self.fails(EXIT_USAGE, "bucket", "list", "--local", "--endpoint", "http://x:1")


if __name__ == "__main__":
    cairn_server.main()
