"""AWS Signature V4 for raw S3 requests, aws-chunked bodies and the checksums S3 accepts.

Written from the public SigV4 specification so that the tests can build requests that no SDK
sends by itself (wrong chunk signatures, skewed clocks, trailers over plain HTTP, ...).
Pure standard library: works with every python3 on the machine.
"""
import base64
import datetime
import hashlib
import hmac
import urllib.parse
import zlib

EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()
UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD"
STREAMING_SIGNED = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"
STREAMING_SIGNED_TRAILER = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER"
STREAMING_UNSIGNED_TRAILER = "STREAMING-UNSIGNED-PAYLOAD-TRAILER"


# --------------------------------------------------------------------------------------------
# Checksums (values as S3 carries them: base64 of the big-endian digest)


def _reflected_table(poly, width):
    table = []
    for i in range(256):
        c = i
        for _ in range(8):
            c = (c >> 1) ^ poly if c & 1 else c >> 1
        table.append(c & ((1 << width) - 1))
    return table


_CRC32C_TABLE = _reflected_table(0x82F63B78, 32)
_CRC64NVME_TABLE = _reflected_table(0x9A6C9329AC4BC9B5, 64)


def crc32c_int(data, crc=0):
    c = crc ^ 0xFFFFFFFF
    t = _CRC32C_TABLE
    for b in data:
        c = t[(c ^ b) & 0xFF] ^ (c >> 8)
    return c ^ 0xFFFFFFFF


def crc64nvme_int(data, crc=0):
    mask = 0xFFFFFFFFFFFFFFFF
    c = crc ^ mask
    t = _CRC64NVME_TABLE
    for b in data:
        c = t[(c ^ b) & 0xFF] ^ (c >> 8)
    return c ^ mask


def b64(raw):
    return base64.b64encode(raw).decode("ascii")


def checksum_value(algorithm, data):
    """The x-amz-checksum-<algorithm> value of `data` (algorithm: crc32, crc32c, crc64nvme,
    sha1, sha256, any case)."""
    a = algorithm.lower()
    if a == "crc32":
        return b64((zlib.crc32(data) & 0xFFFFFFFF).to_bytes(4, "big"))
    if a == "crc32c":
        return b64(crc32c_int(data).to_bytes(4, "big"))
    if a == "crc64nvme":
        return b64(crc64nvme_int(data).to_bytes(8, "big"))
    if a == "sha1":
        return b64(hashlib.sha1(data).digest())
    if a == "sha256":
        return b64(hashlib.sha256(data).digest())
    raise ValueError(algorithm)


def content_md5(data):
    return b64(hashlib.md5(data).digest())


def quoted_md5(data):
    return '"%s"' % hashlib.md5(data).hexdigest()


def checksum_raw(algorithm, data):
    """The binary digest behind checksum_value (big-endian for the CRCs)."""
    return base64.b64decode(checksum_value(algorithm, data))


# --------------------------------------------------------------------------------------------
# Multipart arithmetic (R2 "Upload objects": ETags of multipart objects; S3 checksum types)


def multipart_etag(part_md5s):
    """The ETag (unquoted) of an object completed from parts whose MD5s are `part_md5s` (binary
    digests or hex strings): hex MD5 of the concatenated binary MD5s, "-", the number of parts."""
    raw = [bytes.fromhex(m) if isinstance(m, str) else m for m in part_md5s]
    return "%s-%d" % (hashlib.md5(b"".join(raw)).hexdigest(), len(raw))


def multipart_etag_of_parts(parts):
    return multipart_etag([hashlib.md5(p).digest() for p in parts])


def multipart_etag_of_file(path, part_size):
    """The multipart ETag of a file uploaded in parts of `part_size` (the last one shorter)."""
    digests = []
    with open(path, "rb") as f:
        while True:
            block = f.read(part_size)
            if not block:
                break
            digests.append(hashlib.md5(block).digest())
    return multipart_etag(digests)


def composite_checksum(algorithm, part_checksums):
    """A COMPOSITE checksum: the checksum of the concatenated binary part checksums (given as
    their base64 values), "-", the number of parts."""
    raw = b"".join(base64.b64decode(v) for v in part_checksums)
    return "%s-%d" % (checksum_value(algorithm, raw), len(part_checksums))


