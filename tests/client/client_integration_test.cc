// The client library against a live server: every call of cairn::Client and Bucket but the
// multipart ones (upload_integration_test.cc), the errors a caller meets (no such bucket, a wrong
// secret, an unreachable server, failed preconditions), presigned URLs used by a plain HTTP
// client, and TLS. The server and the fixture come from it_support.h.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

#include "cairn/client.h"
#include "client/client_impl.h"
#include "client/multipart_internal.h"
#include "common/encoding.h"
#include "common/hashing.h"
#include "it_support.h"
#include "live_server.h"

namespace cairn::it {
namespace {

// --- Buckets -------------------------------------------------------------------------------

TEST_F(ClientIT, BucketsAreCreatedListedDescribedAndDeleted) {
  const std::string other = name_ + "-b";
  client_->createBucket(other);
  bool listed = false;
  for (const BucketInfo& b : client_->listBuckets()) {
    if (b.name == other) {
      listed = true;
      EXPECT_GT(b.created.time_since_epoch().count(), 0);
    }
  }
  EXPECT_TRUE(listed);
  BucketInfo info = client_->headBucket(other);
  EXPECT_EQ(info.name, other);
  EXPECT_FALSE(info.location.empty());
  EXPECT_GT(info.created.time_since_epoch().count(), 0);
  client_->deleteBucket(other);
  try {
    client_->headBucket(other);
    FAIL() << "headBucket of a deleted bucket";
  } catch (const S3Error& e) {
    EXPECT_EQ(e.code(), "NoSuchBucket");
    EXPECT_EQ(e.http_status(), 404);
  }
}

TEST_F(ClientIT, NoSuchBucketIsATypedError) {
  try {
    client_->bucket(name_ + "-missing").put("k", Body::FromString("x"));
    FAIL() << "put into a missing bucket";
  } catch (const S3Error& e) {
    EXPECT_EQ(e.code(), "NoSuchBucket");
    EXPECT_EQ(e.http_status(), 404);
    EXPECT_FALSE(e.request_id().empty());
    EXPECT_FALSE(e.message().empty());
  }
  EXPECT_THROW(client_->deleteBucket(name_ + "-missing"), S3Error);
}

TEST_F(ClientIT, DeletingANonEmptyBucketFails) {
  bucket().put("k", Body::FromString("x"));
  try {
    client_->deleteBucket(name_);
    FAIL();
  } catch (const S3Error& e) {
    EXPECT_EQ(e.code(), "BucketNotEmpty");
    EXPECT_EQ(e.http_status(), 409);
  }
}

TEST_F(ClientIT, WrongSecretIsSignatureDoesNotMatch) {
  ClientConfig config = ConfigFor(g_target);
  config.secretAccessKey += "x";
  Client wrong(config);
  try {
    wrong.listBuckets();
    FAIL() << "a wrong secret was accepted";
  } catch (const S3Error& e) {
    EXPECT_EQ(e.code(), "SignatureDoesNotMatch");
    EXPECT_EQ(e.http_status(), 403);
  }
  // A body sent with the wrong secret is refused the same way.
  EXPECT_THROW(wrong.bucket(name_).put("k", Body::FromString(RandomBytes(3 * kMiB, 1))), S3Error);
}

TEST_F(ClientIT, UnknownAccessKeyIsInvalidAccessKeyId) {
  ClientConfig config = ConfigFor(g_target);
  config.accessKeyId = "NOSUCHKEY0000000";
  try {
    Client(config).listBuckets();
    FAIL();
  } catch (const S3Error& e) {
    EXPECT_EQ(e.code(), "InvalidAccessKeyId");
  }
}

TEST(ClientUnreachable, ServerDownIsATransportError) {
  ClientConfig config = ConfigFor(g_target);
  const int port = live::ClosedPort();
  config.endpoint = "http://127.0.0.1:" + std::to_string(port);
  Client client(config);
  try {
    client.bucket("b").put("k", Body::FromString("x"));
    FAIL() << "no error from a closed port";
  } catch (const TransportError& e) {
    EXPECT_EQ(std::string(e.what()),
              "cannot connect to 127.0.0.1:" + std::to_string(port) + ": Connection refused");
  }
}

// --- put, get, head ------------------------------------------------------------------------

TEST_F(ClientIT, PutDescribesTheObjectAndHeadGetAgree) {
  const std::string data = "Welcome to Amazon S3.";
  PutOptions options;
  options.httpMetadata.contentType = "text/plain";
  options.httpMetadata.contentDisposition = "attachment; filename=\"w.txt\"";
  options.httpMetadata.contentLanguage = "en";
  options.httpMetadata.cacheControl = "max-age=60";
  options.httpMetadata.contentEncoding = "identity";
  options.httpMetadata.expires = "Wed, 21 Oct 2037 07:28:00 GMT";
  options.customMetadata = {{"author", "Zoë Ångström"}, {"plain", "ascii value"}};
  options.checksums.md5 = Md5Hex(data);
  options.checksums.sha256 = HexEncode(Sha256(data));
  options.storageClass = "InfrequentAccess";
  const auto before = std::chrono::system_clock::now() - std::chrono::seconds(2);

  std::optional<ObjectInfo> put =
      bucket().put("dir/wel come+ü.txt", Body::FromString(data), options);
  ASSERT_TRUE(put);
  EXPECT_EQ(put->key, "dir/wel come+ü.txt");
  EXPECT_EQ(put->size, data.size());
  EXPECT_EQ(put->etag, Md5Hex(data));
  EXPECT_EQ(put->httpEtag, "\"" + Md5Hex(data) + "\"");
  EXPECT_GE(put->uploaded, before);
  EXPECT_EQ(put->checksums.sha256, HexEncode(Sha256(data)));
  EXPECT_EQ(put->storageClass, "InfrequentAccess");

  std::optional<ObjectInfo> head = bucket().head("dir/wel come+ü.txt");
  ASSERT_TRUE(head);
  EXPECT_EQ(head->size, data.size());
  EXPECT_EQ(head->etag, put->etag);
  EXPECT_GE(head->uploaded, before);
  EXPECT_EQ(head->httpMetadata.contentType, "text/plain");
  EXPECT_EQ(head->httpMetadata.contentDisposition, "attachment; filename=\"w.txt\"");
  EXPECT_EQ(head->httpMetadata.contentLanguage, "en");
  EXPECT_EQ(head->httpMetadata.cacheControl, "max-age=60");
  EXPECT_EQ(head->httpMetadata.contentEncoding, "identity");
  EXPECT_EQ(head->httpMetadata.expires, "Wed, 21 Oct 2037 07:28:00 GMT");
  EXPECT_EQ(head->customMetadata, options.customMetadata);
  EXPECT_EQ(head->checksums.sha256, HexEncode(Sha256(data)));
  EXPECT_EQ(head->checksums.md5, Md5Hex(data));
  EXPECT_EQ(head->storageClass, "InfrequentAccess");

  std::optional<ObjectBody> got = bucket().get("dir/wel come+ü.txt");
  ASSERT_TRUE(got);
  EXPECT_EQ(got->body, data);
  EXPECT_EQ(got->customMetadata.at("author"), "Zoë Ångström");
  EXPECT_FALSE(got->range);
}

TEST_F(ClientIT, WrongChecksumsAreRefused) {
  PutOptions md5;
  md5.checksums.md5 = Md5Hex("other");
  try {
    bucket().put("k", Body::FromString("data"), md5);
    FAIL();
  } catch (const S3Error& e) {
    EXPECT_EQ(e.code(), "BadDigest");
  }
  PutOptions crc;
  crc.checksums.crc32 = "00000000";
  EXPECT_THROW(bucket().put("k", Body::FromString("data"), crc), S3Error);
  EXPECT_FALSE(bucket().head("k"));
}

TEST_F(ClientIT, PutStreamsFilesAndStreamsOfUnknownSize) {
  TempDir dir;
  const std::string data = RandomBytes(3 * kMiB + 5, 2);
  const std::string file = dir.Write("f", data);
  std::optional<ObjectInfo> from_file = bucket().put("file", Body::FromFile(file));
  ASSERT_TRUE(from_file);
  EXPECT_EQ(from_file->etag, Md5Hex(data));
  std::optional<ObjectInfo> range = bucket().put("range", Body::FromFile(file, 100, 1000));
  ASSERT_TRUE(range);
  EXPECT_EQ(range->etag, Md5Hex(data.substr(100, 1000)));

  std::istringstream in(data);
  std::optional<ObjectInfo> streamed = bucket().put("stream", Body::FromStream(in));
  ASSERT_TRUE(streamed);
  EXPECT_EQ(streamed->size, data.size());
  EXPECT_EQ(streamed->etag, Md5Hex(data));
  EXPECT_EQ(bucket().get("stream")->body, data);
  std::istringstream sized(data);
  ASSERT_TRUE(bucket().put("sized", Body::FromStream(sized, 10)));
  EXPECT_EQ(bucket().get("sized")->body, data.substr(0, 10));
}

// R2's put returns null when onlyIf fails.
TEST_F(ClientIT, PutPreconditions) {
  PutOptions create_only;
  create_only.onlyIf.etagDoesNotMatch = "*";
  std::optional<ObjectInfo> first = bucket().put("k", Body::FromString("one"), create_only);
  ASSERT_TRUE(first);
  EXPECT_FALSE(bucket().put("k", Body::FromString("two"), create_only));

  PutOptions not_current;
  not_current.onlyIf.etagDoesNotMatch = first->etag;
  EXPECT_FALSE(bucket().put("k", Body::FromString("two"), not_current));

  PutOptions wrong_match;
  wrong_match.onlyIf.etagMatches = Md5Hex("nope");
  EXPECT_FALSE(bucket().put("k", Body::FromString("two"), wrong_match));

  PutOptions right_match;
  right_match.onlyIf.etagMatches = first->etag;
  std::optional<ObjectInfo> second = bucket().put("k", Body::FromString("two"), right_match);
  ASSERT_TRUE(second);
  EXPECT_EQ(second->etag, Md5Hex("two"));

  PutOptions old;
  old.onlyIf.uploadedBefore = std::chrono::system_clock::now() - std::chrono::hours(1);
  EXPECT_FALSE(bucket().put("k", Body::FromString("three"), old));
  EXPECT_EQ(bucket().get("k")->body, "two");
}

TEST_F(ClientIT, GetRangesConditionsAndMissingKeys) {
  const std::string data = "0123456789abcdefghij";
  ObjectInfo put = *bucket().put("k", Body::FromString(data));

  GetOptions middle;
  middle.range = Range{5, 4, {}};
  std::optional<ObjectBody> got = bucket().get("k", middle);
  ASSERT_TRUE(got);
  EXPECT_EQ(got->body, "5678");
  EXPECT_EQ(got->size, data.size());
  ASSERT_TRUE(got->range);
  EXPECT_EQ(got->range->offset, 5u);
  EXPECT_EQ(got->range->length, 4u);

  GetOptions suffix;
  suffix.range = Range{{}, {}, 3};
  EXPECT_EQ(bucket().get("k", suffix)->body, "hij");
  GetOptions from;
  from.range = Range{17, {}, {}};
  EXPECT_EQ(bucket().get("k", from)->body, "hij");

  GetOptions unchanged;
  unchanged.onlyIf.etagDoesNotMatch = put.etag;
  EXPECT_FALSE(bucket().get("k", unchanged));
  GetOptions other;
  other.onlyIf.etagMatches = Md5Hex("other");
  EXPECT_FALSE(bucket().get("k", other));
  GetOptions matching;
  matching.onlyIf.etagMatches = put.etag;
  EXPECT_TRUE(bucket().get("k", matching));

  EXPECT_FALSE(bucket().get("missing"));
  EXPECT_FALSE(bucket().head("missing"));
  EXPECT_THROW(client_->bucket(name_ + "-missing").get("k"), S3Error);
}

TEST_F(ClientIT, GetToStreamAndToFile) {
  TempDir dir;
  const std::string data = RandomBytes(5 * kMiB + 3, 3);
  bucket().put("big", Body::FromString(data));
  std::ostringstream out;
  std::optional<ObjectInfo> info = bucket().getToStream("big", out);
  ASSERT_TRUE(info);
  EXPECT_EQ(info->size, data.size());
  EXPECT_TRUE(out.str() == data);

  const std::string path = dir.Path("copy");
  ASSERT_TRUE(bucket().getToFile("big", path));
  EXPECT_TRUE(ReadWhole(path) == data);
  EXPECT_FALSE(bucket().getToFile("missing", dir.Path("absent")));
  EXPECT_FALSE(std::filesystem::exists(dir.Path("absent")));
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir.Path("")),
                          std::filesystem::directory_iterator()),
            1);  // no temporary file left behind
}

