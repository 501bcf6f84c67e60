import { createHash } from 'node:crypto';
import { BadRequestProblem, PayloadTooLargeProblem, UnprocessableProblem } from '#porch/core';

export const MAX_PHOTO_BYTES = 2 * 1024 * 1024;

export type PhotoType = 'image/jpeg' | 'image/png' | 'image/webp';

/** A checked profile photo, ready to store. */
export interface Photo {
  bytes: Buffer;
  type: PhotoType;
  /** SHA-256 of the bytes, hex: the ETag and the cache-busting `?v=` of the photo URL. */
  hash: string;
}

/** The image type by its magic bytes (never by a file name or a declared type), or null. */
export function detectImageType(bytes: Uint8Array): PhotoType | null {
  const starts = (sig: number[], at = 0) =>
    bytes.length >= at + sig.length && sig.every((b, i) => bytes[at + i] === b);
  if (starts([0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  // RIFF <size> WEBP
  if (starts([0x52, 0x49, 0x46, 0x46]) && starts([0x57, 0x45, 0x42, 0x50], 8)) return 'image/webp';
  return null;
}

const DATA_URL = /^data:([\w.+-]+\/[\w.+-]+)?(;[\w-]+=[^;,]*)*;base64,/i;
const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

/**
 * Decodes a photo sent as a string: a data URL (`data:image/png;base64,…`) or bare base64
 * (standard or URL-safe alphabet, whitespace ignored). 422 when it is neither.
 */
export function decodePhotoString(value: string): Buffer {
  const payload = value.replace(DATA_URL, '').replace(/\s+/g, '');
  if (!payload || !BASE64.test(payload) || payload.length % 4 === 1) {
    throw new UnprocessableProblem('photo must be an image file, a base64 string or a data URL', {
      errors: [{ field: 'photo', message: 'photo is not valid base64 or a base64 data URL' }],
    });
  }
  return Buffer.from(
    payload,
    payload.includes('-') || payload.includes('_') ? 'base64url' : 'base64',
  );
}

/** Checks size (413 past 2 MiB) and type (422 unless JPEG, PNG or WebP by magic bytes). */
export function checkPhoto(bytes: Buffer): Photo {
  if (bytes.length > MAX_PHOTO_BYTES) {
    throw new PayloadTooLargeProblem('photo must be at most 2 MiB', {
      errors: [{ field: 'photo', message: 'photo must be at most 2 MiB' }],
    });
  }
  const type = detectImageType(bytes);
  if (!type) {
    throw new UnprocessableProblem('photo must be a JPEG, PNG or WebP image', {
      errors: [{ field: 'photo', message: 'photo must be a JPEG, PNG or WebP image' }],
    });
  }
  return { bytes, type, hash: createHash('sha256').update(bytes).digest('hex') };
}

/**
 * The photo of a request, from a file part or a string field (not both). Undefined when neither
 * was sent; an empty string (an empty form field) counts as not sent.
 */
export function readPhoto(
  file: { buffer: Buffer } | undefined,
  text: string | undefined | null,
): Photo | undefined {
  if (file && text) {
    throw new BadRequestProblem('Send the photo as a file part or as a string, not both', {
      errors: [{ field: 'photo', message: 'photo was sent twice' }],
    });
  }
  if (file) return checkPhoto(file.buffer);
  if (text) return checkPhoto(decodePhotoString(text));
  return undefined;
}
