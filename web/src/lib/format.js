// How sizes, times and rates read on screen.

const UNITS = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];

export function formatBytes(bytes) {
  if (!Number.isFinite(bytes) || bytes < 0) return "–";
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const digits = unit === 0 || value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return `${value.toFixed(digits)} ${UNITS[unit]}`;
}

export function formatRate(bytesPerSecond) {
  return bytesPerSecond > 0 ? `${formatBytes(bytesPerSecond)}/s` : "–";
}

// "45 s", "3 min", "2 h 5 min", "4 days": a duration at the precision a person wants.
export function formatDuration(seconds) {
  if (!Number.isFinite(seconds) || seconds < 0) return "–";
  if (seconds < 1) return "< 1 s";
  if (seconds < 60) return `${Math.round(seconds)} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
  return `${Math.round(hours / 24)} days`;
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

export function formatDate(date) {
  if (!(date instanceof Date) || Number.isNaN(date.getTime())) return "–";
  return dateTime.format(date);
}

// "3 h ago", "in 6 days": `date` relative to `now`.
export function formatRelative(date, now = new Date()) {
  const seconds = (date.getTime() - now.getTime()) / 1000;
  const text = formatDuration(Math.abs(seconds));
  return seconds >= 0 ? `in ${text}` : `${text} ago`;
}

// "the 4 parts already sent": what aborting a multipart upload deletes (n unknown: null).
export function partsSent(n) {
  if (n === 1) return "the part already sent";
  return n ? `the ${n} parts already sent` : "the parts already sent";
}

const STORAGE_CLASSES = { STANDARD: "Standard", STANDARD_IA: "Infrequent Access" };

// "Infrequent Access" for STANDARD_IA: a storage class as people call it.
export function storageClassName(storageClass) {
  return STORAGE_CLASSES[storageClass] ?? storageClass;
}
