// Starts a Worker in workerd through examples/workers/run.sh (the script users run), bound to a
// bucket of a running cairn with the given key, and waits until it serves. Every wait is bounded;
// a suite that cannot start workerd fails and says why.
import { spawn } from "node:child_process";
import { openSync, closeSync, readFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

import { freePort, sleep, supervise } from "./server.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const runScript = resolve(here, "..", "..", "..", "examples", "workers", "run.sh");

// Returns {url, stop()}. target: startTarget()'s answer; creds: {accessKeyId, secretAccessKey}.
export async function startWorker(target, script, bucket, creds) {
  const port = await freePort();
  const work = mkdtempSync(join(tmpdir(), "cairn-workerd-log-"));
  const logPath = join(work, "workerd.log");
  const log = openSync(logPath, "w");
  const child = spawn(runScript, [script, String(port), bucket], {
    env: {
      ...process.env,
      CAIRN_ENDPOINT: target.endpoint,
      CAIRN_ACCESS_KEY_ID: creds.accessKeyId,
      CAIRN_SECRET_ACCESS_KEY: creds.secretAccessKey,
    },
    stdio: ["ignore", log, log],
  });
  closeSync(log);
  const workerd = supervise(child);
  const url = `http://127.0.0.1:${port}`;
  // The first run installs workerd (npm ci) before it starts.
  const deadline = Date.now() + 300_000;
  for (;;) {
    if (workerd.exited !== null) {
      throw new Error(`workerd exited during start-up (${JSON.stringify(workerd.exited)}):\n` +
        readFileSync(logPath, "utf8").slice(-4000));
    }
    if (readFileSync(logPath, "utf8").includes("Listening on")) break;
    if (Date.now() > deadline) {
      workerd.killNow();
      throw new Error(`workerd not serving after 300 s:\n${readFileSync(logPath, "utf8").slice(-4000)}`);
    }
    await sleep(50);
  }
  return {
    url,
    log: () => readFileSync(logPath, "utf8").slice(-4000),
    stop: async () => {
      await workerd.stop();
      rmSync(work, { recursive: true, force: true });
    },
  };
}
