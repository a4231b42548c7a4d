import { mkdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { tempDir } from '../support/files.js'
import { cli, outputLines, writePinoLanes } from './fixtures/laneLogs.js'

const T0 = Date.UTC(2026, 10, 20, 14, 0, 50)
const A = '2026-11-20__14-00'
const B = '2026-11-20__14-01'

/** The cells of a table row: columns are separated by two spaces or more. */
const cells = (line: string) => line.trim().split(/ {2,}/)

describe('loglanes ls', () => {
  it('lists the interval folders, oldest first, with each lane file size and line count; .gz decompressed', async () => {
    const dir = tempDir()
    // 20 records: 10 in folder A (14:00:50-59), 10 in B; every third an error; a long one in B's http lane.
    await writePinoLanes(
      dir,
      { domains: ['app', 'db', 'http'], interval: '1m' },
      Array.from({ length: 20 }, (_, i) => ({
        time: T0 + i * 1000,
        domain: ['app', 'db', 'http'][i % 3]!,
        level: i % 3 === 1 ? ('error' as const) : ('info' as const),
        fields: { n: i, pad: i === 17 ? 'x'.repeat(3000) : '' },
        msg: `record ${i}`,
      })),
    )
    // Folder A compressed: db as two gzip members with a plain file of later records beside it.
    const dbLines = readFileSync(join(dir, A, 'db.log'), 'utf8').split(/(?<=\n)/)
    writeFileSync(
      join(dir, A, 'db.log.gz'),
      Buffer.concat([gzipSync(dbLines.slice(0, 2).join('')), gzipSync(dbLines.slice(2).join(''))]),
    )
    writeFileSync(join(dir, A, 'db.log'), '{"level":30,"late":true}\n{"level":30,"late":true}\n')
    writeFileSync(join(dir, A, 'app.log.gz'), gzipSync(readFileSync(join(dir, A, 'app.log'))))
    rmSync(join(dir, A, 'app.log'))
    // Not lanes: dot-files, other files; an empty folder prepared for the next interval is listed as such.
    writeFileSync(join(dir, '.loglanes.lock'), '')
    writeFileSync(join(dir, A, 'notes.txt'), 'x\n')
    mkdirSync(join(dir, '2026-11-20__14-02'))
    symlinkSync(B, join(dir, 'current'))

    const result = await cli(['ls', dir])
    expect(result).toMatchObject({ code: 0, stderr: '' })
    const lines = outputLines(result.stdout)
    const size = (path: string) => statSync(join(dir, path)).size
    const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`
    expect(size(`${B}/http.log`)).toBeGreaterThan(3000)
    expect(lines.map(cells)).toEqual([
      ['FOLDER', 'FILE', 'SIZE', 'LINES'],
      [A, 'app.log.gz', `${size(`${A}/app.log.gz`)} B`, '4'],
      [A, 'db.log.gz', `${size(`${A}/db.log.gz`)} B`, '3'],
      [A, 'db.log', '50 B', '2'],
      [A, 'error.log', `${size(`${A}/error.log`)} B`, '3'],
      [A, 'http.log', `${size(`${A}/http.log`)} B`, '3'],
      [A, 'info.log', `${size(`${A}/info.log`)} B`, '7'],
      [B, 'app.log', `${size(`${B}/app.log`)} B`, '3'],
      [B, 'db.log', `${size(`${B}/db.log`)} B`, '4'],
      [B, 'error.log', `${size(`${B}/error.log`)} B`, '4'],
      [B, 'http.log', kib(size(`${B}/http.log`)), '3'],
      [B, 'info.log', kib(size(`${B}/info.log`)), '6'],
      ['2026-11-20__14-02', '(empty)', '0 B', '0'],
      [expect.stringMatching(/^3 folders, 11 files, \d+\.\d KiB, 42 lines$/)],
      ['current -> 2026-11-20__14-01'],
    ])
    // Aligned: the right-aligned last column ends at the same place on every row of the table.
    const table = lines.slice(0, 13)
    expect(new Set(table.map((line) => line.length)).size).toBe(1)
    expect(new Set(table.map((line) => line.indexOf(cells(line)[1]!))).size).toBe(1)
  })

  it('lists lane files directly in dir (interval none) under ".", and says when there are none', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'app.log'), 'a\nb\nc')
    writeFileSync(join(dir, 'error.log'), '')
    symlinkSync(join(dir, 'app.log'), join(dir, 'linked.log'))
    const result = await cli(['ls', dir])
    expect(outputLines(result.stdout).map(cells)).toEqual([
      ['FOLDER', 'FILE', 'SIZE', 'LINES'],
      ['.', 'app.log', '5 B', '3'],
      ['.', 'error.log', '0 B', '0'],
      ['0 folders, 2 files, 5 B, 3 lines'],
    ])
    const empty = tempDir()
    expect(await cli(['ls', empty])).toEqual({ code: 0, stdout: `no lane files in ${empty}\n`, stderr: '' })
  })

  it('reports a missing dir or a damaged archive with exit code 1, wrong usage with 2, and has --help', async () => {
    expect(await cli(['ls'], { cwd: tempDir() })).toEqual({
      code: 1,
      stdout: '',
      stderr: "loglanes: no such directory 'logs'\n",
    })
    const dir = tempDir()
    mkdirSync(join(dir, A))
    writeFileSync(join(dir, A, 'db.log.gz'), gzipSync('a\nb\n').subarray(0, 10))
    const damaged = await cli(['ls', dir])
    expect(damaged.code).toBe(1)
    expect(damaged.stderr).toMatch(/^loglanes: cannot read .*db\.log\.gz: /)
    expect(cells(outputLines(damaged.stdout)[1]!)).toEqual([A, 'db.log.gz', '10 B', '?'])
    const usage = await cli(['ls', dir, 'other'])
    expect(usage.code).toBe(2)
    expect(usage.stderr).toMatch(/^loglanes ls: one dir at most; got .+\n\nUsage: loglanes ls \[dir\]/)
    expect((await cli(['ls', '--all'])).code).toBe(2)
    const help = await cli(['ls', '--help'])
    expect(help.code).toBe(0)
    expect(help.stdout).toMatch(/^Usage: loglanes ls \[dir\]/)
    expect(help.stdout).toContain('.gz')
  })
})
