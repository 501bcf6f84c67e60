import { createHash } from 'node:crypto';
import { crc32, deflateSync } from 'node:zlib';
import { checkPhoto, type Photo } from './photos.js';

const SIZE = 32;

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/**
 * A small identicon-style PNG (32×32, a 5×5 mirrored pattern in a colour derived from `seed`),
 * so demo and seeded users have real photos, checked like an upload (`checkPhoto`).
 */
export function avatarPhoto(seed: string): Photo {
  const digest = createHash('sha256').update(seed).digest();
  const colour = [digest[0], digest[1], digest[2]].map((c) => 64 + (c % 160));
  const cell = (x: number, y: number) => {
    const col = x < 3 ? x : 4 - x;
    return (digest[3 + y * 3 + col] & 1) === 1;
  };
  const rows: Buffer[] = [];
  for (let py = 0; py < SIZE; py++) {
    const row = Buffer.alloc(1 + SIZE * 3); // filter byte 0, then RGB
    for (let px = 0; px < SIZE; px++) {
      const x = Math.floor((px * 5) / SIZE);
      const y = Math.floor((py * 5) / SIZE);
      const [r, g, b] = cell(x, y) ? colour : [240, 240, 240];
      row.set([r, g, b], 1 + px * 3);
    }
    rows.push(row);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(SIZE, 0);
  header.writeUInt32BE(SIZE, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, no interlace
  const png = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
  return checkPhoto(png);
}
