"""Hostile requests, replayed before users find them (issue 12, "Hostile input").

Each case of the tables below is one request an attacker might send, written byte for byte over a
raw socket (signed with s3sig where it must get past authentication to reach the parser under
test). Each case is its own test method, named after the request, and checks two things: the
answer a client would see (status and S3 error code), and that the server came through it whole:
the same process, /_cairn/health answering, a signed request working, every object stored at
the start byte-identical (SHA-256 of a GET) and nothing stored by the hostile request.
test_robustness.py has the first, milder malformed requests; nothing here repeats them.

A case cairn does not handle yet is marked xfail (unittest.expectedFailure) with the part of
issue 12 that fixes it; once the fix is in, the case passes, unittest reports an unexpected
success, and the mark goes. A case that kills the server fails alone: the next one starts cairn
again on the same data dir.

Run alone: python3 run_suite.py test_hostile (CAIRN_BINARY=... for another binary).
"""
import hashlib
import os
import re
import socket
import subprocess
import sys
import threading
import time
import unittest

import cairn_server
import s3sig
from cairn_server import CairnTestCase
from raw_http import chunked, exchange, request_head

CASE_TIMEOUT = 5  # seconds a single hostile exchange may take
HEADER_LIMIT = 64 * 1024  # ServerOptions::header_limit
MIB = 1 << 20
PASSWD_MARK = b"root:x:0:0"  # what a leaked /etc/passwd would contain


def tearDownModule():
    cairn_server.shutdown()


class Case:
    """One hostile request and what a client must see.

    build(tc) -> bytes, or [(bytes, delay)] pieces. status: the acceptable statuses (None in the
    tuple: the server may also hang up without answering). code: acceptable S3 error codes.
    responses: at most this many responses may come back (a second one to a single request is a
    smuggled request). absent(tc) -> keys that must not exist afterwards. check(tc, outcome):
    more assertions. xfail: a known defect that another part of issue 12 fixes."""

    def __init__(self, name, build, status, code=None, responses=1, half_close=True,
                 timeout=CASE_TIMEOUT, absent=None, check=None, xfail=None):
        self.name = name
        self.build = build
        self.status = status if isinstance(status, tuple) else (status,)
        self.code = (code,) if isinstance(code, str) else code
        self.responses = responses
        self.half_close = half_close
        self.timeout = timeout
        self.absent = absent
        self.check = check
        self.xfail = xfail


TARGET_HOST = object()  # signed(): the Host header of the target
# A signature that does not match is 403; once a key has many failures in a minute, S3 (and cairn
# with its failure throttle) answers 503 SlowDown instead.
SIGNATURE_REFUSED = (403, 503)
SIGNATURE_CODES = ("SignatureDoesNotMatch", "SlowDown")
NO_ANSWER = (None,)  # the server is still waiting for the rest of the request
ANY_REFUSAL = tuple(range(400, 600)) + (None,)
# RFC 9112 6.3: Content-Length beside Transfer-Encoding is refused, or the chunked framing wins and
# the connection is closed after the answer; either way the bytes after the body get no answer.
SMUGGLE_SAFE = (200, 400, 501, None)


# ------------------------------------------------------------------------------------------------
# Request builders (tc is the running HostileTests instance)


def health(headers=(), version="HTTP/1.1", target="/_cairn/health", method="GET"):
    return lambda tc: request_head(method, target, [("Host", tc.t.netloc)] + list(headers),
                                   version)


def new_key(name):
    return "new-" + name


def put_new(name, headers=(), body=b"", payload=s3sig.UNSIGNED_PAYLOAD, **kw):
    """A signed PUT of a key that must not exist afterwards."""
    return lambda tc: tc.signed("PUT", tc.p(new_key(name)), headers=headers, body=body,
                                payload_hash=payload, **kw)


def absent_new(name):
    return lambda tc: [new_key(name)]


def smuggle(name, framing_headers, body=b"0\r\n\r\n"):
    """A signed PUT whose framing is ambiguous, its body followed by a complete GET: a server that
    answers that GET as a request of its own reads the body differently from one that counts the
    Content-Length (a front proxy, say), and a request was smuggled past the proxy.
    "{len}" in a header value is the length of the body and the GET together."""
    def build(tc):
        hidden = request_head("GET", "/_cairn/health", [("Host", tc.t.netloc)])
        data = body + hidden
        headers = [(k, v.replace("{len}", str(len(data)))) for k, v in framing_headers]
        return tc.signed("PUT", tc.p(new_key(name)), unsigned=headers,
                         content_length=False) + data
    return build


# RFC 9112 6.1: a transfer coding the server does not understand is answered 501. cairn decodes
# chunked alone, so any other coding, in any position, is 501 NotImplemented and the connection
# closed (before, "gzip, chunked" was stored as if it were "chunked", and with "gzip" or
# "chunked, gzip" the body was read as the next request: smuggling).


# -- request line and head --

def _many_headers(n, size):
    return [("X-H%d" % i, "v" * size) for i in range(n)]


