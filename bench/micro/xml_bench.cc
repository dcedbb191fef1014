// Rendering a full ListObjectsV2 page: 1,000 keys with their ETags, sizes and dates, and a
// delimiter page of 1,000 common prefixes. The page is what every listing request produces, so its
// rendering cost is part of the "page cost" bench/run.sh compares across bucket sizes.
#include <benchmark/benchmark.h>

#include <cstdio>

#include "s3/xml.h"

namespace cairn::s3 {
namespace {

core::ListPage ObjectsPage() {
  core::ListPage page;
  const TimePoint when = NowMillis();
  for (int i = 0; i < 1000; ++i) {
    core::ObjectRecord o;
    char key[64];
    std::snprintf(key, sizeof key, "photos/2024/%02d/IMG_%06d.jpg", i % 12, i);
    o.key = key;
    o.size = 1'000'000 + i;
    o.etag = "9b2cf535f27731c974343645a3985328";
    o.last_modified = when;
    page.objects.push_back(std::move(o));
  }
  page.truncated = true;
  page.next_marker = page.objects.back().key;
  return page;
}

core::ListPage PrefixesPage() {
  core::ListPage page;
  for (int i = 0; i < 1000; ++i) {
    char prefix[32];
    std::snprintf(prefix, sizeof prefix, "d%05d/", i);
    page.common_prefixes.push_back(prefix);
  }
  page.truncated = true;
  page.next_marker = page.common_prefixes.back();
  return page;
}

void Render(benchmark::State& state, const core::ListPage& page, const std::string& delimiter) {
  ListRender list;
  list.bucket = "photos";
  list.delimiter = delimiter;
  list.continuation_token = "cGhvdG9zLzIwMjQvMDUvSU1HXzAwMDQ5OS5qcGc=";
  list.next_continuation_token = "cGhvdG9zLzIwMjQvMDMvSU1HXzAwMDk5OS5qcGc=";
  list.page = &page;
  size_t bytes = 0;
  for (auto _ : state) {
    std::string xml = RenderListObjects(list);
    bytes = xml.size();
    benchmark::DoNotOptimize(xml);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * 1000);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
}

void BM_RenderListObjectsV2_1000Keys(benchmark::State& state) { Render(state, ObjectsPage(), ""); }
BENCHMARK(BM_RenderListObjectsV2_1000Keys);

void BM_RenderListObjectsV2_1000Prefixes(benchmark::State& state) {
  Render(state, PrefixesPage(), "/");
}
BENCHMARK(BM_RenderListObjectsV2_1000Prefixes);

}  // namespace
}  // namespace cairn::s3
