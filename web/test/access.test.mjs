import assert from "node:assert/strict";
import { test } from "node:test";
import { accessOf, mayList, publicObjectUrl } from "../src/lib/access.js";
import { parseRoute } from "../src/lib/route.js";

test("admin keys see the Keys page; only admin-rw changes anything", () => {
  const rw = accessOf({ permission: "admin-rw" });
  assert.equal(rw.readKeys && rw.manageKeys && rw.manageBuckets && rw.writeObjects, true);
  const ro = accessOf({ permission: "admin-ro" });
  assert.equal(ro.readKeys, true);
  assert.equal(ro.listBuckets, true);
  assert.equal(ro.manageKeys || ro.manageBuckets || ro.changeBucketSettings || ro.writeObjects, false);
});

test("object keys see only objects, within their scope", () => {
  const rw = accessOf({ permission: "object-rw", buckets: ["photos"], prefixes: ["a/"] });
  assert.equal(rw.writeObjects, true);
  assert.equal(rw.readKeys || rw.listBuckets || rw.manageBuckets || rw.readBucketSettings, false);
  assert.deepEqual(rw.buckets, ["photos"]);
  assert.deepEqual(rw.prefixes, ["a/"]);
  const ro = accessOf({ permission: "object-ro", buckets: [], prefixes: [] });
  assert.equal(ro.writeObjects, false);
});

test("an unknown permission keeps the pages but not the Keys page", () => {
  for (const key of [null, { permission: "root" }]) {
    const a = accessOf(key);
    assert.equal(a.permission, null);
    assert.equal(a.listBuckets && a.writeObjects && a.manageBuckets, true);
    assert.equal(a.readKeys, false);
  }
});

test("a prefix-scoped key lists only below its prefixes", () => {
  assert.equal(mayList([], ""), true);
  assert.equal(mayList(["logs/"], "logs/2026/"), true);
  assert.equal(mayList(["logs/"], ""), false);
  assert.equal(mayList(["logs/"], "log"), false);
});

test("the keys page has a route", () => {
  assert.deepEqual(parseRoute("#/keys"), { page: "keys" });
});

test("public object URLs are path style on the S3 origin, each segment encoded", () => {
  assert.equal(publicObjectUrl("http://127.0.0.1:9000", "pics", "a b/día+1.png"), "http://127.0.0.1:9000/pics/a%20b/d%C3%ADa%2B1.png");
});
