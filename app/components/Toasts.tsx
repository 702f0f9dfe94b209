"use client";
// Errors and notices from the server (and the outbox), shown briefly at the bottom.
import type { Toast } from "../lib/socket-client";

export function Toasts({ toasts, onDismiss }: { toasts: readonly Toast[]; onDismiss: (id: number) => void }) {
  return (
    <div className="toasts" aria-live="polite" data-testid="toasts">
      {toasts.map((t) => (
        <div key={t.id} className={`toast ${t.level}`} role={t.level === "error" ? "alert" : "status"} data-testid="toast" data-level={t.level}>
          <span>{t.message}</span>
          <button className="toast-close" onClick={() => onDismiss(t.id)} aria-label="Dismiss">
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
