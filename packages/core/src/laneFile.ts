import { fstatSync, openSync, readdirSync, readSync, writeSync, writevSync } from 'node:fs'
import { join } from 'node:path'
import { type BatchPool, POOLED_BYTES } from './batchPool.js'
import { parseLaneFileName, partName } from './laneFileNames.js'
import {
  closeQuietly,
  entryOf,
  explainRefusal,
  foreignEntry,
  foreignKind,
  LANE_FILE_FLAGS,
} from './ownFiles.js'

/**
 * What a lane file needs from its owner: file modes, where to report trouble, and the one budget of bytes that
 * every lane of the process shares while it cannot write.
 */
export interface LaneFileHost {
  readonly fileMode: number
  readonly dirMode: number
  laneFailed(file: LaneFile, error: NodeJS.ErrnoException): void
  laneRecovered(file: LaneFile): void
  recordsDropped(file: LaneFile, records: number, reason: string): void
  /**
   * True when `bytes` more can be held for lanes that cannot write, beside what {@link holding} counted: a failing
   * lane asks before each record it keeps, and refuses (counts) the record when the answer is no.
   */
  mayHold(bytes: number): boolean
  /** A failing lane now holds `change` bytes more (less, when negative) than it last told. */
  holding(change: number): void
  /** Why a failing lane's record was refused, for its `recordsDropped` report (names the limit). */
  readonly heldLimit: string
  /** The lane is about to open its file: the host closes another lane's file first when too many are open. */
  fileOpening(file: LaneFile): void
  /** The lane opened its file. */
  fileOpened(file: LaneFile): void
  /** The lane wrote a batch to its open file (once per batch, not per record): it is the most recently written. */
  fileWritten(file: LaneFile): void
  /** The lane closed its file. */
  fileClosed(file: LaneFile): void
  /**
   * A descriptor of the interval folder `name` in `dir` (`''`: `dir` itself), made if missing and entered without
   * following a link (see `enterFolderSync`), which the host keeps open for all the folder's lanes: a lane that
   * `maxOpenFiles` closed reopens its file with one `open(2)`. The lane never closes it.
   */
  folderDescriptor(name: string): number
  /** Closes the host's descriptor of folder `name`: the next lane to open enters it by its path again. */
  forgetFolder(name: string): void
  /** `maxFileSize` in bytes: a lane goes on in `<lane>.1.log`, `<lane>.2.log`, ... past it; 0 for no cap. */
  readonly maxFileSize: number
  /** Where a lane takes its first batch buffer and gives it back when its file closes with nothing queued. */
  readonly batches: BatchPool
}

/** Bytes buffered per lane before they are written at once; bounds memory and makes each write one big batch. */
const CHUNK_BYTES = 256 * 1024
/** Times a batch is written again to a new file when its file was removed under it, before the lane fails. */
const MAX_REWRITES = 3
/** Writes in a row that leave only part of a record before the lane counts as failing (a nearly full disk). */
const MAX_STALLS = 2
/** Looks at a file's end, each after waiting for writes in progress, before a missing line break counts as a fragment. */
const MAX_LOOKS = 3
const FIRST_RETRY_MS = 50
const MAX_RETRY_MS = 2_000
const EMPTY = Buffer.alloc(0)
/** Written before a batch when the file does not end a line (a killed writer or a full disk left a fragment). */
const LINE_BREAK = Buffer.from('\n')
const NEWLINE = 10
const SPACE = 32

/**
 * One lane file (`<dir>/<folder>/<lane>.log`): opened on its first write, appended with `O_APPEND` in whole batches
 * of whole records, so lines from several processes never interleave.
 *
 * Records are encoded (or copied, for byte input) straight into one growing buffer per lane, so a batch costs
 * one copy and one `write(2)`. Writes are synchronous and batched by the owner (one write per file per batch):
 * nothing is ever in flight, so a flush at process exit is complete. A failing write keeps its bytes, reports
 * once, and retries by reopening the path with backoff until the cause goes away. A file deleted while open
 * (its folder removed by a cleanup job) is noticed after each batch and made again with that batch in it.
 *
 * Only a file loglanes made is ever written: the folder is entered and the file opened without following a link
 * or waiting on a FIFO, and what was opened must be a regular file with one link, owned by this user. Anything
 * else in its place makes the lane fail (reported, records kept and retried), and is left as it is.
 *
 * Every batch starts on a fresh line: when the file does not end with a line break (a writer was killed, or the
 * disk filled, in the middle of a line), one is written in the same `writev(2)` before the batch. A record cut
 * short by a full disk is written again whole on the next attempt, never completed from the middle.
 */
