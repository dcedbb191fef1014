// The dashboard's session with the server (src/dashboard/dashboard.h): the cookie is HttpOnly, so
// this module only ever learns who is signed in, never a token or a secret.

const HEADERS = { "Content-Type": "application/json", "X-Cairn-Dashboard": "1" };

export class SignedOutError extends Error {
  constructor(message = "Your session has ended. Sign in again.") {
    super(message);
    this.name = "SignedOutError";
  }
}

async function call(method, path, body) {
  const resp = await fetch(`/_cairn/api/${path}`, {
    method,
    headers: HEADERS,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: "same-origin",
    cache: "no-store",
  });
  const data = resp.status === 204 ? {} : await resp.json().catch(() => ({}));
  return { resp, data };
}

// {accessKeyId, expiresAt} of the signed-in key, or null.
export async function currentSession() {
  const { resp, data } = await call("GET", "session");
  return resp.ok ? data : null;
}

// Signs in; throws an Error with the server's message when the key is refused.
export async function signIn(accessKeyId, secretAccessKey) {
  const { resp, data } = await call("POST", "session", { accessKeyId, secretAccessKey });
  if (!resp.ok) throw new Error(data.error?.message ?? `Sign-in failed (HTTP ${resp.status}).`);
  return data;
}

export async function signOut() {
  await call("DELETE", "session");
}

// Presigned URLs (absolute, on the S3 API's origin) for S3 requests described as
// {method, bucket, key, query, headers}.
export async function presign(requests, expiresIn) {
  const { resp, data } = await call("POST", "presign", { requests, expiresIn });
  if (resp.status === 401) {
    dispatchEvent(new Event("cairn:signed-out"));  // the app shows the sign-in page
    throw new SignedOutError();
  }
  if (!resp.ok) throw new Error(data.error?.message ?? `Presigning failed (HTTP ${resp.status}).`);
  return data.urls;
}
