import assert from "node:assert/strict";
import { test } from "node:test";
import { findIn, matchParts, withFind } from "../src/lib/keySearch.js";
import { bucketHref, parseRoute } from "../src/lib/route.js";

test("the search text rides in the hash beside the route", () => {
  const hash = withFind(bucketHref("photos", { prefix: "2026/ä b/", filter: "x" }), "02%4_2");
  assert.equal(findIn(hash), "02%4_2");
  const route = parseRoute(hash);
  assert.equal(route.bucket, "photos");
  assert.equal(route.prefix, "2026/ä b/");
  assert.equal(route.filter, "x");
  assert.equal(findIn(withFind(hash, "")), "");
  assert.equal(withFind(hash, ""), bucketHref("photos", { prefix: "2026/ä b/", filter: "x" }));
});

test("a search drops the listing's page position", () => {
  const hash = withFind(bucketHref("b", { after: "item-0099", from: 101 }), "42");
  assert.equal(parseRoute(hash).after, "");
  assert.equal(parseRoute(hash).from, 1);
  assert.equal(findIn("#/b/b"), "");
});

test("a name is cut around every occurrence of the text", () => {
  assert.deepEqual(matchParts("item-0242", "0242"), [
    { text: "item-", match: false },
    { text: "0242", match: true },
  ]);
  assert.deepEqual(matchParts("aXaXa", "a"), [
    { text: "a", match: true },
    { text: "X", match: false },
    { text: "a", match: true },
    { text: "X", match: false },
    { text: "a", match: true },
  ]);
  assert.deepEqual(matchParts("abc", ""), [{ text: "abc", match: false }]);
});
