// The SQLite metadata engine: an object insert as a PUT commits it (durable: synchronous=FULL, one
// fsync per commit, as cairn serves; and not durable, which isolates SQLite's own cost from the
// disk's), a lookup by key as a GET or HEAD does, and a 1,000-key listing page, over a bucket of
// range(0) objects. The database lives in $TMPDIR (bench/run.sh points it at the data disk).
#include <benchmark/benchmark.h>
#include <stdlib.h>

#include <cstdio>
#include <filesystem>
#include <random>

#include "meta/sqlite/sqlite_meta_store.h"

namespace cairn::meta {
namespace {

class Scratch {
 public:
  Scratch() {
    std::string pattern = std::filesystem::temp_directory_path() / "cairn-meta-bench-XXXXXX";
    if (mkdtemp(pattern.data()) == nullptr) std::abort();
    dir_ = pattern;
  }
  ~Scratch() { std::filesystem::remove_all(dir_); }
  std::string path() const { return dir_ + "/meta.sqlite3"; }

 private:
  std::string dir_;
};

std::string Key(uint64_t i) {
  char key[48];
  std::snprintf(key, sizeof key, "photos/%04llu/IMG_%08llu.jpg",
                static_cast<unsigned long long>(i % 1000), static_cast<unsigned long long>(i));
  return key;
}

core::ObjectRecord Record(uint64_t i) {
  core::ObjectRecord o;
  o.bucket = "bench";
  o.key = Key(i);
  o.size = 4096;
  o.etag = "9b2cf535f27731c974343645a3985328";
  o.last_modified = NowMillis();
  o.http.content_type = "image/jpeg";
  o.extents = {core::Extent{"blob" + std::to_string(i), 0, 4096}};
  return o;
}

// A store holding `count` objects in bucket "bench".
std::unique_ptr<MetaStore> Filled(const Scratch& scratch, bool durable, uint64_t count) {
  SqliteOptions options;
  options.durable = durable;
  auto store = OpenSqliteMetaStore(scratch.path(), options);
  if (!store.ok()) std::abort();
  (void)(*store)->CreateBucket(core::BucketRecord{"bench", NowMillis(), "auto"});
  for (uint64_t i = 0; i < count; ++i) {
    if (!(*store)->PutObject(Record(i)).ok()) std::abort();
  }
  return std::move(*store);
}

void PutObjects(benchmark::State& state, bool durable) {
  Scratch scratch;
  auto store = Filled(scratch, /*durable=*/false, state.range(0));
  store.reset();
  SqliteOptions options;
  options.durable = durable;
  store = std::move(*OpenSqliteMetaStore(scratch.path(), options));
  uint64_t next = state.range(0);
  for (auto _ : state) {
    if (!store->PutObject(Record(next++)).ok()) state.SkipWithError("PutObject failed");
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_SqlitePutObjectDurable(benchmark::State& state) { PutObjects(state, true); }
BENCHMARK(BM_SqlitePutObjectDurable)->Arg(1000)->Arg(100000)->UseRealTime();

void BM_SqlitePutObjectNoSync(benchmark::State& state) { PutObjects(state, false); }
BENCHMARK(BM_SqlitePutObjectNoSync)->Arg(1000)->Arg(100000);

void BM_SqliteGetObject(benchmark::State& state) {
  Scratch scratch;
  auto store = Filled(scratch, false, state.range(0));
  std::mt19937_64 random(1);
  std::uniform_int_distribution<uint64_t> pick(0, state.range(0) - 1);
  for (auto _ : state) {
    auto object = store->GetObject("bench", Key(pick(random)));
    if (!object.ok()) state.SkipWithError("GetObject failed");
    benchmark::DoNotOptimize(object);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SqliteGetObject)->Arg(1000)->Arg(100000);

void BM_SqliteListObjectsPage(benchmark::State& state) {
  Scratch scratch;
  auto store = Filled(scratch, false, state.range(0));
  core::ListQuery query;
  query.start_after = Key(state.range(0) / 2);
  for (auto _ : state) {
    auto page = store->ListObjects("bench", query);
    if (!page.ok()) state.SkipWithError("ListObjects failed");
    benchmark::DoNotOptimize(page);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * query.max_keys);
}
BENCHMARK(BM_SqliteListObjectsPage)->Arg(10000)->Arg(100000);

}  // namespace
}  // namespace cairn::meta