export class LaneFile {
  private fd = -1
  /** The batch being filled; `length` bytes of it are records. */
  private batch: Buffer = EMPTY
  private length = 0
  /** Full batches waiting while the lane fails, oldest first. */
  private readonly held: Buffer[] = []
  private heldBytes = 0
  private failing = false
  private retryTimer: NodeJS.Timeout | undefined
  private retryDelay = FIRST_RETRY_MS
  private droppedRecords = 0
  /** Bytes this lane last told its host it holds while failing (see {@link settleHeld}). */
  private toldHeld = 0
  private closed = false
  /**
   * The file's size right after this process's last batch, when nothing else was written after it: the file then
   * ends with that batch's line break, and the next batch need not read the last byte. -1 when unknown.
   */
  private knownEnd = -1
  /** The inode {@link knownEnd} is of: a file reopened by name may be another. */
  private knownIno = -1
  /** The file's size as the last {@link endsLine} saw it. */
  private size = 0
  /** The size `fstat` gave when the file was just opened, for the first {@link endsLine} after it; -1 once used. */
  private openedSize = -1
  /** Room for the file's last byte, read by {@link endsLine}. */
  private readonly lastByte = Buffer.alloc(1)
  /** The open file had no name left after the last write (its folder or itself was deleted). */
  private unlinked = false
  /** Folder holding the file. */
  readonly folder: string
  /** Path of the file being written: `<lane>.log`, or `<lane>.<part>.log` once `maxFileSize` rolled it. */
  path: string
  /** The part being written (0: `<lane>.log`); -1 until the folder was looked at for parts of other processes. */
  private part: number
  /** Bytes of the buffer the current `write(2)` was meant to take (the whole records that fit in the part). */
  private chunk = 0

  constructor(
    /** The lane name (file stem). */
    readonly lane: string,
    /** The base folder (`dir`): the user's own path. */
    dir: string,
    /** The interval folder's name in `dir`, '' for files directly in `dir`. */
    private readonly folderName: string,
    private readonly host: LaneFileHost,
  ) {
    this.folder = folderName === '' ? dir : join(dir, folderName)
    this.path = join(this.folder, `${lane}.log`)
    this.part = host.maxFileSize > 0 ? -1 : 0
  }

  /** True when some accepted record is not yet in the file descriptor. */
  get pending(): boolean {
    return this.length > 0 || this.heldBytes > 0
  }

  /** True while the lane's last write or open failed. */
  get isFailing(): boolean {
    return this.failing
  }

  /** True while the file has an open descriptor (a write costs no `open(2)`). */
  get isOpen(): boolean {
    return this.fd >= 0
  }

  /** Bytes of records queued in the batch being filled. */
  get queuedBytes(): number {
    return this.length
  }

  /**
   * The host's: when it first held this lane's queued records back instead of writing them (epoch ms), -1 when it
   * does not hold them. Every write clears it.
   */
  heldSince = -1

  /** Queues one whole record (ending in `\n`). Writes at once when the batch is full. */
  append(text: string): void {
    // UTF-8 needs at most 3 bytes per UTF-16 unit: reserve that, then encode in place. A record too big for the
    // batch is measured instead, so that a 50 MB record does not grow a 150 MB buffer.
    const most = text.length * 3
    if (!this.reserve(most > CHUNK_BYTES ? Buffer.byteLength(text) : most)) return
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
    this.heldSince = -1
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
    this.host.batches.give(this.batch)
    this.batch = EMPTY
    this.settleHeld()
  }

