// A process started by another (the server by npm, the fine-tune worker by the server) stops
// itself when that parent goes away without telling it: killed with SIGKILL, crashed, or a
// process manager that signalled only the top of the tree. Orphans are re-parented, so a changed
// process.ppid (read afresh on each access) is the sign.

/**
 * The parent to watch: the pid a spawning parent of ours passes (PARENT_PID_ENV), else the parent
 * when this module loaded. Not the parent when watching starts: a process that watches only after
 * its start-up (connecting, migrating) would take an orphan's new parent for its own if the real
 * one died meanwhile, and never stop.
 */
export const PARENT_PID_ENV = "DOODLE_PARENT_PID";
const firstParent = Number(process.env[PARENT_PID_ENV]) || process.ppid;

/** Calls `onGone` once when this process's parent is no longer the first one; returns a function that stops watching. */
export function watchParent(onGone: () => void, everyMs = 500): () => void {
  const timer = setInterval(() => {
    if (process.ppid === firstParent) return;
    clearInterval(timer);
    onGone();
  }, everyMs);
  timer.unref(); // watching must never be what keeps a finished process alive
  return () => clearInterval(timer);
}
