import assert from "node:assert/strict";
import { test } from "node:test";
import { metadataProblems } from "../src/lib/metadataForm.js";

test("printable ASCII values and lowercase names pass", () => {
  assert.deepEqual(metadataProblems({ contentType: "text/plain", cacheControl: "" }, [["owner", "ops team"], ["build-2", "x"]]), []);
});

test("each problem is placed at its field", () => {
  const problems = metadataProblems({ contentType: "text/plaín" }, [["Owner", "a"], ["ok", "b"], ["ok", "c"], ["note", "tab\there"]]);
  assert.deepEqual(problems.map((p) => p.where), ["contentType", "custom-0", "custom-2", "custom-3"]);
  assert.match(problems[2].message, /twice/);
});
