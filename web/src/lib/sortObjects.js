// Sorting the objects of the page on screen by a column. The listing itself comes in key order
// (S3 lists nothing else), so sorting by name ascending is the listing's own order, and every
// sort is stable: objects that tie keep their key order.

// `sort`: {by: "name" | "size" | "date", descending}. Returns a new array.
export function sortObjects(objects, { by, descending }) {
  const indexed = objects.map((object, index) => ({ object, index }));
  const value = {
    name: (entry) => entry.index,
    size: (entry) => entry.object.size,
    date: (entry) => entry.object.lastModified.getTime(),
  }[by];
  const direction = descending ? -1 : 1;
  indexed.sort((a, b) => (value(a) - value(b)) * direction || a.index - b.index);
  return indexed.map((entry) => entry.object);
}

// The sort after a click on `by`'s column header: the other direction of the same column, or a
// new column in its natural first direction (names A to Z, the largest and the newest first).
export function nextSort(current, by) {
  if (current.by === by) return { by, descending: !current.descending };
  return { by, descending: by !== "name" };
}
