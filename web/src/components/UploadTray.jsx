// The uploads in progress, in a panel at the bottom of the screen: per file a progress bar, speed
// and time left, with cancel, retry, and for uploads interrupted by a reload, resume.
import { CheckCircle2, ChevronDown, ChevronUp, RotateCcw, X } from "lucide-preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { formatBytes, formatDuration, formatRate } from "../lib/format.js";

function useManager(manager) {
  const [, setVersion] = useState(0);
  useEffect(() => manager.subscribe(() => setVersion((v) => v + 1)), [manager]);
  return manager.tasks;
}

function status(task) {
  switch (task.state) {
    case "queued":
      return "Waiting";
    case "uploading":
      return `${formatBytes(task.loaded)} of ${formatBytes(task.size)} · ${formatRate(task.rate)} · ${Number.isFinite(task.eta) ? `${formatDuration(task.eta)} left` : "estimating"}`;
    case "completing":
      return "Completing the multipart upload…";
    case "done":
      return `Uploaded ${formatBytes(task.size)}${task.multipart ? ` in ${task.partCount} parts` : ""}`;
    case "failed":
      return task.error;
    case "cancelled":
      return "Cancelled";
    case "interrupted":
      return "Interrupted. Choose the same file again to resume.";
    default:
      return "";
  }
}

function ResumeButton({ task, manager }) {
  const input = useRef(null);
  return (
    <>
      <button type="button" class="button button-small button-primary" onClick={() => input.current.click()}>
        Resume
      </button>
      <input
        ref={input}
        type="file"
        hidden
        aria-label={`Choose ${task.name} to resume its upload`}
        data-testid="resume-file"
        onChange={(e) => {
          const file = e.currentTarget.files[0];
          e.currentTarget.value = "";
          if (file) manager.resume(task.id, file);
        }}
      />
    </>
  );
}

function TaskRow({ task, manager }) {
  const active = ["queued", "uploading", "completing"].includes(task.state);
  const percent = task.size ? Math.round((100 * task.loaded) / task.size) : task.state === "done" ? 100 : 0;
  return (
    <li class={`upload upload-${task.state}`} data-key={task.key} data-state={task.state} data-parts-done={task.partsDone}>
      <div class="upload-head">
        <span class="upload-name" title={`${task.bucket}/${task.key}`}>
          {task.state === "done" && <CheckCircle2 size={16} class="ok" aria-hidden="true" />}
          {task.key}
        </span>
        <span class="upload-actions">
          {task.state === "interrupted" && <ResumeButton task={task} manager={manager} />}
          {task.state === "failed" && task.file && (
            <button type="button" class="icon-button" aria-label={`Retry ${task.name}`} title="Retry" onClick={() => manager.retry(task.id)}>
              <RotateCcw size={16} aria-hidden="true" />
            </button>
          )}
          {(active || task.state === "interrupted") && (
            <button type="button" class="icon-button" aria-label={`Cancel ${task.name}`} title={task.multipart ? "Cancel and abort the multipart upload" : "Cancel"} onClick={() => manager.cancel(task.id)}>
              <X size={16} aria-hidden="true" />
            </button>
          )}
          {!active && task.state !== "interrupted" && (
            <button type="button" class="icon-button" aria-label={`Remove ${task.name} from the list`} title="Remove from the list" onClick={() => manager.dismiss(task.id)}>
              <X size={16} aria-hidden="true" />
            </button>
          )}
        </span>
      </div>
      <progress max="100" value={percent} aria-label={`Upload of ${task.name}`} />
      <div class="upload-status small">
        <span class={task.state === "failed" ? "field-error" : "muted"}>{status(task)}</span>
        {task.multipart && task.state === "uploading" && (
          <span class="muted">
            {task.partsDone}/{task.partCount} parts
          </span>
        )}
      </div>
      {task.note && task.state !== "done" && <div class="muted small">{task.note}</div>}
    </li>
  );
}

export function UploadTray({ manager }) {
  const tasks = useManager(manager);
  const [open, setOpen] = useState(true);
  const active = tasks.filter((t) => ["queued", "uploading", "completing"].includes(t.state)).length;
  // The tray opens when files are added and folds away a moment after the last upload finished,
  // so that it does not cover the page. Failed and interrupted uploads keep it open: they wait
  // for the user.
  const waiting = tasks.some((t) => t.state === "failed" || t.state === "interrupted");
  const seen = useRef(0);
  if (tasks.length > seen.current && !open) setOpen(true);
  seen.current = tasks.length;
  useEffect(() => {
    if (active > 0 || waiting) return undefined;
    const fold = setTimeout(() => setOpen(false), 2500);
    return () => clearTimeout(fold);
  }, [active > 0, waiting, tasks.length]);
  if (tasks.length === 0) return null;
  const done = tasks.filter((t) => t.state === "done").length;
  const interrupted = tasks.filter((t) => t.state === "interrupted").length;
  const finished = tasks.filter((t) => ["done", "failed", "cancelled"].includes(t.state)).length;
  const plural = (n, word) => `${n} ${word}${n === 1 ? "" : "s"}`;
  const title = active
    ? `Uploading ${plural(active, "file")}`
    : interrupted
      ? `${plural(interrupted, "upload")} to resume`
      : `${done} of ${plural(tasks.length, "upload")} done`;
  return (
    <aside class="upload-tray" aria-label="Uploads">
      <header class="upload-tray-header">
        <button type="button" class="link-button upload-tray-title" aria-expanded={open ? "true" : "false"} onClick={() => setOpen(!open)}>
          {open ? <ChevronDown size={16} aria-hidden="true" /> : <ChevronUp size={16} aria-hidden="true" />}
          <span>{title}</span>
        </button>
        {finished > 0 && (
          <button type="button" class="button button-small button-quiet" onClick={() => manager.clearFinished()}>
            Clear finished
          </button>
        )}
      </header>
      {open && (
        <ul class="upload-list">
          {tasks.map((task) => (
            <TaskRow key={task.id} task={task} manager={manager} />
          ))}
        </ul>
      )}
    </aside>
  );
}
