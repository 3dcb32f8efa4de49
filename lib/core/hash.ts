import { createHash } from 'crypto';

/** The first `length` hex digits of the SHA-256 of `text`: the library's short, stable content hashes. */
export function sha256Hex(text: string, length = 64): string {
  return createHash('sha256').update(text).digest('hex').slice(0, length);
}
