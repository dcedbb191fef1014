#include "app/migrate.h"

#include <cstdio>

#include "app/engine_url.h"
#include "app/engines.h"

namespace cairn::app {

int RunMigrate(const std::string& meta_url) {
  auto url = ParseMetaEngineUrl(meta_url, "");
  if (!url.ok()) {
    std::fprintf(stderr, "cairn: %s\n", std::string(url.error().Message()).c_str());
    return 1;
  }
  Result<meta::SchemaMigration> done = MigrateMetaEngine(*url);
  if (!done.ok()) {
    std::fprintf(stderr, "cairn: metadata store: %s\n",
                 std::string(done.error().Message()).c_str());
    return 1;
  }
  if (done->from == done->to) {
    std::printf("metadata schema: already at version %lld\n", static_cast<long long>(done->to));
  } else {
    std::printf("metadata schema: version %lld -> %lld\n", static_cast<long long>(done->from),
                static_cast<long long>(done->to));
  }
  return 0;
}

}  // namespace cairn::app
