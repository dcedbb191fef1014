"""POST Object with Signature Version 2 forms ("HTML forms (AWS signature version 2)"): the form
carries AWSAccessKeyId, policy and signature = base64(HMAC-SHA1(secret, policy)), as older browser
uploaders and boto3's generate_presigned_post with signature_version="s3" make it. Beyond R2, which
has no SigV2: cairn accepts it on POST forms only, held to the same key rules (scope, expiry,
revocation, temporary credentials) and policy conditions as a SigV4 form. SigV2 on any other
request stays refused."""
import base64
import datetime
import hashlib
import hmac
import json
import secrets

from botocore.config import Config
from botocore.exceptions import ClientError

import cairn_server
from admin_api import AccessTestCase, Credentials
from cairn_server import xml_text
from test_post_object import form, send

BODY = b"uploaded by a Signature Version 2 form\n"


def tearDownModule():
    cairn_server.shutdown()


def v2_client(t, creds=None):
    """boto3 signing with Signature Version 2 (HmacV1), as for its presigned POST forms."""
    creds = creds or Credentials(t.access_key, t.secret_key)
    return cairn_server.client(t, access_key=creds.access_key, secret_key=creds.secret_key,
                               session_token=creds.session_token, signature_version="s3")


def signed_form(t, bucket, key, conditions, expires_in=300, access_key=None, secret=None):
    """A SigV2 form built by hand: its fields (key first), with the policy and its signature."""
    expiration = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(
        seconds=expires_in)
    policy = {"expiration": expiration.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
              "conditions": [{"bucket": bucket}, {"key": key}] + conditions}
    encoded = base64.b64encode(json.dumps(policy).encode()).decode()
    signature = hmac.new((secret or t.secret_key).encode(), encoded.encode(), hashlib.sha1)
    return {"key": key, "AWSAccessKeyId": access_key or t.access_key, "policy": encoded,
            "signature": base64.b64encode(signature.digest()).decode()}


