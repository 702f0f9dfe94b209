"use client";
// Admin login: the token goes to /api/admin/login, which sets an httpOnly session cookie.
import { useState } from "react";

export default function AdminLogin() {
  const [token, setToken] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function submit(e: React.FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const r = await fetch("/api/admin/login", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ token }) }).catch(() => null);
    setBusy(false);
    if (r?.ok) window.location.assign("/admin");
    else setError(r ? ((await r.json()) as { error: string }).error : "The server can't be reached.");
  }
  return (
    <form className="card narrow stack" onSubmit={submit} data-testid="admin-login">
      <h1 className="card-title">Admin</h1>
      <label className="label" htmlFor="admin-token">Admin token</label>
      <input id="admin-token" className="input mono" type="password" autoComplete="current-password" value={token}
        onChange={(e) => setToken(e.target.value)} aria-invalid={error ? true : undefined} />
      {error && <p className="field-error" role="alert">{error}</p>}
      <p className="muted">The token is ADMIN_TOKEN, or the one <span className="mono">npm start</span> printed.</p>
      <button className="btn primary" type="submit" disabled={busy || !token}>{busy ? "Checking…" : "Log in"}</button>
    </form>
  );
}
