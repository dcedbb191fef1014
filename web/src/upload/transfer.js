// One PUT of bytes to a presigned URL with upload progress (fetch cannot report it, XHR can), and
// the retry policy around it: network failures, 5xx and S3's "try again" errors are retried with
// backoff; anything else is the user's to see.
import { s3Error } from "../api/s3.js";

export class CancelledError extends Error {
  constructor() {
    super("Cancelled");
    this.name = "CancelledError";
  }
}

class TransientError extends Error {}

const RETRYABLE_CODES = new Set(["RequestTimeout", "InternalError", "SlowDown", "ServiceUnavailable"]);

// Sends `body` with XHR. `onProgress(bytesSent)`; `signal` (AbortSignal) cancels. Resolves with the
// response's ETag. Rejects with CancelledError, TransientError or S3Error.
export function putBytes(url, body, { headers = {}, onProgress = () => {}, signal } = {}) {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new CancelledError());
    const xhr = new XMLHttpRequest();
    xhr.open("PUT", url);
    for (const [name, value] of Object.entries(headers)) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (e) => onProgress(e.loaded);
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        resolve((xhr.getResponseHeader("ETag") ?? "").replace(/"/g, ""));
        return;
      }
      const error = s3Error(xhr.status, xhr.responseText ?? "");
      reject(xhr.status >= 500 || RETRYABLE_CODES.has(error.code) ? Object.assign(new TransientError(error.message), { cause: error }) : error);
    };
    xhr.onerror = () => reject(new TransientError("The connection to the server failed."));
    xhr.ontimeout = () => reject(new TransientError("The server did not answer in time."));
    xhr.onabort = () => reject(new CancelledError());
    signal?.addEventListener("abort", () => xhr.abort(), { once: true });
    xhr.send(body);
  });
}

function sleep(ms, signal) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => {
      clearTimeout(timer);
      reject(new CancelledError());
    }, { once: true });
  });
}

// Runs `attempt()` (which presigns afresh and sends) until it succeeds, it fails for good, or
// `tries` transient failures in a row. `onRetry(error, wait)` tells the UI.
export async function withRetries(attempt, { tries = 5, signal, onRetry = () => {} } = {}) {
  for (let n = 1; ; n += 1) {
    try {
      return await attempt();
    } catch (error) {
      const transient = error instanceof TransientError || error instanceof TypeError;  // TypeError: fetch failed
      if (!transient || n >= tries || signal?.aborted) throw error.cause ?? error;
      const wait = Math.min(1000 * 2 ** (n - 1), 15000) * (0.75 + Math.random() / 2);
      onRetry(error, wait);
      await sleep(wait, signal);
    }
  }
}
