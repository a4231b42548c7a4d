/** Records the facade could not hand to a failed worker, counted as they are logged. */
export interface DroppedCount {
  dropped: number
}

/**
 * What `flush()` and `shutdown()` of a facade on the pino backend reject with once pino's worker thread has
 * failed (it threw, ran out of memory or was terminated): records in flight were lost with it, and records
 * logged since are dropped. The failure is also reported once as a process warning with the code
 * `LOGLANES_WORKER_FAILED`; the process itself keeps running.
 *
 * @example
 * ```ts
 * process.on('warning', (warning) => {
 *   if (warning.code === 'LOGLANES_WORKER_FAILED') alertOps(warning.message)
 * })
 * try {
 *   await log.shutdown()
 * } catch (err) {
 *   if (err instanceof WorkerFailedError) console.error(err.message, err.cause, err.dropped)
 * }
 * ```
 */
export class WorkerFailedError extends Error {
  readonly #count: DroppedCount

  constructor(cause: Error, count: DroppedCount) {
    super(
      `loglanes: the pino transport's worker thread failed (${cause.message}); records logged since are lost`,
      {
        cause,
      },
    )
    this.name = 'WorkerFailedError'
    this.#count = count
  }

  /** Records logged since the failure, all dropped; it goes on counting while the app logs. */
  get dropped(): number {
    return this.#count.dropped
  }
}
