"use client";
// Phase "results": scores, then every round's doodles (rows = rounds, columns = players).
import { useState } from "react";
import type { RoomView } from "../../protocol";
import { strokesOf, type Drawings } from "../lib/drawings";
import type { RoomClient } from "../lib/socket-client";
import { ReplayableDoodle } from "./ReplayableDoodle";
import { RoomDance } from "./RoomDance";
import { SCORING_EXPLAINED } from "../../game/scoring";

type Props = { room: RoomView; me: string; drawings: Drawings; client: RoomClient; offset?: number };

export function Results({ room, me, drawings, client, offset = 0 }: Props) {
  const [busy, setBusy] = useState(false);
  const isHost = room.players.find((p) => p.id === me)?.isHost ?? false;
  const host = room.players.find((p) => p.isHost);
  const ranked = [...room.players].sort((a, b) => b.score - a.score || a.nickname.localeCompare(b.nickname));
  // Equal scores share a place (1, 1, 3).
  const place = (score: number) => 1 + ranked.filter((p) => p.score > score).length;

  async function rematch() {
    setBusy(true);
    await client.rematch();
    setBusy(false);
  }

  return (
    <div className="results" data-testid="results">
      <header className="results-head">
        <h1 className="page-title">That&apos;s a wrap!</h1>
        {isHost ? (
          <button className="btn primary big" onClick={rematch} disabled={busy} data-testid="rematch">
            {busy ? "Starting…" : "Play again"}
          </button>
        ) : (
          <p className="waiting-host" data-testid="waiting-for-host">
            {host ? <strong>{host.nickname}</strong> : "The host"} can start a rematch.
          </p>
        )}
      </header>

      <section className="card" aria-labelledby="scores-title">
        <h2 id="scores-title" className="card-title">
          Scores
        </h2>
        <ol className="scoreboard" data-testid="scoreboard">
          {ranked.map((p) => (
            <li key={p.id} className={`score-item place-${place(p.score)}`} data-testid="score-item" data-player-id={p.id}>
              <span className="rank" aria-label={`place ${place(p.score)}`}>
                {place(p.score)}
              </span>
              <span className="player-name">
                {p.nickname}
                {p.id === me && <span className="tag you">you</span>}
              </span>
              <span className="score" data-testid="score-value">
                {p.score} pts
              </span>
            </li>
          ))}
        </ol>
        <p className="muted scoring-rules" data-testid="scoring-rules">{SCORING_EXPLAINED}</p>
      </section>

      <RoomDance room={room} drawings={drawings} offset={offset} title="Everyone's best doodles dance" />
      {room.gallery && (
        <p className="gallery-link">
          <a href={`/games/${room.gallery.roomId}/${room.gallery.gameNumber}`} target="_blank" rel="noopener" data-testid="game-gallery-link">
            Every round&apos;s dance, to keep and share →
          </a>
        </p>
      )}

      <section className="card wide" aria-labelledby="all-title">
        <h2 id="all-title" className="card-title">
          All the doodles
        </h2>
        <div className="grid-scroll">
          <table className="results-grid" data-testid="results-grid">
            <thead>
              <tr>
                <th scope="col" className="sticky">
                  Round
                </th>
                {room.players.map((p) => (
                  <th key={p.id} scope="col">
                    <span className="col-name">{p.nickname}</span>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {room.rounds.map((r) => (
                <tr key={r.id} data-testid="results-row" data-round-index={r.index}>
                  <th scope="row" className="sticky">
                    <span className="round-index">{r.index + 1}</span>
                    <span className="word">{r.word}</span>
                  </th>
                  {room.players.map((p) => (
                    <td key={p.id}>
                      <ReplayableDoodle strokes={strokesOf(drawings, r.id, p.id)} label={`${p.nickname}'s ${r.word}`} />
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </div>
  );
}
