import { readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { DataSource } from 'typeorm';

/** The SQL that would bring the database to the entities' shape; empty when they agree. */
export async function pendingSchemaChanges(dataSource: DataSource): Promise<{ up: string[]; down: string[] }> {
  const log = await dataSource.driver.createSchemaBuilder().log();
  return {
    up: log.upQueries.map((q) => q.query),
    down: log.downQueries.map((q) => q.query).reverse(),
  };
}

function escape(sql: string): string {
  return sql.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${');
}

/**
 * Writes `migrations/<timestamp>-<Name>.ts` with the pending changes and lists it in
 * `migrations/index.ts`. Returns the file, or undefined when there is nothing to generate.
 */
export async function generateMigrationFile(dataSource: DataSource, name: string, dir: string, timestamp = Date.now()): Promise<string | undefined> {
  if (!/^[A-Za-z][A-Za-z0-9]*$/.test(name)) throw new Error('A migration name is letters and digits, e.g. AddTaskLabels');
  const { up, down } = await pendingSchemaChanges(dataSource);
  if (up.length === 0) return undefined;
  const className = `${name}${timestamp}`;
  const file = join(dir, `${timestamp}-${name}.ts`);
  const body = (queries: string[]) => queries.map((q) => `    await queryRunner.query(\`${escape(q)}\`);`).join('\n');
  writeFileSync(
    file,
    `import { MigrationInterface, QueryRunner } from 'typeorm';\n\n` +
      `export class ${className} implements MigrationInterface {\n  name = '${className}';\n\n` +
      `  async up(queryRunner: QueryRunner): Promise<void> {\n${body(up)}\n  }\n\n` +
      `  async down(queryRunner: QueryRunner): Promise<void> {\n${body(down)}\n  }\n}\n`,
  );
  registerMigration(dir, file);
  return file;
}

/** Adds a migration file's class to `migrations/index.ts` (imports and the ordered list). */
export function registerMigration(dir: string, file: string): void {
  const indexPath = join(dir, 'index.ts');
  const moduleName = basename(file, '.ts');
  const source = readFileSync(file, 'utf8');
  const className = /export class (\w+)/.exec(source)?.[1];
  if (!className) throw new Error(`${file} exports no migration class`);
  let index = readFileSync(indexPath, 'utf8');
  if (index.includes(`'./${moduleName}'`)) return;
  const importLine = `import { ${className} } from './${moduleName}';\n`;
  const lines = index.split('\n');
  let last = -1;
  lines.forEach((line, i) => {
    if (line.startsWith('import ')) last = i;
  });
  lines.splice(last + 1, 0, importLine.trimEnd());
  index = lines.join('\n');
  index = index.replace(/export const MIGRATIONS = \[([\s\S]*?)\];/, (_m, list: string) => {
    const items = list.split(',').map((s) => s.trim()).filter(Boolean);
    items.push(className);
    return `export const MIGRATIONS = [\n  ${items.join(',\n  ')},\n];`;
  });
  writeFileSync(indexPath, index);
}
