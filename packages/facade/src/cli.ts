#!/usr/bin/env node
import { readFileSync } from 'node:fs'
import { type ParseArgsConfig, parseArgs } from 'node:util'
import { closestName, LanesConfigError } from '@loglanes/core'
import { parseDuration } from './reader/sinceDuration.js'

const HELP = `Usage: loglanes <command> [options]

Commands:
  generate   write a typed facade module from a JSON options file
  tail       print the records of chosen lanes, merged in time order; --follow keeps printing
  ls         list the interval folders with each lane file's size and line count

Options:
  -v, --version  print the version of loglanes
  -h, --help     show this help

Run 'loglanes <command> --help' for a command's options.
`

const COMMANDS = ['generate', 'tail', 'ls']

const GENERATE_HELP = `Usage: loglanes generate --config <file> --out <file> [--dts] [--force]

Reads a JSON file of createLanes options (plus optional "descriptions": { "<domain>": "<text>" }),
validates it as createLanes would, and writes a module that exports the ready facade as \`log\`
and the domain union as the type \`Domain\`. The same config always gives the same bytes.

Options:
  --config <file>  the JSON options file (for example loglanes.config.json)
  --out <file>     the module to write: .ts, .mts or .cts for TypeScript; with --dts, .js, .mjs
                   or .cjs. Missing folders are created.
  --dts            write a JavaScript module and a declaration file beside it, so a JavaScript
                   project (// @ts-check, checkJs) gets the same autocomplete. The module is
                   CommonJS (require) for .cjs, and for .js when the nearest package.json has no
                   "type": "module"; ESM (import) otherwise
  --force          replace --out even if loglanes generate did not write it
  -h, --help       show this help
`

const TAIL_HELP = `Usage: loglanes tail [dir] [--domain <name> ...] [--level <name> ...] [--lane <name> ...]
                     [--any] [--since <duration>] [--follow] [--json]

Prints the records of the lane files under dir (default: logs), plain <lane>.log and compressed
<lane>.log.gz alike, interval folder after interval folder, the chosen lanes merged in time order
(pino's "time", winston's "timestamp", the ISO timestamp of a text-format line; a record without
one keeps its place in its file). A record is written to several lanes (db.log and error.log,
mirrors): it is printed once. dir may also be one interval folder, or the current link.

Records print as readable lines, '2026-11-20 14:00:00.123 ERROR [db] message {"fields":1}' in local
time with an error stack on the indented lines below, the level colored on a terminal (plain when
piped or with NO_COLOR set; FORCE_COLOR forces colors).

Options:
  --domain <name>     read this domain's lane (db.log, and its parts db.1.log, ... under maxFileSize);
                      repeat for more
  --lane <name>       read any lane by name, such as a mirror lane (alerts.log); repeat for more
  --level <name>      only records of this level; repeat for more. With --domain or --lane it
                      filters their records: --domain db --level error prints db's errors. Alone,
                      it reads the level's lane (error.log).
  --any               the chosen lanes add up instead: --domain db --level error --any prints the
                      db records and the error records (db.log and error.log, each record once)
                      Without --domain, --level or --lane, every lane is read (each record once).
  --since <duration>  only records newer than this: a number and a unit, s m h d or w (10m, 2h, 1d)
  -f, --follow        after what is there, keep printing records as they are appended, moving to
                      each new interval folder as it appears; stop with Ctrl-C (SIGINT) or SIGTERM.
                      A lane that does not exist yet is waited for.
  --json              print the lines exactly as written (NDJSON), without rendering or colors
  -h, --help          show this help

Exit codes: 0 done; 1 no such directory, no lane of a chosen name, or a file that could not be read;
2 wrong usage (an unknown option or level name, with the closest known one).
`

const LS_HELP = `Usage: loglanes ls [dir]

Lists the interval folders under dir (default: logs), oldest first, with each lane file's size and
line count as an aligned table: for <lane>.log.gz, the size on disk and the lines it holds once
decompressed; the parts of a lane capped by maxFileSize (<lane>.1.log, ...) in part order. Lane
files directly in dir (interval 'none') are listed under the folder '.'. The totals and the
current link follow.

Options:
  -h, --help  show this help

Exit codes: 0 done; 1 no such directory or a file that could not be read; 2 wrong usage.
`

/** Level names of pino and of winston's npm and syslog levels: what `--level` accepts besides the lanes found. */
const KNOWN_LEVELS = [
  'trace',
  'debug',
  'info',
  'warn',
  'error',
  'fatal',
  'http',
  'verbose',
  'silly',
  'emerg',
  'alert',
  'crit',
  'warning',
  'notice',
]

/** The version of this package, from its package.json (two folders up from dist/cli.js and src/cli.ts alike). */
function version(): string {
  const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string
  }
  return manifest.version
}

/** " (did you mean 'x'?)" when a known name is close to `name`; empty otherwise. */
export function didYouMean(name: string, known: readonly string[]): string {
  const suggestion = closestName(name, known)
  return suggestion === undefined ? '' : ` (did you mean '${suggestion}'?)`
}

/**
 * parseArgs, with its errors for an unknown option rewritten as one short line that names the closest known option
 * (`unknown option '--levl' (did you mean '--level'?)`); other errors keep their message.
 */
function parseCommandArgs<T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config)
  } catch (error) {
    const unknown = /^Unknown option '(-{1,2})([^']*)'/.exec((error as Error).message)
    if ((error as { code?: unknown }).code !== 'ERR_PARSE_ARGS_UNKNOWN_OPTION' || unknown === null)
      throw error
    const [, dashes, name] = unknown
    // Any one-letter option is one edit from any other: only long options get a suggestion.
    const known = dashes === '--' ? Object.keys(config.options ?? {}).map((option) => `--${option}`) : []
    throw new Error(`unknown option '${dashes}${name}'${didYouMean(`${dashes}${name}`, known)}`)
  }
}

