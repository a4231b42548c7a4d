import { closeSync, constants, fstatSync, mkdirSync, openSync, writeSync } from 'node:fs'

/** What a lane file needs from its owner: file modes and where to report trouble. */
export interface LaneFileHost {
  readonly fileMode: number
  readonly dirMode: number
  laneFailed(file: LaneFile, error: NodeJS.ErrnoException): void
  laneRecovered(file: LaneFile): void
  recordsDropped(file: LaneFile, records: number, reason: string): void
}

/** Bytes buffered per lane before they are written at once; bounds memory and makes each write one big batch. */
const CHUNK_BYTES = 256 * 1024
const FIRST_CAPACITY = 16 * 1024
/** Bytes kept for a failing lane before new records are refused (and counted). */
const MAX_FAILING_BYTES = 32 * 1024 * 1024
/** Times a batch is written again to a new file when its file was removed under it, before the lane fails. */
const MAX_REWRITES = 3
const FIRST_RETRY_MS = 50
const MAX_RETRY_MS = 2_000
const OPEN_FLAGS = constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT
const EMPTY = Buffer.alloc(0)
const NEWLINE = 10
const SPACE = 32

/**
 * One lane file (`<folder>/<lane>.log`): opened on its first write, appended with `O_APPEND` in whole batches
 * of whole records, so lines from several processes never interleave.
 *
 * Records are encoded (or copied, for byte input) straight into one growing buffer per lane, so a batch costs
 * one copy and one `write(2)`. Writes are synchronous and batched by the owner (one write per file per batch):
 * nothing is ever in flight, so a flush at process exit is complete. A failing write keeps its bytes, reports
 * once, and retries by reopening the path with backoff until the cause goes away. A file deleted while open
 * (its folder removed by a cleanup job) is noticed after each batch and made again with that batch in it.
 */
export class LaneFile {
  private fd = -1
  /** The batch being filled; `length` bytes of it are records. */
  private batch: Buffer = Buffer.allocUnsafe(FIRST_CAPACITY)
  private length = 0
  /** Full batches waiting while the lane fails, oldest first. */
  private readonly held: Buffer[] = []
  private heldBytes = 0
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

  /** True when some accepted record is not yet in the file descriptor. */
  get pending(): boolean {
    return this.length > 0 || this.heldBytes > 0
  }

  /** True while the lane's last write or open failed. */
  get isFailing(): boolean {
    return this.failing
  }

  /** Queues one whole record (ending in `\n`). Writes at once when the batch is full. */
  append(text: string): void {
    // UTF-8 needs at most 3 bytes per UTF-16 unit: reserve that, then encode in place.
    if (!this.reserve(text.length * 3)) return
    this.length += this.batch.write(text, this.length)
    if (this.length >= CHUNK_BYTES) this.batchFull()
  }

  /**
   * Queues one whole record given as UTF-8 bytes ending in `\n`, copied as they are. Transports make one view
   * per line (a plain `Uint8Array`: its `subarray` is far cheaper than a `Buffer`'s) and pass it to every lane.
   */
  appendBytes(line: Uint8Array): void {
    if (!this.reserve(line.length)) return
    this.batch.set(line, this.length)
    this.length += line.length
    if (this.length >= CHUNK_BYTES) this.batchFull()
  }

  /**
   * Writes everything queued to the file descriptor now, unless the lane is failing and waiting for its retry.
   * @returns true when nothing is left pending.
   */
  write(): boolean {
    if (this.failing || this.closed) return !this.pending
    return this.drain()
  }

  /** Writes what it can, then closes the descriptor. Records that still cannot be written are reported as lost. */
  close(): void {
    if (this.closed) return
    if (this.retryTimer) clearTimeout(this.retryTimer)
    this.retryTimer = undefined
    if (this.pending) this.drain()
    this.closed = true
    this.reportDropped()
    if (this.pending)
      this.host.recordsDropped(this, this.countQueuedRecords(), 'could not be written before close')
    this.closeFd()
    this.held.length = 0
    this.heldBytes = 0
    this.length = 0
    this.batch = EMPTY
  }

