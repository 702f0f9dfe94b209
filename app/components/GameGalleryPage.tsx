"use client";
// /games/<roomId>/<n>: every round of a finished (or running) game, each round's doodles dancing
// again, computed in this browser. One dance plays at a time (each is a full model run and a
// 60 fps canvas); the round tabs switch between them.
import Link from "next/link";
import { useEffect, useMemo, useState } from "react";
import type { GameGalleryView } from "../../protocol";
import type { DanceDoodle } from "../lib/dance-frames";
import { Dance } from "./Dance";
import { ReplayableDoodle } from "./ReplayableDoodle";
import { ModelStatus } from "./ModelStatus";
import { danceTitle } from "../../game/word-forms";

type GalleryRound = GameGalleryView["rounds"][number];
const NO_ROUNDS: GalleryRound[] = [];

const doodlesOf = (r: GalleryRound): DanceDoodle[] =>
  r.doodles.map((d) => ({ key: `${r.id}/${d.playerId}`, caption: `${d.nickname}'s ${r.word}`, strokes: d.strokes }));

type Loaded = { kind: "loading" } | { kind: "error"; message: string } | { kind: "ok"; view: GameGalleryView };

/** round: the round (1-based) to open on; the first when absent or not (yet) finished. */
export function GameGalleryPage({ roomId, gameNumber, round: openOn }: { roomId: string; gameNumber: string; round?: number }) {
  const [loaded, setLoaded] = useState<Loaded>({ kind: "loading" });
  const [selected, setSelected] = useState(0);
  const [startedAt, setStartedAt] = useState(0);

  useEffect(() => {
    let live = true;
    fetch(`/api/games/${encodeURIComponent(roomId)}/${encodeURIComponent(gameNumber)}`)
      .then(async (res) => {
        if (!res.ok) throw new Error(res.status === 404 ? "This game has no finished rounds, or the link is wrong." : `The server said ${res.status}.`);
        const view = (await res.json()) as GameGalleryView;
        if (!live) return;
        setLoaded({ kind: "ok", view });
        setSelected(Math.max(0, view.rounds.findIndex((r) => r.index + 1 === openOn)));
      })
      .catch((err: unknown) => live && setLoaded({ kind: "error", message: err instanceof Error ? err.message : String(err) }));
    return () => {
      live = false;
    };
  }, [roomId, gameNumber, openOn]);

  useEffect(() => setStartedAt(Date.now()), [selected]);

  const rounds = loaded.kind === "ok" ? loaded.view.rounds : NO_ROUNDS;
  const library = useMemo(() => rounds.flatMap(doodlesOf), [rounds]);
  const round = rounds[selected];

  return (
    <div className="game-gallery" data-testid="game-gallery">
      <header className="results-head">
        <h1 className="page-title">Game {gameNumber}: the dances</h1>
        <Link className="btn" href="/">
          New game
        </Link>
      </header>
      <ModelStatus announced={null} />
      {loaded.kind === "loading" && <p>Loading the game…</p>}
      {loaded.kind === "error" && (
        <p className="card narrow fatal" role="alert">
          {loaded.message}
        </p>
      )}
      {round && (
        <>
          <nav className="round-tabs" aria-label="Rounds">
            {rounds.map((r, i) => (
              <button
                key={r.id}
                className={`btn small ${i === selected ? "primary" : ""}`}
                aria-pressed={i === selected}
                onClick={() => setSelected(i)}
                data-testid="gallery-round"
              >
                {r.index + 1} · {r.word}
              </button>
            ))}
          </nav>
          <Dance
            id={round.id}
            startsAt={startedAt}
            doodles={doodlesOf(round)}
            library={library}
            offset={0}
            title={`Round ${round.index + 1}: ${danceTitle(round.word)}`}
            fileName={`doodle-dance-game-${gameNumber}-round-${round.index + 1}`}
          />
          <div className="gallery-grid">
            {round.doodles.map((d, i) => (
              <figure key={d.playerId} className="gallery-item" style={{ ["--i" as string]: i }}>
                <ReplayableDoodle strokes={d.strokes} label={`${d.nickname}'s ${round.word}`} />
                <figcaption>{d.nickname}</figcaption>
              </figure>
            ))}
          </div>
        </>
      )}
    </div>
  );
}