# The example of the issue: parts bce6bf66... and 8165449f... make f77dc0ee...-2.
assert multipart_etag(["bce6bf66aeb76c7040fdd5f4eccb78e6", "8165449fc15bbf43d3b674595cbcc406"]) \
    == "f77dc0eecdebcd774a2a22cb393ad2ff-2"

# Self-check of the CRC tables against the catalogued check values of "123456789".
assert crc32c_int(b"123456789") == 0xE3069283
assert crc64nvme_int(b"123456789") == 0xAE8B14860A799888


# --------------------------------------------------------------------------------------------
# SigV4


def uri_encode(s, encode_slash=True):
    """RFC 3986 encoding as SigV4 wants it: everything but A-Z a-z 0-9 - _ . ~ is %XX."""
    if isinstance(s, str):
        s = s.encode("utf-8")
    return urllib.parse.quote(s, safe="" if encode_slash else "/")


def canonical_path(path):
    """A request path in the form SigV4 signs for S3: every byte outside A-Z a-z 0-9 - _ . ~ /
    percent-encoded exactly once (so "/bad!name" becomes "/bad%21name")."""
    return uri_encode(urllib.parse.unquote_to_bytes(path), encode_slash=False)


def key_path(bucket, key=None):
    """The path-style request path of bucket/key, encoded once (S3 does not double-encode)."""
    path = "/" + bucket
    if key is not None:
        path += "/" + uri_encode(key, encode_slash=False)
    return path


def _hmac(key, msg):
    return hmac.new(key, msg.encode("utf-8"), hashlib.sha256).digest()


def signing_key(secret, date, region, service="s3"):
    k = _hmac(("AWS4" + secret).encode("utf-8"), date)
    k = _hmac(k, region)
    k = _hmac(k, service)
    return _hmac(k, "aws4_request")


def canonical_query(query):
    pairs = [(uri_encode(k), uri_encode(v)) for k, v in query]
    pairs.sort()
    return "&".join("%s=%s" % kv for kv in pairs)


def encode_query(query):
    return "&".join(
        uri_encode(k) if v is None else "%s=%s" % (uri_encode(k), uri_encode(v)) for k, v in query
    )


def amz_now(now=None):
    now = now or datetime.datetime.now(datetime.timezone.utc)
    return now.strftime("%Y%m%dT%H%M%SZ")


class Signer:
    """Signs requests for one key pair. `path` arguments are already-encoded request paths."""

    def __init__(self, access_key, secret_key, region="auto", service="s3"):
        self.access_key = access_key
        self.secret_key = secret_key
        self.region = region
        self.service = service

    def scope(self, amz_date):
        return "%s/%s/%s/aws4_request" % (amz_date[:8], self.region, self.service)

    def key(self, amz_date):
        return signing_key(self.secret_key, amz_date[:8], self.region, self.service)

    def _canonical_request(self, method, path, query, headers, signed, payload_hash):
        lower = {}
        for k, v in headers.items():
            lower[k.lower()] = " ".join(str(v).strip().split())
        canon_headers = "".join("%s:%s\n" % (h, lower[h]) for h in signed)
        return "\n".join(
            [method, path, canonical_query(query), canon_headers, ";".join(signed), payload_hash]
        )

    def sign(self, method, path, query=(), headers=None, payload_hash=EMPTY_SHA256,
             amz_date=None, signed_headers=None):
        """Returns (headers with Authorization, seed signature). `headers` must hold Host."""
        headers = dict(headers or {})
        amz_date = amz_date or amz_now()
        headers["x-amz-date"] = amz_date
        headers["x-amz-content-sha256"] = payload_hash
        if signed_headers is None:
            signed_headers = sorted(
                k.lower() for k in headers
                if k.lower() in ("host", "content-type", "content-md5", "range", "content-encoding",
                                 "content-language", "content-disposition", "cache-control",
                                 "expires", "if-match", "if-none-match")
                or k.lower().startswith("x-amz-")
            )
        canonical = self._canonical_request(method, path, list(query), headers, signed_headers,
                                            payload_hash)
        sts = "\n".join(["AWS4-HMAC-SHA256", amz_date, self.scope(amz_date),
                         hashlib.sha256(canonical.encode("utf-8")).hexdigest()])
        sig = hmac.new(self.key(amz_date), sts.encode("utf-8"), hashlib.sha256).hexdigest()
        headers["Authorization"] = (
            "AWS4-HMAC-SHA256 Credential=%s/%s, SignedHeaders=%s, Signature=%s"
            % (self.access_key, self.scope(amz_date), ";".join(signed_headers), sig)
        )
        return headers, sig

    def presign(self, method, host, path, query=(), expires=3600, amz_date=None,
                extra_signed_headers=None):
        """Returns the query string (already encoded) of a presigned URL."""
        amz_date = amz_date or amz_now()
        headers = {"host": host}
        headers.update({k.lower(): v for k, v in (extra_signed_headers or {}).items()})
        signed = sorted(headers)
        q = list(query) + [
            ("X-Amz-Algorithm", "AWS4-HMAC-SHA256"),
            ("X-Amz-Credential", "%s/%s" % (self.access_key, self.scope(amz_date))),
            ("X-Amz-Date", amz_date),
            ("X-Amz-Expires", str(expires)),
            ("X-Amz-SignedHeaders", ";".join(signed)),
        ]
        canonical = self._canonical_request(method, path, q, headers, signed, UNSIGNED_PAYLOAD)
        sts = "\n".join(["AWS4-HMAC-SHA256", amz_date, self.scope(amz_date),
                         hashlib.sha256(canonical.encode("utf-8")).hexdigest()])
        sig = hmac.new(self.key(amz_date), sts.encode("utf-8"), hashlib.sha256).hexdigest()
        q.append(("X-Amz-Signature", sig))
        return encode_query(q)


