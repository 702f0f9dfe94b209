"use client";
// Phase "gallery": the round's dance beside everyone's doodles as drawn, until the dance has gone
// round once (or the host moves on). The same dance stays open in the game's gallery page, so
// the next round never takes it away from someone still watching.
import { useState } from "react";
import type { RoomView } from "../../protocol";
import { noRecognitions, recognitionOf, strokesOf, type Drawings, type Recognitions } from "../lib/drawings";
import { formatSeconds } from "../lib/guesser";
import type { RoomClient } from "../lib/socket-client";
import { Countdown } from "./Countdown";
import { ReplayableDoodle } from "./ReplayableDoodle";
import { RoomDance } from "./RoomDance";
import { danceTitle } from "../../game/word-forms";

type Props = { room: RoomView; me: string; client: RoomClient; drawings: Drawings; offset: number; recognitions?: Recognitions };

export function Gallery({ room, me, client, drawings, offset, recognitions = noRecognitions }: Props) {
  const round = room.rounds.at(-1);
  if (!round) return null;
  const last = round.index + 1 >= room.settings.rounds;
  const drew = room.players.filter((p) => !p.waiting || strokesOf(drawings, round.id, p.id).length);
  return (
    <div className="gallery" data-testid="gallery">
      <header className="prompt-bar gallery-bar">
        <span className="round-no" data-testid="round-indicator">
          Round {round.index + 1} of {room.settings.rounds}
        </span>
        <h1 className="prompt">
          Everyone&apos;s <span className="word">{round.word}</span>
        </h1>
        <div className="gallery-next">
          {room.phaseEndsAt !== null && (
            <span className="next-in">
              {last ? "Results in" : "Next round in"}{" "}
              <Countdown deadline={room.phaseEndsAt} offset={offset} testId="next-round-countdown" urgentBelow={0} />
            </span>
          )}
          <MoveOn room={room} me={me} client={client} last={last} />
        </div>
      </header>
      <div className="gallery-stage">
        <RoomDance room={room} drawings={drawings} offset={offset} title={danceTitle(round.word)} />
        <section className="gallery-originals" aria-label="The doodles as drawn" data-testid="gallery-originals">
          <div className="gallery-grid">
            {drew.map((p, i) => (
              <figure key={p.id} className="gallery-item" data-testid="gallery-item" data-player-id={p.id} style={{ ["--i" as string]: i }}>
                <ReplayableDoodle strokes={strokesOf(drawings, round.id, p.id)} label={`${p.nickname}'s ${round.word}`} />
                <figcaption>{p.nickname}</figcaption>
                <RecognitionNote atMs={recognitionOf(recognitions, round.id, p.id)} />
              </figure>
            ))}
          </div>
          {room.gallery && (
            <a
              className="keep-watching"
              href={`/games/${room.gallery.roomId}/${room.gallery.gameNumber}?round=${round.index + 1}`}
              target="_blank"
              rel="noopener"
              data-testid="keep-watching"
            >
              Keep watching this dance in a new tab ↗
            </a>
          )}
        </section>
      </div>
    </div>
  );
}

/** The host ends the gallery now; everyone else is told who can. */
function MoveOn({ room, me, client, last }: { room: RoomView; me: string; client: RoomClient; last: boolean }) {
  const [busy, setBusy] = useState(false);
  const host = room.players.find((p) => p.isHost);
  if (host?.id !== me) {
    return (
      <p className="move-on waiting" data-testid="waiting-for-host">
        {host ? (
          <>
            <strong>{host.nickname}</strong> (host)
          </>
        ) : (
          "The host"
        )}{" "}
        can move on sooner
      </p>
    );
  }
  async function moveOn() {
    setBusy(true);
    await client.skipGallery();
    setBusy(false);
  }
  return (
    <button className="btn primary small move-on" onClick={moveOn} disabled={busy} data-testid="gallery-next">
      {last ? "Show results now" : "Next round now"}
    </button>
  );
}

/** Whether and when the AI recognized a doodle. */
function RecognitionNote({ atMs }: { atMs: number | null }) {
  return atMs === null ? (
    <p className="recognition-note" data-testid="recognition-note" data-recognized="false">
      AI didn&apos;t recognize it
    </p>
  ) : (
    <p className="recognition-note recognized" data-testid="recognition-note" data-recognized="true">
      AI recognized it in {formatSeconds(atMs)}
    </p>
  );
}
