import { existsSync, readdirSync, readFileSync, statSync, utimesSync } from 'node:fs'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { formatFolderName } from '@loglanes/core'

export const MINUTE = 60_000
export const HOUR = 3_600_000
export const DAY = 86_400_000

/** The UTC folder name of the interval of `minutes` that contains t. */
export function utcFolder(t: number, minutes: number): string {
  const length = minutes * MINUTE
  return formatFolderName(Math.floor(t / length) * length, minutes)
}

/** Names of the folders in `dir` that are not dot-names, sorted. */
export function folderNames(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.'))
    .map((entry) => entry.name)
    .sort()
}

/** Lines of a gzip file (every member), without the final empty string. */
export function gunzipLines(path: string): string[] {
  const text = gunzipSync(readFileSync(path)).toString('utf8')
  if (text === '') return []
  if (!text.endsWith('\n')) throw new Error(`${path} does not end with a line feed`)
  return text.slice(0, -1).split('\n')
}

/** Every line of a lane in a folder: its archive first, then its plain file (the order they were written in). */
export function laneLines(folder: string, lane: string): string[] {
  const lines: string[] = []
  const archive = join(folder, `${lane}.log.gz`)
  if (existsSync(archive)) lines.push(...gunzipLines(archive))
  const plain = join(folder, `${lane}.log`)
  if (existsSync(plain)) {
    const text = readFileSync(plain, 'utf8')
    if (text !== '') lines.push(...text.slice(0, -1).split('\n'))
  }
  return lines
}

/** Files of a folder that are loglanes' private leftovers (dot-names). */
export function leftovers(folder: string): string[] {
  return readdirSync(folder).filter((name) => name.startsWith('.'))
}

/** Sets back the modification time of every file under `dir` by `ms`, as if it had been written that long ago. */
export function ageFiles(dir: string, ms: number): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) ageFiles(path, ms)
    else if (entry.isFile()) {
      const { mtimeMs } = statSync(path)
      const then = new Date(mtimeMs - ms)
      utimesSync(path, then, then)
    }
  }
}

export { waitFor } from './files.js'

/** Waits until more than `marginMs` remain before the next multiple of `length` (epoch ms), e.g. an hour. */
export async function awayFromBoundary(length: number, marginMs = 10_000): Promise<void> {
  const left = length - (Date.now() % length)
  if (left < marginMs) await new Promise((resolve) => setTimeout(resolve, left + 50))
}
