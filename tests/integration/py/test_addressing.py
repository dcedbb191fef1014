"""Addressing and transport: virtual-hosted style, keep-alive, Expect: 100-continue, and boto3 over
TLS (where botocore >= 1.36 sends its default CRC32 as an aws-chunked trailer)."""
import contextlib
import hashlib
import http.client
import os
import shutil
import socket
import subprocess
import tempfile
import time
import unittest

from botocore.exceptions import ClientError

import cairn_server
import s3sig
from cairn_server import CairnTestCase, capture_requests, raw_request, xml_all, xml_text


def tearDownModule():
    cairn_server.shutdown()


@contextlib.contextmanager
def localhost_subdomains_resolve():
    """Makes *.localhost resolve to 127.0.0.1 in this process (RFC 6761 loopback names; Debian's
    /etc/hosts only knows localhost itself)."""
    real = socket.getaddrinfo

    def fake(host, *args, **kwargs):
        if isinstance(host, str) and host.endswith(".localhost"):
            host = "127.0.0.1"
        return real(host, *args, **kwargs)

    socket.getaddrinfo = fake
    try:
        yield
    finally:
        socket.getaddrinfo = real


class VirtualHostTests(CairnTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if cls.t.host not in ("127.0.0.1", "localhost"):
            raise unittest.SkipTest("virtual-hosted tests need a loopback endpoint")
        cls.vendpoint = "%s://localhost:%d" % (cls.t.scheme, cls.t.port)

    def vclient(self):
        return cairn_server.client(self.t, addressing_style="virtual", endpoint=self.vendpoint)

    def test_boto3_virtual_hosted(self):
        b = self.new_bucket("vhost")
        with localhost_subdomains_resolve():
            v = self.vclient()
            with capture_requests(v) as seen:
                r = v.put_object(Bucket=b, Key="dir/file name.txt", Body=b"virtual",
                                 ContentType="text/plain")
            self.assertTrue(seen[-1][1].startswith("%s://%s.localhost:%d/" % (
                self.t.scheme, b, self.t.port)), seen[-1][1])
            self.assertEqual(r["ETag"], s3sig.quoted_md5(b"virtual"))
            got = v.get_object(Bucket=b, Key="dir/file name.txt")
            self.assertEqual(got["Body"].read(), b"virtual")
            keys = [o["Key"] for o in v.list_objects_v2(Bucket=b)["Contents"]]
            self.assertEqual(keys, ["dir/file name.txt"])
            v.head_bucket(Bucket=b)
            self.assertEqual(v.get_bucket_location(Bucket=b).get("LocationConstraint"), "auto")
            url = v.generate_presigned_url("get_object",
                                           Params={"Bucket": b, "Key": "dir/file name.txt"},
                                           ExpiresIn=300)
            self.assertIn("%s.localhost" % b, url)
            self.assertEqual(cairn_server.urlopen(url).body, b"virtual")
            v.delete_objects(Bucket=b, Delete={"Objects": [{"Key": "dir/file name.txt"}]})
            self.assertEqual(v.list_objects_v2(Bucket=b)["KeyCount"], 0)
        # And the same object space through path style.
        self.assertEqual(self.s3.list_objects_v2(Bucket=b)["KeyCount"], 0)

    def test_virtual_create_and_delete_bucket(self):
        name = "vcreate-" + os.urandom(4).hex()
        with localhost_subdomains_resolve():
            v = self.vclient()
            v.create_bucket(Bucket=name)
            self.s3.head_bucket(Bucket=name)
            with self.assertRaises(ClientError) as cm:
                v.create_bucket(Bucket=name)
            self.assertClientError(cm.exception, "BucketAlreadyOwnedByYou", 409)
            v.delete_bucket(Bucket=name)
        with self.assertRaises(ClientError):
            self.s3.head_bucket(Bucket=name)

    def test_raw_host_header(self):
        b = self.new_bucket("vraw")
        host = "%s.localhost:%d" % (b, self.t.port)
        r = raw_request("PUT", "/" + s3sig.uri_encode("a/b c", encode_slash=False),
                        body=b"hosted", host=host)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(self.s3.get_object(Bucket=b, Key="a/b c")["Body"].read(), b"hosted")
        r = raw_request("GET", "/", query=[("list-type", "2")], host=host)
        self.assertEqual(r.status, 200, r)
        self.assertEqual([xml_text(c, "Key") for c in xml_all(r.xml(), "Contents")], ["a/b c"])
        # Key with a leading slash: //key in virtual-hosted style.
        r = raw_request("PUT", "//lead", body=b"slash", host=host)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(self.s3.get_object(Bucket=b, Key="/lead")["Body"].read(), b"slash")

    def test_raw_host_dotted_bucket(self):
        name = "dotted.bucket." + os.urandom(3).hex()
        self.s3.create_bucket(Bucket=name)
        self.addCleanup(self.empty_and_delete, name)
        host = "%s.localhost:%d" % (name, self.t.port)
        r = raw_request("PUT", "/k", body=b"dots", host=host)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(self.s3.get_object(Bucket=name, Key="k")["Body"].read(), b"dots")

    def test_host_without_port_and_uppercase(self):
        b = self.new_bucket("vhostcase")
        self.s3.put_object(Bucket=b, Key="k", Body=b"case")
        for host in ["%s.localhost" % b, "%s.LOCALHOST:%d" % (b, self.t.port)]:
            with self.subTest(host=host):
                r = raw_request("GET", "/k", host=host)
                self.assertEqual(r.status, 200, r)
                self.assertEqual(r.body, b"case")

    def test_path_style_on_base_domain_and_ip(self):
        b = self.new_bucket("pathstyle")
        self.s3.put_object(Bucket=b, Key="k", Body=b"path")
        for host in ["localhost:%d" % self.t.port, "127.0.0.1:%d" % self.t.port]:
            with self.subTest(host=host):
                r = raw_request("GET", "/%s/k" % b, host=host)
                self.assertEqual(r.body, b"path")

    def test_virtual_host_missing_bucket(self):
        host = "nosuch-%s.localhost:%d" % (os.urandom(3).hex(), self.t.port)
        r = raw_request("GET", "/k", host=host)
        self.assertS3Error(r, 404, "NoSuchBucket")


class TransportTests(CairnTestCase):
    def test_keep_alive_many_requests_one_connection(self):
        b = self.new_bucket("keepalive")
        conn = cairn_server.connection(self.t)
        try:
            first_sock = None
            for i in range(30):
                if i % 3 == 0:
                    r = raw_request("PUT", "/%s/k%d" % (b, i), body=b"v%d" % i, conn=conn)
                    self.assertEqual(r.status, 200, r)
                elif i % 3 == 1:
                    r = raw_request("GET", "/%s/k%d" % (b, i - 1), conn=conn)
                    self.assertEqual(r.body, b"v%d" % (i - 1))
                else:
                    r = raw_request("GET", "/%s/missing" % b, conn=conn)
                    self.assertEqual(r.status, 404)
                self.assertNotEqual((r.header("Connection") or "").lower(), "close")
                if first_sock is None:
                    first_sock = conn.sock
                self.assertIs(conn.sock, first_sock, "connection was not kept alive")
        finally:
            conn.close()

    def test_error_before_body_keeps_connection_in_sync(self):
        # A PUT refused from its headers alone (missing bucket, failed precondition, ...) while
        # the body is still on its way: the server must read and discard that body (or close the
        # connection), never parse it as the next request on a kept-alive connection.
        b = self.new_bucket("desync")
        self.s3.put_object(Bucket=b, Key="exists", Body=b"v1")
        cases = [
            ("/no-such-bucket-%s/k" % os.urandom(3).hex(), {}, 404),
            ("/%s/exists" % b, {"If-None-Match": "*"}, 412),
            ("/%s/%s" % (b, "k" * 1100), {}, 400),
        ]
        for path, extra, status in cases:
            with self.subTest(path=path[:40], status=status):
                body = b"GET / HTTP/1.1\r\nHost: smuggled\r\n\r\n" + b"x" * 5000
                hdrs, _ = self.t.signer().sign("PUT", path, (), dict(
                    extra, host=self.t.netloc, **{"Content-Length": str(len(body))}),
                    s3sig.UNSIGNED_PAYLOAD)
                get_path = "/%s/exists" % b
                get_hdrs, _ = self.t.signer().sign("GET", get_path, (), {"host": self.t.netloc},
                                                   s3sig.EMPTY_SHA256)
                with socket.create_connection((self.t.host, self.t.port), timeout=10) as s:
                    s.sendall(("PUT %s HTTP/1.1\r\n" % path + "".join(
                        "%s: %s\r\n" % kv for kv in hdrs.items()) + "\r\n").encode())
                    time.sleep(0.2)  # the server answers before the body arrives
                    try:
                        s.sendall(body)
                        s.sendall(("GET %s HTTP/1.1\r\n" % get_path + "".join(
                            "%s: %s\r\n" % kv for kv in get_hdrs.items()) + "\r\n").encode())
                    except OSError:
                        pass  # the server closed the connection: allowed
                    data = b""
                    deadline = time.monotonic() + 5
                    while time.monotonic() < deadline:
                        try:
                            chunk = s.recv(65536)
                        except (ConnectionResetError, socket.timeout):
                            break
                        if not chunk:
                            break
                        data += chunk
                        if b"v1" in data.split(b"\r\n\r\n", 2)[-1]:
                            break
                self.assertTrue(data.startswith(b"HTTP/1.1 %d" % status), data[:300])
                responses = data.count(b"HTTP/1.1 ")
                if responses > 1:
                    # The connection stayed open: the next answer is the GET's, not garbage.
                    second = data[data.index(b"HTTP/1.1 ", 5):]
                    self.assertTrue(second.startswith(b"HTTP/1.1 200"), data[:800])
                    self.assertTrue(second.endswith(b"v1"), data[:800])
                else:
                    self.assertIn(b"connection: close", data.lower(), data[:500])
                self.assertStillOk(b)

    def assertStillOk(self, b):
        self.assertEqual(self.s3.get_object(Bucket=b, Key="exists")["Body"].read(), b"v1")

    def test_expect_100_continue(self):
        b = self.new_bucket("expect")
        body = os.urandom(100_000)
        path = "/%s/expect" % b
        hdrs, _ = self.t.signer().sign("PUT", path, (), {
            "host": self.t.netloc, "Expect": "100-continue", "Content-Length": str(len(body))},
            hashlib.sha256(body).hexdigest())
        with socket.create_connection((self.t.host, self.t.port), timeout=10) as s:
            head = "PUT %s HTTP/1.1\r\n" % path + "".join(
                "%s: %s\r\n" % kv for kv in hdrs.items()) + "\r\n"
            s.sendall(head.encode())
            interim = b""
            while b"\r\n\r\n" not in interim:
                chunk = s.recv(4096)
                if not chunk:
                    break
                interim += chunk
            self.assertTrue(interim.startswith(b"HTTP/1.1 100"), interim)
            s.sendall(body)
            rest = interim.split(b"\r\n\r\n", 1)[1]
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                # skip any further interim (1xx) responses
                while rest.startswith(b"HTTP/1.1 1") and b"\r\n\r\n" in rest:
                    rest = rest.split(b"\r\n\r\n", 1)[1]
                if b"\r\n\r\n" in rest:
                    break
                chunk = s.recv(4096)
                if not chunk:
                    break
                rest += chunk
            self.assertTrue(rest.startswith(b"HTTP/1.1 200"), rest)
        self.assertEqual(self.s3.get_object(Bucket=b, Key="expect")["Body"].read(), body)

    def test_expect_100_continue_refused_request_gets_final_status(self):
        # A request that fails before the body (missing bucket) may be answered at once.
        path = "/no-such-bucket-%s/k" % os.urandom(3).hex()
        hdrs, _ = self.t.signer().sign("PUT", path, (), {
            "host": self.t.netloc, "Expect": "100-continue", "Content-Length": "10"},
            s3sig.UNSIGNED_PAYLOAD)
        with socket.create_connection((self.t.host, self.t.port), timeout=10) as s:
            s.sendall(("PUT %s HTTP/1.1\r\n" % path + "".join(
                "%s: %s\r\n" % kv for kv in hdrs.items()) + "\r\n").encode())
            data = s.recv(4096)
            if data.startswith(b"HTTP/1.1 100"):
                s.sendall(b"0123456789")
                while b"HTTP/1.1 404" not in data:
                    more = s.recv(4096)
                    if not more:
                        break
                    data += more
            self.assertIn(b"HTTP/1.1 404", data)


class BaseDomainTests(unittest.TestCase):
    """--base-domain: virtual-hosted names under another domain (issue 2: configurable)."""

    @classmethod
    def setUpClass(cls):
        if cairn_server.external():
            raise unittest.SkipTest("starts its own server")
        cls.server = cairn_server.CairnServer(extra_args=["--base-domain", "s3.cairn.test"],
                                              name="basedomain")
        cls.addClassCleanup(cls.server.cleanup)
        try:
            cls.server.start()
        except cairn_server.ServerStartError as e:
            raise unittest.SkipTest("cairn did not start with --base-domain: %s" % str(e)[:300])
        cls.t = cls.server.target()
        cls.s3 = cairn_server.client(cls.t)

    def test_virtual_host_under_base_domain(self):
        b = "based-" + os.urandom(3).hex()
        self.s3.create_bucket(Bucket=b)
        host = "%s.s3.cairn.test:%d" % (b, self.t.port)
        r = raw_request("PUT", "/obj", body=b"based", host=host, t=self.t)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(self.s3.get_object(Bucket=b, Key="obj")["Body"].read(), b"based")
        r = raw_request("GET", "/", query=[("list-type", "2")], host=host, t=self.t)
        self.assertEqual([xml_text(c, "Key") for c in xml_all(r.xml(), "Contents")], ["obj"])
        # The base domain itself is path style.
        r = raw_request("GET", "/%s/obj" % b, host="s3.cairn.test:%d" % self.t.port, t=self.t)
        self.assertEqual(r.body, b"based")


def make_cert(workdir):
    cert = os.path.join(workdir, "cert.pem")
    key = os.path.join(workdir, "key.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-keyout", key, "-out", cert, "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=DNS:localhost,DNS:*.localhost,IP:127.0.0.1"],
                   check=True, capture_output=True, timeout=60)
    return cert, key


