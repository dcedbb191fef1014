// The shared MetaStore suite, part 2: ListObjects. S3 lists keys in UTF-8 binary order (not
// UTF-16 or locale order), rolls keys into common prefixes at the first delimiter after the
// prefix, and pages with start-after markers that may be a common prefix. Keys with bytes near
// 0xFF are here because prefix successors ("the first key past this group") are where an engine
// goes wrong.
#include <gtest/gtest.h>

#include <random>
#include <set>
#include <string>
#include <vector>

#include "meta/meta_store_suite.h"

namespace cairn::meta {
namespace {

using Keys = std::vector<std::string>;

const std::string kUFFFF = "\xef\xbf\xbf";      // U+FFFF, the largest BMP code point
const std::string kUFFFE = "\xef\xbf\xbe";      // U+FFFE
const std::string kEmoji = "\xf0\x9f\x98\x80";  // U+1F600: after U+FFFF in UTF-8, before in UTF-16

Keys ObjectKeys(const core::ListPage& page) {
  Keys keys;
  for (const core::ObjectRecord& o : page.objects) keys.push_back(o.key);
  return keys;
}

core::ListQuery Query(std::string prefix, std::string delimiter = "", std::string start_after = "",
                      uint32_t max_keys = 1000) {
  return core::ListQuery{std::move(prefix), std::move(delimiter), std::move(start_after), max_keys};
}

TEST_P(MetaStoreSuite, ListMissingBucketIsNoSuchBucket) {
  EXPECT_EQ(store_->ListObjects("nope", core::ListQuery{}).error().code, ErrorCode::kNoSuchBucket);
}

TEST_P(MetaStoreSuite, ListEmptyBucket) {
  Fill({});
  core::ListPage page = List(core::ListQuery{});
  EXPECT_TRUE(page.objects.empty());
  EXPECT_TRUE(page.common_prefixes.empty());
  EXPECT_FALSE(page.truncated);
}

TEST_P(MetaStoreSuite, ListIsInUtf8BinaryOrder) {
  Fill({kEmoji, "z", "~", "A", kUFFFF, "caf\xc3\xa9", "a", "\xc3\xa9", "cafe", kUFFFE, "b"});
  EXPECT_EQ(ObjectKeys(List(core::ListQuery{})), (Keys{"A", "a", "b", "cafe", "caf\xc3\xa9", "z",
                                                       "~", "\xc3\xa9", kUFFFE, kUFFFF, kEmoji}));
}

TEST_P(MetaStoreSuite, ListPrefix) {
  Fill({"photo", "photos/a", "photos/b/c", "photos0", "photosx", "videos/a"});
  EXPECT_EQ(ObjectKeys(List(Query("photos/"))), (Keys{"photos/a", "photos/b/c"}));
  EXPECT_EQ(ObjectKeys(List(Query("photos"))),
            (Keys{"photos/a", "photos/b/c", "photos0", "photosx"}));
  EXPECT_TRUE(List(Query("none")).objects.empty());
}

TEST_P(MetaStoreSuite, ListPrefixOfUFFFF) {
  Fill({kUFFFE, kUFFFF, kUFFFF + "a", kUFFFF + kUFFFF, kEmoji, "z"});
  EXPECT_EQ(ObjectKeys(List(Query(kUFFFF))), (Keys{kUFFFF, kUFFFF + "a", kUFFFF + kUFFFF}));
}

TEST_P(MetaStoreSuite, ListPrefixEndingInFFByte) {
  // Not UTF-8, but the store compares bytes, and "a\xff"'s successor is "b", not "a\x100".
  Fill({"a\xfe", "a\xff", "a\xff\x01", "a\xff\xff", "b"});
  EXPECT_EQ(ObjectKeys(List(Query("a\xff"))), (Keys{"a\xff", "a\xff\x01", "a\xff\xff"}));
  EXPECT_EQ(ObjectKeys(List(Query("\xff"))), Keys{});
}

TEST_P(MetaStoreSuite, ListDelimiterRollsUpCommonPrefixes) {
  Fill({"a/1", "a/2", "b", "c/d/e", "c/x", "d"});
  core::ListPage page = List(Query("", "/"));
  EXPECT_EQ(ObjectKeys(page), (Keys{"b", "d"}));
  EXPECT_EQ(page.common_prefixes, (Keys{"a/", "c/"}));
  EXPECT_FALSE(page.truncated);
}

TEST_P(MetaStoreSuite, ListPrefixAndDelimiter) {
  Fill({"c/d/e", "c/d/f", "c/x", "c/", "cz/y"});
  core::ListPage page = List(Query("c/", "/"));
  EXPECT_EQ(ObjectKeys(page), (Keys{"c/", "c/x"}));  // "c/" itself has no delimiter after "c/"
  EXPECT_EQ(page.common_prefixes, (Keys{"c/d/"}));
}

TEST_P(MetaStoreSuite, ListMultiByteDelimiter) {
  Fill({"x" + kUFFFF + "1", "x" + kUFFFF + "2", "x" + kUFFFE, "y" + kUFFFF});
  core::ListPage page = List(Query("", kUFFFF));
  EXPECT_EQ(ObjectKeys(page), (Keys{"x" + kUFFFE}));
  EXPECT_EQ(page.common_prefixes, (Keys{"x" + kUFFFF, "y" + kUFFFF}));
}

TEST_P(MetaStoreSuite, ListCommonPrefixEndingInFFByte) {
  Fill(
      {"a\xff"
       "1",
       "a\xff"
       "2",
       "a\xff\xff", "b"});
  core::ListPage first = List(Query("", "\xff", "", 1));
  EXPECT_EQ(first.common_prefixes, (Keys{"a\xff"}));
  EXPECT_TRUE(first.truncated);
  EXPECT_EQ(first.next_marker, "a\xff");
  core::ListPage second = List(Query("", "\xff", first.next_marker, 1));
  EXPECT_EQ(ObjectKeys(second), (Keys{"b"}));
  EXPECT_TRUE(second.common_prefixes.empty());
  EXPECT_FALSE(second.truncated);
}

TEST_P(MetaStoreSuite, ListPagesWithoutDelimiter) {
  Keys all;
  for (int i = 0; i < 25; ++i) all.push_back("key" + std::to_string(100 + i));
  Fill(all);
  Keys seen;
  std::string marker;
  int pages = 0;
  while (true) {
    core::ListPage page = List(Query("", "", marker, 10));
    Keys keys = ObjectKeys(page);
    seen.insert(seen.end(), keys.begin(), keys.end());
    ++pages;
    if (!page.truncated) break;
    ASSERT_EQ(page.next_marker, keys.back());
    marker = page.next_marker;
    ASSERT_LT(pages, 10);
  }
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(seen, all);
}

TEST_P(MetaStoreSuite, ListPagesLandingOnCommonPrefixes) {
  Fill({"a", "b/1", "b/2", "b/3", "c", "d/1", "d/2", "e"});
  // One entry per page: objects and common prefixes count alike against max-keys.
  const Keys expected = {"a", "b/", "c", "d/", "e"};
  std::string marker;
  for (size_t i = 0; i < expected.size(); ++i) {
    core::ListPage page = List(Query("", "/", marker, 1));
    ASSERT_EQ(page.objects.size() + page.common_prefixes.size(), 1u) << "page " << i;
    std::string entry = page.objects.empty() ? page.common_prefixes[0] : page.objects[0].key;
    EXPECT_EQ(entry, expected[i]);
    EXPECT_EQ(page.next_marker, expected[i]);
    EXPECT_EQ(page.truncated, i + 1 < expected.size()) << "page " << i;
    marker = page.next_marker;
  }
  // Two per page: a page may end on a common prefix and the next resumes past its group.
  core::ListPage first = List(Query("", "/", "", 2));
  EXPECT_EQ(ObjectKeys(first), (Keys{"a"}));
  EXPECT_EQ(first.common_prefixes, (Keys{"b/"}));
  EXPECT_TRUE(first.truncated);
  core::ListPage second = List(Query("", "/", first.next_marker, 2));
  EXPECT_EQ(ObjectKeys(second), (Keys{"c"}));
  EXPECT_EQ(second.common_prefixes, (Keys{"d/"}));
  EXPECT_TRUE(second.truncated);
  core::ListPage third = List(Query("", "/", second.next_marker, 2));
  EXPECT_EQ(ObjectKeys(third), (Keys{"e"}));
  EXPECT_FALSE(third.truncated);
}

TEST_P(MetaStoreSuite, ListStartAfterInsideAGroupSkipsTheGroup) {
  Fill({"a", "b/1", "b/2", "b/3", "c"});
  // A marker inside a group (a key under "b/" given as start-after) counts the group as listed,
  // like a marker equal to the group: no page repeats a common prefix an earlier page ended on.
  core::ListPage page = List(Query("", "/", "b/2"));
  EXPECT_EQ(ObjectKeys(page), (Keys{"c"}));
  EXPECT_TRUE(page.common_prefixes.empty());
  // Without a delimiter there are no groups, and start-after is a plain exclusive bound.
  EXPECT_EQ(ObjectKeys(List(Query("", "", "b/2"))), (Keys{"b/3", "c"}));
}

TEST_P(MetaStoreSuite, ListStartAfterIsExclusiveAndNeedNotExist) {
  Fill({"a", "b", "c", "d/1"});
  EXPECT_EQ(ObjectKeys(List(Query("", "", "b"))), (Keys{"c", "d/1"}));
  EXPECT_EQ(ObjectKeys(List(Query("", "", "bb"))), (Keys{"c", "d/1"}));
  EXPECT_EQ(ObjectKeys(List(Query("d/", "", "a"))), (Keys{"d/1"}));  // before the prefix
  EXPECT_EQ(ObjectKeys(List(Query("d/", "", "e"))), Keys{});         // past the prefix
  EXPECT_EQ(ObjectKeys(List(Query("", "", "z"))), Keys{});
}

TEST_P(MetaStoreSuite, ListMaxKeysZeroIsAnEmptyUntruncatedPage) {
  Fill({"a", "b"});
  core::ListPage page = List(Query("", "", "", 0));
  EXPECT_TRUE(page.objects.empty());
  EXPECT_TRUE(page.common_prefixes.empty());
  EXPECT_FALSE(page.truncated);
}

TEST_P(MetaStoreSuite, ListMaxKeysOne) {
  Fill({"a", "b"});
  core::ListPage page = List(Query("", "", "", 1));
  EXPECT_EQ(ObjectKeys(page), (Keys{"a"}));
  EXPECT_TRUE(page.truncated);
  EXPECT_EQ(page.next_marker, "a");
}

TEST_P(MetaStoreSuite, ListExactlyFullPageIsNotTruncated) {
  Fill({"a", "b/1", "c"});
  core::ListPage page = List(Query("", "/", "", 3));
  EXPECT_EQ(page.objects.size() + page.common_prefixes.size(), 3u);
  EXPECT_FALSE(page.truncated);
  EXPECT_FALSE(List(Query("", "", "", 3)).truncated);
}

TEST_P(MetaStoreSuite, ListedObjectsCarryMetadata) {
  MakeBucket("b");
  core::ObjectRecord o = Object("b", "k", {"b1"});
  o.etag = "abc";
  o.storage_class = "STANDARD_IA";
  o.user_metadata = {{"x", "y"}};
  ASSERT_TRUE(store_->PutObject(o).ok());
  core::ListPage page = List(core::ListQuery{});
  ASSERT_EQ(page.objects.size(), 1u);
  const core::ObjectRecord& listed = page.objects[0];
  EXPECT_EQ(listed.bucket, "b");
  EXPECT_EQ(listed.size, o.size);
  EXPECT_EQ(listed.etag, "abc");
  EXPECT_EQ(listed.last_modified, o.last_modified);
  EXPECT_EQ(listed.storage_class, "STANDARD_IA");
  EXPECT_EQ(listed.user_metadata, o.user_metadata);
}

TEST_P(MetaStoreSuite, ListDelimiterOverManyKeysUnderFewPrefixes) {
  // 20,000 keys under 10 prefixes: one page must hold all 10 prefixes (the walk seeks past each
  // group; list_walk_test.cc counts the seeks).
  MakeBucket("b");
  Keys prefixes;
  for (int p = 0; p < 10; ++p) {
    prefixes.push_back("dir" + std::to_string(p) + "/");
    for (int i = 0; i < 2000; ++i) PutKey("b", prefixes.back() + std::to_string(10000 + i));
  }
  PutKey("b", "top");
  core::ListPage page = List(Query("", "/", "", 1000));
  EXPECT_EQ(page.common_prefixes, prefixes);
  EXPECT_EQ(ObjectKeys(page), (Keys{"top"}));
  EXPECT_FALSE(page.truncated);

  core::ListPage some = List(Query("", "/", "", 4));
  EXPECT_EQ(some.common_prefixes, (Keys{"dir0/", "dir1/", "dir2/", "dir3/"}));
  EXPECT_TRUE(some.truncated);
  core::ListPage rest = List(Query("", "/", some.next_marker, 1000));
  EXPECT_EQ(rest.common_prefixes.size(), 6u);
  EXPECT_FALSE(rest.truncated);

  core::ListPage inside = List(Query("dir7/", "/", "", 1000));
  EXPECT_EQ(inside.objects.size(), 1000u);
  EXPECT_TRUE(inside.truncated);
  EXPECT_EQ(inside.next_marker, "dir7/10999");
}

// What S3 answers, computed the plain way: every key, in order, rolled up or not, cut at max-keys.
core::ListPage ModelPage(const std::set<std::string>& keys, const core::ListQuery& q) {
  core::ListPage page;
  if (q.max_keys == 0) return page;
  std::vector<std::string> entries;  // keys and common prefixes, in order, each once
  std::vector<bool> is_prefix;
  for (const std::string& key : keys) {
    if (key.compare(0, q.prefix.size(), q.prefix) != 0) continue;
    const size_t pos =
        q.delimiter.empty() ? std::string::npos : key.find(q.delimiter, q.prefix.size());
    std::string entry = pos == std::string::npos ? key : key.substr(0, pos + q.delimiter.size());
    if (!entries.empty() && entries.back() == entry) continue;
    // A group counts as listed once start-after reaches into it, like a key up to start-after.
    if (pos == std::string::npos
            ? entry <= q.start_after
            : q.start_after.compare(0, entry.size(), entry) == 0 || entry < q.start_after) {
      continue;
    }
    entries.push_back(entry);
    is_prefix.push_back(pos != std::string::npos);
  }
  for (size_t i = 0; i < entries.size(); ++i) {
    if (i == q.max_keys) {
      page.truncated = true;
      break;
    }
    if (is_prefix[i]) {
      page.common_prefixes.push_back(entries[i]);
    } else {
      page.objects.push_back(core::ObjectRecord{});
      page.objects.back().key = entries[i];
    }
    page.next_marker = entries[i];
  }
  return page;
}

TEST_P(MetaStoreSuite, ListAgreesWithAPlainModelOnRandomKeysAndQueries) {
  // Few letters, so that keys share prefixes and delimiters often; 0xFF bytes and a two-byte
  // delimiter where successors go wrong.
  const std::vector<std::string> letters = {"a", "b", "/", "-", "\xff", "z"};
  const std::vector<std::string> delimiters = {"", "/", "-", "/-", "a"};
  std::mt19937 random(20261207);
  auto word = [&](size_t max_length) {
    std::string out;
    const size_t n = std::uniform_int_distribution<size_t>(0, max_length)(random);
    for (size_t i = 0; i < n; ++i) {
      out += letters[std::uniform_int_distribution<size_t>(0, letters.size() - 1)(random)];
    }
    return out;
  };
  MakeBucket("b");
  std::set<std::string> keys;
  while (keys.size() < 300) {
    std::string key = word(7);
    if (key.empty() || !keys.insert(key).second) continue;
    PutKey("b", key);
  }
  for (int round = 0; round < 200; ++round) {
    core::ListQuery q = Query(word(2), delimiters[random() % delimiters.size()], "",
                              static_cast<uint32_t>(1 + random() % 40));
    if (random() % 3 == 0) q.start_after = word(4);
    // Page through the whole listing as a client does, comparing every page.
    for (int page_number = 0; page_number < 400; ++page_number) {
      const core::ListPage want = ModelPage(keys, q);
      const core::ListPage got = List(q);
      const std::string where = "round " + std::to_string(round) + " page " +
                                std::to_string(page_number) + ", prefix '" + q.prefix +
                                "' delimiter '" + q.delimiter + "' start-after '" + q.start_after +
                                "' max-keys " + std::to_string(q.max_keys);
      ASSERT_EQ(ObjectKeys(got), ObjectKeys(want)) << where;
      ASSERT_EQ(got.common_prefixes, want.common_prefixes) << where;
      ASSERT_EQ(got.truncated, want.truncated) << where;
      if (!got.truncated) break;
      ASSERT_EQ(got.next_marker, want.next_marker) << where;
      q.start_after = got.next_marker;
    }
  }
}

}  // namespace
}  // namespace cairn::meta
