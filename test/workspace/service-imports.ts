// Who imports whom across the workspace's services: read from the package.json files and the
// import specifiers of the TypeScript sources (test/workspace/service-boundaries.test.ts).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

const DEPENDENCY_FIELDS = [
  'dependencies',
  'devDependencies',
  'peerDependencies',
  'optionalDependencies',
] as const;

/** Folders never scanned: installed or built files. */
const SKIPPED = new Set(['node_modules', 'dist', '.tap']);

export type Unit = { folder: string; name: string; kind: 'package' | 'service' };

/** One forbidden edge: `from` (a folder such as services/cli) reaches the service `to` by `via`. */
export type Crossing = { from: string; to: string; via: string };

type Manifest = { name: string } & Partial<Record<(typeof DEPENDENCY_FIELDS)[number], object>>;

function manifest(root: string, folder: string): Manifest {
  return JSON.parse(readFileSync(join(root, folder, 'package.json'), 'utf8')) as Manifest;
}

/** Every workspace package and service (a folder of packages/ or services/ with a package.json). */
export function workspaceUnits(root: string): Unit[] {
  const units: Unit[] = [];
  for (const [group, kind] of [
    ['packages', 'package'],
    ['services', 'service'],
  ] as const) {
    if (!existsSync(join(root, group))) continue;
    for (const entry of readdirSync(join(root, group), { withFileTypes: true })) {
      const folder = `${group}/${entry.name}`;
      if (entry.isDirectory() && existsSync(join(root, folder, 'package.json')))
        units.push({ folder, name: manifest(root, folder).name, kind });
    }
  }
  return units.sort((a, b) => a.folder.localeCompare(b.folder));
}

function sourceFiles(dir: string): string[] {
  const files: string[] = [];
  const entries = readdirSync(dir, { withFileTypes: true });
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (SKIPPED.has(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...sourceFiles(path));
    else if (/\.(c|m)?(t|j)sx?$/.test(entry.name) && !entry.name.endsWith('.d.ts'))
      files.push(path);
  }
  return files;
}

/** The module specifiers of a source file: static, dynamic and type imports, re-exports, require. */
export function importSpecifiers(source: string): string[] {
  return ts.preProcessFile(source, true, true).importedFiles.map((f) => f.fileName);
}

/**
 * Every way a unit reaches a service other than itself: a dependency of its package.json, an
 * import of the service's package name (or a subpath), or a relative import into its folder.
 */
export function serviceCrossings(root: string): Crossing[] {
  const units = workspaceUnits(root);
  const services = units.filter((u) => u.kind === 'service');
  const crossings: Crossing[] = [];
  for (const unit of units) {
    const others = services.filter((s) => s.folder !== unit.folder);
    const pkg = manifest(root, unit.folder);
    for (const field of DEPENDENCY_FIELDS)
      for (const dep of Object.keys(pkg[field] ?? {})) {
        const to = others.find((s) => s.name === dep);
        if (to) crossings.push({ from: unit.folder, to: to.folder, via: `package.json ${field}` });
      }
    for (const file of sourceFiles(join(root, unit.folder))) {
      const at = relative(root, file).split(sep).join('/');
      for (const spec of importSpecifiers(readFileSync(file, 'utf8'))) {
        const target = spec.startsWith('.')
          ? relative(root, resolve(dirname(file), spec))
              .split(sep)
              .join('/')
          : undefined;
        const to = others.find((s) =>
          target === undefined
            ? spec === s.name || spec.startsWith(`${s.name}/`)
            : target === s.folder || target.startsWith(`${s.folder}/`),
        );
        if (to) crossings.push({ from: unit.folder, to: to.folder, via: `${at} '${spec}'` });
      }
    }
  }
  return crossings;
}
