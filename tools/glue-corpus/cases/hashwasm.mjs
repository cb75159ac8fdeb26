// hash-wasm (many small C modules): 22 hash functions over 300 KB, argon2id, bcrypt, pbkdf2 and
// scrypt.
import * as h from 'hash-wasm';
export default async function () {
  const data = new Uint8Array(300000); for (let i = 0; i < data.length; i++) data[i] = (i * 2654435761) >>> 24;
  const out = [];
  for (const f of ['md4', 'md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512', 'sha3', 'keccak', 'blake2b', 'blake2s', 'blake3', 'crc32', 'crc32c', 'xxhash32', 'xxhash64', 'xxhash3', 'xxhash128', 'ripemd160', 'whirlpool', 'sm3', 'adler32']) {
    if (typeof h[f] === 'function') out.push(f + ' ' + await h[f](data));
  }
  out.push('argon2id ' + await h.argon2id({ password: 'pw', salt: new Uint8Array(16).fill(7), parallelism: 1, iterations: 2, memorySize: 1024, hashLength: 32, outputType: 'hex' }));
  out.push('bcrypt ' + await h.bcrypt({ password: 'pw', salt: new Uint8Array(16).fill(3), costFactor: 6, outputType: 'encoded' }));
  out.push('pbkdf2 ' + await h.pbkdf2({ password: 'pw', salt: 'salt', iterations: 1000, hashLength: 32, hashFunction: h.createSHA256(), outputType: 'hex' }));
  out.push('scrypt ' + await h.scrypt({ password: 'pw', salt: 'salt', costFactor: 1024, blockSize: 8, parallelism: 1, hashLength: 32, outputType: 'hex' }));
  return out.join('\n');
}
