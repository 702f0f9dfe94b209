"use client";
// The strip above every phase: room code, connection state, unsaved strokes, leave.
import { useEffect, useState } from "react";
import type { RoomSnapshot } from "../lib/socket-client";
import { WatchersChip } from "./Watching";

const phaseNames = { lobby: "Lobby", drawing: "Drawing", gallery: "Gallery", results: "Results" } as const;

export function RoomBar({ snap, code, onLeave }: { snap: RoomSnapshot; code: string; onLeave: () => void }) {
  // Leaving gives the seat away, so it takes a second click (no blocking confirm dialog).
  const [arming, setArming] = useState(false);
  useEffect(() => {
    if (!arming) return;
    const id = setTimeout(() => setArming(false), 3_000);
    return () => clearTimeout(id);
  }, [arming]);
  const online = snap.status === "joined";
  const pending = snap.pending.length;
  const save = !online && pending ? "offline" : pending ? "saving" : "saved";
  // "Saved" only means something while this player is drawing.
  const me = snap.room!.players.find((p) => p.id === snap.playerId);
  const showSave = pending > 0 || (snap.room!.phase === "drawing" && me !== undefined && !me.waiting);
  return (
    <div className="roombar">
      <span className="chip code" title="Room code" data-testid="room-code">
        {code}
      </span>
      <span className="chip subtle phase-chip">{phaseNames[snap.room!.phase]}</span>
      <span className={`status-dot ${online ? "on" : "off"}`} data-testid="connection-status" data-state={snap.status} role="status" aria-label={online ? "Connected" : "Reconnecting"}>
        <span className={online ? "hide-narrow" : ""}>{online ? "Connected" : "Reconnecting…"}</span>
      </span>
      {showSave && (
        <span className={`save ${save}`} data-testid="save-status" data-state={save} data-pending={pending} role="status">
          {save === "saved" ? "Saved" : save === "saving" ? `Saving ${pending}…` : `${pending} unsaved (offline)`}
        </span>
      )}
      <WatchersChip spectators={snap.room!.spectators} />
      <span className="grow" />
      <button
        className={`btn small ${arming ? "danger" : "ghost"}`}
        onClick={() => (arming ? onLeave() : setArming(true))}
        data-testid="leave-room"
      >
        {arming ? "Really leave?" : "Leave"}
      </button>
    </div>
  );
}
