"use client";
// Seconds left until a server-clock deadline, corrected for this device's clock offset.
import { countdownSeconds, remainingMs } from "../lib/clock";
import { useNow } from "../lib/hooks";

type Props = { deadline: number; offset: number; testId: string; urgentBelow?: number; className?: string };

export function Countdown({ deadline, offset, testId, urgentBelow = 5, className }: Props) {
  const now = useNow();
  const seconds = countdownSeconds(remainingMs(deadline, offset, now));
  return (
    <span
      className={`countdown ${seconds <= urgentBelow ? "urgent" : ""} ${className ?? ""}`}
      data-testid={testId}
      data-seconds={seconds}
      role="timer"
      aria-label={`${seconds} seconds left`}
    >
      {seconds}
    </span>
  );
}
