// The build the console is talking to, from the console server's /_cairn/health (same origin,
// no credentials): "cairn 0.1.0 · commit 0123456789ab". Nothing is shown until it answers.
import { useEffect, useState } from "preact/hooks";

export function Footer() {
  const [build, setBuild] = useState(null);
  useEffect(() => {
    let live = true;
    fetch("/_cairn/health")
      .then((resp) => (resp.ok ? resp.json() : null))
      .then((health) => live && setBuild(health), () => {});
    return () => {
      live = false;
    };
  }, []);
  return (
    <footer class="app-footer">
      {build && (
        <span>
          cairn {build.version} · commit <code>{build.commit}</code>
        </span>
      )}
    </footer>
  );
}
