// Strokes the server has not acknowledged yet. Persisted (sessionStorage, per room) so a
// reload re-sends them; the server stores each stroke id once, so re-sending is safe.
import type { Stroke } from "../../protocol";
import type { SafeStore } from "./storage";

export type OutboxEntry = { roundId: string; stroke: Stroke };

function parse(raw: string | null): OutboxEntry[] {
  if (!raw) return [];
  try {
    const value: unknown = JSON.parse(raw);
    return Array.isArray(value)
      ? value.filter(
          (e): e is OutboxEntry =>
            typeof e?.roundId === "string" && typeof e?.stroke?.id === "string" && Array.isArray(e.stroke.points),
        )
      : [];
  } catch {
    return [];
  }
}

export class Outbox {
  private items: OutboxEntry[];
  /** False once persisting failed, so the page can say strokes would not survive a reload. */
  persisted = true;

  constructor(
    private readonly store: SafeStore,
    private readonly key: string,
  ) {
    this.items = parse(store.get(key));
  }

  get entries(): readonly OutboxEntry[] {
    return this.items;
  }

  has(strokeId: string): boolean {
    return this.items.some((e) => e.stroke.id === strokeId);
  }

  add(entry: OutboxEntry): void {
    if (this.has(entry.stroke.id)) return;
    this.items = [...this.items, entry];
    this.save();
  }

  remove(strokeId: string): void {
    this.replace(this.items.filter((e) => e.stroke.id !== strokeId));
  }

  removeRound(roundId: string): void {
    this.replace(this.items.filter((e) => e.roundId !== roundId));
  }

  removeAll(): void {
    this.replace([]);
  }

  private replace(next: OutboxEntry[]): void {
    if (next.length === this.items.length) return;
    this.items = next;
    this.save();
  }

  private save(): void {
    this.persisted = this.store.set(this.key, this.items.length ? JSON.stringify(this.items) : null);
  }
}
