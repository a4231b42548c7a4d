import { readdir, readlink, stat } from 'node:fs/promises'
import { basename, join } from 'node:path'
import type { LogFolder } from '@loglanes/core'
import { type CommandIo, isLogDirectory, processIo } from './commandIo.js'
import { compareText, type LaneGroup, laneFilePaths, openGroupFolder, scanLaneGroups } from './laneLayout.js'
import { fileChunks, gunzipChunks, openLaneFile } from './laneReader.js'

const NEWLINE = 0x0a
const UNITS = ['KiB', 'MiB', 'GiB', 'TiB']

/** One row of the listing: a lane file. */
export interface LaneFileRow {
  /** Interval folder name, `'.'` for files directly in `dir`. */
  readonly folder: string
  /** File name: `db.log` or `db.log.gz`. */
  readonly file: string
  /** Bytes on disk (compressed, for `.gz`). */
  readonly size: number
  /** Lines, counted in the decompressed bytes for `.gz`; undefined when the file could not be read. */
  readonly lines: number | undefined
}

/** `812 B`, `1.5 KiB`, `12.0 MiB`: bytes in binary units, one decimal above 1 KiB. */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  let value = bytes / 1024
  let unit = 0
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024
    unit++
  }
  return `${value.toFixed(1)} ${UNITS[unit]}`
}

/** Lines in a stream of bytes: its newlines, plus a last line that has none. */
export async function countLines(chunks: AsyncIterable<Buffer>): Promise<number> {
  let lines = 0
  let last = NEWLINE
  for await (const chunk of chunks) {
    if (chunk.length === 0) continue
    for (let at = chunk.indexOf(NEWLINE); at !== -1; at = chunk.indexOf(NEWLINE, at + 1)) lines++
    last = chunk[chunk.length - 1]!
  }
  return last === NEWLINE ? lines : lines + 1
}

/** The lines of the lane file `name` of `folder`, opened as tail opens it ({@link openLaneFile}). */
async function linesOf(folder: LogFolder, name: string, archive: boolean): Promise<number> {
  if (archive) return countLines(gunzipChunks(folder, name))
  const handle = await openLaneFile(folder, name)
  try {
    return await countLines(fileChunks(handle, 0))
  } finally {
    await handle.close()
  }
}

/** The links in `dir` to a folder (`current` -> `2026-11-20__14-00`), as `[name, target]`, sorted. */
async function folderLinks(dir: string): Promise<[string, string][]> {
  const links: [string, string][] = []
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (!entry.isSymbolicLink() || entry.name.startsWith('.')) continue
    const path = join(dir, entry.name)
    const isFolder = await stat(path).then(
      (info) => info.isDirectory(),
      () => false,
    )
    if (isFolder) links.push([entry.name, await readlink(path)])
  }
  return links.sort((a, b) => compareText(a[0], b[0]))
}

/**
 * Adds a row for each lane file of `group`, looked at and read through its folder entered by descriptor (a folder
 * replaced by a link since the scan is never read through). False when a file or the folder could not be read.
 */
async function listGroup(group: LaneGroup, rows: LaneFileRow[], io: CommandIo): Promise<boolean> {
  let folder: LogFolder
  try {
    folder = await openGroupFolder(group)
  } catch (error) {
    // Removed meanwhile (retention): not listed.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return true
    io.stderr.write(`loglanes: cannot read ${group.path}: ${(error as Error).message}\n`)
    return false
  }
  let readAll = true
  try {
    for (const files of group.lanes) {
      for (const { path, archive } of laneFilePaths(files)) {
        const name = basename(path)
        const size = (await folder.lstat(name).catch(() => undefined))?.size
        // Gone meanwhile (compressed, or removed by retention): not listed.
        if (size === undefined) continue
        try {
          rows.push({ folder: group.name, file: name, size, lines: await linesOf(folder, name, archive) })
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue
          readAll = false
          io.stderr.write(`loglanes: cannot read ${path}: ${(error as Error).message}\n`)
          rows.push({ folder: group.name, file: name, size, lines: undefined })
        }
      }
    }
  } finally {
    await folder.close()
  }
  return readAll
}

/** `1 file`, `2 files`. */
function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`
}

function table(rows: readonly string[][], rightAligned: ReadonlySet<number>): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)))
  return rows
    .map((row) =>
      row
        .map((cell, column) =>
          rightAligned.has(column) ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!),
        )
        .join('  ')
        .trimEnd(),
    )
    .map((line) => `${line}\n`)
    .join('')
}

/**
 * `loglanes ls`: lists the interval folders under `dir`, oldest first, with each lane file's size and line count
 * (for `.gz`, the compressed size and the decompressed line count), as an aligned table, then the totals and the
 * `current` link.
 *
 * @returns the exit code: 0, or 1 for a missing folder or a file that could not be read.
 * @example
 * ```ts
 * await listLanes('logs')
 * // FOLDER             FILE       SIZE  LINES
 * // 2026-11-20__14-00  app.log   812 B     12
 * ```
 */
export async function listLanes(dir: string, io: CommandIo = processIo()): Promise<number> {
  if (!(await isLogDirectory(dir, io))) return 1
  const groups = await scanLaneGroups(dir, { keepEmpty: true })
  let failed = false
  const rows: LaneFileRow[] = []
  for (const group of groups) {
    if (group.lanes.length === 0) rows.push({ folder: group.name, file: '(empty)', size: 0, lines: 0 })
    else if (!(await listGroup(group, rows, io))) failed = true
  }
  if (rows.length === 0) {
    io.stdout.write(`no lane files in ${dir}\n`)
    return failed ? 1 : 0
  }
  const cells = [['FOLDER', 'FILE', 'SIZE', 'LINES']]
  for (const row of rows) {
    cells.push([
      row.folder,
      row.file,
      formatSize(row.size),
      row.lines === undefined ? '?' : String(row.lines),
    ])
  }
  const files = rows.filter((row) => row.file !== '(empty)')
  const folders = new Set(rows.map((row) => row.folder).filter((name) => name !== '.')).size
  const bytes = files.reduce((sum, row) => sum + row.size, 0)
  const lines = files.reduce((sum, row) => sum + (row.lines ?? 0), 0)
  let out = table(cells, new Set([2, 3]))
  out += `${count(folders, 'folder')}, ${count(files.length, 'file')}, ${formatSize(bytes)}, ${count(lines, 'line')}\n`
  for (const [name, target] of await folderLinks(dir)) out += `${name} -> ${target}\n`
  io.stdout.write(out)
  return failed ? 1 : 0
}
