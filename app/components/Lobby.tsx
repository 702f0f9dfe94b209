"use client";
// Lobby: who's here, the link to share, and the host's settings and start button.
import { useEffect, useId, useState } from "react";
import {
  MAX_PLAYERS_PER_ROOM,
  ROUNDS_MAX,
  ROUNDS_MIN,
  ROUND_SECONDS_MAX,
  ROUND_SECONDS_MIN,
  type RoomView,
  type Settings,
} from "../../protocol";
import type { RoomClient } from "../lib/socket-client";
import { PlayerList } from "./PlayerList";
import { WatchersList } from "./Watching";
import { SCORING_EXPLAINED } from "../../game/scoring";
import { inviteLinks, type InviteInfo, type InviteLinks } from "../lib/invite";

const roundChoices = Array.from({ length: ROUNDS_MAX - ROUNDS_MIN + 1 }, (_, i) => ROUNDS_MIN + i);
const secondChoices = Array.from(
  { length: Math.floor((ROUND_SECONDS_MAX - ROUND_SECONDS_MIN) / 5) + 1 },
  (_, i) => ROUND_SECONDS_MIN + i * 5,
);

export function Lobby({ room, me, client }: { room: RoomView; me: string; client: RoomClient }) {
  const isHost = room.players.find((p) => p.id === me)?.isHost ?? false;
  const isPlayer = room.players.some((p) => p.id === me);
  const host = room.players.find((p) => p.isHost);
  const [starting, setStarting] = useState(false);

  async function start() {
    setStarting(true);
    await client.startGame();
    setStarting(false);
  }

  return (
    <div className="lobby">
      <section className="card" aria-labelledby="players-title">
        <h2 id="players-title" className="card-title">
          Players <span className="count">{room.players.length}/{MAX_PLAYERS_PER_ROOM}</span>
        </h2>
        {/* Spectators don't vote. */}
        <PlayerList players={room.players} me={me} onVoteKick={isPlayer ? (id) => client.voteKick(id) : undefined} />
        <WatchersList spectators={room.spectators} />
        {room.players.length < 2 && <p className="muted">Send the link to your friends; they'll pop up here.</p>}
        <p className="muted scoring-rules" data-testid="scoring-rules">Scoring: {SCORING_EXPLAINED}</p>
      </section>

      <div className="stack">
        <ShareLink code={room.code} />
        <section className="card" aria-labelledby="settings-title">
          <h2 id="settings-title" className="card-title">
            Game settings
          </h2>
          {isHost ? (
            <SettingsForm settings={room.settings} client={client} />
          ) : (
            <dl className="settings-read">
              <dt>Rounds</dt>
              <dd data-testid="settings-rounds-value">{room.settings.rounds}</dd>
              <dt>Seconds per round</dt>
              <dd data-testid="settings-seconds-value">{room.settings.roundSeconds} s</dd>
            </dl>
          )}
          {isHost ? (
            <button className="btn primary big" onClick={start} disabled={starting} data-testid="start-game">
              {starting ? "Starting…" : "Start game"}
            </button>
          ) : (
            <p className="waiting-host" data-testid="waiting-for-host">
              Waiting for {host ? <strong>{host.nickname}</strong> : "the host"} to start…
            </p>
          )}
        </section>
      </div>
    </div>
  );
}

function SettingsForm({ settings, client }: { settings: Settings; client: RoomClient }) {
  // Shows the choice at once; the server's next room:state confirms (or reverts) it.
  const [draft, setDraft] = useState<Settings | null>(null);
  const shown = draft ?? settings;
  const roundsId = useId();
  const secondsId = useId();

  async function change(next: Settings) {
    setDraft(next);
    await client.updateSettings(next);
    setDraft(null);
  }

  const seconds = secondChoices.includes(shown.roundSeconds) ? secondChoices : [...secondChoices, shown.roundSeconds].sort((a, b) => a - b);
  return (
    <div className="settings">
      <label htmlFor={roundsId} className="label">
        Rounds
      </label>
      <select
        id={roundsId}
        className="input"
        value={shown.rounds}
        onChange={(e) => change({ ...shown, rounds: Number(e.target.value) })}
        data-testid="settings-rounds"
      >
        {roundChoices.map((n) => (
          <option key={n} value={n}>
            {n}
          </option>
        ))}
      </select>
      <label htmlFor={secondsId} className="label">
        Seconds per round
      </label>
      <select
        id={secondsId}
        className="input"
        value={shown.roundSeconds}
        onChange={(e) => change({ ...shown, roundSeconds: Number(e.target.value) })}
        data-testid="settings-seconds"
      >
        {seconds.map((n) => (
          <option key={n} value={n}>
            {n} s
          </option>
        ))}
      </select>
    </div>
  );
}

function ShareLink({ code }: { code: string }) {
  const [links, setLinks] = useState<InviteLinks>({ link: `/r/${code}`, sameNetwork: [] });
  const url = links.link;
  const [copied, setCopied] = useState(false);
  const id = useId();
  useEffect(() => {
    let live = true;
    const show = (info: InviteInfo | null) => live && setLinks(inviteLinks(window.location.origin, code, info));
    show(null);
    fetch("/api/invite")
      .then((res) => (res.ok ? (res.json() as Promise<InviteInfo>) : null))
      .then(show, () => {}); // without the server's word, the page's own address is the link
    return () => {
      live = false;
    };
  }, [code]);
  useEffect(() => {
    if (!copied) return;
    const t = setTimeout(() => setCopied(false), 2_000);
    return () => clearTimeout(t);
  }, [copied]);

  async function copy() {
    try {
      await navigator.clipboard.writeText(url);
    } catch {
      // Clipboard API needs a secure context; fall back to the selected-text copy.
      const input = document.getElementById(id) as HTMLInputElement | null;
      input?.select();
      document.execCommand("copy");
    }
    setCopied(true);
  }

  return (
    <section className="card share" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} className="card-title">
        Invite friends
      </h2>
      <label htmlFor={id} className="label">
        Share this link (or the code <strong className="code">{code}</strong>)
      </label>
      <div className="row">
        <input id={id} className="input grow mono" readOnly value={url} onFocus={(e) => e.target.select()} data-testid="share-link" />
        <button className="btn" onClick={copy} data-testid="copy-link" aria-live="polite">
          {copied ? "Copied!" : "Copy"}
        </button>
      </div>
      {links.sameNetwork.length > 0 && (
        <p className="muted" data-testid="lan-links">
          &ldquo;localhost&rdquo; only works on this computer. A friend on the same Wi-Fi opens{" "}
          {links.sameNetwork.map((link, i) => (
            <span key={link}>
              {i > 0 && " or "}
              <strong className="mono">{link}</strong>
            </span>
          ))}
        </p>
      )}
    </section>
  );
}
