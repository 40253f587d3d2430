const a = await import('@aaf-sync/aaf');
const ds = await a.openDeliveries([process.argv[2]]);
let n = 0;
const t0 = Date.now();
for (const f of ds[0].files) {
  if (!f.fileName.name.includes(process.argv[3] ?? '')) continue;
  for await (const it of a.readAafFile(await f.open(), { fileName: f.fileName.name })) {
    if (it.type === 'record') n++;
  }
}
console.log(n, Date.now() - t0, 'ms');
