// The benchmark workloads: deterministic records, and the files each must produce.

export const W1_DOMAINS = ['app', 'db', 'http']

/** A small seeded PRNG (mulberry32), so every configuration logs the very same records. */
function random(seed) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Levels for n records: debug 10%, info 60%, warn 20%, error 10%. */
export function levelsFor(n, seed = 42) {
  const next = random(seed)
  const levels = new Array(n)
  for (let i = 0; i < n; i++) {
    const r = next()
    levels[i] = r < 0.1 ? 'debug' : r < 0.7 ? 'info' : r < 0.9 ? 'warn' : 'error'
  }
  return levels
}

/** The fields of record i (with the message 'request handled' and pino's own fields, ~190-byte lines). */
export function fieldsFor(i) {
  return {
    reqId: `req-${100000 + i}`,
    userId: 1000 + ((i * 7919) % 9000),
    durationMs: (i % 977) / 10,
    path: `/api/v1/orders/${10000 + (i % 90000)}/items`,
  }
}

export const MESSAGE = 'request handled'

/**
 * A workload: its records (domain and level of record i) and the line count each output file must have,
 * relative to the day folder.
 */
export function workload(name, n) {
  const manyDomains = { W2: 50, W6: 2000 }[name]
  const domains = manyDomains ? Array.from({ length: manyDomains }, (_, i) => `d${i}`) : W1_DOMAINS
  const levelFiles = manyDomains === undefined
  const levels = levelsFor(n)
  const expected = {}
  const add = (file) => {
    expected[file] = (expected[file] ?? 0) + 1
  }
  for (let i = 0; i < n; i++) {
    add(`${domains[i % domains.length]}.log`)
    if (levelFiles) add(`${levels[i]}.log`)
  }
  return {
    name,
    n,
    domains,
    levels,
    levelFiles,
    format: name === 'W3' ? 'text' : 'json',
    // W5: loglanes' `maxFileSize` (a lane goes on in `<lane>.1.log`, `<lane>.2.log`, ...), and the cap in bytes.
    ...(name === 'W5' ? { maxFileSize: '1MB', maxFileBytes: 1024 * 1024 } : {}),
    expected,
  }
}

/** The local day folder name of now, as loglanes names a 24h interval. */
export function dayFolder(date = new Date()) {
  const pad = (v) => String(v).padStart(2, '0')
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`
}

/** What each workload measures, for the table. */
export const WORKLOADS = {
  W1: 'routed daily files: domains app db http round-robin, exact level files (2 writes per record), JSON lines',
  W2: '50 domains, level files off (1 write per record): the cost of many open lanes',
  W3: 'W1 in a text format with a strftime timestamp',
  W4: "the main thread's time per call while logging 20,000 records/s (W1 records)",
  W5: 'W1 with maxFileSize: 1MB: each lane goes on in 1 MiB parts',
  W6: '2,000 domains, level files off: thousands of lanes, default maxOpenFiles (256)',
}

/** Why a configuration other than pino/file and loglanes skips W5: it has no loglanes `maxFileSize` to measure. */
export const W5_LOGLANES_ONLY = "W5 measures loglanes' maxFileSize parts against each loglanes row's own W1"

/** Records per run of each workload by default (W4 runs at a fixed rate, so fewer). */
export function defaultRecords(name, quick) {
  if (quick) return 2000
  return name === 'W4' ? 40_000 : 200_000
}

/** The loglanes options of a workload: the same for every loglanes row. */
export function lanesOptions(work, dir) {
  const options = {
    dir,
    domains: work.domains,
    levelFiles: work.levelFiles ? 'exact' : false,
    format: work.format,
  }
  if (work.format === 'text') options.timestampFormat = '%Y-%m-%d %H:%M:%S.%L'
  if (work.maxFileSize !== undefined) options.maxFileSize = work.maxFileSize
  return options
}