/** Runs the command line; returns the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(HELP)
    return command === undefined ? 2 : 0
  }
  if (command === '--version' || command === '-v' || command === 'version') {
    process.stdout.write(`${version()}\n`)
    return 0
  }
  switch (command) {
    case 'generate':
      return generate(rest)
    case 'tail':
      return tail(rest)
    case 'ls':
      return ls(rest)
    default:
      process.stderr.write(
        `loglanes: unknown ${command.startsWith('-') ? 'option' : 'command'} '${command}'${didYouMean(command, command.startsWith('-') ? ['--help', '--version'] : COMMANDS)}\n\n${HELP}`,
      )
      return 2
  }
}

/** Reports a usage error with the command's help; returns exit code 2. */
function usage(command: string, message: string, help: string): number {
  process.stderr.write(`loglanes ${command}: ${message}\n\n${help}`)
  return 2
}

async function tail(args: readonly string[]): Promise<number> {
  let parsed: ReturnType<typeof parseTailArgs>
  try {
    parsed = parseTailArgs(args)
  } catch (error) {
    return usage('tail', (error as Error).message, TAIL_HELP)
  }
  const { values, positionals } = parsed
  if (values.help) {
    process.stdout.write(TAIL_HELP)
    return 0
  }
  if (positionals.length > 1) return usage('tail', `one dir at most; got ${positionals.join(' ')}`, TAIL_HELP)
  let sinceMs: number | undefined
  if (values.since !== undefined) {
    sinceMs = parseDuration(values.since)
    if (sinceMs === undefined) {
      return usage(
        'tail',
        `--since takes a duration such as 30s, 10m, 2h, 1d or 1w; got '${values.since}'`,
        TAIL_HELP,
      )
    }
  }
  const levels = values.level ?? []
  for (const level of levels) {
    // A level with a lane file is known too (custom levels); an unknown one would match nothing, silently.
    if (
      !KNOWN_LEVELS.includes(level) &&
      !/^level-\d+$/.test(level) &&
      !values.any &&
      !(await hasLane(positionals[0] ?? 'logs', level))
    ) {
      return usage('tail', `unknown level '${level}'${didYouMean(level, KNOWN_LEVELS)}`, TAIL_HELP)
    }
  }
  const named = [...(values.domain ?? []), ...(values.lane ?? [])]
  // Each command loads only its own modules: `tail` and `ls` start without pino and winston.
  const { tailLanes } = await import('./reader/tailCommand.js')
  return tailLanes({
    dir: positionals[0] ?? 'logs',
    // --level narrows the lanes named with --domain and --lane (db's errors); alone, or with --any, it names lanes.
    lanes: values.any || named.length === 0 ? [...named, ...levels] : named,
    levels: values.any || named.length === 0 || levels.length === 0 ? undefined : levels,
    sinceMs,
    follow: values.follow,
    json: values.json,
  })
}

/** Whether some folder under `dir` has a lane file of this name (a custom level's lane, `audit.log`). */
async function hasLane(dir: string, name: string): Promise<boolean> {
  const { scanLaneGroups, laneNames } = await import('./reader/laneLayout.js')
  try {
    return laneNames(await scanLaneGroups(dir)).includes(name)
  } catch {
    return false
  }
}

function parseTailArgs(args: readonly string[]) {
  return parseCommandArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      domain: { type: 'string', multiple: true },
      level: { type: 'string', multiple: true },
      lane: { type: 'string', multiple: true },
      any: { type: 'boolean' },
      since: { type: 'string' },
      follow: { type: 'boolean', short: 'f' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  })
}

async function ls(args: readonly string[]): Promise<number> {
  let parsed: { values: { help?: boolean | undefined }; positionals: string[] }
  try {
    parsed = parseCommandArgs({
      args: [...args],
      allowPositionals: true,
      options: { help: { type: 'boolean', short: 'h' } },
    })
  } catch (error) {
    return usage('ls', (error as Error).message, LS_HELP)
  }
  if (parsed.values.help) {
    process.stdout.write(LS_HELP)
    return 0
  }
  if (parsed.positionals.length > 1) {
    return usage('ls', `one dir at most; got ${parsed.positionals.join(' ')}`, LS_HELP)
  }
  const { listLanes } = await import('./reader/lsCommand.js')
  return listLanes(parsed.positionals[0] ?? 'logs')
}

async function generate(rest: readonly string[]): Promise<number> {
  let values: { config?: string; out?: string; dts?: boolean; force?: boolean; help?: boolean }
  try {
    ;({ values } = parseCommandArgs({
      args: [...rest],
      options: {
        config: { type: 'string' },
        out: { type: 'string' },
        dts: { type: 'boolean' },
        force: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }))
  } catch (error) {
    process.stderr.write(`loglanes generate: ${(error as Error).message}\n\n${GENERATE_HELP}`)
    return 2
  }
  if (values.help) {
    process.stdout.write(GENERATE_HELP)
    return 0
  }
  if (values.config === undefined || values.out === undefined) {
    process.stderr.write(`loglanes generate: --config and --out are required\n\n${GENERATE_HELP}`)
    return 2
  }
  try {
    const { generateFacade } = await import('./generate/generateFacade.js')
    const files = await generateFacade({
      config: values.config,
      out: values.out,
      dts: values.dts,
      force: values.force,
    })
    for (const file of files) process.stdout.write(`wrote ${file}\n`)
    return 0
  } catch (error) {
    const message =
      error instanceof LanesConfigError || error instanceof Error ? error.message : String(error)
    process.stderr.write(`${message}\n`)
    return 1
  }
}

process.exitCode = await main(process.argv.slice(2))
