// The toolbar's Download of the objects ticked on the page: a download of its own for each object
// (lib/download.js). Many at once ask first, and more than one batch of presigned URLs is refused.
import { Download } from "lucide-preact";
import { MAX_PRESIGN_BATCH } from "../api/s3.js";
import { downloadEach } from "../lib/download.js";
import { downloadPlan } from "../lib/selection.js";
import { useConfirmation } from "./Dialog.jsx";
import { errorText } from "./States.jsx";
import { toast } from "./Toasts.jsx";

export function DownloadSelected({ bucket, keys }) {
  const [dialog, confirm] = useConfirmation(
    (chosen) => downloadEach(bucket, chosen),
    (chosen) => ({
      title: `Download ${chosen.length} objects?`,
      message: <p>Each object is saved as a file of its own: {chosen.length} downloads. Your browser may ask you to allow this page several downloads.</p>,
      confirmLabel: "Download",
      danger: false,
    }),
  );
  const start = () => {
    const plan = downloadPlan(keys.length, MAX_PRESIGN_BATCH);
    if (plan === "refuse") toast(`Select at most ${MAX_PRESIGN_BATCH} objects to download at once.`, "error");
    else if (plan === "confirm") confirm(keys);
    else if (plan === "start") downloadEach(bucket, keys).catch((e) => toast(errorText(e), "error"));
  };
  return (
    <>
      <button type="button" class="button" disabled={keys.length === 0} onClick={start}>
        <Download size={16} aria-hidden="true" />
        <span>Download{keys.length ? ` (${keys.length})` : ""}</span>
      </button>
      {dialog}
    </>
  );
}