// --- delete and list -----------------------------------------------------------------------

TEST_F(ClientIT, RemoveOneAndManyInBatches) {
  Bucket b = bucket();
  std::vector<std::string> keys;
  for (int i = 0; i < 1100; ++i) {
    keys.push_back("many/" + std::to_string(i));
    b.put(keys.back(), Body::FromString("x"));
  }
  b.put("single", Body::FromString("x"));
  b.remove("single");
  b.remove("never-existed");
  EXPECT_FALSE(b.head("single"));
  b.remove(keys);  // two DeleteObjects requests: 1,000 then 100
  ListResult left = b.list();
  EXPECT_TRUE(left.objects.empty());
  EXPECT_FALSE(left.truncated);
}

TEST_F(ClientIT, ListPrefixDelimiterCursorStartAfterAndInclude) {
  Bucket b = bucket();
  PutOptions options;
  options.httpMetadata.contentType = "text/x-test";
  options.customMetadata = {{"n", "ü"}};
  for (const std::string key : {"a/1", "a/2", "a/3", "b/1", "c", "sp ace+plus/é"}) {
    b.put(key, Body::FromString(key), options);
  }
  ListResult top = b.list({.delimiter = "/"});
  EXPECT_EQ(top.delimitedPrefixes, (std::vector<std::string>{"a/", "b/", "sp ace+plus/"}));
  ASSERT_EQ(top.objects.size(), 1u);
  EXPECT_EQ(top.objects[0].key, "c");
  EXPECT_EQ(top.objects[0].size, 1u);
  EXPECT_EQ(top.objects[0].etag, Md5Hex("c"));
  EXPECT_GT(top.objects[0].uploaded.time_since_epoch().count(), 0);
  EXPECT_FALSE(top.objects[0].httpMetadata.contentType);  // not asked for

  std::vector<std::string> paged;
  ListResult page;
  int pages = 0;
  do {
    page = b.list({.prefix = "a/", .cursor = page.cursor, .limit = 2});
    for (const ObjectInfo& o : page.objects) paged.push_back(o.key);
    ++pages;
  } while (page.truncated);
  EXPECT_EQ(paged, (std::vector<std::string>{"a/1", "a/2", "a/3"}));
  EXPECT_EQ(pages, 2);

  ListResult after = b.list({.startAfter = "b/1"});
  ASSERT_EQ(after.objects.size(), 2u);
  EXPECT_EQ(after.objects[0].key, "c");
  EXPECT_EQ(after.objects[1].key, "sp ace+plus/é");

  ListResult with = b.list({.prefix = "sp", .include = {"httpMetadata", "customMetadata"}});
  ASSERT_EQ(with.objects.size(), 1u);
  EXPECT_EQ(with.objects[0].httpMetadata.contentType, "text/x-test");
  EXPECT_EQ(with.objects[0].customMetadata.at("n"), "ü");
}

