"""Headers the signature does not cover are refused (issue 12, item 1): whoever holds a presigned
URL (or replays a signed request) must not be able to add x-amz-* headers to it, as S3 answers
403 AccessDenied "There were headers present in the request which were not signed". The attacks
are replayed with boto3's presigner and a plain HTTP client adding the headers, and each checks
that nothing was stored or changed; what real clients sign keeps working."""
import http.client
import urllib.parse

from botocore.exceptions import ClientError

import cairn_server
import s3sig
from cairn_server import CairnTestCase, Response

NOT_SIGNED = "There were headers present in the request which were not signed"
PAYROLL = b"name,salary\nalice,1000000\n"


def tearDownModule():
    cairn_server.shutdown()


class SignedHeadersTests(CairnTestCase):
    def setUp(self):
        self.bucket = self.new_bucket("signed")
        self.s3.put_object(Bucket=self.bucket, Key="secret/payroll.csv", Body=PAYROLL)

    # -- helpers --
    def send(self, method, url, body=b"", headers=None):
        """Follows a URL (presigned or not) with exactly `headers` added, as curl would."""
        parts = urllib.parse.urlsplit(url)
        path = parts.path + ("?" + parts.query if parts.query else "")
        conn = http.client.HTTPConnection(self.t.host, self.t.port, timeout=30)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            resp = conn.getresponse()
            return Response(resp.status, resp.reason, resp.headers, resp.read())
        finally:
            conn.close()

    def presign(self, operation, expires=300, **params):
        return self.s3.generate_presigned_url(
            operation, Params=dict(Bucket=self.bucket, **params), ExpiresIn=expires)

    def assertNotSigned(self, resp, *names):
        self.assertEqual(resp.status, 403, resp)
        self.assertEqual(resp.error_code(), "AccessDenied", resp)
        message = cairn_server.xml_text(resp.xml(), "Message")
        self.assertIn(NOT_SIGNED, message)
        for name in names:
            self.assertIn(name, message)

    def assertMissing(self, key):
        with self.assertRaises(ClientError) as caught:
            self.s3.head_object(Bucket=self.bucket, Key=key)
        self.assertEqual(caught.exception.response["ResponseMetadata"]["HTTPStatusCode"], 404)

    # -- the attacks --
    def test_copy_source_added_to_a_presigned_put_is_refused(self):
        url = self.presign("put_object", Key="uploads/avatar.png")
        resp = self.send("PUT", url, headers={
            "x-amz-copy-source": "/%s/secret/payroll.csv" % self.bucket})
        self.assertNotSigned(resp, "x-amz-copy-source")
        self.assertNotIn(b"CopyObjectResult", resp.body)
        self.assertMissing("uploads/avatar.png")

    def test_copy_source_added_to_a_presigned_upload_part_is_refused(self):
        upload = self.s3.create_multipart_upload(Bucket=self.bucket, Key="uploads/big.bin")
        upload_id = upload["UploadId"]
        self.addCleanup(self.s3.abort_multipart_upload, Bucket=self.bucket, Key="uploads/big.bin",
                        UploadId=upload_id)
        url = self.presign("upload_part", Key="uploads/big.bin", UploadId=upload_id, PartNumber=1)
        resp = self.send("PUT", url, headers={
            "x-amz-copy-source": "/%s/secret/payroll.csv" % self.bucket})
        self.assertNotSigned(resp, "x-amz-copy-source")
        self.assertNotIn(b"CopyPartResult", resp.body)
        parts = self.s3.list_parts(Bucket=self.bucket, Key="uploads/big.bin", UploadId=upload_id)
        self.assertEqual(parts.get("Parts", []), [])

    def test_unsigned_metadata_or_storage_class_on_a_presigned_put_is_refused(self):
        for header, value in (("x-amz-meta-owner", "attacker"),
                              ("x-amz-storage-class", "STANDARD_IA"),
                              ("X-Amz-Tagging", "a=b"),
                              ("x-amz-website-redirect-location", "https://example.com/")):
            with self.subTest(header=header):
                url = self.presign("put_object", Key="uploads/new.png")
                resp = self.send("PUT", url, b"png", {header: value})
                self.assertNotSigned(resp, header.lower())
                self.assertMissing("uploads/new.png")

    def test_an_existing_object_is_not_changed_by_a_refused_put(self):
        self.s3.put_object(Bucket=self.bucket, Key="uploads/avatar.png", Body=b"original",
                           ContentType="image/png", Metadata={"owner": "alice"})
        url = self.presign("put_object", Key="uploads/avatar.png")
        resp = self.send("PUT", url, b"replaced", {"x-amz-meta-owner": "mallory",
                                                   "Content-Type": "text/html"})
        self.assertNotSigned(resp, "x-amz-meta-owner")
        got = self.s3.get_object(Bucket=self.bucket, Key="uploads/avatar.png")
        self.assertEqual(got["Body"].read(), b"original")
        self.assertEqual(got["Metadata"], {"owner": "alice"})
        self.assertEqual(got["ContentType"], "image/png")

    def test_unsigned_header_added_to_an_authorization_header_request_is_refused(self):
        path = "/%s/signed-form.txt" % self.bucket
        headers = {"host": self.t.netloc}
        signer = self.t.signer()
        body = b"hello"
        headers, _ = signer.sign("PUT", path, (), headers,
                                 s3sig.hashlib.sha256(body).hexdigest())
        headers["x-amz-meta-injected"] = "yes"  # after signing: not in SignedHeaders
        headers["Content-Length"] = str(len(body))
        resp = self.send("PUT", "http://%s%s" % (self.t.netloc, path), body, headers)
        self.assertNotSigned(resp, "x-amz-meta-injected")
        self.assertMissing("signed-form.txt")

    def test_copy_source_added_to_an_authorization_header_put_is_refused(self):
        path = "/%s/copied.csv" % self.bucket
        headers, _ = self.t.signer().sign("PUT", path, (), {"host": self.t.netloc},
                                          s3sig.EMPTY_SHA256)
        headers["x-amz-copy-source"] = "/%s/secret/payroll.csv" % self.bucket
        headers["Content-Length"] = "0"
        resp = self.send("PUT", "http://%s%s" % (self.t.netloc, path), b"", headers)
        self.assertNotSigned(resp, "x-amz-copy-source")
        self.assertMissing("copied.csv")

    # -- what must keep working --
    def test_signed_metadata_on_a_presigned_put_is_stored(self):
        url = self.presign("put_object", Key="uploads/meta.png", Metadata={"owner": "alice"},
                           StorageClass="STANDARD_IA")
        signed = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)["X-Amz-SignedHeaders"][0]
        self.assertIn("x-amz-meta-owner", signed.split(";"))
        resp = self.send("PUT", url, b"png", {"x-amz-meta-owner": "alice",
                                              "x-amz-storage-class": "STANDARD_IA"})
        self.assertEqual(resp.status, 200, resp)
        head = self.s3.head_object(Bucket=self.bucket, Key="uploads/meta.png")
        self.assertEqual(head["Metadata"], {"owner": "alice"})
        self.assertEqual(head.get("StorageClass"), "STANDARD_IA")

    def test_signed_copy_source_on_a_presigned_url_copies(self):
        url = self.presign("copy_object", Key="uploads/copy.csv",
                           CopySource="%s/secret/payroll.csv" % self.bucket)
        signed = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)["X-Amz-SignedHeaders"][0]
        self.assertIn("x-amz-copy-source", signed.split(";"))
        resp = self.send("PUT", url, headers={
            "x-amz-copy-source": "%s/secret/payroll.csv" % self.bucket})
        self.assertEqual(resp.status, 200, resp)
        self.assertIn(b"CopyObjectResult", resp.body)
        got = self.s3.get_object(Bucket=self.bucket, Key="uploads/copy.csv")
        self.assertEqual(got["Body"].read(), PAYROLL)

    def test_unsigned_content_type_on_a_presigned_put_is_accepted_as_s3_does(self):
        # Content-Type is not an x-amz-* header: S3 takes it unsigned on a presigned PUT.
        url = self.presign("put_object", Key="uploads/typed.png")
        resp = self.send("PUT", url, b"png", {"Content-Type": "image/png"})
        self.assertEqual(resp.status, 200, resp)
        head = self.s3.head_object(Bucket=self.bucket, Key="uploads/typed.png")
        self.assertEqual(head["ContentType"], "image/png")

    def test_payload_hash_and_date_headers_with_the_signed_values_may_go_unlisted(self):
        url = self.presign("put_object", Key="uploads/plain.txt")
        resp = self.send("PUT", url, b"plain", {"x-amz-content-sha256": "UNSIGNED-PAYLOAD"})
        self.assertEqual(resp.status, 200, resp)
        resp = self.send("PUT", url, b"plain", {"x-amz-content-sha256": "0" * 64})
        self.assertNotSigned(resp, "x-amz-content-sha256")

    def test_boto3_requests_still_work(self):
        key = "uploads/boto.bin"
        self.s3.put_object(Bucket=self.bucket, Key=key, Body=b"x" * 1000, Metadata={"a": "1"},
                           StorageClass="STANDARD_IA", ChecksumAlgorithm="SHA256")
        self.s3.copy_object(Bucket=self.bucket, Key=key + ".copy",
                            CopySource={"Bucket": self.bucket, "Key": key})
        upload = self.s3.create_multipart_upload(Bucket=self.bucket, Key=key + ".mp")
        part = self.s3.upload_part_copy(Bucket=self.bucket, Key=key + ".mp",
                                        UploadId=upload["UploadId"], PartNumber=1,
                                        CopySource={"Bucket": self.bucket, "Key": key})
        self.s3.complete_multipart_upload(
            Bucket=self.bucket, Key=key + ".mp", UploadId=upload["UploadId"],
            MultipartUpload={"Parts": [{"PartNumber": 1,
                                        "ETag": part["CopyPartResult"]["ETag"]}]})
        got = self.s3.get_object(Bucket=self.bucket, Key=key + ".mp", ChecksumMode="ENABLED")
        self.assertEqual(got["Body"].read(), b"x" * 1000)
