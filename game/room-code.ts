import { ROOM_CODE_ALPHABET, ROOM_CODE_LENGTH } from "../protocol/limits";

/** A room code from uniform random bytes (the server passes crypto randomness). */
export function makeRoomCode(randomBytes: Uint8Array): string {
  if (randomBytes.length < ROOM_CODE_LENGTH) throw new Error("not enough random bytes for a room code");
  let code = "";
  for (let i = 0; i < ROOM_CODE_LENGTH; i++) {
    // 31 letters: the modulo bias over a byte is < 1%, irrelevant for a 6-letter code.
    code += ROOM_CODE_ALPHABET[randomBytes[i]! % ROOM_CODE_ALPHABET.length];
  }
  return code;
}
