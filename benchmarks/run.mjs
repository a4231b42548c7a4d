// npm run bench [-- --quick] [-- --only a,b] [-- --workloads W1,W4]: every configuration in a fresh child process,
// runs interleaved (A B C A B C) so machine drift hits all alike, medians reported as ratios to pino/file.
// Env: N (records per run; W4 uses N/5), R (runs per configuration, default 3).
import { execFile } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { cpus, tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { defaultRecords, WORKLOADS, workload } from './lib/workload.mjs'

const run = promisify(execFile)
const here = import.meta.dirname
const args = process.argv.slice(2)
const quick = args.includes('--quick')
const option = (name) => {
  const i = args.indexOf(name)
  return i >= 0 ? args[i + 1] : undefined
}
const R = Number(process.env.R ?? (quick ? 1 : 3))
const CONFIGS = [
  'pinoFile',
  'pinoRouter',
  'pinoMultistream',
  'pinoRoll',
  'winstonFiles',
  'winstonDaily',
  'log4js',
  'loglanesPino',
  'loglanesWinston',
  'loglanesFacade',
]
const configs = option('--only')?.split(',') ?? CONFIGS
const workloads = option('--workloads')?.split(',') ?? Object.keys(WORKLOADS)
const recordsOf = (name) =>
  process.env.N ? Number(process.env.N) / (name === 'W4' ? 5 : 1) : defaultRecords(name, quick)

const modules = Object.fromEntries(
  await Promise.all(configs.map(async (c) => [c, await import(`./configs/${c}.mjs`)])),
)
const findings = []
const samples = {}

for (const name of workloads) {
  const work = workload(name, recordsOf(name))
  for (let r = 0; r < R; r++) {
    for (const config of configs) {
      if (modules[config].unsupported?.(work)) continue
      const dir = mkdtempSync(join(tmpdir(), `loglanes-bench-${config}-`))
      try {
        const { stdout } = await run(
          process.execPath,
          [join(here, 'child.mjs'), config, name, String(work.n), dir],
          {
            maxBuffer: 16 * 1024 * 1024,
            timeout: 600_000,
          },
        )
        const sample = JSON.parse(stdout.trim().split('\n').pop())
        sample.check = checkFiles(dir, modules[config], work, `${name} ${config}`)
        samples[`${name}/${config}`] ??= []
        samples[`${name}/${config}`].push(sample)
        process.stderr.write(`${name} ${config} run ${r + 1}/${R}: ${sample.totalMs.toFixed(0)} ms\n`)
      } catch (error) {
        findings.push(
          `${name} ${config}: the run failed: ${
            String(error.stderr || error.message)
              .trim()
              .split('\n')[0]
          }`,
        )
        samples[`${name}/${config}`] ??= []
      } finally {
        rmSync(dir, { recursive: true, force: true })
      }
    }
  }
}

/**
 * Compares each output file's line count with the expected count; returns 'ok' or what differs. Files are found at
 * any depth and counted per lane name (summed over interval folders, so a run that crosses midnight is whole).
 * Under `maxFileSize` (W5) a lane's parts count as the lane (`db.3.log` for `db.log`), and a configuration that
 * takes the cap must keep every part within it unless the part holds one single line.
 */
function checkFiles(dir, module, work, what) {
  const expected = module.expectedFiles?.(work) ?? work.expected
  const capped = work.maxFileBytes !== undefined && module.partsBySize === true
  const laneOf = (file) => {
    if (module.laneOf) return module.laneOf(file)
    return capped ? file.replace(/\.\d+\.log$/, '.log') : file
  }
  const actual = {}
  const oversized = []
  const walk = (folder) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      // Dot-entries are a library's bookkeeping (winston-daily-rotate-file's audit files), not log output.
      if (entry.name.startsWith('.')) continue
      if (entry.isDirectory()) {
        walk(join(folder, entry.name))
        continue
      }
      const path = join(folder, entry.name)
      const text = readFileSync(path, 'utf8')
      const lane = laneOf(entry.name)
      // Text formats may continue a record on indented lines; count records, not lines.
      const records = text.split('\n').filter((line) => line !== '' && !line.startsWith('    ')).length
      actual[lane] = (actual[lane] ?? 0) + records
      const bytes = statSync(path).size
      if (capped && bytes > work.maxFileBytes && records > 1)
        oversized.push(`${entry.name}: ${bytes} bytes in ${records} lines, over ${work.maxFileBytes}`)
    }
  }
  walk(dir)
  const problems = []
  for (const file of new Set([...Object.keys(expected), ...Object.keys(actual)])) {
    if (actual[file] !== expected[file])
      problems.push(`${file}: ${actual[file] ?? 0} of ${expected[file] ?? 0}`)
  }
  if (problems.length === 0 && oversized.length === 0) return 'ok'
  const verdicts = []
  if (problems.length > 0) {
    findings.push(`${what}: ${problems.join(', ')}`)
    verdicts.push(`lines missing or extra (${problems.length} files)`)
  }
  if (oversized.length > 0) {
    const more = oversized.length > 5 ? `, and ${oversized.length - 5} more` : ''
    findings.push(`${what}: parts over maxFileSize: ${oversized.slice(0, 5).join(', ')}${more}`)
    verdicts.push(`${oversized.length} parts over maxFileSize`)
  }
  return verdicts.join('; ')
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

