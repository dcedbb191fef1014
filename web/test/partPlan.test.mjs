// The dashboard cuts files into parts the way R2 accepts them.
import assert from "node:assert/strict";
import { test } from "node:test";
import { GiB, MAX_PARTS, MiB, MIN_PART_SIZE, partRange, planUpload } from "../src/lib/partPlan.js";

function checkR2Rules(size, plan) {
  assert.ok(plan.partCount <= MAX_PARTS, "at most 10,000 parts");
  const sizes = [];
  for (let n = 1; n <= plan.partCount; n += 1) {
    const { start, end } = partRange(plan, size, n);
    sizes.push(end - start);
  }
  assert.equal(sizes.reduce((a, b) => a + b, 0), size, "the parts cover the file exactly");
  const body = sizes.slice(0, -1);
  assert.ok(body.every((s) => s === plan.partSize), "every part but the last has one size");
  assert.ok(body.every((s) => s >= MIN_PART_SIZE && s <= 5 * GiB), "5 MiB to 5 GiB");
  assert.ok(sizes.at(-1) > 0 && sizes.at(-1) <= plan.partSize, "the last part is not larger");
}

test("small files go in one PUT", () => {
  assert.deepEqual(planUpload(0), { multipart: false, partSize: 0, partCount: 1 });
  assert.equal(planUpload(16 * MiB - 1).multipart, false);
});

test("a 40 MiB file goes in five 8 MiB parts", () => {
  const plan = planUpload(40 * MiB);
  assert.deepEqual(plan, { multipart: true, partSize: 8 * MiB, partCount: 5 });
  checkR2Rules(40 * MiB, plan);
});

test("odd sizes keep equal parts and a short last part", () => {
  for (const size of [16 * MiB, 16 * MiB + 1, 100 * MiB + 12345, 3 * GiB + 7]) checkR2Rules(size, planUpload(size));
});

test("huge files grow the part size to stay within 10,000 parts", () => {
  const size = 2 * 1024 * GiB;  // 2 TiB
  const plan = planUpload(size);
  assert.ok(plan.partSize > 8 * MiB);
  assert.equal(plan.partSize % MiB, 0);
  checkR2Rules(size, plan);
});

test("beyond 10,000 parts of 5 GiB there is no plan", () => {
  assert.throws(() => planUpload(MAX_PARTS * 5 * GiB + 1), /10,000 parts of 5 GiB/);
});

test("a part size below R2's minimum is raised to 5 MiB", () => {
  assert.equal(planUpload(64 * MiB, { partSize: MiB }).partSize, MIN_PART_SIZE);
});