  /**
   * Makes room for `size` more bytes; false when the record is refused: the lane is failing and the bytes held for
   * every failing lane of the process reached the host's limit. A lane that writes pays one flag check.
   */
  private reserve(size: number): boolean {
    if (this.failing) {
      this.settleHeld()
      if (!this.host.mayHold(size)) {
        this.droppedRecords++
        return false
      }
      // Told before it is kept, so that no lane's next record can pass the limit meanwhile.
      this.host.holding(size)
      this.toldHeld += size
    }
    if (this.length + size <= this.batch.length) return true
    // A lane whose file is closed is written rather than grown past a pooled buffer (the HOLD_BYTES its host
    // holds it for: it would write it at the end of the turn anyway), so thousands of such lanes keep small buffers.
    if (
      this.length > 0 &&
      (this.length + size > CHUNK_BYTES ||
        (this.fd < 0 && !this.failing && this.batch.length >= POOLED_BYTES))
    )
      this.batchFull()
    if (this.length + size > this.batch.length) {
      if (this.length === 0 && size <= POOLED_BYTES) {
        // The first buffer (or the one after a huge record) comes from the host's pool (see BatchPool). The batch
        // is empty here: any buffer the lane holds is at least a pooled one, which the record would have fitted.
        this.batch = this.host.batches.take()
      } else {
        const grown = Buffer.allocUnsafe(
          Math.max(this.length + size, Math.min(this.batch.length * 2, CHUNK_BYTES)),
        )
        this.batch.copy(grown, 0, 0, this.length)
        this.host.batches.give(this.batch)
        this.batch = grown
      }
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
    // The held view keeps the buffer: the next record takes another.
    this.held.push(this.batch.subarray(0, this.length))
    this.heldBytes += this.length
    this.batch = EMPTY
    this.length = 0
  }

  /**
   * Closes the file's descriptor, keeping everything queued: the next batch reopens the path with `O_APPEND`
   * (and checks it again). For a host that keeps only so many files open.
   */
  closeDescriptor(): void {
    this.closeFd()
    // Nothing queued: give the batch back too, so that thousands of quiet lanes (many folders, many domains) hold
    // no buffers. The next record takes one from the pool again.
    if (!this.pending) {
      this.host.batches.give(this.batch)
      this.batch = EMPTY
    }
  }

  /** Writes what is queued, then tells the host that the file was written, or how much the lane holds if failing. */
  private drain(): boolean {
    const done = this.drainQueued()
    if (this.fd >= 0) this.host.fileWritten(this)
    this.settleHeld()
    return done
  }

  /**
   * Tells the host what this lane holds now that it cannot write (its kept batches and the batch being filled),
   * or that it holds nothing once it writes again or is closed. Called per batch and per record kept while
   * failing: a lane that writes has nothing to tell.
   */
  private settleHeld(): void {
    const held = this.failing && !this.closed ? this.heldBytes + this.length : 0
    if (held === this.toldHeld) return
    this.host.holding(held - this.toldHeld)
    this.toldHeld = held
  }

  private drainQueued(): boolean {
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
      // A batch grown past a chunk by one huge record is let go once that record is written.
      if (this.batch.length > CHUNK_BYTES) this.batch = EMPTY
    }
    if (this.failing) this.recover()
    return true
  }

  /**
   * Writes `buffer[0, size)` and makes sure it landed in a file that still exists: when the file was removed
   * while open (a cleanup job deleted the folder), the bytes went nowhere, so the folder and file are made again
   * and the whole buffer is written there. Lines are lost only if they were already in the file when it was
   * removed. Returns the bytes of whole records kept in a linked file; fewer than `size` after a failure
   * (already handled), the rest starting with the record that was cut.
   */
  private writeKept(buffer: Buffer, size: number): number {
    for (let attempt = 0; ; attempt++) {
      const written = this.writeRecords(buffer, size)
      if (written < size || !this.unlinked) return written
      this.closeFd()
      if (attempt === MAX_REWRITES) {
        this.fail(Object.assign(new Error('the file keeps being removed while written'), { code: 'ENOENT' }))
        return 0
      }
      if (!this.open()) return 0
    }
  }

  /**
   * Writes whole records, each `write(2)` starting on a fresh line. A short write (a nearly full disk) is not
   * completed from the middle: the record it cut is written again whole, after a line break, by the next
   * `write(2)`. Returns the bytes of records written whole before a failure (already handled), or `size`.
   */
  private writeRecords(buffer: Buffer, size: number): number {
    let done = 0
    let stalls = 0
    while (done < size) {
      const written = this.writeFresh(buffer, done, size - done)
      if (written < 0) break
      if (written === this.chunk) {
        // All it was meant to take: the rest, if any, goes to the next part.
        done += written
        stalls = 0
        continue
      }
      // Cut short: keep what ends a record; the record it cut goes again, whole.
      const kept = recordsEnd(buffer, done, done + written, size)
      if (kept > done) stalls = 0
      else if (++stalls === MAX_STALLS) {
        this.fail(Object.assign(new Error('the disk takes only part of a record'), { code: 'ENOSPC' }))
        break
      }
      done = kept
    }
    return done
  }

