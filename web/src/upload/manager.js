// The upload queue behind the upload tray: every file the user drops or picks becomes a task that
// goes up as a single PUT or, past the threshold, as a multipart upload with several parts in
// flight, R2's part rules (partPlan.js), retries, cancel (which aborts the multipart upload) and
// resume after a reload (resumeStore.js + ListParts). An unfinished multipart upload is only
// aborted when the user says so: taking it off the tray keeps it resumable. Bytes go from the File
// straight to presigned URLs of the S3 API; nothing is buffered beyond the slice of a part in flight.
import SparkMD5 from "spark-md5";
import * as s3 from "../api/s3.js";
import { formatBytes, formatDate } from "../lib/format.js";
import { keyProblem } from "../lib/names.js";
import { partRange, planUpload } from "../lib/partPlan.js";
import { forgetUpload, saveUpload, savedUploads } from "./resumeStore.js";
import { CancelledError, putBytes, withRetries } from "./transfer.js";

const FILES_AT_ONCE = 3;
const PARTS_IN_FLIGHT = 4;
const PART_URL_LIFETIME = 3600;  // seconds: a slow part must still be allowed to start
const RATE_WINDOW_MS = 4000;

export const RUNNING_STATES = ["queued", "uploading", "completing"];
const UNFINISHED_STATES = ["failed", "interrupted"];  // an upload id may hold parts on the server

let nextId = 1;

// Task states: queued -> uploading -> completing -> done, or failed / cancelled; "interrupted" is
// a multipart upload found in IndexedDB after a reload, waiting for its file to be chosen again.
function newTask(fields) {
  return {
    id: nextId++,
    state: "queued",
    loaded: 0,
    rate: 0,
    eta: Infinity,
    error: "",
    note: "",
    multipart: false,
    partCount: 0,
    partsDone: 0,  // null: not known yet (an interrupted upload before ListParts answered)
    uploadId: "",
    samples: [],
    controller: null,
    ...fields,
  };
}

function contentTypeOf(file) {
  return file.type || "application/octet-stream";
}

async function md5Hex(blob) {
  return SparkMD5.ArrayBuffer.hash(await blob.arrayBuffer());
}

// A file chosen to resume an upload that is not the one the upload was started with.
class WrongFileError extends Error {}

const CHOOSE_AGAIN = "Choose the file it was started with.";

// How `file` differs from the file a saved upload was started with, by the facts the browser
// gives (name, size, last-modified time); "" when they all match.
function fileMismatch(record, file) {
  const differences = [];
  if (file.name !== record.name) differences.push(`it is named ${file.name}, not ${record.name}`);
  if (file.size !== record.size) {
    differences.push(`it has ${file.size.toLocaleString("en")} bytes, not ${record.size.toLocaleString("en")} (${formatBytes(record.size)})`);
  }
  if (file.lastModified !== record.lastModified) {
    differences.push(`it was last modified ${formatDate(new Date(file.lastModified))}, not ${formatDate(new Date(record.lastModified))}`);
  }
  return differences.length ? `That file does not match this upload: ${differences.join("; ")}. ${CHOOSE_AGAIN}` : "";
}

// The plan a saved upload was started with.
const savedPlan = (record) => ({ multipart: true, partSize: record.partSize, partCount: record.partCount });

function interruptedTask(record) {
  return newTask({
    state: "interrupted",
    bucket: record.bucket,
    key: record.key,
    name: record.name,
    size: record.size,
    multipart: true,
    partCount: record.partCount,
    partsDone: null,
    uploadId: record.uploadId,
    record,
  });
}

export class UploadManager {
  constructor() {
    this.tasks = [];
    this.listeners = new Set();
    this.finishedListeners = new Set();
    this.notifyScheduled = false;
  }

