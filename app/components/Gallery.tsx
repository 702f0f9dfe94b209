"use client";
// Phase "gallery": every doodle of the round just played, then the next round by itself.
import type { RoomView } from "../../protocol";
import { noRecognitions, recognitionOf, strokesOf, type Drawings, type Recognitions } from "../lib/drawings";
import { formatSeconds } from "../lib/guesser";
import { Countdown } from "./Countdown";
import { DoodleView } from "./DoodleView";
import { RoomDance } from "./RoomDance";
import { danceTitle } from "../../game/word-forms";

type Props = { room: RoomView; drawings: Drawings; offset: number; recognitions?: Recognitions };

export function Gallery({ room, drawings, offset, recognitions = noRecognitions }: Props) {
  const round = room.rounds.at(-1);
  if (!round) return null;
  const last = round.index + 1 >= room.settings.rounds;
  const drew = room.players.filter((p) => !p.waiting || strokesOf(drawings, round.id, p.id).length);
  return (
    <div className="gallery" data-testid="gallery">
      <header className="prompt-bar">
        <span className="round-no" data-testid="round-indicator">
          Round {round.index + 1} of {room.settings.rounds}
        </span>
        <h1 className="prompt">
          Everyone&apos;s <span className="word">{round.word}</span>
        </h1>
        {room.phaseEndsAt !== null && (
          <span className="next-in">
            {last ? "Results in" : "Next round in"}{" "}
            <Countdown deadline={room.phaseEndsAt} offset={offset} testId="next-round-countdown" urgentBelow={0} />
          </span>
        )}
      </header>
      <RoomDance room={room} drawings={drawings} offset={offset} title={danceTitle(round.word)} />
      <div className="gallery-grid">
        {drew.map((p, i) => (
          <figure key={p.id} className="gallery-item" data-testid="gallery-item" data-player-id={p.id} style={{ ["--i" as string]: i }}>
            <DoodleView strokes={strokesOf(drawings, round.id, p.id)} label={`${p.nickname}'s ${round.word}`} />
            <figcaption>{p.nickname}</figcaption>
            <RecognitionNote atMs={recognitionOf(recognitions, round.id, p.id)} />
          </figure>
        ))}
      </div>
    </div>
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
