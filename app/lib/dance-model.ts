// The dance model in the browser: loaded in the background as soon as a player enters a room,
// cached in IndexedDB under its version (the next visit skips the download), and swapped for a
// new version when the server announces one (`model:active`); a dance already computed keeps
// the frames it has, the next dance uses the new model. One store per page; components read it
// with useSyncExternalStore.
import type { ModelVersionView } from "../../protocol";
import type { DoodleModel } from "../../model/inference";
import { tfBackend, type BackendName } from "./tf-backend";

export type ModelState = "idle" | "loading" | "ready" | "unavailable";

export type DanceModelStatus = {
  state: ModelState;
  version: string | null;
  backend: BackendName | null;
  /** 0..1 of the alpha-GAN's download (1 at once from the cache). */
  progress: number;
  /** Loaded from IndexedDB rather than the network. */
  fromCache: boolean;
  /** Milliseconds from the start of loading to ready. */
  loadMs: number | null;
  /** Why the model can't run here, in words a player can read. */
  message: string | null;
};

type Net = "alpha-gan" | "ae";

const IDB_PREFIX = "indexeddb://doodle-dance";
const idbKey = (version: string, net: Net, part: string) => `${IDB_PREFIX}/${version}/${net}/${part}`;

/** Devices reporting less memory than this (GB, navigator.deviceMemory) don't run the model. */
const MIN_DEVICE_MEMORY_GB = 1;

class DanceModelStore {
  private status: DanceModelStatus = { state: "idle", version: null, backend: null, progress: 0, fromCache: false, loadMs: null, message: null };
  private listeners = new Set<() => void>();
  private models = new Map<string, Promise<DoodleModel>>();
  private active: ModelVersionView | null = null;

  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };
  getSnapshot = (): DanceModelStatus => this.status;
  getServerSnapshot = (): DanceModelStatus => this.status;

  private set(patch: Partial<DanceModelStatus>): void {
    this.status = { ...this.status, ...patch };
    for (const fn of this.listeners) fn();
  }

  /** Starts loading the version the server names now (GET /api/models/active), once per page. */
  async start(): Promise<void> {
    if (this.status.state !== "idle") return;
    this.set({ state: "loading" });
    try {
      const res = await fetch("/api/models/active", { cache: "no-store" });
      if (!res.ok) throw new Error(`the server has no model (HTTP ${res.status})`);
      const view = (await res.json()) as ModelVersionView;
      // A `model:active` push may have come first; it is newer.
      if (!this.active) await this.use(view);
    } catch (err) {
      this.fail(err);
    }
  }

  /** Switches to `view` (a publish or rollback): loads it; the next dance uses it. */
  async use(view: ModelVersionView): Promise<void> {
    if (this.active?.version === view.version && this.status.state !== "unavailable") return;
    this.active = view;
    const started = performance.now();
    this.set({ state: "loading", version: view.version, progress: 0, message: null });
    try {
      const off = new URLSearchParams(window.location.search).get("model") === "off";
      const memory = (navigator as Navigator & { deviceMemory?: number }).deviceMemory;
      if (off || (memory !== undefined && memory < MIN_DEVICE_MEMORY_GB)) {
        throw new Error(off ? "the dance model is switched off for this page" : `this device reports ${memory} GB of memory`);
      }
      const { backend } = await tfBackend();
      this.set({ backend });
      const { fromCache } = await this.load(view, "alpha-gan", (p) => this.active === view && this.set({ progress: p }));
      if (this.active !== view) return;
      this.set({ state: "ready", progress: 1, fromCache, loadMs: Math.round(performance.now() - started) });
      void this.forgetOtherVersions(view.version);
    } catch (err) {
      if (this.active === view) this.fail(err);
    }
  }

  private fail(err: unknown): void {
    const why = err instanceof Error ? err.message : String(err);
    this.set({ state: "unavailable", message: `Your browser can't run the dance model: ${why}.` });
  }

  /** The model of the active version for `net`; the AE (the comparison) loads on first use. */
  async model(net: Net = "alpha-gan"): Promise<DoodleModel> {
    if (!this.active || this.status.state !== "ready") throw new Error("the dance model is not ready");
    return this.load(this.active, net);
  }

  private load(view: ModelVersionView, net: Net, onProgress?: (p: number) => void): Promise<DoodleModel & { fromCache: boolean }> {
    const key = `${view.version}/${net}`;
    let loading = this.models.get(key) as Promise<DoodleModel & { fromCache: boolean }> | undefined;
    if (!loading) {
      loading = loadCached(view, net, onProgress);
      loading.catch(() => this.models.delete(key));
      this.models.set(key, loading);
    }
    return loading;
  }

  /** Drops other versions from IndexedDB, so old weights don't pile up in the browser. */
  private async forgetOtherVersions(version: string): Promise<void> {
    try {
      const { tf } = await tfBackend();
      const stored = await tf.io.listModels();
      for (const url of Object.keys(stored)) {
        if (url.startsWith(`${IDB_PREFIX}/`) && !url.startsWith(`${IDB_PREFIX}/${version}/`)) await tf.io.removeModel(url);
      }
    } catch {
      // Housekeeping only.
    }
  }
}

/** Loads both parts of `net`, each from IndexedDB if stored there, else from the server (then stores it). */
async function loadCached(view: ModelVersionView, net: Net, onProgress?: (p: number) => void) {
  const { tf } = await tfBackend();
  const { loadDoodleModel } = await import("../../model/inference");
  const parts = { encoder: 0, generator: 0 };
  let fromCache = true;
  const model = await loadDoodleModel(view.files, net, async (url, part) => {
    try {
      const cached = await tf.loadLayersModel(idbKey(view.version, net, part));
      parts[part] = 1;
      onProgress?.((parts.encoder + parts.generator) / 2);
      return cached;
    } catch {
      fromCache = false;
    }
    const fetched = await tf.loadLayersModel(url, {
      onProgress: (p: number) => {
        parts[part] = p;
        onProgress?.((parts.encoder + parts.generator) / 2);
      },
    });
    // Private windows and full disks refuse IndexedDB; the model still runs, just uncached.
    fetched.save(idbKey(view.version, net, part)).catch(() => {});
    return fetched;
  });
  return { ...model, fromCache };
}

export const danceModel = new DanceModelStore();
