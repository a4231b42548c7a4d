import { Writable } from 'node:stream'
import { StringDecoder } from 'node:string_decoder'
import type { LaneRouter, LaneSet } from '@loglanes/core'
import { LineScanner, MAX_DOMAIN_SLOTS } from './lineScanner.js'
import { LevelLabels, RecordTimes } from './pinoRecord.js'
import { TextLineReader } from './textLine.js'

/** A line longer than this without a line feed is written as it is, so one runaway line cannot exhaust memory. */
const MAX_LINE_CHARS = 64 * 1024 * 1024
const NEWLINE = 10

/** Integer levels below this have their lane sets kept per domain slot (pino's are 10-60). */
const CACHED_LEVELS = 128

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
  /** Where each chunk is encoded (see encode). */
  private scratch: Buffer = Buffer.allocUnsafe(0)
  private messageKey = 'msg'
  private errorKey = 'err'
  /** The text format's fast path (see TextLineReader), made again when pino names its message and error keys. */
  private textLine: TextLineReader
  /**
   * Lane sets by (domain slot + 1) * CACHED_LEVELS + level: a line as pino writes it finds its lanes with one
   * array read. Emptied when the levels change.
   */
  private laneSets = emptyLaneSets()
  /**
   * The chunk accepted but not yet routed (see _write): routing it after pino's reader is released lets the
   * main thread refill the shared buffer meanwhile.
   */
  private pending: string | undefined
  private readonly routePending = (): void => this.consumePending()
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
    this.textLine = new TextLineReader(this.messageKey, this.domainKey, this.errorKey)
  }

  /** Applies pino's config: custom level labels for files, and the message and error keys for the text format. */
  configure(config: PinoConfig): void {
    const values = config.levels?.values
    if (values !== null && typeof values === 'object') {
      this.labels.learn(values)
      this.router.addLevels(values)
      this.laneSets = emptyLaneSets()
    }
    if (typeof config.messageKey === 'string') this.messageKey = config.messageKey
    if (typeof config.errorKey === 'string') this.errorKey = config.errorKey
    this.textLine = new TextLineReader(this.messageKey, this.domainKey, this.errorKey)
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
      // Accepted now, routed on the next turn: thread-stream hands the shared buffer back to the main thread only
      // when this returns, so the main thread copies the next chunk while this one is routed, not after.
      if (this.pending !== undefined) this.consumePending()
      else setImmediate(this.routePending)
      this.pending = text
    }
    callback()
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.consumePending()
    this.release()
    const rest = this.carry + this.decoder.end()
    this.carry = ''
    if (rest.length > 0) this.routeWhole(`${rest}\n`)
    this.router.close().then(() => callback(), callback)
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.consumePending()
    this.router.closeSync()
    callback(error)
  }

  /** Called by pino (`logger.flush(cb)`): calls back once every line received is written to its file. */
  flush(callback?: (error?: Error) => void): void {
    this.flushSync()
    callback?.()
  }

  /** Writes every line received to its file now. */
  flushSync(): void {
    this.consumePending()
    this.release()
    this.router.flushSync()
  }

  private consumePending(): void {
    const chunk = this.pending
    if (chunk === undefined) return
    this.pending = undefined
    this.consume(chunk)
  }

  private consume(chunk: string): void {
    this.router.flushSoon()
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
    const last = chunk.lastIndexOf('\n')
    if (last >= start) {
      if (this.text) this.routeTextLines(chunk, start)
      else this.routeJsonLines(chunk, start, last)
      start = last + 1
    }
    if (start < chunk.length) this.carry = chunk.slice(start)
  }

  /**
   * Routes the whole lines of `chunk[start, last]` (`last` is a line feed). The chunk is encoded once; each line
   * is copied to its lanes as bytes. A line feed is one byte in UTF-8, so line ends in the string and in the
   * bytes pair up one to one; the byte search is skipped when the chunk is ASCII and the offsets coincide.
   */
  private routeJsonLines(chunk: string, start: number, last: number): void {
    const byteLength = this.encode(chunk)
    const bytes = this.scratch
    // A plain Uint8Array view: its subarray() is much cheaper than Buffer's, and lanes copy from it per line.
    const view = new Uint8Array(bytes.buffer, bytes.byteOffset, byteLength)
    const ascii = byteLength === chunk.length
    const byteStart = ascii ? start : Buffer.byteLength(chunk.slice(0, start))
    this.scanner.beginChunk(chunk)
    this.routeLines(
      chunk,
      bytes,
      view,
      ascii,
      start,
      byteStart,
      last,
      this.scanner,
      this.router,
      this.laneSets,
    )
    this.scanner.endChunk()
  }

  /**
   * Encodes `chunk` into one reused buffer, {@link scratch}, and returns its length in bytes: every line is copied
   * out before the chunk is done, and a fresh 4 MiB buffer per chunk would pile up outside the heap until a GC.
   * Sized for what log text is, nearly all ASCII, and grown once when a chunk does not fit: the 3 bytes per UTF-16
   * unit that UTF-8 may take would reserve 12 MiB for pino's 4 MiB chunks, which costs a garbage collection.
   */
  private encode(chunk: string): number {
    if (this.scratch.length < chunk.length + 4)
      this.scratch = Buffer.allocUnsafe(Math.max(chunk.length + (chunk.length >> 3) + 4, 65_536))
    let written = this.scratch.write(chunk, 0, 'utf8')
    // A write stops short, with fewer than 4 bytes left, at the first character that does not fit.
    if (written > this.scratch.length - 4) {
      this.scratch = Buffer.allocUnsafe(chunk.length * 3 + 4)
      written = this.scratch.write(chunk, 0, 'utf8')
    }
    return written
  }

  /**
   * The per-line loop of {@link routeJsonLines}. What it needs comes in as arguments: it runs once per chunk and
   * gets optimized while it runs, so a property read before the loop would have no feedback on the next call.
   */
  private routeLines(
    chunk: string,
    bytes: Buffer,
    view: Uint8Array,
    ascii: boolean,
    start: number,
    byteStart: number,
    last: number,
    scanner: LineScanner,
    router: LaneRouter,
    laneSets: (LaneSet | undefined)[],
  ): void {
    while (start <= last) {
      const newline = scanner.scanNext(chunk, start)
      const byteNewline = ascii ? newline : bytes.indexOf(NEWLINE, byteStart)
      if (scanner.read) {
        // One view of the line for all its lanes.
        const line = view.subarray(byteStart, byteNewline + 1)
        const level = scanner.level
        const slot = scanner.domainSlot
        if (
          typeof level === 'number' &&
          level >= 0 &&
          level < CACHED_LEVELS &&
          (level | 0) === level &&
          slot < MAX_DOMAIN_SLOTS
        ) {
          const key = (slot + 1) * CACHED_LEVELS + level
          const lanes = laneSets[key] ?? this.laneSetFor(key, level)
          router.routeBytesTo(this.scannedTime(), lanes, line)
        } else {
          router.routeBytes(this.scannedTime(), this.labels.labelOf(level), scanner.domain, line)
        }
      } else if (newline > start) {
        this.routeParsed(chunk.slice(start, newline), view.subarray(byteStart, byteNewline + 1))
      }
      start = newline + 1
      byteStart = byteNewline + 1
    }
  }

  /**
   * Routes the whole lines of `chunk` from `start` (up to its last line feed) in the text format. The chunk is
   * encoded once; lines as pino writes them are rendered from their bytes (see TextLineReader), others parsed.
   */
  private routeTextLines(chunk: string, start: number): void {
    const { textLine, router, labels, times } = this
    const byteLength = this.encode(chunk)
    // A plain Uint8Array view: its subarray() is much cheaper than Buffer's.
    const bytes = new Uint8Array(this.scratch.buffer, this.scratch.byteOffset, byteLength)
    // A line feed is one byte in UTF-8: the chunk's last one is the bytes' last one.
    const byteLast = bytes.lastIndexOf(NEWLINE)
    let from = byteLength === chunk.length ? start : Buffer.byteLength(chunk.slice(0, start))
    while (from <= byteLast) {
      const newline = bytes.indexOf(NEWLINE, from)
      if (newline > from) {
        if (textLine.read(bytes, from, newline)) {
          const { timeText } = textLine
          router.routeTextBytes(
            timeText === undefined ? times.ofNumber(textLine.timeNumber) : times.timeOf(timeText),
            labels.labelOf(textLine.level),
            textLine.domain,
            bytes,
            textLine.messageStart,
            textLine.messageEnd,
            textLine.runs,
            textLine.runCount,
          )
        } else {
          this.routeText(this.scratch.toString('utf8', from, newline))
        }
      }
      from = newline + 1
    }
  }

  /** The lane set of the cache entry `key` (a line the scanner just read), computed and kept. */
  private laneSetFor(key: number, level: number): LaneSet {
    const lanes = this.router.laneSetOf(this.scanner.domain, this.labels.labelOf(level))
    this.laneSets[key] = lanes
    return lanes
  }

  /** Routes one line (with its line feed) that arrived on its own, e.g. joined across chunks. */
  private routeWhole(line: string): void {
    const content = line.slice(0, -1)
    if (content.trim() === '') return
    if (this.text) {
      this.routeTextLines(line, 0)
      return
    }
    const encoded = Buffer.from(line, 'utf8')
    // The same kinds of string and view as a chunk's lines: a joined line (a cons string) and a Buffer would
    // send the hot path's optimized code back to the interpreter at each chunk boundary.
    const bytes = new Uint8Array(encoded.buffer, encoded.byteOffset, encoded.length)
    const flat = encoded.toString('utf8')
    const { scanner } = this
    if (scanner.scan(flat, 0, flat.length - 1)) {
      this.router.routeBytes(this.scannedTime(), this.labels.labelOf(scanner.level), scanner.domain, bytes)
    } else {
      this.routeParsed(content, bytes)
    }
  }

  /** The time of the line the scanner just read: kept unboxed when it is a number, as pino writes it. */
  private scannedTime(): number {
    const text = this.scanner.timeText
    return text === undefined ? this.times.ofNumber(this.scanner.timeNumber) : this.times.timeOf(text)
  }

  /**
   * The slow path: a line the scanner declined, not a JSON object (read with JSON.parse only as a safety net: the
   * walk reads every object), is routed as it is, by now, to the default domain.
   */
  private routeParsed(content: string, line: Uint8Array): void {
    const record = parseObject(content)
    if (record === undefined && content.trim() === '') return
    this.router.routeBytes(
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
    const { messageKey, errorKey, scanner } = this
    // The folder, the level and the timestamp shown come from pino's own level and time, the line's first ones
    // (see LineScanner): JSON.parse keeps the last ones, which may be fields the app logged. Those stay among the
    // fields.
    const scanned = scanner.scan(content, 0, content.length)
    const time = scanned ? this.scannedTime() : this.times.timeOf(numberOrString(record.time))
    const level = scanned ? scanner.level : numberOrString(record.level)
    const fields: Record<string, unknown> = { ...record }
    for (const key of [messageKey, this.domainKey]) delete fields[key]
    if (!scanned || record.time === scanner.time) delete fields.time
    if (!scanned || record.level === scanner.level) delete fields.level
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
      time,
      this.labels.labelOf(level),
      record[this.domainKey],
      message === undefined ? '' : typeof message === 'string' ? message : JSON.stringify(message),
      fields,
      stack,
    )
  }
}

/** A full array from the start: writes far into an empty one would turn it into a slower dictionary. */
function emptyLaneSets(): (LaneSet | undefined)[] {
  return new Array<LaneSet | undefined>((MAX_DOMAIN_SLOTS + 1) * CACHED_LEVELS).fill(undefined)
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