HEAD_CASES = [
    Case("url_64k", lambda tc: request_head("GET", tc.p("a" * 64 * 1024), [("Host", tc.t.netloc)]),
         431, "RequestHeaderSectionTooLarge"),
    Case("url_1m", lambda tc: request_head("GET", tc.p("a" * MIB), [("Host", tc.t.netloc)]),
         (431, None)),
    Case("head_just_under_limit_is_served", health([("X-Pad", "p" * (HEADER_LIMIT - 200))]), 200),
    Case("head_over_limit_in_many_headers", health(_many_headers(100, 1000)), 431,
         "RequestHeaderSectionTooLarge"),
    Case("headers_10000_over_limit", health(_many_headers(10000, 8)), 431,
         "RequestHeaderSectionTooLarge"),
    Case("headers_10000_tiny_within_limit", health([("a", "")] * 10000), 200),
    Case("headers_10000_on_signed_get",
         lambda tc: tc.signed("GET", tc.p("small.txt"), unsigned=[("x", "")] * 10000),
         200, check=lambda tc, o: tc.assertBodyIs(o, "small.txt")),
    Case("header_value_with_nul", health([("X-A", b"a\x00b")]), 400, "BadRequest"),
    Case("header_name_with_space", health([("X A", "b")]), 400, "BadRequest"),
    Case("header_name_empty", health([("", "b")]), 400, "BadRequest"),
    Case("header_value_with_bare_cr", health([("X-A", b"a\rb")]), 400, "BadRequest"),
    Case("bare_lf_line_endings",
         lambda tc: b"GET /_cairn/health HTTP/1.1\nHost: %s\n\n" % tc.t.netloc.encode(),
         400, "BadRequest"),
    Case("bare_cr_line_endings",
         lambda tc: b"GET /_cairn/health HTTP/1.1\rHost: %s\r\r" % tc.t.netloc.encode(),
         400, "BadRequest"),
    # RFC 9112 5.2: reject obs-fold with 400 or read it as a space; Beast reads it as a space.
    Case("obs_fold", health([("X-A", "a\r\n folded")]), (200, 400)),
    Case("obs_fold_first_line", lambda tc: b"GET /_cairn/health HTTP/1.1\r\n continued: x\r\n"
         b"Host: %s\r\n\r\n" % tc.t.netloc.encode(), 400, "BadRequest"),
    Case("method_with_parenthesis", health(method="G(T"), 400, "BadRequest"),
    Case("method_empty", lambda tc: b" /_cairn/health HTTP/1.1\r\n\r\n", 400, "BadRequest"),
    Case("method_8k_letters", health(method="A" * 8192), 405, "MethodNotAllowed"),
    Case("method_lowercase_get", health(method="get"), 405, "MethodNotAllowed"),
    Case("method_unknown_on_object",
         lambda tc: tc.signed("BREW", tc.p("small.txt")), 405, "MethodNotAllowed"),
    # Not a proxy: CONNECT and targets that are not a path are refused, nothing is fetched.
    Case("method_connect_authority_form",
         lambda tc: request_head("CONNECT", "127.0.0.1:22", [("Host", "127.0.0.1:22")]),
         (400, 405, 501), ("InvalidArgument", "MethodNotAllowed", "NotImplemented"),
         check=lambda tc, o: tc.assertNotTunnel(o)),
    Case("target_asterisk", health(method="OPTIONS", target="*"), 400, "InvalidArgument"),
    Case("target_absolute_form", lambda tc: request_head(
        "GET", "http://%s%s" % (tc.t.netloc, tc.p("small.txt")), [("Host", tc.t.netloc)]),
        400, "InvalidArgument"),
    Case("target_absolute_form_other_host", lambda tc: tc.signed(
        "GET", "http://169.254.169.254/latest/meta-data/"), 400, "InvalidArgument"),
    Case("target_empty", lambda tc: b"GET  HTTP/1.1\r\nHost: x\r\n\r\n", 400, "BadRequest"),
    Case("http09_request", lambda tc: b"GET /_cairn/health\r\n\r\n", 400, "BadRequest"),
    Case("http2_preface", lambda tc: b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", (400, 505)),
    Case("http10_request_closes", health(version="HTTP/1.0"), 200,
         check=lambda tc, o: tc.assertTrue(o.closed, o)),
    Case("version_http_1_10", health(version="HTTP/1.10"), (400, 505)),
    # RFC 9112 3.2: 400 for an HTTP/1.1 request without Host and for any with two; HTTP/1.0
    # predates Host, so a 1.0 request may leave it out.
    Case("missing_host", lambda tc: b"GET /_cairn/health HTTP/1.1\r\n\r\n", 400,
         "InvalidRequest", check=lambda tc, o: tc.assertTrue(o.closed, o)),
    Case("missing_host_signed_get", lambda tc: tc.signed("GET", tc.p("small.txt"), host=None),
         400, "InvalidRequest"),
    Case("missing_host_signed_put", put_new("no-host", body=b"hello", host=None), 400,
         "InvalidRequest", absent=absent_new("no-host")),
    Case("missing_host_http10_is_served",
         lambda tc: b"GET /_cairn/health HTTP/1.0\r\n\r\n", 200),
    Case("duplicate_host", health([("Host", "other.example")]), 400, "InvalidRequest"),
    Case("duplicate_host_same_value", lambda tc: request_head(
        "GET", "/_cairn/health", [("Host", tc.t.netloc), ("Host", tc.t.netloc)]), 400,
        "InvalidRequest"),
    Case("duplicate_host_http10", health([("Host", "other.example")], version="HTTP/1.0"), 400,
         "InvalidRequest"),
    Case("duplicate_host_signed_get",
         lambda tc: tc.signed("GET", tc.p("small.txt"), unsigned=[("Host", "evil.example")]),
         400, "InvalidRequest"),
    Case("duplicate_host_signed_put", put_new("dup-host", body=b"hello",
                                              unsigned=[("Host", "evil.example")]),
         400, "InvalidRequest", absent=absent_new("dup-host")),
    Case("duplicate_content_length_different",
         put_new("dup-cl", unsigned=[("Content-Length", "5"), ("Content-Length", "6")],
                 body=b"hello!", content_length=False), 400, "BadRequest",
         absent=absent_new("dup-cl")),
    Case("content_length_list_different",
         put_new("cl-list", unsigned=[("Content-Length", "5, 6")], body=b"hello!",
                 content_length=False), 400, "BadRequest", absent=absent_new("cl-list")),
    Case("content_length_plus_sign", put_new("cl-plus", unsigned=[("Content-Length", "+5")],
                                             body=b"hello", content_length=False),
         400, "BadRequest", absent=absent_new("cl-plus")),
    Case("content_length_hex", put_new("cl-hex", unsigned=[("Content-Length", "0x5")],
                                       body=b"hello", content_length=False),
         400, "BadRequest", absent=absent_new("cl-hex")),
    Case("content_length_inner_space", put_new("cl-space", unsigned=[("Content-Length", "1 0")],
                                               body=b"helloworld", content_length=False),
         400, "BadRequest", absent=absent_new("cl-space")),
    Case("content_length_2_pow_64",
         put_new("cl-2p64", unsigned=[("Content-Length", str(2 ** 64))], body=b"hello",
                 content_length=False), 400, "BadRequest", absent=absent_new("cl-2p64")),
    Case("content_length_2_pow_64_minus_1",
         put_new("cl-max", unsigned=[("Content-Length", str(2 ** 64 - 1))], body=b"hello",
                 content_length=False), 400, "EntityTooLarge", absent=absent_new("cl-max")),
    Case("content_length_empty", put_new("cl-empty", unsigned=[("Content-Length", "")],
                                         body=b"hello", content_length=False),
         400, "BadRequest", absent=absent_new("cl-empty")),
    Case("content_length_longer_than_body", put_new(
        "cl-long", unsigned=[("Content-Length", "1000")], body=b"only ten b", content_length=False),
        NO_ANSWER, half_close=False, timeout=1.5, absent=absent_new("cl-long")),
    Case("content_length_shorter_than_body", put_new(
        "cl-short", unsigned=[("Content-Length", "5")], body=b"helloXXXXXXXX\r\n\r\n",
        content_length=False), 200, responses=2,
        check=lambda tc, o: tc.assertShortBody(o, new_key("cl-short"))),
    Case("smuggle_cl_then_te_chunked",
         smuggle("cl-te", [("Content-Length", "{len}"), ("Transfer-Encoding", "chunked")]),
         SMUGGLE_SAFE),
    Case("smuggle_te_chunked_then_cl",
         smuggle("te-cl", [("Transfer-Encoding", "chunked"), ("Content-Length", "{len}")]),
         SMUGGLE_SAFE),
    Case("smuggle_te_chunked_uppercase_and_cl",
         smuggle("te-upper", [("Content-Length", "{len}"), ("Transfer-Encoding", "CHUNKED")]),
         SMUGGLE_SAFE),
    Case("smuggle_te_with_space_before_colon",
         smuggle("te-space", [("Content-Length", "{len}"), ("Transfer-Encoding ", "chunked")]),
         (400, None), "BadRequest"),
    Case("smuggle_te_xchunked_and_cl",
         smuggle("te-x", [("Content-Length", "{len}"), ("Transfer-Encoding", "xchunked")]),
         SMUGGLE_SAFE, absent=absent_new("te-x")),
    Case("smuggle_te_chunked_twice",
         smuggle("te-twice", [("Transfer-Encoding", "chunked"), ("Transfer-Encoding", "chunked")]),
         SMUGGLE_SAFE),
    Case("transfer_encoding_gzip_chunked",
         smuggle("te-gzip-chunked", [("Transfer-Encoding", "gzip, chunked")], chunked(b"hello")),
         501, "NotImplemented", absent=absent_new("te-gzip-chunked")),
    Case("transfer_encoding_gzip_alone",
         smuggle("te-gzip", [("Transfer-Encoding", "gzip")], b""), 501, "NotImplemented",
         absent=absent_new("te-gzip")),
    Case("transfer_encoding_chunked_then_gzip",
         smuggle("te-chunked-gzip", [("Transfer-Encoding", "chunked, gzip")], b""), 501, "NotImplemented",
         absent=absent_new("te-chunked-gzip")),
    Case("transfer_encoding_identity_and_cl",
         smuggle("te-identity", [("Transfer-Encoding", "identity"), ("Content-Length", "{len}")],
                 b"hello"), 501, "NotImplemented", absent=absent_new("te-identity")),
    Case("transfer_encoding_two_headers_gzip_then_chunked",
         smuggle("te-two", [("Transfer-Encoding", "gzip"), ("Transfer-Encoding", "chunked")],
                 chunked(b"hello")), 501, "NotImplemented", absent=absent_new("te-two")),
    Case("expect_unknown", health([("Expect", "202-accepted")]), (200, 417)),
    Case("expect_continue_on_get", health([("Expect", "100-continue")]), 200),
    Case("expect_continue_then_no_body",
         put_new("expect-nobody", unsigned=[("Expect", "100-continue"),
                                            ("Content-Length", "100")], content_length=False),
         NO_ANSWER, half_close=False, timeout=1.5, absent=absent_new("expect-nobody")),
]


# -- chunked framing (Transfer-Encoding: chunked around a plain PUT body) --

def put_chunked(name, body_bytes, target=None):
    def build(tc):
        key = target or new_key(name)
        return tc.signed("PUT", tc.p(key), unsigned=[("Transfer-Encoding", "chunked")],
                         content_length=False) + body_bytes
    return build


# Trailer fields were not bounded by the head's limit (Beast 1.74 keeps them in its field list):
# one field over 64 KiB made Beast throw std::length_error ("field value too large") where nothing
# caught it, and the process aborted; many small ones took memory without limit. A POST form is
# read before it is authenticated, so both worked without credentials. Now a trailer section over
# 16 KiB or 64 fields, a chunk extension over 4 KiB, and any chunk line or trailer section that
# does not end within 256 KiB, end the body: 400 IncompleteBody and the connection closed.
BAD_FRAMING = ("IncompleteBody", "BadRequest")  # S3's code for a body it cannot read to the end
FORM_START = b'--xx\r\nContent-Disposition: form-data; name="key"\r\n\r\nk\r\n'
FORM = FORM_START + b"--xx--\r\n"


def never_ending_chunk(tc):
    head = tc.signed("PUT", tc.p(new_key("endless")), unsigned=[("Transfer-Encoding", "chunked")],
                     content_length=False)
    return [(head + b"7fffffff\r\n", 0)] + [(b"e" * 65536, 0.02)] * 30


CHUNKED_CASES = [
    Case("chunked_size_0x_prefix", put_chunked("ch-0x", b"0x5\r\nhello\r\n0\r\n\r\n"),
         400, BAD_FRAMING, absent=absent_new("ch-0x")),
    Case("chunked_size_2_pow_64", put_chunked("ch-2p64", b"10000000000000000\r\nx\r\n0\r\n\r\n"),
         400, BAD_FRAMING, absent=absent_new("ch-2p64")),
    Case("chunked_size_with_space", put_chunked("ch-sp", b"5 \r\nhello\r\n0\r\n\r\n"),
         400, BAD_FRAMING, absent=absent_new("ch-sp")),
    Case("chunked_missing_crlf_after_data", put_chunked("ch-nocrlf", b"5\r\nhello0\r\n\r\n"),
         400, BAD_FRAMING, absent=absent_new("ch-nocrlf")),
    Case("chunked_missing_final_crlf", put_chunked("ch-nofinal", b"5\r\nhello\r\n0\r\n"),
         400, BAD_FRAMING, absent=absent_new("ch-nofinal")),
    Case("chunked_lf_only", put_chunked("ch-lf", b"5\nhello\n0\n\n"), 400, BAD_FRAMING,
         absent=absent_new("ch-lf")),
    Case("chunked_extension_1m", put_chunked("ch-ext", b"5;e=" + b"x" * MIB + b"\r\nhello\r\n0\r\n"
                                             b"\r\n"), (400, None), absent=absent_new("ch-ext")),
    Case("chunked_10000_extensions",
         put_chunked("ch-exts", b"5" + b";a=b" * 10000 + b"\r\nhello\r\n0\r\n\r\n"),
         400, "IncompleteBody", absent=absent_new("ch-exts")),
    Case("chunked_extension_and_trailer_within_limits",
         put_chunked("ch-small", b"5;a=b;c=\"d\"\r\nhello\r\n0;e=f\r\nX-A: " + b"a" * 8000 +
                     b"\r\nX-B: b\r\n\r\n"), 200,
         check=lambda tc, o: tc.assertStoredOrAbsent(o, new_key("ch-small"), b"hello")),
    Case("chunked_trailer_field_70k", put_chunked("ch-trl", b"5\r\nhello\r\n0\r\nX-T: " +
                                                  b"t" * 70000 + b"\r\n\r\n"),
         400, "IncompleteBody", absent=absent_new("ch-trl")),
    Case("chunked_trailer_field_70k_in_anonymous_post_form", lambda tc: request_head(
        "POST", "/" + tc.bucket, [("Host", tc.t.netloc), ("Transfer-Encoding", "chunked"),
                                  ("Content-Type", "multipart/form-data; boundary=xx")]) +
        b"%x\r\n%s\r\n0\r\nX-T: %s\r\n\r\n" % (len(FORM), FORM, b"t" * 70000),
        400, "IncompleteBody"),
    Case("chunked_trailers_80k_in_10000_fields",
         put_chunked("ch-trls", b"5\r\nhello\r\n0\r\n" + b"X-T: t\r\n" * 10000 + b"\r\n"),
         400, "IncompleteBody", absent=absent_new("ch-trls")),
    Case("chunked_never_ending_chunk", never_ending_chunk, NO_ANSWER, half_close=False, timeout=2,
         absent=absent_new("endless")),
    Case("chunked_overwrite_cut_short", put_chunked("", b"5\r\nhello\r\n3\r\nab", "small.txt"),
         (400, None)),
]


# -- aws-chunked (the S3 streaming payloads; the checks keep the stored object's old bytes) --

def aws_signed(name, data=b"streamed payload " * 100, target=None, decoded=None, corrupt=None,
               mutate=None, trailer=None, chunk_size=600):
    """A STREAMING-AWS4-HMAC-SHA256-PAYLOAD(-TRAILER) PUT; `mutate(body) -> body` breaks it."""
    def build(tc):
        key = target or new_key(name)
        signer = tc.t.signer()
        amz_date = s3sig.amz_now()
        mode = s3sig.STREAMING_SIGNED_TRAILER if trailer else s3sig.STREAMING_SIGNED
        headers = {"host": tc.t.netloc, "content-encoding": "aws-chunked",
                   "x-amz-decoded-content-length": str(len(data)) if decoded is None else decoded}
        if trailer:
            headers["x-amz-trailer"] = trailer[0]
        hdrs, seed = signer.sign("PUT", s3sig.canonical_path(tc.p(key)), (), headers, mode,
                                 amz_date=amz_date)
        body = s3sig.aws_chunked_signed(signer, amz_date, seed, data, chunk_size, trailer, corrupt)
        if mutate:
            body = mutate(body)
        hdrs["Content-Length"] = str(len(body))
        return request_head("PUT", tc.p(key), list(hdrs.items())) + body
    return build


def aws_unsigned(name, data=b"unsigned streamed " * 100, target=None, trailers=(), announce=None,
                 mutate=None, decoded=None):
    """A STREAMING-UNSIGNED-PAYLOAD-TRAILER PUT."""
    def build(tc):
        key = target or new_key(name)
        headers = {"host": tc.t.netloc, "content-encoding": "aws-chunked",
                   "x-amz-decoded-content-length": str(len(data)) if decoded is None else decoded}
        if announce:
            headers["x-amz-trailer"] = announce
        hdrs, _ = tc.t.signer().sign("PUT", s3sig.canonical_path(tc.p(key)), (), headers,
                                     s3sig.STREAMING_UNSIGNED_TRAILER)
        body = s3sig.aws_chunked_unsigned(data, 600, list(trailers))
        if mutate:
            body = mutate(body)
        hdrs["Content-Length"] = str(len(body))
        return request_head("PUT", tc.p(key), list(hdrs.items())) + body
    return build


def crc32_of(data):
    return s3sig.checksum_value("crc32", data)


UNSIGNED_DATA = b"unsigned streamed " * 100
# S3: "You must set x-amz-trailer to indicate the contents you are including in your trailing
# header". A trailer nobody announced is refused (cairn used to ignore it, checksum and all, and
# store the object).
BAD_CRC = ("x-amz-checksum-crc32", crc32_of(b"something else"))


BAD_CHUNK = ("InvalidRequest", "IncompleteBody")  # malformed aws-chunked framing


def _extra_after_first_chunk(body):
    end = body.index(b"\r\n") + 2 + 600  # the first chunk's 600 data bytes
    return body[:end] + b"EXTRA" + body[end:]


def _drop_final_chunk(body):
    return body[:body.rindex(b"0;chunk-signature=")]


def _cut_inside_final_chunk(body):
    return body[:body.rindex(b"0;chunk-signature=") + 20]


AWS_CHUNKED_CASES = [
    Case("aws_signed_wrong_chunk_signature_overwrite", aws_signed("", target="medium.bin",
                                                                  corrupt=1),
         SIGNATURE_REFUSED, SIGNATURE_CODES),
    Case("aws_signed_wrong_final_signature_overwrite", aws_signed("", target="small.txt",
                                                                  corrupt=3),
         SIGNATURE_REFUSED, SIGNATURE_CODES),
    Case("aws_signed_signature_missing", aws_signed("as-nosig", mutate=lambda b: b.replace(
        b";chunk-signature=", b";x=", 1)), 400, BAD_CHUNK, absent=absent_new("as-nosig")),
    Case("aws_signed_signature_short", aws_signed("as-short", mutate=lambda b: re.sub(
        rb"chunk-signature=([0-9a-f]{10})[0-9a-f]{54}", rb"chunk-signature=\1", b, count=1)),
        400, BAD_CHUNK, absent=absent_new("as-short")),
    Case("aws_signed_signature_64k", aws_signed("as-long", mutate=lambda b: b.replace(
        b";chunk-signature=", b";chunk-signature=" + b"a" * 65536, 1)), 400, BAD_CHUNK,
        absent=absent_new("as-long")),
    Case("aws_signed_truncated_final_chunk_overwrite",
         aws_signed("", target="small.txt", mutate=_drop_final_chunk), 400, "IncompleteBody"),
    Case("aws_signed_cut_inside_final_chunk", aws_signed("as-cut", mutate=_cut_inside_final_chunk),
         400, "IncompleteBody", absent=absent_new("as-cut")),
    Case("aws_signed_data_after_final_chunk", aws_signed("as-after", mutate=lambda b: b +
                                                         b"5;chunk-signature=00\r\nhello\r\n"),
         400, BAD_CHUNK, absent=absent_new("as-after")),
    Case("aws_signed_decoded_length_lies_low_overwrite",
         aws_signed("", target="medium.bin", decoded="10"), 400, "IncompleteBody"),
    Case("aws_signed_decoded_length_lies_high", aws_signed("as-high", decoded="999999"), 400,
         "IncompleteBody", absent=absent_new("as-high")),
    Case("aws_signed_decoded_length_not_a_number", aws_signed("as-nan", decoded="12abc"), 400,
         "InvalidArgument", absent=absent_new("as-nan")),
    Case("aws_signed_decoded_length_2_pow_64", aws_signed("as-2p64", decoded=str(2 ** 64)), 400,
         "InvalidArgument", absent=absent_new("as-2p64")),
    Case("aws_signed_decoded_length_negative", aws_signed("as-neg", decoded="-1"), 400,
         "InvalidArgument", absent=absent_new("as-neg")),
    Case("aws_signed_chunk_longer_than_its_size",
         aws_signed("as-longer", mutate=_extra_after_first_chunk), 400, BAD_CHUNK,
         absent=absent_new("as-longer")),
    Case("aws_signed_trailer_bad_checksum_overwrite",
         aws_signed("", target="medium.bin", trailer=BAD_CRC), 400, "BadDigest"),
    Case("aws_signed_trailer_signature_wrong", aws_signed("as-tsig", trailer=(
        "x-amz-checksum-crc32", crc32_of(b"streamed payload " * 100)), mutate=lambda b: re.sub(
            rb"x-amz-trailer-signature:[0-9a-f]{64}", b"x-amz-trailer-signature:" + b"0" * 64, b)),
        SIGNATURE_REFUSED, SIGNATURE_CODES, absent=absent_new("as-tsig")),
    Case("aws_unsigned_bad_trailer_checksum_overwrite",
         aws_unsigned("", target="medium.bin", trailers=[BAD_CRC], announce=BAD_CRC[0]),
         400, "BadDigest"),
    Case("aws_unsigned_trailer_without_x_amz_trailer",
         aws_unsigned("au-unannounced", trailers=[("x-amz-checksum-crc32",
                                                   crc32_of(UNSIGNED_DATA))]),
         400, "InvalidRequest", absent=absent_new("au-unannounced")),
    Case("aws_unsigned_unannounced_trailer_wrong_checksum",
         aws_unsigned("au-unannounced-bad", trailers=[BAD_CRC]), 400,
         ("InvalidRequest", "BadDigest"), absent=absent_new("au-unannounced-bad")),
    Case("aws_unsigned_trailer_other_than_announced",
         aws_unsigned("au-other", trailers=[("x-amz-checksum-sha256", s3sig.checksum_value(
             "sha256", UNSIGNED_DATA))], announce="x-amz-checksum-crc32"),
         400, "InvalidRequest", absent=absent_new("au-other")),
    Case("aws_unsigned_trailer_100k", aws_unsigned(
        "au-big", trailers=[("x-amz-checksum-crc32", "A" * 100000)],
        announce="x-amz-checksum-crc32"), 400, "InvalidRequest",
        absent=absent_new("au-big")),
    Case("aws_unsigned_1000_trailers", aws_unsigned(
        "au-many", trailers=[("x-amz-meta-t%d" % i, "v") for i in range(1000)],
        announce="x-amz-checksum-crc32"), 400, "InvalidRequest",
        absent=absent_new("au-many")),
    Case("aws_unsigned_truncated_final_chunk_overwrite", aws_unsigned(
        "", target="small.txt", trailers=[("x-amz-checksum-crc32", crc32_of(UNSIGNED_DATA))],
        announce="x-amz-checksum-crc32", mutate=lambda b: b[:b.rindex(b"0\r\n")]),
        400, "IncompleteBody"),
    Case("aws_unsigned_decoded_length_lies_low_overwrite", aws_unsigned(
        "", target="small.txt", trailers=[("x-amz-checksum-crc32", crc32_of(UNSIGNED_DATA))],
        announce="x-amz-checksum-crc32", decoded="3"), 400, "IncompleteBody"),
]


# -- XML request bodies --

LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY l0 "lol">'
          + b"".join(b'<!ENTITY l%d "%s">' % (i, b"&l%d;" % (i - 1) * 10) for i in range(1, 10))
          + b"]>")
