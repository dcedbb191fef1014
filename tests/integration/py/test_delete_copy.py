"""DeleteObject, DeleteObjects and CopyObject with boto3."""
import datetime
import os
import time

from botocore.exceptions import ClientError

import cairn_server
import s3sig
from cairn_server import CairnTestCase, raw_request, xml_all, xml_text


def tearDownModule():
    cairn_server.shutdown()


class DeleteTests(CairnTestCase):
    def test_delete_object_idempotent(self):
        b = self.new_bucket("del")
        self.s3.put_object(Bucket=b, Key="k", Body=b"x")
        r = self.s3.delete_object(Bucket=b, Key="k")
        self.assertEqual(r["ResponseMetadata"]["HTTPStatusCode"], 204)
        with self.assertRaises(ClientError) as cm:
            self.s3.get_object(Bucket=b, Key="k")
        self.assertClientError(cm.exception, "NoSuchKey", 404)
        r = self.s3.delete_object(Bucket=b, Key="k")
        self.assertEqual(r["ResponseMetadata"]["HTTPStatusCode"], 204)
        r = self.s3.delete_object(Bucket=b, Key="never-existed")
        self.assertEqual(r["ResponseMetadata"]["HTTPStatusCode"], 204)

    def test_delete_object_missing_bucket(self):
        with self.assertRaises(ClientError) as cm:
            self.s3.delete_object(Bucket="no-such-" + os.urandom(4).hex(), Key="k")
        self.assertClientError(cm.exception, "NoSuchBucket", 404)

    def test_delete_objects_verbose(self):
        b = self.new_bucket("multi")
        keys = ["a", "b c", "ü/ni", "x+y", "<&>"]
        for k in keys:
            self.s3.put_object(Bucket=b, Key=k, Body=b"1")
        with cairn_server.capture_requests(self.s3) as seen:
            r = self.s3.delete_objects(Bucket=b, Delete={
                "Objects": [{"Key": k} for k in keys + ["missing"]], "Quiet": False})
        headers = {k.lower(): v for k, v in seen[-1][2].items()}
        if cairn_server.new_defaults():
            # boto3 >= 1.36 sends a CRC32 instead of Content-MD5.
            self.assertTrue(any(h.startswith("x-amz-checksum-") for h in headers), headers)
        else:
            self.assertIn("content-md5", headers)
        deleted = sorted(d["Key"] for d in r.get("Deleted", []))
        # S3 reports a key that did not exist as deleted as well.
        self.assertEqual(deleted, sorted(keys + ["missing"]))
        self.assertEqual(r.get("Errors", []), [])
        self.assertNotIn("Contents", self.s3.list_objects_v2(Bucket=b))

    def test_delete_objects_quiet(self):
        b = self.new_bucket("quiet")
        for i in range(10):
            self.s3.put_object(Bucket=b, Key="q%d" % i, Body=b"1")
        r = self.s3.delete_objects(Bucket=b, Delete={
            "Objects": [{"Key": "q%d" % i} for i in range(10)], "Quiet": True})
        self.assertEqual(r.get("Deleted", []), [])
        self.assertEqual(r.get("Errors", []), [])
        self.assertEqual(self.s3.list_objects_v2(Bucket=b)["KeyCount"], 0)

    def test_delete_objects_with_content_md5_raw(self):
        b = self.new_bucket("md5del")
        self.s3.put_object(Bucket=b, Key="one", Body=b"1")
        body = (b'<?xml version="1.0" encoding="UTF-8"?>'
                b'<Delete xmlns="http://s3.amazonaws.com/doc/2006-03-01/">'
                b"<Object><Key>one</Key></Object></Delete>")
        r = raw_request("POST", "/" + b, query=[("delete", "")], body=body,
                        headers={"Content-MD5": s3sig.content_md5(body),
                                 "Content-Type": "application/xml"})
        self.assertEqual(r.status, 200, r)
        self.assertEqual([xml_text(d, "Key") for d in xml_all(r.xml(), "Deleted")], ["one"])

    def test_delete_objects_with_crc32_raw(self):
        b = self.new_bucket("crcdel")
        self.s3.put_object(Bucket=b, Key="one", Body=b"1")
        body = (b'<Delete><Object><Key>one</Key></Object><Quiet>true</Quiet></Delete>')
        r = raw_request("POST", "/" + b, query=[("delete", "")], body=body,
                        headers={"x-amz-checksum-crc32": s3sig.checksum_value("crc32", body),
                                 "x-amz-sdk-checksum-algorithm": "CRC32"})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(self.s3.list_objects_v2(Bucket=b)["KeyCount"], 0)

    def test_delete_objects_wrong_md5(self):
        b = self.new_bucket("badmd5")
        self.s3.put_object(Bucket=b, Key="one", Body=b"1")
        body = b"<Delete><Object><Key>one</Key></Object></Delete>"
        r = raw_request("POST", "/" + b, query=[("delete", "")], body=body,
                        headers={"Content-MD5": s3sig.content_md5(b"something else")})
        self.assertS3Error(r, 400, "BadDigest")
        self.assertEqual(self.s3.list_objects_v2(Bucket=b)["KeyCount"], 1)

    def test_delete_objects_malformed_xml(self):
        b = self.new_bucket("badxml")
        body = b"<Delete><Object><Key>unterminated"
        r = raw_request("POST", "/" + b, query=[("delete", "")], body=body,
                        headers={"Content-MD5": s3sig.content_md5(body)})
        self.assertS3Error(r, 400, "MalformedXML")

    def test_delete_objects_over_1000_keys(self):
        b = self.new_bucket("toomany")
        with self.assertRaises(ClientError) as cm:
            self.s3.delete_objects(Bucket=b, Delete={
                "Objects": [{"Key": "k%d" % i} for i in range(1001)], "Quiet": True})
        self.assertClientError(cm.exception, "MalformedXML", 400)

    def test_delete_objects_1000_keys(self):
        b = self.new_bucket("thousand")
        r = self.s3.delete_objects(Bucket=b, Delete={
            "Objects": [{"Key": "k%d" % i} for i in range(1000)], "Quiet": False})
        self.assertEqual(len(r["Deleted"]), 1000)


