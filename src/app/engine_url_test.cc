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