class TlsTests(unittest.TestCase):
    """boto3 over https: a current botocore sends PutObject bodies as aws-chunked with a CRC32
    trailer (STREAMING-UNSIGNED-PAYLOAD-TRAILER); Debian's 1.26 does so with ChecksumAlgorithm."""

    @classmethod
    def setUpClass(cls):
        if cairn_server.external():
            raise unittest.SkipTest("TLS test starts its own server")
        if not shutil.which("openssl"):
            raise unittest.SkipTest("openssl not installed")
        cls.tmp = tempfile.mkdtemp(prefix="cairn-tls-")
        cls.addClassCleanup(shutil.rmtree, cls.tmp, ignore_errors=True)
        cls.cert, key = make_cert(cls.tmp)
        cls.console_port = cairn_server.free_port()
        cls.server = cairn_server.CairnServer(extra_args=["--tls-cert", cls.cert,
                                                          "--tls-key", key, "--console-listen",
                                                          "127.0.0.1:%d" % cls.console_port],
                                              scheme="https", name="tls")
        cls.addClassCleanup(cls.server.cleanup)  # also when setUpClass fails half way
        try:
            cls.server.start()
        except cairn_server.ServerStartError as e:
            raise unittest.SkipTest("cairn did not start with --tls-cert/--tls-key: %s"
                                    % str(e)[:500])
        cls.t = cls.server.target()
        cls.s3 = cairn_server.client(cls.t, verify=cls.cert)
        cls.bucket = "tls-" + os.urandom(4).hex()
        cls.s3.create_bucket(Bucket=cls.bucket)

    def test_put_trailer_checksum_from_file(self):
        data = os.urandom(300_000)
        with tempfile.TemporaryFile() as f:
            f.write(data)
            f.seek(0)
            kwargs = {} if cairn_server.new_defaults() else {"ChecksumAlgorithm": "CRC32"}
            with capture_requests(self.s3) as seen:
                r = self.s3.put_object(Bucket=self.bucket, Key="trailer.bin", Body=f, **kwargs)
        sent = {k.lower(): v for k, v in seen[-1][2].items()}
        self.assertEqual(sent.get("x-amz-content-sha256"), "STREAMING-UNSIGNED-PAYLOAD-TRAILER")
        self.assertEqual(sent.get("x-amz-trailer"), "x-amz-checksum-crc32")
        self.assertIn("aws-chunked", sent.get("content-encoding", ""))
        self.assertEqual(r["ETag"], s3sig.quoted_md5(data))
        got = self.s3.get_object(Bucket=self.bucket, Key="trailer.bin", ChecksumMode="ENABLED")
        self.assertEqual(got["Body"].read(), data)
        self.assertEqual(got.get("ChecksumCRC32"), s3sig.checksum_value("crc32", data))
        # aws-chunked is a transfer detail: it is not stored as the object's Content-Encoding.
        self.assertNotIn("aws-chunked", got.get("ContentEncoding", "") or "")

    def test_trailer_with_content_encoding(self):
        data = b"gzipped-ish" * 1000
        with tempfile.TemporaryFile() as f:
            f.write(data)
            f.seek(0)
            kwargs = {} if cairn_server.new_defaults() else {"ChecksumAlgorithm": "CRC32"}
            with capture_requests(self.s3) as seen:
                self.s3.put_object(Bucket=self.bucket, Key="enc.bin", Body=f,
                                   ContentEncoding="gzip", **kwargs)
        sent = {k.lower(): v for k, v in seen[-1][2].items()}
        if "gzip" not in sent.get("content-encoding", ""):
            # botocore 1.29 replaces the caller's Content-Encoding by "aws-chunked".
            self.skipTest("this botocore sent Content-Encoding %r" % sent.get("content-encoding"))
        self.assertEqual(sent["content-encoding"], "gzip,aws-chunked")
        h = self.s3.head_object(Bucket=self.bucket, Key="enc.bin")
        self.assertEqual(h["ContentEncoding"], "gzip")
        self.assertEqual(h["ContentLength"], len(data))

    def test_trailer_sha256(self):
        data = os.urandom(50_000)
        with tempfile.TemporaryFile() as f:
            f.write(data)
            f.seek(0)
            self.s3.put_object(Bucket=self.bucket, Key="sha.bin", Body=f,
                               ChecksumAlgorithm="SHA256")
        got = self.s3.head_object(Bucket=self.bucket, Key="sha.bin", ChecksumMode="ENABLED")
        self.assertEqual(got.get("ChecksumSHA256"), s3sig.checksum_value("sha256", data))

    def test_blob_backed_get_over_tls(self):
        # Over TLS the bytes of a blob file are read into buffers off the event loop (no
        # sendfile): whole, ranged across the parts of a multipart object, and by part number.
        part_size = 5 << 20
        data = os.urandom(part_size + 300_000)
        up = self.s3.create_multipart_upload(Bucket=self.bucket, Key="big.bin")
        parts = []
        for number, at in ((1, 0), (2, part_size)):
            got = self.s3.upload_part(Bucket=self.bucket, Key="big.bin", UploadId=up["UploadId"],
                                      PartNumber=number, Body=data[at:at + part_size])
            parts.append({"PartNumber": number, "ETag": got["ETag"]})
        self.s3.complete_multipart_upload(Bucket=self.bucket, Key="big.bin",
                                          UploadId=up["UploadId"],
                                          MultipartUpload={"Parts": parts})
        whole = self.s3.get_object(Bucket=self.bucket, Key="big.bin")["Body"].read()
        self.assertEqual(whole, data)
        ranged = self.s3.get_object(Bucket=self.bucket, Key="big.bin",
                                    Range="bytes=%d-%d" % (part_size - 1000, part_size + 999))
        self.assertEqual(ranged["Body"].read(), data[part_size - 1000:part_size + 1000])
        second = self.s3.get_object(Bucket=self.bucket, Key="big.bin", PartNumber=2)
        self.assertEqual(second["Body"].read(), data[part_size:])

    def test_locations_are_https(self):
        up = self.s3.create_multipart_upload(Bucket=self.bucket, Key="mp.bin")
        part = self.s3.upload_part(Bucket=self.bucket, Key="mp.bin", UploadId=up["UploadId"],
                                   PartNumber=1, Body=b"small last part")
        done = self.s3.complete_multipart_upload(
            Bucket=self.bucket, Key="mp.bin", UploadId=up["UploadId"],
            MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": part["ETag"]}]})
        self.assertEqual(done["Location"], "%s/%s/mp.bin" % (self.t.endpoint, self.bucket))

    def test_dashboard_cookie_is_secure_over_tls(self):
        import json
        import ssl
        conn = http.client.HTTPSConnection("127.0.0.1", self.console_port, timeout=30,
                                           context=ssl._create_unverified_context())
        try:
            body = json.dumps({"accessKeyId": self.t.access_key,
                               "secretAccessKey": self.t.secret_key})
            conn.request("POST", "/_cairn/api/session", body=body,
                         headers={"X-Cairn-Dashboard": "1", "Content-Type": "application/json",
                                  "Origin": "https://127.0.0.1:%d" % self.console_port})
            resp = conn.getresponse()
            resp.read()
        finally:
            conn.close()
        self.assertEqual(resp.status, 200)
        self.assertIn("; Secure", resp.getheader("Set-Cookie"))

    def test_presigned_https(self):
        self.s3.put_object(Bucket=self.bucket, Key="p", Body=b"over tls")
        url = self.s3.generate_presigned_url("get_object",
                                             Params={"Bucket": self.bucket, "Key": "p"},
                                             ExpiresIn=60)
        self.assertTrue(url.startswith("https://"))
        self.assertEqual(cairn_server.urlopen(url).body, b"over tls")


if __name__ == "__main__":
    cairn_server.main()
