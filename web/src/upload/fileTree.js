// The files a user hands over, by drag and drop (files and whole folders) or with a picker, each
// with the path it gets under the current prefix.

// [{file, path}] from a drop. Call it synchronously from the drop handler: the browser only lets
// the items be read during the event.
export function filesFromDrop(dataTransfer) {
  const items = Array.from(dataTransfer.items ?? []).filter((i) => i.kind === "file");
  if (items.length === 0) return Promise.resolve(filesFromPicker(dataTransfer.files));
  const sources = items.map((item) => item.webkitGetAsEntry?.() ?? item.getAsFile());
  return (async () => {
    const out = [];
    for (const source of sources) {
      if (source instanceof File) out.push({ file: source, path: source.name });
      else if (source) await walk(source, "", out);
    }
    return out;
  })();
}

// [{file, path}] from an <input type=file> (with webkitdirectory, paths keep their folders).
export function filesFromPicker(fileList) {
  return Array.from(fileList ?? []).map((file) => ({ file, path: file.webkitRelativePath || file.name }));
}

async function walk(entry, base, out) {
  if (entry.isFile) {
    const file = await new Promise((resolve, reject) => entry.file(resolve, reject));
    out.push({ file, path: base + entry.name });
    return;
  }
  if (!entry.isDirectory) return;
  const reader = entry.createReader();
  for (;;) {
    // readEntries hands out a directory's entries in batches until it returns an empty one.
    const batch = await new Promise((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) break;
    for (const child of batch) await walk(child, `${base}${entry.name}/`, out);
  }
}
