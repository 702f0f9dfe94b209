// A GIF decoder for tests, written from the GIF89a spec independently of app/lib/gif.ts's encoder:
// it walks every block and decodes each frame's LZW data back to palette indices.

export type DecodedGif = {
  header: string;
  width: number;
  height: number;
  palette: number[][];
  /** NETSCAPE2.0 loop count (0 = forever), or null without the extension. */
  loops: number | null;
  frames: { delayCs: number; indices: Uint8Array }[];
};

export function decodeGif(bytes: Uint8Array): DecodedGif {
  let p = 0;
  const u8 = () => {
    if (p >= bytes.length) throw new Error("GIF ends early");
    return bytes[p++] as number;
  };
  const u16 = () => u8() | (u8() << 8);
  const header = String.fromCharCode(...bytes.subarray(0, 6));
  if (header !== "GIF89a" && header !== "GIF87a") throw new Error(`not a GIF: ${header}`);
  p = 6;
  const width = u16(), height = u16(), packed = u8();
  u8();
  u8();
  const palette: number[][] = [];
  if (packed & 0x80) for (let i = 0; i < 1 << ((packed & 7) + 1); i++) palette.push([u8(), u8(), u8()]);
  const subBlocks = () => {
    const parts: number[] = [];
    for (let n = u8(); n > 0; n = u8()) for (let i = 0; i < n; i++) parts.push(u8());
    return Uint8Array.from(parts);
  };
  let loops: number | null = null, delayCs = 0;
  const frames: DecodedGif["frames"] = [];
  for (;;) {
    const block = u8();
    if (block === 0x3b) break;
    if (block === 0x21) {
      const label = u8();
      const data = subBlocks();
      if (label === 0xf9) delayCs = (data[1] as number) | ((data[2] as number) << 8);
      if (label === 0xff && String.fromCharCode(...data.subarray(0, 11)) === "NETSCAPE2.0") {
        // The identifier and the loop data are separate sub-blocks; subBlocks joined them.
        loops = (data[13] as number) | ((data[14] as number) << 8);
      }
      continue;
    }
    if (block !== 0x2c) throw new Error(`unknown block 0x${block.toString(16)} at ${p - 1}`);
    u16();
    u16();
    const fw = u16(), fh = u16(), fpacked = u8();
    if (fpacked & 0x80) p += 3 * (1 << ((fpacked & 7) + 1));
    const minCodeSize = u8();
    frames.push({ delayCs, indices: unLzw(subBlocks(), minCodeSize, fw * fh) });
  }
  return { header, width, height, palette, loops, frames };
}

function unLzw(data: Uint8Array, minCodeSize: number, pixels: number): Uint8Array {
  const clear = 1 << minCodeSize, eoi = clear + 1;
  const out = new Uint8Array(pixels);
  let o = 0, bitPos = 0;
  let size = minCodeSize + 1;
  let dict: number[][] = [];
  const resetDict = () => {
    dict = Array.from({ length: clear + 2 }, (_, i) => [i]);
    size = minCodeSize + 1;
  };
  resetDict();
  let prev: number[] | null = null;
  for (;;) {
    if (bitPos + size > data.length * 8) throw new Error("LZW data ends without an end code");
    let code = 0;
    for (let b = 0; b < size; b++, bitPos++) code |= (((data[bitPos >> 3] as number) >> (bitPos & 7)) & 1) << b;
    if (code === clear) {
      resetDict();
      prev = null;
      continue;
    }
    if (code === eoi) break;
    let entry: number[];
    if (code < dict.length) entry = dict[code]!;
    else if (code === dict.length && prev) entry = [...prev, prev[0]!];
    else throw new Error(`bad LZW code ${code}`);
    if (prev && dict.length < 4096) dict.push([...prev, entry[0]!]);
    for (const v of entry) {
      if (o >= pixels) throw new Error("too many pixels");
      out[o++] = v;
    }
    prev = entry;
    if (dict.length === 1 << size && size < 12) size++;
  }
  if (o !== pixels) throw new Error(`frame has ${o} of ${pixels} pixels`);
  return out;
}
