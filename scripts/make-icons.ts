/**
 * Draws the LiqLens icon at every size the stores ask for (16–128 px) into public/icon/, without an
 * image library: a dark rounded tile with heat bands (blue → yellow, the heatmap's own gradient)
 * and a price line. Run `npx tsx scripts/make-icons.ts` after changing the design.
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

type RGBA = [number, number, number, number];

const BG: RGBA = [17, 20, 28, 255];
const BANDS: { y: number; h: number; w: number; color: RGBA }[] = [
  { y: 0.22, h: 0.09, w: 0.55, color: [58, 92, 204, 255] },
  { y: 0.36, h: 0.11, w: 0.8, color: [240, 185, 11, 255] },
  { y: 0.53, h: 0.08, w: 0.45, color: [44, 160, 160, 255] },
  { y: 0.66, h: 0.12, w: 0.7, color: [250, 230, 80, 255] },
];
const LINE: RGBA = [246, 70, 93, 255];

function pixel(x: number, y: number, size: number): RGBA {
  const u = (x + 0.5) / size;
  const v = (y + 0.5) / size;
  // Rounded-corner tile: transparent outside a radius of 18 % of the size.
  const r = 0.18;
  const cx = Math.min(Math.max(u, r), 1 - r);
  const cy = Math.min(Math.max(v, r), 1 - r);
  if (Math.hypot(u - cx, v - cy) > r) return [0, 0, 0, 0];
  const margin = 0.14;
  for (const b of BANDS) {
    if (v >= b.y && v < b.y + b.h && u >= margin && u < margin + b.w * (1 - 2 * margin)) return b.color;
  }
  // The price line, at least one pixel thick at 16 px.
  if (Math.abs(v - 0.5) < Math.max(0.035, 0.6 / size) && u > margin && u < 1 - margin) return LINE;
  return BG;
}

function crc32(buf: Buffer): number {
  let c = ~0;
  for (const byte of buf) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return ~c >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

function png(size: number): Buffer {
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0; // filter: none
    for (let x = 0; x < size; x++) raw.set(pixel(x, y, size), y * (size * 4 + 1) + 1 + x * 4);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

mkdirSync('public/icon', { recursive: true });
for (const size of [16, 32, 48, 96, 128]) writeFileSync(`public/icon/${size}.png`, png(size));
console.log('wrote public/icon/{16,32,48,96,128}.png');
