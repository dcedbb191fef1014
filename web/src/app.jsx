// The dashboard: sign-in, then the bucket list, one bucket or the access keys, with the upload
// tray and the notifications on every page. What the signed-in key may do (whoami) decides which
// pages and buttons there are (lib/access.js).
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { whoami } from "./api/admin.js";
import { currentSession, signOut } from "./api/session.js";
import { BucketPage } from "./components/BucketPage.jsx";
import { BucketsPage } from "./components/BucketsPage.jsx";
import { Footer } from "./components/Footer.jsx";
import { KeysPage } from "./components/KeysPage.jsx";
import { SignIn } from "./components/SignIn.jsx";
import { Loading } from "./components/States.jsx";
import { Toasts, toast } from "./components/Toasts.jsx";
import { TopBar } from "./components/TopBar.jsx";
import { UploadTray } from "./components/UploadTray.jsx";
import { AccessContext, accessOf } from "./lib/access.js";
import { focusPageHeading } from "./lib/focus.js";
import { useRoute } from "./lib/route.js";
import { UploadManager } from "./upload/manager.js";

// One confirmation per burst of finished uploads (a dropped folder is one message, not hundreds).
function announceUploads(manager) {
  let finished = [];
  let timer = null;
  const unsubscribe = manager.onFinished((task) => {
    finished.push(task);
    clearTimeout(timer);
    timer = setTimeout(() => {
      const [first] = finished;
      toast(finished.length === 1 ? `Uploaded ${first.key} to ${first.bucket}` : `Uploaded ${finished.length} files to ${first.bucket}`);
      finished = [];
    }, 600);
  });
  return () => {
    clearTimeout(timer);
    unsubscribe();
  };
}

// After a move to another page, bucket or folder, focus goes to the new heading. Not on the first
// page shown (the skip link is the first stop there), nor on a switch of tabs (focus stays on the tab).
function useFocusOnNavigation(route) {
  const place = JSON.stringify([route.page, route.bucket, route.prefix]);
  const last = useRef(null);
  useEffect(() => {
    if (last.current !== null && last.current !== place) focusPageHeading();
    last.current = place;
  }, [place]);
}

export function App() {
  const [session, setSession] = useState(undefined);  // undefined: asking the server; null: signed out
  const [access, setAccess] = useState(null);  // null: asking whoami
  const [notice, setNotice] = useState("");
  const route = useRoute();
  const manager = useMemo(() => new UploadManager(), []);
  useFocusOnNavigation(route);

  useEffect(() => {
    currentSession().then(setSession, () => setSession(null));
    const ended = () => {
      setNotice("Your session has ended. Sign in again.");
      setSession(null);
    };
    addEventListener("cairn:signed-out", ended);
    return () => removeEventListener("cairn:signed-out", ended);
  }, []);

  useEffect(() => {
    setAccess(null);
    if (!session) return;
    let live = true;
    const known = (key) => live && setAccess(accessOf(key, session.s3Origin));
    whoami().then(known, () => known(null));
    return () => {
      live = false;
    };
  }, [session]);

  useEffect(() => {
    if (!session) return undefined;
    manager.restore();
    return announceUploads(manager);
  }, [session, manager]);

  useEffect(() => {
    document.title = route.page === "bucket" ? `${route.bucket} · cairn` : route.page === "keys" ? "Access keys · cairn" : "cairn";
  }, [route]);

  if (session === undefined) return <Loading label="Starting…" />;
  if (!session) {
    return (
      <>
        <SignIn
          notice={notice}
          onSignedIn={(s) => {
            setNotice("");
            setSession(s);
          }}
        />
        <Toasts />
      </>
    );
  }
  if (!access) return <Loading label="Starting…" />;
  const leave = async () => {
    await signOut();
    setNotice("You signed out.");
    setSession(null);
  };
  return (
    <AccessContext.Provider value={access}>
    <div class="app">
      <a
        class="skip-link"
        href="#main"
        onClick={(e) => {
          e.preventDefault();  // the hash is the route
          focusPageHeading();
        }}
      >
        Skip to content
      </a>
      <TopBar accessKeyId={session.accessKeyId} page={route.page} onSignOut={leave} />
      <div id="main" tabIndex={-1}>
        {route.page === "bucket" && (
          <BucketPage bucket={route.bucket} prefix={route.prefix} tab={route.tab} filter={route.filter} after={route.after} from={route.from} manager={manager} />
        )}
        {route.page === "keys" && access.readKeys && <KeysPage />}
        {(route.page === "buckets" || (route.page === "keys" && !access.readKeys)) && <BucketsPage />}
      </div>
      <Footer />
      <UploadTray manager={manager} />
      <Toasts />
    </div>
    </AccessContext.Provider>
  );
}
