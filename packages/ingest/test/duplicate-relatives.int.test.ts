import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { harness, variant } from './helpers.js';

t.test(
  'a relative entered twice under two jointures is reported as a likely duplicate',
  async (t) => {
    const h = await harness(t);
    const dir = variant(t.testdir(), { from: '2d', pick: 'Complet' });
    // The same mother appears a second time (as SIECLE does when a parent is entered once per
    // child), the second child pointing at the copy.
    const relFile = join(
      dir,
      readdirSync(dir).find((n) => n.includes('_PersRelEleve_'))!,
    );
    const text = readFileSync(relFile, 'utf8');
    const block =
      /<addRequest>(?:(?!<\/addRequest>)[\s\S])*?<id>9310201<\/id>[\s\S]*?<\/addRequest>/.exec(
        text,
      )![0];
    writeFileSync(
      relFile,
      text.replace(
        '</ficAlimMENESR>',
        `${block.replaceAll('9310201', '9310299')}\n</ficAlimMENESR>`,
      ),
    );
    const eleveFile = join(
      dir,
      readdirSync(dir).find((n) => n.includes('_Eleve_'))!,
    );
    writeFileSync(
      eleveFile,
      readFileSync(eleveFile, 'utf8').replace(
        '<value>9310201$10$1$1$0$0</value>',
        '<value>9310299$10$1$1$0$0</value>',
      ),
    );
    const { imports } = await h.ingest(dir);
    t.equal(imports[0]!.establishments[0]!.duplicateRelatives, 1, 'one pair');
    const clean = await harness(t);
    const { imports: other } = await clean.ingest(
      variant(join(t.testdirName, 'clean'), { from: '2d', pick: 'Complet' }),
    );
    t.equal(other[0]!.establishments[0]!.duplicateRelatives, 0, 'none in the original sample');
  },
);
