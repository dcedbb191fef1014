#!/usr/bin/env python3
"""Writes the seed corpus of each harness into fuzz/corpus/<harness>/, one small file a seed.

The seeds are the inputs of the parsers' unit tests (the AWS examples, botocore's and browsers'
bodies, the malformed shapes the tests refuse), put in the text form each harness reads (see the
comment at the top of each fuzz/*_fuzzer.cc). Rerun after changing a harness's input form:
    fuzz/make_corpus.py
"""
import hashlib
import re
import pathlib
import shutil

HERE = pathlib.Path(__file__).resolve().parent
EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()
AUTH_HEADER = ("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
               "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,"
               "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
CHUNKED_AUTH = ("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
                "SignedHeaders=content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;"
                "x-amz-decoded-content-length;x-amz-storage-class,"
                "Signature=4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9")
PRESIGNED = ("/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE"
             "%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z"
             "&X-Amz-Expires=86400&X-Amz-SignedHeaders=host"
             "&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404")


def test_constant(test_file, name):
    """The value of a string constant in a unit test under src/: its literals joined."""
    source = (HERE.parent / "src" / test_file).read_text()
    start = source.index(" " + name + "[] =" if name + "[] =" in source else " " + name + " =")
    value = source[source.index("=", start) + 1:source.index(";", start)]
    text = ""
    for literal in re.findall(r'R"\((.*?)\)"|"((?:[^"\\]|\\.)*)"', value, re.S):
        raw, escaped = literal
        text += raw if raw else escaped.encode("latin-1").decode("unicode_escape")
    return text


def lines(*items):
    return "\n".join(items)


def http_head():
    return {
        "get": "GET /bucket/key HTTP/1.1\r\nHost: localhost:9000\r\nRange: bytes=0-9\r\n\r\n",
        "put-sized": ("PUT /bucket/a%20b?x=1 HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n"
                      "Expect: 100-continue\r\nx-amz-meta-a: =?UTF-8?B?w6k=?=\r\n\r\nhello"),
        "put-chunked": ("PUT /b/k HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                        "5\r\nhello\r\n0\r\nx-trailer: 1\r\n\r\n"),
        "gzip-chunked": ("PUT /b/k HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"
                         "0\r\n\r\n"),
        "two-lengths": "POST /b?delete HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabc",
        "http10": "HEAD / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
        "folded": "GET / HTTP/1.1\r\nX-A: one\r\n two\r\n\r\n",
        "pipelined": "GET /a HTTP/1.1\r\nHost: h\r\n\r\nGET /b HTTP/1.1\r\nHost: h\r\n\r\n",
        "bad-version": "GET / HTTP/2.0\r\n\r\n",
        "bare-lf": "GET / HTTP/1.1\nHost: h\n\n",
    }


def aws_chunked():
    # First byte: bit 0 signed chunks, bit 1 trailer, bit 2 the harness signs the body itself
    # (then the rest is chunk payloads cut at '|', "\n--\n" and trailer lines). Second: slicing.
    raw_unsigned_trailer = ("5\r\nhello\r\n0\r\nx-amz-checksum-crc32:NhCmhg==\r\n\r\n")
    raw_signed = ("3;chunk-signature=" + "0" * 64 + "\r\nabc\r\n0;chunk-signature=" + "1" * 64 +
                  "\r\n\r\n")
    return {
        "raw-unsigned": "\x00\x07" + "a\r\n0123456789\r\n0\r\n\r\n",
        "raw-unsigned-trailer": "\x02\x03" + raw_unsigned_trailer,
        "raw-unsigned-trailer-no-final-crlf": "\x02\x05" + raw_unsigned_trailer[:-2],
        "raw-signed-bad": "\x01\x01" + raw_signed,
        "raw-extension": "\x00\x09" + "3;name=value\r\nabc\r\n0\r\n\r\n",
        "raw-oversized": "\x00\x02" + "fffffffffffffffff\r\n",
        "signed": "\x05\x11" + "hello|world|" + "a" * 100,
        "signed-trailer": "\x07\x13" + "payload|more\n--\nx-amz-checksum-crc32:NhCmhg==\nx-amz-checksum-sha256:abc=",
        "unsigned-trailer": "\x06\x17" + "one|two\n--\nx-amz-checksum-crc64nvme:AAAAAAAAAAA=",
        "unsigned": "\x04\x01" + "x|y|z",
        "signed-empty": "\x05\x00",
    }


def sigv4_auth():
    return {
        "get-object": lines("GET /test.txt", "host: examplebucket.s3.amazonaws.com",
                            "range: bytes=0-9", "x-amz-content-sha256: " + EMPTY_SHA256,
                            "x-amz-date: 20130524T000000Z", "authorization: " + AUTH_HEADER),
        "chunked-put": lines("PUT /examplebucket/chunkObject.txt", "host: s3.amazonaws.com",
                             "x-amz-date: 20130524T000000Z",
                             "x-amz-storage-class: REDUCED_REDUNDANCY",
                             "authorization: " + CHUNKED_AUTH,
                             "x-amz-content-sha256: STREAMING-AWS4-HMAC-SHA256-PAYLOAD",
                             "content-encoding: aws-chunked",
                             "x-amz-decoded-content-length: 66560", "content-length: 66824"),
        "presigned": lines("GET " + PRESIGNED, "host: examplebucket.s3.amazonaws.com"),
        "presigned-twice": lines("GET " + PRESIGNED + "&X-Amz-Expires=1",
                                 "host: examplebucket.s3.amazonaws.com"),
        "date-header": lines("GET /", "host: h", "date: Fri, 24 May 2013 00:00:00 GMT",
                             "x-amz-content-sha256: UNSIGNED-PAYLOAD",
                             "authorization: " + AUTH_HEADER.replace("x-amz-date", "date")),
        "sigv2": lines("GET /", "authorization: AWS AKIAIOSFODNN7EXAMPLE:frJIUN8DYpKDtOLCwo//yllqDzg="),
        "sigv2-query": lines("GET /b/k?AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Signature=x&Expires=1"),
        "both": lines("GET " + PRESIGNED, "authorization: " + AUTH_HEADER),
        "anonymous": lines("GET /bucket/key", "host: h"),
        # Signed by the harness: "+" in the header form, "?" presigned.
        "self-signed": lines("+PUT /bucket/a%20b/%E2%82%AC?uploads&partNumber=1&x=a+b%2B",
                             "host: localhost:9000", "content-type: text/plain",
                             "x-amz-meta-a:  two   spaces ", "x-amz-meta-a: again"),
        "self-presigned": lines("?GET /bucket/key?response-content-type=text%2Fplain&versionId=",
                                "host: bucket.s3.example.com", "range: bytes=0-9"),
    }


DELETE = ("<Delete xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Quiet>true</Quiet>"
          "<Object><Key>a.txt</Key></Object><Object><Key>b &amp; c</Key><VersionId>x</VersionId>"
          "</Object></Delete>")
COMPLETE = ("<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>\"a54357aff0632cce46d942af68356b38\""
            "</ETag><ChecksumCRC32>NhCmhg==</ChecksumCRC32></Part><Part><PartNumber>2</PartNumber>"
            "<ETag>0c78aef83f66abc1fa1e8477f296d394</ETag></Part></CompleteMultipartUpload>")
def xml_body():
    return {
        "delete": "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + DELETE,
        "complete": COMPLETE,
        "create-bucket": ("<CreateBucketConfiguration><LocationConstraint>auto</LocationConstraint>"
                          "</CreateBucketConfiguration>"),
        "lifecycle": test_constant("s3/lifecycle_xml_test.cc", "kBoto3Body"),
        "cors": test_constant("s3/cors_xml_test.cc", "kBoto3Body"),
        "xxe": ("<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                "<Delete><Object><Key>&x;</Key></Object></Delete>"),
        "bomb": ("<!DOCTYPE l [<!ENTITY a \"aaaa\"><!ENTITY b \"&a;&a;&a;&a;\">]>"
                 "<CORSConfiguration><CORSRule><ID>&b;</ID></CORSRule></CORSConfiguration>"),
        "cdata": "<Delete><Object><Key><![CDATA[a<b]]></Key></Object></Delete>",
        "lifecycle-days": ("<LifecycleConfiguration><Rule><Status>Enabled</Status><Filter><Prefix>"
                           "</Prefix></Filter><Expiration><Days>4294967296</Days></Expiration>"
                           "</Rule></LifecycleConfiguration>"),
    }


def range_conditions():
    # Lines: Range, x-amz-copy-source-range, If-Match, If-None-Match, If-Modified-Since,
    # If-Unmodified-Since, the object's etag.
    return {
        "simple": lines("bytes=0-9", "bytes=0-9", "\"abc\"", "", "", "", "abc"),
        "suffix": lines("bytes=-5", "bytes=5-4", "W/\"abc\", \"def\"", "*",
                        "Sun, 30 Aug 2015 12:36:00 GMT", "", "abc"),
        "open": lines("BYTES = 10-", "bytes=0-", "", "\"x\"", "",
                      "Sunday, 30-Aug-15 12:36:00 GMT", "x"),
        "multi": lines("bytes=0-1,,2-3", "bytes=18446744073709551615-18446744073709551616", "*", "",
                       "Sun Aug 30 12:36:00 2015", "Sun Aug  3 12:36:60 2015", "e"),
        "huge": lines("bytes=99999999999999999999999-", "", "\"", "\"\"", "20150830T123600Z",
                      "2015-08-30T12:36:00.123456Z", ""),
        "bad-dates": lines("items=0-1", "bytes=", ",", "", "Mon, 31 Feb 2015 12:36:00 GMT",
                           "2015-02-29T00:00:00Z", "x"),
    }


def rfc2047():
    return {
        "b": "=?UTF-8?B?w6k=?=",
        "q": "=?utf-8?Q?caf=C3=A9_au_lait?=",
        "two-words": "=?UTF-8?B?w6k?= =?UTF-8?Q?=C3=A9?= plain",
        "latin1": "=?ISO-8859-1?Q?=E9t=E9?=",
        "language": "=?UTF-8*en?B?aGVsbG8=?=",
        "crlf": "=?UTF-8?Q?a=0D=0AX-Injected:_yes?=",
        "bad": "=?UTF-8?B?w6?= =?x?q?a?= =?UTF-8?Q?=ZZ?=",
        "plain": "no encoded words here",
        "storage-class": "STANDARD_IA",
    }


S3_EXAMPLE_POLICY = """{ "expiration": "2015-12-30T12:00:00.000Z",
  "conditions": [
    {"bucket": "sigv4examplebucket"},
    ["starts-with", "$key", "user/user1/"],
    {"acl": "public-read"},
    {"success_action_redirect": "http://sigv4examplebucket.s3.amazonaws.com/successful_upload.html"},
    ["starts-with", "$Content-Type", "image/"],
    {"x-amz-meta-uuid": "14365123651274"},
    {"x-amz-server-side-encryption": "AES256"},
    ["starts-with", "$x-amz-meta-tag", ""],
    {"x-amz-credential": "AKIAIOSFODNN7EXAMPLE/20151229/us-east-1/s3/aws4_request"},
    {"x-amz-algorithm": "AWS4-HMAC-SHA256"},
    {"x-amz-date": "20151229T000000Z" }
  ]
}"""


def post_policy():
    # "name: value" field lines, an empty line, the policy JSON ("base64" first: as sent).
    boto_fields = lines("content-type: image/png", "key: uploads/${filename}",
                        "x-amz-algorithm: AWS4-HMAC-SHA256",
                        "x-amz-credential: AKID/20260301/auto/s3/aws4_request",
                        "x-amz-date: 20260301T110000Z", "x-amz-signature: " + "0" * 64)
    s3_fields = lines("key: user/user1/${filename}", "acl: public-read",
                      "success_action_redirect: http://sigv4examplebucket.s3.amazonaws.com/successful_upload.html",
                      "content-type: image/jpeg", "x-amz-meta-uuid: 14365123651274",
                      "x-amz-server-side-encryption: AES256", "x-amz-meta-tag: ",
                      "x-amz-credential: AKIAIOSFODNN7EXAMPLE/20151229/us-east-1/s3/aws4_request",
                      "x-amz-algorithm: AWS4-HMAC-SHA256", "x-amz-date: 20151229T000000Z",
                      "x-amz-signature: 8afdbf4008c03f22c2cd3cdb72e4afbb1f6a588f3255ac628749a66d7f09699e")
    return {
        "boto": boto_fields + "\n\n" + test_constant("core/post_policy_test.cc", "kBotoPolicy"),
        "s3-example": s3_fields + "\n\n" + S3_EXAMPLE_POLICY,
        "eq-quote": "key: a\"b\n\n" + '{"expiration": "2026-03-01T12:00:00.000Z", "conditions": [["EQ", "$Key", "a\\"b"]]}',
        "length-strings": "\n\n" + '{"expiration": "2026-03-01T12:00:00Z", "conditions": [["content-length-range", "0", "18446744073709551615"]]}',
        "bad-condition": "\n\n" + '{"expiration": "2026-03-01T12:00:00Z", "conditions": [["between", "$key", 1], {"a": 1, "b": 2}, 3]}',
        "raw-lines": "base64\n\n\neyJleHBpcmF0aW9uIjogIjIwMjYtMDMtMDFUMTI6MDA6MDBaIiwg\r\nImNvbmRpdGlvbnMiOiBbXX0=",
        "expiration-object": "\n\n" + '{"expiration": {"a": [1, 2.5, null]}, "conditions": []}',
    }


def form_data():
    dash = "------WebKitFormBoundaryu7ODA3lQXwQJ8bIA"
    browser = (dash + "\r\nContent-Disposition: form-data; name=\"key\"\r\n\r\nuploads/${filename}\r\n"
               + dash + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"photo 1.jpg\"\r\n"
               "Content-Type: image/jpeg\r\n\r\n\r\n--\r\r\n\n--" + dash[:20] + "\r\n" + dash[:30]
               + "\0binary\xff" + "\r\n" + dash[:-1] + "tail\r" + "\r\n" + dash + "--\r\n")
    return {
        "browser": "multipart/form-data; boundary=----WebKitFormBoundaryu7ODA3lQXwQJ8bIA\n" + browser,
        "curl": ("multipart/form-data; boundary=\"xyz\"\n" + "preamble\r\n--xyz  \r\n"
                 "Content-Disposition: form-data; name=\"a\"\r\nX-Folded: one\r\n two\r\n\r\n1\r\n"
                 "--xyz\r\nContent-Disposition: form-data; name=file; filename*=UTF-8''%C3%A9.txt;"
                 " filename=\"e.txt\"\r\n\r\ndata\r\n--xyz--\r\nepilogue"),
        "no-close": "multipart/form-data; boundary=b\n--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx",
        "bad-header": "multipart/form-data; boundary=b\n--b\r\nno colon\r\n\r\n\r\n--b--",
        "quoted": ("multipart/form-data; boundary=b\n--b\r\nContent-Disposition: form-data; "
                   "name=\"a\\\"b\"; filename=\"C:\\dir\\f\"\r\n\r\n\r\n--b--"),
        "not-form": "text/plain; boundary=b\n--b--",
    }


def router():
    # Lines: method, target, Host, x-amz-copy-source.
    return {
        "list-buckets": lines("GET", "/", "localhost:9000", ""),
        "get-object": lines("GET", "/bucket/a%20b/c?versionId=1", "localhost:9000", ""),
        "virtual-host": lines("PUT", "/key?partNumber=1&uploadId=x", "bucket.s3.example.com:443",
                              "/src/a%2Fb.txt?versionId=null"),
        "copy": lines("PUT", "/bucket/dst", "h", "src-bucket/k%20ey"),
        "list-v2": lines("GET", "/bucket?list-type=2&prefix=a%2F&delimiter=%2F", "h", ""),
        "delete-objects": lines("POST", "/bucket?delete", "h", ""),
        "complete": lines("POST", "/bucket/key?uploadId=abc", "h", ""),
        "lifecycle": lines("PUT", "/bucket?lifecycle", "h", ""),
        "cors": lines("DELETE", "/bucket?cors=", "[::1]:9000", ""),
        "options": lines("OPTIONS", "/bucket/key", "h", ""),
        "bad-escape": lines("GET", "/bucket/%zz?a=%", "h", ""),
        "subresource": lines("GET", "/bucket/key?tagging&acl", "h", ""),
    }


def session_token():
    # Lines: access key id, token, secret, parent, bucket, prefix.
    return {
        "empty": lines("CTAAAAAAAAAAAAAAAAAA", "", "s", "P", "b", "p/"),
        "wrong-version": lines("CTAAAAAAAAAAAAAAAAAA", "cairn2.AAAA", "s", "P", "b", "p/"),
        "not-base64": lines("CTAAAAAAAAAAAAAAAAAA", "cairn1.!!!!", "s", "P", "b", "p/"),
        "short": lines("CTAAAAAAAAAAAAAAAAAA", "cairn1.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                       "secret", "PARENT", "photos", "user-1/"),
        "utf-8": lines("CT\xc3\xa9", "cairn1.-_-_", "s\xc3\xa9cret", "P", "b", "\xe6\x97\xa5/"),
    }


def r2_binding():
    # The JSON documents workerd 1.20261123.1 sent (docs/r2-binding-protocol.md, appendix A).
    return {
        "put": '{"version":1,"method":"put","object":"k/2 \xc3\xbc?x","customFields":[{"k":"a","v":"b"}],'
               '"httpFields":{"contentType":"text/plain","cacheExpiry":"1700000000000"},'
               '"onlyIf":{"etagMatches":[{"value":"e1","type":"strong"}],"uploadedBefore":"1700000000500"},'
               '"sha256":"' + "ab" * 32 + '","storageClass":"InfrequentAccess"}',
        "put-md5": '{"version":1,"method":"put","object":"k3","md5":"q6urq6urq6urq6urq6urqw=="}',
        "get-range": '{"version":1,"method":"get","object":"k1","range":{"offset":"1","length":"3"}}',
        "get-suffix": '{"version":1,"method":"get","object":"k1","range":{"suffix":"2"}}',
        "get-header": '{"version":1,"method":"get","object":"k1","rangeHeader":"bytes=1-3"}',
        "get-cond": '{"version":1,"method":"get","object":"k1","onlyIf":{"etagDoesNotMatch":'
                    '[{"value":"e1","type":"weak"},{"type":"wildcard"}],"uploadedBefore":"1445412480000",'
                    '"secondsGranularity":true}}',
        "list": '{"version":1,"method":"list","limit":10,"prefix":"a/","cursor":"CUR0","delimiter":"/",'
                '"startAfter":"a/0","include":[0,1],"newRuntime":true}',
        "delete": '{"version":1,"method":"delete","objects":["k1","k2"]}',
        "create": '{"version":1,"method":"createMultipartUpload","object":"big","customFields":'
                  '[{"k":"m","v":"n"}],"httpFields":{"contentType":"x/y"},"storageClass":"Standard"}',
        "part": '{"version":1,"method":"uploadPart","object":"big","uploadId":"UP1","partNumber":2}',
        "complete": '{"version":1,"method":"completeMultipartUpload","object":"big","uploadId":"UP1",'
                    '"parts":[{"etag":"E1","part":1},{"etag":"E2","part":2}]}',
        "abort": '{"version":1,"method":"abortMultipartUpload","object":"big","uploadId":"UP1"}',
    }


def main():
    for harness, seeds in {
        "http_head_fuzzer": http_head(),
        "aws_chunked_fuzzer": aws_chunked(),
        "sigv4_auth_fuzzer": sigv4_auth(),
        "xml_body_fuzzer": xml_body(),
        "range_conditions_fuzzer": range_conditions(),
        "rfc2047_fuzzer": rfc2047(),
        "post_policy_fuzzer": post_policy(),
        "form_data_fuzzer": form_data(),
        "router_fuzzer": router(),
        "session_token_fuzzer": session_token(),
        "r2_binding_fuzzer": r2_binding(),
    }.items():
        folder = HERE / "corpus" / harness
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        for name, text in seeds.items():
            (folder / name).write_bytes(text.encode("latin-1"))


if __name__ == "__main__":
    main()