XXE = b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
XXE_PARAMETER = (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY % p SYSTEM "file:///etc/passwd">'
                 b" %p;]>")
PLAIN_DOCTYPE = b'<?xml version="1.0"?><!DOCTYPE r>'


def deep(n):
    return b"<a>" * n + b"</a>" * n


def complete_doc(text=b"1", etag=b'"etag"'):
    return (b"<CompleteMultipartUpload><Part><PartNumber>" + text + b"</PartNumber><ETag>" + etag
            + b"</ETag></Part></CompleteMultipartUpload>")


def delete_doc(key=b"not-stored"):
    return b"<Delete><Object><Key>" + key + b"</Key></Object></Delete>"


def lifecycle_doc(text=b"r1"):
    return (b"<LifecycleConfiguration><Rule><ID>" + text + b"</ID><Filter>"
            b"<Prefix>nothing-here/</Prefix></Filter><Status>Enabled</Status>"
            b"<Expiration><Days>1</Days></Expiration></Rule></LifecycleConfiguration>")


def cors_doc(text=b"https://example.com"):
    return (b"<CORSConfiguration><CORSRule><AllowedOrigin>" + text + b"</AllowedOrigin>"
            b"<AllowedMethod>GET</AllowedMethod></CORSRule></CORSConfiguration>")


