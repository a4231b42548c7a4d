import {
  flushOnExit,
  LaneRouter,
  type LaneRouterEvents,
  LanesConfigError,
  type LanesOptions,
  type ResolvedLanesOptions,
  readOption,
  readPlainOptions,
  resolveOptions,
  thrownMessage,
} from '@loglanes/core'
import type { Format } from 'logform'
import { TransportStream, type TransportStreamOptions } from './transportStream.js'
import {
  jsonLine,
  LEVEL,
  MESSAGE,
  TimestampReader,
  textFields,
  type WinstonInfo,
  withoutColors,
} from './winstonRecord.js'

/** winston's default levels (npm): lower is more severe. */
const NPM_LEVELS: Readonly<Record<string, number>> = {
  error: 0,
  warn: 1,
  info: 2,
  http: 3,
  verbose: 4,
  debug: 5,
  silly: 6,
}

/**
 * The shared loglanes options plus winston's base transport options (`level`, `silent`, `handleExceptions`,
 * `handleRejections`). `format` serves both: `'json'` or `'text'` is the loglanes line format; a logform format
 * (`winston.format.*`) is the transport's winston format, as for any transport.
 */
export interface LanesTransportOptions
  extends Omit<LanesOptions, 'levels' | 'format'>,
    Omit<TransportStreamOptions, 'format'> {
  readonly format?: 'json' | 'text' | Format
}

const TRANSPORT_OPTIONS = ['level', 'silent', 'handleExceptions', 'handleRejections', 'log', 'logv', 'close']

/**
 * The loglanes transport for winston: routes each record into its domain, level and mirror lanes inside the
 * interval folder of its time. Levels and their order come from the logger it is added to (npm, syslog or custom).
 *
 * @example
 * ```js
 * import winston from 'winston'
 * import { LanesTransport, endLogger } from '@loglanes/winston'
 * const logger = winston.createLogger({ level: 'debug', transports: [new LanesTransport({ dir: 'logs', domains: ['app', 'db'] })] })
 * logger.child({ domain: 'db' }).error('connection lost')
 * await endLogger(logger) // every line is on disk
 * ```
 */
export class LanesTransport extends TransportStream {
  /**
   * The options: validated at construction, and again against the logger's levels when the transport is added.
   */
  options: ResolvedLanesOptions
  private readonly lanesInput: Record<string, unknown>
  private router: LaneRouter | undefined
  private unregisterExit: (() => void) | undefined
  private readonly times = new TimestampReader()
  private shutDownDone = false
  private closing: Promise<void> | undefined
  private unreadableReported = false
  private numberReported = false
  /** Set by winston's exception handler: the transport should finish after this record. */
  declare _ending?: boolean
  /** Set by winston from the logger on 'pipe'. */
  declare levels?: Record<string, number>

  /**
   * Mirrors to and from level lanes, and `levelFiles.levels`, name the logger's levels (npm's, syslog's or custom):
   * they can only be checked once the transport knows them.
   *
   * @throws {LanesConfigError} for invalid options, before any file is touched: here for everything that does
   *   not depend on the logger's levels; from `winston.createLogger` (or `logger.add`) for a clash with a level
   *   name, a mirror naming no domain, extra lane or level of the logger, or a listed level the logger lacks.
   */
  constructor(options: LanesTransportOptions = {}) {
    const input = readPlainOptions(options)
    const { level, format, silent, handleExceptions, handleRejections } = input
    const winstonFormat = typeof format === 'object' && format !== null ? checkFormat(format) : undefined
    super({
      level: level as string | undefined,
      format: winstonFormat,
      silent: silent as boolean | undefined,
      handleExceptions: handleExceptions as boolean | undefined,
      handleRejections: handleRejections as boolean | undefined,
    })
    const lanes: Record<string, unknown> = { ...input }
    for (const key of TRANSPORT_OPTIONS) delete lanes[key]
    if (winstonFormat !== undefined) delete lanes.format
    this.lanesInput = lanes
    // Everything that does not depend on the logger's levels is checked now; the rest when they are known.
    this.options = resolveOptions(lanes, { levelsPending: true })
    // winston-transport's own 'pipe' listener (registered first) has copied the logger's levels by now.
    this.once('pipe', () => this.start(this.levels ?? NPM_LEVELS))
  }

