import type { FileHandle } from 'node:fs/promises'
import { Readable } from 'node:stream'
import { createGunzip } from 'node:zlib'
import { openLogForReading } from '@loglanes/core'
import type { LaneFileSet } from './laneLayout.js'
import { type LaneRecord, RecordAssembler } from './laneRecord.js'
import { LineSplitter } from './lineSplitter.js'

const CHUNK_BYTES = 64 * 1024

/**
 * Where reading a plain lane file stopped: the file (by inode, as another file may replace it under its name) and
 * the byte after the last whole line.
 */
export interface PlainCursor {
  readonly path: string
  readonly ino: number
  offset: number
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
}

/** Reports a file that could not be read; the other files go on. */
export type ReadErrorHandler = (path: string, error: Error) => void

/**
 * Reads `handle` from `start` in fresh buffers (never reused: a {@link LineSplitter} keeps pieces of them) until
 * `end` or the end of the file, whichever comes first.
 */
export async function* fileChunks(handle: FileHandle, start: number, end = Number.POSITIVE_INFINITY) {
  let position = start
  while (position < end) {
    const length = Math.min(CHUNK_BYTES, end - position)
    const buffer = Buffer.allocUnsafe(length)
    const { bytesRead } = await handle.read(buffer, 0, length, position)
    if (bytesRead === 0) return
    position += bytesRead
    yield buffer.subarray(0, bytesRead)
  }
}

/**
 * The decompressed bytes of a gzip file; concatenated gzip members are read one after the other. The file is
 * opened as every log file is ({@link openLogForReading}): never through a link, never a FIFO.
 */
export async function* gunzipChunks(path: string): AsyncGenerator<Buffer> {
  const handle = await openLogForReading(path)
  const source = Readable.from(fileChunks(handle, 0))
  const gunzip = createGunzip()
  source.on('error', (error) => gunzip.destroy(error))
  source.pipe(gunzip)
  try {
    for await (const chunk of gunzip) yield chunk as Buffer
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
  /** Where the plain file was left, once {@link batches} is done; undefined when there was none. */
  plainCursor: PlainCursor | undefined

  constructor(
    readonly files: LaneFileSet,
    private readonly options: LaneReaderOptions,
  ) {}

  /** The lane's records in file order, a batch per chunk read. */
  async *batches(): AsyncGenerator<LaneRecord[]> {
    const assembler = new RecordAssembler(this.options.timesOnly)
    if (this.files.archive !== undefined) {
      yield* this.read(this.files.archive, gunzipChunks(this.files.archive), assembler, false)
    }
    const plain = this.files.plain
    if (plain === undefined) return
    let handle: FileHandle
    try {
      handle = await openLogForReading(plain)
    } catch (error) {
      if (!isMissing(error)) this.options.onError(plain, error as Error)
      return
    }
    try {
      const { ino } = await handle.stat()
      const splitter = new LineSplitter()
      yield* this.read(plain, fileChunks(handle, 0), assembler, this.options.holdPartial, splitter)
      this.plainCursor = { path: plain, ino, offset: splitter.consumed, assembler }
    } catch (error) {
      this.options.onError(plain, error as Error)
    } finally {
      await handle.close()
    }
  }

  private async *read(
    path: string,
    chunks: AsyncIterable<Buffer>,
    assembler: RecordAssembler,
    holdPartial: boolean,
    splitter = new LineSplitter(),
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
