#!/usr/bin/env node
// A committed launcher (not a build output), so npm links the command even before the first build.
import { main } from '../dist/node.js';

// Exit explicitly: a backend's worker threads must not keep a finished run alive.
main(process.argv.slice(2)).then((code) => process.exit(code));
