// A process started by another (the server by npm, the fine-tune worker by the server) stops
// itself when that parent goes away without telling it: killed with SIGKILL, crashed, or a
// process manager that signalled only the top of the tree. Orphans are re-parented, so a changed
// process.ppid (read afresh on each access) is the sign.

/** Calls `onGone` once when this process's parent changes; returns a function that stops watching. */
export function watchParent(onGone: () => void, everyMs = 500): () => void {
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    onGone();
  }, everyMs);
  timer.unref(); // watching must never be what keeps a finished process alive
  return () => clearInterval(timer);
}
