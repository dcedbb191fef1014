import assert from "node:assert/strict";
import { test } from "node:test";
import { formatBytes, formatDuration, formatRate, formatRelative } from "../src/lib/format.js";

test("sizes", () => {
  assert.equal(formatBytes(0), "0 B");
  assert.equal(formatBytes(1023), "1023 B");
  assert.equal(formatBytes(40 * 1024 * 1024), "40.0 MiB");
  assert.equal(formatBytes(1.5 * 1024 ** 3), "1.50 GiB");
  assert.equal(formatBytes(-1), "–");
  assert.equal(formatRate(0), "–");
  assert.equal(formatRate(2 * 1024 * 1024), "2.00 MiB/s");
});

test("durations and relative times", () => {
  assert.equal(formatDuration(0.2), "< 1 s");
  assert.equal(formatDuration(42), "42 s");
  assert.equal(formatDuration(125 * 60), "2 h 5 min");
  assert.equal(formatDuration(7 * 86400), "7 days");
  const now = new Date("2026-01-01T00:00:00Z");
  assert.equal(formatRelative(new Date("2026-01-08T00:00:00Z"), now), "in 7 days");
  assert.equal(formatRelative(new Date("2025-12-31T21:00:00Z"), now), "3 h ago");
});
