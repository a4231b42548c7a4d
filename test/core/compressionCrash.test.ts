import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { MAINTENANCE_LOCK_NAME, resolveOptions, runMaintenance } from '@loglanes/core'
import { describe, expect, it } from 'vitest'
import { tempDir } from '../support/files.js'
import { gunzipLines, HOUR, leftovers, utcFolder } from '../support/maintenance.js'

const PASS = join(import.meta.dirname, 'fixtures/compressPass.mjs')
const LANES = ['app', 'db'] as const

/** Three past hour folders of two lanes, ~650 kB each of poorly compressible lines; returns their content. */
function writeFolders(dir: string): Map<string, string> {
  const contents = new Map<string, string>()
  const hour = Math.floor(Date.now() / HOUR) * HOUR
  for (let k = 0; k < 3; k++) {
    const folder = utcFolder(hour - (10 - k) * HOUR, 60)
    mkdirSync(join(dir, folder))
    for (const lane of LANES) {
      const noise = randomBytes(300_000).toString('hex')
      let text = ''
      for (let n = 0, at = 0; at < noise.length; n++, at += 200) {
        text += `${JSON.stringify({ folder, lane, n, noise: noise.slice(at, at + 200) })}\n`
      }
      writeFileSync(join(dir, folder, `${lane}.log`), text)
      contents.set(`${folder}/${lane}`, text)
    }
  }
  return contents
}

/** Every byte a lane has, wherever a pass left it; archives are read only as far as they are complete. */
function survivingLines(folder: string, lane: string): Set<string> {
  const found = new Set<string>()
  for (const name of readdirSync(folder)) {
    const path = join(folder, name)
    let lines: string[] = []
    if (name === `${lane}.log` || (name.startsWith(`.${lane}.log.`) && !name.endsWith('.tmp'))) {
      lines = readFileSync(path, 'utf8').split('\n')
    } else if (name === `${lane}.log.gz`) {
      lines = gunzipLines(path)
    }
    for (const line of lines) if (line !== '') found.add(line)
  }
  return found
}

describe('a pass killed mid-compression', () => {
  it('leaves the original bytes or a finished archive at every point, and the next pass loses and duplicates nothing', async () => {
    const options = resolveOptions({
      interval: '1h',
      timezone: 'UTC',
      levelFiles: false,
      compress: 'gzip',
      dir: tempDir(),
    })
    const delays = [0, 10, 30, 60, 100]
    let killedMidPass = 0
    for (const delay of delays) {
      const dir = tempDir()
      const contents = writeFolders(dir)
      const child = spawn(process.execPath, [PASS, dir], { stdio: ['ignore', 'pipe', 'pipe'] })
      let stderr = ''
      child.stderr.on('data', (chunk) => {
        stderr += chunk
      })
      const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()))
      // Kill once the pass has begun moving files, `delay` ms later.
      const folders = [...new Set([...contents.keys()].map((key) => key.split('/')[0]!))]
      const started = Date.now()
      while (!folders.some((folder) => leftovers(join(dir, folder)).length > 0)) {
        if (Date.now() - started > 10_000) throw new Error('the pass never started')
        await new Promise((resolve) => setTimeout(resolve, 1))
      }
      await new Promise((resolve) => setTimeout(resolve, delay))
      child.kill('SIGKILL')
      await exited
      expect(stderr).toBe('')
      if (folders.some((folder) => leftovers(join(dir, folder)).length > 0)) killedMidPass++

      // At the crash point, every line is still somewhere.
      for (const [key, text] of contents) {
        const [folder, lane] = key.split('/') as [string, string]
        const surviving = survivingLines(join(dir, folder), lane)
        const lost = text
          .slice(0, -1)
          .split('\n')
          .filter((line) => !surviving.has(line))
        expect(lost).toEqual([])
      }

      // The next pass takes over the dead owner's lock and finishes: every archive holds exactly its lines.
      const result = await runMaintenance({ ...options, dir }, { now: Date.now() + HOUR })
      expect(result.lockBusy).toBe(false)
      expect(existsSync(join(dir, MAINTENANCE_LOCK_NAME))).toBe(false)
      for (const [key, text] of contents) {
        const [folder, lane] = key.split('/') as [string, string]
        expect(readdirSync(join(dir, folder)).sort()).toEqual(['app.log.gz', 'db.log.gz'])
        const archived = gunzipLines(join(dir, folder, `${lane}.log.gz`))
        expect(archived.length).toBe(text.split('\n').length - 1)
        expect(`${archived.join('\n')}\n` === text).toBe(true)
      }
    }
    // The kills did land inside passes (files moved aside, temporary archives half written).
    expect(killedMidPass).toBeGreaterThanOrEqual(3)
  })
})
