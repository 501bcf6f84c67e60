import {
  checkPhoto,
  decodePhotoString,
  detectImageType,
  MAX_PHOTO_BYTES,
  readPhoto,
} from './photos.js';

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(16)]);
const WEBP = Buffer.concat([
  Buffer.from('RIFF'),
  Buffer.from([0x24, 0, 0, 0]),
  Buffer.from('WEBPVP8 '),
  Buffer.alloc(16),
]);

const status = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return (error as { getStatus(): number }).getStatus();
  }
  return 0;
};

describe('photo checks', () => {
  it('recognizes JPEG, PNG and WebP by their magic bytes only', () => {
    expect(detectImageType(PNG)).toBe('image/png');
    expect(detectImageType(JPEG)).toBe('image/jpeg');
    expect(detectImageType(WEBP)).toBe('image/webp');
    expect(detectImageType(Buffer.from('GIF89a......'))).toBeNull();
    expect(detectImageType(Buffer.from('RIFF\0\0\0\0WAVEfmt '))).toBeNull();
    expect(detectImageType(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeNull();
    expect(detectImageType(Buffer.from([0xff, 0xd8]))).toBeNull();
    expect(detectImageType(Buffer.alloc(0))).toBeNull();
  });

  it('decodes bare base64, URL-safe base64 and data URLs', () => {
    const b64 = PNG.toString('base64');
    expect(decodePhotoString(b64).equals(PNG)).toBe(true);
    expect(decodePhotoString(PNG.toString('base64url')).equals(PNG)).toBe(true);
    expect(decodePhotoString(`data:image/png;base64,${b64}`).equals(PNG)).toBe(true);
    // The declared type does not matter: the bytes decide.
    expect(decodePhotoString(`data:image/gif;base64,${b64}`).equals(PNG)).toBe(true);
    expect(status(() => decodePhotoString('not base64!'))).toBe(422);
    expect(status(() => decodePhotoString('data:image/png;base64,'))).toBe(422);
  });

  it('answers 413 above 2 MiB and 422 for other types, and hashes what it keeps', () => {
    const big = Buffer.concat([JPEG, Buffer.alloc(MAX_PHOTO_BYTES)]);
    expect(status(() => checkPhoto(big))).toBe(413);
    expect(status(() => checkPhoto(Buffer.from('GIF89a')))).toBe(422);
    const photo = checkPhoto(PNG);
    expect(photo.type).toBe('image/png');
    expect(photo.hash).toMatch(/^[0-9a-f]{64}$/);
    const exact = Buffer.concat([JPEG, Buffer.alloc(MAX_PHOTO_BYTES - JPEG.length)]);
    expect(checkPhoto(exact).bytes.length).toBe(MAX_PHOTO_BYTES);
  });

  it('takes a file part or a string, not both; empty means none', () => {
    expect(readPhoto(undefined, undefined)).toBeUndefined();
    expect(readPhoto(undefined, '')).toBeUndefined();
    expect(readPhoto({ buffer: PNG }, undefined)?.type).toBe('image/png');
    expect(readPhoto(undefined, PNG.toString('base64'))?.type).toBe('image/png');
    expect(status(() => readPhoto({ buffer: PNG }, PNG.toString('base64')))).toBe(400);
  });
});
