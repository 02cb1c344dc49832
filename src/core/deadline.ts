// A deadline for an outgoing request whose timer holds the process open until the request settles or is aborted.

/**
 * Runs `request` with a signal that aborts after `ms` (a DOMException named TimeoutError, as AbortSignal.timeout's).
 * Not AbortSignal.timeout itself: its timer is unref'd, and undici's fetch can lose a connection that was reset right
 * after it was accepted (docker-proxy in front of a container that is not listening yet; measured on Node 20) without
 * settling and without holding the event loop. A process with nothing else to do, such as `slipway up` waiting for its
 * registry, then exits in the middle of an await. This timer keeps it alive until the deadline aborts the request.
 */
export async function withDeadline<T>(ms: number, request: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new DOMException(`timed out after ${ms} ms`, 'TimeoutError')), ms);
  try {
    return await request(controller.signal);
  } finally {
    clearTimeout(timer);
  }
}
