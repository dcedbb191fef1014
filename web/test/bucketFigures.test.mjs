import assert from "node:assert/strict";
import { test } from "node:test";
import { describeFigures } from "../src/lib/bucketFigures.js";
import { formatBytes } from "../src/lib/format.js";

test("figures read as a count and a size", () => {
  assert.equal(describeFigures({ objectCount: 2500, bytes: 1048576 }, formatBytes), "2,500 objects · 1.00 MiB");
  assert.equal(describeFigures({ objectCount: 1, bytes: 12 }, formatBytes), "1 object · 12 B");
  assert.equal(describeFigures({ objectCount: 0, bytes: 0 }, formatBytes), "0 objects · 0 B");
});
