import { createIntervalClock, type Interval, type IntervalClock } from './intervalClock.js'
import { type MaintenanceErrorEvent, type MaintenanceResult, runMaintenance } from './maintenance.js'
import type { ResolvedLanesOptions } from './options.js'
import { createZone } from './zone.js'

/** What the scheduler needs from the router it serves. */
export interface MaintenanceHost {
  readonly options: ResolvedLanesOptions
  /** The newest interval routed so far, if any. */
  newestInterval(): Interval | undefined
  /** True while the router has the folder of that name open for writing. */
  isFolderOpen(name: string): boolean
  maintenanceFailed(event: MaintenanceErrorEvent): void
}

/** The shortest wait before a retry pass, so a folder that keeps being written is not polled in a loop. */
const MIN_RETRY_MS = 1_000
/** The longest wait on one timer (a retry due later is re-planned then); timers overflow past 24.8 days. */
const MAX_RETRY_MS = 3_600_000

/**
 * Decides when maintenance passes run for one router: one at a time, off the routing path. A request while a
 * pass runs makes one more pass after it; a pass that had to leave files (still being written) asks for a retry
 * at the time they may be done, on an unref'd timer. Closing stops it: see {@link finish} and {@link abandon}.
 */
export class MaintenanceScheduler {
  private running: Promise<void> | undefined
  private again = false
  private stopping = false
  private abandoned = false
  private timer: NodeJS.Timeout | undefined
  private timerAt = Infinity
  private readonly clock: IntervalClock

  constructor(
    private readonly host: MaintenanceHost,
    /** How long closed folders' files are left untouched before compression (`MaintenancePass.quietMs`). */
    private readonly quietMs: number,
  ) {
    const { options } = host
    this.clock = createIntervalClock(options.intervalMinutes, createZone(options.timezone))
  }

  /** Asks for a pass soon (not in this turn of the event loop); requests made while one runs give one more. */
  request(): void {
    if (this.stopping) return
    if (this.running !== undefined) {
      this.again = true
      return
    }
    this.running = this.loop()
  }

  /** Resolves once no pass runs or is asked for. */
  async whenIdle(): Promise<void> {
    while (this.running !== undefined) await this.running
  }

  /**
   * Stops for a graceful close: no new requests; the running pass finishes the file it is compressing and starts
   * no other; a pass asked for and not yet run still runs, without compression (the link and retention are
   * quick). Resolves when done.
   */
  finish(): Promise<void> {
    this.stopping = true
    this.clearTimer()
    return this.whenIdle()
  }

  /**
   * Stops at once (a synchronous close): no new pass starts; the running one finishes the file it is compressing
   * and starts no other.
   */
  abandon(): void {
    this.stopping = true
    this.abandoned = true
    this.clearTimer()
  }

  private async loop(): Promise<void> {
    // Let the caller's turn finish: records routed in it do not wait for file system work.
    await new Promise((resolve) => setImmediate(resolve))
    try {
      do {
        this.again = false
        if (this.abandoned) break
        this.retry(await this.pass(!this.stopping))
      } while (this.again && !this.abandoned)
    } finally {
      this.running = undefined
    }
  }

  private async pass(compress: boolean): Promise<MaintenanceResult> {
    const { host } = this
    return runMaintenance(host.options, {
      newest: host.newestInterval(),
      quietMs: this.quietMs,
      compress,
      clock: this.clock,
      isFolderOpen: (name) => host.isFolderOpen(name),
      shouldStop: () => this.stopping,
      onError: (event) => host.maintenanceFailed(event),
    })
  }

  private retry(result: MaintenanceResult): void {
    if (result.retryAt === undefined || this.stopping || result.retryAt >= this.timerAt) return
    this.clearTimer()
    this.timerAt = result.retryAt
    this.timer = setTimeout(
      () => {
        this.timer = undefined
        this.timerAt = Infinity
        this.request()
      },
      Math.min(MAX_RETRY_MS, Math.max(MIN_RETRY_MS, result.retryAt - Date.now())),
    )
    this.timer.unref()
  }

  private clearTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer)
    this.timer = undefined
    this.timerAt = Infinity
  }
}
