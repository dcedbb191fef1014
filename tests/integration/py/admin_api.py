"""cairn's admin API (docs/access-keys.md) for the access suites: access keys, temporary
credentials, public buckets. Every call is a SigV4-signed JSON request on the S3 listener under
/_cairn/admin/, signed here with s3sig. Also the suites' base class, AccessTestCase."""
import datetime
import json

from botocore.exceptions import ClientError

import cairn_server
import s3sig

PREFIX = "/_cairn/admin/"
PERMISSIONS = ("admin-rw", "admin-ro", "object-rw", "object-ro")


class Credentials:
    """An access key as a client holds it: id, secret and, for a temporary credential, a session
    token. `info` is the admin API's answer that made it."""

    def __init__(self, access_key, secret_key, session_token=None, info=None):
        self.access_key = access_key
        self.secret_key = secret_key
        self.session_token = session_token
        self.info = info or {}

    @classmethod
    def of(cls, answer):
        return cls(answer["accessKeyId"], answer["secretAccessKey"], answer.get("sessionToken"),
                   answer)

    def signer(self, t):
        return s3sig.Signer(self.access_key, self.secret_key, t.region)

    def s3(self, t, **kwargs):
        """A boto3 client signing with these credentials (aws_session_token when temporary)."""
        return cairn_server.client(t, access_key=self.access_key, secret_key=self.secret_key,
                                   session_token=self.session_token, **kwargs)

    def __repr__(self):  # never the secret
        return "<Credentials %s %s>" % (self.access_key, self.info.get("permission"))


class AdminError(AssertionError):
    """A call the test expected to succeed did not."""


class AdminApi:
    """The admin API as one key calls it. `creds` defaults to the target's own (builtin) key."""

    def __init__(self, t=None, creds=None):
        self.t = t or cairn_server.target()
        self.creds = creds or Credentials(self.t.access_key, self.t.secret_key)

    # -- raw calls: a cairn_server.Response, whatever the status --
    def request(self, method, path, body=None, query=()):
        """`path` is below /_cairn/admin/ (e.g. "keys"); `body` a JSON-able value, or raw bytes
        or str sent as they are."""
        headers = {}
        if body is not None:
            if not isinstance(body, (bytes, str)):
                body = json.dumps(body)
            headers["Content-Type"] = "application/json"
        if self.creds.session_token:
            headers["x-amz-security-token"] = self.creds.session_token
        return cairn_server.raw_request(method, PREFIX + path, query, headers=headers,
                                        body=body or b"", t=self.t,
                                        signer=self.creds.signer(self.t))

    def ok(self, method, path, body=None, status=200):
        """The call's JSON answer; AdminError unless it answered `status`."""
        r = self.request(method, path, body)
        if r.status != status:
            raise AdminError("%s %s%s answered %r" % (method, PREFIX, path, r))
        return json.loads(r.body) if r.body else None

    # -- keys --
    def whoami(self):
        return self.ok("GET", "whoami")

    def create_key(self, permission, name=None, buckets=None, prefixes=None, expires_in=None):
        """Creates a key; returns its Credentials (info: the create answer)."""
        body = {"name": name or "it-" + permission, "permission": permission}
        if buckets is not None:
            body["buckets"] = list(buckets)
        if prefixes is not None:
            body["prefixes"] = list(prefixes)
        if expires_in is not None:
            body["expiresInSeconds"] = expires_in
        return Credentials.of(self.ok("POST", "keys", body))

    def list_keys(self):
        return self.ok("GET", "keys")["keys"]

    def get_key(self, key_id):
        return self.ok("GET", "keys/" + key_id)

    def revoke(self, key_id):
        self.ok("DELETE", "keys/" + key_id, status=204)

    def rotate(self, key_id, grace_seconds=None):
        """New Credentials for the key (info: the rotate answer)."""
        body = {} if grace_seconds is None else {"graceSeconds": grace_seconds}
        return Credentials.of(self.ok("POST", "keys/%s/rotate" % key_id, body))

    # -- temporary credentials --
    def temporary_credentials(self, ttl_seconds, parent=None, permission=None, buckets=None,
                              prefixes=None):
        return Credentials.of(self.ok("POST", "temporary-credentials",
                                      temp_request(ttl_seconds, parent, permission, buckets,
                                                   prefixes)))

    # -- public buckets --
    def get_public(self, bucket):
        return self.ok("GET", "buckets/%s/public" % bucket)["public"]

    def set_public(self, bucket, public):
        return self.ok("PUT", "buckets/%s/public" % bucket, {"public": bool(public)})["public"]


def temp_request(ttl_seconds, parent=None, permission=None, buckets=None, prefixes=None):
    """The body of POST /_cairn/admin/temporary-credentials (omitted fields left out)."""
    body = {"ttlSeconds": ttl_seconds}
    for name, value in (("parent", parent), ("permission", permission)):
        if value is not None:
            body[name] = value
    for name, value in (("buckets", buckets), ("prefixes", prefixes)):
        if value is not None:
            body[name] = list(value)
    return body


def parse_time(text):
    """An admin API time ("2026-12-07T03:00:00.000Z") as an aware datetime."""
    return datetime.datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(
        tzinfo=datetime.timezone.utc)


def now():
    return datetime.datetime.now(datetime.timezone.utc)


class AccessTestCase(cairn_server.CairnTestCase):
    """Base class of the access suites: self.admin (the builtin key's AdminApi) and assertions
    on refused calls."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = AdminApi(cls.t)

    def assertDenied(self, call, code="AccessDenied", status=403):
        """call() raises a boto3 ClientError with this code (None: any) and status."""
        with self.assertRaises(ClientError) as cm:
            call()
        self.assertClientError(cm.exception, code, status)

    def assertAbsent(self, bucket, key):
        """The admin key finds no object bucket/key."""
        with self.assertRaises(ClientError) as cm:
            self.s3.head_object(Bucket=bucket, Key=key)
        self.assertClientError(cm.exception, status=404)