# Each document: how to send it (method, query of the bucket or the pending upload) and a body
# with a place for an entity reference or a deep tree.
XML_TARGETS = {
    "complete": (complete_doc, lambda tc: ("POST", tc.p("pending"), [("uploadId", tc.upload_id)])),
    "delete": (delete_doc, lambda tc: ("POST", "/" + tc.bucket, [("delete", "")])),
    "lifecycle": (lifecycle_doc, lambda tc: ("PUT", "/" + tc.bucket, [("lifecycle", "")])),
    "cors": (cors_doc, lambda tc: ("PUT", "/" + tc.bucket, [("cors", "")])),
}
XML_LIMITS = {"complete": 4 * MIB, "delete": 2 * MIB, "lifecycle": MIB, "cors": 64 * 1024}


def xml_post(doc, body, headers=(), content_md5=True):
    def build(tc):
        method, path, query = XML_TARGETS[doc][1](tc)
        data = body(tc) if callable(body) else body
        hdrs = list(headers)
        if content_md5:
            hdrs.append(("Content-MD5", s3sig.content_md5(data)))
        return tc.signed(method, path, query, headers=hdrs, body=data,
                         payload_hash=hashlib.sha256(data).hexdigest())
    return build


def xml_cases():
    cases = []
    for doc, (make, _) in XML_TARGETS.items():
        cases += [
            Case("xml_%s_billion_laughs" % doc, xml_post(doc, LAUGHS + make(b"&l9;")), 400,
                 "MalformedXML"),
            Case("xml_%s_xxe_file" % doc, xml_post(doc, XXE + make(b"&x;")), 400, "MalformedXML",
                 check=lambda tc, o: tc.assertNoPasswd(o)),
            # pugixml skips a DOCTYPE and expands no entity: ignoring it is as safe as refusing it.
            Case("xml_%s_doctype" % doc, xml_post(doc, PLAIN_DOCTYPE + make()), (200, 400),
                 ("MalformedXML", "InvalidPart")),
            Case("xml_%s_nesting_100000" % doc, xml_post(doc, make(deep(100000))), 400,
                 ("MalformedXML", "EntityTooLarge")),
            Case("xml_%s_over_size_limit" % doc, xml_post(
                doc, make(b"x" * XML_LIMITS[doc])), 400, ("EntityTooLarge", "MalformedXML")),
            # Text that is not UTF-8 is refused before it reaches a key, a stored configuration
            # or an error message (which then would not be UTF-8 either).
            Case("xml_%s_invalid_utf8" % doc, xml_post(doc, make(b"\xff\xfe\xc0\xaf")),
                 400, "MalformedXML", check=lambda tc, o: tc.assertAnswersUtf8(o)),
            Case("xml_%s_surrogate_reference" % doc, xml_post(doc, make(b"a&#xD800;b")),
                 400, "MalformedXML", check=lambda tc, o: tc.assertAnswersUtf8(o)),
            Case("xml_%s_nul_reference" % doc, xml_post(doc, make(b"a&#0;b")),
                 400, "MalformedXML", check=lambda tc, o: tc.assertAnswersUtf8(o)),
            Case("xml_%s_control_character" % doc, xml_post(doc, make(b"a\x01b")),
                 400, "MalformedXML", check=lambda tc, o: tc.assertAnswersUtf8(o)),
            Case("xml_%s_wrong_root" % doc, xml_post(doc, b"<Wrong>" + make() + b"</Wrong>"), 400,
                 "MalformedXML"),
        ]
    return cases


def _delete_10001(tc):
    keys = list(tc.stored) + ["k%05d" % i for i in range(10001 - len(tc.stored))]
    return (b"<Delete><Quiet>true</Quiet>" + b"".join(b"<Object><Key>%s</Key></Object>" % k.encode()
                                                      for k in keys) + b"</Delete>")


def _complete_parts(numbers):
    return (b"<CompleteMultipartUpload>" + b"".join(
        b"<Part><PartNumber>%s</PartNumber><ETag>\"%s\"</ETag></Part>" % (n, b"0" * 32)
        for n in numbers) + b"</CompleteMultipartUpload>")


XML_CASES = xml_cases() + [
    Case("xml_delete_xxe_parameter_entity", xml_post("delete", XXE_PARAMETER + delete_doc()),
         (200, 400), "MalformedXML", check=lambda tc, o: tc.assertNoPasswd(o)),
    Case("xml_delete_xxe_http_fetch", xml_post("delete", lambda tc: (
        b'<!DOCTYPE r [<!ENTITY x SYSTEM "%s">]>' % tc.canary_url.encode()) + delete_doc(b"&x;")),
        400, "MalformedXML", check=lambda tc, o: tc.assertNoCanaryFetch()),
    Case("xml_delete_10001_keys_including_stored", xml_post("delete", _delete_10001), 400,
         "MalformedXML"),
    Case("xml_delete_without_content_md5", xml_post("delete", delete_doc(), content_md5=False),
         400, "InvalidRequest"),
    Case("xml_delete_chunked_over_limit", lambda tc: tc.signed(
        "POST", "/" + tc.bucket, [("delete", "")],
        headers=[("Content-MD5", "AAAAAAAAAAAAAAAAAAAAAA==")],
        unsigned=[("Transfer-Encoding", "chunked")], content_length=False) +
        chunked(b"<Delete>" + b" " * (3 * MIB), 65536),
        (400, None), ("EntityTooLarge", "MalformedXML")),
    Case("xml_lifecycle_1001_rules", xml_post("lifecycle", b"<LifecycleConfiguration>" + b"".join(
        b"<Rule><ID>r%d</ID><Filter><Prefix>p%d/</Prefix></Filter><Status>Enabled</Status>"
        b"<Expiration><Days>1</Days></Expiration></Rule>" % (i, i) for i in range(1001)) +
        b"</LifecycleConfiguration>"), 400, "InvalidArgument"),
    Case("xml_lifecycle_days_2_pow_64", xml_post("lifecycle", lifecycle_doc().replace(
        b"<Days>1</Days>", b"<Days>18446744073709551616</Days>")), 400, "InvalidArgument"),
    Case("xml_lifecycle_days_negative", xml_post("lifecycle", lifecycle_doc().replace(
        b"<Days>1</Days>", b"<Days>-1</Days>")), 400, "InvalidArgument"),
    Case("xml_cors_101_rules", xml_post("cors", b"<CORSConfiguration>" + b"<CORSRule>"
                                        b"<AllowedOrigin>https://a.example</AllowedOrigin>"
                                        b"<AllowedMethod>GET</AllowedMethod></CORSRule>" * 101 +
                                        b"</CORSConfiguration>"), 400, "InvalidRequest"),
    Case("xml_cors_method_unknown", xml_post("cors", cors_doc().replace(b">GET<", b">BREW<")), 400,
         "InvalidRequest"),
    # DeleteObjects answers a bad key in its result, beside the others (as S3 does).
    Case("xml_delete_key_1025_bytes", xml_post("delete", delete_doc(b"k" * 1025)), 200,
         check=lambda tc, o: tc.assertIn(b"<Code>KeyTooLongError</Code>", o.first.body)),
    Case("xml_delete_empty_key", xml_post("delete", delete_doc(b"")), 200,
         check=lambda tc, o: tc.assertIn(b"<Code>InvalidArgument</Code>", o.first.body)),
    Case("xml_complete_10001_parts", xml_post("complete", _complete_parts(
        [b"%d" % i for i in range(1, 10002)])), 400, ("InvalidPart", "MalformedXML",
                                                      "InvalidArgument")),
    Case("xml_complete_part_number_0", xml_post("complete", _complete_parts([b"0"])), 400,
         ("InvalidPart", "InvalidArgument", "MalformedXML")),
    Case("xml_complete_part_number_2_pow_64", xml_post("complete", _complete_parts(
        [str(2 ** 64).encode()])), 400, ("InvalidPart", "InvalidArgument", "MalformedXML")),
    Case("xml_complete_part_number_negative", xml_post("complete", _complete_parts([b"-1"])), 400,
         ("InvalidPart", "InvalidArgument", "MalformedXML")),
    Case("xml_complete_nul_in_document", xml_post("complete", complete_doc(b"1\x002")), 400,
         ("MalformedXML", "InvalidPart")),
    Case("xml_complete_utf16_bom", xml_post("complete", b"\xff\xfe" + complete_doc().decode()
                                            .encode("utf-16-le")), 400,
         ("MalformedXML", "InvalidPart")),
]


