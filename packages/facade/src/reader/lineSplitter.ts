const NEWLINE = 0x0a

/**
 * Splits a stream of bytes into whole UTF-8 lines (without their `\n`) and counts the bytes taken, so a reader
 * can resume a file exactly after the last whole line. Bytes after the last newline wait for the next chunk.
 */
export class LineSplitter {
  /** Bytes consumed as whole lines, newlines included. */
  consumed = 0
  private partial: Buffer[] = []
  private partialBytes = 0

  /** Appends the whole lines completed by `chunk` to `lines`. */
  push(chunk: Buffer, lines: string[]): void {
    let start = 0
    let newline = chunk.indexOf(NEWLINE)
    if (newline !== -1 && this.partialBytes > 0) {
      // A line split across chunks: join its pieces once, when its end arrives.
      const line = Buffer.concat([...this.partial, chunk.subarray(0, newline)])
      lines.push(line.toString('utf8'))
      this.consumed += this.partialBytes + newline + 1
      this.partial = []
      this.partialBytes = 0
      start = newline + 1
      newline = chunk.indexOf(NEWLINE, start)
    }
    while (newline !== -1) {
      lines.push(chunk.toString('utf8', start, newline))
      this.consumed += newline + 1 - start
      start = newline + 1
      newline = chunk.indexOf(NEWLINE, start)
    }
    if (start < chunk.length) {
      this.partial.push(chunk.subarray(start))
      this.partialBytes += chunk.length - start
    }
  }

  /** The bytes after the last newline, as a line (a file that does not end in `\n`); undefined when none. */
  takePartial(): string | undefined {
    if (this.partialBytes === 0) return undefined
    const line = Buffer.concat(this.partial).toString('utf8')
    this.consumed += this.partialBytes
    this.partial = []
    this.partialBytes = 0
    return line
  }
}
