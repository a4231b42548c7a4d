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
 * Renders the first line of `text` records as {@link renderTextLine} does, as UTF-8 bytes, for a transport that
 * reads records straight from JSON lines: what repeats from record to record is rendered once and kept (the
 * timestamp of the last millisecond seen, the ` LEVEL [domain]` of each level and domain), and the message and
 * fields are copied from the line's bytes, so a record costs little more than copying them.
 *
 * @example
 * ```ts
 * const renderer = new TextLineRenderer((t) => new Date(t).toISOString())
 * const line = Buffer.from('{"level":40,"ms":812,"msg":"slow query"}')
 * renderer.renderBytes(0, 'warn', 'db', line, 28, 38, Int32Array.of(12, 20), 1)
 * // the bytes of '1970-01-01T00:00:00.000Z WARN [db] slow query {"ms":812}\n'
 * ```
 */
export class TextLineRenderer {
  private stampTime = Number.NaN
  /** The timestamp of {@link stampTime}, escaped, as UTF-8. */
  private stampBytes: Uint8Array = new Uint8Array(0)
  /** ` LEVEL [domain]` as UTF-8, by level and domain. */
  private readonly heads = new Map<string, Map<string, Uint8Array>>()
  private headCount = 0
  /** Where {@link renderBytes} puts a record: a view of it is valid until its next call. */
  private line = new Uint8Array(4096)

  constructor(private readonly timestamp: (t: number) => string) {}

  /**
   * The record's first line as {@link renderTextLine} writes it, as UTF-8 bytes, from the bytes of the JSON line
   * the record came from: the message is
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
    if (time !== this.stampTime) {
      // The timestamp is escaped too: a strftime pattern may contain %n or %t.
      this.stampBytes = UTF8.encode(escapeControl(this.timestamp(time)))
      this.stampTime = time
    }
    const stamp = this.stampBytes
    const head = this.head(level, domain)
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

  private head(level: string, domain: string): Uint8Array {
    let byDomain = this.heads.get(level)
    const known = byDomain?.get(domain)
    if (known !== undefined) return known
    const head = UTF8.encode(` ${escapeControl(level.toUpperCase())} [${escapeControl(domain)}]`)
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