# -- paths: keys and bucket names --

def get_path(path, **kw):
    return lambda tc: tc.signed("GET", path(tc), **kw)


def put_path(path, body=b"x"):
    return lambda tc: tc.signed("PUT", path(tc), body=body,
                                payload_hash=hashlib.sha256(body).hexdigest())


def _bucket_path(tc, rest):
    return "/" + tc.bucket + rest


BAD_URI = ("InvalidArgument", "InvalidURI")  # S3 answers InvalidURI, cairn InvalidArgument

PATH_CASES = [
    Case("path_dotdot_get", get_path(lambda tc: _bucket_path(tc, "/../../../../etc/passwd")),
         404, "NoSuchKey",
         check=lambda tc, o: tc.assertNoPasswd(o)),
    Case("path_dotdot_put_stays_in_bucket",
         put_path(lambda tc: _bucket_path(tc, "/../../../../hostile-escaped")), 200,
         check=lambda tc, o: tc.assertNothingEscaped()),
    Case("path_encoded_dotdot_get", get_path(lambda tc: _bucket_path(
        tc, "/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd")), 404, "NoSuchKey",
        check=lambda tc, o: tc.assertNoPasswd(o)),
    Case("path_encoded_dotdot_as_bucket", get_path(lambda tc: "/%2e%2e/%2e%2e/etc/passwd"),
         (400, 404), ("InvalidBucketName", "NoSuchBucket", "InvalidArgument"),
         check=lambda tc, o: tc.assertNoPasswd(o)),
    Case("path_encoded_slashes_dotdot", get_path(lambda tc: _bucket_path(
        tc, "/..%2f..%2f..%2f..%2fetc%2fpasswd")), 404, "NoSuchKey",
        check=lambda tc, o: tc.assertNoPasswd(o)),
    Case("path_encoded_slash_after_bucket", get_path(lambda tc: "/%s%%2Fsmall.txt" % tc.bucket),
         (200, 400, 404), check=lambda tc, o: tc.assertBodyIs(o, "small.txt")),
    Case("path_nul_after_key_is_another_key", get_path(lambda tc: tc.p("small.txt") + "%00"),
         (400, 404), ("NoSuchKey", "InvalidArgument")),
    Case("path_nul_inside_key_put", put_path(lambda tc: tc.p("small.txt") + "%00evil"),
         (200, 400), check=lambda tc, o: tc.assertNothingEscaped()),
    Case("path_raw_nul_in_target", lambda tc: request_head(
        "GET", tc.p("small.txt").encode() + b"\x00", [("Host", tc.t.netloc)]), 400, "BadRequest"),
    Case("path_key_1024_bytes_is_fine", put_path(lambda tc: tc.p("k" * 1024)), 200),
    Case("path_key_1025_bytes_put", put_path(lambda tc: tc.p("k" * 1025)), 400, "KeyTooLongError"),
    Case("path_key_1025_bytes_get", get_path(lambda tc: tc.p("k" * 1025)), (400, 404),
         ("KeyTooLongError", "NoSuchKey")),
    Case("path_key_60k_bytes_put", put_path(lambda tc: tc.p("k" * 60000)), 400, "KeyTooLongError"),
    Case("path_percent_zz", get_path(lambda tc: _bucket_path(tc, "/%zz")), 400, BAD_URI),
    Case("path_percent_at_end", get_path(lambda tc: _bucket_path(tc, "/abc%")), 400, BAD_URI),
    Case("path_percent_one_digit", get_path(lambda tc: _bucket_path(tc, "/abc%4")), 400, BAD_URI),
    Case("path_overlong_utf8_slash", put_path(lambda tc: _bucket_path(tc, "/a%c0%afb")), 400,
         BAD_URI),
    Case("path_key_only_slash", put_path(lambda tc: _bucket_path(tc, "//"), b"slash"),
         200, check=lambda tc, o: tc.assertNothingEscaped()),
    Case("path_key_only_slashes_get", get_path(lambda tc: _bucket_path(tc, "////")), 404,
         "NoSuchKey"),
    Case("path_query_percent_zz", lambda tc: request_head(
        "GET", "/%s?list-type=2&prefix=%%zz" % tc.bucket, [("Host", tc.t.netloc)]), 400, BAD_URI),
    Case("bucket_uppercase_create", put_path(lambda tc: "/HostileUpper", b""), 400,
         "InvalidBucketName"),
    Case("bucket_ip_create", put_path(lambda tc: "/192.168.5.4", b""), 400, "InvalidBucketName"),
    Case("bucket_64_chars_create", put_path(lambda tc: "/" + "b" * 64, b""), 400,
         "InvalidBucketName"),
    Case("bucket_dotdot_create", put_path(lambda tc: "/hostile..name", b""), 400,
         "InvalidBucketName"),
    Case("bucket_nul_create", put_path(lambda tc: "/hostile%00name", b""), 400,
         "InvalidBucketName"),
    Case("bucket_uppercase_get", get_path(lambda tc: "/HOSTILE/x"), 404,
         ("NoSuchBucket", "InvalidBucketName")),
]


def vhost(host, path="/small.txt"):
    """A signed GET with an odd Host header (signed as sent)."""
    return lambda tc: tc.signed("GET", path, host=host(tc) if callable(host) else host)


# A Host that is no bucket under the base domain addresses nothing (never another bucket).
NO_SUCH_BUCKET = ((400, 404), ("NoSuchBucket", "InvalidBucketName"))

VHOST_CASES = [
    Case("vhost_bucket_host_works", vhost(lambda tc: "%s.localhost:%d" % (tc.bucket, tc.t.port)),
         200, check=lambda tc, o: tc.assertBodyIs(o, "small.txt")),
    Case("vhost_empty_host", vhost(""), *NO_SUCH_BUCKET),
    Case("vhost_host_with_space", vhost("a b.localhost"), *NO_SUCH_BUCKET),
    Case("vhost_host_dots_only", vhost("...localhost"), *NO_SUCH_BUCKET),
    Case("vhost_host_with_slash", vhost(lambda tc: "%s/x.localhost" % tc.bucket), *NO_SUCH_BUCKET),
    Case("vhost_host_with_userinfo", vhost(lambda tc: "user@%s.localhost" % tc.bucket),
         *NO_SUCH_BUCKET),
    Case("vhost_host_8k_labels", vhost("a." * 4000 + "localhost"), *NO_SUCH_BUCKET),
    Case("vhost_host_unclosed_ipv6", vhost("[::1"), *NO_SUCH_BUCKET),
    Case("vhost_host_port_overflow", vhost(lambda tc: "%s.localhost:999999999999" % tc.bucket),
         200, check=lambda tc, o: tc.assertBodyIs(o, "small.txt")),
    Case("vhost_host_dotdot_path", vhost(lambda tc: "%s.localhost" % tc.bucket, "/../small.txt"),
         404, "NoSuchKey"),
    Case("vhost_host_percent_encoded", vhost("%2e%2e.localhost"), *NO_SUCH_BUCKET),
]


# -- authentication --

def with_auth(value, extra=()):
    """GET of a stored object with a forged Authorization header."""
    def build(tc):
        v = value(tc) if callable(value) else value
        return request_head("GET", tc.p("small.txt"), [
            ("Host", tc.t.netloc), ("x-amz-date", s3sig.amz_now()),
            ("x-amz-content-sha256", s3sig.EMPTY_SHA256), ("Authorization", v)] + list(extra))
    return build


def _cred(tc):
    return "%s/%s/auto/s3/aws4_request" % (tc.t.access_key, s3sig.amz_now()[:8])


def presigned(query_edit, method="GET"):
    """A presigned URL of a stored object with its query edited after signing."""
    def build(tc):
        q = tc.t.signer().presign(method, tc.t.netloc, tc.p("small.txt"))
        return request_head(method, tc.p("small.txt") + "?" + query_edit(tc, q),
                            [("Host", tc.t.netloc)])
    return build


def _replace_param(name, value):
    def edit(tc, q):
        return "&".join("%s=%s" % (name, value) if p.startswith(name + "=") else p
                        for p in q.split("&"))
    return edit


def _duplicate_param(name):
    def edit(tc, q):
        dup = [p for p in q.split("&") if p.startswith(name + "=")][0]
        return q + "&" + dup
    return edit


def _many_signed_headers(tc):
    headers = [("x-amz-meta-h%d" % i, "v") for i in range(1000)]
    return tc.signed("GET", tc.p("small.txt"), headers=headers)


# Malformed authentication is 400 (the codes differ with what is wrong); 403 and 503 SlowDown as for
# any signature failure.
AUTH_REFUSED = (400,) + SIGNATURE_REFUSED
AUTH_CODES = ("AuthorizationHeaderMalformed", "AccessDenied", "InvalidArgument",
              "InvalidRequest", "AuthorizationQueryParametersError") + SIGNATURE_CODES

