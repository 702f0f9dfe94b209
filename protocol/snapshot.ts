// `drawings:snapshot` travels as UTF-8 JSON bytes (a binary attachment), not as a value: the server
// writes it from text it keeps per drawing and socket.io sends bytes as they are, where a value
// would be serialized afresh for every socket that joins (one full room was 19.5 MB each time).
import type { DrawingView, SnapshotBytes } from "./messages";

export function decodeSnapshot(bytes: SnapshotBytes): DrawingView[] {
  return JSON.parse(new TextDecoder().decode(bytes)) as DrawingView[];
}
