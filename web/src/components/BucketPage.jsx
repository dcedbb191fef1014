// One bucket: breadcrumbs down to the current folder, and its three tabs (objects, incomplete
// multipart uploads, settings). Files dropped anywhere on the page upload into the current folder.
// Object keys see no settings (they may not read them) and read-only keys cannot drop files.
import { useEffect, useRef, useState } from "preact/hooks";
import { useAccess } from "../lib/access.js";
import { describeFigures, readBucketFigures, useBucketFigures } from "../lib/bucketFigures.js";
import { formatBytes } from "../lib/format.js";
import { bucketHref } from "../lib/route.js";
import { filesFromDrop } from "../upload/fileTree.js";
import { BucketRemoval } from "./BucketRemoval.jsx";
import { CorsSettings } from "./CorsSettings.jsx";
import { IncompleteUploads } from "./IncompleteUploads.jsx";
import { LifecycleSettings } from "./LifecycleSettings.jsx";
import { MissingBucket, useBucketMissing } from "./MissingBucket.jsx";
import { ObjectBrowser } from "./ObjectBrowser.jsx";
import { PublicAccessSettings } from "./PublicAccessSettings.jsx";
import { TabStrip } from "./TabStrip.jsx";

const TABS = [
  ["objects", "Objects"],
  ["uploads", "Incomplete uploads"],
  ["settings", "Settings"],
];

function Breadcrumbs({ bucket, prefix }) {
  const parts = prefix.split("/").filter(Boolean);
  return (
    <nav aria-label="Breadcrumbs" class="breadcrumbs">
      <ol>
        <li>
          <a href="#/">Buckets</a>
        </li>
        <li>
          <a href={bucketHref(bucket)} aria-current={parts.length === 0 ? "page" : undefined}>
            {bucket}
          </a>
        </li>
        {parts.map((part, i) => {
          const to = `${parts.slice(0, i + 1).join("/")}/`;
          return (
            <li key={to}>
              <a href={bucketHref(bucket, { prefix: to })} aria-current={i === parts.length - 1 ? "page" : undefined}>
                {part}
              </a>
            </li>
          );
        })}
      </ol>
    </nav>
  );
}

export function BucketPage({ bucket, prefix, tab, filter, after, from, manager }) {
  const access = useAccess();
  const tabs = TABS.filter(([id]) => id !== "settings" || access.readBucketSettings);
  const [dragging, setDragging] = useState(false);
  const depth = useRef(0);
  const missing = useBucketMissing(bucket);
  const figures = useBucketFigures(bucket);
  // The objects tab reads the figures with each listing; the other tabs read them once.
  useEffect(() => {
    if (tab !== "objects" && access.readBucketSettings) readBucketFigures(bucket);
  }, [bucket, tab === "objects"]);

  const enqueue = (items) => manager.add(items.map(({ file, path }) => ({ bucket, key: prefix + path, file })));

  useEffect(() => {
    depth.current = 0;
    setDragging(false);
  }, [bucket, prefix]);

  const hasFiles = (e) => access.writeObjects && Array.from(e.dataTransfer?.types ?? []).includes("Files");
  const onDragEnter = (e) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    depth.current += 1;
    setDragging(true);
  };
  const onDragLeave = () => {
    depth.current = Math.max(0, depth.current - 1);
    if (depth.current === 0) setDragging(false);
  };
  const onDragOver = (e) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = "copy";
  };
  const onDrop = (e) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    depth.current = 0;
    setDragging(false);
    filesFromDrop(e.dataTransfer).then(enqueue);
  };

  if (missing) return <MissingBucket bucket={bucket} />;
  return (
    <main class="page" onDragEnter={onDragEnter} onDragLeave={onDragLeave} onDragOver={onDragOver} onDrop={onDrop} data-testid="bucket-page">
      <div class="page-header">
        <div>
          <Breadcrumbs bucket={bucket} prefix={prefix} />
          <h1 class="bucket-title">{bucket}</h1>
          {figures && (
            <p class="muted bucket-figures" data-testid="bucket-figures">
              {describeFigures(figures, formatBytes)}
            </p>
          )}
        </div>
      </div>
      <TabStrip label="Bucket" tabs={tabs} selected={tab} hrefOf={(id) => bucketHref(bucket, { prefix: id === "objects" ? prefix : "", tab: id })} panelId="bucket-tab-panel" />
      <div role="tabpanel" id="bucket-tab-panel" aria-labelledby={`tab-${tab}`} class="tab-panel">
        {tab === "objects" && <ObjectBrowser bucket={bucket} prefix={prefix} filter={filter} after={after} from={from} manager={manager} onFiles={enqueue} />}
        {tab === "uploads" && <IncompleteUploads bucket={bucket} manager={manager} />}
        {tab === "settings" && access.readBucketSettings && (
          <div class="stack-lg">
            <PublicAccessSettings bucket={bucket} />
            <LifecycleSettings bucket={bucket} />
            <CorsSettings bucket={bucket} />
            <BucketRemoval bucket={bucket} manager={manager} />
          </div>
        )}
      </div>
      {dragging && (
        <div class="drop-overlay" aria-hidden="true">
          <div class="drop-overlay-inner">
            Drop files or folders to upload to <strong>{bucket}/{prefix}</strong>
          </div>
        </div>
      )}
    </main>
  );
}
