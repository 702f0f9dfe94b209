"use client";
// Everyone in the room: host crowned, disconnected players greyed, late joiners marked.
import type { PlayerView } from "../../protocol";

export function PlayerList({ players, me }: { players: readonly PlayerView[]; me: string }) {
  return (
    <ul className="players" data-testid="player-list">
      {players.map((p) => (
        <li
          key={p.id}
          className={`player ${p.connected ? "" : "away"}`}
          data-testid="player-item"
          data-player-id={p.id}
          data-host={p.isHost}
          data-connected={p.connected}
          data-waiting={p.waiting}
        >
          <span className="avatar" aria-hidden="true" style={{ background: avatarColor(p.id) }}>
            {p.nickname.slice(0, 1).toUpperCase()}
          </span>
          <span className="player-name">{p.nickname}</span>
          {p.id === me && <span className="tag you">you</span>}
          {p.isHost && (
            <span className="tag host" title="Host">
              ★ host
            </span>
          )}
          {!p.connected && <span className="tag">away</span>}
          {p.waiting && <span className="tag">next round</span>}
        </li>
      ))}
    </ul>
  );
}

const palette = ["#ffd166", "#ef8a8a", "#8ecae6", "#b5e48c", "#cdb4db", "#f4a261", "#90e0c0", "#ffafcc"];

/** A stable pastel per player, so people are recognisable across phases. */
export function avatarColor(id: string): string {
  let h = 0;
  for (const ch of id) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return palette[h % palette.length]!;
}
