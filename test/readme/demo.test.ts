import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { lineCounts, REPO_ROOT, repoProject } from '../support/files.js'

const run = promisify(execFile)

describe('npm run demo', () => {
  it('runs a cluster primary and two workers, exits 0, and prints the tree with line counts', async () => {
    const dir = repoProject('demo-')
    const { stdout } = await run(process.execPath, [join(REPO_ROOT, 'examples/demo/service.mjs')], {
      cwd: dir,
      env: { ...process.env, DEMO_SECONDS: '2', NO_COLOR: '1' },
      timeout: 60_000,
    })
    const counts = lineCounts(join(dir, 'logs'))
    for (const lane of ['app', 'db', 'http', 'error', 'info', 'debug', 'trace']) {
      expect(Object.keys(counts).some((file) => file.endsWith(`/${lane}.log`))).toBe(true)
    }
    // Both workers and the primary wrote: the primary's start line and both workers' exit lines.
    const appLines = Object.entries(counts)
      .filter(([file]) => file.endsWith('/app.log'))
      .reduce((sum, [, n]) => sum + n, 0)
    expect(appLines).toBeGreaterThanOrEqual(5)
    expect(stdout).toContain('The folder loglanes wrote:')
    expect(stdout).toMatch(/FOLDER\s+FILE\s+SIZE\s+LINES/)
    expect(stdout).toContain('npx loglanes tail logs')
  }, 90_000)
})
