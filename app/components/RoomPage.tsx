"use client";
// /r/CODE: asks for a nickname if needed, joins, and shows whatever phase the server says.
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useState, useSyncExternalStore } from "react";
import { MAX_PLAYERS_PER_ROOM, roomCodeSchema } from "../../protocol";
import { clockOffset } from "../lib/clock";
import { loadGuesser } from "../lib/guesser";
import { RoomClient, type Fatal, type RoomSnapshot } from "../lib/socket-client";
import { loadNickname, loadSeatToken, loadWatching } from "../lib/storage";
import { DrawingRound } from "./DrawingRound";
import { Gallery } from "./Gallery";
import { Lobby } from "./Lobby";
import { ModelStatus } from "./ModelStatus";
import { NicknameForm } from "./NicknameForm";
import { Results } from "./Results";
import { RoomBar } from "./RoomBar";
import { Toasts } from "./Toasts";
import { SpectatorBanner } from "./Watching";

/** What GET /api/rooms/CODE says of an open room: is a game on, is a seat or a watcher's place free. */
type OpenRoom = { open: true; playing: boolean; seatFree: boolean; watchFree: boolean };
type Mode = "join" | "watch";

export function RoomPage({ code: rawCode }: { code: string }) {
  const parsed = roomCodeSchema.safeParse(rawCode);
  const code = parsed.success ? parsed.data : null;
  // undefined: not read yet (server render); "": none stored.
  const [nickname, setNickname] = useState<string | undefined>(undefined);
  // Join or watch: chosen by the page that comes back with a token, or by the newcomer.
  const [mode, setMode] = useState<Mode | null | undefined>(undefined);
  const [client, setClient] = useState<RoomClient | null>(null);

  // null: not known yet; the open room; or why the room can't be joined, said before asking for a nickname.
  const [lookup, setLookup] = useState<OpenRoom | Fatal | null>(null);

  useEffect(() => {
    setNickname(loadNickname());
    if (code) setMode(loadSeatToken(code) === undefined ? null : loadWatching(code) ? "watch" : "join");
  }, [code]);

  useEffect(() => {
    if (!code || mode !== null) return;
    let live = true;
    lookUpRoom(code).then((found) => live && setLookup(found));
    return () => {
      live = false;
    };
  }, [code, mode]);

  // A game under way or a full room offers to watch; a lobby with a free seat is joined as ever.
  const open = lookup && "open" in lookup ? lookup : null;
  const choosing = open !== null && (open.playing || !open.seatFree);
  const entry: Mode | null = mode ?? (open && !choosing && nickname ? "join" : null);

  useEffect(() => {
    if (!code || !nickname || !entry) return;
    const c = new RoomClient(code);
    // Started a tick later so React's dev double-mount doesn't open (and seat) a throwaway socket.
    const start = setTimeout(() => c.start(nickname, entry === "watch"), 0);
    setClient(c);
    return () => {
      clearTimeout(start);
      c.stop();
    };
  }, [code, nickname, entry]);

  if (!code) return <FatalScreen fatal={{ kind: "not_found", message: "That isn't a room code — create a new room." }} />;
  if (nickname === undefined || mode === undefined) return <Centered>Loading…</Centered>;
  // Coming back with a token but no nickname kept: only the name is missing.
  if (mode && !nickname) return <AskNickname code={code} onSubmit={setNickname} />;
  if (!entry || !nickname) {
    if (lookup === null) return <Centered>Looking for room {code}…</Centered>;
    if (!open) return <FatalScreen fatal={lookup as Fatal} />;
    const enter = (chosen: Mode) => (name: string) => {
      setNickname(name);
      setMode(chosen);
    };
    if (choosing) return <WatchOrJoin code={code} room={open} nickname={nickname} onJoin={enter("join")} onWatch={enter("watch")} />;
    return <AskNickname code={code} onSubmit={enter("join")} />;
  }
  if (!client || client.code !== code) return <Centered>Connecting…</Centered>;
  return <Room client={client} onRename={setNickname} />;
}

function AskNickname({ code, onSubmit }: { code: string; onSubmit: (nickname: string) => void }) {
  return (
    <Centered>
      <section className="card narrow" aria-labelledby="nick-title">
        <h1 id="nick-title" className="card-title">
          Join room <span className="code">{code}</span>
        </h1>
        <NicknameForm submitLabel="Join" onSubmit={onSubmit} />
      </section>
    </Centered>
  );
}

/** Mid-game or a full room: watch now, or take a seat (drawing from the next round) while one is free. */
function WatchOrJoin(props: { code: string; room: OpenRoom; nickname: string; onJoin: (n: string) => void; onWatch: (n: string) => void }) {
  const { code, room, nickname, onJoin, onWatch } = props;
  if (!room.watchFree && !room.seatFree) {
    return <FatalScreen fatal={{ kind: "room_full", message: "Every seat and every watcher's place in this room is taken." }} />;
  }
  const title = room.seatFree ? "A game is on" : "This room is full";
  const why = room.seatFree
    ? "Watch it live, or take a seat now: you'll draw from the next round."
    : `All ${MAX_PLAYERS_PER_ROOM} seats are taken. Watch the game live, and ask for a seat at the next one.`;
  const watch = { label: "Watch", testId: "watch-submit", onSubmit: onWatch };
  return (
    <Centered>
      <section className="card narrow" aria-labelledby="watch-title" data-testid="watch-or-join">
        <h1 id="watch-title" className="card-title">
          {title} in room <span className="code">{code}</span>
        </h1>
        <p className="muted">{why}</p>
        {room.seatFree && room.watchFree ? (
          <NicknameForm initial={nickname} submitLabel="Join" onSubmit={onJoin} alternative={watch} />
        ) : room.seatFree ? (
          <NicknameForm initial={nickname} submitLabel="Join" onSubmit={onJoin} />
        ) : (
          <NicknameForm initial={nickname} submitLabel={watch.label} submitTestId={watch.testId} onSubmit={onWatch} />
        )}
      </section>
    </Centered>
  );
}

