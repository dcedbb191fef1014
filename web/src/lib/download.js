// Downloads an object as a file: a short-lived presigned GET that asks for
// Content-Disposition: attachment, followed like a link.
import { downloadUrl } from "../api/s3.js";

export async function download(bucket, key) {
  const a = document.createElement("a");
  a.href = await downloadUrl(bucket, key);
  a.rel = "noopener";
  document.body.appendChild(a);
  a.click();
  a.remove();
}
