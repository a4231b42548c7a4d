import type { Dirent } from 'node:fs'
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { LogFolder, parseLaneFileName } from '@loglanes/core'

// Interval folder names: `YYYY-MM-DD` (24h) or `YYYY-MM-DD__HH-MM`; zero-padded, so they sort by time as text.
const FOLDER_NAME = /^\d{4}-\d{2}-\d{2}(?:__\d{2}-\d{2})?$/
/** The files of one part of a lane in one folder: the gzip archive (read first) and the plain file of later records. */
export interface LanePartFiles {
  /** 0 for `<lane>.log`, N for `<lane>.N.log`. */
  readonly part: number
  /** `<lane>.log.gz` (or `<lane>.N.log.gz`), when there is one. */
  archive: string | undefined
  /** `<lane>.log` (or `<lane>.N.log`), when there is one. */
  plain: string | undefined
}

/** The files of one lane in one folder, part by part in the order they were written. */
export interface LaneFileSet {
  readonly lane: string
  /** By part number, lowest first: each part's records come before the next part's. */
  readonly parts: LanePartFiles[]
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

/** Every file of `files`, in reading order: part by part, each part's archive before its plain file. */
export function laneFilePaths(files: LaneFileSet): { path: string; archive: boolean }[] {
  const paths: { path: string; archive: boolean }[] = []
  for (const part of files.parts) {
    if (part.archive !== undefined) paths.push({ path: part.archive, archive: true })
    if (part.plain !== undefined) paths.push({ path: part.plain, archive: false })
  }
  return paths
}

/** Whether a name is an interval folder's. */
export function isIntervalFolderName(name: string): boolean {
  return FOLDER_NAME.test(name)
}

/** The lane files of one folder, grouped by lane and sorted by name. */
export function lanesOf(entries: readonly Dirent[], folder: string): LaneFileSet[] {
  const byLane = new Map<string, LaneFileSet>()
  const byPart = new Map<string, LanePartFiles>()
  for (const entry of entries) {
    // Symbolic links are skipped: a link to a lane file would show its records twice.
    if (!entry.isFile()) continue
    const parsed = parseLaneFileName(entry.name)
    if (parsed === undefined) continue
    let files = byLane.get(parsed.lane)
    if (files === undefined) {
      files = { lane: parsed.lane, parts: [] }
      byLane.set(parsed.lane, files)
    }
    // A lane capped by maxFileSize may have thousands of parts: found by key, not by a search of the list.
    const key = `${parsed.lane}.${parsed.part}`
    let part = byPart.get(key)
    if (part === undefined) {
      part = { part: parsed.part, archive: undefined, plain: undefined }
      byPart.set(key, part)
      files.parts.push(part)
    }
    part[parsed.archive ? 'archive' : 'plain'] = join(folder, entry.name)
  }
  for (const files of byLane.values()) files.parts.sort((a, b) => a.part - b.part)
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
