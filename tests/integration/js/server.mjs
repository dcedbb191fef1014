// Starts the real cairn binary for a node:test suite (or uses CAIRN_TEST_ENDPOINT). No npm
// dependencies, so that other suites (tests/browser) can start cairn the same way. Every wait is
// bounded.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, openSync, closeSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

// The clients get explicit endpoints and keys: nothing from the machine's AWS environment or
// config files (profiles, checksum settings, credentials) may change what they send.
for (const k of Object.keys(process.env)) if (k.startsWith("AWS_")) delete process.env[k];
process.env.AWS_CONFIG_FILE = "/dev/null";
process.env.AWS_SHARED_CREDENTIALS_FILE = "/dev/null";
process.env.AWS_EC2_METADATA_DISABLED = "true";

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, "..", "..", "..");

export function freePort() {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", rej);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => res(port));
    });
  });
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Watches a child process: `exited` once it ended ({code, signal}), `killNow()` (also when this
// process exits first), and `stop()`: SIGTERM, then SIGKILL after 10 s.
export function supervise(child) {
  const state = { exited: null };
  child.on("exit", (code, signal) => { state.exited = { code, signal }; });
  state.killNow = () => { if (state.exited === null) child.kill("SIGKILL"); };
  process.on("exit", state.killNow);
  state.stop = async () => {
    if (state.exited === null) {
      child.kill("SIGTERM");
      const t0 = Date.now();
      while (state.exited === null && Date.now() - t0 < 10000) await sleep(50);
      state.killNow();
    }
    process.off("exit", state.killNow);
  };
  return state;
}

// Returns {endpoint, accessKeyId, secretAccessKey, region, stop()}. options.extraArgs: more
// serve flags (e.g. ["--enable-test-hooks"]).
export async function startTarget(options = {}) {
  const region = process.env.CAIRN_TEST_REGION || "auto";
  if (process.env.CAIRN_TEST_ENDPOINT) {
    return {
      endpoint: process.env.CAIRN_TEST_ENDPOINT.replace(/\/$/, ""),
      accessKeyId: process.env.CAIRN_ACCESS_KEY_ID,
      secretAccessKey: process.env.CAIRN_SECRET_ACCESS_KEY,
      region,
      external: true,
      stop: async () => {},
    };
  }
  const binary = process.env.CAIRN_BINARY || join(repo, "build", "cairn");
  const work = mkdtempSync(join(tmpdir(), "cairn-it-js-"));
  const port = await freePort();
  const accessKeyId = "CAIRNJS" + randomBytes(6).toString("hex").toUpperCase();
  const secretAccessKey = randomBytes(30).toString("base64url");
  const logPath = join(work, "cairn.log");
  const log = openSync(logPath, "w");
  const child = spawn(binary, ["serve", "--listen", `127.0.0.1:${port}`, "--data-dir",
    join(work, "data"), ...(options.extraArgs ?? [])], {
    env: { ...process.env, CAIRN_ACCESS_KEY_ID: accessKeyId, CAIRN_SECRET_ACCESS_KEY: secretAccessKey },
    stdio: ["ignore", log, log],
  });
  closeSync(log);
  const cairn = supervise(child);
  const endpoint = `http://127.0.0.1:${port}`;
  const timeoutMs = Number(process.env.CAIRN_TEST_START_TIMEOUT || 30) * 1000;
  const deadline = Date.now() + timeoutMs;
  let last = "";
  for (;;) {
    if (cairn.exited !== null) {
      throw new Error(`cairn exited during start-up (${JSON.stringify(cairn.exited)}):\n` +
        readFileSync(logPath, "utf8").slice(-4000));
    }
    try {
      const r = await fetch(`${endpoint}/_cairn/health`, { signal: AbortSignal.timeout(1000) });
      await r.arrayBuffer();
      if (r.status === 200) break;
      last = `health answered ${r.status}`;
    } catch (e) {
      last = String(e);
    }
    if (Date.now() > deadline) {
      cairn.killNow();
      throw new Error(`cairn not healthy after ${timeoutMs} ms (${last}):\n` +
        readFileSync(logPath, "utf8").slice(-4000));
    }
    await sleep(50);
  }
  return {
    endpoint, accessKeyId, secretAccessKey, region, external: false,
    log: () => readFileSync(logPath, "utf8").slice(-4000),
    stop: async () => {
      await cairn.stop();
      if (!process.env.CAIRN_TEST_KEEP) rmSync(work, { recursive: true, force: true });
    },
  };
}
