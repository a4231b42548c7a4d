const NEWLINE = 0x0a

/**
 * The longest line read, in bytes. A record loglanes wrote is far shorter (pino and winston lines are kilobytes);
 * a longer line is a planted or damaged file, and reading it whole would hold it all in memory.
 */
export const MAX_LINE_BYTES = 16 * 1024 * 1024

/** Told where a line longer than the cap starts (bytes from where the splitter started), once per such line. */
export type LongLineHandler = (offset: number) => void

/** How a {@link LineSplitter} starts. */
export interface LineSplitterOptions {
  /** Lines longer than this are skipped. Default {@link MAX_LINE_BYTES}. */
  readonly maxLineBytes?: number
  /** Start inside a line already found too long (a follower going on with a file): skip up to its newline. */
  readonly skipping?: boolean
}

/**
 * Splits a stream of bytes into whole UTF-8 lines (without their `\n`) and counts the bytes taken, so a reader
 * can resume a file exactly after the last whole line. Bytes after the last newline wait for the next chunk.
 * A line longer than `maxLineBytes` is skipped up to its newline (its bytes count as taken) and reported once to
 * `onLongLine`, so no line holds more memory than the cap.
 */
export class LineSplitter {
  /** Bytes consumed as whole lines, newlines included, and the bytes of long lines skipped. */
  consumed = 0
  /** Whether the splitter is inside a line longer than the cap, skipping up to its newline. */
  skipping: boolean
  private partial: Buffer[] = []
  private partialBytes = 0
  private readonly maxLineBytes: number

  constructor(
    private readonly onLongLine: LongLineHandler = () => {},
    options: LineSplitterOptions = {},
  ) {
    this.maxLineBytes = options.maxLineBytes ?? MAX_LINE_BYTES
    this.skipping = options.skipping ?? false
  }

  /** Appends the whole lines completed by `chunk` to `lines`. */
  push(chunk: Buffer, lines: string[]): void {
    let start = 0
    if (this.skipping) {
      const end = chunk.indexOf(NEWLINE)
      if (end === -1) {
        this.consumed += chunk.length
        return
      }
      this.consumed += end + 1
      this.skipping = false
      start = end + 1
    }
    let newline = chunk.indexOf(NEWLINE, start)
    if (newline !== -1 && this.partialBytes > 0) {
      // A line split across chunks: join its pieces once, when its end arrives (start is 0: no skip was going on).
      if (this.partialBytes + newline <= this.maxLineBytes) {
        lines.push(Buffer.concat([...this.partial, chunk.subarray(0, newline)]).toString('utf8'))
      } else {
        this.onLongLine(this.consumed)
      }
      this.consumed += this.partialBytes + newline + 1
      this.partial = []
      this.partialBytes = 0
      start = newline + 1
      newline = chunk.indexOf(NEWLINE, start)
    }
    while (newline !== -1) {
      if (newline - start <= this.maxLineBytes) lines.push(chunk.toString('utf8', start, newline))
      else this.onLongLine(this.consumed)
      this.consumed += newline + 1 - start
      start = newline + 1
      newline = chunk.indexOf(NEWLINE, start)
    }
    if (start === chunk.length) return
    const rest = chunk.length - start
    if (this.partialBytes + rest > this.maxLineBytes) {
      // Already longer than the cap: drop what is held and skip the rest of the line.
      this.onLongLine(this.consumed)
      this.consumed += this.partialBytes + rest
      this.partial = []
      this.partialBytes = 0
      this.skipping = true
      return
    }
    this.partial.push(chunk.subarray(start))
    this.partialBytes += rest
  }

  /**
   * The bytes after the last newline, as a line (a file that does not end in `\n`); undefined when none, or when
   * they are the end of a line skipped as too long.
   */
  takePartial(): string | undefined {
    if (this.partialBytes === 0) return undefined
    const line = Buffer.concat(this.partial).toString('utf8')
    this.consumed += this.partialBytes
    this.partial = []
    this.partialBytes = 0
    return line
  }
}
