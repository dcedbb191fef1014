// The uploads in progress, in a panel at the bottom of the screen: per file a progress bar, speed
// and time left, with cancel, retry, and for uploads interrupted by a reload, resume. Taking an
// unfinished multipart upload off the tray keeps it resumable; aborting it (which deletes the
// parts already sent) is a separate, confirmed action. The tray stays out of the page's way:
// uploads that went well leave it by themselves, and on a phone it is a small bar until opened.
import { CheckCircle2, ChevronDown, ChevronUp, RotateCcw, Trash2, X } from "lucide-preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { formatBytes, formatDuration, formatRate, partsSent } from "../lib/format.js";
import { RUNNING_STATES } from "../upload/manager.js";
import { useConfirmation } from "./Dialog.jsx";
import { ResumeButton } from "./ResumeButton.jsx";
import { toast } from "./Toasts.jsx";

const CLEAR_DONE_AFTER_MS = 4000;
const NARROW = "(max-width: 640px)";

function useManager(manager) {
  const [, setVersion] = useState(0);
  useEffect(() => manager.subscribe(() => setVersion((v) => v + 1)), [manager]);
  return manager.tasks;
}

// While files are going up, leaving or reloading the page asks first: it would stop them.
function useLeaveWarning(uploading) {
  useEffect(() => {
    if (!uploading) return undefined;
    const warn = (e) => {
      e.preventDefault();
      e.returnValue = "";
    };
    addEventListener("beforeunload", warn);
    return () => removeEventListener("beforeunload", warn);
  }, [uploading]);
}

const plural = (n, word) => `${n} ${word}${n === 1 ? "" : "s"}`;

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
      return task.error || "Interrupted. Choose the same file again to resume.";
    default:
      return "";
  }
}

function TaskRow({ task, manager, onAbort }) {
  const running = RUNNING_STATES.includes(task.state);
  const percent = task.size ? Math.round((100 * task.loaded) / task.size) : task.state === "done" ? 100 : 0;
  const showParts = task.multipart && (task.state === "uploading" || task.state === "interrupted");
  return (
    <li class={`upload upload-${task.state}`} data-key={task.key} data-state={task.state} data-parts-done={task.partsDone ?? ""}>
      <div class="upload-head">
        <span class="upload-name" title={`${task.bucket}/${task.key}`}>
          {task.state === "done" && <CheckCircle2 size={16} class="ok" aria-hidden="true" />}
          {task.key}
        </span>
        <span class="upload-actions">
          {task.state === "interrupted" && <ResumeButton name={task.name} onFile={(file) => manager.resume(task.id, file)} />}
          {task.state === "failed" && task.file && (
            <button type="button" class="icon-button" aria-label={`Retry ${task.name}`} title="Retry" onClick={() => manager.retry(task.id)}>
              <RotateCcw size={16} aria-hidden="true" />
            </button>
          )}
          {!running && task.uploadId && ["failed", "interrupted"].includes(task.state) && (
            <button type="button" class="icon-button icon-button-danger" aria-label={`Abort upload of ${task.name}`} title="Abort upload" onClick={() => onAbort(task)}>
              <Trash2 size={16} aria-hidden="true" />
            </button>
          )}
          {running ? (
            <button type="button" class="icon-button" aria-label={`Cancel ${task.name}`} title={task.multipart ? "Cancel and abort the multipart upload" : "Cancel"} onClick={() => manager.cancel(task.id)}>
              <X size={16} aria-hidden="true" />
            </button>
          ) : (
            <button type="button" class="icon-button" aria-label={`Remove ${task.name} from the list`} title="Remove from the list" onClick={() => manager.dismiss(task.id)}>
              <X size={16} aria-hidden="true" />
            </button>
          )}
        </span>
      </div>
      <progress max="100" value={percent} aria-label={`Upload of ${task.name}`} />
      <div class="upload-status small">
        <span class={task.state === "failed" || (task.state === "interrupted" && task.error) ? "field-error" : "muted"}>{status(task)}</span>
        {showParts && (
          <span class="muted upload-parts">
            {task.partsDone ?? "…"} of {task.partCount} parts
          </span>
        )}
      </div>
      {task.note && task.state !== "done" && <div class="muted small">{task.note}</div>}
    </li>
  );
}

