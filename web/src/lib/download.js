// Downloads objects as files: short-lived presigned GETs that ask for Content-Disposition:
// attachment. One is followed like a link; several each go to a hidden frame of their own, since
// links followed one after the other let each navigation cancel the download before it. The frames
// are sandboxed: they may download, and nothing else.
import { downloadUrl, downloadUrls } from "../api/s3.js";

const FRAME_LIFETIME_MS = 60_000;  // long after the download began; removing it then stops nothing

export async function download(bucket, key) {
  const a = document.createElement("a");
  a.href = await downloadUrl(bucket, key);
  a.rel = "noopener";
  document.body.appendChild(a);
  a.click();
  a.remove();
}

export async function downloadEach(bucket, keys) {
  for (const url of await downloadUrls(bucket, keys)) {
    const frame = document.createElement("iframe");
    frame.hidden = true;
    frame.setAttribute("sandbox", "allow-downloads");
    frame.src = url;
    document.body.appendChild(frame);
    setTimeout(() => frame.remove(), FRAME_LIFETIME_MS);
  }
}