  /**
   * Routes one record; calls back (when given a callback, as winston does) once it is accepted into its lanes'
   * batches. It never throws for a record and always calls back: an info object that cannot be read whole (a
   * getter or proxy that throws) is written with `"[Unserializable]"` for what could not be read, reported once
   * (one stderr line and a `'warn'` event, which winston passes on to the logger), and the next record goes on.
   */
  override log(info: WinstonInfo, callback?: () => void): void {
    try {
      const router = this.router ?? this.start(this.levels ?? NPM_LEVELS)
      let crash = false
      try {
        this.route(router, info)
        crash = info.exception === true
      } catch (error) {
        this.routeUnreadable(router, info, error)
      }
      // A crash record must be on disk before winston exits the process.
      if (crash || this._ending) router.flushSync()
      if (this.listenerCount('logged') > 0) this.emit('logged', info)
      if (this._ending) setImmediate(() => this.emit('finish'))
    } finally {
      if (typeof callback === 'function') callback()
    }
  }

  private route(router: LaneRouter, info: WinstonInfo): void {
    const options = router.options
    const level = info[LEVEL] ?? withoutColors(String(info.level))
    const domain = info[options.domainKey]
    const time = this.times.timeOf(info.timestamp)
    if (this.times.numbers === 1 && !this.numberReported) this.reportNumber(info.timestamp)
    if (options.format === 'text') {
      const message = info.message
      router.routeText(
        time,
        level,
        domain,
        withoutColors(typeof message === 'string' ? message : (JSON.stringify(message) ?? '')),
        textFields(info, options.domainKey),
        typeof info.stack === 'string' ? info.stack : undefined,
      )
    } else {
      const rendered = info[MESSAGE]
      // Color codes exist only where colorize() ran, and it always rewrites info.level: check that, not the line.
      const colored = info.level !== level
      // Our own JSON never holds a raw line break; a winston format's output may.
      const line =
        typeof rendered === 'string'
          ? oneRecord(colored ? withoutColors(rendered) : rendered)
          : jsonLine(info, level)
      router.route(time, level, domain, `${line}\n`)
    }
  }

  /** The slow path of a record that threw while being read: what can be read of it, as plain data. */
  private routeUnreadable(router: LaneRouter, info: WinstonInfo, error: unknown): void {
    const record = readableCopy(info)
    if (typeof record.level !== 'string') record.level = ''
    try {
      this.route(router, record)
    } catch {
      // Plain data cannot throw when read; this is a last resort so that a record never stops the transport.
    }
    this.reportUnreadable(error)
  }

  /** Reports, once, a record whose `timestamp` was a number, the app's data (see TimestampReader). */
  private reportNumber(timestamp: unknown): void {
    this.numberReported = true
    const message =
      `loglanes: a winston record's timestamp is a number (${String(timestamp)}): winston's format.timestamp() ` +
      "writes strings, so it came from the record's data; such records are filed under now, the field kept in " +
      'the line (reported once)'
    process.stderr.write(`${message}\n`)
    if (this.listenerCount('warn') > 0) this.emit('warn', new Error(message))
  }

  private reportUnreadable(error: unknown): void {
    if (this.unreadableReported) return
    this.unreadableReported = true
    const message =
      `loglanes: a winston record could not be read whole (${thrownMessage(error)}); what could not be read ` +
      'is written as "[Unserializable]" (reported once)'
    process.stderr.write(`${message}\n`)
    if (this.listenerCount('warn') > 0) this.emit('warn', new Error(message))
  }

  /** Writes every accepted record to its file now. */
  flushSync(): void {
    this.router?.flushSync()
  }

  /** Resolves once every accepted record is written to its file descriptor. */
  async flush(): Promise<void> {
    this.router?.flushSync()
  }

  /**
   * Called by winston when the transport is removed (and by `logger.close()`): writes and closes every lane file
   * at once, and lets the maintenance pass that is due (the link, retention) finish in the background.
   */
  override close(): void {
    this.shutDown()
  }

