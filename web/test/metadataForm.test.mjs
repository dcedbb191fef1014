import assert from "node:assert/strict";
import { test } from "node:test";
import { metadataProblems } from "../src/lib/metadataForm.js";

test("printable ASCII values and lowercase names pass", () => {
  assert.deepEqual(metadataProblems({ contentType: "text/plain", cacheControl: "" }, [["owner", "ops team"], ["build-2", "x"]]), []);
});

test("custom values may be any text but control characters", () => {
  assert.deepEqual(metadataProblems({}, [["name", "café ☕"], ["city", "東京"]]), []);
  const problems = metadataProblems({}, [["a", "line\nbreak"], ["b", "nul\u0000"], ["c", "c1\u0085"]]);
  assert.deepEqual(problems.map((p) => p.where), ["custom-0", "custom-1", "custom-2"]);
});

test("each problem is placed at its field", () => {
  const problems = metadataProblems({ contentType: "text/plaín" }, [["Owner", "a"], ["ok", "b"], ["ok", "c"], ["note", "tab\there"]]);
  assert.deepEqual(problems.map((p) => p.where), ["contentType", "custom-0", "custom-2", "custom-3"]);
  assert.match(problems[2].message, /twice/);
});
