// Custom metadata values with text beyond printable ASCII travel as RFC 2047 encoded words
// ("=?UTF-8?B?Y2Fmw6k=?="): a header carries ASCII only, so the S3 API sends such values encoded
// (as R2 documents: "Extended metadata using Unicode") and the dashboard sends its own so.

const WORD = /^=\?([^?*]+)(?:\*[^?]*)?\?([bBqQ])\?([^?]*)\?=$/;
const PRINTABLE = /^[\x20-\x7e]*$/;

function bytesOfB(text) {
  const padded = text + "=".repeat((4 - (text.length % 4)) % 4);
  const binary = atob(padded); // throws on what is not base64
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

// RFC 2047 section 4.2: "_" is a space, "=XX" a byte.
function bytesOfQ(text) {
  const bytes = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === "_") bytes.push(0x20);
    else if (text[i] === "=") {
      const hex = text.slice(i + 1, i + 3);
      if (!/^[0-9a-fA-F]{2}$/.test(hex)) throw new Error("bad Q escape");
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else bytes.push(text.charCodeAt(i) & 0xff);
  }
  return Uint8Array.from(bytes);
}

// One encoded word's text, or null when `token` is not a well-formed word in UTF-8, US-ASCII or
// ISO-8859-1.
function decodeWord(token) {
  const m = WORD.exec(token);
  if (!m) return null;
  const charset = m[1].toUpperCase();
  const label = charset === "UTF-8" || charset === "UTF8" ? "utf-8" : ["ISO-8859-1", "LATIN1", "US-ASCII"].includes(charset) ? "latin1" : null;
  if (!label) return null;
  try {
    const bytes = m[2].toUpperCase() === "B" ? bytesOfB(m[3]) : bytesOfQ(m[3]);
    return new TextDecoder(label, { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

// The text of a header value: its encoded words decoded, white space between two adjacent words
// dropped (section 6.2), anything else kept as it is.
export function decodeEncodedWords(value) {
  if (!value.includes("=?")) return value;
  let out = "";
  let lastWasWord = false;
  for (const [, space, token] of value.matchAll(/(\s*)(\S+|$)/g)) {
    const decoded = token ? decodeWord(token) : null;
    if (!(decoded !== null && lastWasWord)) out += space;
    out += decoded ?? token;
    lastWasWord = decoded !== null;
    if (!token) break;
  }
  return out;
}

// `value` ready for a header: as it is when printable ASCII that does not look like an encoded
// word, otherwise B-encoded UTF-8 words of at most 45 bytes each (75 characters with the
// markers, RFC 2047 section 2), never splitting a character, separated by spaces.
export function encodeMetadataValue(value) {
  if (PRINTABLE.test(value) && !value.includes("=?") && value.trim() === value) return value;
  const encoder = new TextEncoder();
  const words = [];
  let chunk = [];
  const flush = () => {
    if (chunk.length) words.push(`=?UTF-8?B?${btoa(String.fromCharCode(...chunk))}?=`);
    chunk = [];
  };
  for (const character of value) {
    const bytes = encoder.encode(character);
    if (chunk.length + bytes.length > 45) flush();
    chunk.push(...bytes);
  }
  flush();
  return words.join(" ");
}
