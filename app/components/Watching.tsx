"use client";
// Spectators on the page: the banner a spectator sees (a "Watching" badge and the ask for a seat),
// and the "N watching" a player sees.
import { useState } from "react";
import { MAX_PLAYERS_PER_ROOM, type RoomView, type SpectatorView } from "../../protocol";
import type { RoomClient } from "../lib/socket-client";

/** The spectator's own strip: what they can do, and why the last ask for a seat failed. */
export function SpectatorBanner({ room, me, client }: { room: RoomView; me: SpectatorView; client: RoomClient }) {
  const [busy, setBusy] = useState(false);
  async function ask(join: boolean) {
    setBusy(true);
    await client.joinNextGame(join);
    setBusy(false);
  }
  const full = room.players.length >= MAX_PLAYERS_PER_ROOM;
  let say: string;
  let action: React.ReactNode = null;
  if (room.players.length === 0) {
    say = "Everyone has left this room.";
  } else if (room.phase === "lobby") {
    say = full ? `All ${MAX_PLAYERS_PER_ROOM} seats are taken; a seat may free up before the game starts.` : "A seat is free: take it to play the next game.";
    action = (
      <button className="btn primary small" onClick={() => void ask(true)} disabled={busy || full} data-testid="join-next-game">
        Take a seat
      </button>
    );
  } else if (me.joinNext) {
    say = "You'll get a seat when the next game opens, if one is free.";
    action = (
      <button className="btn small ghost" onClick={() => void ask(false)} disabled={busy} data-testid="cancel-join-next">
        Keep watching
      </button>
    );
  } else {
    say = "Players draw; you see every stroke as it lands.";
    action = (
      <button className="btn small" onClick={() => void ask(true)} disabled={busy} data-testid="join-next-game">
        Join next game
      </button>
    );
  }
  return (
    <section className="spectator-banner" data-testid="spectator-banner" data-join-next={me.joinNext} aria-label="You're watching">
      <span className="tag watching" data-testid="watching-badge">
        Watching
      </span>
      <p className="spectator-say" role="status">
        {me.note && (
          <strong className="spectator-note" data-testid="spectator-note">
            {me.note}{" "}
          </strong>
        )}
        {say}
      </p>
      {action}
    </section>
  );
}

/** "3 watching: Ann, Bob, Cy" for everyone in the room bar; nothing while nobody watches. */
export function WatchersChip({ spectators }: { spectators: readonly SpectatorView[] }) {
  if (spectators.length === 0) return null;
  const names = spectators.map((v) => v.nickname).join(", ");
  return (
    <span className="chip subtle watchers" title={`Watching: ${names}`} data-testid="watching-count" data-count={spectators.length}>
      {spectators.length} watching<span className="watchers-names">: {names}</span>
    </span>
  );
}

/** The lobby's list of who watches, apart from the players. */
export function WatchersList({ spectators }: { spectators: readonly SpectatorView[] }) {
  if (spectators.length === 0) return null;
  return (
    <p className="muted watchers-list" data-testid="watchers-list">
      <strong>{spectators.length} watching:</strong> {spectators.map((v) => v.nickname).join(", ")}
    </p>
  );
}
