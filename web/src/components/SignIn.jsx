// Sign-in with an access key. The secret goes to the server once, over this form; the server
// answers with an HttpOnly cookie and the secret is dropped from memory with the form.
import { useState } from "preact/hooks";
import { signIn } from "../api/session.js";
import { Logo } from "./Logo.jsx";

export function SignIn({ notice, onSignedIn }) {
  const [keyId, setKeyId] = useState("");
  const [secret, setSecret] = useState("");
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);

  const submit = async (e) => {
    e.preventDefault();
    setBusy(true);
    setError("");
    try {
      const session = await signIn(keyId.trim(), secret);
      setSecret("");
      onSignedIn(session);
    } catch (err) {
      setError(err.message);
      setBusy(false);
    }
  };

  return (
    <main class="sign-in">
      <form class="card sign-in-card" onSubmit={submit} aria-describedby={error ? "sign-in-error" : undefined}>
        <div class="sign-in-brand">
          <Logo size={40} />
          <div>
            <h1>cairn</h1>
            <p class="muted">Sign in with an access key</p>
          </div>
        </div>
        {notice && <p class="notice">{notice}</p>}
        <label class="field">
          <span>Access key ID</span>
          <input name="accessKeyId" autoComplete="username" required value={keyId} onInput={(e) => setKeyId(e.currentTarget.value)} autoFocus />
        </label>
        <label class="field">
          <span>Secret access key</span>
          <input name="secretAccessKey" type="password" autoComplete="current-password" required value={secret} onInput={(e) => setSecret(e.currentTarget.value)} />
        </label>
        {error && (
          <p id="sign-in-error" class="form-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" class="button button-primary button-block" disabled={busy}>
          {busy ? "Signing in…" : "Sign in"}
        </button>
        <p class="muted small">
          <code>cairn serve</code> prints the admin key when it starts.
        </p>
      </form>
    </main>
  );
}
