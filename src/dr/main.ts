import { runMain } from '../cli/command';
import { drCommand } from './cli';

/** Entry point of `npm run dr -- <command>`. */
runMain(drCommand());
