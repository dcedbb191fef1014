// The bulk list: good entries, and each malformed shape refused with the file named.
#include "cli/bulk_list.h"

#include <gtest/gtest.h>

#include "cli/errors.h"

namespace cairn::cli {
namespace {

TEST(ParseBulkList, ReadsEntries) {
  auto entries = ParseBulkList(
      R"([{"key": "a/1.png", "file": "1.png"}, {"key": "b", "file": "/tmp/b", "content_type": "text/plain"}])",
      "list.json");
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].key, "a/1.png");
  EXPECT_EQ(entries[0].file, "1.png");
  EXPECT_EQ(entries[0].content_type, "");
  EXPECT_EQ(entries[1].content_type, "text/plain");
  EXPECT_TRUE(ParseBulkList("[]", "f").empty());
}

TEST(ParseBulkList, RejectsBadEntriesNamingThem) {
  for (const char* text : {"{}", "[1]", R"([{"key": "a"}])", R"([{"file": "a"}])",
                           R"([{"key": "", "file": "a"}])", R"([{"key": "k", "file": 3}])",
                           R"([{"key": "k", "file": "f", "content_type": 1}])", "[{"}) {
    try {
      ParseBulkList(text, "list.json");
      ADD_FAILURE() << "accepted " << text;
    } catch (const CliError& e) {
      EXPECT_EQ(e.exit_code(), kExitUsage);
      EXPECT_NE(std::string(e.what()).find("list.json"), std::string::npos);
    }
  }
}

}  // namespace
}  // namespace cairn::cli
