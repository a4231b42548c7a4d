import type { Dirent } from 'node:fs'
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { LANE_NAME_PATTERN, LogFolder } from '@loglanes/core'

// Interval folder names: `YYYY-MM-DD` (24h) or `YYYY-MM-DD__HH-MM`; zero-padded, so they sort by time as text.
const FOLDER_NAME = /^\d{4}-\d{2}-\d{2}(?:__\d{2}-\d{2})?$/
const LANE_FILE = /^(.+)\.log(\.gz)?$/

/** The files of one lane in one folder: the gzip archive (read first) and the plain file of later records. */
export interface LaneFileSet {
  readonly lane: string
  /** `<lane>.log.gz`, when there is one. */
  archive: string | undefined
  /** `<lane>.log`, when there is one. */
  plain: string | undefined
}

/** One folder of lanes: an interval folder, or `dir` itself (interval `'none'`, or a folder given directly). */
export interface LaneGroup {
  /** The folder name, or `'.'` for lane files directly in `dir`. */
  readonly name: string
  readonly path: string
  /** The folder is `dir` itself: the user's own path, which may be a link (an interval folder never is). */
  readonly isDir: boolean
  /** Lanes sorted by name. */
  readonly lanes: readonly LaneFileSet[]
}

/**
 * The lane name of a file name: `db` for `db.log` and `db.log.gz`; undefined for anything else (dot-files such
 * as `.loglanes.lock` or a compression's private copies, other files, names that are not lane names).
 */
export function laneOfFileName(name: string): { lane: string; archive: boolean } | undefined {
  const match = LANE_FILE.exec(name)
  if (!match || !LANE_NAME_PATTERN.test(match[1]!)) return undefined
  return { lane: match[1]!, archive: match[2] !== undefined }
}

/** Whether a name is an interval folder's. */
export function isIntervalFolderName(name: string): boolean {
  return FOLDER_NAME.test(name)
}

/** The lane files of one folder, grouped by lane and sorted by name. */
export function lanesOf(entries: readonly Dirent[], folder: string): LaneFileSet[] {
  const byLane = new Map<string, LaneFileSet>()
  for (const entry of entries) {
    // Symbolic links are skipped: a link to a lane file would show its records twice.
    if (!entry.isFile()) continue
    const parsed = laneOfFileName(entry.name)
    if (parsed === undefined) continue
    let files = byLane.get(parsed.lane)
    if (files === undefined) {
      files = { lane: parsed.lane, archive: undefined, plain: undefined }
      byLane.set(parsed.lane, files)
    }
    files[parsed.archive ? 'archive' : 'plain'] = join(folder, entry.name)
  }
  return [...byLane.values()].sort((a, b) => compareText(a.lane, b.lane))
}

/**
 * The lane groups under `dir`, oldest first: lane files directly in `dir` (as group `'.'`), then every interval
 * folder by name. The `current` link and other links, dot-files and anything else are skipped. Folders that hold
 * no lane file are left out unless `keepEmpty` (a folder prepared for the next interval is empty until it starts).
 *
 * @throws the file system error of reading `dir` (ENOENT when it does not exist).
 * @example
 * ```ts
 * const groups = await scanLaneGroups('logs')
 * groups.map((g) => g.name) // ['2026-11-20__13-00', '2026-11-20__14-00']
 * ```
 */
export async function scanLaneGroups(dir: string, { keepEmpty = false } = {}): Promise<LaneGroup[]> {
  const entries = await readdir(dir, { withFileTypes: true })
  const groups: LaneGroup[] = []
  const rootLanes = lanesOf(entries, dir)
  if (rootLanes.length > 0) groups.push({ name: '.', path: dir, isDir: true, lanes: rootLanes })
  const folders = entries
    .filter((entry) => entry.isDirectory() && isIntervalFolderName(entry.name))
    .map((entry) => entry.name)
    .sort(compareText)
  for (const name of folders) {
    const path = join(dir, name)
    // A folder removed meanwhile (retention), or replaced by a link (never followed), simply has no lanes.
    const lanes = lanesOf(await listFolder(path).catch(() => []), path)
    if (lanes.length > 0 || keepEmpty) groups.push({ name, path, isDir: false, lanes })
  }
  return groups
}

/** The entries of the interval folder at `path`, listed by descriptor (see {@link openGroupFolder}). */
async function listFolder(path: string): Promise<Dirent[]> {
  const folder = await LogFolder.open(path)
  try {
    return await folder.list()
  } finally {
    await folder.close()
  }
}

/**
 * Opens a group's folder to read its files: an interval folder never through a link (a folder renamed away and
 * replaced by a link to another place since the scan is refused), `dir` itself as the user gave it.
 */
export function openGroupFolder(group: LaneGroup): Promise<LogFolder> {
  return LogFolder.open(group.path, group.isDir)
}

/** Every lane name found in `groups`, sorted. */
export function laneNames(groups: readonly LaneGroup[]): string[] {
  const names = new Set<string>()
  for (const group of groups) for (const files of group.lanes) names.add(files.lane)
  return [...names].sort(compareText)
}

/** Code-unit order, the same on every machine (unlike localeCompare). */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
