// Bundles the dashboard into one directory: index.html, app.js (Preact and the app, minified) and
// app.css. Nothing in the bundle loads from the network.
//
//   node build.mjs --out DIR
import * as esbuild from "esbuild";
import { copyFile, mkdir } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const here = dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({ options: { out: { type: "string" } } });
if (!values.out) {
  console.error("usage: node build.mjs --out DIR");
  process.exit(2);
}
await mkdir(values.out, { recursive: true });
await esbuild.build({
  entryPoints: { app: join(here, "src", "main.jsx") },
  outdir: values.out,
  bundle: true,
  minify: true,
  format: "esm",
  target: ["chrome109", "firefox115", "safari16"],
  jsx: "automatic",
  jsxImportSource: "preact",
  legalComments: "eof",
  logLevel: "warning",
});
await copyFile(join(here, "index.html"), join(values.out, "index.html"));
await copyFile(join(here, "favicon.svg"), join(values.out, "favicon.svg"));
