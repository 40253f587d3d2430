import t from 'tap';
import { IngestErrors } from '@aaf-sync/ingest';
import { ApiErrors } from '../../src/index.js';
import { toProblem } from '../../src/lib/problem.js';
import { hideServerPaths } from '../../src/lib/server-paths.js';

t.test('absolute paths keep their last segment only', async (t) => {
  t.equal(
    hideServerPaths('corrupt or unreadable archive /tmp/aaf-upload-Xy12/delivery.tgz: bad gzip'),
    'corrupt or unreadable archive delivery.tgz: bad gzip',
  );
  t.equal(
    hideServerPaths("ENOENT: no such file or directory, open '/srv/aaf/var/inbox/a.xml'"),
    "ENOENT: no such file or directory, open 'a.xml'",
  );
  t.equal(
    hideServerPaths('no AAF file found in /tmp/aaf-upload-1/x.txt,/tmp/aaf-upload-1/y.txt'),
    'no AAF file found in x.txt,y.txt',
  );
  t.equal(hideServerPaths('see file:///home/op/a/b.xml (line 3)'), 'see b.xml (line 3)');
  t.equal(hideServerPaths('cannot read C:\\data\\inbox\\a.xml'), 'cannot read a.xml');
  t.equal(hideServerPaths('folder /var/spool/aaf/'), 'folder aaf');
});

t.test('stack frames are dropped; text without paths is unchanged', async (t) => {
  t.equal(
    hideServerPaths('boom\n    at read (/app/dist/reader.js:10:3)\n    at next (node:internal/x)'),
    'boom',
  );
  const plain = 'ENT_Complet_20260901_Eleve_0001.xml:12:4: malformed XML: bad tag, ratio 1/2';
  t.equal(hideServerPaths(plain), plain);
});

t.test(
  'problem documents of other packages lose server paths; API messages are kept',
  async (t) => {
    const request = { id: 'r', url: '/v1/imports' };
    const bad = IngestErrors.BAD_FILE({
      file: '/tmp/aaf-upload-abc/ENT_Complet_20260901_Eleve_0001.xml',
      reason: 'corrupt or unreadable archive /tmp/aaf-upload-abc/delivery.zip: truncated',
    });
    t.equal(
      toProblem(bad, request).detail,
      'file ENT_Complet_20260901_Eleve_0001.xml cannot be read: corrupt or unreadable archive delivery.zip: truncated',
    );
    const route = ApiErrors.ROUTE_NOT_FOUND({ method: 'GET', path: '/v1/nothing/here' });
    t.equal(toProblem(route, request).detail, 'no route GET /v1/nothing/here');
  },
);
