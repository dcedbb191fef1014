// The name checks shown while typing agree with S3's bucket naming rules.
import assert from "node:assert/strict";
import { test } from "node:test";
import { bucketNameProblem, folderNameProblem, keyProblem } from "../src/lib/names.js";

test("valid bucket names", () => {
  for (const name of ["abc", "my-bucket", "photos.2026", "a".repeat(63), "0-9"]) assert.equal(bucketNameProblem(name), null, name);
});

test("each broken rule is named", () => {
  const cases = {
    ab: /between 3 and 63/,
    ["a".repeat(64)]: /between 3 and 63/,
    My_Bucket: /lowercase letters/,
    "-abc": /begin and end/,
    "abc.": /begin and end/,
    "a..b": /adjacent periods/,
    "192.168.1.1": /IP address/,
    "xn--abc": /reserved prefix xn--/,
    "data-s3alias": /reserved suffix -s3alias/,
  };
  for (const [name, rule] of Object.entries(cases)) assert.match(bucketNameProblem(name) ?? "", rule, name);
});

test("keys are 1 to 1024 bytes of UTF-8", () => {
  assert.equal(keyProblem("a/b c/../d"), null);
  assert.match(keyProblem(""), /empty/);
  assert.equal(keyProblem("é".repeat(512)), null);  // 1024 bytes
  assert.match(keyProblem("é".repeat(513)), /1024 bytes/);
});

test("a folder name is one level, not empty, and its key fits in 1024 bytes", () => {
  assert.equal(folderNameProblem("reports", "docs/"), null);
  assert.equal(folderNameProblem("2026 Q1 (final)"), null);
  assert.match(folderNameProblem(""), /Enter a folder name/);
  assert.match(folderNameProblem("a/b"), /cannot contain “\/”/);
  assert.match(folderNameProblem("reports/"), /cannot contain “\/”/);
  assert.match(folderNameProblem(".."), /not folder names/);
  // The key is prefix + name + "/": 1 + 1022 + 1 bytes fits, one more byte does not.
  assert.equal(folderNameProblem("a".repeat(1022), "p"), null);
  assert.match(folderNameProblem("a".repeat(1023), "p"), /at most 1022 bytes/);
  assert.match(folderNameProblem("é".repeat(512)), /at most 1023 bytes/);  // 1024 bytes of UTF-8
});