  /**
   * One `write(2)` of `buffer[offset, offset + size)` (whole records), preceded in the same `writev(2)` by a line
   * break when the file does not end with one. Notes whether the file lost its name meanwhile. Returns the bytes
   * of the buffer written, or -1 after a failure has been handled.
   */
  private writeFresh(buffer: Buffer, offset: number, size: number): number {
    let total: number
    let fresh: boolean
    let chunk = size
    try {
      // Bytes that start with a line break (the end of a record whose write stopped just before it) need none.
      const ending = buffer[offset] === NEWLINE
      fresh = this.endsLine() || ending
      if (this.host.maxFileSize > 0) {
        // Only the whole records that fit in this part go; when none does, the next part, where a record larger
        // than the cap goes alone. The line break ending a record cut by a full disk stays with its record.
        for (;;) {
          chunk = recordsWithin(buffer, offset, size, this.host.maxFileSize - this.size - (fresh ? 0 : 1))
          if (chunk > 0) break
          if (this.size === 0 || ending) {
            chunk = firstRecordEnd(buffer, offset, size)
            break
          }
          if (!this.nextPart()) return -1
          fresh = this.endsLine()
        }
      }
      this.chunk = chunk
      const before = this.size
      const bytes = buffer.subarray(offset, offset + chunk)
      total = fresh ? writeSync(this.fd, bytes) : writevSync(this.fd, [LINE_BREAK, bytes])
      const after = fstatSync(this.fd)
      this.unlinked = after.nlink === 0
      // The file ends with this batch's line break unless another process appended since (its size tells).
      this.knownEnd = total === chunk + (fresh ? 0 : 1) && after.size === before + total ? after.size : -1
      this.knownIno = after.ino
    } catch (error) {
      this.knownEnd = -1
      this.fail(error as NodeJS.ErrnoException)
      return -1
    }
    if (total === 0) {
      this.fail(Object.assign(new Error('write(2) wrote nothing'), { code: 'EAGAIN' }))
      return -1
    }
    return fresh ? total : total - 1
  }

  /**
   * True when the file ends with a line break (or is empty), leaving its size in {@link size}: an `fstat`, and a
   * `pread(2)` of the last byte unless this process wrote last. A missing line break may be another process's
   * write in progress (its size grows page by page): a write of nothing waits for it, as it takes the file's write
   * lock, and the end is read again. Only a stable end without a line break is a fragment left behind.
   */
  private endsLine(): boolean {
    // Just opened: the open's own check read the size a moment ago; one fstat per reopened lane saved.
    let size = this.openedSize >= 0 ? this.openedSize : fstatSync(this.fd).size
    this.openedSize = -1
    for (let look = 0; ; look++) {
      this.size = size
      if (size === 0 || size === this.knownEnd) return true
      if (readSync(this.fd, this.lastByte, 0, 1, size - 1) === 1 && this.lastByte[0] === NEWLINE) return true
      if (look === MAX_LOOKS) return false
      writeSync(this.fd, EMPTY, 0, 0)
      const settled = fstatSync(this.fd).size
      if (settled === size) return false
      size = settled
    }
  }

  /** Goes on in the next part: closes the full one and opens `<lane>.<part + 1>.log`. False after a failure (handled). */
  private nextPart(): boolean {
    this.closeFd()
    this.setPart(this.part + 1)
    return this.open()
  }

  private setPart(part: number): void {
    this.part = part
    this.path = join(this.folder, partName(this.lane, part))
  }

  /**
   * Opens the lane file, never through a link and never waiting on a FIFO: the folder is entered by descriptor
   * and the file opened in it, then checked to be a regular file with one link, owned by this user. With
   * `maxFileSize`, the first open in a folder takes the highest part any process made there (archives included).
   */
  private open(): boolean {
    try {
      this.host.fileOpening(this)
      const fd = this.openInFolder()
      const info = fstatSync(fd)
      const kind = foreignKind(info)
      if (kind !== undefined) {
        closeQuietly(fd)
        throw foreignEntry(this.path, kind)
      }
      this.fd = fd
      this.openedSize = info.size
      // The same file, as long as this process left it (reopened after maxOpenFiles closed it): it still ends with
      // this process's last batch, and the next batch need not read its last byte.
      if (info.ino !== this.knownIno || info.size !== this.knownEnd) this.knownEnd = -1
      this.unlinked = false
      this.host.fileOpened(this)
      return true
    } catch (error) {
      this.fail(error as NodeJS.ErrnoException)
      return false
    }
  }

