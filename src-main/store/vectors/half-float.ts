// Stored vectors are kept as IEEE half floats: the HNSW index is f16 anyway, and halving the crop vectors on disk
// (5 per photo) matters at a million photos. Node 20 has no Float16Array, so conversion is done here.

const float32 = new Float32Array(1);
const float32Bits = new Uint32Array(float32.buffer);

function halfBitsOf(value: number): number {
  float32[0] = value;
  const bits = float32Bits[0];
  const sign = (bits >>> 16) & 0x8000;
  const exponent = (bits >>> 23) & 0xff;
  const mantissa = bits & 0x7fffff;
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa ? 0x200 : 0);
  const halfExponent = exponent - 127 + 15;
  if (halfExponent >= 0x1f) return sign | 0x7c00;
  if (halfExponent <= 0) {
    if (halfExponent < -10) return sign;
    const shifted = (mantissa | 0x800000) >>> (1 - halfExponent);
    // Round half to even on the dropped bits.
    const rounded = shifted + 0xfff + ((shifted >>> 13) & 1);
    return sign | (rounded >>> 13);
  }
  const rounded = mantissa + 0xfff + ((mantissa >>> 13) & 1);
  if (rounded & 0x800000) return halfExponent + 1 >= 0x1f ? sign | 0x7c00 : sign | ((halfExponent + 1) << 10);
  return sign | (halfExponent << 10) | (rounded >>> 13);
}

/** Every half-float bit pattern decoded once (256 KB), so reading 300 stored vectors per query is a table lookup. */
const decodeTable: Float32Array = (() => {
  const table = new Float32Array(65536);
  for (let bits = 0; bits < 65536; bits++) {
    const sign = bits & 0x8000 ? -1 : 1;
    const exponent = (bits >>> 10) & 0x1f;
    const mantissa = bits & 0x3ff;
    if (exponent === 0) table[bits] = sign * mantissa * 2 ** -24;
    else if (exponent === 0x1f) table[bits] = mantissa ? NaN : sign * Infinity;
    else table[bits] = sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
  }
  return table;
})();

export function encodeHalfFloats(values: Float32Array): Uint16Array {
  const out = new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = halfBitsOf(values[i]);
  return out;
}

/** Decodes `count` halves starting at element `offset` of `halves`. */
export function decodeHalfFloats(halves: Uint16Array, offset = 0, count = halves.length - offset): Float32Array {
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = decodeTable[halves[offset + i]];
  return out;
}

/** Dot product of stored halves with a float vector, without materialising the decoded copy. */
export function dotWithHalves(halves: Uint16Array, vector: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < vector.length; i++) sum += decodeTable[halves[i]] * vector[i];
  return sum;
}

/** Views a SQLite BLOB (a Node Buffer, possibly at an odd offset in a shared pool) as half floats without losing bytes. */
export function halvesFromBytes(bytes: Uint8Array): Uint16Array {
  if (bytes.byteOffset % 2 === 0) return new Uint16Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 2);
  return new Uint16Array(bytes.slice().buffer);
}

export function bytesFromHalves(halves: Uint16Array): Buffer {
  return Buffer.from(halves.buffer, halves.byteOffset, halves.byteLength);
}
