import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { lineCounts, tempDir } from '../support/files.js'

const run = promisify(execFile)

describe('lane diagnostics', () => {
  it('reports a failing lane with a single stderr line, and its recovery with one more, never crashing', async () => {
    const dir = tempDir()
    const { stderr } = await run(process.execPath, [
      join(import.meta.dirname, 'fixtures/failingLane.mjs'),
      dir,
    ])
    const lines = stderr.trim().split('\n')
    expect(lines).toHaveLength(2)
    expect(lines[0]).toMatch(
      /^loglanes: lane "db" cannot write .*db\.log: a folder is there, not a file loglanes made \(left as it is\); its records are kept and retried$/,
    )
    expect(lines[1]).toMatch(/^loglanes: lane "db" recovered: writing .*db\.log again$/)
    expect(lineCounts(dir)).toEqual({ 'app.log': 500, 'db.log': 500 })
  })
})