// --- presigned URLs ------------------------------------------------------------------------

TEST_F(ClientIT, PresignedPutGetHeadDeleteWithAPlainHttpClient) {
  Bucket b = bucket();
  Bucket::PresignOptions options;
  options.headers = {{"Content-Type", "image/png"}};
  const std::string put_url = b.presign("PUT", "user-upload.png", options);
  EXPECT_NE(put_url.find("X-Amz-Signature="), std::string::npos);
  EXPECT_NE(put_url.find("X-Amz-SignedHeaders=content-type%3Bhost"), std::string::npos);

  auto refused = live::RawHttp("PUT", put_url, {}, "png bytes");
  EXPECT_EQ(refused.status, 403) << "the signed Content-Type was not required";
  auto put = live::RawHttp("PUT", put_url, {{"Content-Type", "image/png"}}, "png bytes");
  EXPECT_EQ(put.status, 200) << put.body;
  EXPECT_EQ(put.headers["etag"], "\"" + Md5Hex("png bytes") + "\"");

  const std::string get_url = b.presign("GET", "user-upload.png", {});
  auto got = live::RawHttp("GET", get_url);
  EXPECT_EQ(got.status, 200);
  EXPECT_EQ(got.body, "png bytes");
  EXPECT_EQ(got.headers["content-type"], "image/png");
  EXPECT_EQ(live::RawHttp("HEAD", b.presign("HEAD", "user-upload.png", {})).status, 200);
  std::string tampered = get_url;
  tampered.back() = tampered.back() == '0' ? '1' : '0';
  EXPECT_EQ(live::RawHttp("GET", tampered).status, 403);
  EXPECT_EQ(live::RawHttp("DELETE", b.presign("DELETE", "user-upload.png", {})).status, 204);
  EXPECT_FALSE(b.head("user-upload.png"));

  Bucket::PresignOptions short_lived;
  short_lived.expiry = std::chrono::seconds(1);
  const std::string expiring = b.presign("GET", "user-upload.png", short_lived);
  std::this_thread::sleep_for(std::chrono::milliseconds(2100));
  auto expired = live::RawHttp("GET", expiring);
  EXPECT_EQ(expired.status, 403);
  EXPECT_NE(expired.body.find("AccessDenied"), std::string::npos) << expired.body;

  EXPECT_THROW(b.presign("POST", "k", {}), std::invalid_argument);
  Bucket::PresignOptions too_long;
  too_long.expiry = std::chrono::hours(24 * 8);
  EXPECT_THROW(b.presign("GET", "k", too_long), std::invalid_argument);
}

