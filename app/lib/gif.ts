// A small animated GIF (GIF89a) encoder: one global palette, LZW-compressed frames, loops
// forever. Enough for exporting the dance (a few grey levels between paper and ink), with no
// dependency. Pure TS: runs in the browser and in Node tests.

export type Rgb = readonly [number, number, number];

export interface GifFrame {
  /** width * height palette indices, row-major. */
  indices: Uint8Array;
  /** How long the frame shows, in ms (GIF stores hundredths of a second; at least 20 ms). */
  delayMs: number;
}

export interface GifOptions {
  width: number;
  height: number;
  /** 2 to 256 colours; padded to a power of two. */
  palette: readonly Rgb[];
  frames: readonly GifFrame[];
}

/** Growable byte buffer. */
class Bytes {
  private buf = new Uint8Array(1 << 16);
  length = 0;
  byte(b: number): void {
    if (this.length === this.buf.length) {
      const bigger = new Uint8Array(this.buf.length * 2);
      bigger.set(this.buf);
      this.buf = bigger;
    }
    this.buf[this.length++] = b;
  }
  u16(v: number): void {
    this.byte(v & 0xff);
    this.byte((v >> 8) & 0xff);
  }
  text(s: string): void {
    for (let i = 0; i < s.length; i++) this.byte(s.charCodeAt(i));
  }
  result(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

export function encodeGif(opts: GifOptions): Uint8Array {
  const { width, height, palette, frames } = opts;
  if (palette.length < 2 || palette.length > 256) throw new Error("a GIF palette has 2 to 256 colours");
  if (width < 1 || height < 1 || width > 0xffff || height > 0xffff) throw new Error("bad GIF size");
  // Palette size 2^(bits); LZW codes start at bits + 1 (at least 2, as the format requires).
  const bits = Math.max(1, Math.ceil(Math.log2(palette.length)));
  const out = new Bytes();
  out.text("GIF89a");
  out.u16(width);
  out.u16(height);
  out.byte(0x80 | 0x70 | (bits - 1)); // global colour table, 8-bit colour resolution, its size
  out.byte(0); // background colour index
  out.byte(0); // pixel aspect ratio: unspecified
  for (let i = 0; i < 1 << bits; i++) {
    const c = palette[i] ?? [0, 0, 0];
    out.byte(c[0]);
    out.byte(c[1]);
    out.byte(c[2]);
  }
  // NETSCAPE2.0 application extension: loop forever.
  out.byte(0x21);
  out.byte(0xff);
  out.byte(11);
  out.text("NETSCAPE2.0");
  out.byte(3);
  out.byte(1);
  out.u16(0);
  out.byte(0);
  for (const frame of frames) {
    if (frame.indices.length !== width * height) throw new Error("a GIF frame must have width * height pixels");
    // Graphic control extension: no disposal, delay, no transparency.
    out.byte(0x21);
    out.byte(0xf9);
    out.byte(4);
    out.byte(0);
    out.u16(Math.max(2, Math.round(frame.delayMs / 10)));
    out.byte(0);
    out.byte(0);
    // Image descriptor: the whole canvas, no local palette, not interlaced.
    out.byte(0x2c);
    out.u16(0);
    out.u16(0);
    out.u16(width);
    out.u16(height);
    out.byte(0);
    const minCodeSize = Math.max(2, bits);
    out.byte(minCodeSize);
    writeSubBlocks(out, lzw(frame.indices, minCodeSize));
  }
  out.byte(0x3b);
  return out.result();
}

function writeSubBlocks(out: Bytes, data: Uint8Array): void {
  for (let i = 0; i < data.length; i += 255) {
    const n = Math.min(255, data.length - i);
    out.byte(n);
    for (let k = 0; k < n; k++) out.byte(data[i + k] as number);
  }
  out.byte(0);
}

/** GIF's variable-width LZW (codes up to 12 bits, LSB-first), with a clear code when the table fills. */
export function lzw(indices: Uint8Array, minCodeSize: number): Uint8Array {
  const clear = 1 << minCodeSize, eoi = clear + 1;
  const out = new Bytes();
  let acc = 0, accBits = 0;
  let codeSize = minCodeSize + 1;
  const emit = (code: number) => {
    acc |= code << accBits;
    accBits += codeSize;
    while (accBits >= 8) {
      out.byte(acc & 0xff);
      acc >>>= 8;
      accBits -= 8;
    }
  };
  // (prefix code << 8 | next index) -> code; -1 = absent.
  const table = new Int16Array(4096 * 256).fill(-1);
  const used: number[] = [];
  let next = eoi + 1;
  const reset = () => {
    for (const k of used) table[k] = -1;
    used.length = 0;
    next = eoi + 1;
    codeSize = minCodeSize + 1;
  };
  emit(clear);
  if (indices.length === 0) {
    emit(eoi);
  } else {
    let prefix = indices[0] as number;
    for (let i = 1; i < indices.length; i++) {
      const k = indices[i] as number;
      const key = (prefix << 8) | k;
      const found = table[key] as number;
      if (found >= 0) {
        prefix = found;
        continue;
      }
      emit(prefix);
      if (next === 4096) {
        emit(clear);
        reset();
      } else {
        // The decoder widens its codes once its table reaches 2^codeSize; it adds each entry one
        // code later than we do, so we widen when `next` reaches that size, before adding.
        if (next >= 1 << codeSize) codeSize++;
        table[key] = next++;
        used.push(key);
      }
      prefix = k;
    }
    emit(prefix);
    emit(eoi);
  }
  if (accBits > 0) out.byte(acc & 0xff);
  return out.result();
}

/**
 * Maps coverage (0 = paper, 1 = ink) to the nearest of `levels` palette entries that run evenly
 * from paper to ink; with `grayPalette(levels)` this is the GIF's frame data.
 */
export function coverageToIndices(coverage: Float32Array, levels: number, out = new Uint8Array(coverage.length)): Uint8Array {
  const top = levels - 1;
  for (let i = 0; i < coverage.length; i++) {
    const c = coverage[i] as number;
    out[i] = Math.round((c <= 0 ? 0 : c >= 1 ? 1 : c) * top);
  }
  return out;
}

/** `levels` colours from paper (index 0) to ink (last). */
export function inkPalette(levels: number, paper: Rgb, ink: Rgb): Rgb[] {
  return Array.from({ length: levels }, (_, i) => {
    const t = i / (levels - 1);
    return [0, 1, 2].map((c) => Math.round(paper[c]! + t * (ink[c]! - paper[c]!))) as unknown as Rgb;
  });
}
