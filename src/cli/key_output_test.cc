// What people see of access keys: the scope text, the aligned table of `key list` (never a
// secret), and the lines of a newly issued key.
#include "cli/key_output.h"

#include <gtest/gtest.h>

#include <sstream>
#include <vector>

namespace cairn::cli {
namespace {

Json Key(std::string id, std::string name, std::string permission, Json buckets, Json prefixes) {
  return {
      {"accessKeyId", id},    {"name", name},          {"permission", permission},
      {"buckets", buckets},   {"prefixes", prefixes},  {"createdAt", "2026-12-07T03:00:12.345Z"},
      {"expiresAt", nullptr}, {"lastUsedAt", nullptr}, {"previousSecretExpiresAt", nullptr},
      {"builtin", false}};
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

TEST(KeyScope, AdminKeysHaveNoneObjectKeysTheirBucketsAndPrefixes) {
  EXPECT_EQ(KeyScope(Key("A", "a", "admin-rw", Json::array(), Json::array())), "all");
  EXPECT_EQ(KeyScope(Key("A", "a", "admin-ro", Json::array(), Json::array())), "all");
  EXPECT_EQ(KeyScope(Key("B", "b", "object-rw", Json::array(), Json::array())), "buckets: all");
  EXPECT_EQ(KeyScope(Key("C", "c", "object-ro", {"photos", "logs"}, Json::array())),
            "buckets: photos, logs");
  EXPECT_EQ(KeyScope(Key("D", "d", "object-rw", {"up"}, {"user-1/", "tmp/"})),
            "buckets: up; prefixes: user-1/, tmp/");
  EXPECT_EQ(KeyScope(Key("E", "e", "object-ro", Json::array(), {"pub/"})),
            "buckets: all; prefixes: pub/");
}

TEST(KeyTable, OneAlignedRowPerKeyWithHeader) {
  Json admin = Key("CAIRNADMIN", "admin", "admin-rw", Json::array(), Json::array());
  admin["builtin"] = true;
  Json app = Key("CAIRNAPP0000001", "ünïcode app", "object-rw", {"photos"}, {"up/"});
  app["lastUsedAt"] = "2026-12-08T10:20:30.000Z";
  app["expiresAt"] = "2027-01-06T03:00:12.345Z";
  const std::vector<std::string> lines = Lines(KeyTable({{"keys", Json::array({admin, app})}}));
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0].rfind("ID", 0), 0u);
  for (const char* column : {"NAME", "PERMISSION", "SCOPE", "CREATED", "LAST USED", "EXPIRES"}) {
    EXPECT_NE(lines[0].find(column), std::string::npos) << column;
  }
  EXPECT_NE(lines[1].find("admin (builtin)"), std::string::npos) << lines[1];
  EXPECT_NE(lines[1].find("never"), std::string::npos) << lines[1];
  EXPECT_NE(lines[2].find("buckets: photos; prefixes: up/"), std::string::npos) << lines[2];
  EXPECT_NE(lines[2].find("2026-12-08 10:20"), std::string::npos) << lines[2];
  EXPECT_NE(lines[2].find("2027-01-06 03:00"), std::string::npos) << lines[2];
  // Columns line up in characters: the NAME column starts at the same character on every line,
  // the ü and ï (two bytes each) included.
  const std::string header_gap = lines[0].substr(0, lines[0].find("NAME"));
  EXPECT_EQ(lines[2].substr(0, header_gap.size()).find("CAIRNAPP0000001"), 0u);
  EXPECT_EQ(lines[2].find("ünïcode"), header_gap.size());
  const size_t permission_column = lines[0].find("PERMISSION");
  EXPECT_EQ(lines[1].find("admin-rw"), permission_column);
  EXPECT_EQ(lines[2].find("object-rw"), permission_column + 2);  // +2: the two extra bytes
}

TEST(KeyTable, EmptyListIsTheHeaderAlone) {
  EXPECT_EQ(Lines(KeyTable({{"keys", Json::array()}})).size(), 1u);
}

TEST(DescribeIssuedKey, ShowsTheSecretAndWhatTheKeyMayDo) {
  Json created = Key("CAIRNAPP0000001", "uploader", "object-rw", {"photos"}, Json::array());
  created["secretAccessKey"] = "s3cr3t";
  const std::string text = DescribeIssuedKey(created);
  EXPECT_NE(text.find("access key id:       CAIRNAPP0000001\n"), std::string::npos) << text;
  EXPECT_NE(text.find("secret access key:   s3cr3t\n"), std::string::npos) << text;
  EXPECT_NE(text.find("scope:               buckets: photos\n"), std::string::npos) << text;
  EXPECT_NE(text.find("expires:             never\n"), std::string::npos) << text;
  EXPECT_EQ(text.find("session token"), std::string::npos) << text;
  EXPECT_EQ(text.find("old secret"), std::string::npos) << text;  // a new key has none
}

TEST(DescribeIssuedKey, TemporaryCredentialsAndRotation) {
  Json temp = {{"accessKeyId", "CAIRNTMP1"},     {"secretAccessKey", "s"},
               {"sessionToken", "tok"},          {"expiresAt", "2026-12-07T04:00:00.000Z"},
               {"parent", "CAIRNAPP0000001"},    {"permission", "object-rw"},
               {"buckets", Json::array({"up"})}, {"prefixes", Json::array({"u/"})}};
  const std::string text = DescribeIssuedKey(temp);
  EXPECT_NE(text.find("session token:       tok\n"), std::string::npos) << text;
  EXPECT_NE(text.find("parent:              CAIRNAPP0000001\n"), std::string::npos) << text;
  EXPECT_NE(text.find("expires:             2026-12-07T04:00:00.000Z\n"), std::string::npos);

  Json rotated = Key("CAIRNAPP0000001", "uploader", "object-rw", Json::array(), Json::array());
  rotated["secretAccessKey"] = "new";
  rotated["previousSecretExpiresAt"] = "2026-12-07T04:00:00.000Z";
  EXPECT_NE(DescribeIssuedKey(rotated, true).find("old secret valid to: 2026-12-07T04:00:00.000Z"),
            std::string::npos);
  rotated["previousSecretExpiresAt"] = nullptr;
  EXPECT_NE(DescribeIssuedKey(rotated, true).find("old secret valid to: no longer"),
            std::string::npos);
}

}  // namespace
}  // namespace cairn::cli
