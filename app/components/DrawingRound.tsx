"use client";
// Phase "drawing": the word, the countdown, the canvas and everyone else drawing live.
import { useCallback, useMemo } from "react";
import type { Point, RoomView } from "../../protocol";
import { recognitionOf, strokesOf } from "../lib/drawings";
import type { RoomClient, RoomSnapshot } from "../lib/socket-client";
import { Countdown } from "./Countdown";
import { LiveDoodleView } from "./LiveDoodleView";
import { DrawingPad } from "./DrawingPad";
import { Guesser } from "./Guesser";

type Props = { room: RoomView; me: string; snap: RoomSnapshot; client: RoomClient; offset: number };

export function DrawingRound({ room, me, snap, client, offset }: Props) {
  const round = room.rounds.at(-1);
  const meView = room.players.find((p) => p.id === me);
  const deadline = room.phaseEndsAt ?? 0;
  const roundStart = deadline - room.settings.roundSeconds * 1000;
  const roundId = round?.id ?? "";

  // snap.drawings and snap.pending are what ownStrokes reads: recompute when they change.
  // eslint-disable-next-line react-hooks/exhaustive-deps -- read through client, so the rule can't see them
  const own = useMemo(() => client.ownStrokes(roundId), [client, roundId, snap.drawings, snap.pending]);
  const roundMs = room.settings.roundSeconds * 1000;
  // The server refuses times past the round's length; a stroke finished late is clamped.
  const elapsed = useCallback(() => Math.min(roundMs, Date.now() + offset - roundStart), [offset, roundStart, roundMs]);
  const onStroke = useCallback((pieces: Point[][]) => client.addStrokes(roundId, pieces), [client, roundId]);
  const onProgress = useCallback((pieces: Point[][]) => client.drawProgress(pieces), [client]);
  const onRecognized = useCallback((strokeId: string) => client.claimRecognition(roundId, strokeId), [client, roundId]);

  if (!round) return null;
  const others = room.players.filter((p) => p.id !== me && !p.waiting);
  // A spectator has no pad: the live views are the whole page.
  const watching = meView === undefined;
  const online = snap.status === "joined";

  return (
    <div className="drawing">
      <header className="prompt-bar">
        <span className="round-no" data-testid="round-indicator">
          Round {round.index + 1} of {room.settings.rounds}
        </span>
        <h1 className="prompt" data-testid="prompt" data-word={round.word}>
          Draw: <span className="word">{round.word}</span>
        </h1>
        <Countdown deadline={deadline} offset={offset} testId="countdown" className="big" />
      </header>

      <div className={`drawing-main ${watching ? "watching" : others.length ? "" : "solo"}`}>
        {watching ? null : meView.waiting ? (
          <div className="card waiting-banner" data-testid="waiting-banner" role="status">
            <h2 className="card-title">You&apos;re in! You&apos;ll join at the next round.</h2>
            <p className="muted">Meanwhile, watch the others draw “{round.word}”.</p>
          </div>
        ) : (
          <div className="pad-column">
            <DrawingPad
              key={round.id}
              strokes={own}
              elapsed={elapsed}
              onStroke={onStroke}
              onProgress={onProgress}
              label={`Your drawing of ${round.word}`}
            />
            {/* Right under the pad: a laptop's first screen must show them with the pad (player-view.spec.ts). */}
            <div className="tools">
              <button className="btn" onClick={() => client.undo(roundId)} disabled={!own.length || !online} data-testid="undo-stroke">
                ↶ Undo
              </button>
              <button className="btn" onClick={() => client.clear(roundId)} disabled={!own.length || !online} data-testid="clear-drawing">
                Clear
              </button>
            </div>
            <Guesser
              key={`guesser-${round.id}`}
              word={round.word}
              strokes={own}
              recognizedAtMs={recognitionOf(snap.recognitions, roundId, me)}
              onRecognized={onRecognized}
            />
          </div>
        )}

        {others.length > 0 && (
          <aside className="live" aria-labelledby="live-title" data-testid="live-views">
            <h2 id="live-title" className="live-title">
              {watching ? "Live: everyone" : "Live: everyone else"}
            </h2>
            {others.map((p) => (
              <figure key={p.id} className={`live-item ${p.connected ? "" : "away"}`} data-testid="live-view" data-player-id={p.id}>
                <LiveDoodleView strokes={strokesOf(snap.drawings, roundId, p.id)} live={snap.live[p.id]} label={`${p.nickname}'s drawing so far`} />
                <figcaption>{p.nickname}</figcaption>
              </figure>
            ))}
          </aside>
        )}
      </div>
    </div>
  );
}
