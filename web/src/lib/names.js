// Name rules checked while the user types, so a bad name is explained before anything is sent.
// They mirror the server's (src/core/names.cc: S3's "General purpose bucket naming rules"); the
// server stays the authority and its error is shown if the two ever disagree.

const RESERVED_PREFIXES = ["xn--", "sthree-", "amzn-s3-demo-"];
const RESERVED_SUFFIXES = ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"];
const MAX_KEY_BYTES = 1024;

// The first rule `name` breaks, as a sentence, or null when it is a valid bucket name.
export function bucketNameProblem(name) {
  if (name.length < 3 || name.length > 63) return "Bucket names must be between 3 and 63 characters long.";
  if (!/^[a-z0-9.-]*$/.test(name)) {
    return "Use only lowercase letters, numbers, dots (.) and hyphens (-).";
  }
  if (!/^[a-z0-9]/.test(name) || !/[a-z0-9]$/.test(name)) {
    return "Bucket names must begin and end with a letter or number.";
  }
  if (name.includes("..")) return "Bucket names must not contain two adjacent periods.";
  if (/^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name)) {
    return "Bucket names must not be formatted as an IP address.";
  }
  const prefix = RESERVED_PREFIXES.find((p) => name.startsWith(p));
  if (prefix) return `Bucket names must not start with the reserved prefix ${prefix}.`;
  const suffix = RESERVED_SUFFIXES.find((s) => name.endsWith(s));
  if (suffix) return `Bucket names must not end with the reserved suffix ${suffix}.`;
  return null;
}

export function utf8Length(text) {
  return new TextEncoder().encode(text).length;
}

// The problem with an object key, or null. Keys are any UTF-8 of 1 to 1024 bytes.
export function keyProblem(key) {
  if (key.length === 0) return "Object keys must not be empty.";
  if (utf8Length(key) > MAX_KEY_BYTES) return "Object keys are at most 1024 bytes of UTF-8.";
  return null;
}

// The problem with the name of a new folder in `prefix`, or null. The folder is the object
// `prefix + name + "/"`, so the name is one level: no "/" inside, and the whole key within S3's limit.
export function folderNameProblem(name, prefix = "") {
  if (name.length === 0) return "Enter a folder name.";
  if (name.includes("/")) return "A folder name cannot contain “/”. Create one folder, then open it to create another inside.";
  // A browser resolves "." and ".." in a URL's path, so such a key could not be addressed.
  if (name === "." || name === "..") return "“.” and “..” are not folder names.";
  const room = MAX_KEY_BYTES - utf8Length(prefix) - 1;
  if (utf8Length(name) > room) return `This name is too long here: at most ${Math.max(room, 0)} bytes of UTF-8 (keys are at most ${MAX_KEY_BYTES} bytes, this folder's path included).`;
  return null;
}