  /**
   * Opens the part's file in the folder's descriptor the host keeps. The folder removed meanwhile (a cleanup job,
   * or retention): it is made and entered again, once.
   */
  private openInFolder(): number {
    for (let attempt = 0; ; attempt++) {
      const folderFd = this.host.folderDescriptor(this.folderName)
      try {
        if (this.part < 0) this.setPart(highestPart(entryOf(folderFd, this.folder, '.'), this.lane))
        return openSync(
          entryOf(folderFd, this.folder, partName(this.lane, this.part)),
          LANE_FILE_FLAGS,
          this.host.fileMode,
        )
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || attempt === 1)
          throw explainRefusal(error, this.path)
        this.host.forgetFolder(this.folderName)
      }
    }
  }

  private fail(error: NodeJS.ErrnoException): void {
    // Reopen on every retry, entering the folder by its path again: the path may have been replaced (a removed
    // folder, a link to a full device).
    this.closeFd()
    this.host.forgetFolder(this.folderName)
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
      `refused while the lane was failing: ${this.host.heldLimit}`,
    )
    this.droppedRecords = 0
  }

  /** Records still queued, counted as lines that do not start a stack continuation. */
  private countQueuedRecords(): number {
    let count = 0
    // A leading line break ends a record already written whole.
    let from = (this.held[0] ?? this.batch)[0] === NEWLINE && this.pending ? 1 : 0
    for (const bytes of [...this.held, this.batch.subarray(0, this.length)]) {
      for (let i = bytes.indexOf(NEWLINE, from); i !== -1; i = bytes.indexOf(NEWLINE, i + 1)) {
        if (!startsContinuation(bytes, i + 1)) count++
      }
      from = 0
    }
    return count
  }

  private closeFd(): void {
    if (this.fd < 0) return
    closeQuietly(this.fd)
    this.fd = -1
    this.openedSize = -1
    this.host.fileClosed(this)
  }
}

/** The highest part of `lane` in the folder at `folder` (`<lane>.N.log` or `<lane>.N.log.gz`); 0 when none. */
function highestPart(folder: string, lane: string): number {
  let highest = 0
  const prefix = `${lane}.`
  for (const name of readdirSync(folder)) {
    // The prefix first: with thousands of lanes in a folder, most names are another lane's.
    if (!name.startsWith(prefix)) continue
    const parsed = parseLaneFileName(name)
    if (parsed !== undefined && parsed.lane === lane) highest = Math.max(highest, parsed.part)
  }
  return highest
}

/**
 * Bytes of the whole records at the start of `buffer[offset, offset + size)` that fit in `room` bytes: all of
 * them when they fit, 0 when not even the first does.
 */
function recordsWithin(buffer: Buffer, offset: number, size: number, room: number): number {
  if (room >= size) return size
  // A part already full, or past the cap (another process wrote between this one's fstat and its write): nothing
  // fits. Searching from `offset + room - 1` would start from a negative index, which lastIndexOf counts from the
  // end of the buffer: the writer stayed in that part for good and wrote bytes past the batch.
  if (room <= 0) return 0
  const end = offset + size
  for (
    let i = buffer.lastIndexOf(NEWLINE, offset + room - 1);
    i >= offset;
    i = buffer.lastIndexOf(NEWLINE, i - 1)
  ) {
    if (i + 1 >= end || !startsContinuation(buffer, i + 1)) return i + 1 - offset
    if (i === 0) break
  }
  return 0
}

/** Bytes of the first whole record of `buffer[offset, offset + size)` (a record's stack lines belong to it). */
function firstRecordEnd(buffer: Buffer, offset: number, size: number): number {
  const end = offset + size
  for (let i = buffer.indexOf(NEWLINE, offset); i !== -1 && i < end; i = buffer.indexOf(NEWLINE, i + 1)) {
    if (i + 1 >= end || !startsContinuation(buffer, i + 1)) return i + 1 - offset
  }
  return size
}

/**
 * Where the records written whole end in `buffer[from, cut)`, a write cut at `cut`: just after the last line break
 * that ends a record (a line break followed by an indented stack line is inside a record). A record cut right
 * before its own line break is whole: it is not written again, only its line break, which then starts the rest.
 * `from` when no record was written whole.
 */
function recordsEnd(buffer: Buffer, from: number, cut: number, size: number): number {
  for (let i = buffer.lastIndexOf(NEWLINE, cut); i >= from; i = buffer.lastIndexOf(NEWLINE, i - 1)) {
    if (i + 1 >= size || !startsContinuation(buffer, i + 1)) return i === cut ? i : i + 1
    if (i === 0) break
  }
  return from
}

/** True when the line at `at` is an indented stack line, the continuation of the record before it. */
function startsContinuation(bytes: Uint8Array, at: number): boolean {
  return bytes[at] === SPACE && bytes[at + 1] === SPACE && bytes[at + 2] === SPACE && bytes[at + 3] === SPACE
}
