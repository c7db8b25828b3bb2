/**
 * Fixed-width binary records as base64 text: how the model's bulk state (level books, sweeps) goes
 * into the session storage area every 15 s. The browser converts an array of numbers a value at a
 * time and a string in one copy, and either way its cost on the worker's thread follows the size
 * (profiled: ~9 ms to store 280 KB), so the records are as narrow as their values allow.
 */
import { base64ToBytes, bytesToBase64 } from '../base64';

/** Appends little-endian values; grows as needed. */
export class PackedWriter {
  private bytes = new Uint8Array(256);
  private view = new DataView(this.bytes.buffer);
  private at = 0;

  private room(n: number): DataView {
    if (this.at + n > this.bytes.length) {
      const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.at + n));
      grown.set(this.bytes);
      this.bytes = grown;
      this.view = new DataView(grown.buffer);
    }
    return this.view;
  }

  u8(v: number): void {
    this.room(1).setUint8(this.at, v);
    this.at += 1;
  }
  u16(v: number): void {
    this.room(2).setUint16(this.at, v, true);
    this.at += 2;
  }
  u32(v: number): void {
    this.room(4).setUint32(this.at, v, true);
    this.at += 4;
  }
  i32(v: number): void {
    this.room(4).setInt32(this.at, v, true);
    this.at += 4;
  }
  f32(v: number): void {
    this.room(4).setFloat32(this.at, v, true);
    this.at += 4;
  }
  f64(v: number): void {
    this.room(8).setFloat64(this.at, v, true);
    this.at += 8;
  }
  /** Where the next value goes (to fill in a count later with `setU8`). */
  get offset(): number {
    return this.at;
  }
  setU8(offset: number, v: number): void {
    this.view.setUint8(offset, v);
  }

  toBase64(): string {
    return bytesToBase64(this.bytes.subarray(0, this.at));
  }
}

/**
 * Reads what a PackedWriter wrote. Text that is not base64 reads as empty; `has(n)` says whether n
 * more bytes are there, so a cut-short save ends the read instead of throwing.
 */
export class PackedReader {
  private readonly view: DataView;
  private at = 0;

  constructor(text: unknown) {
    let bytes: Uint8Array = new Uint8Array(0);
    if (typeof text === 'string') {
      try {
        bytes = base64ToBytes(text);
      } catch {
        // not base64: nothing to read
      }
    }
    this.view = new DataView(bytes.buffer);
  }

  has(n: number): boolean {
    return this.at + n <= this.view.byteLength;
  }
  u8(): number {
    return this.view.getUint8(this.at++);
  }
  u16(): number {
    const v = this.view.getUint16(this.at, true);
    this.at += 2;
    return v;
  }
  u32(): number {
    const v = this.view.getUint32(this.at, true);
    this.at += 4;
    return v;
  }
  i32(): number {
    const v = this.view.getInt32(this.at, true);
    this.at += 4;
    return v;
  }
  f32(): number {
    const v = this.view.getFloat32(this.at, true);
    this.at += 4;
    return v;
  }
  f64(): number {
    const v = this.view.getFloat64(this.at, true);
    this.at += 8;
    return v;
  }
}
