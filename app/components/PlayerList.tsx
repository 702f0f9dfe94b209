"use client";
// Everyone in the room: host crowned, disconnected players greyed, late joiners marked, and a
// vote to remove anyone disruptive.
import { useState } from "react";
import type { PlayerView } from "../../protocol";

type Props = { players: readonly PlayerView[]; me: string; onVoteKick?: (playerId: string) => Promise<boolean> };

export function PlayerList({ players, me, onVoteKick }: Props) {
  // Votes are anonymous on the wire; this page remembers its own so the button says so.
  const [voted, setVoted] = useState<ReadonlySet<string>>(new Set());
  async function vote(p: PlayerView) {
    if (!onVoteKick || !window.confirm(`Vote to remove ${p.nickname} from the room?`)) return;
    if (await onVoteKick(p.id)) setVoted((v) => new Set(v).add(p.id));
  }
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
          {p.kickVotes > 0 && (
            <span className="tag warn" data-testid="kick-votes">
              {p.kickVotes}/{p.kickVotesNeeded} votes to remove
            </span>
          )}
          {onVoteKick && p.id !== me && (
            <button
              className="btn small ghost kick"
              onClick={() => void vote(p)}
              disabled={voted.has(p.id)}
              title={`Vote to remove ${p.nickname}`}
              data-testid="vote-kick"
            >
              {voted.has(p.id) ? "Voted" : "Remove…"}
            </button>
          )}
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
