import { Writable } from 'node:stream'
import { StringDecoder } from 'node:string_decoder'
import type { LaneRouter } from '@loglanes/core'
import { LineScanner } from './lineScanner.js'
import { LevelLabels, RecordTimes } from './pinoRecord.js'

/** A line longer than this without a line feed is written as it is, so one runaway line cannot exhaust memory. */
const MAX_LINE_CHARS = 64 * 1024 * 1024

/** Chunks held while waiting for pino's config, at most; past this they are routed with the levels known. */
const MAX_HELD_CHARS = 8 * 1024 * 1024

/** What pino tells its transports after start (`PINO_CONFIG`): its levels and its message and error keys. */
export interface PinoConfig {
  readonly levels?: { readonly values?: Readonly<Record<string, number>> }
  readonly messageKey?: string
  readonly errorKey?: string
}

/**
 * The stream pino writes to: it takes NDJSON chunks that need not be line-aligned, routes each whole line by its
 * `level`, `time` and domain fields, and hands lines to the router, which writes each lane file once per batch.
 */
export class LanesStream extends Writable {
  private readonly scanner: LineScanner
  private readonly labels: LevelLabels
  private readonly times = new RecordTimes()
  private readonly decoder = new StringDecoder('utf8')
  private readonly domainKey: string
  private readonly text: boolean
  private carry = ''
  private messageKey = 'msg'
  private errorKey = 'err'
  /** Chunks received before pino's config, when the stream waits for it; undefined once configured. */
  private held: string[] | undefined
  private heldChars = 0

  /**
   * @param router - where lines go
   * @param awaitConfig - hold lines until {@link configure} is called (pino sends its levels just after start, and
   *   lines routed before would name custom levels by number); {@link release} ends the wait without a config.
   */
  constructor(
    private readonly router: LaneRouter,
    awaitConfig = false,
  ) {
    super({ decodeStrings: false, autoDestroy: true })
    if (awaitConfig) this.held = []
    const options = router.options
    this.domainKey = options.domainKey
    this.scanner = new LineScanner(options.domainKey)
    this.labels = new LevelLabels(options.levels)
    this.text = options.format === 'text'
  }

  /** Applies pino's config: custom level labels for files, and the message and error keys for the text format. */
  configure(config: PinoConfig): void {
    const values = config.levels?.values
    if (values !== null && typeof values === 'object') {
      this.labels.learn(values)
      this.router.addLevels(values)
    }
    if (typeof config.messageKey === 'string') this.messageKey = config.messageKey
    if (typeof config.errorKey === 'string') this.errorKey = config.errorKey
    this.release()
  }

  /** Stops holding lines for the config and routes what was held. */
  release(): void {
    const held = this.held
    if (held === undefined) return
    this.held = undefined
    this.heldChars = 0
    for (const chunk of held) this.consume(chunk)
  }

  override _write(
    chunk: string | Buffer,
    _encoding: BufferEncoding,
    callback: (error?: Error | null) => void,
  ): void {
    const text = typeof chunk === 'string' ? chunk : this.decoder.write(chunk)
    if (this.held !== undefined) {
      this.held.push(text)
      this.heldChars += text.length
      if (this.heldChars > MAX_HELD_CHARS) this.release()
    } else {
      this.consume(text)
    }
    callback()
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.release()
    const rest = this.carry + this.decoder.end()
    this.carry = ''
    if (rest.length > 0) this.routeWhole(`${rest}\n`)
    this.router.close().then(() => callback(), callback)
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.router.closeSync()
    callback(error)
  }

  /** Called by pino (`logger.flush(cb)`): calls back once every line received is written to its file. */
  flush(callback?: (error?: Error) => void): void {
    this.release()
    this.router.flushSync()
    callback?.()
  }

  /** Writes every line received to its file now. */
  flushSync(): void {
    this.release()
    this.router.flushSync()
  }

  private consume(chunk: string): void {
    let start = 0
    if (this.carry.length > 0) {
      const newline = chunk.indexOf('\n')
      if (newline < 0) {
        this.carry += chunk
        if (this.carry.length > MAX_LINE_CHARS) {
          this.routeWhole(`${this.carry}\n`)
          this.carry = ''
        }
        return
      }
      this.routeWhole(this.carry + chunk.slice(0, newline + 1))
      this.carry = ''
      start = newline + 1
    }
    for (let newline = chunk.indexOf('\n', start); newline >= 0; newline = chunk.indexOf('\n', start)) {
      if (newline > start) this.routeLine(chunk, start, newline)
      start = newline + 1
    }
    if (start < chunk.length) this.carry = chunk.slice(start)
  }

  private routeWhole(line: string): void {
    if (line.length > 1) this.routeLine(line, 0, line.length - 1)
  }

  /** Routes `chunk[start, newline]`, the line and its line feed. */
  private routeLine(chunk: string, start: number, newline: number): void {
    if (this.text) {
      this.routeText(chunk.slice(start, newline))
      return
    }
    const line = chunk.slice(start, newline + 1)
    const scanner = this.scanner
    if (scanner.scan(chunk, start, newline)) {
      this.router.route(
        this.times.timeOf(scanner.time),
        this.labels.labelOf(scanner.level),
        scanner.domain,
        line,
      )
      return
    }
    const record = parseObject(chunk.slice(start, newline))
    if (record === undefined && chunk.slice(start, newline).trim() === '') return
    this.router.route(
      this.times.timeOf(numberOrString(record?.time)),
      this.labels.labelOf(numberOrString(record?.level)),
      record?.[this.domainKey],
      line,
    )
  }

  private routeText(content: string): void {
    const record = parseObject(content)
    if (record === undefined) {
      if (content.trim() === '') return
      this.router.routeText(Number.NaN, '', undefined, content)
      return
    }
    const { messageKey, errorKey } = this
    const fields: Record<string, unknown> = { ...record }
    for (const key of ['level', 'time', messageKey, this.domainKey]) delete fields[key]
    let stack: string | undefined
    const error = record[errorKey]
    if (
      error !== null &&
      typeof error === 'object' &&
      typeof (error as { stack?: unknown }).stack === 'string'
    ) {
      const { stack: errorStack, ...rest } = error as { stack: string }
      stack = errorStack
      fields[errorKey] = rest
    }
    const message = record[messageKey]
    this.router.routeText(
      this.times.timeOf(numberOrString(record.time)),
      this.labels.labelOf(numberOrString(record.level)),
      record[this.domainKey],
      message === undefined ? '' : typeof message === 'string' ? message : JSON.stringify(message),
      fields,
      stack,
    )
  }
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text)
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined
  } catch {
    return undefined
  }
}

function numberOrString(value: unknown): number | string | undefined {
  return typeof value === 'number' || typeof value === 'string' ? value : undefined
}