TEST_F(ClientIT, PresignedUploadPart) {
  Bucket b = bucket();
  MultipartUpload upload = b.createMultipartUpload("parts.bin");
  const std::string first = RandomBytes(5 * kMiB, 11), second = "tail";
  std::vector<UploadedPart> parts;
  for (uint32_t n : {1u, 2u}) {
    Bucket::PresignOptions options;
    options.partNumber = n;
    options.uploadId = upload.uploadId();
    const std::string url = b.presign("PUT", "parts.bin", options);
    EXPECT_NE(url.find("partNumber=" + std::to_string(n)), std::string::npos);
    auto answer = live::RawHttp("PUT", url, {}, n == 1 ? first : second);
    ASSERT_EQ(answer.status, 200) << answer.body;
    parts.push_back({n, answer.headers["etag"]});
  }
  ObjectInfo object = upload.complete(parts);
  EXPECT_EQ(object.etag, MultipartEtag({first, second}));
}

// --- bucket configuration documents ----------------------------------------------------------

TEST_F(ClientIT, LifecycleDocuments) {
  EXPECT_FALSE(client_->getBucketLifecycle(name_));
  const std::string xml =
      "<LifecycleConfiguration><Rule><ID>expire-tmp</ID><Filter><Prefix>tmp/</Prefix></Filter>"
      "<Status>Enabled</Status><Expiration><Days>7</Days></Expiration></Rule>"
      "</LifecycleConfiguration>";
  client_->putBucketLifecycle(name_, xml);
  std::optional<std::string> got = client_->getBucketLifecycle(name_);
  ASSERT_TRUE(got);
  EXPECT_NE(got->find("expire-tmp"), std::string::npos);
  client_->deleteBucketLifecycle(name_);
  EXPECT_FALSE(client_->getBucketLifecycle(name_));
  EXPECT_THROW(client_->putBucketLifecycle(name_, "<not-lifecycle/>"), S3Error);
}

