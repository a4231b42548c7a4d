/** What the exit hook flushes: anything with a synchronous flush. */
export interface SyncFlushable {
  flushSync(): void
}

const live = new Set<SyncFlushable>()
let hooked = false

function flushAll(): void {
  for (const target of live) {
    try {
      target.flushSync()
    } catch {
      // Exiting: a lane that cannot write has already been reported; keep flushing the others.
    }
  }
}

/**
 * Flushes `target` synchronously when the process exits (`process.exit()`, an uncaught exception, the end of
 * the event loop), so lines routed on the main thread and still batched are written. One listener serves every
 * registered target. Returns the function that unregisters it.
 *
 * @example
 * ```ts
 * const router = new LaneRouter(resolveOptions({ domains: ['app'] }))
 * const unregister = flushOnExit(router)
 * // ... later, after router.close():
 * unregister()
 * ```
 */
export function flushOnExit(target: SyncFlushable): () => void {
  if (!hooked) {
    process.on('exit', flushAll)
    hooked = true
  }
  live.add(target)
  return () => {
    live.delete(target)
  }
}