class PostObjectSigV2Tests(AccessTestCase):
    def setUp(self):
        self.bucket = self.new_bucket("post-v2")
        self.v2 = v2_client(self.t)
        self.url = "%s/%s" % (self.t.endpoint, self.bucket)

    def post(self, fields, data=BODY, filename="upload.txt", url=None):
        content_type, body = form(fields, data, filename)
        return send(url or self.url, content_type, body)

    def assertStored(self, key, data=BODY):
        got = self.s3.get_object(Bucket=self.bucket, Key=key)
        self.assertEqual(got["Body"].read(), data)
        return got

    def assertRefused(self, r, status, code, key="k.txt"):
        self.assertS3Error(r, status, code)
        self.assertAbsent(self.bucket, key)

    # -- boto3's own SigV2 forms --

    def test_boto3_form_uploads(self):
        post = self.v2.generate_presigned_post(
            self.bucket, "uploads/${filename}", Fields={"Content-Type": "text/plain"},
            Conditions=[{"Content-Type": "text/plain"}, ["content-length-range", 1, 1000]],
            ExpiresIn=300)
        self.assertEqual(sorted(post["fields"]),
                         ["AWSAccessKeyId", "Content-Type", "key", "policy", "signature"])
        r = self.post(post["fields"], filename="notes.txt", url=post["url"])
        self.assertEqual(r.status, 204, r)
        got = self.assertStored("uploads/notes.txt")
        self.assertEqual(got["ContentType"], "text/plain")
        self.assertEqual(r.header("ETag"), got["ETag"])

    def test_boto3_form_with_temporary_credentials(self):
        temp = self.admin.temporary_credentials(600)
        post = v2_client(self.t, temp).generate_presigned_post(self.bucket, "temp.txt",
                                                               ExpiresIn=300)
        self.assertIn("x-amz-security-token", post["fields"])
        r = self.post(post["fields"], url=post["url"])
        self.assertEqual(r.status, 204, r)
        self.assertStored("temp.txt")
        # The token is part of the credential: another one is refused.
        fields = dict(post["fields"], **{"x-amz-security-token": "not-" + temp.session_token})
        self.assertRefused(self.post(fields), 400, "InvalidToken", key="temp-bad.txt")

    # -- signature and key --

    def test_a_wrong_signature_is_refused(self):
        fields = signed_form(self.t, self.bucket, "k.txt", [])
        fields["signature"] = base64.b64encode(b"\0" * 20).decode()
        self.assertRefused(self.post(fields), 403, "SignatureDoesNotMatch")
        fields = signed_form(self.t, self.bucket, "k.txt", [], secret="not-the-secret")
        self.assertRefused(self.post(fields), 403, "SignatureDoesNotMatch")

    def test_an_unknown_key_is_refused(self):
        fields = signed_form(self.t, self.bucket, "k.txt", [], access_key="AKIAUNKNOWNKEY000000")
        self.assertRefused(self.post(fields), 403, "InvalidAccessKeyId")

    def test_a_revoked_key_is_refused(self):
        key = self.admin.create_key("object-rw")
        fields = signed_form(self.t, self.bucket, "k.txt", [], access_key=key.access_key,
                             secret=key.secret_key)
        self.admin.revoke(key.access_key)
        self.assertRefused(self.post(fields), 403, "InvalidAccessKeyId")

    def test_the_keys_scope_holds(self):
        key = self.admin.create_key("object-rw", buckets=[self.bucket], prefixes=["users/ana/"])
        inside = v2_client(self.t, key).generate_presigned_post(self.bucket, "users/ana/a.txt")
        self.assertEqual(self.post(inside["fields"]).status, 204)
        self.assertStored("users/ana/a.txt")
        outside = v2_client(self.t, key).generate_presigned_post(self.bucket, "users/bob/b.txt")
        self.assertRefused(self.post(outside["fields"]), 403, "AccessDenied", key="users/bob/b.txt")
        reader = self.admin.create_key("object-ro")
        read_only = v2_client(self.t, reader).generate_presigned_post(self.bucket, "k.txt")
        self.assertRefused(self.post(read_only["fields"]), 403, "AccessDenied")

    # -- the policy --

    def test_an_expired_policy_is_refused(self):
        fields = signed_form(self.t, self.bucket, "k.txt", [], expires_in=-60)
        r = self.post(fields)
        self.assertRefused(r, 403, "AccessDenied")
        self.assertEqual(xml_text(r.xml(), "Message"),
                         "Invalid according to Policy: Policy expired.")

    def test_policy_conditions_are_checked(self):
        fields = signed_form(self.t, self.bucket, "k.txt", [])
        fields["x-amz-meta-extra"] = "not in the policy"
        r = self.post(fields)
        self.assertRefused(r, 403, "AccessDenied")
        self.assertIn("Extra input fields: x-amz-meta-extra", xml_text(r.xml(), "Message"))
        fields = signed_form(self.t, self.bucket, "k.txt", [["content-length-range", 1, 5]])
        self.assertRefused(self.post(fields), 400, "EntityTooLarge")
        fields = signed_form(self.t, "another-bucket", "k.txt", [])
        self.assertRefused(self.post(fields), 403, "AccessDenied")

    def test_a_form_signed_both_ways_is_refused(self):
        v4 = self.s3.generate_presigned_post(self.bucket, "k.txt")["fields"]
        fields = dict(signed_form(self.t, self.bucket, "k.txt", []))
        fields["x-amz-signature"] = v4["x-amz-signature"]
        self.assertRefused(self.post(fields), 400, "InvalidArgument")

    # -- SigV2 anywhere else --

    def test_sigv2_stays_refused_on_other_requests(self):
        with self.assertRaises(ClientError) as cm:
            self.v2.put_object(Bucket=self.bucket, Key="k.txt", Body=BODY)
        self.assertClientError(cm.exception, "InvalidRequest", 400)
        self.s3.put_object(Bucket=self.bucket, Key="k.txt", Body=BODY)
        url = self.v2.generate_presigned_url("get_object",
                                             Params={"Bucket": self.bucket, "Key": "k.txt"})
        self.assertIn("Signature=", url)
        self.assertS3Error(cairn_server.urlopen(url), 400, "InvalidRequest")


if __name__ == "__main__":
    cairn_server.main()
