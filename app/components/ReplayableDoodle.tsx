"use client";
// A doodle (DoodleView) that can be replayed as it was drawn: the whole picture is a button that
// opens the replay in a modal dialog, big enough to watch whatever size the thumbnail is. The
// player exists only while the dialog is open, so a grid of doodles runs no animation loops.
import { useEffect, useRef, useState } from "react";
import type { Stroke } from "../../protocol";
import { fileSlug } from "../lib/download";
import { DoodleView } from "./DoodleView";
import { ReplayPlayer } from "./ReplayPlayer";

type Props = {
  strokes: readonly Stroke[];
  /** e.g. "Ann's cat". */
  label: string;
  testId?: string;
};

export function ReplayableDoodle({ strokes, label, testId }: Props) {
  const [open, setOpen] = useState(false);
  const dialog = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    if (open) dialog.current?.showModal();
  }, [open]);

  return (
    <div className="replayable">
      <DoodleView strokes={strokes} label={label} testId={testId} />
      {strokes.length > 0 && (
        <button type="button" className="replay-open" onClick={() => setOpen(true)} aria-label={`Replay ${label} as it was drawn`} data-testid="replay-open">
          <span className="replay-badge" aria-hidden="true">
            ▶
          </span>
        </button>
      )}
      {open && (
        // A click on the backdrop reaches the dialog itself (its content fills it): that closes it, as Esc does.
        <dialog
          ref={dialog}
          className="replay-dialog"
          aria-label={`${label}, as it was drawn`}
          onClose={() => setOpen(false)}
          onClick={(e) => e.target === e.currentTarget && e.currentTarget.close()}
          data-testid="replay-dialog"
        >
          <div className="replay-dialog-body">
            <header className="replay-head">
              <h2 className="card-title">{label}, as it was drawn</h2>
              <button type="button" className="btn small ghost" onClick={() => dialog.current?.close()} aria-label="Close the replay" data-testid="replay-close">
                ✕
              </button>
            </header>
            <ReplayPlayer strokes={strokes} label={label} fileName={`doodle-replay-${fileSlug(label)}`} />
          </div>
        </dialog>
      )}
    </div>
  );
}
