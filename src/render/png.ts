/**
 * Compact PNGs of drawings: RGBA pixels reduced to a palette of at most 256 colours and written as an
 * indexed PNG (deflated by fflate). A network drawing is mostly paper with lines in a few hues, so a
 * HiDPI (2×) picture for a notebook's saved output stays small; what a canvas writes as 32-bit RGBA is
 * several times larger. Pure: runs in the browser and under Node.
 */
import { zlibSync } from 'fflate';

/** CRC-32 of PNG chunks (polynomial 0xEDB88320). */
const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/** Key of a colour with 5 bits per channel and 3 for alpha (a 2^18 table). */
function key(r: number, g: number, b: number, a: number): number {
  return ((r >> 3) << 13) | ((g >> 3) << 8) | ((b >> 3) << 3) | (a >> 5);
}

/**
 * Encodes RGBA pixels as an indexed PNG: the 255 most frequent colours (5 bits per channel, 3 for alpha)
 * and every pixel mapped to its nearest palette colour. Exact for drawings with few colours; anti-aliased
 * edges keep their nearest shade.
 *
 * @param rgba - `width × height × 4` bytes, rows top to bottom (as `ImageData.data`).
 * @returns the PNG file's bytes.
 * @example
 * ```ts
 * const png = indexedPng(new Uint8Array([255, 0, 0, 255]), 1, 1);
 * ```
 */
export function indexedPng(rgba: Uint8Array | Uint8ClampedArray, width: number, height: number): Uint8Array {
  if (rgba.length !== width * height * 4) {
    throw new RangeError(`indexedPng: ${rgba.length} bytes for a ${width} × ${height} RGBA image`);
  }
  // Palette: the most frequent colours, each the mean of the pixels in its bin.
  const counts = new Map<number, { n: number; r: number; g: number; b: number; a: number }>();
  for (let i = 0; i < rgba.length; i += 4) {
    const k = key(rgba[i], rgba[i + 1], rgba[i + 2], rgba[i + 3]);
    const bin = counts.get(k);
    if (bin === undefined)
      counts.set(k, { n: 1, r: rgba[i], g: rgba[i + 1], b: rgba[i + 2], a: rgba[i + 3] });
    else {
      bin.n++;
      bin.r += rgba[i];
      bin.g += rgba[i + 1];
      bin.b += rgba[i + 2];
      bin.a += rgba[i + 3];
    }
  }
  const bins = [...counts.entries()].sort((x, y) => y[1].n - x[1].n).slice(0, 256);
  const palette = bins.map(([, bin]) =>
    [bin.r / bin.n, bin.g / bin.n, bin.b / bin.n, bin.a / bin.n].map(Math.round)
  );
  const indexOfKey = new Map<number, number>();
  bins.forEach(([k], i) => indexOfKey.set(k, i));
  const nearest = (r: number, g: number, b: number, a: number): number => {
    let best = 0;
    let bestDistance = Infinity;
    for (let i = 0; i < palette.length; i++) {
      const [pr, pg, pb, pa] = palette[i];
      const d = (pr - r) ** 2 + (pg - g) ** 2 + (pb - b) ** 2 + (pa - a) ** 2;
      if (d < bestDistance) {
        bestDistance = d;
        best = i;
      }
    }
    return best;
  };
  // Scanlines: filter byte 0, then one palette index per pixel.
  const raw = new Uint8Array(height * (width + 1));
  for (let y = 0; y < height; y++) {
    const row = y * (width + 1);
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      const k = key(rgba[i], rgba[i + 1], rgba[i + 2], rgba[i + 3]);
      let index = indexOfKey.get(k);
      if (index === undefined) {
        index = nearest(rgba[i], rgba[i + 1], rgba[i + 2], rgba[i + 3]);
        indexOfKey.set(k, index);
      }
      raw[row + 1 + x] = index;
    }
  }
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  header.set([8, 3, 0, 0, 0], 8); // 8-bit indexed colour, deflate, no interlace
  const plte = new Uint8Array(palette.length * 3);
  const trns = new Uint8Array(palette.length);
  palette.forEach(([r, g, b, a], i) => {
    plte.set([r, g, b], i * 3);
    trns[i] = a;
  });
  const parts = [
    new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('PLTE', plte),
    ...(trns.every(a => a === 255) ? [] : [chunk('tRNS', trns)]),
    chunk('IDAT', zlibSync(raw, { level: 9 })),
    chunk('IEND', new Uint8Array(0))
  ];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
