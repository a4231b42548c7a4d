import type { FileHandle } from 'node:fs/promises'
import { basename } from 'node:path'
import { Readable } from 'node:stream'
import { createGunzip } from 'node:zlib'
import type { LogFolder } from '@loglanes/core'
import { type LaneFileSet, laneFilePaths } from './laneLayout.js'
import { type LaneRecord, RecordAssembler } from './laneRecord.js'
import { LineSplitter, MAX_LINE_BYTES } from './lineSplitter.js'

const CHUNK_BYTES = 64 * 1024
/**
 * A run of NUL bytes this long ends the reading of a file: loglanes never writes one (it escapes control
 * characters), a hole of a sparse file is thousands long, and a stray NUL some other writer put in a line is
 * printed, escaped, as any other control character.
 */
const NUL_RUN = Buffer.alloc(64)

/**
 * Where reading a plain lane file stopped: the file (by inode, as another file may replace it under its name) and
 * the byte after the last whole line.
 */
export interface PlainCursor {
  readonly path: string
  readonly ino: number
  offset: number
  /** Whether `offset` is inside a line longer than {@link MAX_LINE_BYTES}, skipped up to its newline. */
  skipping: boolean
  /** Goes on with the file: it keeps the last record's time for untimed records that follow. */
  readonly assembler: RecordAssembler
}

/** How a {@link LaneReader} reads. */
export interface LaneReaderOptions {
  /**
   * Leave a last line that has no newline yet unread (when following, its writer may not be done); otherwise it
   * is a record too.
   */
  readonly holdPartial: boolean
  /** Read only the times of JSON records (see {@link RecordAssembler}). */
  readonly timesOnly: boolean
  readonly onError: ReadErrorHandler
  /** Says what was skipped in a file that was read (a line longer than {@link MAX_LINE_BYTES}). */
  readonly onWarning: ReadWarningHandler
}

/** Reports a file that could not be read; the other files go on. */
export type ReadErrorHandler = (path: string, error: Error) => void
/** Reports what was skipped in a file: `message` follows the file's path. */
export type ReadWarningHandler = (path: string, message: string) => void

/** The warning for a line skipped as longer than the cap, at `offset` (bytes from the file's start). */
export function longLineWarning(offset: number, decompressed = false): string {
  return `skipped a line longer than ${MAX_LINE_BYTES / 1024 / 1024} MiB at byte ${offset}${decompressed ? ' of the decompressed text' : ''}`
}

/**
 * Opens the lane file `name` of `folder` for reading: never through a link, never a FIFO, only a regular file (see
 * {@link LogFolder.openLog}).
 */
export function openLaneFile(folder: LogFolder, name: string): Promise<FileHandle> {
  return folder.openLog(name)
}

/**
 * The error that ends the reading of a file at a run of NUL bytes ({@link NUL_RUN}): a hole of a sparse file
 * someone planted (`truncate -s 1T` costs no disk, and reading its zeros would take hours), or binary data. The
 * rest of the file is skipped, reported once.
 */
function nulError(offset: number, decompressed: boolean): NodeJS.ErrnoException {
  const where = `byte ${offset}${decompressed ? ' of the decompressed text' : ''}`
  return Object.assign(
    new Error(`NUL bytes at ${where}: not text loglanes wrote (a hole, or binary data); the rest is skipped`),
    { code: 'EBINARY' },
  )
}

/**
 * Reads `handle` from `start` in fresh buffers (never reused: a {@link LineSplitter} keeps pieces of them) until
 * `end` or the end of the file, whichever comes first. A `text` file (not an archive) ends at a run of NUL bytes:
 * what comes before it is given, then the error saying where.
 */
export async function* fileChunks(
  handle: FileHandle,
  start: number,
  end = Number.POSITIVE_INFINITY,
  text = true,
) {
  let position = start
  while (position < end) {
    const length = Math.min(CHUNK_BYTES, end - position)
    const buffer = Buffer.allocUnsafe(length)
    const { bytesRead } = await handle.read(buffer, 0, length, position)
    if (bytesRead === 0) return
    const nul = text ? buffer.subarray(0, bytesRead).indexOf(NUL_RUN) : -1
    if (nul !== -1) {
      if (nul > 0) yield buffer.subarray(0, nul)
      throw nulError(position + nul, false)
    }
    position += bytesRead
    yield buffer.subarray(0, bytesRead)
  }
}

