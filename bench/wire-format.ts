// Would packing the points pay? Measures, for the strokes and live batches players send, the bytes
// of the socket.io packet as it goes on the wire today (JSON text) against points packed into a
// compact string (first point absolute, then zigzag deltas as base64url varints), and what packing
// costs in CPU: the sender encodes, the server must decode (to validate, store and cap the ink),
// each receiver decodes. Pure CPU, one process: no server, no network.
//
//   nice -n 5 npx tsx bench/wire-format.ts
import { performance } from "node:perf_hooks";
import { Encoder } from "socket.io-parser";
import { flatPoints, type Point, type Stroke } from "../protocol";
import { seededRandom, type Random } from "../common/random";

const DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < DIGITS.length; i++) VALUE[DIGITS.charCodeAt(i)] = i;

/** Flat x,y,t,... as base64url varints of zigzag deltas (5 bits a digit, the 6th says "more"). */
function pack(flat: readonly number[]): string {
  let out = "";
  const previous = [0, 0, 0];
  for (let i = 0; i < flat.length; i++) {
    const delta = flat[i]! - previous[i % 3]!;
    previous[i % 3] = flat[i]!;
    let z = delta >= 0 ? delta * 2 : -delta * 2 - 1;
    while (z >= 32) {
      out += DIGITS[32 | (z & 31)];
      z >>>= 5;
    }
    out += DIGITS[z];
  }
  return out;
}

function unpack(packed: string): number[] {
  const flat: number[] = [];
  const previous = [0, 0, 0];
  let z = 0, shift = 0;
  for (let i = 0; i < packed.length; i++) {
    const v = VALUE[packed.charCodeAt(i)]!;
    if (v < 0) throw new Error("not a packed point list");
    z |= (v & 31) << shift;
    if (v & 32) {
      shift += 5;
      continue;
    }
    const k = flat.length % 3;
    previous[k] = previous[k]! + (z & 1 ? -(z + 1) / 2 : z / 2);
    flat.push(previous[k]!);
    z = shift = 0;
  }
  return flat;
}

/** A hand-drawn path: small steps, a point every 16 ms, late in a round (6-digit times). */
function handPoints(n: number, random: Random, t0: number): Point[] {
  let x = 128, y = 128;
  return Array.from({ length: n }, (_, i): Point => {
    x = Math.min(255, Math.max(0, x + Math.floor(random() * 9) - 4));
    y = Math.min(255, Math.max(0, y + Math.floor(random() * 9) - 4));
    return [x, y, t0 + i * 16];
  });
}

const encoder = new Encoder();
/** Bytes of the socket.io packet for an event, as engine.io sends it (one text frame, plus the "4" message type). */
const wireBytes = (event: string, payload: unknown) =>
  (encoder.encode({ type: 2, nsp: "/", data: [event, payload] })[0] as string).length + 1;

function time(what: () => unknown, rounds = 20_000): number {
  for (let i = 0; i < 1000; i++) what();
  const start = performance.now();
  for (let i = 0; i < rounds; i++) what();
  return ((performance.now() - start) * 1000) / rounds;
}

const random = seededRandom(7);
const cases = [
  { name: "finished stroke, 30 points (the steady pattern's size)", points: handPoints(30, random, 60_000) },
  { name: "finished stroke, 125 points (a 2 s stroke)", points: handPoints(125, random, 60_000) },
  { name: "live batch, 2 points (33 ms of drawing)", points: handPoints(2, random, 60_000) },
];
const ids = { roundId: "0f8c1b7e-6d3a-4c59-9e21-3a7d2b8c4f10", playerId: "5b2e9d14-8a7c-4e3f-b6d1-2c9a7e4f8b03" };
const strokeId = "k3j9x2m7q8w4r5t6";

console.log("| message | JSON bytes | packed bytes | saved | pack µs (sender) | unpack µs (server, and each receiver) |");
console.log("|---|---|---|---|---|---|");
for (const c of cases) {
  const live = c.points.length <= 4;
  const flat = flatPoints(c.points);
  const packed = pack(flat);
  if (unpack(packed).join() !== flat.join()) throw new Error("pack/unpack lost points");
  const [json, compact] = live
    ? [wireBytes("ink:live", [ids.playerId, strokeId, 0, flat]), wireBytes("ink:live", [ids.playerId, strokeId, 0, packed])]
    : [
        wireBytes("stroke:added", { ...ids, stroke: { id: strokeId, points: c.points } satisfies Stroke }),
        wireBytes("stroke:added", { ...ids, stroke: { id: strokeId, points: packed } }),
      ];
  const packUs = time(() => pack(flat));
  const unpackUs = time(() => unpack(packed));
  console.log(
    `| ${c.name} | ${json} | ${compact} | ${(100 - (compact / json) * 100).toFixed(0)} % | ${packUs.toFixed(2)} | ${unpackUs.toFixed(2)} |`,
  );
}
