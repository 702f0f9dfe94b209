"use client";
// Home: the doodles dance (the game in one look); pick a nickname and open a room, or go to a
// friend's room by its code.
import { useRouter } from "next/navigation";
import { useEffect, useId, useState, type FormEvent } from "react";
import { ROOM_CODE_LENGTH, roomCodeSchema } from "../../protocol";
import { loadNickname } from "../lib/storage";
import { HomeDance } from "./HomeDance";
import { NicknameForm } from "./NicknameForm";

export function HomePage() {
  const router = useRouter();
  const [nickname, setNickname] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [code, setCode] = useState("");
  const [codeError, setCodeError] = useState<string | null>(null);
  const codeId = useId();

  // localStorage only exists in the browser; read it after hydration.
  useEffect(() => setNickname(loadNickname()), []);

  async function create(name: string) {
    setBusy(true);
    setError(null);
    try {
      // Loaded on the click: socket.io is not needed to show the home page, and left out of its
      // scripts it no longer delays the dance's first frame.
      const { createRoom } = await import("../lib/socket-client");
      const room = await createRoom(name);
      router.push(`/r/${room.code}`);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
      setBusy(false);
    }
  }

  function join(e: FormEvent) {
    e.preventDefault();
    const parsed = roomCodeSchema.safeParse(code);
    if (!parsed.success) {
      setCodeError(`Room codes are ${ROOM_CODE_LENGTH} letters and digits, like K7QX2M.`);
      return;
    }
    router.push(`/r/${parsed.data}`);
  }

  return (
    <div className="home">
      <section className="hero">
        <div>
          <h1 className="hero-title">
            Draw fast.
            <br />
            <span className="highlight">Laugh together.</span>
          </h1>
          <p className="hero-sub">
            One word, a ticking clock, everyone drawing at once. Share a link, no sign-up, works on phones.
          </p>
        </div>
        <HomeDance />
      </section>

      <div className="home-cards">
        <section className="card tilt-left" aria-labelledby="create-title">
          <h2 id="create-title" className="card-title">
            Start a room
          </h2>
          {nickname === null ? (
            <p className="muted">Loading…</p>
          ) : (
            <NicknameForm initial={nickname} submitLabel="Create room" busy={busy} error={error} onSubmit={create} />
          )}
        </section>

        <section className="card tilt-right" aria-labelledby="join-title">
          <h2 id="join-title" className="card-title">
            Got a code?
          </h2>
          <form className="stack" onSubmit={join} noValidate>
            <label htmlFor={codeId} className="label">
              Room code
            </label>
            <div className="row">
              <input
                id={codeId}
                className="input grow code-input"
                value={code}
                onChange={(e) => setCode(e.target.value.toUpperCase())}
                maxLength={ROOM_CODE_LENGTH + 4}
                autoComplete="off"
                autoCapitalize="characters"
                spellCheck={false}
                placeholder="K7QX2M"
                data-testid="join-code-input"
                aria-invalid={codeError ? true : undefined}
              />
              <button className="btn" type="submit" data-testid="join-room">
                Join
              </button>
            </div>
            {codeError && (
              <p className="field-error" role="alert">
                {codeError}
              </p>
            )}
          </form>
        </section>
      </div>

      <section className="how" aria-labelledby="how-title">
        <h2 id="how-title" className="section-title">
          How it plays
        </h2>
        <ol className="steps">
          <li>
            <strong>Gather.</strong> Open a room and send the link. Up to 12 players.
          </li>
          <li>
            <strong>Doodle.</strong> Everyone gets the same word and a few seconds. Watch the others draw live.
          </li>
          <li>
            <strong>Compare.</strong> After each round, all doodles side by side. At the end, the whole gallery.
          </li>
        </ol>
      </section>
    </div>
  );
}
