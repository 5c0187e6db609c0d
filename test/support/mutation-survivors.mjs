// Stryker reporter (stryker.config.mjs, reporter "survivors"): writes each surviving, uncovered or
// timed-out mutant to reports/mutation/<layer>.survivors.txt as soon as it is tested, one line each:
// `file:line:column Mutator: original -> replacement`. The HTML and JSON reports appear only when
// the run ends, hours later on two cores; with this file the tests for the first survivors can be
// written while the run goes on.
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { declareClassPlugin, PluginKind } from '@stryker-mutator/api/plugin';

const ROOT = join(dirname(new URL(import.meta.url).pathname), '..', '..');

/** The source text a mutant replaces (first 80 characters, one line). */
function original(fileName, { start, end }) {
  try {
    const lines = readFileSync(fileName, 'utf8')
      .split('\n')
      .slice(start.line - 1, end.line);
    lines[lines.length - 1] = lines[lines.length - 1].slice(0, end.column - 1);
    lines[0] = lines[0].slice(start.column - 1);
    return lines.join(' ').replace(/\s+/g, ' ').slice(0, 80);
  } catch {
    return '?';
  }
}

class SurvivorsReporter {
  static inject = [];

  constructor() {
    this.file = join(ROOT, 'reports', 'mutation', `${process.env.MUTATION_LAYER ?? 'scratch'}.survivors.txt`);
    mkdirSync(dirname(this.file), { recursive: true });
    writeFileSync(this.file, '');
  }

  onMutantTested(result) {
    const tag = { Survived: '', NoCoverage: '[no coverage] ', Timeout: '[timeout] ' }[result.status];
    if (tag === undefined) return;
    const { start } = result.location;
    const file = result.fileName.startsWith(ROOT) ? result.fileName.slice(ROOT.length + 1) : result.fileName;
    const replacement = String(result.replacement ?? '')
      .replace(/\s+/g, ' ')
      .slice(0, 80);
    appendFileSync(
      this.file,
      `${file}:${start.line}:${start.column} ${tag}${result.mutatorName}: ${original(result.fileName, result.location)} -> ${replacement}\n`,
    );
  }
}

export const strykerPlugins = [declareClassPlugin(PluginKind.Reporter, 'survivors', SurvivorsReporter)];
