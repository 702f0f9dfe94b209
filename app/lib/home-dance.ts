// The home page's dance, precomputed: loading tfjs and the model takes about a second, too long
// for the first thing a visitor sees, so scripts/make-home-dance.ts computes the frames once (the
// same morphs a room computes) and ships them as a small JSON asset. This module is its format:
// frames quantized to bytes and base64'd (packFrames, run by the script) and turned back into
// the DanceFrames and DanceDoodles that paintDance takes (unpackHomeDance, run by the page).
import type { Stroke } from "../../protocol";
import type { DanceDoodle, DanceFrames } from "./dance-frames";

export type HomeDanceDoodle = {
  /** The Quick, Draw! category, e.g. "cat". */
  word: string;
  /** Its key_id in the dataset, so anyone can find the original. */
  keyId: string;
  /** Shown while the dance is nearest to it, e.g. "a cat". */
  caption: string;
  /** Simplified strokes: [x, y] points in the 0..255 box. */
  strokes: [number, number][][];
};

export type HomeDanceAsset = {
  /** Credit for the doodles (CC BY 4.0 asks for it wherever they are shown). */
  attribution: string;
  /**
   * Where the frames came from: the model version (as the server names the shipped weights), the
   * commit the weights were trained at (their metadata.json) and the commit the asset was made at.
   */
  model: { version: string; trainedAt: string | null; madeAt: string | null };
  side: number;
  framesPerMorph: number;
  doodles: HomeDanceDoodle[];
  /** Every segment's frames, in order, each side * side bytes (ink 0..255), base64. */
  frames: string;
};

/** Ink maps (0..1) as bytes, base64: a quarter of float32's size and no visible loss (8-bit ink). */
export function packFrames(segments: readonly (readonly Float32Array[])[]): string {
  const maps = segments.flat();
  const bytes = new Uint8Array(maps.reduce((n, m) => n + m.length, 0));
  let o = 0;
  for (const map of maps) for (const v of map) bytes[o++] = Math.round(Math.min(1, Math.max(0, v)) * 255);
  // In slices: String.fromCharCode takes its bytes as arguments, and an argument list has a limit.
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** The asset as paintDance's source: one segment per doodle (doodle i morphing into i + 1). */
export function unpackHomeDance(asset: HomeDanceAsset): { frames: DanceFrames; doodles: DanceDoodle[] } {
  const { side, framesPerMorph: perMorph, doodles } = asset;
  const binary = atob(asset.frames);
  const area = side * side;
  if (binary.length !== doodles.length * perMorph * area) {
    throw new Error(`home dance: ${binary.length} bytes of frames for ${doodles.length} doodles of ${perMorph} ${side}x${side} frames`);
  }
  const ink = new Float32Array(binary.length);
  for (let i = 0; i < binary.length; i++) ink[i] = binary.charCodeAt(i) / 255;
  const segments = doodles.map((_, s) => Array.from({ length: perMorph }, (_, f) => ink.subarray((s * perMorph + f) * area, (s * perMorph + f + 1) * area)));
  return {
    frames: { side, count: doodles.length, segments, pens: new Map(), timings: { encodeMs: 0, firstSegmentMs: 0, allMs: 0, segmentMs: [], serverCodes: 0 } },
    doodles: doodles.map((d): DanceDoodle => ({
      key: `quickdraw/${d.keyId}`,
      caption: d.caption,
      strokes: d.strokes.map((points, i): Stroke => ({ id: `${d.keyId}-${i}`, points: points.map(([x, y]) => [x, y, 0]) })),
    })),
  };
}
