// How a file is cut into multipart parts under R2's rules: every part but the last of one size,
// 5 MiB to 5 GiB each, at most 10,000 parts. Small files go in a single PUT.

export const MiB = 1024 * 1024;
export const GiB = 1024 * MiB;
export const MIN_PART_SIZE = 5 * MiB;
export const MAX_PART_SIZE = 5 * GiB;
export const MAX_PARTS = 10000;
export const MULTIPART_THRESHOLD = 16 * MiB;
export const DEFAULT_PART_SIZE = 8 * MiB;

// {multipart: false} for a single PUT, or {multipart: true, partSize, partCount}. Throws for a
// file too large for 10,000 parts of 5 GiB.
export function planUpload(size, { threshold = MULTIPART_THRESHOLD, partSize = DEFAULT_PART_SIZE } = {}) {
  if (size < threshold) return { multipart: false, partSize: size, partCount: 1 };
  let chosen = Math.max(partSize, MIN_PART_SIZE);
  if (Math.ceil(size / chosen) > MAX_PARTS) {
    chosen = Math.ceil(size / MAX_PARTS / MiB) * MiB;  // whole MiB keep the parts easy to reason about
  }
  if (chosen > MAX_PART_SIZE) {
    throw new Error("This file is larger than 10,000 parts of 5 GiB.");
  }
  return { multipart: true, partSize: chosen, partCount: Math.max(1, Math.ceil(size / chosen)) };
}

// The byte range [start, end) of part `number` (1-based).
export function partRange(plan, size, number) {
  const start = (number - 1) * plan.partSize;
  return { start, end: Math.min(start + plan.partSize, size) };
}
