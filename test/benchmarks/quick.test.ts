import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'

const run = promisify(execFile)

describe('npm run bench -- --quick', () => {
  it('runs every configuration of every workload end to end, every output file with its exact line count', async () => {
    // Times are never asserted here; --quick exits non-zero when any configuration lost or duplicated a line.
    const { stdout } = await run(
      process.execPath,
      [join(import.meta.dirname, '../../benchmarks/run.mjs'), '--quick'],
      {
        timeout: 150_000,
      },
    )
    expect(stdout).not.toContain('## Findings')
    const sections = stdout.split('\n## ').slice(1)
    expect(sections.map((section) => section.slice(0, 2))).toEqual(['W1', 'W2', 'W3', 'W4', 'W5', 'W6'])
    for (const section of sections) {
      const rows = section
        .split('\n')
        .filter((line) => line.startsWith('| ') && !line.startsWith('| configuration'))
      // Ten configurations per workload (a configuration that cannot run a workload says so in its row).
      expect(rows.filter((row) => !row.startsWith('| ---'))).toHaveLength(10)
    }
  }, 180_000)
})
