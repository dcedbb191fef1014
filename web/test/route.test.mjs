import assert from "node:assert/strict";
import { test } from "node:test";
import { bucketHref, parseRoute } from "../src/lib/route.js";

test("the bucket list and buckets", () => {
  assert.deepEqual(parseRoute(""), { page: "buckets" });
  assert.deepEqual(parseRoute("#/"), { page: "buckets" });
  assert.deepEqual(parseRoute("#/b/photos"), { page: "bucket", bucket: "photos", prefix: "", tab: "objects" });
});

test("prefixes with any characters round-trip through the hash", () => {
  for (const prefix of ["a/", "día 1/", "a+b&c=d/", "x?y#z/"]) {
    const route = parseRoute(bucketHref("photos", { prefix, tab: "objects" }));
    assert.equal(route.prefix, prefix);
    assert.equal(route.bucket, "photos");
  }
  assert.equal(parseRoute(bucketHref("b", { tab: "settings" })).tab, "settings");
});