  /**
   * Writes and closes every lane file, then finishes the maintenance pass that is due (the link and retention;
   * compression waits for a later run), so a logger that lives a second keeps the same folders as one that lives
   * a day. Resolves when done; idempotent. `endLogger` calls it for you.
   *
   * @example
   * ```js
   * const transport = new LanesTransport({ dir: 'logs', retention: { keep: 7 } })
   * const logger = winston.createLogger({ transports: [transport] })
   * logger.info('done')
   * await endLogger(logger) // or, with the records already handed over: await transport.shutdown()
   * ```
   */
  shutdown(): Promise<void> {
    this.shutDown()
    return this.closing ?? Promise.resolve()
  }

  /** Subscribes to the router's diagnostics (`laneError`, `laneRecovered`, `recordsDropped`). */
  onDiagnostic<E extends keyof LaneRouterEvents>(
    event: E,
    listener: (...args: LaneRouterEvents[E]) => void,
  ): this {
    const router = this.router ?? this.start(this.levels ?? NPM_LEVELS)
    router.on(event, listener as never)
    return this
  }

  /** Ends the transport: writes and closes every lane file, and waits for a maintenance pass in progress. */
  override _final(callback: (error?: Error | null) => void): void {
    this.shutdown().then(() => callback(), callback)
  }

  /** Creates the router for the logger's levels; a clash with them throws out of `createLogger`/`add`. */
  private start(levels: Readonly<Record<string, number>>): LaneRouter {
    if (this.router !== undefined) return this.router
    this.options = resolveOptions(this.lanesInput, { levels: severities(levels) })
    this.router = new LaneRouter(this.options)
    this.unregisterExit = flushOnExit(this.router)
    return this.router
  }

  private shutDown(): void {
    if (this.shutDownDone) return
    this.shutDownDone = true
    // close() flushes and closes the files before its first await; the maintenance pass due runs after.
    this.closing = this.router?.close()
    this.unregisterExit?.()
  }
}

/**
 * The own enumerable string keys of `info` that can be read, as plain data: a value whose read throws becomes
 * `"[Unserializable]"`, as `safeJsonStringify` writes one nested deeper; an object whose keys cannot even be
 * listed gives `{}`.
 */
function readableCopy(info: WinstonInfo): WinstonInfo {
  const copy: WinstonInfo = { level: '' }
  let keys: string[] = []
  try {
    keys = Object.keys(info)
  } catch {
    // A proxy that refuses to list its keys: nothing of it can be read.
  }
  for (const key of keys) {
    try {
      copy[key] = info[key]
    } catch {
      copy[key] = '[Unserializable]'
    }
  }
  for (const symbol of [LEVEL, MESSAGE] as const) {
    try {
      const value = info[symbol]
      if (typeof value === 'string') copy[symbol] = value
    } catch {
      // Unreadable: the level comes from `level`, and the line is rendered from the fields.
    }
  }
  return copy
}

/** A winston format is an object with a `transform` function (`winston.format.json()`, `combine(...)`). */
function checkFormat(format: object): Format {
  const transform = readOption('format', () => (format as { transform?: unknown }).transform)
  if (typeof transform !== 'function') {
    throw new LanesConfigError(
      'format',
      "must be 'json', 'text' or a winston format (winston.format.*)",
      format,
    )
  }
  return format as Format
}

/**
 * A line that a winston format rendered across several lines (`printf` with a stack, a message holding a line
 * feed): its later lines become indented continuation lines, as the text format writes a stack, so no record is
 * torn in two and no line of user data can pass for a record of its own. JSON lines never hold a raw line break.
 */
function oneRecord(line: string): string {
  if (!LINE_BREAK_TEST.test(line)) return line
  return line.replace(TRAILING_BREAKS, '').split(LINE_BREAK).join(CONTINUATION)
}

const LINE_BREAK_TEST = /[\r\n]/
const TRAILING_BREAKS = /[\r\n]+$/
const LINE_BREAK = /\r\n|\n|\r/
const CONTINUATION = '\n    '

/** winston ranks levels with lower numbers more severe; loglanes wants higher more severe. */
function severities(levels: Readonly<Record<string, number>>): Record<string, number> {
  const out: Record<string, number> = {}
  for (const [label, value] of Object.entries(levels)) out[label] = -value
  return out
}
