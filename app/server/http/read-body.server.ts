// Reads a request body up to a limit, stopping as soon as it is exceeded: a sender that omits
// Content-Length (chunked) cannot make the server buffer more than the limit.
export async function readBodyCapped(request: Request, maxBytes: number): Promise<{ ok: true; body: Buffer } | { ok: false; bytesSeen: number }> {
  if (!request.body) return { ok: true, body: Buffer.alloc(0) };
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      return { ok: false, bytesSeen: total };
    }
    chunks.push(value);
  }
  return { ok: true, body: Buffer.concat(chunks) };
}
