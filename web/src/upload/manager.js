// The upload queue behind the upload tray: every file the user drops or picks becomes a task that
// goes up as a single PUT or, past the threshold, as a multipart upload with several parts in
// flight, R2's part rules (partPlan.js), retries, cancel (which aborts the multipart upload) and
// resume after a reload (resumeStore.js + ListParts). Bytes go from the File straight to presigned
// URLs of the S3 API; nothing is buffered beyond the slice of a part in flight.
import SparkMD5 from "spark-md5";
import * as s3 from "../api/s3.js";
import { keyProblem } from "../lib/names.js";
import { partRange, planUpload } from "../lib/partPlan.js";
import { forgetUpload, saveUpload, savedUploads } from "./resumeStore.js";
import { CancelledError, putBytes, withRetries } from "./transfer.js";

const FILES_AT_ONCE = 3;
const PARTS_IN_FLIGHT = 4;
const PART_URL_LIFETIME = 3600;  // seconds: a slow part must still be allowed to start
const RATE_WINDOW_MS = 4000;

const ACTIVE_STATES = ["queued", "uploading", "completing", "interrupted"];

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
    partsDone: 0,
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

  // Multipart uploads this browser had in progress before the page was reloaded.
  async restore() {
    for (const record of await savedUploads()) {
      if (this.tasks.some((t) => t.uploadId === record.uploadId)) continue;
      this.tasks.push(newTask({
        state: "interrupted",
        bucket: record.bucket,
        key: record.key,
        name: record.name,
        size: record.size,
        multipart: true,
        partCount: record.partCount,
        uploadId: record.uploadId,
        record,
      }));
    }
    this.changed();
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

  // Goes on with an interrupted upload, given its file again.
  resume(id, file) {
    const task = this.find(id);
    if (!task || task.state !== "interrupted") return;
    if (file.size !== task.record.size) {
      task.error = `That file has ${file.size} bytes; this upload was started with a file of ${task.record.size} bytes.`;
      this.changed();
      return;
    }
    Object.assign(task, { file, state: "queued", error: "", note: "" });
    this.changed();
    this.pump();
  }

  cancel(id) {
    const task = this.find(id);
    if (!task) return;
    if (task.state === "interrupted") {
      this.finish(task, "cancelled");
      this.abortOnServer(task);
      return;
    }
    if (!["queued", "uploading", "completing"].includes(task.state)) return;
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

  // Removes a finished task from the tray; a failed multipart upload is aborted on the server.
  dismiss(id) {
    const task = this.find(id);
    if (!task || ACTIVE_STATES.includes(task.state)) return;
    this.tasks = this.tasks.filter((t) => t !== task);
    if (task.state === "failed" && task.uploadId) this.abortOnServer(task);
    this.changed();
  }

  clearFinished() {
    for (const task of this.tasks) if (!ACTIVE_STATES.includes(task.state)) this.dismiss(task.id);
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
    const done = new Map();  // part number -> {number, etag, size}
    if (task.uploadId) {
      plan = { multipart: true, partSize: task.record.partSize, partCount: task.record.partCount };
      await this.findUploadedParts(task, plan, done);
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

  // For a resumed upload: the parts the server already has, checked against the plan and (one of
  // them) against the file's bytes, so that a different file is never completed into the object.
  async findUploadedParts(task, plan, done) {
    let listed;
    try {
      listed = await s3.listParts(task.bucket, task.key, task.uploadId);
    } catch (error) {
      if (error.code !== "NoSuchUpload") throw error;
      await forgetUpload(task.uploadId);
      task.uploadId = "";
      task.note = "The interrupted upload was aborted on the server; starting over.";
      return;
    }
    for (const part of listed.parts) {
      if (part.number > plan.partCount) continue;
      const { start, end } = partRange(plan, task.size, part.number);
      if (part.size === end - start) done.set(part.number, part);
    }
    const first = [...done.values()].sort((a, b) => a.number - b.number)[0];
    if (first) {
      const { start, end } = partRange(plan, task.size, first.number);
      if ((await md5Hex(task.file.slice(start, end))) !== first.etag) {
        throw new Error("This is not the file the upload was started with: its bytes differ from the uploaded parts.");
      }
    }
    task.resumed = true;
    task.note = `Resumed: ${done.size} of ${plan.partCount} parts were already uploaded.`;
  }
}
