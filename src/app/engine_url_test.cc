#include "app/engine_url.h"

#include <gtest/gtest.h>

namespace cairn::app {
namespace {

TEST(EngineUrlTest, MetaDefaultsToTheDataDirsDatabase) {
  auto url = ParseMetaEngineUrl("", "data/meta.sqlite3");
  ASSERT_TRUE(url.ok());
  EXPECT_EQ(url->engine, MetaEngine::kSqlite);
  EXPECT_EQ(url->path, "data/meta.sqlite3");
}

TEST(EngineUrlTest, SqlitePaths) {
  EXPECT_EQ(ParseMetaEngineUrl("sqlite:///var/lib/cairn/meta.db", "")->path,
            "/var/lib/cairn/meta.db");
  EXPECT_EQ(ParseMetaEngineUrl("sqlite://./meta.db", "")->path, "./meta.db");
  EXPECT_EQ(ParseMetaEngineUrl("sqlite:///srv/my%20data/meta.db", "")->path,
            "/srv/my data/meta.db");
}

TEST(EngineUrlTest, PostgresUrisGoToLibpqAsGiven) {
  for (const char* uri : {"postgres://cairn@db.example:5432/meta",
                          "postgresql://cairn:secret@127.0.0.1/meta?sslmode=require",
                          "postgresql:///meta?host=/run/postgresql"}) {
    auto url = ParseMetaEngineUrl(uri, "d");
    ASSERT_TRUE(url.ok()) << uri;
    EXPECT_EQ(url->engine, MetaEngine::kPostgres);
    EXPECT_EQ(url->uri, uri);
  }
}

TEST(EngineUrlTest, BlobEngines) {
  auto file = ParseBlobEngineUrl("file:///srv/blobs", "data");
  ASSERT_TRUE(file.ok());
  EXPECT_EQ(file->engine, BlobEngine::kFile);
  EXPECT_EQ(file->path, "/srv/blobs");
  auto mem = ParseBlobEngineUrl("mem://", "data");
  ASSERT_TRUE(mem.ok());
  EXPECT_EQ(mem->engine, BlobEngine::kMemory);
  auto fallback = ParseBlobEngineUrl("", "data");
  EXPECT_EQ(fallback->engine, BlobEngine::kFile);
  EXPECT_EQ(fallback->path, "data");
}

TEST(EngineUrlTest, RadosPoolConfUserAndStripe) {
  auto url = ParseBlobEngineUrl("rados://cairn?conf=/etc/ceph/ceph.conf", "data");
  ASSERT_TRUE(url.ok()) << url.error().Message();
  EXPECT_EQ(url->engine, BlobEngine::kRados);
  EXPECT_EQ(url->rados.pool, "cairn");
  EXPECT_EQ(url->rados.conf, "/etc/ceph/ceph.conf");
  EXPECT_EQ(url->rados.user, "admin");
  EXPECT_EQ(url->rados.stripe_bytes, 4u << 20);
  auto full =
      ParseBlobEngineUrl("rados://my%20pool?stripe=65536&user=gw1&conf=/srv/ceph%20a.conf", "d");
  ASSERT_TRUE(full.ok()) << full.error().Message();
  EXPECT_EQ(full->rados.pool, "my pool");
  EXPECT_EQ(full->rados.conf, "/srv/ceph a.conf");
  EXPECT_EQ(full->rados.user, "gw1");
  EXPECT_EQ(full->rados.stripe_bytes, 65536u);
}

TEST(EngineUrlTest, BadRadosUrlsSayWhatIsWrong) {
  const std::pair<const char*, const char*> cases[] = {
      {"rados://", "pool name"},
      {"rados://?conf=/c", "pool name"},
      {"rados://a/b?conf=/c", "pool name"},
      {"rados://cairn", "conf=/path/to/ceph.conf is required"},
      {"rados://cairn?user=x", "conf=/path/to/ceph.conf is required"},
      {"rados://cairn?conf=", "wants a non-empty value"},
      {"rados://cairn?conf", "wants a non-empty value"},
      {"rados://cairn?conf=/a%00b", "wants a non-empty value"},
      {"rados://cairn?conf=/c&conf=/d", "'conf' is given twice"},
      {"rados://cairn?conf=/c&pool=x", "unknown parameter 'pool'"},
      {"rados://cairn?conf=/c&stripe=4M", "stripe wants a byte count"},
      {"rados://cairn?conf=/c&stripe=1024", "stripe wants a byte count"},
      {"rados://cairn?conf=/c&stripe=1099511627776", "stripe wants a byte count"},
      {"rados://cairn?conf=/c&stripe=-1", "stripe wants a byte count"},
  };
  for (const auto& [url, why] : cases) {
    auto parsed = ParseBlobEngineUrl(url, "d");
    ASSERT_FALSE(parsed.ok()) << url;
    EXPECT_EQ(parsed.error().code, ErrorCode::kInvalidArgument) << url;
    EXPECT_NE(parsed.error().Message().find(why), std::string::npos)
        << url << ": " << parsed.error().Message();
    EXPECT_NE(parsed.error().Message().find("rados://POOL?conf="), std::string::npos) << url;
  }
}

TEST(EngineUrlTest, WhatNoEngineTakesIsAClearError) {
  for (const char* url : {"mysql://db/cairn", "sqlite://host/meta.db", "sqlite://", "sqlite:/x",
                          "meta.db", "sqlite:///a%00b", "sqlite:///bad%zz"}) {
    auto parsed = ParseMetaEngineUrl(url, "d");
    ASSERT_FALSE(parsed.ok()) << url;
    EXPECT_NE(parsed.error().Message().find("--meta wants sqlite:///"), std::string::npos) << url;
  }
  for (const char* url : {"mem", "mem://x", "file://host/x", "s3://bucket", "/abs/path"}) {
    auto parsed = ParseBlobEngineUrl(url, "d");
    ASSERT_FALSE(parsed.ok()) << url;
    EXPECT_NE(parsed.error().Message().find("--blob wants"), std::string::npos) << url;
  }
}

}  // namespace
}  // namespace cairn::app
