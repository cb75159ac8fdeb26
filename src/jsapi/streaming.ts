// The Web API's "compile a potential WebAssembly response": the bytes of a Response (or a promise of
// one) after the checks the spec makes (MIME type application/wasm, CORS-same-origin, ok status).

interface ResponseLike {
  readonly headers: { get(name: string): string | null };
  readonly ok?: boolean;
  readonly status?: number;
  readonly type?: string;
  arrayBuffer(): Promise<ArrayBuffer>;
}

/** Whether `v` can be treated as a fetch Response: any object with headers.get and arrayBuffer. */
function isResponseLike(v: unknown): v is ResponseLike {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Partial<ResponseLike>;
  return typeof r.arrayBuffer === 'function' && typeof r.headers === 'object' && r.headers !== null
    && typeof r.headers.get === 'function';
}

/** The body of a WebAssembly response, or a rejection with the spec's TypeErrors. */
export async function responseBytes(source: unknown, what: string): Promise<Uint8Array> {
  const response = await source;
  if (!isResponseLike(response)) throw new TypeError(`${what}: the argument must be a Response or a promise of one`);
  const contentType = response.headers.get('Content-Type');
  if (contentType === null) throw new TypeError(`${what}: the response has no Content-Type (application/wasm is required)`);
  const mime = contentType.replace(/^[\t ]+|[\t ]+$/g, '');
  if (mime.toLowerCase() !== 'application/wasm') {
    throw new TypeError(`${what}: the response's Content-Type is '${mime}', not application/wasm`);
  }
  if (response.type === 'opaque' || response.type === 'opaqueredirect') {
    throw new TypeError(`${what}: the response is not CORS-same-origin`);
  }
  const ok = response.status !== undefined ? response.status >= 200 && response.status <= 299 : response.ok !== false;
  if (!ok) throw new TypeError(`${what}: the response status is ${String(response.status)}, not an ok status`);
  return new Uint8Array(await response.arrayBuffer());
}
