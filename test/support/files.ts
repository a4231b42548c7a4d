import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative, resolve } from 'node:path'
import { afterAll, expect } from 'vitest'

/** Folders made by this test file, removed once it has run (safe with concurrent tests, unlike per-test hooks). */
const madeFolders: string[] = []
afterAll(() => {
  for (const dir of madeFolders.splice(0)) rmSync(dir, { recursive: true, force: true })
})

/** A fresh temporary folder, removed after the test file has run. */
export function tempDir(prefix = 'loglanes-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  madeFolders.push(dir)
  return dir
}

/** The repository's root folder. */
export const REPO_ROOT = resolve(import.meta.dirname, '../..')

/**
 * A fresh ESM project folder inside the repository (git-ignored `.test-scratch/`), so code run there resolves
 * loglanes, pino and winston from the repository's node_modules; removed after the test file has run.
 */
export function repoProject(prefix: string): string {
  mkdirSync(join(REPO_ROOT, '.test-scratch'), { recursive: true })
  const dir = mkdtempSync(join(REPO_ROOT, '.test-scratch', prefix))
  madeFolders.push(dir)
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n')
  return dir
}

/** Lines of a file, without the final empty string. */
export function readLines(path: string): string[] {
  const text = readFileSync(path, 'utf8')
  if (text === '') return []
  expect(text.endsWith('\n')).toBe(true)
  return text.slice(0, -1).split('\n')
}

/** Every file under `dir`, as paths relative to it, sorted. */
export function listFiles(dir: string): string[] {
  const out: string[] = []
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name)
      if (entry.isDirectory()) walk(path)
      else out.push(relative(dir, path))
    }
  }
  walk(dir)
  return out.sort()
}

/** Line counts of every file under `dir`, keyed by relative path. */
export function lineCounts(dir: string): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const file of listFiles(dir)) counts[file] = readLines(join(dir, file)).length
  return counts
}

export function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory()
  } catch {
    return false
  }
}

/** Paths under `folder` this process holds open (Linux /proc). */
export function openFilesUnder(folder: string): string[] {
  const open: string[] = []
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      const target = readlinkSync(`/proc/self/fd/${fd}`)
      if (target.startsWith(`${folder}/`)) open.push(target)
    } catch {
      // The fd closed while we listed.
    }
  }
  return open
}

/** Polls `condition` every 20 ms until it holds; throws naming `what` after `timeoutMs`. */
export async function waitFor(
  condition: () => boolean,
  timeoutMs = 5_000,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`${what} not met within ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}
