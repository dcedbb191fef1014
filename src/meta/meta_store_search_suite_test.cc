// The shared MetaStore suite, part 4: SearchObjects, the substring search over a bucket's keys.
// The substring is bytes, never a pattern ('%' and '_' are characters like any other); the scan
// stops at the page's size or at its budget of keys read, and a caller that goes on from
// resume_after sees every match exactly once.
#include <gtest/gtest.h>

#include <cstdio>
#include <set>
#include <string>
#include <vector>

#include "meta/meta_store_suite.h"

namespace cairn::meta {
namespace {

using Keys = std::vector<std::string>;

core::SearchQuery Query(std::string substring, std::string prefix = "",
                        std::string start_after = "", uint32_t max_matches = 1000,
                        uint64_t scan_budget = 100'000) {
  core::SearchQuery q;
  q.substring = std::move(substring);
  q.prefix = std::move(prefix);
  q.start_after = std::move(start_after);
  q.max_matches = max_matches;
  q.scan_budget = scan_budget;
  return q;
}

Keys MatchedKeys(const core::SearchPage& page) {
  Keys keys;
  for (const core::ObjectRecord& o : page.matches) keys.push_back(o.key);
  return keys;
}

// "k000" ... "k<n-1>", three digits.
Keys Numbered(int n) {
  Keys keys;
  for (int i = 0; i < n; ++i) {
    char key[8];
    std::snprintf(key, sizeof key, "k%03d", i);
    keys.push_back(key);
  }
  return keys;
}

core::SearchPage SearchOrFail(MetaStore& store, const core::SearchQuery& query) {
  Result<core::SearchPage> page = store.SearchObjects("b", query);
  EXPECT_TRUE(page.ok()) << page.error().Message();
  return page.ok() ? std::move(*page) : core::SearchPage{};
}

// Every page of `query`, from its start_after to the end: the matches in order, and the pages'
// scanned counts.
struct Walk {
  Keys matches;
  std::vector<uint64_t> scanned;
};

Walk SearchAll(MetaStore& store, core::SearchQuery query) {
  Walk walk;
  for (int pages = 0; pages < 1000; ++pages) {
    core::SearchPage page = SearchOrFail(store, query);
    for (const core::ObjectRecord& o : page.matches) walk.matches.push_back(o.key);
    walk.scanned.push_back(page.scanned);
    if (!page.truncated) return walk;
    EXPECT_GT(page.resume_after, query.start_after) << "a truncated page must move on";
    query.start_after = page.resume_after;
  }
  ADD_FAILURE() << "the search did not end";
  return walk;
}

TEST_P(MetaStoreSuite, SearchMissingBucketIsNoSuchBucket) {
  EXPECT_EQ(store_->SearchObjects("nope", Query("a")).error().code, ErrorCode::kNoSuchBucket);
}

TEST_P(MetaStoreSuite, SearchFindsKeysContainingTheSubstringInKeyOrder) {
  Fill(Numbered(300));
  EXPECT_EQ(MatchedKeys(SearchOrFail(*store_, Query("242"))), (Keys{"k242"}));
  EXPECT_EQ(MatchedKeys(SearchOrFail(*store_, Query("24"))),
            (Keys{"k024", "k124", "k224", "k240", "k241", "k242", "k243", "k244", "k245", "k246",
                  "k247", "k248", "k249"}));
  core::SearchPage page = SearchOrFail(*store_, Query("k29"));
  EXPECT_EQ(page.matches.size(), 10u);
  EXPECT_FALSE(page.truncated);
  EXPECT_EQ(page.scanned, 300u);
}

TEST_P(MetaStoreSuite, SearchMatchesCarryTheirRecords) {
  MakeBucket("b");
  ASSERT_TRUE(store_->PutObject(Object("b", "docs/report.pdf", {"blob-1", "blob-2"})).ok());
  core::SearchPage page = SearchOrFail(*store_, Query("report"));
  ASSERT_EQ(page.matches.size(), 1u);
  const core::ObjectRecord& o = page.matches[0];
  EXPECT_EQ(o.bucket, "b");
  EXPECT_EQ(o.size, 20u);
  EXPECT_EQ(o.etag, "9e107d9d372bb6826bd81d3542a419d6");
  EXPECT_EQ(o.last_modified, TimePoint(std::chrono::milliseconds(1700000000123)));
  EXPECT_EQ(o.storage_class, "STANDARD");
  EXPECT_TRUE(o.extents.empty());  // as in listings
}

TEST_P(MetaStoreSuite, SearchMatchesNearAndFarApartEachCarryTheirOwnRecord) {
  MakeBucket("b");
  for (const std::string& key : Numbered(300)) {
    core::ObjectRecord o = Object("b", key);
    o.etag = "etag-" + key;
    ASSERT_TRUE(store_->PutObject(o).ok());
  }
  // Matches side by side (k070 ... k079), a few rows apart (k007, k017) and far apart (k177, k277).
  for (const char* text : {"7", "k0", "77", "299"}) {
    const core::SearchPage all = SearchOrFail(*store_, Query(text));
    EXPECT_FALSE(all.matches.empty()) << text;
    for (const core::ObjectRecord& o : all.matches) EXPECT_EQ(o.etag, "etag-" + o.key) << text;
    // In small pages with a small budget too, each page starting its cursors afresh.
    EXPECT_EQ(SearchAll(*store_, Query(text, "", "", 7, 40)).matches, MatchedKeys(all)) << text;
  }
}

TEST_P(MetaStoreSuite, SearchTakesPercentAndUnderscoreLiterally) {
  Fill({"100%", "100x", "a%b", "a-b", "a_b", "axb", "x__y", "x_y", "xy"});
  EXPECT_EQ(MatchedKeys(SearchOrFail(*store_, Query("%"))), (Keys{"100%", "a%b"}));
  EXPECT_EQ(MatchedKeys(SearchOrFail(*store_, Query("_"))), (Keys{"a_b", "x__y", "x_y"}));
  EXPECT_EQ(MatchedKeys(SearchOrFail(*store_, Query("a_b"))), (Keys{"a_b"}));
  EXPECT_EQ(MatchedKeys(SearchOrFail(*store_, Query("a%"))), (Keys{"a%b"}));
  EXPECT_EQ(MatchedKeys(SearchOrFail(*store_, Query("__"))), (Keys{"x__y"}));
  EXPECT_EQ(MatchedKeys(SearchOrFail(*store_, Query("\\"))), Keys{});
}

TEST_P(MetaStoreSuite, SearchIsCaseSensitiveUnlessAskedForAsciiCase) {
  Fill({"REPORT.txt", "Report.PDF", "caf\xc3\x89", "caf\xc3\xa9", "report.pdf"});
  EXPECT_EQ(MatchedKeys(SearchOrFail(*store_, Query("report"))), (Keys{"report.pdf"}));
  core::SearchQuery any_case = Query("report");
  any_case.ignore_ascii_case = true;
  EXPECT_EQ(MatchedKeys(SearchOrFail(*store_, any_case)),
            (Keys{"REPORT.txt", "Report.PDF", "report.pdf"}));
  // Only ASCII letters fold: É (C3 89) and é (C3 A9) stay apart.
  core::SearchQuery accented = Query("CAF\xc3\xa9");
  accented.ignore_ascii_case = true;
  EXPECT_EQ(MatchedKeys(SearchOrFail(*store_, accented)), (Keys{"caf\xc3\xa9"}));
}

TEST_P(MetaStoreSuite, SearchFindsUtf8Substrings) {
  const std::string tokyo = "\xe6\x9d\xb1\xe4\xba\xac";  // 東京
  const std::string emoji = "\xf0\x9f\x98\x80";          // U+1F600
  Fill({"cafe/menu", "caf\xc3\xa9/menu", "photos/" + tokyo + ".jpg", "smile-" + emoji,
        "\xef\xbf\xbf-last"});
  EXPECT_EQ(MatchedKeys(SearchOrFail(*store_, Query("\xc3\xa9"))), (Keys{"caf\xc3\xa9/menu"}));
  EXPECT_EQ(MatchedKeys(SearchOrFail(*store_, Query(tokyo))), (Keys{"photos/" + tokyo + ".jpg"}));
  EXPECT_EQ(MatchedKeys(SearchOrFail(*store_, Query(emoji))), (Keys{"smile-" + emoji}));
  EXPECT_EQ(MatchedKeys(SearchOrFail(*store_, Query("menu"))),
            (Keys{"cafe/menu", "caf\xc3\xa9/menu"}));
  EXPECT_EQ(MatchedKeys(SearchOrFail(*store_, Query("-last"))), (Keys{"\xef\xbf\xbf-last"}));
}

TEST_P(MetaStoreSuite, SearchStaysUnderThePrefix) {
  Fill({"photos/cat.jpg", "photos/dog.jpg", "photos2/cat.jpg", "photoscat", "videos/cat.mp4",
        "a\xff"
        "cat",
        "a\xff\xff"
        "cat",
        "b-cat"});
  EXPECT_EQ(MatchedKeys(SearchOrFail(*store_, Query("cat", "photos/"))), (Keys{"photos/cat.jpg"}));
  EXPECT_EQ(MatchedKeys(SearchOrFail(*store_, Query("cat", "photos"))),
            (Keys{"photos/cat.jpg", "photos2/cat.jpg", "photoscat"}));
  // The scan reads only the prefix's keys.
  EXPECT_EQ(SearchOrFail(*store_, Query("cat", "photos/")).scanned, 2u);
  EXPECT_EQ(MatchedKeys(SearchOrFail(*store_, Query("cat", "a\xff"))), (Keys{"a\xff"
                                                                             "cat",
                                                                             "a\xff\xff"
                                                                             "cat"}));
  EXPECT_EQ(MatchedKeys(SearchOrFail(*store_, Query("cat", "none/"))), Keys{});
}

TEST_P(MetaStoreSuite, SearchWithNoMatchIsAnEmptyUntruncatedPage) {
  Fill(Numbered(50));
  core::SearchPage page = SearchOrFail(*store_, Query("zzz"));
  EXPECT_TRUE(page.matches.empty());
  EXPECT_FALSE(page.truncated);
  EXPECT_EQ(page.scanned, 50u);
  MakeBucket("empty");
  Result<core::SearchPage> none = store_->SearchObjects("empty", Query("a"));
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->matches.empty());
  EXPECT_FALSE(none->truncated);
  EXPECT_EQ(none->scanned, 0u);
}

TEST_P(MetaStoreSuite, SearchStartAfterIsExclusiveAndNeedNotExist) {
  Fill(Numbered(30));
  EXPECT_EQ(MatchedKeys(SearchOrFail(*store_, Query("1", "", "k012"))),
            (Keys{"k013", "k014", "k015", "k016", "k017", "k018", "k019", "k021"}));
  EXPECT_EQ(MatchedKeys(SearchOrFail(*store_, Query("1", "", "k0125"))),
            (Keys{"k013", "k014", "k015", "k016", "k017", "k018", "k019", "k021"}));
  // A start_after past the prefix: nothing left under it.
  EXPECT_EQ(MatchedKeys(SearchOrFail(*store_, Query("k", "k01", "k02"))), Keys{});
}

TEST_P(MetaStoreSuite, SearchBudgetStopsTheScanAndTheNextPageResumes) {
  Fill(Numbered(100));
  // 19 keys hold a 7: k007, k017, k027, ..., k070 ... k079, ..., k097.
  core::SearchPage first = SearchOrFail(*store_, Query("7", "", "", 1000, 10));
  EXPECT_EQ(MatchedKeys(first), (Keys{"k007"}));
  EXPECT_EQ(first.scanned, 10u);
  EXPECT_TRUE(first.truncated);
  EXPECT_EQ(first.resume_after, "k009");  // the last key read, though it is no match

  core::SearchPage barren = SearchOrFail(*store_, Query("x", "", "", 1000, 10));
  EXPECT_TRUE(barren.matches.empty());
  EXPECT_TRUE(barren.truncated);  // a page with no match yet more to read

  Walk walk = SearchAll(*store_, Query("7", "", "", 1000, 10));
  Keys expected;
  for (const std::string& key : Numbered(100)) {
    if (key.find('7') != std::string::npos) expected.push_back(key);
  }
  EXPECT_EQ(walk.matches, expected);                       // each once, in order
  EXPECT_EQ(walk.scanned, std::vector<uint64_t>(10, 10));  // every key read once
}

TEST_P(MetaStoreSuite, SearchBudgetOfExactlyTheRemainingKeysEndsTheSearch) {
  Fill(Numbered(10));
  core::SearchPage page = SearchOrFail(*store_, Query("k", "", "", 1000, 10));
  EXPECT_EQ(page.matches.size(), 10u);
  EXPECT_FALSE(page.truncated);
}

TEST_P(MetaStoreSuite, SearchFullPageResumesAfterItsLastMatch) {
  Fill(Numbered(100));
  core::SearchPage first = SearchOrFail(*store_, Query("7", "", "", 3));
  EXPECT_EQ(MatchedKeys(first), (Keys{"k007", "k017", "k027"}));
  EXPECT_TRUE(first.truncated);
  EXPECT_EQ(first.resume_after, "k027");

  // The last page is full too, and nothing follows it: it says so.
  core::SearchPage last = SearchOrFail(*store_, Query("9", "k09", "", 10));
  EXPECT_EQ(last.matches.size(), 10u);
  EXPECT_FALSE(last.truncated);

  for (uint32_t size : {1u, 2u, 3u, 19u, 20u}) {
    Walk walk = SearchAll(*store_, Query("7", "", "", size));
    std::set<std::string> distinct(walk.matches.begin(), walk.matches.end());
    EXPECT_EQ(walk.matches.size(), 19u) << "page size " << size;
    EXPECT_EQ(distinct.size(), 19u) << "page size " << size;
  }
}

TEST_P(MetaStoreSuite, SearchBudgetAndPageSizeTogetherMissNothing) {
  Fill(Numbered(200));
  Keys expected;
  for (const std::string& key : Numbered(200)) {
    if (key.find('1') != std::string::npos) expected.push_back(key);
  }
  for (uint64_t budget : {1u, 7u, 64u}) {
    for (uint32_t size : {1u, 5u, 50u}) {
      Walk walk = SearchAll(*store_, Query("1", "", "", size, budget));
      EXPECT_EQ(walk.matches, expected) << "budget " << budget << ", page size " << size;
      for (uint64_t scanned : walk.scanned) EXPECT_LE(scanned, budget);
    }
  }
}

TEST_P(MetaStoreSuite, SearchMaxMatchesZeroIsAnEmptyUntruncatedPage) {
  Fill({"a"});
  core::SearchPage page = SearchOrFail(*store_, Query("a", "", "", 0));
  EXPECT_TRUE(page.matches.empty());
  EXPECT_FALSE(page.truncated);
}

}  // namespace
}  // namespace cairn::meta