/** Whether the room is open; a look-up that fails (network, rate limit) lets the join itself say what is wrong. */
async function lookUpRoom(code: string): Promise<OpenRoom | Fatal> {
  const unknown: OpenRoom = { open: true, playing: false, seatFree: true, watchFree: true };
  try {
    const res = await fetch(`/api/rooms/${code}`);
    if (!res.ok) return unknown;
    const found = (await res.json()) as OpenRoom | { open: false; message?: string };
    return found.open ? found : { kind: "not_found", message: found.message ?? `There is no room with the code ${code}.` };
  } catch {
    return unknown;
  }
}

function Room({ client, onRename }: { client: RoomClient; onRename: (nickname: string) => void }) {
  const snap = useSyncExternalStore(client.subscribe, client.getSnapshot, client.getSnapshot);
  const router = useRouter();
  // The AI guesser loads while the room waits, not when the first round's clock is running.
  useEffect(() => void loadGuesser().catch(() => {}), []);
  // Each phase is a new screen: it opens at its top (the word, the clock), not where the last one was scrolled to.
  const phase = snap.room?.phase;
  // A block, not `() => window.scrollTo(...)`: Chromium's scrollTo returns a promise, which React would take for a clean-up.
  useEffect(() => {
    window.scrollTo(0, 0);
  }, [phase]);

  async function leave() {
    await client.leave();
    router.push("/");
  }

  const spectator = snap.room?.spectators.find((v) => v.id === snap.playerId);
  let body: React.ReactNode;
  if (snap.fatal?.kind === "bad_nickname") {
    body = (
      <Centered>
        <section className="card narrow">
          <h1 className="card-title">Pick another nickname</h1>
          <NicknameForm error={snap.fatal.message} submitLabel="Join" onSubmit={onRename} />
        </section>
      </Centered>
    );
  } else if (snap.fatal) {
    body = <FatalScreen fatal={snap.fatal} onResume={() => client.resume()} />;
  } else if (!snap.room || !snap.playerId) {
    body = (
      <Centered>
        <p className="joining" data-testid="joining">
          {snap.status === "reconnecting" ? "Can't reach the server, retrying…" : `Joining room ${client.code}…`}
        </p>
      </Centered>
    );
  } else {
    body = (
      <>
        <RoomBar snap={snap} code={client.code} onLeave={leave} />
        <ModelStatus announced={snap.activeModel} />
        {spectator && <SpectatorBanner room={snap.room!} me={spectator} client={client} />}
        <PhaseView snap={snap} client={client} />
      </>
    );
  }

  return (
    <div className="room" data-testid="room" data-phase={snap.room?.phase ?? "none"}>
      {body}
      <Toasts toasts={snap.toasts} onDismiss={(id) => client.dismissToast(id)} />
    </div>
  );
}

function PhaseView({ snap, client }: { snap: RoomSnapshot; client: RoomClient }) {
  const room = snap.room!;
  const me = snap.playerId!;
  const offset = clockOffset(snap.clockSamples);
  switch (room.phase) {
    case "lobby":
      return <Lobby room={room} me={me} client={client} />;
    case "drawing":
      return <DrawingRound room={room} me={me} snap={snap} client={client} offset={offset} />;
    case "gallery":
      return <Gallery room={room} me={me} client={client} drawings={snap.drawings} offset={offset} recognitions={snap.recognitions} />;
    case "results":
      return <Results room={room} me={me} drawings={snap.drawings} client={client} offset={offset} />;
  }
}

function Centered({ children }: { children: React.ReactNode }) {
  return <div className="centered">{children}</div>;
}

const fatalTitles: Record<Fatal["kind"], string> = {
  not_found: "Room not found",
  room_full: "This room is full",
  version: "A new version is out",
  kicked: "Disconnected",
  removed: "You were removed",
  bad_nickname: "Pick another nickname",
};

function FatalScreen({ fatal, onResume }: { fatal: Fatal; onResume?: () => void }) {
  return (
    <Centered>
      <section className="card narrow fatal" role="alert" data-testid={`fatal-${fatal.kind}`}>
        <h1 className="card-title">{fatalTitles[fatal.kind]}</h1>
        <p>{fatal.message}</p>
        <div className="row">
          {fatal.kind === "version" && (
            <button className="btn primary" onClick={() => window.location.reload()} data-testid="reload">
              Reload
            </button>
          )}
          {fatal.kind === "kicked" && onResume && (
            <button className="btn primary" onClick={onResume} data-testid="resume">
              Play here
            </button>
          )}
          <Link className={`btn ${fatal.kind === "version" || fatal.kind === "kicked" ? "" : "primary"}`} href="/" data-testid="go-home">
            {fatal.kind === "not_found" || fatal.kind === "room_full" ? "Create a new room" : "Home"}
          </Link>
        </div>
      </section>
    </Centered>
  );
}
