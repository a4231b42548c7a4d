import { colorsWanted } from '../consoleColors.js'
import type { CommandIo } from './commandIo.js'
import type { LaneRecord } from './laneRecord.js'
import { OutputSink } from './outputSink.js'
import type { RecordDedupe } from './recordDedupe.js'
import { recordLevel, renderRecord } from './recordRenderer.js'

/** Thrown by {@link RecordPrinter.print} once there is no point going on: the output is gone, or a signal came. */
export const STOPPED = Symbol('stopped')

/** How a {@link RecordPrinter} prints. */
export interface RecordPrinterOptions {
  /** Print the lines as written instead of the readable rendering. */
  readonly json?: boolean | undefined
  /** Only records newer than this many milliseconds before the printer was made. */
  readonly sinceMs?: number | undefined
  /** Only records of these levels (labels, as in the lane file names); undefined for all. */
  readonly levels?: readonly string[] | undefined
}

/**
 * The output side of `loglanes tail`: filters records by time, drops the copies a dedupe has seen, renders (colored
 * when stdout is a terminal that wants colors) or passes the lines through, and reports unreadable files.
 */
export class RecordPrinter {
  /** A file could not be read: the exit code is 1. */
  failed = false
  private stopped = false
  private readonly sink: OutputSink
  private readonly colors: boolean
  private readonly cutoff: number
  private readonly levels: ReadonlySet<string> | undefined
  private readonly wakers = new Set<() => void>()
  /** The error lines written, each once. */
  private readonly reported = new Set<string>()

  constructor(
    private readonly io: CommandIo,
    private readonly options: RecordPrinterOptions,
  ) {
    this.sink = new OutputSink(io.stdout)
    this.colors = !options.json && colorsWanted(io.stdout as NodeJS.WriteStream, io.env)
    this.cutoff = options.sinceMs === undefined ? Number.NEGATIVE_INFINITY : Date.now() - options.sinceMs
    this.levels = options.levels === undefined ? undefined : new Set(options.levels)
  }

  /** Records older than this (epoch ms) are not printed; -Infinity without `sinceMs`. */
  get since(): number {
    return this.cutoff
  }

  /** True after {@link stop}, or once the output is closed. */
  get done(): boolean {
    return this.stopped || this.sink.closed
  }

  /**
   * Prints one record of `lane` unless it is older than the cutoff, not of a chosen level, or `dedupe` saw it
   * already. A record with no time
   * of its own is always printed.
   *
   * @returns a promise when the output is full (await it before printing more).
   * @throws {@link STOPPED} once {@link done}.
   */
  print(record: LaneRecord, lane: string, dedupe: RecordDedupe | undefined): Promise<void> | undefined {
    if (this.done) throw STOPPED
    if (record.timed && record.time < this.cutoff) return undefined
    if (this.levels !== undefined && !this.levels.has(recordLevel(record))) return undefined
    if (dedupe !== undefined && !dedupe.admit(record.text, record.time, lane)) return undefined
    return this.sink.write(`${this.options.json ? record.text : renderRecord(record, this.colors)}\n`)
  }

  /** Hands everything printed to stdout. */
  flush(): Promise<void> {
    return this.sink.flush()
  }

  /** Says what was skipped in a file that was read (the exit code stays 0). */
  readonly reportWarning = (path: string, message: string): void => {
    this.io.stderr.write(`loglanes: ${path}: ${message}\n`)
  }

  /**
   * Reports a file that could not be read (the others go on), once per file and cause: a followed folder's file
   * that its first reading reported (a sparse file) is not reported again by the polls.
   */
  readonly reportError = (path: string, error: Error): void => {
    this.failed = true
    const line = `loglanes: cannot read ${path}: ${error.message}\n`
    if (this.reported.has(line)) return
    this.reported.add(line)
    this.io.stderr.write(line)
  }

  /** Stops printing (a signal): {@link print} throws from now on, and a {@link pause} ends at once. */
  readonly stop = (): void => {
    this.stopped = true
    for (const wake of this.wakers) wake()
  }

  /** Waits `ms`, or less if {@link stop} is called meanwhile. */
  pause(ms: number): Promise<void> {
    if (this.stopped) return Promise.resolve()
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer)
        this.wakers.delete(wake)
        resolve()
      }
      const timer = setTimeout(wake, ms)
      this.wakers.add(wake)
    })
  }
}