class CopyTests(CairnTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.bucket = "copy-" + os.urandom(4).hex()
        cls.s3.create_bucket(Bucket=cls.bucket)
        cls.body = os.urandom(5000)
        cls.src = cls.s3.put_object(Bucket=cls.bucket, Key="src key+ü", Body=cls.body,
                                    ContentType="image/jpeg", CacheControl="max-age=60",
                                    Metadata={"origin": "camera"})

    @classmethod
    def tearDownClass(cls):
        cls.empty_and_delete(cls.bucket)
        super().tearDownClass()

    def source(self):
        return {"Bucket": self.bucket, "Key": "src key+ü"}

    def test_copy_default_directive_copies_metadata(self):
        r = self.s3.copy_object(Bucket=self.bucket, Key="dst-copy", CopySource=self.source())
        self.assertEqual(r["CopyObjectResult"]["ETag"], self.src["ETag"])
        self.assertIn("LastModified", r["CopyObjectResult"])
        got = self.s3.get_object(Bucket=self.bucket, Key="dst-copy")
        self.assertEqual(got["Body"].read(), self.body)
        self.assertEqual(got["ContentType"], "image/jpeg")
        self.assertEqual(got["CacheControl"], "max-age=60")
        self.assertEqual(got["Metadata"], {"origin": "camera"})
        self.assertEqual(got["ETag"], self.src["ETag"])

    def test_copy_copy_directive_ignores_new_metadata(self):
        self.s3.copy_object(Bucket=self.bucket, Key="dst-copy2", CopySource=self.source(),
                            MetadataDirective="COPY", Metadata={"ignored": "yes"},
                            ContentType="text/plain")
        h = self.s3.head_object(Bucket=self.bucket, Key="dst-copy2")
        self.assertEqual(h["Metadata"], {"origin": "camera"})
        self.assertEqual(h["ContentType"], "image/jpeg")

    def test_copy_replace_directive(self):
        self.s3.copy_object(Bucket=self.bucket, Key="dst-replace", CopySource=self.source(),
                            MetadataDirective="REPLACE", Metadata={"new": "meta"},
                            ContentType="application/x-new")
        h = self.s3.head_object(Bucket=self.bucket, Key="dst-replace")
        self.assertEqual(h["Metadata"], {"new": "meta"})
        self.assertEqual(h["ContentType"], "application/x-new")
        self.assertNotIn("CacheControl", h)
        self.assertEqual(h["ETag"], self.src["ETag"])

    def test_copy_to_itself_with_replace(self):
        self.s3.put_object(Bucket=self.bucket, Key="self", Body=b"self", Metadata={"v": "1"})
        self.s3.copy_object(Bucket=self.bucket, Key="self",
                            CopySource={"Bucket": self.bucket, "Key": "self"},
                            MetadataDirective="REPLACE", Metadata={"v": "2"})
        h = self.s3.head_object(Bucket=self.bucket, Key="self")
        self.assertEqual(h["Metadata"], {"v": "2"})
        self.assertEqual(self.s3.get_object(Bucket=self.bucket, Key="self")["Body"].read(),
                         b"self")

    def test_copy_to_itself_without_change_is_refused(self):
        # S3: "This copy request is illegal because it is trying to copy an object to itself
        # without changing the object's metadata, storage class, website redirect location or
        # encryption attributes." -> 400 InvalidRequest.
        self.s3.put_object(Bucket=self.bucket, Key="self2", Body=b"x")
        with self.assertRaises(ClientError) as cm:
            self.s3.copy_object(Bucket=self.bucket, Key="self2",
                                CopySource={"Bucket": self.bucket, "Key": "self2"})
        self.assertClientError(cm.exception, "InvalidRequest", 400)

    def test_copy_across_buckets_and_storage_class(self):
        other = self.new_bucket("copydst")
        self.s3.copy_object(Bucket=other, Key="moved/ü name", CopySource=self.source(),
                            StorageClass="STANDARD_IA")
        h = self.s3.head_object(Bucket=other, Key="moved/ü name")
        self.assertEqual(h["ContentLength"], len(self.body))
        self.assertEqual(h.get("StorageClass"), "STANDARD_IA")

    def test_copy_source_if_match(self):
        r = self.s3.copy_object(Bucket=self.bucket, Key="dst-ifm", CopySource=self.source(),
                                CopySourceIfMatch=self.src["ETag"])
        self.assertEqual(r["CopyObjectResult"]["ETag"], self.src["ETag"])
        with self.assertRaises(ClientError) as cm:
            self.s3.copy_object(Bucket=self.bucket, Key="dst-ifm-bad", CopySource=self.source(),
                                CopySourceIfMatch='"00000000000000000000000000000000"')
        self.assertClientError(cm.exception, "PreconditionFailed", 412)
        with self.assertRaises(ClientError):
            self.s3.head_object(Bucket=self.bucket, Key="dst-ifm-bad")

    def test_copy_source_if_none_match(self):
        with self.assertRaises(ClientError) as cm:
            self.s3.copy_object(Bucket=self.bucket, Key="dst-inm", CopySource=self.source(),
                                CopySourceIfNoneMatch=self.src["ETag"])
        self.assertClientError(cm.exception, "PreconditionFailed", 412)
        self.s3.copy_object(Bucket=self.bucket, Key="dst-inm", CopySource=self.source(),
                            CopySourceIfNoneMatch='"00000000000000000000000000000000"')

    def test_copy_source_if_modified_since(self):
        past = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(days=1)
        future = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=1)
        self.s3.copy_object(Bucket=self.bucket, Key="dst-ims", CopySource=self.source(),
                            CopySourceIfModifiedSince=past)
        with self.assertRaises(ClientError) as cm:
            self.s3.copy_object(Bucket=self.bucket, Key="dst-ius", CopySource=self.source(),
                                CopySourceIfUnmodifiedSince=past)
        self.assertClientError(cm.exception, "PreconditionFailed", 412)
        self.s3.copy_object(Bucket=self.bucket, Key="dst-ius2", CopySource=self.source(),
                            CopySourceIfUnmodifiedSince=future)

    def test_copy_missing_source(self):
        with self.assertRaises(ClientError) as cm:
            self.s3.copy_object(Bucket=self.bucket, Key="dst-missing",
                                CopySource={"Bucket": self.bucket, "Key": "no such source"})
        self.assertClientError(cm.exception, "NoSuchKey", 404)
        with self.assertRaises(ClientError) as cm:
            self.s3.copy_object(Bucket=self.bucket, Key="dst-missing",
                                CopySource={"Bucket": "no-bucket-" + os.urandom(3).hex(),
                                            "Key": "x"})
        self.assertClientError(cm.exception, "NoSuchBucket", 404)

    def test_copy_source_raw_encodings(self):
        # The copy source header is URL-encoded; '+' there is a literal plus, %2B too.
        for header in ["/%s/src%%20key%%2B%%C3%%BC" % self.bucket,
                       "%s/src%%20key%%2B%%C3%%BC" % self.bucket,
                       "/%s/src%%20key+%%C3%%BC" % self.bucket]:
            with self.subTest(header=header):
                r = raw_request("PUT", s3sig.key_path(self.bucket, "raw-copy"),
                                headers={"x-amz-copy-source": header})
                self.assertEqual(r.status, 200, r)
                self.assertEqual(xml_text(r.xml(), "ETag"), self.src["ETag"])

    def test_copy_then_overwrite_source_keeps_copy(self):
        self.s3.put_object(Bucket=self.bucket, Key="mutable", Body=b"v1")
        self.s3.copy_object(Bucket=self.bucket, Key="snapshot",
                            CopySource={"Bucket": self.bucket, "Key": "mutable"})
        self.s3.put_object(Bucket=self.bucket, Key="mutable", Body=b"v2")
        self.s3.delete_object(Bucket=self.bucket, Key="mutable")
        self.assertEqual(self.s3.get_object(Bucket=self.bucket, Key="snapshot")["Body"].read(),
                         b"v1")

    def test_copy_last_modified_is_new(self):
        time.sleep(1.1)
        self.s3.copy_object(Bucket=self.bucket, Key="dst-time", CopySource=self.source())
        src = self.s3.head_object(Bucket=self.bucket, Key="src key+ü")["LastModified"]
        dst = self.s3.head_object(Bucket=self.bucket, Key="dst-time")["LastModified"]
        self.assertGreater(dst, src)


if __name__ == "__main__":
    cairn_server.main()
