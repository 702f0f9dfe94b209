// Node-only: grayscale PNGs of bitmaps (ink = 1 drawn black on white), for evaluation grids.
import { deflateSync } from "node:zlib";

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = (CRC_TABLE[(c ^ b) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** 8-bit grayscale PNG of width x height gray levels (0 = black). */
export function encodeGrayPng(gray: Uint8Array, width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // grayscale
  const raw = Buffer.alloc((width + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width + 1)] = 0; // filter: none
    raw.set(gray.subarray(y * width, (y + 1) * width), y * (width + 1) + 1);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr), chunk("IDAT", deflateSync(raw)), chunk("IEND", Buffer.alloc(0)),
  ]);
}

/**
 * A grid of bitmaps (rows of images, each size x size, ink 0..1), scaled up `zoom` times, with a
 * 1-pixel gray gutter; ink is drawn black on white.
 */
export function gridPng(rows: Float32Array[][], size: number, zoom = 3): Buffer {
  const cols = Math.max(...rows.map((r) => r.length));
  const cell = size * zoom + 1;
  const width = cols * cell + 1, height = rows.length * cell + 1;
  const gray = new Uint8Array(width * height).fill(160);
  rows.forEach((row, r) => row.forEach((img, c) => {
    for (let y = 0; y < size * zoom; y++) {
      for (let x = 0; x < size * zoom; x++) {
        const v = img[Math.floor(y / zoom) * size + Math.floor(x / zoom)] as number;
        gray[(r * cell + 1 + y) * width + c * cell + 1 + x] = Math.round(255 * (1 - Math.min(1, Math.max(0, v))));
      }
    }
  }));
  return encodeGrayPng(gray, width, height);
}
