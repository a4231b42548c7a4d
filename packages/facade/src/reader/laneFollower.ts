import type { FileHandle } from 'node:fs/promises'
import { readdir } from 'node:fs/promises'
import { basename, join } from 'node:path'
import { LogFolder } from '@loglanes/core'
import { compareText, isIntervalFolderName, lanesOf } from './laneLayout.js'
import {
  fileChunks,
  longLineWarning,
  openLaneFile,
  type PlainCursor,
  type ReadErrorHandler,
  type ReadWarningHandler,
} from './laneReader.js'
import { type LaneRecord, RecordAssembler } from './laneRecord.js'
import { LineSplitter } from './lineSplitter.js'

/**
 * A folder other than the newest stops being followed once its lane files took nothing for this long. Writers
 * keep a past folder open for late records for a grace period (30 s by default), and compression moves a plain
 * file away only once it sat unwritten for 60 s, by which time every line of it has been read here.
 */
export const FOLDER_QUIET_MS = 45_000
/** A file that grew by more than this is read in several polls, so one busy lane cannot hold the others back. */
const READ_LIMIT_BYTES = 1024 * 1024
/** The name of the group of lane files directly in `dir`. */
const ROOT = '.'

/** A record that a poll found, with where it came from. */
export interface FollowedRecord {
  readonly record: LaneRecord
  /** Folder name, `'.'` for `dir` itself. */
  readonly group: string
  readonly lane: string
}

/** A folder followed from the start, with where its plain lane files were read up to. */
export interface FollowedStart {
  readonly name: string
  /** The folder as it was read (the follower takes it over and closes it). */
  readonly folder: LogFolder
  readonly cursors: ReadonlyMap<string, PlainCursor>
}

interface FollowedGroup {
  readonly name: string
  readonly path: string
  /** The folder entered by descriptor: its files are listed and opened through it, never through its path. */
  folder: LogFolder | undefined
  /** By plain file name (`db.log`, `db.1.log`). */
  readonly cursors: Map<string, PlainCursor>
  lastChange: number
}

/** What {@link LaneFollower} follows. */
export interface LaneFollowerOptions {
  readonly dir: string
  /** Lane names to read; undefined for every lane. */
  readonly lanes: ReadonlySet<string> | undefined
  /** Every interval folder name that existed at the start (only folders appearing later are new). */
  readonly knownFolders: Iterable<string>
  /** The folders whose files were read up to their end at the start, to be followed from there. */
  readonly followed: readonly FollowedStart[]
  readonly onError: ReadErrorHandler
  readonly onWarning: ReadWarningHandler
  /** Read only the times of JSON records (see {@link RecordAssembler}). */
  readonly timesOnly: boolean
  /** The clock, for tests. Default `Date.now`. */
  readonly now?: () => number
}

/**
 * Follows the lanes of a log folder by polling: each {@link poll} reads the whole lines appended to the plain lane
 * files since the last one, from byte offsets kept per file (a line still being written waits for its newline),
 * and picks up interval folders that appeared meanwhile (a rollover) from their first byte. So every line is read
 * once. A file replaced under its name (a new inode, or a shorter file) is read from its start.
 *
 * Each folder is entered once by descriptor, without following a link, and its files are listed and opened through
 * it. When its path no longer leads to that folder (renamed away, replaced), it is entered again by the path,
 * never through a link, and read from the start as the other folder it is; a link there is reported and the folder
 * is no longer followed. {@link close} releases the folders.
 */
export class LaneFollower {
  private readonly groups = new Map<string, FollowedGroup>()
  private readonly known: Set<string>
  /** The newest interval folder name known: it is followed however quiet it is. */
  private newest = ''
  /** Files whose error was reported: polls retry them quietly until they read again. */
  private readonly failing = new Set<string>()
  private readonly now: () => number

  constructor(private readonly options: LaneFollowerOptions) {
    this.now = options.now ?? Date.now
    this.known = new Set(options.knownFolders)
    for (const name of this.known) if (compareText(name, this.newest) > 0) this.newest = name
    const start = this.now()
    for (const { name, folder, cursors } of options.followed) this.follow(name, start, folder, cursors)
    if (!this.groups.has(ROOT)) this.follow(ROOT, start)
  }

  /** Whether a folder (`'.'` for `dir` itself) is followed now. */
  isFollowed(name: string): boolean {
    return this.groups.has(name)
  }

  /** The folder names followed now (`'.'` is `dir` itself), sorted. */
  followedFolders(): string[] {
    return [...this.groups.keys()].sort(compareText)
  }

