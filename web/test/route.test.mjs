import assert from "node:assert/strict";
import { test } from "node:test";
import { bucketHref, parseRoute } from "../src/lib/route.js";

test("the bucket list and buckets", () => {
  assert.deepEqual(parseRoute(""), { page: "buckets" });
  assert.deepEqual(parseRoute("#/"), { page: "buckets" });
  assert.deepEqual(parseRoute("#/b/photos"), {
    page: "bucket", bucket: "photos", prefix: "", tab: "objects", filter: "", after: "", from: 1,
  });
});

test("prefixes with any characters round-trip through the hash", () => {
  for (const prefix of ["a/", "día 1/", "a+b&c=d/", "x?y#z/"]) {
    const route = parseRoute(bucketHref("photos", { prefix, tab: "objects" }));
    assert.equal(route.prefix, prefix);
    assert.equal(route.bucket, "photos");
  }
  assert.equal(parseRoute(bucketHref("b", { tab: "settings" })).tab, "settings");
});

test("a page of a listing round-trips through the hash: its filter, cursor and first row", () => {
  const place = { prefix: "logs/", filter: "2026-", after: "logs/2026-01 día&x=1", from: 201 };
  const route = parseRoute(bucketHref("photos", place));
  assert.deepEqual({ prefix: route.prefix, filter: route.filter, after: route.after, from: route.from }, place);
  assert.equal(bucketHref("photos", { from: 1 }), "#/b/photos");
  for (const from of ["0", "-5", "x", "2.5"]) assert.equal(parseRoute(`#/b/photos?from=${from}`).from, from === "2.5" ? 2 : 1);
});