AUTH_CASES = [
    Case("auth_algorithm_only", with_auth("AWS4-HMAC-SHA256"), AUTH_REFUSED, AUTH_CODES),
    Case("auth_bearer", with_auth("Bearer abc.def.ghi"), AUTH_REFUSED, AUTH_CODES),
    Case("auth_empty_fields", with_auth("AWS4-HMAC-SHA256 Credential=,SignedHeaders=,Signature="),
         AUTH_REFUSED, AUTH_CODES),
    Case("auth_binary_bytes", with_auth(bytes(range(0x80, 0x100))), AUTH_REFUSED, AUTH_CODES),
    Case("auth_credential_1000_slashes", with_auth(
        "AWS4-HMAC-SHA256 Credential=" + "/" * 1000 + ", SignedHeaders=host, Signature=" +
        "0" * 64),
        AUTH_REFUSED, AUTH_CODES),
    Case("auth_duplicate_credential", with_auth(lambda tc: (
        "AWS4-HMAC-SHA256 Credential=%s, Credential=OTHER/%s, SignedHeaders=host;x-amz-date,"
        " Signature=%s" % (_cred(tc), _cred(tc).split("/", 1)[1], "0" * 64))),
        AUTH_REFUSED, AUTH_CODES),
    Case("auth_signature_60k", with_auth(lambda tc: (
        "AWS4-HMAC-SHA256 Credential=%s, SignedHeaders=host;x-amz-content-sha256;x-amz-date, "
        "Signature=%s" % (_cred(tc), "a" * 60000))), AUTH_REFUSED, AUTH_CODES),
    Case("auth_signed_headers_5000_names", with_auth(lambda tc: (
        "AWS4-HMAC-SHA256 Credential=%s, SignedHeaders=%s, Signature=%s"
        % (_cred(tc), ";".join("h%d" % i for i in range(5000)), "0" * 64))),
        AUTH_REFUSED, AUTH_CODES),
    Case("auth_1000_signed_meta_headers_on_get", _many_signed_headers, 200,
         check=lambda tc, o: tc.assertBodyIs(o, "small.txt")),
    Case("auth_unknown_algorithm", with_auth(lambda tc: (
        "AWS4-HMAC-SHA512 Credential=%s, SignedHeaders=host, Signature=%s"
        % (_cred(tc), "0" * 64))),
        AUTH_REFUSED, AUTH_CODES),
    Case("auth_sigv2_presigned", lambda tc: request_head(
        "GET", tc.p("small.txt") + "?AWSAccessKeyId=%s&Expires=%d&Signature=abc%%3D"
        % (tc.t.access_key, time.time() + 3600), [("Host", tc.t.netloc)]),
        AUTH_REFUSED, AUTH_CODES),
    Case("auth_header_and_presigned_query", lambda tc: request_head(
        "GET", tc.p("small.txt") + "?" + tc.t.signer().presign("GET", tc.t.netloc,
                                                               tc.p("small.txt")),
        [("Host", tc.t.netloc), ("Authorization", "AWS4-HMAC-SHA256 Credential=%s, "
                                 "SignedHeaders=host, Signature=%s" % (_cred(tc), "0" * 64))]),
        AUTH_REFUSED, AUTH_CODES),
    Case("presigned_expires_negative", presigned(_replace_param("X-Amz-Expires", "-1")),
         AUTH_REFUSED, AUTH_CODES),
    Case("presigned_expires_2_pow_64", presigned(_replace_param("X-Amz-Expires", str(2 ** 64))),
         AUTH_REFUSED, AUTH_CODES),
    Case("presigned_expires_not_a_number", presigned(_replace_param("X-Amz-Expires", "1e3")),
         AUTH_REFUSED, AUTH_CODES),
    Case("presigned_duplicate_signature", presigned(_duplicate_param("X-Amz-Signature")),
         AUTH_REFUSED, AUTH_CODES),
    Case("presigned_duplicate_credential", presigned(_duplicate_param("X-Amz-Credential")),
         AUTH_REFUSED, AUTH_CODES),
    Case("presigned_duplicate_expires", presigned(_duplicate_param("X-Amz-Expires")),
         AUTH_REFUSED, AUTH_CODES),
    Case("presigned_date_year_99999", presigned(_replace_param("X-Amz-Date", "99999101T000000Z")),
         AUTH_REFUSED, AUTH_CODES),
    Case("presigned_get_used_to_put", lambda tc: request_head(
        "PUT", tc.p("small.txt") + "?" + tc.t.signer().presign("GET", tc.t.netloc,
                                                               tc.p("small.txt")),
        [("Host", tc.t.netloc), ("Content-Length", "4")]) + b"evil",
        SIGNATURE_REFUSED, SIGNATURE_CODES),
]


# -- ranges and conditionals --

def get_with(headers, key="small.txt"):
    return lambda tc: tc.signed("GET", tc.p(key), headers=list(headers))


RANGE_CASES = [
    Case("range_start_overflow", get_with([("Range", "bytes=99999999999999999999-")]), 416,
         "InvalidRange"),
    Case("range_start_past_end", get_with([("Range", "bytes=1000000-")]), 416, "InvalidRange"),
    Case("range_suffix_zero", get_with([("Range", "bytes=-0")]), 416, "InvalidRange"),
    Case("range_suffix_overflow", get_with([("Range", "bytes=-99999999999999999999")]),
         206, check=lambda tc, o: tc.assertBodyIs(o, "small.txt")),
    Case("range_1000_ranges", get_with([("Range", "bytes=" + ",".join(
        "%d-%d" % (i, i) for i in range(1000)))], "medium.bin"), 200,
        check=lambda tc, o: tc.assertBodyIs(o, "medium.bin")),
    Case("range_inverted", get_with([("Range", "bytes=5-1")]), 200,
         check=lambda tc, o: tc.assertBodyIs(o, "small.txt")),
    Case("range_other_unit", get_with([("Range", "items=0-1")]), 200,
         check=lambda tc, o: tc.assertBodyIs(o, "small.txt")),
    Case("range_control_bytes", get_with([("Range", "bytes=\x01\x7f-")]), 400,
         ("BadRequest", "InvalidArgument")),
    Case("part_number_0", lambda tc: tc.signed("GET", tc.p("multipart.bin"), [("partNumber", "0")]),
         400, "InvalidArgument"),
    Case("part_number_overflow", lambda tc: tc.signed(
        "GET", tc.p("multipart.bin"), [("partNumber", str(2 ** 64))]), 400, "InvalidArgument"),
    Case("if_modified_since_year_99999", get_with([("If-Modified-Since",
                                                    "Sat, 01 Jan 99999 00:00:00 GMT")]), 200,
         check=lambda tc, o: tc.assertBodyIs(o, "small.txt")),
    Case("if_unmodified_since_garbage_8k", get_with([("If-Unmodified-Since", "x" * 8192)]), 200,
         check=lambda tc, o: tc.assertBodyIs(o, "small.txt")),
    Case("if_match_1500_etags", get_with([("If-Match", ", ".join(
        '"%032x"' % i for i in range(1500)))]), 412, "PreconditionFailed"),
    Case("if_none_match_unterminated_quote", get_with([("If-None-Match", '"abc')]), 200,
         check=lambda tc, o: tc.assertBodyIs(o, "small.txt")),
]

# -- other parsers an attacker reaches: the POST form (read before it is authenticated), query
#    parameters, x-amz-copy-source, multipart numbers, checksum and digest headers --

def post_form(body, content_type="multipart/form-data; boundary=xx"):
    """An anonymous POST Object form: it is parsed before its policy is checked."""
    return lambda tc: request_head("POST", "/" + tc.bucket, [
        ("Host", tc.t.netloc), ("Content-Type", content_type),
        ("Content-Length", str(len(body)))]) + body


def form_part(name, value, headers=b""):
    return (b'--xx\r\nContent-Disposition: form-data; name="%s"\r\n%s\r\n%s\r\n'
            % (name, headers, value))


def list_query(*params):
    return lambda tc: tc.signed("GET", "/" + tc.bucket, [("list-type", "2")] + list(params))


def copy_from(source):
    return lambda tc: tc.signed("PUT", tc.p(new_key("copied")),
                                headers=[("x-amz-copy-source", source)])