  /**
   * Reads what was appended since the last poll.
   *
   * @returns the new records, by folder (oldest first) and lane, each lane in file order; `more` when a file had
   *   more than one poll reads, so the caller polls again at once.
   */
  async poll(): Promise<{ records: FollowedRecord[]; more: boolean }> {
    const records: FollowedRecord[] = []
    let more = false
    const now = this.now()
    const entries = await readdir(this.options.dir, { withFileTypes: true }).catch(() => undefined)
    if (entries === undefined) return { records, more }
    for (const entry of entries) {
      if (entry.isDirectory() && isIntervalFolderName(entry.name) && !this.known.has(entry.name)) {
        this.known.add(entry.name)
        if (compareText(entry.name, this.newest) > 0) this.newest = entry.name
        this.follow(entry.name, now)
      }
    }
    for (const name of this.followedFolders()) {
      const group = this.groups.get(name)!
      const folder = await this.enter(group)
      const groupEntries = folder === undefined ? undefined : await folder.list().catch(() => undefined)
      if (folder === undefined || groupEntries === undefined) {
        // Removed (retention), or a link in its place: nothing more can arrive there. `dir` is tried again.
        if (name !== ROOT) await this.unfollow(name)
        continue
      }
      const listed = new Set<string>()
      for (const files of lanesOf(groupEntries, group.path)) {
        if (this.options.lanes && !this.options.lanes.has(files.lane)) continue
        // Every part's plain file: another process may still end a batch in a part this one has left.
        for (const { plain } of files.parts) {
          if (plain === undefined) continue
          listed.add(basename(plain))
          const read = await this.readPlain(group, folder, files.lane, plain, records)
          if (read.changed) group.lastChange = now
          if (read.more) more = true
        }
      }
      // A plain file moved away (compression takes it once quiet, when it was read to its end): a file of that
      // name appearing later is another one, even if it gets the same inode number back.
      for (const name of group.cursors.keys()) if (!listed.has(name)) group.cursors.delete(name)
      if (name !== ROOT && name !== this.newest && now - group.lastChange > FOLDER_QUIET_MS)
        await this.unfollow(name)
    }
    return { records, more }
  }

  /** Releases the folders followed; {@link poll} is not called after. */
  async close(): Promise<void> {
    for (const name of this.followedFolders()) await this.unfollow(name)
  }

  private follow(
    name: string,
    now: number,
    folder?: LogFolder,
    cursors: ReadonlyMap<string, PlainCursor> = new Map(),
  ): void {
    const path = name === ROOT ? this.options.dir : join(this.options.dir, name)
    this.groups.set(name, { name, path, folder, cursors: new Map(cursors), lastChange: now })
  }

  private async unfollow(name: string): Promise<void> {
    await this.groups.get(name)?.folder?.close()
    this.groups.delete(name)
  }

  /**
   * The group's folder: the one entered before while its path still leads to it, else the folder now at its path,
   * entered without following a link (its files are then other files, read from their start); undefined when
   * there is none (a link there is reported).
   */
  private async enter(group: FollowedGroup): Promise<LogFolder | undefined> {
    if (group.folder !== undefined) {
      if (await group.folder.isStillAt()) return group.folder
      await group.folder.close()
      group.folder = undefined
      group.cursors.clear()
    }
    try {
      group.folder = await LogFolder.open(group.path, group.name === ROOT)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') this.report(group.path, error as Error)
      return undefined
    }
    this.failing.delete(group.path)
    return group.folder
  }

  /** Reads the whole lines appended to one plain lane file since its cursor. */
  private async readPlain(
    group: FollowedGroup,
    folder: LogFolder,
    lane: string,
    path: string,
    out: FollowedRecord[],
  ): Promise<{ changed: boolean; more: boolean }> {
    const unchanged = { changed: false, more: false }
    const name = basename(path)
    const info = await folder.lstat(name).catch(() => undefined)
    if (info === undefined) {
      group.cursors.delete(name)
      return unchanged
    }
    const known = group.cursors.get(name)
    // Unchanged since the last poll: no need to open it. (A file that stopped at a NUL byte is read again from
    // its cursor on each poll, one chunk: its report is not repeated.)
    if (known !== undefined && known.ino === info.ino && known.offset === info.size) return unchanged
    let handle: FileHandle
    try {
      handle = await openLaneFile(folder, name)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') this.report(path, error as Error)
      return unchanged
    }
    let cursor = known
    let splitter: LineSplitter | undefined
    const lines: string[] = []
    let more = false
    try {
      // The size and inode of the file opened, which may have replaced the one just looked at.
      const opened = await handle.stat()
      if (cursor === undefined || cursor.ino !== opened.ino || opened.size < cursor.offset) {
        const assembler = cursor?.assembler ?? new RecordAssembler(this.options.timesOnly)
        cursor = { path, ino: opened.ino, offset: 0, skipping: false, assembler }
        group.cursors.set(name, cursor)
      }
      const start = cursor.offset
      // Inside a line found too long by an earlier poll: skip on to its newline.
      splitter = new LineSplitter((offset) => this.options.onWarning(path, longLineWarning(start + offset)), {
        skipping: cursor.skipping,
      })
      for await (const chunk of fileChunks(handle, start, opened.size)) {
        splitter.push(chunk, lines)
        // Stop at a line end past the limit; a single longer line is read whole (up to the cap, then skipped).
        if (splitter.consumed >= READ_LIMIT_BYTES) {
          more = true
          break
        }
      }
      this.failing.delete(path)
    } catch (error) {
      this.report(path, error as Error)
    } finally {
      await handle.close()
    }
    if (cursor === undefined || splitter === undefined) return unchanged
    cursor.offset += splitter.consumed
    cursor.skipping = splitter.skipping
    const records: LaneRecord[] = []
    for (const line of lines) cursor.assembler.push(line, records)
    // A text record's stack is written with it: what arrived is complete.
    cursor.assembler.flush(records)
    for (const record of records) out.push({ record, group: group.name, lane })
    return { changed: splitter.consumed > 0, more }
  }

  private report(path: string, error: Error): void {
    if (this.failing.has(path)) return
    this.failing.add(path)
    this.options.onError(path, error)
  }
}
