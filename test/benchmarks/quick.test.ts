import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'

const run = promisify(execFile)

describe('npm run bench -- --quick', () => {
  it('runs every configuration end to end and every output file has its exact line count', async () => {
    // Times are never asserted here; --quick exits non-zero when any configuration lost or duplicated a line.
    const { stdout } = await run(
      process.execPath,
      [join(import.meta.dirname, '../../benchmarks/run.mjs'), '--quick'],
      {
        timeout: 120_000,
      },
    )
    const rows = stdout
      .split('\n')
      .filter((line) => line.startsWith('| ') && !line.startsWith('| configuration'))
    expect(rows.filter((row) => !row.startsWith('| ---'))).toHaveLength(7)
    expect(stdout).not.toContain('## Findings')
  }, 180_000)
})