  // fn() runs (at most every 100 ms) whenever a task changes. Returns an unsubscribe function.
  subscribe(fn) {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  // fn(task) runs when a task finished uploading.
  onFinished(fn) {
    this.finishedListeners.add(fn);
    return () => this.finishedListeners.delete(fn);
  }

  changed() {
    if (this.notifyScheduled) return;
    this.notifyScheduled = true;
    setTimeout(() => {
      this.notifyScheduled = false;
      for (const fn of this.listeners) fn();
    }, 100);
  }

  // Multipart uploads this browser had in progress before the page was reloaded (but not those
  // the user took off the tray), each with the parts the server already has.
  async restore() {
    for (const record of await savedUploads()) {
      if (record.dismissed || this.tasks.some((t) => t.uploadId === record.uploadId)) continue;
      const task = interruptedTask(record);
      this.tasks.push(task);
      this.showUploadedParts(task);
    }
    this.changed();
  }

  async showUploadedParts(task) {
    try {
      const done = await this.uploadedParts(task, savedPlan(task.record));
      if (done) this.countDone(task, done);
      else task.note = "This upload was aborted on the server: resuming starts it over.";
    } catch {
      // The count stays unknown; resuming asks again.
    }
    this.changed();
  }

  countDone(task, done) {
    task.partsDone = done.size;
    task.loaded = [...done.values()].reduce((sum, p) => sum + p.size, 0);
  }

  // items: [{bucket, key, file}]. A file that matches an interrupted upload of the same key resumes it.
  add(items) {
    for (const { bucket, key, file } of items) {
      const waiting = this.tasks.find((t) => t.state === "interrupted" && t.bucket === bucket && t.key === key &&
        t.record.size === file.size && t.record.lastModified === file.lastModified);
      if (waiting) {
        this.resume(waiting.id, file);
        continue;
      }
      const problem = keyProblem(key);
      this.tasks.push(newTask({ bucket, key, file, name: file.name, size: file.size, ...(problem ? { state: "failed", error: problem } : {}) }));
    }
    this.changed();
    this.pump();
  }

  // Goes on with an interrupted upload, given its file again. A file that is not the one it was
  // started with leaves it interrupted, with the reason, so that the right one can be chosen.
  resume(id, file) {
    const task = this.find(id);
    if (!task || task.state !== "interrupted") return;
    const mismatch = fileMismatch(task.record, file);
    if (mismatch) {
      task.error = mismatch;
      this.changed();
      return;
    }
    Object.assign(task, { file, state: "queued", error: "", note: "" });
    this.changed();
    this.pump();
  }

  // Resumes a saved upload that was taken off the tray (from the bucket's incomplete uploads).
  resumeSaved(record, file) {
    let task = this.tasks.find((t) => t.uploadId === record.uploadId);
    if (task && RUNNING_STATES.includes(task.state)) return;
    if (task?.state !== "interrupted") {
      this.tasks = this.tasks.filter((t) => t !== task);
      const kept = { ...record, dismissed: false };
      saveUpload(kept);
      task = interruptedTask(kept);
      this.tasks.push(task);
      this.showUploadedParts(task);
    }
    this.resume(task.id, file);
  }

  cancel(id) {
    const task = this.find(id);
    if (!task || !RUNNING_STATES.includes(task.state)) return;
    const wasRunning = task.state !== "queued";
    task.controller?.abort();
    this.finish(task, "cancelled");
    if (!wasRunning) this.pump();
  }

  retry(id) {
    const task = this.find(id);
    if (!task || task.state !== "failed" || !task.file) return;
    Object.assign(task, { state: "queued", error: "", loaded: 0, samples: [], partsDone: 0 });
    this.changed();
    this.pump();
  }

  // Takes a task that is not running off the tray. An unfinished multipart upload stays on the
  // server and in this browser's records, resumable from the bucket's incomplete uploads.
  dismiss(id) {
    const task = this.find(id);
    if (!task || RUNNING_STATES.includes(task.state)) return;
    this.tasks = this.tasks.filter((t) => t !== task);
    if (task.record && UNFINISHED_STATES.includes(task.state)) saveUpload({ ...task.record, dismissed: true });
    this.changed();
  }

  // Takes the tasks in `states` off the tray.
  clear(states) {
    for (const task of this.tasks.filter((t) => states.includes(t.state))) this.dismiss(task.id);
  }

  // Aborts the multipart upload of a failed or interrupted task: the server deletes its parts.
  async abort(id) {
    const task = this.find(id);
    if (!task || !task.uploadId || !UNFINISHED_STATES.includes(task.state)) return;
    try {
      await s3.abortMultipartUpload(task.bucket, task.key, task.uploadId);
    } catch (error) {
      if (error.code !== "NoSuchUpload") throw error;
    }
    this.aborted(task.uploadId);
  }

  // The upload was aborted on the server (here or from the incomplete uploads): a running task of
  // it stops, any other leaves the tray, and nothing is left to resume.
  aborted(uploadId) {
    const task = this.tasks.find((t) => t.uploadId === uploadId);
    if (task && RUNNING_STATES.includes(task.state)) this.cancel(task.id);
    else if (task) this.tasks = this.tasks.filter((t) => t !== task);
    forgetUpload(uploadId);
    this.changed();
  }

  find(id) {
    return this.tasks.find((t) => t.id === id);
  }

  pump() {
    const running = this.tasks.filter((t) => t.state === "uploading" || t.state === "completing").length;
    const next = this.tasks.filter((t) => t.state === "queued").slice(0, Math.max(0, FILES_AT_ONCE - running));
    for (const task of next) this.run(task);
  }

  async run(task) {
    task.state = "uploading";
    task.controller = new AbortController();
    task.startedAt = Date.now();
    this.changed();
    try {
      const plan = planUpload(task.size);
      if (plan.multipart || task.uploadId) await this.uploadMultipart(task, plan);
      else await this.uploadSingle(task);
      this.finish(task, "done");
      for (const fn of this.finishedListeners) fn(task);
    } catch (error) {
      if (error instanceof CancelledError || task.state === "cancelled") {
        if (task.uploadId) await this.abortOnServer(task);
      } else if (error instanceof WrongFileError) {
        Object.assign(task, { state: "interrupted", file: null, error: error.message, note: "", rate: 0, eta: Infinity });
      } else {
        task.error = error.message || String(error);
        this.finish(task, "failed");
      }
    } finally {
      task.controller = null;
      this.changed();
      this.pump();
    }
  }

  finish(task, state) {
    task.state = state;
    task.rate = 0;
    task.eta = Infinity;
    task.finishedAt = Date.now();
    if (state === "done") task.loaded = task.size;
    this.changed();
  }

  async abortOnServer(task) {
    try {
      await s3.abortMultipartUpload(task.bucket, task.key, task.uploadId);
    } catch (error) {
      if (error.code !== "NoSuchUpload") task.error = `The upload could not be aborted: ${error.message}`;
    }
    await forgetUpload(task.uploadId);
    this.changed();
  }

  // Records progress: `loaded` bytes of the task are on the server or in flight.
  progress(task, loaded) {
    const now = Date.now();
    task.loaded = loaded;
    task.samples.push([now, loaded]);
    while (task.samples.length > 2 && now - task.samples[0][0] > RATE_WINDOW_MS) task.samples.shift();
    const [t0, l0] = task.samples[0];
    if (now - t0 >= 500) {
      task.rate = ((loaded - l0) * 1000) / (now - t0);
      task.eta = task.rate > 0 ? (task.size - loaded) / task.rate : Infinity;
    }
    this.changed();
  }

  async uploadSingle(task) {
    const signal = task.controller.signal;
    const type = contentTypeOf(task.file);
    await withRetries(async () => {
      const url = await s3.presignedUrl({ method: "PUT", bucket: task.bucket, key: task.key, headers: { "content-type": type } });
      return putBytes(url, task.file, { headers: { "Content-Type": type }, signal, onProgress: (n) => this.progress(task, n) });
    }, { signal, onRetry: (e) => this.noteRetry(task, e) });
  }

  noteRetry(task, error) {
    task.note = `Retrying: ${error.message}`;
    this.changed();
  }

  async uploadMultipart(task, plan) {
    const signal = task.controller.signal;
    let done = new Map();  // part number -> {number, etag, size}
    if (task.uploadId) {
      plan = savedPlan(task.record);
      done = await this.findUploadedParts(task, plan);
    }
    if (!task.uploadId) {
      task.uploadId = await s3.createMultipartUpload(task.bucket, task.key, contentTypeOf(task.file));
      task.record = {
        uploadId: task.uploadId, bucket: task.bucket, key: task.key, name: task.file.name, size: task.size,
        lastModified: task.file.lastModified, type: contentTypeOf(task.file), partSize: plan.partSize,
        partCount: plan.partCount, startedAt: Date.now(),
      };
      await saveUpload(task.record);
    }
    task.multipart = true;
    task.partCount = plan.partCount;
    task.partsDone = done.size;
    if (signal.aborted) throw new CancelledError();

    const inFlight = new Map();  // part number -> bytes sent so far
    const doneBytes = () => [...done.values()].reduce((sum, p) => sum + p.size, 0);
    const report = () => this.progress(task, doneBytes() + [...inFlight.values()].reduce((a, b) => a + b, 0));
    const pending = [];
    for (let n = 1; n <= plan.partCount; n += 1) if (!done.has(n)) pending.push(n);

    const worker = async () => {
      while (pending.length) {
        const number = pending.shift();
        const { start, end } = partRange(plan, task.size, number);
        const slice = task.file.slice(start, end);
        inFlight.set(number, 0);
        const etag = await withRetries(async () => {
          inFlight.set(number, 0);
          const url = await s3.presignedUrl({ method: "PUT", bucket: task.bucket, key: task.key,
            query: { partNumber: String(number), uploadId: task.uploadId } }, PART_URL_LIFETIME);
          return putBytes(url, slice, { signal, onProgress: (n) => { inFlight.set(number, n); report(); } });
        }, { signal, onRetry: (e) => this.noteRetry(task, e) });
        inFlight.delete(number);
        done.set(number, { number, etag, size: end - start });
        task.partsDone = done.size;
        report();
      }
    };
    const stopOthers = (error) => {
      pending.length = 0;  // a part failed for good: the other workers stop too
      throw error;
    };
    await Promise.all(Array.from({ length: Math.min(PARTS_IN_FLIGHT, pending.length) }, () => worker().catch(stopOthers)));

    task.state = "completing";
    task.note = "";
    this.changed();
    const parts = [...done.values()].sort((a, b) => a.number - b.number);
    await s3.completeMultipartUpload(task.bucket, task.key, task.uploadId, parts);
    await forgetUpload(task.uploadId);
  }

  // The parts of the task's upload that the server has and the plan expects, by part number; null
  // when the upload is no longer there.
  async uploadedParts(task, plan) {
    let listed;
    try {
      listed = await s3.listParts(task.bucket, task.key, task.uploadId);
    } catch (error) {
      if (error.code !== "NoSuchUpload") throw error;
      return null;
    }
    const done = new Map();
    for (const part of listed.parts) {
      if (part.number > plan.partCount) continue;
      const { start, end } = partRange(plan, task.size, part.number);
      if (part.size === end - start) done.set(part.number, part);
    }
    return done;
  }

  // For a resumed upload: the parts the server already has, one of them checked against the
  // file's bytes, so that a different file is never completed into the object.
  async findUploadedParts(task, plan) {
    const done = await this.uploadedParts(task, plan);
    if (!done) {
      await forgetUpload(task.uploadId);
      task.uploadId = "";
      task.note = "The interrupted upload was aborted on the server; starting over.";
      return new Map();
    }
    this.countDone(task, done);
    const first = [...done.values()].sort((a, b) => a.number - b.number)[0];
    if (first) {
      const { start, end } = partRange(plan, task.size, first.number);
      if ((await md5Hex(task.file.slice(start, end))) !== first.etag) {
        throw new WrongFileError(`That file does not match this upload: its bytes differ from the parts already uploaded. ${CHOOSE_AGAIN}`);
      }
    }
    task.resumed = true;
    task.note = `Resumed: ${done.size} of ${plan.partCount} parts were already uploaded.`;
    return done;
  }
}
