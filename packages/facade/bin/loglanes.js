#!/usr/bin/env node
// The `loglanes` command. A committed stub, so npm links the bin at install, before the build creates dist/.
import '../dist/cli.js'