  /** Makes room for `size` more bytes; false when the record is refused (a failing lane's buffer is full). */
  private reserve(size: number): boolean {
    if (this.failing && this.heldBytes + this.length + size > MAX_FAILING_BYTES) {
      this.droppedRecords++
      return false
    }
    if (this.length + size <= this.batch.length) return true
    if (this.length > 0 && this.length + size > CHUNK_BYTES) this.batchFull()
    if (this.length + size > this.batch.length) {
      const grown = Buffer.allocUnsafe(
        Math.max(this.length + size, Math.min(this.batch.length * 2, CHUNK_BYTES)),
      )
      this.batch.copy(grown, 0, 0, this.length)
      this.batch = grown
    }
    return true
  }

  /** A batch reached its size: write it now, or set it aside while the lane fails. */
  private batchFull(): void {
    if (!this.failing) {
      this.drain()
      if (!this.failing) return
    }
    if (this.length === 0) return
    this.held.push(this.batch.subarray(0, this.length))
    this.heldBytes += this.length
    this.batch = Buffer.allocUnsafe(FIRST_CAPACITY)
    this.length = 0
  }

  private drain(): boolean {
    if (this.fd < 0 && !this.open()) return false
    while (this.held.length > 0) {
      const head = this.held[0]!
      const written = this.writeKept(head, head.length)
      this.heldBytes -= written
      if (written < head.length) {
        this.held[0] = head.subarray(written)
        return false
      }
      this.held.shift()
    }
    if (this.length > 0) {
      const written = this.writeKept(this.batch, this.length)
      // A failure part way (a full disk): keep the rest at the front of the batch.
      if (written < this.length) {
        this.batch.copyWithin(0, written, this.length)
        this.length -= written
        return false
      }
      this.length = 0
    }
    if (this.failing) this.recover()
    return true
  }

  /**
   * Writes `buffer[0, size)` and makes sure it landed in a file that still exists: when the file was removed
   * while open (a cleanup job deleted the folder), the bytes went nowhere, so the folder and file are made again
   * and the whole buffer is written there. Lines are lost only if they were already in the file when it was
   * removed. Returns the bytes kept in a linked file; fewer than `size` after a failure (already handled).
   */
  private writeKept(buffer: Buffer, size: number): number {
    for (let attempt = 0; ; attempt++) {
      const written = this.writeWhole(buffer, size)
      if (written < size || !this.removed()) return written
      this.closeFd()
      if (attempt === MAX_REWRITES) {
        this.fail(Object.assign(new Error('the file keeps being removed while written'), { code: 'ENOENT' }))
        return 0
      }
      if (!this.open()) return 0
    }
  }

  /** Loops over partial writes (a signal, a nearly full disk); the bytes written before any failure. */
  private writeWhole(buffer: Buffer, size: number): number {
    let done = 0
    while (done < size) {
      const written = this.writeOut(buffer, done, size - done)
      if (written < 0) break
      done += written
    }
    return done
  }

  /** True when the open file has no name left (its folder or itself was deleted). One `fstat` per batch. */
  private removed(): boolean {
    try {
      return fstatSync(this.fd).nlink === 0
    } catch {
      return false
    }
  }

  /** One `write(2)` of `buffer[offset, offset + size)`; the bytes written, or -1 after a failure has been handled. */
  private writeOut(buffer: Buffer, offset: number, size: number): number {
    let written: number
    try {
      written = writeSync(this.fd, buffer, offset, size)
    } catch (error) {
      this.fail(error as NodeJS.ErrnoException)
      return -1
    }
    if (written === 0) {
      this.fail(Object.assign(new Error('write(2) wrote nothing'), { code: 'EAGAIN' }))
      return -1
    }
    return written
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
    for (const bytes of [...this.held, this.batch.subarray(0, this.length)]) {
      for (let i = bytes.indexOf(NEWLINE); i !== -1; i = bytes.indexOf(NEWLINE, i + 1)) {
        if (
          !(
            bytes[i + 1] === SPACE &&
            bytes[i + 2] === SPACE &&
            bytes[i + 3] === SPACE &&
            bytes[i + 4] === SPACE
          )
        )
          count++
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