OTHER_CASES = [
    Case("form_part_headers_100k", post_form(form_part(b"key", b"k", b"X-Pad: " + b"p" * 100000 +
                                                       b"\r\n") + b"--xx--\r\n"),
         400, "MalformedPOSTRequest"),
    Case("form_field_over_20k", post_form(form_part(b"key", b"k" * 30000) + b"--xx--\r\n"),
         400, "MaxPostPreDataLengthExceededError"),
    Case("form_10000_fields", post_form(form_part(b"x-ignore-a", b"v") * 10000 + b"--xx--\r\n"),
         400, ("InvalidArgument", "MaxPostPreDataLengthExceededError", "MalformedPOSTRequest")),
    Case("form_boundary_1000_chars", post_form(
        b"--" + b"b" * 1000 + b"\r\n\r\n", "multipart/form-data; boundary=" + "b" * 1000),
        400, "MalformedPOSTRequest"),
    Case("form_no_boundary", post_form(form_part(b"key", b"k"), "multipart/form-data"), 400,
         "MalformedPOSTRequest"),
    Case("form_never_closed", post_form(form_part(b"key", b"k") + b"x" * 100000), 400,
         ("MaxPostPreDataLengthExceededError", "MalformedPOSTRequest")),
    Case("form_without_policy_stores_nothing", post_form(
        form_part(b"key", new_key("form").encode()) +
        b'--xx\r\nContent-Disposition: form-data; name="file"; filename="f"\r\n\r\n'
        b"data\r\n--xx--\r\n"), 403, "AccessDenied", absent=absent_new("form")),
    Case("query_10000_parameters", lambda tc: tc.signed(
        "GET", "/" + tc.bucket, [("list-type", "2")] + [("p%d" % i, "") for i in range(5000)]),
        (200, 400)),
    Case("query_max_keys_overflow", list_query(("max-keys", "99999999999999999999")), 400,
         "InvalidArgument"),
    Case("query_max_keys_negative", list_query(("max-keys", "-1")), 400, "InvalidArgument"),
    Case("query_continuation_token_garbage", list_query(("continuation-token", "%%%not b64")),
         400, "InvalidArgument"),
    Case("query_prefix_with_nul", list_query(("prefix", "small\x00")), (200, 400)),
    Case("query_encoding_type_unknown", list_query(("encoding-type", "base64")), 400,
         "InvalidArgument"),
    Case("copy_source_dotdot", copy_from("/../../../etc/passwd"), (400, 404),
         ("InvalidArgument", "NoSuchBucket", "InvalidBucketName"),
         check=lambda tc, o: tc.assertNoPasswd(o), absent=absent_new("copied")),
    Case("copy_source_nul_truncation", lambda tc: tc.signed(
        "PUT", tc.p(new_key("copied")), headers=[("x-amz-copy-source", "/%s/small.txt%%00x"
                                                   % tc.bucket)]), 404, "NoSuchKey",
        absent=absent_new("copied")),
    Case("copy_source_60k", copy_from("/" + "a" * 60000), 400,
         ("InvalidArgument", "InvalidBucketName", "KeyTooLongError")),
    Case("copy_source_bad_escape", copy_from("/bucket/%zz"), 400, "InvalidArgument"),
    Case("upload_part_number_0", lambda tc: tc.signed(
        "PUT", tc.p("pending"), [("partNumber", "0"), ("uploadId", tc.upload_id)], body=b"x"),
        400, "InvalidArgument"),
    Case("upload_part_number_10001", lambda tc: tc.signed(
        "PUT", tc.p("pending"), [("partNumber", "10001"), ("uploadId", tc.upload_id)],
        body=b"x"), 400, "InvalidArgument"),
    Case("upload_id_path_tricks", lambda tc: tc.signed(
        "PUT", tc.p("pending"), [("partNumber", "1"), ("uploadId", "../../" + tc.upload_id)],
        body=b"x"), 404, "NoSuchUpload"),
    Case("checksum_header_not_base64", put_new("ck-garbage", headers=[
        ("x-amz-checksum-crc32", "!!!!")], body=b"hello"), 400, "InvalidRequest",
        absent=absent_new("ck-garbage")),
    Case("checksum_header_60k", put_new("ck-long", headers=[
        ("x-amz-checksum-sha256", "A" * 60000)], body=b"hello"), 400, "InvalidRequest",
        absent=absent_new("ck-long")),
    Case("content_md5_garbage", put_new("md5-garbage", unsigned=[("Content-MD5", "%%%")],
                                        body=b"hello"), 400, "InvalidDigest",
         absent=absent_new("md5-garbage")),
    Case("content_md5_wrong_overwrite", lambda tc: tc.signed(
        "PUT", tc.p("small.txt"), headers=[("Content-MD5", s3sig.content_md5(b"other"))],
        body=b"evil"), 400, "BadDigest"),
]


ALL_CASES = (HEAD_CASES + CHUNKED_CASES + AWS_CHUNKED_CASES + XML_CASES + PATH_CASES +
             VHOST_CASES + AUTH_CASES + RANGE_CASES + OTHER_CASES)


# ------------------------------------------------------------------------------------------------


