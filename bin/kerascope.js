#!/usr/bin/env node
import { supervise } from '../dist/cli/watchdog.js';

process.exitCode = await supervise(process.argv.slice(2));
