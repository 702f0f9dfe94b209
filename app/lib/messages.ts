// Protocol errors in words a player understands. The server's message is kept where it
// is already specific (e.g. which setting was out of range; every room_full says which limit).
import type { ErrorCode, ProtocolError } from "../../protocol";

const friendly: Partial<Record<ErrorCode, string>> = {
  rate_limited: "Whoa, slow down a little: too many messages at once.",
  storage_unavailable: "The server can't save drawings right now. Your strokes are kept here and re-sent.",
  not_found: "This room doesn't exist (any more).",
  internal: "Something went wrong on the server. Try again in a moment.",
  too_large: "That was too much to send at once.",
};

export function describeError(e: ProtocolError): string {
  return friendly[e.code] ?? (e.message || "Something went wrong.");
}

/**
 * Errors that a later re-send may get past; anything else means the stroke will never be
 * accepted. not_in_room: the seat is back after "play here".
 */
export const retryableCodes: ReadonlySet<ErrorCode> = new Set(["rate_limited", "storage_unavailable", "internal", "not_in_room"]);

/** socket.io's connect_error for a refused protocol version says so in its message. */
export function isVersionMismatch(message: string): boolean {
  return /version/i.test(message);
}
