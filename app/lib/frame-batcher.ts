// Folds bursts of incoming events into one state update per frame: a player flooding strokes
// (up to the server's 30 a second each, times a room of players) must not make every other page
// re-render once per message.
export type FrameBatcher<T> = { push(item: T): void; flush(): void };

export function frameBatcher<T>(apply: (items: T[]) => void, schedule: (run: () => void) => void): FrameBatcher<T> {
  let items: T[] = [];
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    if (items.length === 0) return;
    const batch = items;
    items = [];
    apply(batch);
  };
  return {
    push(item) {
      items.push(item);
      if (scheduled) return;
      scheduled = true;
      schedule(flush);
    },
    flush,
  };
}

/** The next animation frame; a hidden tab gets no frames, so it catches up a few times a second. */
export function nextFrame(run: () => void): void {
  if (typeof requestAnimationFrame === "function" && typeof document !== "undefined" && document.visibilityState === "visible") {
    requestAnimationFrame(() => run());
  } else {
    setTimeout(run, 250);
  }
}
