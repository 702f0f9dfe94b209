// Server clock estimate. Each RoomView carries serverNow; the local receive time is later
// than the send by the one-way latency, so serverNow - receivedAt underestimates the true
// offset by that latency. The largest recent sample is the one with the least delay.

const SAMPLES_KEPT = 8;

export type ClockSamples = readonly number[];

/** Adds one (serverNow, local receive time) observation; keeps the newest few. */
export function addClockSample(samples: ClockSamples, serverNow: number, receivedAt: number): number[] {
  return [...samples, serverNow - receivedAt].slice(-SAMPLES_KEPT);
}

/** Milliseconds to add to the local clock to read the server's clock. */
export function clockOffset(samples: ClockSamples): number {
  return samples.length ? Math.max(...samples) : 0;
}

/** Milliseconds left until serverDeadline, never negative. */
export function remainingMs(serverDeadline: number, offset: number, localNow: number): number {
  return Math.max(0, serverDeadline - (localNow + offset));
}

/** Whole seconds to show on a countdown: 0.2 s left still reads "1". */
export function countdownSeconds(msLeft: number): number {
  return Math.ceil(msLeft / 1000);
}
