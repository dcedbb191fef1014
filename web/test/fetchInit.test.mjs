// S3 requests from the dashboard: cross-origin without credentials, and no cache mode on writes
// (a browser turns cache "no-store" into request headers that S3 stores as object metadata).
import assert from "node:assert/strict";
import { test } from "node:test";
import { s3FetchInit } from "../src/api/fetchInit.js";

test("writes carry no cache mode", () => {
  for (const method of ["PUT", "POST", "DELETE"]) {
    const init = s3FetchInit(method, { body: "x" });
    assert.equal("cache" in init, false, method);
    assert.equal(init.method, method);
    assert.equal(init.body, "x");
  }
});

test("reads skip the cache", () => {
  for (const method of ["GET", "HEAD"]) assert.equal(s3FetchInit(method).cache, "no-store", method);
});

test("every request is cross-origin without credentials", () => {
  for (const method of ["GET", "PUT"]) {
    const init = s3FetchInit(method);
    assert.equal(init.mode, "cors");
    assert.equal(init.credentials, "omit");
  }
});
