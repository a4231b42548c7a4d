import { closeSync, constants, mkdirSync, openSync, writeSync } from 'node:fs'

/** What a lane file needs from its owner: file modes and where to report trouble. */
export interface LaneFileHost {
  readonly fileMode: number
  readonly dirMode: number
  laneFailed(file: LaneFile, error: NodeJS.ErrnoException): void
  laneRecovered(file: LaneFile): void
  recordsDropped(file: LaneFile, records: number, reason: string): void
}

/** Text buffered per lane before it is written at once; bounds memory and makes each write one big batch. */
const CHUNK_CHARS = 256 * 1024
/** Text kept for a failing lane before new records are refused (and counted). */
const MAX_FAILING_CHARS = 32 * 1024 * 1024
const FIRST_RETRY_MS = 50
const MAX_RETRY_MS = 2_000
const OPEN_FLAGS = constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT

/**
 * One lane file (`<folder>/<lane>.log`): opened on its first write, appended with `O_APPEND` in whole batches
 * of whole records, so lines from several processes never interleave.
 *
 * Writes are synchronous and batched by the owner (one write per file per batch): nothing is ever in flight,
 * so a flush at process exit is complete. A failing write keeps its bytes, reports once, and retries by
 * reopening the path with backoff until the cause goes away.
 */
export class LaneFile {
  private fd = -1
  /** Bytes of a partial or failed write: written first. */
  private head: Buffer | null = null
  /** Full chunks waiting while the lane fails. */
  private readonly chunks: string[] = []
  private tail = ''
  private queuedChars = 0
  private failing = false
  private retryTimer: NodeJS.Timeout | undefined
  private retryDelay = FIRST_RETRY_MS
  private droppedRecords = 0
  private closed = false

  constructor(
    /** The lane name (file stem). */
    readonly lane: string,
    /** Folder holding the file. */
    readonly folder: string,
    /** Absolute path of the file. */
    readonly path: string,
    private readonly host: LaneFileHost,
  ) {}

  /** True when some accepted text is not yet in the file descriptor. */
  get pending(): boolean {
    return this.queuedChars > 0 || this.head !== null
  }

  /** True while the lane's last write or open failed. */
  get isFailing(): boolean {
    return this.failing
  }

  /** Queues one whole record (ending in `\n`). Writes at once when a chunk is full. */
  append(text: string): void {
    if (this.failing) {
      if (this.queuedChars + text.length > MAX_FAILING_CHARS) {
        this.droppedRecords++
        return
      }
      this.tail += text
      this.queuedChars += text.length
      if (this.tail.length >= CHUNK_CHARS) {
        this.chunks.push(this.tail)
        this.tail = ''
      }
      return
    }
    this.tail += text
    this.queuedChars += text.length
    if (this.tail.length >= CHUNK_CHARS) this.write()
  }

  /**
   * Writes everything queued to the file descriptor now, unless the lane is failing and waiting for its retry.
   * @returns true when nothing is left pending.
   */
  write(): boolean {
    if (this.failing || this.closed) return !this.pending
    return this.drain()
  }

  /** Writes what it can, then closes the descriptor. Text that still cannot be written is reported as lost. */
  close(): void {
    if (this.closed) return
    if (this.retryTimer) clearTimeout(this.retryTimer)
    this.retryTimer = undefined
    if (this.pending) this.drain()
    this.closed = true
    if (this.pending) {
      const lost = this.countQueuedRecords()
      this.reportDropped()
      this.host.recordsDropped(this, lost, 'could not be written before close')
    } else {
      this.reportDropped()
    }
    this.closeFd()
    this.head = null
    this.tail = ''
    this.chunks.length = 0
    this.queuedChars = 0
  }

  private drain(): boolean {
    if (this.fd < 0 && !this.open()) return false
    for (;;) {
      let buffer = this.head
      if (buffer === null) {
        const text = this.chunks.length > 0 ? this.chunks.shift()! : this.tail
        if (text.length === 0) break
        if (text === this.tail) this.tail = ''
        this.queuedChars -= text.length
        buffer = Buffer.from(text, 'utf8')
      }
      let written: number
      try {
        written = writeSync(this.fd, buffer)
      } catch (error) {
        this.head = buffer
        this.fail(error as NodeJS.ErrnoException)
        return false
      }
      if (written === 0) {
        this.head = buffer
        this.fail(Object.assign(new Error('write(2) wrote nothing'), { code: 'EAGAIN' }))
        return false
      }
      this.head = written < buffer.length ? buffer.subarray(written) : null
    }
    if (this.failing) this.recover()
    return true
  }

  private open(): boolean {
    try {
      mkdirSync(this.folder, { recursive: true, mode: this.host.dirMode })
      this.fd = openSync(this.path, OPEN_FLAGS, this.host.fileMode)
      return true
    } catch (error) {
      this.fail(error as NodeJS.ErrnoException)
      return false
    }
  }

  private fail(error: NodeJS.ErrnoException): void {
    // Reopen on every retry: the path may have been replaced (a removed folder, a link to a full device).
    this.closeFd()
    if (!this.failing) {
      this.failing = true
      this.retryDelay = FIRST_RETRY_MS
      this.host.laneFailed(this, error)
    }
    if (this.tail.length > 0) {
      this.chunks.push(this.tail)
      this.tail = ''
    }
    if (!this.closed) this.scheduleRetry()
  }

  private scheduleRetry(): void {
    if (this.retryTimer) return
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined
      if (this.closed) return
      this.retryDelay = Math.min(this.retryDelay * 2, MAX_RETRY_MS)
      this.drain()
    }, this.retryDelay)
    this.retryTimer.unref()
  }

  private recover(): void {
    this.failing = false
    this.reportDropped()
    this.host.laneRecovered(this)
  }

  private reportDropped(): void {
    if (this.droppedRecords === 0) return
    this.host.recordsDropped(
      this,
      this.droppedRecords,
      'refused while the lane was failing and its buffer was full',
    )
    this.droppedRecords = 0
  }

  /** Records still queued, counted as lines that do not start a stack continuation. */
  private countQueuedRecords(): number {
    let count = 0
    const texts = [this.head?.toString('utf8') ?? '', ...this.chunks, this.tail]
    for (const text of texts) {
      for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) {
        if (!text.startsWith('    ', i + 1)) count++
      }
    }
    return count
  }

  private closeFd(): void {
    if (this.fd < 0) return
    try {
      closeSync(this.fd)
    } catch {
      // The descriptor is gone either way; nothing to keep.
    }
    this.fd = -1
  }
}
