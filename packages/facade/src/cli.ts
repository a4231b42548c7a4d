#!/usr/bin/env node
import { parseArgs } from 'node:util'
import { LanesConfigError } from '@loglanes/core'
import { generateFacade } from './generateFacade.js'

const HELP = `Usage: loglanes <command> [options]

Commands:
  generate   write a typed facade module from a JSON options file

Run 'loglanes <command> --help' for a command's options.
`

const GENERATE_HELP = `Usage: loglanes generate --config <file> --out <file> [--dts] [--force]

Reads a JSON file of createLanes options (plus optional "descriptions": { "<domain>": "<text>" }),
validates it as createLanes would, and writes a module that exports the ready facade as \`log\`
and the domain union as the type \`Domain\`. The same config always gives the same bytes.

Options:
  --config <file>  the JSON options file (for example loglanes.config.json)
  --out <file>     the module to write: .ts for TypeScript; with --dts, .js or .mjs
  --dts            write a JavaScript module and a declaration file beside it, so a JavaScript
                   project (// @ts-check, checkJs) gets the same autocomplete
  --force          replace --out even if loglanes generate did not write it
  -h, --help       show this help
`

/** Runs the command line; returns the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(HELP)
    return command === undefined ? 2 : 0
  }
  if (command !== 'generate') {
    process.stderr.write(`loglanes: unknown command '${command}'\n\n${HELP}`)
    return 2
  }
  let values: { config?: string; out?: string; dts?: boolean; force?: boolean; help?: boolean }
  try {
    ;({ values } = parseArgs({
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
