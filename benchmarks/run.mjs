// npm run bench [-- --quick] [-- --only a,b] [-- --workloads W1,W2]: every configuration in a fresh child process,
// runs interleaved (A B C A B C) so machine drift hits all alike, medians reported as ratios to pino/file.
import { execFile } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { workload } from './lib/workload.mjs'

const run = promisify(execFile)
const here = import.meta.dirname
const args = process.argv.slice(2)
const quick = args.includes('--quick')
const option = (name) => {
  const i = args.indexOf(name)
  return i >= 0 ? args[i + 1] : undefined
}
const N = Number(process.env.N ?? (quick ? 2000 : 200_000))
const R = Number(process.env.R ?? (quick ? 1 : 3))
const CONFIGS = [
  'pinoFile',
  'pinoRouter',
  'loglanesPino',
  'winstonFiles',
  'winstonDaily',
  'loglanesWinston',
  'loglanesFacade',
]
const configs = option('--only')?.split(',') ?? CONFIGS
const workloads = option('--workloads')?.split(',') ?? ['W1']

const modules = Object.fromEntries(
  await Promise.all(configs.map(async (c) => [c, await import(`./configs/${c}.mjs`)])),
)
const findings = []
const samples = {}

for (const name of workloads) {
  const work = workload(name, N)
  for (let r = 0; r < R; r++) {
    for (const config of configs) {
      const dir = mkdtempSync(join(tmpdir(), `loglanes-bench-${config}-`))
      try {
        const { stdout } = await run(
          process.execPath,
          [join(here, 'child.mjs'), config, name, String(N), dir],
          {
            maxBuffer: 16 * 1024 * 1024,
          },
        )
        const sample = JSON.parse(stdout.trim().split('\n').pop())
        sample.check = checkFiles(
          dir,
          modules[config].expectedFiles?.(work) ?? work.expected,
          `${name} ${config}`,
        )
        samples[`${name}/${config}`] ??= []
        samples[`${name}/${config}`].push(sample)
        process.stderr.write(`${name} ${config} run ${r + 1}/${R}: ${sample.totalMs.toFixed(0)} ms\n`)
      } finally {
        rmSync(dir, { recursive: true, force: true })
      }
    }
  }
}

/**
 * Compares each output file's line count with the expected count; returns 'ok' or what differs. Counts are
 * summed per file name over the interval folders, so a run that crosses midnight is still checked whole.
 */
function checkFiles(dir, expected, what) {
  const actual = {}
  // Dot-folders are a library's bookkeeping (winston-daily-rotate-file's audit files), not log output.
  for (const folder of readdirSync(dir).filter((name) => !name.startsWith('.'))) {
    for (const file of readdirSync(join(dir, folder))) {
      const text = readFileSync(join(dir, folder, file), 'utf8')
      actual[file] = (actual[file] ?? 0) + (text.length === 0 ? 0 : text.split('\n').length - 1)
    }
  }
  const problems = []
  for (const file of new Set([...Object.keys(expected), ...Object.keys(actual)])) {
    if (actual[file] !== expected[file])
      problems.push(`${file}: ${actual[file] ?? 0} of ${expected[file] ?? 0}`)
  }
  if (problems.length === 0) return 'ok'
  findings.push(`${what}: ${problems.join(', ')}`)
  return `lines missing or extra (${problems.length} files)`
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

const versions = ['pino', 'pino-abstract-transport', 'sonic-boom', 'winston']
  .map((name) => {
    try {
      return `${name} ${JSON.parse(readFileSync(join(here, '..', 'node_modules', name, 'package.json'), 'utf8')).version}`
    } catch {
      return undefined
    }
  })
  .filter(Boolean)
const lines = [
  `# loglanes benchmarks, ${new Date().toISOString().slice(0, 10)}`,
  '',
  `Node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model.trim()}), ${versions.join(', ')}.`,
  `N = ${N} records per run, median of R = ${R} interleaved runs, each in a fresh process. Reproduce: \`npm run bench\`.`,
  '',
]
for (const name of workloads) {
  const reference = samples[`${name}/pinoFile`]
  const refTotal = reference ? median(reference.map((s) => s.totalMs)) : undefined
  const refRss = reference ? median(reference.map((s) => s.maxRssKb)) : undefined
  lines.push(`## ${name}`, '')
  lines.push(
    '| configuration | loop ms | total ms | records/s | throughput vs pino/file | peak RSS MB | RSS vs pino/file | lines |',
  )
  lines.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |')
  for (const config of configs) {
    const runs = samples[`${name}/${config}`]
    if (!runs) continue
    const loop = median(runs.map((s) => s.loopMs))
    const total = median(runs.map((s) => s.totalMs))
    const rss = median(runs.map((s) => s.maxRssKb))
    const ratio = refTotal ? `${(refTotal / total).toFixed(2)}x` : 'n/a'
    const rssDelta = refRss
      ? `${rss - refRss >= 0 ? '+' : ''}${((rss - refRss) / 1024).toFixed(1)} MB`
      : 'n/a'
    const checks = [...new Set(runs.map((s) => s.check))].join('; ')
    const label = modules[config].label + (modules[config].deviation ? ` (${modules[config].deviation})` : '')
    lines.push(
      `| ${label} | ${loop.toFixed(0)} | ${total.toFixed(0)} | ${Math.round(N / (total / 1000)).toLocaleString('en-US')} | ${ratio} | ${(rss / 1024).toFixed(1)} | ${rssDelta} | ${checks} |`,
    )
  }
  lines.push('')
}
if (findings.length > 0) lines.push('## Findings', '', ...findings.map((f) => `- ${f}`), '')

const table = lines.join('\n')
process.stdout.write(`${table}\n`)
if (!quick) {
  mkdirSync(join(here, 'results'), { recursive: true })
  writeFileSync(join(here, 'results', `${new Date().toISOString().slice(0, 10)}.md`), table)
}
if (quick && findings.length > 0) process.exitCode = 1
