// What the details panel previews of an object, and how. The kind comes from the object's
// Content-Type, or from its name when the type says nothing (none, or octet-stream). Images,
// audio, video and PDF are shown from a URL on the S3 origin that names the type to serve them as;
// everything else is fetched as bytes and shown as text. Documents a browser would run (HTML, SVG,
// XML) are never rendered: they count as text, so the page shows their source.

export const TEXT_PREVIEW_BYTES = 256 * 1024;  // read from the start of a text object

const GENERIC_TYPES = new Set(["", "application/octet-stream", "binary/octet-stream"]);

// Images an <img> shows. SVG is not one of them: it is a document with scripts, shown as text.
const IMAGE_TYPES = new Set([
  "image/png", "image/jpeg", "image/gif", "image/webp", "image/avif", "image/bmp", "image/x-icon",
  "image/vnd.microsoft.icon",
]);

const TEXT_TYPES = new Set([
  "application/xml", "application/javascript", "application/x-javascript", "application/yaml",
  "application/x-yaml", "application/toml", "application/x-sh", "application/sql",
]);

// For objects stored without a telling type: [kind, the type to serve it as].
const BY_EXTENSION = {
  txt: ["text"], md: ["text"], csv: ["text"], log: ["text"], html: ["text"], htm: ["text"], svg: ["text"],
  xml: ["text"], json: ["json"],
  png: ["image", "image/png"], jpg: ["image", "image/jpeg"], jpeg: ["image", "image/jpeg"],
  gif: ["image", "image/gif"], webp: ["image", "image/webp"],
  mp3: ["audio", "audio/mpeg"], wav: ["audio", "audio/wav"], ogg: ["audio", "audio/ogg"],
  mp4: ["video", "video/mp4"], webm: ["video", "video/webm"],
  pdf: ["pdf", "application/pdf"],
};

// "text/plain; charset=utf-8" -> "text/plain".
export function mediaType(contentType) {
  return (contentType ?? "").split(";")[0].trim().toLowerCase();
}

function extensionOf(key) {
  const name = key.slice(key.lastIndexOf("/") + 1);
  const dot = name.lastIndexOf(".");
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : "";
}

// {kind, type}: kind is "image", "audio", "video", "pdf" (shown from a URL that serves the object
// as `type`), "json" or "text" (fetched, shown as text); null when there is nothing to preview.
export function previewOf(key, contentType) {
  const type = mediaType(contentType);
  if (GENERIC_TYPES.has(type)) {
    const [kind, asType] = BY_EXTENSION[extensionOf(key)] ?? [];
    return kind ? { kind, type: asType ?? null } : null;
  }
  if (IMAGE_TYPES.has(type)) return { kind: "image", type };
  if (type.startsWith("audio/")) return { kind: "audio", type };
  if (type.startsWith("video/")) return { kind: "video", type };
  if (type === "application/pdf") return { kind: "pdf", type };
  if (type === "application/json" || type.endsWith("+json")) return { kind: "json", type: null };
  if (type.startsWith("text/") || type.endsWith("+xml") || TEXT_TYPES.has(type)) return { kind: "text", type: null };
  return null;
}

// What a text preview shows of `bytes`, the start of an object of `size` bytes:
// {text, truncated, note}. A partial UTF-8 character cut off at the end is dropped; bytes with a
// NUL are not text. JSON read whole is pretty-printed; JSON cut short, or not JSON after all, is
// shown as it is, with a note.
export function textPreview(bytes, size, kind) {
  const truncated = size > bytes.length;
  if (bytes.subarray(0, 8192).includes(0)) {
    return { text: "", truncated, note: "This object does not look like text." };
  }
  const text = new TextDecoder("utf-8").decode(bytes, { stream: truncated });
  if (kind !== "json") return { text, truncated, note: "" };
  if (truncated) return { text, truncated, note: "Too large to format as JSON: shown as it is." };
  try {
    return { text: JSON.stringify(JSON.parse(text), null, 2), truncated, note: "" };
  } catch {
    return { text, truncated, note: "Not valid JSON: shown as it is." };
  }
}
