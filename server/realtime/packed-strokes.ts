// Strokes as the server keeps them in memory: one flat Uint32Array per stroke instead of an array
// of [x, y, t] arrays. Nested arrays cost about 75 bytes a point in V8 (a full 300 x 500 drawing
// was 11 MiB); this is 8, and the JSON text players are sent is written straight from it.
import type { Point, Stroke } from "../../protocol";

/** Per point: x | y << 8 (both 0..255), then t (ms, up to 600,000). */
export type PackedStroke = { id: string; data: Uint32Array };

export function packStroke(stroke: Stroke): PackedStroke {
  const data = new Uint32Array(stroke.points.length * 2);
  stroke.points.forEach(([x, y, t], i) => {
    data[2 * i] = x | (y << 8);
    data[2 * i + 1] = t;
  });
  return { id: stroke.id, data };
}

/** The time of the stroke's first point: strokes are shown in that order. */
export const firstPointMs = (s: PackedStroke) => s.data[1]!;

export function unpackStroke(s: PackedStroke): Stroke {
  const points: Point[] = [];
  for (let i = 0; i < s.data.length; i += 2) points.push([s.data[i]! & 0xff, s.data[i]! >>> 8, s.data[i + 1]!]);
  return { id: s.id, points };
}

/** `JSON.stringify(unpackStroke(s))`, without building the arrays first. */
export function strokeJson(s: PackedStroke): string {
  const parts: string[] = [];
  for (let i = 0; i < s.data.length; i += 2) parts.push(`[${s.data[i]! & 0xff},${s.data[i]! >>> 8},${s.data[i + 1]!}]`);
  return `{"id":${JSON.stringify(s.id)},"points":[${parts.join(",")}]}`;
}