TEST_F(ClientIT, CorsDocuments) {
  std::optional<std::string> none;
  try {
    none = client_->getBucketCors(name_);
  } catch (const S3Error& e) {
    if (e.code() == "NotImplemented") GTEST_SKIP() << "the server does not implement CORS yet";
    throw;
  }
  EXPECT_FALSE(none);
  const std::string xml =
      "<CORSConfiguration><CORSRule><AllowedOrigin>https://example.com</AllowedOrigin>"
      "<AllowedMethod>GET</AllowedMethod></CORSRule></CORSConfiguration>";
  client_->putBucketCors(name_, xml);
  std::optional<std::string> got = client_->getBucketCors(name_);
  ASSERT_TRUE(got);
  EXPECT_NE(got->find("https://example.com"), std::string::npos);
  client_->deleteBucketCors(name_);
  EXPECT_FALSE(client_->getBucketCors(name_));
}

// --- TLS ------------------------------------------------------------------------------------

// A second server with a self-signed certificate: trusted through caFile, refused by the system
// store, accepted with verifyTls off.
TEST(ClientTls, CertificatesAreVerified) {
  if (g_binary.empty()) GTEST_SKIP() << "needs its own server";
  TempDir dir;
  const std::string cert = dir.Path("cert.pem"), key = dir.Path("key.pem");
  live::WriteSelfSignedCertificate(cert, key);
  live::LiveServer server(g_binary, std::chrono::seconds(30),
                          {"--tls-cert", cert, "--tls-key", key});
  const std::string endpoint = server.target().endpoint;
  ASSERT_TRUE(endpoint.starts_with("https://127.0.0.1:")) << endpoint;

  ClientConfig trusted_config = ConfigFor(server.target());
  trusted_config.caFile = cert;
  Client trusted(trusted_config);
  trusted.createBucket("tls-bucket");
  const std::string data = RandomBytes(3 * kMiB + 1, 12);
  Bucket bucket = trusted.bucket("tls-bucket");
  ASSERT_TRUE(bucket.put("k", Body::FromString(data)));
  EXPECT_TRUE(bucket.get("k")->body == data);
  bucket.remove("k");
  trusted.deleteBucket("tls-bucket");

  Client system_store(ConfigFor(server.target()));
  try {
    system_store.listBuckets();
    FAIL() << "a self-signed certificate was trusted";
  } catch (const TransportError& e) {
    EXPECT_TRUE(std::string(e.what()).starts_with("TLS handshake with 127.0.0.1:")) << e.what();
  }

  ClientConfig insecure = ConfigFor(server.target());
  insecure.verifyTls = false;
  EXPECT_NO_THROW(Client(insecure).listBuckets());

  ClientConfig missing_ca = ConfigFor(server.target());
  missing_ca.caFile = dir.Path("no-such-ca.pem");
  EXPECT_THROW(Client{missing_ca}, TransportError);
}

// --- concurrency -----------------------------------------------------------------------------

TEST_F(ClientIT, OneClientServesManyThreads) {
  Bucket b = bucket();
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 20; ++i) {
        const std::string key = "t" + std::to_string(t) + "/" + std::to_string(i);
        const std::string value = RandomBytes(100 + i, t * 100 + i);
        b.put(key, Body::FromString(value));
        if (b.get(key)->body == value) ++ok;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(ok, 160);
}

}  // namespace
}  // namespace cairn::it
