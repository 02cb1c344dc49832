// Test helpers for the API's streams.

/** Reads a stream to its end, or returns what came within `ms` (then cancels it) if it does not end. */
export async function readAll(stream: ReadableStream<Uint8Array>, ms = 2_000): Promise<{ text: string; ended: boolean }> {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  let text = '';
  const deadline = Date.now() + ms;
  for (;;) {
    const timeout = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), Math.max(0, deadline - Date.now())));
    const next = await Promise.race([reader.read(), timeout]);
    if (next === 'timeout') {
      await reader.cancel();
      return { text, ended: false };
    }
    if (next.done) return { text, ended: true };
    text += decoder.decode(next.value, { stream: true });
  }
}