// The tray's one line when folded: what is going on, and how far.
function summary(tasks, running) {
  if (running.length) {
    const size = running.reduce((n, t) => n + t.size, 0);
    const loaded = running.reduce((n, t) => n + t.loaded, 0);
    return `Uploading ${plural(running.length, "file")}${size ? ` · ${Math.round((100 * loaded) / size)}%` : ""}`;
  }
  const failed = tasks.filter((t) => t.state === "failed").length;
  const interrupted = tasks.filter((t) => t.state === "interrupted").length;
  if (failed) return `${plural(failed, "upload")} failed`;
  if (interrupted) return `${plural(interrupted, "upload")} to resume`;
  const done = tasks.filter((t) => t.state === "done").length;
  return `${done} of ${plural(tasks.length, "upload")} done`;
}

function useMediaQuery(query) {
  const [matches, setMatches] = useState(() => matchMedia(query).matches);
  useEffect(() => {
    const list = matchMedia(query);
    const update = () => setMatches(list.matches);
    list.addEventListener("change", update);
    return () => list.removeEventListener("change", update);
  }, [query]);
  return matches;
}

export function UploadTray({ manager }) {
  const tasks = useManager(manager);
  const narrow = useMediaQuery(NARROW);
  const [open, setOpen] = useState(!narrow);
  useEffect(() => setOpen(!narrow), [narrow]);
  const running = tasks.filter((t) => RUNNING_STATES.includes(t.state));
  const succeeded = tasks.filter((t) => t.state === "done" || t.state === "cancelled").length;
  const failed = tasks.filter((t) => t.state === "failed").length;
  useLeaveWarning(running.length > 0);

  // New files open the tray, except on a phone, where it would cover the page.
  const seen = useRef(0);
  if (tasks.length > seen.current && !open && !narrow) setOpen(true);
  seen.current = tasks.length;
  // Once nothing is running, the uploads that went well leave the tray; failed and interrupted
  // ones stay until the user deals with them.
  useEffect(() => {
    if (running.length > 0 || succeeded === 0) return undefined;
    const clear = setTimeout(() => manager.clear(["done", "cancelled"]), CLEAR_DONE_AFTER_MS);
    return () => clearTimeout(clear);
  }, [running.length, succeeded]);

  const [abortDialog, confirmAbort] = useConfirmation(
    async (task) => {
      await manager.abort(task.id);
      toast(`Aborted the upload of ${task.key}`);
    },
    (task) => ({
      title: "Abort this upload?",
      message: (
        <p>
          The upload of <code>{task.key}</code> stops for good: aborting deletes {partsSent(task.partsDone)} to the server. To keep them, remove the upload from the list instead; it stays resumable from the bucket's incomplete uploads.
        </p>
      ),
      confirmLabel: "Abort upload",
    }),
  );

  if (tasks.length === 0) return abortDialog;
  return (
    <aside class={`upload-tray${open ? " upload-tray-open" : ""}`} aria-label="Uploads">
      <header class="upload-tray-header">
        <button type="button" class="link-button upload-tray-title" aria-expanded={open ? "true" : "false"} onClick={() => setOpen(!open)}>
          {open ? <ChevronDown size={16} aria-hidden="true" /> : <ChevronUp size={16} aria-hidden="true" />}
          <span>{summary(tasks, running)}</span>
        </button>
        {open && succeeded + failed > 0 && (
          <button type="button" class="button button-small button-quiet" onClick={() => manager.clear(["done", "failed", "cancelled"])}>
            Clear finished
          </button>
        )}
      </header>
      {open && (
        <ul class="upload-list">
          {tasks.map((task) => (
            <TaskRow key={task.id} task={task} manager={manager} onAbort={confirmAbort} />
          ))}
        </ul>
      )}
      {abortDialog}
    </aside>
  );
}
