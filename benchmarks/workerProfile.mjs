// node benchmarks/workerProfile.mjs <config> <workload> [records]: where a transport's worker thread spends its time.
// Runs one benchmark child (benchmarks/child.mjs) under `--cpu-prof`, in a fresh folder under the tmpdir, then reads
// the worker thread's profile (pino's transport runs there) and prints its time by kind: waiting (idle: the main
// thread holds the lines until its loop yields), file system calls (each binding by name), buffer allocation, garbage
// collection, decoding the chunks pino sends (thread-stream's, the same for every transport), loglanes' own code, and
// the rest; then the 15 functions with the most self time. For example, what bounds W6 (2,000 lanes):
//   node benchmarks/workerProfile.mjs loglanesPino W6
// Sampled at 1 ms (`--cpu-prof-interval 1000`): figures move by a few ms from run to run.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const [config, workloadName, records = '200000'] = process.argv.slice(2)
if (config === undefined || workloadName === undefined) {
  console.error('usage: node benchmarks/workerProfile.mjs <config> <workload> [records]')
  process.exit(2)
}

/** Native file system bindings as V8 names them in a profile. */
const FILE_CALLS = new Set([
  'open',
  'close',
  'fstat',
  'writeBuffer',
  'writeBuffers',
  'writeString',
  'read',
  'mkdir',
])

const base = mkdtempSync(join(tmpdir(), 'loglanes-profile-'))
try {
  const profiles = join(base, 'profiles')
  const out = join(base, 'out')
  const result = execFileSync(process.execPath, [
    '--cpu-prof',
    '--cpu-prof-interval',
    '1000',
    `--cpu-prof-dir=${profiles}`,
    join(import.meta.dirname, 'child.mjs'),
    config,
    workloadName,
    records,
    out,
  ])
  console.log(`${config} ${workloadName}: ${result.toString().trim()}`)
  // Named CPU.<date>.<time>.<pid>.<thread>.<sequence>.cpuprofile: the main thread is thread 0.
  const workers = readdirSync(profiles).filter((name) => name.split('.')[4] !== '0')
  if (workers.length === 0)
    throw new Error('no worker thread profile: does this configuration use a transport?')
  for (const name of workers) summarize(JSON.parse(readFileSync(join(profiles, name), 'utf8')))
} finally {
  rmSync(base, { recursive: true, force: true })
}

function summarize(profile) {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]))
  const self = new Map()
  const kinds = new Map()
  let total = 0
  for (let i = 0; i < profile.samples.length; i++) {
    const ms = (profile.timeDeltas[i] ?? 0) / 1000
    const { functionName, url, lineNumber } = nodes.get(profile.samples[i]).callFrame
    total += ms
    const kind = kindOf(functionName, url)
    kinds.set(kind, (kinds.get(kind) ?? 0) + ms)
    const key = `${functionName || '(anonymous)'} ${url.split('/').slice(-2).join('/')}:${lineNumber + 1}`
    self.set(key, (self.get(key) ?? 0) + ms)
  }
  console.log(`\nworker thread: ${total.toFixed(0)} ms sampled`)
  for (const [kind, ms] of [...kinds].sort((a, b) => b[1] - a[1]))
    console.log(`${ms.toFixed(0).padStart(7)} ms  ${kind}`)
  console.log('\nmost self time:')
  for (const [key, ms] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 15))
    console.log(`${ms.toFixed(1).padStart(7)} ms  ${key}`)
}

function kindOf(functionName, url) {
  if (functionName === '(idle)') return 'idle (waiting for lines)'
  if (functionName === '(garbage collector)') return 'garbage collection'
  if (url === '' && FILE_CALLS.has(functionName)) return `file system: ${functionName}`
  if (functionName === 'createUnsafeBuffer') return 'buffer allocation'
  if (url.includes('string_decoder')) return 'decoding chunks (thread-stream)'
  if (url.includes('/packages/') || url.includes('@loglanes')) return 'loglanes code'
  return 'other (Node, pino, thread-stream, startup)'
}