# --------------------------------------------------------------------------------------------
# aws-chunked bodies


def chunks_of(data, size):
    return [data[i:i + size] for i in range(0, len(data), size)] or []


def aws_chunked_signed(signer, amz_date, seed_signature, data, chunk_size=65536,
                       trailer=None, corrupt_chunk=None):
    """The body of a STREAMING-AWS4-HMAC-SHA256-PAYLOAD(-TRAILER) request.

    trailer: None, or (name, value) for the -TRAILER variant (then a trailer signature follows).
    corrupt_chunk: index of a chunk whose signature is deliberately wrong.
    """
    key = signer.key(amz_date)
    scope = signer.scope(amz_date)
    prev = seed_signature
    out = []
    pieces = chunks_of(data, chunk_size) + [b""]
    for i, piece in enumerate(pieces):
        sts = "\n".join(["AWS4-HMAC-SHA256-PAYLOAD", amz_date, scope, prev, EMPTY_SHA256,
                         hashlib.sha256(piece).hexdigest()])
        sig = hmac.new(key, sts.encode(), hashlib.sha256).hexdigest()
        prev = sig
        if corrupt_chunk == i:
            sig = "0" * 64
        out.append(b"%x;chunk-signature=%s\r\n" % (len(piece), sig.encode()))
        if piece:
            out.append(piece + b"\r\n")
    if trailer is None:
        out.append(b"\r\n")
    else:
        name, value = trailer
        canon = "%s:%s\n" % (name, value)
        sts = "\n".join(["AWS4-HMAC-SHA256-TRAILER", amz_date, scope, prev,
                         hashlib.sha256(canon.encode()).hexdigest()])
        tsig = hmac.new(key, sts.encode(), hashlib.sha256).hexdigest()
        out.append(("%s:%s\r\n" % (name, value)).encode())
        out.append(("x-amz-trailer-signature:%s\r\n" % tsig).encode())
        out.append(b"\r\n")
    return b"".join(out)


def aws_chunked_unsigned(data, chunk_size=65536, trailers=()):
    """The body of a STREAMING-UNSIGNED-PAYLOAD-TRAILER request; trailers: [(name, value)]."""
    out = []
    for piece in chunks_of(data, chunk_size):
        out.append(b"%x\r\n" % len(piece))
        out.append(piece + b"\r\n")
    out.append(b"0\r\n")
    for name, value in trailers:
        out.append(("%s:%s\r\n" % (name, value)).encode())
    out.append(b"\r\n")
    return b"".join(out)
