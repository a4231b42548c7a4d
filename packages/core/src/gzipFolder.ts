import { lstatSync, renameSync, type Stats } from 'node:fs'
import { type FileHandle, lstat, open, rename, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import { pipeline } from 'node:stream/promises'
import { createGzip } from 'node:zlib'
import type { FolderScan, LaneFiles } from './folderScan.js'
import { uniqueToken } from './maintenanceLock.js'
import {
  CREATE_OWN_FLAGS,
  entryOf,
  explainRefusal,
  foreignEntry,
  foreignKind,
  openFolder,
  READ_OWN_FLAGS,
} from './ownFiles.js'

const READ_CHUNK = 256 * 1024

/** How {@link gzipFolder} runs. */
export interface GzipFolderOptions {
  /** Mode of a new archive, narrowed to that of the file it compresses. Default `0o640`. */
  readonly fileMode?: number
  /** The current time (epoch ms). Default `Date.now()`. */
  readonly now?: number
  /**
   * A file modified less than this long ago may still be written: it is left for a later pass. Writers close
   * their files after a grace period, so this must exceed it. Default 60 s.
   */
  readonly quietMs?: number
  /** Asked right before a plain file is moved aside: true when this process has the folder open for writing. */
  readonly isOpen?: () => boolean
  /** Asked before each lane is compressed: true stops the pass there (the rest is left for a later pass). */
  readonly shouldStop?: () => boolean
  /** Asked right before each archive is renamed in: false when the maintenance lock was lost meanwhile. */
  readonly stillOwner?: () => Promise<boolean>
  /** A file that could not be handled (it is left as it was, for a later pass). ENOENT is never reported. */
  readonly onError?: (path: string, error: NodeJS.ErrnoException) => void
}

/** What {@link gzipFolder} did. */
export interface GzipFolderResult {
  /** Lanes whose archive took new bytes (or was completed from a stopped pass). */
  readonly archived: readonly string[]
  /** The earliest time a later pass may finish what this one left (a file still being written); undefined if none. */
  readonly retryAt: number | undefined
  /** True when something was left for a later pass (a recent write, a stop, an error). */
  readonly deferred: boolean
}

/**
 * Compresses the lanes of one closed interval folder: every `<lane>.log` becomes (or is appended to, as one more
 * gzip member) `<lane>.log.gz`, with Node's zlib streams, so that a crash at any point leaves either the original
 * bytes or the finished archive, never neither, and never both counted twice:
 *
 * 1. `<lane>.log` is renamed to a private copy; a late record then creates a fresh `<lane>.log` beside it.
 * 2. The archive is copied to a temporary name, the private copy is appended to it as a new gzip member, the
 *    temporary file is synced, and checked: if the private copy changed meanwhile (a writer still holds it), it
 *    stays for a later pass.
 * 3. The private copy is renamed `committing`, the temporary archive renamed over `<lane>.log.gz`, and only then
 *    is the private copy removed.
 *
 * Leftovers of a stopped or crashed pass are finished first: a `committing` copy whose temporary archive is still
 * there gets it renamed in (it was complete), otherwise it is already archived and removed; other temporary
 * archives are removed; `pending` copies are compressed, oldest first. Every step treats a file already handled
 * by another process (ENOENT) as done. Files modified within `quietMs` are left for a later pass.
 *
 * Only files loglanes made are touched: the folder is entered by descriptor (never through a link), and every file
 * must be a regular file with one link, owned by this user, opened without following a link or waiting on a FIFO,
 * and read no further than the size `fstat` gave. Anything else (a link to a secret, a FIFO, a device) is left
 * exactly as it is, under its name, and reported; the other lanes go on.
 *
 * The caller decides which folders are closed, and holds the maintenance lock.
 *
 * @example
 * ```ts
 * const result = await gzipFolder(await scanFolder('logs/2026-11-20__13-00'), { fileMode: 0o640 })
 * result.archived // ['app', 'error']
 * ```
 */
export async function gzipFolder(
  scan: FolderScan,
  options: GzipFolderOptions = {},
): Promise<GzipFolderResult> {
  let folder: FileHandle
  try {
    // Only a folder of this user: an archive made in another's would take the group its owner chose.
    folder = await openFolder(scan.path, false, true)
  } catch (error) {
    // Deleted by another process meanwhile: nothing left to compress.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      return { archived: [], retryAt: undefined, deferred: false }
    throw error
  }
  try {
    const run = new FolderRun(scan.path, folder, options)
    for (const files of [...scan.lanes.values()].sort((a, b) => (a.lane < b.lane ? -1 : 1))) {
      if (run.stopped()) break
      try {
        await run.lane(files)
      } catch (error) {
        const failure = error as NodeJS.ErrnoException
        run.failed(failure, failure.path ?? join(scan.path, `${files.lane}.log`))
      }
    }
    return { archived: run.archived, retryAt: run.retryAt, deferred: run.deferred }
  } finally {
    await folder.close()
  }
}

type EntryKind = 'plain' | 'archive' | 'pending' | 'committing' | 'tmp'

class FolderRun {
  readonly archived: string[] = []
  retryAt: number | undefined
  deferred = false
  private readonly now: number
  private readonly quietMs: number
  private readonly fileMode: number

  constructor(
    private readonly folder: string,
    /** The folder, open by descriptor: every entry is reached through it (see `entryOf`). */
    private readonly handle: FileHandle,
    private readonly options: GzipFolderOptions,
  ) {
    this.now = options.now ?? Date.now()
    this.quietMs = options.quietMs ?? 60_000
    this.fileMode = options.fileMode ?? 0o640
  }

  stopped(): boolean {
    if (this.options.shouldStop?.() !== true) return false
    this.deferred = true
    return true
  }

  failed(error: NodeJS.ErrnoException, path: string): void {
    if (error.code === 'ENOENT') return
    this.deferred = true
    this.options.onError?.(path, error)
  }

  async lane(files: LaneFiles): Promise<void> {
    const { lane } = files
    let finished = false
    for (const token of files.committing) {
      // Its temporary archive was complete and synced: rename it in, unless that already happened.
      await this.own(lane, token, 'tmp')
      await this.own(lane, token, 'committing')
      await ignoreMissing(rename(this.path(lane, token, 'tmp'), this.path(lane, undefined, 'archive')))
      await ignoreMissing(unlink(this.path(lane, token, 'committing')))
      finished = true
    }
    for (const token of files.temporaries) {
      if (files.committing.includes(token)) continue
      if ((await this.own(lane, token, 'tmp')) !== undefined)
        await ignoreMissing(unlink(this.path(lane, token, 'tmp')))
    }

    const copies: { token: string; mtimeMs: number }[] = []
    for (const token of files.pending) {
      const info = await this.own(lane, token, 'pending')
      if (info !== undefined) copies.push({ token, mtimeMs: info.mtimeMs })
    }
    // Oldest first, and the plain file last (it was created after any copy a crashed pass moved aside): the
    // archive keeps the order lines were written in, so a copy that must wait holds back the newer ones.
    copies.sort((a, b) => a.mtimeMs - b.mtimeMs || (a.token < b.token ? -1 : 1))
    for (const { token } of copies) {
      const outcome = await this.compress(lane, token)
      if (outcome === 'deferred') return this.done(lane, finished)
      finished ||= outcome === 'archived'
    }
    // Moved aside only now, right before it is compressed: a stop never leaves a plain file moved aside.
    const token = files.plain ? await this.moveAside(lane) : undefined
    if (token !== undefined) finished = (await this.compress(lane, token)) === 'archived' || finished
    this.done(lane, finished)
  }

  private done(lane: string, archived: boolean): void {
    if (archived) this.archived.push(lane)
  }

  /** Renames `<lane>.log` to a private copy; undefined when it is still being written or is gone. */
  private async moveAside(lane: string): Promise<string | undefined> {
    const info = await this.own(lane, undefined, 'plain')
    if (info === undefined) return undefined
    if (!this.isQuiet(info.mtimeMs)) return undefined
    // An archive that is not loglanes' own (a link, a folder) stops the lane before anything is moved.
    await this.own(lane, undefined, 'archive')
    if (this.options.isOpen?.() === true) {
      this.deferUntil(this.now + this.quietMs)
      return undefined
    }
    const plain = this.path(lane, undefined, 'plain')
    const token = uniqueToken()
    try {
      // Synchronous, right after the checks: a lane file of this thread cannot open the old path in between, and
      // the entry renamed is the file just checked (another process may have put something else there meanwhile).
      const now = lstatSync(plain)
      if (now.ino !== info.ino || foreignKind(now) !== undefined) {
        this.deferUntil(this.now + this.quietMs)
        return undefined
      }
      renameSync(plain, this.path(lane, token, 'pending'))
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
      throw error
    }
    return token
  }

  /** Appends one private copy to the archive: archived, gone (handled elsewhere) or deferred to a later pass. */
  private async compress(lane: string, token: string): Promise<'archived' | 'gone' | 'deferred'> {
    const before = await this.own(lane, token, 'pending')
    if (before === undefined) return 'gone'
    // A write since the copy was moved aside means a writer may still hold it: leave it for a later pass.
    if (!this.isQuiet(before.mtimeMs)) return 'deferred'
    const archiveBefore = await this.own(lane, undefined, 'archive')
    const temporary = this.path(lane, token, 'tmp')
    const input = await this.openOwn(lane, token, 'pending', before)
    try {
      // A new archive is never more open than the file it holds (made stricter by hand, or by other options).
      const out = await open(temporary, CREATE_OWN_FLAGS, this.fileMode & before.mode & 0o777)
      let bytes: number
      try {
        if (archiveBefore !== undefined) {
          const archive = await this.openOwn(lane, undefined, 'archive', archiveBefore)
          try {
            await copyBytes(archive, out, archiveBefore.size)
          } finally {
            await archive.close()
          }
        }
        bytes = await appendGzipMember(input, out, before.size)
        await out.sync()
      } finally {
        await out.close()
      }
      const after = await input.stat()
      const archiveAfter = await this.own(lane, undefined, 'archive')
      const unchanged =
        after.size === bytes &&
        after.mtimeMs === before.mtimeMs &&
        archiveAfter?.ino === archiveBefore?.ino &&
        archiveAfter?.size === archiveBefore?.size &&
        archiveAfter?.mtimeMs === archiveBefore?.mtimeMs
      if (!unchanged || (this.options.stillOwner !== undefined && !(await this.options.stillOwner()))) {
        await ignoreMissing(unlink(temporary))
        this.deferUntil(Date.now() + this.quietMs)
        return 'deferred'
      }
    } catch (error) {
      await ignoreMissing(unlink(temporary))
      throw error
    } finally {
      await input.close()
    }
    // The commit: from `committing` on, the finished temporary archive is what a later pass completes.
    await rename(this.path(lane, token, 'pending'), this.path(lane, token, 'committing'))
    await rename(temporary, this.path(lane, undefined, 'archive'))
    await unlink(this.path(lane, token, 'committing'))
    await this.handle.sync().catch(() => {
      // Durability across power loss only (some platforms cannot sync a folder); the renames themselves are done.
    })
    return 'archived'
  }

  /**
   * What `lstat` says of an entry, or undefined when it is missing.
   * @throws a foreign-entry error when it is not a file loglanes made (a link, a FIFO, another user's file).
   */
  private async own(lane: string, token: string | undefined, kind: EntryKind): Promise<Stats | undefined> {
    let stats: Stats
    try {
      stats = await lstat(this.path(lane, token, kind))
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
      throw error
    }
    const foreign = foreignKind(stats)
    if (foreign !== undefined) throw foreignEntry(this.shown(lane, token, kind), foreign)
    return stats
  }

  /** Opens an entry {@link own} saw as `seen` for reading: never through a link, never waiting, the same file. */
  private async openOwn(
    lane: string,
    token: string | undefined,
    kind: EntryKind,
    seen: Stats,
  ): Promise<FileHandle> {
    let handle: FileHandle
    try {
      handle = await open(this.path(lane, token, kind), READ_OWN_FLAGS)
    } catch (error) {
      throw explainRefusal(error, this.shown(lane, token, kind))
    }
    const stats = await handle.stat()
    const foreign =
      foreignKind(stats) ?? (stats.ino === seen.ino ? undefined : 'another file (replaced meanwhile)')
    if (foreign === undefined) return handle
    await handle.close()
    throw foreignEntry(this.shown(lane, token, kind), foreign)
  }

  private isQuiet(mtimeMs: number): boolean {
    if (mtimeMs + this.quietMs <= this.now) return true
    this.deferUntil(mtimeMs + this.quietMs)
    return false
  }

  private deferUntil(time: number): void {
    this.deferred = true
    if (this.retryAt === undefined || time < this.retryAt) this.retryAt = time
  }

  /** The path to operate on: the entry in the folder held open (see `entryOf`). */
  private path(lane: string, token: string | undefined, kind: EntryKind): string {
    return entryOf(this.handle.fd, this.folder, entryName(lane, token, kind))
  }

  /** The path to report. */
  private shown(lane: string, token: string | undefined, kind: EntryKind): string {
    return join(this.folder, entryName(lane, token, kind))
  }
}

function entryName(lane: string, token: string | undefined, kind: EntryKind): string {
  switch (kind) {
    case 'plain':
      return `${lane}.log`
    case 'archive':
      return `${lane}.log.gz`
    case 'tmp':
      return `.${lane}.log.gz.${token}.tmp`
    default:
      return `.${lane}.log.${token}.${kind}`
  }
}

/**
 * Streams the first `size` bytes of `input` (the size `fstat` gave: a file still growing, or a device, is never
 * read further) through gzip onto the end of `out`.
 * @returns the bytes read: the caller compares them with the file's size to see whether it changed meanwhile.
 */
async function appendGzipMember(input: FileHandle, out: FileHandle, size: number): Promise<number> {
  let position = 0
  async function* contents(): AsyncGenerator<Buffer> {
    while (position < size) {
      const length = Math.min(READ_CHUNK, size - position)
      const buffer = Buffer.allocUnsafe(length)
      const { bytesRead } = await input.read(buffer, 0, length, position)
      if (bytesRead === 0) return
      position += bytesRead
      yield buffer.subarray(0, bytesRead)
    }
  }
  await pipeline(contents, createGzip(), async (compressed: AsyncIterable<Buffer>) => {
    for await (const chunk of compressed) await writeAll(out, chunk)
  })
  return position
}

/** Copies the first `size` bytes of `input` (an archive) to `out`, in chunks. */
async function copyBytes(input: FileHandle, out: FileHandle, size: number): Promise<void> {
  const buffer = Buffer.allocUnsafe(Math.min(READ_CHUNK, Math.max(size, 1)))
  for (let position = 0; position < size; ) {
    const { bytesRead } = await input.read(buffer, 0, Math.min(buffer.length, size - position), position)
    if (bytesRead === 0) break
    await writeAll(out, buffer.subarray(0, bytesRead))
    position += bytesRead
  }
}

async function writeAll(out: FileHandle, chunk: Buffer): Promise<void> {
  let offset = 0
  while (offset < chunk.length) {
    const { bytesWritten } = await out.write(chunk, offset, chunk.length - offset)
    offset += bytesWritten
  }
}

async function ignoreMissing(operation: Promise<unknown>): Promise<void> {
  try {
    await operation
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
  }
}
