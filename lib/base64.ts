/**
 * Bytes as base64 text, for what must cross a JSON-only boundary (extension messaging, the session
 * storage area): one string is copied as it is, where an array of numbers costs the browser a value
 * node per element to convert and to store.
 */

/** The platform's own encoder and decoder (Chrome 140, Firefox 133; not Node 20). */
type NativeBase64 = { toBase64?: (this: Uint8Array) => string };
const nativeToBase64 = (Uint8Array.prototype as NativeBase64).toBase64;
const nativeFromBase64 = (Uint8Array as { fromBase64?: (text: string) => Uint8Array }).fromBase64;

/** Base64 of `bytes` (in chunks: spreading a whole megabyte into fromCharCode overflows the stack). */
export function bytesToBase64(bytes: Uint8Array): string {
  if (nativeToBase64) return nativeToBase64.call(bytes);
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

/** The bytes of base64 text; throws on text that is not base64. */
export function base64ToBytes(b64: string): Uint8Array {
  if (nativeFromBase64) return nativeFromBase64(b64);
  const s = atob(b64);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}
