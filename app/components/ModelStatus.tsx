"use client";
// Which dance model this page runs and how far it has loaded. Loading starts as soon as the
// player is in a room, so the model is ready when the first round ends; `model:active` from
// the server switches versions for the next dance.
import { useEffect, useSyncExternalStore } from "react";
import type { ModelVersionView } from "../../protocol";
import { danceModel } from "../lib/dance-model";

const BACKEND_NAMES = { webgpu: "WebGPU", webgl: "WebGL", wasm: "WebAssembly", cpu: "CPU" } as const;

export function ModelStatus({ announced }: { announced: ModelVersionView | null }) {
  const s = useSyncExternalStore(danceModel.subscribe, danceModel.getSnapshot, danceModel.getServerSnapshot);
  useEffect(() => void danceModel.start(), []);
  useEffect(() => {
    if (announced) void danceModel.use(announced);
  }, [announced]);

  const state = s.state === "idle" ? "loading" : s.state;
  // Players see whether the dance is ready; how it runs (backend, cache, version) is on hover, for the curious.
  const details = [
    s.backend ? `Runs on ${BACKEND_NAMES[s.backend]} in this browser` : null,
    s.fromCache ? "loaded from this browser's cache" : null,
    s.version ? `model ${s.version}` : null,
  ].filter(Boolean).join(", ");
  return (
    <p
      className={`model-status ${state}`}
      data-testid="model-status"
      data-state={state}
      data-version={s.version ?? ""}
      data-backend={s.backend ?? ""}
      data-from-cache={s.fromCache ? "true" : "false"}
      data-load-ms={s.loadMs ?? ""}
      title={details || undefined}
    >
      {state === "loading" && (
        <>
          Getting the dance ready <progress max={1} value={s.progress} aria-label="Dance download" /> {Math.round(s.progress * 100)}%
        </>
      )}
      {state === "ready" && <>Ready: the doodles dance after each round.</>}
      {state === "unavailable" && <>{s.message ?? "The dance can't run in this browser."} You'll still see everyone's doodles.</>}
    </p>
  );
}