const versionOf = (name) => {
  try {
    return JSON.parse(readFileSync(join(here, '..', 'node_modules', name, 'package.json'), 'utf8')).version
  } catch {
    return undefined
  }
}
const peers = [
  'pino',
  'pino-abstract-transport',
  'sonic-boom',
  'pino-roll',
  'winston',
  'winston-daily-rotate-file',
  'log4js',
]
const lines = [
  `# loglanes benchmarks, ${new Date().toISOString().slice(0, 10)}`,
  '',
  `Node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model.trim()}); ${peers.map((p) => `${p} ${versionOf(p)}`).join(', ')}; loglanes ${versionOf('loglanes')}.`,
  `Median of R = ${R} interleaved runs per configuration, each in a fresh process. Reproduce: \`npm run bench\`.`,
  'Throughput is records/s until the documented close resolved; ratios are to pino/file writing one file.',
  '',
]
for (const name of workloads) {
  const work = workload(name, recordsOf(name))
  lines.push(`## ${name}: ${WORKLOADS[name]}`, '', `N = ${work.n.toLocaleString('en-US')} records.`, '')
  const reference = samples[`${name}/pinoFile`]?.length ? samples[`${name}/pinoFile`] : undefined
  if (name === 'W4') {
    lines.push('| configuration | p50 µs | p99 µs | max µs | total ms | lines |')
    lines.push('| --- | ---: | ---: | ---: | ---: | --- |')
  } else {
    lines.push(
      '| configuration | loop ms | total ms | records/s | throughput vs pino/file | peak RSS MB | RSS vs pino/file | lines |',
    )
    lines.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |')
  }
  const refTotal = reference ? median(reference.map((s) => s.totalMs)) : undefined
  const refRss = reference ? median(reference.map((s) => s.maxRssKb)) : undefined
  for (const config of configs) {
    const module = modules[config]
    const deviation = typeof module.deviation === 'function' ? module.deviation(work) : module.deviation
    const label = `${module.label}${deviation ? ` (${deviation})` : ''}`
    const skipped = module.unsupported?.(work)
    const runs = samples[`${name}/${config}`] ?? []
    if (skipped || runs.length === 0) {
      lines.push(`| ${label} | ${skipped ? `not run: ${skipped}` : 'failed, see findings'} |`)
      continue
    }
    const m = (key) => median(runs.map((s) => s[key]))
    const checks = [...new Set(runs.map((s) => s.check))].join('; ')
    if (name === 'W4') {
      lines.push(
        `| ${label} | ${m('p50Us').toFixed(1)} | ${m('p99Us').toFixed(1)} | ${m('maxUs').toFixed(0)} | ${m('totalMs').toFixed(0)} | ${checks} |`,
      )
      continue
    }
    const total = m('totalMs')
    const rss = m('maxRssKb')
    const ratio = refTotal ? `${(refTotal / total).toFixed(2)}x` : 'n/a'
    const rssDelta = refRss
      ? `${rss - refRss >= 0 ? '+' : ''}${((rss - refRss) / 1024).toFixed(1)} MB`
      : 'n/a'
    lines.push(
      `| ${label} | ${m('loopMs').toFixed(0)} | ${total.toFixed(0)} | ${Math.round(work.n / (total / 1000)).toLocaleString('en-US')} | ${ratio} | ${(rss / 1024).toFixed(1)} | ${rssDelta} | ${checks} |`,
    )
  }
  lines.push('')
  if (name === 'W5') lines.push(...againstOwnW1(work))
}
if (findings.length > 0) lines.push('## Findings', '', ...findings.map((f) => `- ${f}`), '')

/**
 * W5's price of `maxFileSize`: each loglanes row's W5 records/s as a ratio to its own W1 records/s in this run
 * (pino/file, the same work in both, shows the run-to-run noise). Only rows that ran both workloads.
 */
function againstOwnW1(w5) {
  const w1 = workload('W1', recordsOf('W1'))
  const rate = (work, config) => {
    const runs = samples[`${work.name}/${config}`] ?? []
    return runs.length ? work.n / median(runs.map((s) => s.totalMs)) : undefined
  }
  const out = []
  for (const config of configs) {
    const module = modules[config]
    if (!module.partsBySize && config !== 'pinoFile') continue
    const ratio = rate(w5, config) / rate(w1, config)
    if (!Number.isFinite(ratio)) continue
    const note = module.partsBySize ? '' : ' (no cap, the same work in both: run-to-run noise)'
    out.push(`- ${module.label}: ${ratio.toFixed(2)}x${note}`)
  }
  if (out.length === 0) return []
  return [
    "W5 throughput vs the same configuration's own W1 in this run (records/s; goal at least 0.97x):",
    '',
    ...out,
    '',
  ]
}

const table = lines.join('\n')
process.stdout.write(`${table}\n`)
if (!quick) {
  mkdirSync(join(here, 'results'), { recursive: true })
  writeFileSync(join(here, 'results', `${new Date().toISOString().slice(0, 10)}.md`), table)
}
if (quick && findings.length > 0) process.exitCode = 1
