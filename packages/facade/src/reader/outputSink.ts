import { once } from 'node:events'
import type { Writable } from 'node:stream'

/** Text is handed to the stream in pieces of about this size: one write per many records. */
const FLUSH_BYTES = 64 * 1024

/**
 * Buffered text output to a stream (stdout) that waits when the stream is full, and stops quietly when the reader
 * went away (`loglanes tail | head`: EPIPE), which it reports through {@link closed}.
 */
export class OutputSink {
  /** True once the stream failed or closed: there is no one to write to. */
  closed = false
  private parts: string[] = []
  private bytes = 0

  constructor(private readonly stream: Writable) {
    stream.on('error', () => {
      this.closed = true
    })
  }

  /** Adds text; a promise when the buffer went to a full stream (await it before writing more). */
  write(text: string): Promise<void> | undefined {
    if (this.closed) return undefined
    this.parts.push(text)
    this.bytes += text.length
    return this.bytes >= FLUSH_BYTES ? this.flush() : undefined
  }

  /** Hands everything buffered to the stream, and waits while the stream is full. */
  async flush(): Promise<void> {
    if (this.parts.length === 0 || this.closed) return
    const text = this.parts.join('')
    this.parts = []
    this.bytes = 0
    if (this.stream.write(text)) return
    const done = new AbortController()
    const { signal } = done
    try {
      // 'error' rejects `once` by itself; a closed stream never drains.
      await Promise.race([once(this.stream, 'drain', { signal }), once(this.stream, 'close', { signal })])
      if (this.stream.destroyed) this.closed = true
    } catch {
      this.closed = true
    } finally {
      done.abort()
    }
  }
}
