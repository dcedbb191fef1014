// Routing tests with request lines taken from the examples of the Amazon S3 API reference.
#include "s3/router.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

namespace cairn::s3 {
namespace {

struct Case {
  std::string method;
  std::string target;
  Op op;
  std::string bucket;
  std::string key;
  std::string host = "127.0.0.1:9000";
  bool copy_source = false;
};

Result<Route> RouteOf(const Case& c) {
  auto q = c.target.find('?');
  static QueryParams query;
  query = *QueryParams::Parse(q == std::string::npos ? "" : c.target.substr(q + 1));
  RouteInput in;
  in.method = c.method;
  std::string path = c.target.substr(0, q);
  in.raw_path = path;
  in.query = &query;
  in.host = c.host;
  in.base_domain = "localhost";
  in.has_copy_source = c.copy_source;
  return ResolveRoute(in);
}

TEST(Router, OperationsByTheirAwsNames) {
  const Case cases[] = {
      {"GET", "/", Op::kListBuckets, "", ""},
      {"PUT", "/examplebucket", Op::kCreateBucket, "examplebucket", ""},
      {"HEAD", "/examplebucket", Op::kHeadBucket, "examplebucket", ""},
      {"DELETE", "/examplebucket/", Op::kDeleteBucket, "examplebucket", ""},
      {"GET", "/examplebucket?location", Op::kGetBucketLocation, "examplebucket", ""},
      {"GET", "/examplebucket?list-type=2&prefix=photos%2F", Op::kListObjectsV2, "examplebucket",
       ""},
      {"GET", "/examplebucket?marker=a&max-keys=2", Op::kListObjects, "examplebucket", ""},
      {"POST", "/examplebucket?delete", Op::kDeleteObjects, "examplebucket", ""},
      {"PUT", "/examplebucket/my-image.jpg", Op::kPutObject, "examplebucket", "my-image.jpg"},
      {"PUT", "/examplebucket/copy.jpg", Op::kCopyObject, "examplebucket", "copy.jpg",
       "127.0.0.1:9000", true},
      {"GET", "/examplebucket/photos/2006/February/sample.jpg", Op::kGetObject, "examplebucket",
       "photos/2006/February/sample.jpg"},
      {"HEAD", "/examplebucket/my-image.jpg", Op::kHeadObject, "examplebucket", "my-image.jpg"},
      {"GET", "/examplebucket/my-image.jpg?attributes", Op::kGetObjectAttributes, "examplebucket",
       "my-image.jpg"},
      {"PUT", "/examplebucket/my-image.jpg?attributes", Op::kObjectSubresource, "examplebucket",
       "my-image.jpg"},
      {"DELETE", "/examplebucket/my-image.jpg", Op::kDeleteObject, "examplebucket", "my-image.jpg"},
      {"POST", "/examplebucket/example-object?uploads", Op::kCreateMultipartUpload, "examplebucket",
       "example-object"},
      {"PUT", "/examplebucket/obj?partNumber=1&uploadId=abc", Op::kUploadPart, "examplebucket",
       "obj"},
      {"POST", "/examplebucket/obj?uploadId=abc", Op::kCompleteMultipartUpload, "examplebucket",
       "obj"},
      {"DELETE", "/examplebucket/obj?uploadId=abc", Op::kAbortMultipartUpload, "examplebucket",
       "obj"},
      {"GET", "/examplebucket/obj?uploadId=abc", Op::kListParts, "examplebucket", "obj"},
      {"GET", "/examplebucket?uploads", Op::kListMultipartUploads, "examplebucket", ""},
      {"GET", "/examplebucket?cors", Op::kGetBucketCors, "examplebucket", ""},
      {"PUT", "/examplebucket?cors", Op::kPutBucketCors, "examplebucket", ""},
      {"DELETE", "/examplebucket?cors", Op::kDeleteBucketCors, "examplebucket", ""},
      {"OPTIONS", "/examplebucket/photo.jpg", Op::kPreflight, "examplebucket", "photo.jpg"},
      {"GET", "/examplebucket?acl", Op::kGetBucketAcl, "examplebucket", ""},
      {"PUT", "/examplebucket?acl", Op::kPutBucketAcl, "examplebucket", ""},
      {"DELETE", "/examplebucket?acl", Op::kBucketSubresource, "examplebucket", ""},
      {"GET", "/examplebucket/obj?acl", Op::kGetObjectAcl, "examplebucket", "obj"},
      {"PUT", "/examplebucket/obj?acl", Op::kPutObjectAcl, "examplebucket", "obj"},
      {"DELETE", "/examplebucket/obj?acl", Op::kObjectSubresource, "examplebucket", "obj"},
      {"GET", "/examplebucket?lifecycle", Op::kGetBucketLifecycleConfiguration, "examplebucket",
       ""},
      {"PUT", "/examplebucket?lifecycle", Op::kPutBucketLifecycleConfiguration, "examplebucket",
       ""},
      {"DELETE", "/examplebucket?lifecycle", Op::kDeleteBucketLifecycleConfiguration,
       "examplebucket", ""},
      {"GET", "/examplebucket/obj?tagging", Op::kObjectSubresource, "examplebucket", "obj"},
  };
  for (const Case& c : cases) {
    auto route = RouteOf(c);
    ASSERT_TRUE(route.ok()) << c.method << " " << c.target;
    EXPECT_EQ(OpName(route->op), OpName(c.op)) << c.method << " " << c.target;
    EXPECT_EQ(route->bucket, c.bucket) << c.target;
    EXPECT_EQ(route->key, c.key) << c.target;
  }
}

TEST(Router, KeysAreDecodedOnceAndKeptByteExact) {
  auto route = RouteOf({"GET", "/b/a%20b/..//c%2Bd+e%25", Op::kGetObject, "b", ""});
  ASSERT_TRUE(route.ok());
  EXPECT_EQ(route->key, "a b/..//c+d+e%");
  auto leading = RouteOf({"GET", "/b//leading", Op::kGetObject, "b", ""});
  ASSERT_TRUE(leading.ok());
  EXPECT_EQ(leading->key, "/leading");
}

TEST(Router, VirtualHostedStyle) {
  auto route =
      RouteOf({"GET", "/photos/cat.jpg", Op::kGetObject, "", "", "mybucket.localhost:9000"});
  ASSERT_TRUE(route.ok());
  EXPECT_EQ(route->bucket, "mybucket");
  EXPECT_EQ(route->key, "photos/cat.jpg");
  auto list = RouteOf({"GET", "/?list-type=2", Op::kListObjectsV2, "", "", "mybucket.localhost"});
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(list->op, Op::kListObjectsV2);
  EXPECT_EQ(list->bucket, "mybucket");
}

TEST(Router, RejectsWhatNoOperationTakes) {
  EXPECT_EQ(RouteOf({"PATCH", "/b/k", Op::kGetObject, "", ""}).error().code,
            ErrorCode::kMethodNotAllowed);
  EXPECT_EQ(RouteOf({"GET", "/b/%zz", Op::kGetObject, "", ""}).error().code,
            ErrorCode::kInvalidArgument);
}

TEST(QueryParams, DecodesNamesAndValues) {
  auto q = QueryParams::Parse("prefix=a%2Fb&delimiter=%2F&uploads&x=1+2");
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->Get("prefix"), "a/b");
  EXPECT_EQ(q->Get("delimiter"), "/");
  EXPECT_TRUE(q->Has("uploads"));
  EXPECT_EQ(q->Get("x"), "1+2");  // '+' is a space only in form encoding
  EXPECT_FALSE(q->Has("missing"));
}

// docs/access-keys.md's table, written out again: a new operation without a row here fails, and a
// row that moves an operation to another class must be a decision made in both places.
TEST(Router, EveryOperationHasItsPermissionClass) {
  using auth::Action;
  const std::map<Op, Action> expected = {
      {Op::kListBuckets, Action::kListBuckets},
      {Op::kCreateBucket, Action::kManageBuckets},
      {Op::kDeleteBucket, Action::kManageBuckets},
      {Op::kPutBucketLifecycleConfiguration, Action::kManageBuckets},
      {Op::kDeleteBucketLifecycleConfiguration, Action::kManageBuckets},
      {Op::kPutBucketCors, Action::kManageBuckets},
      {Op::kDeleteBucketCors, Action::kManageBuckets},
      {Op::kBucketSubresource, Action::kManageBuckets},
      {Op::kPutBucketAcl, Action::kManageBuckets},
      {Op::kGetBucketLifecycleConfiguration, Action::kReadBucketConfig},
      {Op::kGetBucketCors, Action::kReadBucketConfig},
      {Op::kGetBucketAcl, Action::kReadBucketConfig},
      {Op::kGetObjectAcl, Action::kReadObjects},
      {Op::kHeadBucket, Action::kReadObjects},
      {Op::kGetBucketLocation, Action::kReadObjects},
      {Op::kListObjects, Action::kReadObjects},
      {Op::kListObjectsV2, Action::kReadObjects},
      {Op::kListMultipartUploads, Action::kReadObjects},
      {Op::kListParts, Action::kReadObjects},
      {Op::kGetObject, Action::kReadObjects},
      {Op::kHeadObject, Action::kReadObjects},
      {Op::kGetObjectAttributes, Action::kReadObjects},
      {Op::kDeleteObjects, Action::kWriteObjects},
      {Op::kPutObject, Action::kWriteObjects},
      {Op::kPostObject, Action::kWriteObjects},
      {Op::kCopyObject, Action::kWriteObjects},
      {Op::kDeleteObject, Action::kWriteObjects},
      {Op::kCreateMultipartUpload, Action::kWriteObjects},
      {Op::kUploadPart, Action::kWriteObjects},
      {Op::kUploadPartCopy, Action::kWriteObjects},
      {Op::kCompleteMultipartUpload, Action::kWriteObjects},
      {Op::kAbortMultipartUpload, Action::kWriteObjects},
      {Op::kObjectSubresource, Action::kWriteObjects},
      {Op::kPutObjectAcl, Action::kWriteObjects},
      {Op::kPreflight, Action::kNone},
  };
  const std::vector<Op> all = AllOps();
  EXPECT_EQ(all.size(), expected.size());
  std::set<std::string_view> names;
  for (Op op : all) {
    names.insert(OpName(op));
    ASSERT_TRUE(expected.contains(op)) << OpName(op) << " has no row in this test";
    EXPECT_EQ(auth::ActionName(RequiredAction(op)), auth::ActionName(expected.at(op)))
        << OpName(op);
  }
  EXPECT_EQ(names.size(), all.size()) << "every op has its own name";
  EXPECT_FALSE(names.contains("Unknown"));
}

}  // namespace
}  // namespace cairn::s3
