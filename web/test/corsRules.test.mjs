// The CORS form's checks name the field of the rule that PutBucketCors would refuse.
import assert from "node:assert/strict";
import { test } from "node:test";
import { corsRuleProblems, corsRulesProblem } from "../src/lib/corsRules.js";

const rule = (fields) => ({ id: "", origins: "https://app.example.com", methods: ["GET"], headers: "", expose: "", maxAge: "", ...fields });

test("a complete rule has no problem", () => {
  assert.deepEqual(corsRuleProblems(rule({ origins: "*\nhttps://*.example.org", headers: "*", maxAge: 3600 })), {});
  assert.equal(corsRulesProblem([rule({}), rule({ maxAge: "0" })]), null);
});

test("each field's problem is named", () => {
  assert.match(corsRuleProblems(rule({ origins: " \n" })).origins, /at least one allowed origin/);
  assert.match(corsRuleProblems(rule({ origins: "https://*.*.example.com" })).origins, /^https:\/\/\*\.\*\.example\.com has more than one \*/);
  assert.match(corsRuleProblems(rule({ methods: [] })).methods, /at least one method/);
  assert.match(corsRuleProblems(rule({ headers: "x-*-*" })).headers, /x-\*-\* has more than one \*/);
  for (const maxAge of ["-1", "1.5", "2147483648"]) assert.match(corsRuleProblems(rule({ maxAge })).maxAge, /whole number/, maxAge);
  assert.match(corsRuleProblems(rule({ id: "x".repeat(256) })).id, /at most 255/);
});

test("the summary names the rules with problems", () => {
  assert.equal(
    corsRulesProblem([rule({}), rule({ origins: "" }), rule({ methods: [] })]),
    "Not saved. Rule 2: Add at least one allowed origin, such as https://app.example.com, or * for any. Rule 3: Choose at least one method.",
  );
});
