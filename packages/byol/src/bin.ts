import { main } from './cli';

// Exit explicitly: a backend's worker threads must not keep a finished run alive.
main(process.argv.slice(2)).then((code) => process.exit(code));
