import { escapeControl } from './textFormat.js'

// Plain Uint8Arrays, not Buffers: element reads and writes on them are what the copies of renderBytes do.
const UTF8 = new TextEncoder()
const SPACE = 32
const COMMA = 44
const OPEN_BRACE = 123
const CLOSE_BRACE = 125
const NEWLINE = 10

/** (level, domain) pairs whose rendered head is kept: beyond this a head is rendered per record. */
const MAX_HEADS = 1024

/**
 * Renders the first line of `text` records as {@link renderTextLine} does, for a transport that routes many of
 * them: what repeats from record to record is rendered once and kept (the timestamp of the last millisecond seen,
 * the ` LEVEL [domain]` of each level and domain), so a record costs little more than its own message and fields.
 *
 * @example
 * ```ts
 * const renderer = new TextLineRenderer((t) => new Date(t).toISOString())
 * renderer.render(0, 'warn', 'db', 'slow query', '{"ms":812}', false)
 * // '1970-01-01T00:00:00.000Z WARN [db] slow query {"ms":812}\n'
 * ```
 */
export class TextLineRenderer {
  private stampTime = Number.NaN
  private stampText = ''
  private readonly heads = new Map<string, Map<string, string>>()
  private headCount = 0
  /** {@link stampText} as UTF-8, for {@link renderBytes}; made when first needed for each millisecond. */
  private stampBytes: Uint8Array | undefined
  private readonly headBytes = new Map<string, Uint8Array>()
  /** Where {@link renderBytes} puts a record: a view of it is valid until its next call. */
  private line = new Uint8Array(4096)

  constructor(private readonly timestamp: (t: number) => string) {}

  /**
   * @param fields - the fields' JSON text, `''` for none
   * @param clean - `message` and `fields` hold no character {@link escapeControl} changes (the caller checked)
   */
  render(
    time: number,
    level: string,
    domain: string,
    message: string,
    fields: string,
    clean: boolean,
  ): string {
    this.stamp(time)
    let out = this.stampText + this.head(level, domain)
    if (message !== '') out += ` ${clean ? message : escapeControl(message)}`
    if (fields !== '') out += ` ${clean ? fields : escapeControl(fields)}`
    return `${out}\n`
  }

  /**
   * {@link render} as UTF-8 bytes, from the bytes of the JSON line the record came from: the message is
   * `source[messageStart, messageEnd)` (none when `messageStart` is -1), the fields the runs `source[runs[2k],
   * runs[2k + 1])`, k below `runCount`, joined by commas in braces. Nothing is escaped: the caller checked that
   * nothing needs it. Saves building the record as a string and encoding it.
   *
   * @returns the record, a view of a buffer this renderer reuses at its next call
   */
  renderBytes(
    time: number,
    level: string,
    domain: string,
    source: Uint8Array,
    messageStart: number,
    messageEnd: number,
    runs: Int32Array,
    runCount: number,
  ): Uint8Array {
    this.stamp(time)
    if (this.stampBytes === undefined) this.stampBytes = UTF8.encode(this.stampText)
    const stamp = this.stampBytes
    const head = this.headBytesOf(level, domain)
    const hasMessage = messageEnd > messageStart
    let size = stamp.length + head.length + 1
    if (hasMessage) size += 1 + messageEnd - messageStart
    if (runCount > 0) {
      size += 2 + runCount
      for (let k = 0; k < runCount; k++) size += runs[2 * k + 1]! - runs[2 * k]!
    }
    if (this.line.length < size) this.line = new Uint8Array(Math.max(size, 2 * this.line.length))
    const line = this.line
    let at = copyBytes(line, 0, stamp, 0, stamp.length)
    at = copyBytes(line, at, head, 0, head.length)
    if (hasMessage) {
      line[at++] = SPACE
      at = copyBytes(line, at, source, messageStart, messageEnd)
    }
    if (runCount > 0) {
      line[at++] = SPACE
      line[at++] = OPEN_BRACE
      for (let k = 0; k < runCount; k++) {
        if (k > 0) line[at++] = COMMA
        at = copyBytes(line, at, source, runs[2 * k]!, runs[2 * k + 1]!)
      }
      line[at++] = CLOSE_BRACE
    }
    line[at++] = NEWLINE
    return new Uint8Array(line.buffer, line.byteOffset, at)
  }

  /** Makes the timestamp of `time` the current one, rendering it unless it is the last one's. */
  private stamp(time: number): void {
    if (time === this.stampTime) return
    // The timestamp is escaped too: a strftime pattern may contain %n or %t.
    this.stampText = escapeControl(this.timestamp(time))
    this.stampTime = time
    this.stampBytes = undefined
  }

  private headBytesOf(level: string, domain: string): Uint8Array {
    const head = this.head(level, domain)
    let bytes = this.headBytes.get(head)
    if (bytes === undefined) {
      bytes = UTF8.encode(head)
      if (this.headBytes.size < MAX_HEADS) this.headBytes.set(head, bytes)
    }
    return bytes
  }

  private head(level: string, domain: string): string {
    let byDomain = this.heads.get(level)
    const known = byDomain?.get(domain)
    if (known !== undefined) return known
    const head = ` ${escapeControl(level.toUpperCase())} [${escapeControl(domain)}]`
    if (this.headCount < MAX_HEADS) {
      if (byDomain === undefined) {
        byDomain = new Map()
        this.heads.set(level, byDomain)
      }
      byDomain.set(domain, head)
      this.headCount++
    }
    return head
  }
}

/**
 * Copies `source[from, to)` to `target` at `at`; returns the index after it. Pieces of a line are short: a loop
 * costs less than `set` and the view it needs, until a few hundred bytes.
 */
function copyBytes(target: Uint8Array, at: number, source: Uint8Array, from: number, to: number): number {
  if (to - from > 256) {
    target.set(source.subarray(from, to), at)
    return at + to - from
  }
  for (let i = from; i < to; i++) target[at++] = source[i]!
  return at
}