/**
 * The decompressed bytes of the gzip file `name` of `folder`; concatenated gzip members are read one after the
 * other. The file is opened as every lane file is ({@link openLaneFile}).
 */
export async function* gunzipChunks(folder: LogFolder, name: string): AsyncGenerator<Buffer> {
  const handle = await openLaneFile(folder, name)
  const source = Readable.from(fileChunks(handle, 0, Number.POSITIVE_INFINITY, false))
  const gunzip = createGunzip()
  source.on('error', (error) => gunzip.destroy(error))
  source.pipe(gunzip)
  try {
    // A gzip bomb of zeros ends at its first run of NULs, as a plain file's hole does.
    let position = 0
    for await (const chunk of gunzip) {
      const bytes = chunk as Buffer
      const nul = bytes.indexOf(NUL_RUN)
      if (nul !== -1) {
        if (nul > 0) yield bytes.subarray(0, nul)
        throw nulError(position + nul, true)
      }
      position += bytes.length
      yield bytes
    }
  } finally {
    source.destroy()
    gunzip.destroy()
    await handle.close()
  }
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'ENOENT'
}

/**
 * Reads every record of one lane in a folder, streaming: the archive `<lane>.log.gz` (decompressed), then the
 * plain `<lane>.log` that holds records written after it. A file that vanished meanwhile is skipped; one that
 * cannot be read is reported and skipped.
 */
export class LaneReader {
  /** Where each plain file (by file name) was left, once {@link batches} is done. */
  readonly plainCursors = new Map<string, PlainCursor>()

  /**
   * @param folder the folder of `files`, open: the files are opened through it by name, so a folder replaced by a
   *   link meanwhile is never read through.
   */
  constructor(
    readonly files: LaneFileSet,
    private readonly folder: LogFolder,
    private readonly options: LaneReaderOptions,
  ) {}

  /** The lane's records in file order (part by part, each part's archive first), a batch per chunk read. */
  async *batches(): AsyncGenerator<LaneRecord[]> {
    const assembler = new RecordAssembler(this.options.timesOnly)
    for (const { path, archive } of laneFilePaths(this.files)) {
      if (archive) {
        const splitter = this.splitter(path, true)
        yield* this.read(path, gunzipChunks(this.folder, basename(path)), assembler, false, splitter)
      } else {
        yield* this.readPlain(path, assembler)
      }
    }
  }

  /** One plain file from its start, leaving its cursor in {@link plainCursors}. */
  private async *readPlain(plain: string, assembler: RecordAssembler): AsyncGenerator<LaneRecord[]> {
    let handle: FileHandle
    try {
      handle = await openLaneFile(this.folder, basename(plain))
    } catch (error) {
      if (!isMissing(error)) this.options.onError(plain, error as Error)
      return
    }
    try {
      const { ino } = await handle.stat()
      const splitter = this.splitter(plain, false)
      yield* this.read(plain, fileChunks(handle, 0), assembler, this.options.holdPartial, splitter)
      const { consumed: offset, skipping } = splitter
      this.plainCursors.set(basename(plain), { path: plain, ino, offset, skipping, assembler })
    } catch (error) {
      this.options.onError(plain, error as Error)
    } finally {
      await handle.close()
    }
  }

  /** A splitter that warns of each line skipped as too long in `path`. */
  private splitter(path: string, decompressed: boolean): LineSplitter {
    return new LineSplitter((offset) => this.options.onWarning(path, longLineWarning(offset, decompressed)))
  }

  private async *read(
    path: string,
    chunks: AsyncIterable<Buffer>,
    assembler: RecordAssembler,
    holdPartial: boolean,
    splitter: LineSplitter,
  ): AsyncGenerator<LaneRecord[]> {
    const lines: string[] = []
    try {
      for await (const chunk of chunks) {
        lines.length = 0
        splitter.push(chunk, lines)
        const records: LaneRecord[] = []
        for (const line of lines) assembler.push(line, records)
        if (records.length > 0) yield records
      }
    } catch (error) {
      if (!isMissing(error)) this.options.onError(path, error as Error)
    }
    const records: LaneRecord[] = []
    const last = holdPartial ? undefined : splitter.takePartial()
    if (last !== undefined) assembler.push(last, records)
    assembler.flush(records)
    if (records.length > 0) yield records
  }
}