class HostileTests(CairnTestCase):
    cleanup_uploads = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.bucket = "hostile-" + os.urandom(4).hex()
        s3 = cls.s3
        s3.create_bucket(Bucket=cls.bucket)
        part1, part2 = os.urandom(5 * MIB), os.urandom(MIB + 7)
        cls.stored = {
            "small.txt": b"precious small data",
            "empty": b"",
            "medium.bin": os.urandom(300_000),
            "multipart.bin": part1 + part2,
        }
        for key, data in cls.stored.items():
            if key == "empty":
                # Not with boto3: botocore 1.43 keeps the early-answer state of an empty PUT sent
                # with Expect: 100-continue, and its next PUT on that connection hangs.
                cairn_server.raw_request("PUT", s3sig.key_path(cls.bucket, key), body=data)
            elif key != "multipart.bin":
                s3.put_object(Bucket=cls.bucket, Key=key, Body=data)
        up = s3.create_multipart_upload(Bucket=cls.bucket, Key="multipart.bin")["UploadId"]
        etags = [s3.upload_part(Bucket=cls.bucket, Key="multipart.bin", UploadId=up,
                                PartNumber=n, Body=b)["ETag"] for n, b in ((1, part1), (2, part2))]
        s3.complete_multipart_upload(
            Bucket=cls.bucket, Key="multipart.bin", UploadId=up,
            MultipartUpload={"Parts": [{"PartNumber": n, "ETag": e}
                                       for n, e in enumerate(etags, 1)]})
        cls.hashes = {k: hashlib.sha256(v).hexdigest() for k, v in cls.stored.items()}
        # An upload in progress for the CompleteMultipartUpload bodies: it must never complete.
        cls.upload_id = s3.create_multipart_upload(Bucket=cls.bucket, Key="pending")["UploadId"]
        s3.upload_part(Bucket=cls.bucket, Key="pending", UploadId=cls.upload_id, PartNumber=1,
                       Body=b"pending part")
        cls.pid = cls.t.server.proc.pid if cls.t.server else None
        # Where an XML external entity over HTTP would be fetched from (it never should be).
        cls.canary = socket.socket()
        cls.canary.bind(("127.0.0.1", 0))
        cls.canary.listen(8)
        cls.canary.setblocking(False)
        cls.canary_url = "http://127.0.0.1:%d/hostile-canary" % cls.canary.getsockname()[1]

    @classmethod
    def tearDownClass(cls):
        cls.canary.close()
        cls.empty_and_delete(cls.bucket)
        super().tearDownClass()

    # -- requests --
    def p(self, key):
        return s3sig.key_path(self.bucket, key)

    def signed(self, method, path, query=(), headers=(), unsigned=(), body=b"",
               payload_hash=None, host=TARGET_HOST, content_length=True):
        """A signed request, byte-exact: `path` and `query` are sent as given (the signature
        covers their canonical form), then the signed `headers`, then `unsigned` ones verbatim.
        host: the Host header (signed as sent), by default the target's; None sends none."""
        host = self.t.netloc if host is TARGET_HOST else host
        if payload_hash is None:
            payload_hash = hashlib.sha256(body).hexdigest() if body else s3sig.UNSIGNED_PAYLOAD
        to_sign = {k: v for k, v in headers}
        to_sign["host"] = host or ""
        signed_names = sorted({k.lower() for k in to_sign if k.lower() == "host" or
                               k.lower().startswith("x-amz-") or k.lower() in (
                                   "content-md5", "range", "if-match", "if-none-match",
                                   "if-modified-since", "if-unmodified-since")}
                              | {"x-amz-date", "x-amz-content-sha256"})
        hdrs, _ = self.t.signer().sign(method, s3sig.canonical_path(path) if path.startswith("/")
                                       else path, query, to_sign, payload_hash,
                                       signed_headers=signed_names)
        if host is None:
            del hdrs["host"]
        lines = list(hdrs.items()) + list(unsigned)
        if content_length and (body or method in ("PUT", "POST")):
            lines.append(("Content-Length", str(len(body))))
        target = path + ("?" + s3sig.encode_query(query) if query else "")
        return request_head(method, target, lines) + body

    def run_case(self, case):
        try:
            self._run_case(case)
        finally:
            self.restart_if_dead()

    def restart_if_dead(self):
        """A case that kills the server fails alone: the next one gets a new process on the same
        data dir (the stored objects are on disk)."""
        srv = self.t.server
        if srv is None:
            return
        if srv.alive():
            try:
                if srv.health(timeout=2) == 200:
                    return
            except OSError:
                pass
            try:  # not answering: dying (an abort takes a moment), or hung (then leave it be)
                srv.proc.wait(timeout=2)
            except subprocess.TimeoutExpired:
                return
        sys.stderr.write("\n*** cairn died (exit status %s); log tail:\n%s\n"
                         % (srv.proc.returncode, srv.log_tail(1500)))
        srv.start()
        type(self).pid = srv.proc.pid

    def _run_case(self, case):
        outcome = exchange(self.t.host, self.t.port, case.build(self), timeout=case.timeout,
                           half_close=case.half_close)
        if outcome.status not in case.status:
            self.fail("%s: status %s, expected %s: %r"
                      % (case.name, outcome.status, _statuses_text(case.status), outcome))
        if len(outcome.responses) > case.responses:
            self.fail("%s: %d answers to %d request(s), a request was smuggled: %r"
                      % (case.name, len(outcome.responses), case.responses, outcome))
        if case.code and outcome.first is not None and outcome.status >= 400:
            self.assertIn(outcome.first.error_code(), case.code, outcome)
        for r in outcome.responses:  # every refusal is a clear S3 error
            if r.status >= 400:
                self.assertIsNotNone(r.error_code(), "%s: not an S3 <Error>: %r" % (case.name, r))
        if case.check:
            case.check(self, outcome)
        self.assertServerWhole(case.absent(self) if case.absent else ())

    # -- what must hold after every hostile request --
    def assertServerWhole(self, absent=()):
        srv = self.t.server
        try:
            health = (srv.health(timeout=5) if srv else
                      cairn_server.raw_request("GET", "/_cairn/health", sign=False,
                                               timeout=5).status)
        except OSError as e:
            health = e
        if srv is not None:
            if health != 200:  # an abort takes a moment to show
                try:
                    srv.proc.wait(timeout=2)
                except subprocess.TimeoutExpired:
                    pass
            if not srv.alive():
                self.fail("cairn died with exit status %s:\n%s"
                          % (srv.proc.returncode, srv.log_tail(600)))
            self.assertEqual(srv.proc.pid, self.pid, "cairn was restarted")
        self.assertEqual(health, 200, "/_cairn/health")
        for key, want in self.hashes.items():
            r = cairn_server.raw_request("GET", s3sig.key_path(self.bucket, key), timeout=10)
            self.assertEqual(r.status, 200, "%s: %r" % (key, r))
            self.assertEqual(hashlib.sha256(r.body).hexdigest(), want, "%s was changed" % key)
        for key in list(absent) + ["pending"]:
            r = cairn_server.raw_request("HEAD", s3sig.key_path(self.bucket, key), timeout=10)
            self.assertEqual(r.status, 404, "%s exists after a refused request" % key)

    def assertBodyIs(self, outcome, key):
        """A 200 answer carries exactly the stored object."""
        r = outcome.first
        if r is not None and r.status == 200:
            self.assertEqual(r.body, self.stored[key], r)

    def assertNoPasswd(self, outcome):
        for r in outcome.responses:
            self.assertNotIn(PASSWD_MARK, r.body)
            self.assertNotIn(b"/bin/", r.body)

    def assertNotTunnel(self, outcome):
        self.assertNotIn(b"SSH-", b"".join(r.body for r in outcome.responses) + outcome.leftover)

    def assertNoCanaryFetch(self):
        time.sleep(0.2)
        try:
            conn, _ = self.canary.accept()
            conn.close()
            self.fail("the server fetched an external XML entity over HTTP")
        except BlockingIOError:
            pass

    def assertNothingEscaped(self):
        """No file named after a hostile key appears anywhere in or next to the data dir."""
        if self.t.server is None:
            return
        for root, _, names in os.walk(self.t.server.workdir):
            for n in names:
                self.assertNotIn("hostile-escaped", n, root)
                self.assertNotIn("evil", n, root)

    def assertAnswersUtf8(self, outcome):
        """Every answer is valid UTF-8, as its XML declaration says (no client byte echoed raw),
        and the bucket's configurations (other cases may store good ones) are too."""
        for r in outcome.responses:
            r.body.decode("utf-8")  # strict: no invalid bytes, no encoded surrogates
        for query in ("cors", "lifecycle"):
            r = cairn_server.raw_request("GET", "/" + self.bucket, [(query, "")])
            if r.status == 200:
                r.body.decode("utf-8")
                self.assertNotRegex(r.body, rb"[\x00-\x08\x0b\x0c\x0e-\x1f]", r)

    def assertStoredOrAbsent(self, outcome, key, data):
        """An accepted request stored exactly `data`; a refused one stored nothing."""
        r = cairn_server.raw_request("GET", s3sig.key_path(self.bucket, key))
        if outcome.status == 200:
            self.assertEqual(r.body, data)
            cairn_server.raw_request("DELETE", s3sig.key_path(self.bucket, key))
        else:
            self.assertEqual(r.status, 404, r)

    def assertShortBody(self, outcome, key):
        """Content-Length 5 with more bytes after: the 5 bytes are the object, the rest is read
        as the next request (and refused)."""
        self.assertEqual([r.status for r in outcome.responses][:1], [200], outcome)
        r = cairn_server.raw_request("GET", s3sig.key_path(self.bucket, key))
        self.assertEqual(r.body, b"hello")
        cairn_server.raw_request("DELETE", s3sig.key_path(self.bucket, key))

    # -- resource exhaustion (timed, several connections) --
    def quick_client_latency(self, seconds):
        """Signed GETs of a stored object for `seconds`; returns the slowest one's time."""
        worst = 0.0
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            start = time.monotonic()
            r = cairn_server.raw_request("GET", s3sig.key_path(self.bucket, "small.txt"),
                                         timeout=5)
            self.assertEqual(r.body, self.stored["small.txt"])
            worst = max(worst, time.monotonic() - start)
            time.sleep(0.05)
        return worst

    def test_slowloris_200_connections_one_byte_per_second(self):
        head = request_head("GET", self.p("small.txt"), [("Host", self.t.netloc)] +
                            [("X-Slow-%d" % i, "v") for i in range(20)])
        socks, stop = [], threading.Event()
        try:
            for _ in range(200):
                socks.append(socket.create_connection((self.t.host, self.t.port), timeout=5))

            def drip():
                for i in range(len(head)):
                    if stop.wait(1.0):
                        return
                    for s in socks:
                        try:
                            s.send(head[i:i + 1])
                        except OSError:
                            pass
            dripper = threading.Thread(target=drip, daemon=True)
            dripper.start()
            worst = self.quick_client_latency(5.5)
            self.assertLess(worst, 2.0, "a normal client waited %.2fs beside 200 slow ones" % worst)
        finally:
            stop.set()
            for s in socks:
                s.close()
        self.assertServerWhole()

    def test_many_half_open_connections(self):
        socks = []
        try:
            for i in range(300):
                s = socket.create_connection((self.t.host, self.t.port), timeout=5)
                if i % 3 == 1:  # a head and then nothing
                    s.sendall(b"GET /_cairn/health HTTP/1.1\r\nHost: x\r\n")
                elif i % 3 == 2:  # a PUT that promises a body it never sends
                    s.sendall(self.signed("PUT", self.p(new_key("half-open-%d" % i)),
                                          unsigned=[("Content-Length", "1000")],
                                          content_length=False) + b"abc")
                socks.append(s)
            worst = self.quick_client_latency(2)
            self.assertLess(worst, 2.0)
        finally:
            for s in socks:
                s.close()
        self.assertServerWhole([new_key("half-open-%d" % i) for i in range(2, 300, 3)])

    # Beast buffers a chunk-size line and a trailer section whole while it waits for their end;
    # before the session's buffer had a ceiling (256 KiB) the only limit was the I/O timeout (64
    # MiB sent: 31-59 MiB more resident memory), and a POST form is read before it is
    # authenticated.
    def test_endless_trailer_in_anonymous_post_form_is_refused(self):
        self.assertEndlessLineRefused(b"%x\r\n%s\r\n0\r\n" % (len(FORM_START), FORM_START),
                                      b"X-T: t\r\n" * (1 << 17))

    def test_endless_chunk_extension_in_anonymous_post_form_is_refused(self):
        self.assertEndlessLineRefused(b"5;e=", b"x" * MIB)

    def test_endless_chunk_size_in_anonymous_post_form_is_refused(self):
        self.assertEndlessLineRefused(b"", b"0" * MIB)

    def assertEndlessLineRefused(self, body_start, mebibyte, mebibytes=64):
        """Sends a chunked anonymous POST form: `body_start`, then up to 64 times `mebibyte`,
        1 MiB that never completes the chunk line or trailer section it is in. A server that
        bounds them answers 4xx and closes, or at least stops reading, long before the end; one
        that takes all 64 MiB without a word holds them in memory."""
        head = request_head("POST", "/" + self.bucket, [
            ("Host", self.t.netloc), ("Transfer-Encoding", "chunked"),
            ("Content-Type", "multipart/form-data; boundary=xx")])
        sent = 0
        with socket.create_connection((self.t.host, self.t.port), timeout=5) as s:
            try:
                s.sendall(head + body_start)
                while sent < mebibytes:
                    s.sendall(mebibyte)
                    sent += 1
            except OSError:  # refused and closed, or no longer read from
                pass
            s.settimeout(1)
            try:
                answer = s.recv(1 << 16)
            except OSError:
                answer = b""
        if answer:
            self.assertRegex(answer, rb"^HTTP/1\.1 4\d\d ", answer[:300])
        elif sent == mebibytes:
            self.fail("the server read %d MiB of a line that never ends without a word" % sent)
        self.assertServerWhole()

    def test_pipelined_1000_requests_on_one_connection(self):
        one = self.signed("GET", self.p("small.txt"))
        outcome = exchange(self.t.host, self.t.port, one * 1000, timeout=30, want=1000)
        self.assertEqual(len(outcome.responses), 1000, outcome)
        self.assertTrue(all(r.status == 200 and r.body == self.stored["small.txt"]
                            for r in outcome.responses), outcome)
        self.assertServerWhole()

    def test_pipelined_mixed_with_a_bad_request_in_the_middle(self):
        good = self.signed("GET", self.p("small.txt"))
        outcome = exchange(self.t.host, self.t.port, good * 3 + b"BAD\x00 / HTTP/1.1\r\n\r\n" +
                           good * 3, timeout=10, want=4)
        # Three answers, then the 400 that ends the connection: nothing after it is answered.
        self.assertEqual([r.status for r in outcome.responses], [200, 200, 200, 400], outcome)
        self.assertServerWhole()


def _statuses_text(statuses):
    text = [str(x) for x in statuses if x is not None and not 400 <= x < 600]
    if len([x for x in statuses if x is not None and 400 <= x < 600]) > 50:
        text.append("any 4xx or 5xx")
    else:
        text += [str(x) for x in statuses if x is not None and 400 <= x < 600]
    if None in statuses:
        text.append("no answer")
    return " or ".join(text)


def _make_test(case):
    def test(self):
        self.run_case(case)
    test.__doc__ = case.name
    if case.xfail:
        test = unittest.expectedFailure(test)
    return test


for _case in ALL_CASES:
    _name = "test_" + _case.name
    assert not hasattr(HostileTests, _name), "two cases named %s" % _case.name
    setattr(HostileTests, _name, _make_test(_case))


if __name__ == "__main__":
    cairn_server.main()
