import { mkdirSync, readFileSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import {
  foldersToDelete,
  LaneRouter,
  type LanesOptions,
  laneOfFile,
  planRetention,
  type RetentionFolder,
  resolveOptions,
} from '@loglanes/core'
import { describe, expect, it } from 'vitest'
import { lineCounts, listFiles, tempDir } from '../support/files.js'
import { awayFromBoundary, folderNames, HOUR, utcFolder } from '../support/maintenance.js'

const DAY = 86_400_000

function days(count: number, from = Date.UTC(2026, 10, 1)): RetentionFolder[] {
  return Array.from({ length: count }, (_, i) => ({
    name: utcFolder(from + i * DAY, 1440),
    wallStart: from + i * DAY,
    end: from + (i + 1) * DAY,
  }))
}

describe('foldersToDelete', () => {
  const folders = days(10) // 2026-11-01 … 2026-11-10
  const now = Date.UTC(2026, 10, 10, 12)
  const kept = new Set(['2026-11-10', '2026-11-09'])

  it('deletes beyond the newest keep, oldest first', () => {
    expect(foldersToDelete({ folders, keep: 3, maxAgeMs: undefined, now, kept })).toEqual([
      '2026-11-01',
      '2026-11-02',
      '2026-11-03',
      '2026-11-04',
      '2026-11-05',
      '2026-11-06',
      '2026-11-07',
    ])
  })

  it('ranks by interval, whatever order the folders come in', () => {
    const shuffled = [...folders].reverse().sort((a, b) => (a.name.endsWith('5') ? -1 : b.end - a.end))
    expect(foldersToDelete({ folders: shuffled, keep: 8, maxAgeMs: undefined, now, kept })).toEqual([
      '2026-11-01',
      '2026-11-02',
    ])
  })

  it('deletes folders whose interval ended more than maxAge ago', () => {
    // 2026-11-06 ended 2026-11-07 00:00, 3.5 days before now; 2026-11-07 ended 2.5 days before.
    expect(foldersToDelete({ folders, keep: undefined, maxAgeMs: 3 * DAY, now, kept })).toEqual([
      '2026-11-01',
      '2026-11-02',
      '2026-11-03',
      '2026-11-04',
      '2026-11-05',
      '2026-11-06',
    ])
    expect(foldersToDelete({ folders, keep: undefined, maxAgeMs: 2.5 * DAY, now, kept })).toHaveLength(6)
    expect(foldersToDelete({ folders, keep: undefined, maxAgeMs: 2.5 * DAY - 1, now, kept })).toHaveLength(7)
  })

  it('applies both rules, and never deletes a kept name', () => {
    expect(foldersToDelete({ folders, keep: 5, maxAgeMs: 7 * DAY, now, kept })).toEqual([
      '2026-11-01',
      '2026-11-02',
      '2026-11-03',
      '2026-11-04',
      '2026-11-05',
    ])
    const everythingOld = { folders, keep: 1, maxAgeMs: 1, now: now + 100 * DAY, kept }
    expect(foldersToDelete(everythingOld)).toHaveLength(8)
    expect(foldersToDelete(everythingOld)).not.toContain('2026-11-10')
    expect(foldersToDelete(everythingOld)).not.toContain('2026-11-09')
  })

  it('counts a folder about to be written toward keep, once', () => {
    const upcoming = days(1, Date.UTC(2026, 10, 11))
    const withUpcoming = [...folders, ...upcoming, ...upcoming]
    const decided = foldersToDelete({
      folders: withUpcoming,
      keep: 3,
      maxAgeMs: undefined,
      now,
      kept: new Set(['2026-11-11', '2026-11-10']),
    })
    expect(decided).toHaveLength(8)
    expect(decided.at(-1)).toBe('2026-11-08')
  })

  it('folders after the horizon (records from the future) neither count toward keep nor are deleted', () => {
    // 2026-11-11 (tomorrow) and a year ahead, as a record timed in the future makes them.
    const ahead = [...days(1, Date.UTC(2026, 10, 11)), ...days(1, Date.UTC(2027, 10, 10))]
    const horizon = Date.UTC(2026, 10, 10)
    const request = { folders: [...ahead, ...folders], maxAgeMs: undefined, now, kept, horizon }
    // The same as without them: the 3 newest real folders stay, and so do both future ones.
    expect(foldersToDelete({ ...request, keep: 3 })).toEqual(
      foldersToDelete({ folders, keep: 3, maxAgeMs: undefined, now, kept }),
    )
    expect(foldersToDelete({ ...request, keep: 3 })).toHaveLength(7)
    expect(foldersToDelete({ ...request, keep: 1 })).toHaveLength(8)
    expect(foldersToDelete({ ...request, keep: 1, maxAgeMs: 1 })).not.toContain('2026-11-11')
    // Without a horizon they are the newest: keep=3 would leave only one real folder (and kept names).
    expect(foldersToDelete({ ...request, keep: 3, horizon: undefined })).toHaveLength(8)
  })
})

describe('planRetention: maxTotalSize', () => {
  const now = Date.UTC(2026, 10, 10, 12)
  const kept = new Set(['2026-11-10', '2026-11-09'])
  /** 2026-11-01 … 2026-11-10, 100 bytes each. */
  const sized = days(10).map((folder) => ({ ...folder, bytes: 100 }))
  const request = { folders: sized, keep: undefined, maxAgeMs: undefined, now, kept }

  it('deletes the oldest folders until the rest hold at most maxTotalSize', () => {
    expect(planRetention({ ...request, maxTotalSize: 1000 })).toEqual({
      folders: [],
      trims: [],
      bytes: 1000,
      overBudget: false,
    })
    expect(planRetention({ ...request, maxTotalSize: 999 })).toEqual({
      folders: ['2026-11-01'],
      trims: [],
      bytes: 900,
      overBudget: false,
    })
    const plan = planRetention({ ...request, maxTotalSize: 350 })
    expect(plan.folders).toEqual([
      '2026-11-01',
      '2026-11-02',
      '2026-11-03',
      '2026-11-04',
      '2026-11-05',
      '2026-11-06',
      '2026-11-07',
    ])
    expect(plan.bytes).toBe(300)
  })

  it('counts what keep and maxAge delete first, and wins over them', () => {
    // keep: 8 deletes 2 folders; the budget of 500 bytes then deletes 3 more.
    const plan = planRetention({ ...request, keep: 8, maxTotalSize: 500 })
    expect(plan.folders).toEqual(['2026-11-01', '2026-11-02', '2026-11-03', '2026-11-04', '2026-11-05'])
    expect(plan).toMatchObject({ bytes: 500, overBudget: false })
    // keep: 10 would keep every folder: the budget is the hard limit.
    expect(planRetention({ ...request, keep: 10, maxTotalSize: 500 }).folders).toHaveLength(5)
  })

  it('never deletes a kept folder nor a future one: over budget with them alone, it says so', () => {
    const ahead = days(1, Date.UTC(2026, 10, 12)).map((folder) => ({ ...folder, bytes: 5000 }))
    const big = sized.map((folder) => (kept.has(folder.name) ? { ...folder, bytes: 700 } : folder))
    const plan = planRetention({
      ...request,
      folders: [...big, ...ahead],
      maxTotalSize: 1000,
      horizon: Date.UTC(2026, 10, 10),
    })
    // Every other past folder goes; the two kept (1,400 bytes) and the future one (5,000) stay.
    expect(plan.folders).toHaveLength(8)
    expect(plan).toMatchObject({ bytes: 6400, overBudget: true })
    expect(plan.folders).not.toContain('2026-11-12')
  })

  it('with unmeasured folders and no budget, decides as foldersToDelete', () => {
    const plain = days(10)
    expect(planRetention({ folders: plain, keep: 3, maxAgeMs: 5 * DAY, now, kept }).folders).toEqual(
      foldersToDelete({ folders: plain, keep: 3, maxAgeMs: 5 * DAY, now, kept }),
    )
  })
})

describe('planRetention: retention.lanes', () => {
  const now = Date.UTC(2026, 10, 10, 12)
  const kept = new Set(['2026-11-10', '2026-11-09'])
  /** 2026-11-01 … 2026-11-10, each with app (100 bytes), debug (1,000) and audit (10) files, plus 5 other bytes. */
  const folders = days(10).map((folder) => ({
    ...folder,
    bytes: 1115,
    lanes: new Map([
      ['app', 100],
      ['debug', 1000],
      ['audit', 10],
    ]),
  }))
  const base = { folders, keep: undefined, now, kept }

  it('a shorter lane age deletes that lane from older folders, which stay for the others', () => {
    // Folder-wide maxAge 5d; debug 2d: 2026-11-07 ended 2.5 days ago, 2026-11-08 1.5 days ago.
    const plan = planRetention({ ...base, maxAgeMs: 5 * DAY, laneMaxAgeMs: new Map([['debug', 2 * DAY]]) })
    expect(plan.folders).toEqual(['2026-11-01', '2026-11-02', '2026-11-03', '2026-11-04'])
    expect(plan.trims).toEqual(
      ['2026-11-05', '2026-11-06', '2026-11-07'].map((folder) => ({
        folder,
        lanes: ['debug'],
        only: false,
      })),
    )
    // 3 trimmed folders of 115 bytes, 2026-11-08 and the 2 kept folders of 1,115.
    expect(plan.bytes).toBe(3 * 115 + 3 * 1115)
  })

  it('a longer lane age keeps that lane, alone, in folders the folder-wide rules delete', () => {
    const laneMaxAgeMs = new Map([['audit', 7 * DAY]])
    // keep: 3 deletes 7 folders; audit (7d) stays in those that ended at most 7 days ago: 2026-11-03 … 2026-11-07.
    const plan = planRetention({ ...base, keep: 3, maxAgeMs: undefined, laneMaxAgeMs })
    expect(plan.folders).toEqual(['2026-11-01', '2026-11-02'])
    expect(plan.trims.map((trim) => trim.folder)).toEqual([
      '2026-11-03',
      '2026-11-04',
      '2026-11-05',
      '2026-11-06',
      '2026-11-07',
    ])
    expect(plan.trims.every((trim) => trim.only && trim.lanes.join() === 'audit')).toBe(true)
    expect(plan.bytes).toBe(5 * 10 + 3 * 1115)
    // A folder without audit files goes whole.
    const noAudit = folders.map((folder) => ({ ...folder, lanes: new Map([['app', 100]]) }))
    expect(
      planRetention({ ...base, folders: noAudit, keep: 3, maxAgeMs: undefined, laneMaxAgeMs }).folders,
    ).toHaveLength(7)
  })

  it('maxTotalSize wins over every lane age: the oldest folders go whole, kept lanes included', () => {
    const laneMaxAgeMs = new Map([
      ['audit', 365 * DAY],
      ['debug', 2 * DAY],
    ])
    // After the ages: 2026-11-01 … 07 hold 115 bytes each (debug gone), 08 and the kept two 1,115 each: 4,150.
    const plan = planRetention({ ...base, maxAgeMs: undefined, laneMaxAgeMs, maxTotalSize: 3600 })
    expect(plan.folders).toEqual(['2026-11-01', '2026-11-02', '2026-11-03', '2026-11-04', '2026-11-05'])
    expect(plan.trims.map((trim) => trim.folder)).toEqual(['2026-11-06', '2026-11-07'])
    expect(plan).toMatchObject({ bytes: 2 * 115 + 3 * 1115, overBudget: false })
  })

  it('never trims a kept folder nor a future one, whatever the lane ages', () => {
    const ahead = days(1, Date.UTC(2026, 10, 20)).map((folder) => ({
      ...folder,
      lanes: new Map([['debug', 5]]),
    }))
    const plan = planRetention({
      ...base,
      folders: [...folders, ...ahead],
      maxAgeMs: undefined,
      laneMaxAgeMs: new Map([['debug', 1]]),
      horizon: Date.UTC(2026, 10, 10),
    })
    expect(plan.folders).toEqual([])
    expect(plan.trims).toHaveLength(8)
    expect(plan.trims.map((trim) => trim.folder)).not.toContain('2026-11-09')
  })
})

describe('laneOfFile', () => {
  it.each([
    ['db.log', 'db'],
    ['db.3.log', 'db'],
    ['db.log.gz', 'db'],
    ['db.12.log.gz', 'db'],
    ['my-lane_2.log', 'my-lane_2'],
    ['.db.log.123-9f.pending', 'db'],
    ['.db.2.log.gz.123-9f.tmp', 'db'],
    ['notes.txt', undefined],
    ['db.0.log', undefined],
    ['db.log.bak', undefined],
    ['1db.log', undefined],
  ])('%s belongs to %s', (name, lane) => {
    expect(laneOfFile(name)).toBe(lane)
  })
})

function router(dir: string, options: LanesOptions): LaneRouter {
  return new LaneRouter(
    resolveOptions({ dir, timezone: 'UTC', interval: '1h', levelFiles: false, ...options }),
    { stderr: false },
  )
}

/** The start of the hour `offset` hours from the current one. */
function hour(offset: number): number {
  return Math.floor(Date.now() / HOUR) * HOUR + offset * HOUR
}

function routeInterval(r: LaneRouter, start: number, records = 20): void {
  for (let n = 0; n < records; n++) {
    r.route(start + n * 1000, 'info', 'app', `${JSON.stringify({ time: start + n * 1000, n })}\n`)
  }
}

describe('retention through the router', () => {
  it('keep=3 over 10 intervals: after each rollover, exactly the 3 newest folders, and unrelated entries survive', async () => {
    const dir = tempDir()
    const starts = Array.from({ length: 10 }, (_, k) => hour(k - 12))
    const names = starts.map((start) => utcFolder(start, 60))
    // Things retention must never touch: other files, other folders, names of other intervals, dot-names,
    // a link, and a plain file named like one of its folders.
    mkdirSync(join(dir, 'archive'))
    writeFileSync(join(dir, 'archive/keep.txt'), 'x\n')
    writeFileSync(join(dir, 'notes.txt'), 'x\n')
    mkdirSync(join(dir, '2020-01-01'))
    mkdirSync(join(dir, '2020-01-01__14-30'))
    mkdirSync(join(dir, '.loglanes-own'))
    writeFileSync(join(dir, utcFolder(hour(-40), 60)), 'a file, not a folder\n')
    symlinkSync(names[0]!, join(dir, 'oldest'))
    const unrelated = ['2020-01-01', '2020-01-01__14-30', 'archive']

    const r = router(dir, { retention: { keep: 3 } })
    for (let k = 0; k < 10; k++) {
      routeInterval(r, starts[k]!)
      await r.flush()
      await r.whenMaintained()
      expect(folderNames(dir)).toEqual([...unrelated, ...names.slice(Math.max(0, k - 2), k + 1)].sort())
    }
    await r.close()
    for (const name of names.slice(7)) expect(lineCounts(join(dir, name))).toEqual({ 'app.log': 20 })
    expect(readFileSync(join(dir, 'archive/keep.txt'), 'utf8')).toBe('x\n')
    expect(readFileSync(join(dir, 'notes.txt'), 'utf8')).toBe('x\n')
    expect(readFileSync(join(dir, utcFolder(hour(-40), 60)), 'utf8')).toBe('a file, not a folder\n')
    // The link now dangles, but it is the user's: it stays.
    expect(readlinkSync(join(dir, 'oldest'))).toBe(names[0])
    expect(listFiles(join(dir, '.loglanes-own'))).toEqual([])
  })

  it('keep=3 when every record arrives in one burst: the pass after the last rollover runs at close', async () => {
    const dir = tempDir()
    const starts = Array.from({ length: 10 }, (_, k) => hour(k - 12))
    const r = router(dir, { retention: { keep: 3 } })
    for (const start of starts) routeInterval(r, start)
    await r.close()
    expect(folderNames(dir)).toEqual(starts.slice(7).map((start) => utcFolder(start, 60)))
  })

  it('maxAge: deletes the folders whose interval ended more than maxAge ago, never the active one or the one before', async () => {
    await awayFromBoundary(HOUR)
    const dir = tempDir()
    const r = router(dir, { retention: { maxAge: '4h' } })
    // Hours h-9 … h: the interval starting at h-j ended (j - 1) hours and a fraction ago.
    for (let j = 9; j >= 0; j--) {
      routeInterval(r, hour(-j))
      await r.flush()
      await r.whenMaintained()
    }
    await r.close()
    expect(folderNames(dir)).toEqual([4, 3, 2, 1, 0].map((j) => utcFolder(hour(-j), 60)))

    // With maxAge shorter than an interval, the previous interval still stays.
    const short = tempDir()
    const r2 = router(short, { retention: { maxAge: '30m' } })
    for (let j = 5; j >= 0; j--) routeInterval(r2, hour(-j))
    await r2.close()
    expect(folderNames(short)).toEqual([1, 0].map((j) => utcFolder(hour(-j), 60)))
  })

  it('a restart with other options still cleans old folders, with no record routed', async () => {
    const dir = tempDir()
    const starts = Array.from({ length: 10 }, (_, k) => hour(k - 12))
    const names = starts.map((start) => utcFolder(start, 60))
    const first = router(dir, { retention: { keep: 6 } })
    for (const start of starts) routeInterval(first, start)
    await first.close()
    expect(folderNames(dir)).toEqual(names.slice(4))

    await router(dir, { retention: { keep: 2 } }).close()
    expect(folderNames(dir)).toEqual(names.slice(8))

    // Now by age: both remaining intervals ended more than an hour ago.
    await router(dir, { retention: { maxAge: '1h' } }).close()
    expect(folderNames(dir)).toEqual([])
  })

  it("never touches another interval's folders: a day-folder router leaves hour folders alone", async () => {
    const dir = tempDir()
    const hours = router(dir, {})
    for (let k = 0; k < 4; k++) routeInterval(hours, hour(k - 30))
    await hours.close()
    const hourFolders = folderNames(dir)
    expect(hourFolders).toHaveLength(4)
    for (const day of ['2026-01-01', '2026-01-02', '2026-01-03']) mkdirSync(join(dir, day))

    await router(dir, { interval: '24h', retention: { keep: 1 } }).close()
    // Of the day folders, keep=1 leaves the newest; the hour folders are not its own.
    expect(folderNames(dir)).toEqual(['2026-01-03', ...hourFolders].sort())
  })
})
