// Replays an editing trace (josephg/editing-traces format, gzipped JSON) into a Y.Text with the yjs package, the peer
// the documents benchmark compares the merge engine with. Usage: node yjs-replay.cjs TRACE.json.gz YJS_MODULE_DIR RUNS
// Prints one JSON line: {"patches":N,"runs_ms":[...],"ok":true|false,"length":L,"max_rss_kib":K}. Parsing the trace is
// not timed; each run applies every patch (delete, then insert) to a fresh Y.Doc, one transaction per trace transaction.
'use strict';
const fs = require('fs');
const zlib = require('zlib');

const [tracePath, yjsDir, runsArg] = process.argv.slice(2);
const Y = require(yjsDir);
const trace = JSON.parse(zlib.gunzipSync(fs.readFileSync(tracePath)).toString('utf8'));
const txns = trace.txns.map((t) => t.patches);
const patches = txns.reduce((n, p) => n + p.length, 0);
const runs = Number(runsArg || 1);

const runsMs = [];
let ok = true;
let length = 0;
for (let run = 0; run < runs; run++) {
  const doc = new Y.Doc();
  const text = doc.getText('content');
  if (trace.startContent) {
    text.insert(0, trace.startContent);
  }

  const started = process.hrtime.bigint();
  for (const txn of txns) {
    doc.transact(() => {
      for (const [position, deleteCount, insert] of txn) {
        if (deleteCount > 0) {
          text.delete(position, deleteCount);
        }
        if (insert.length > 0) {
          text.insert(position, insert);
        }
      }
    });
  }
  runsMs.push(Number(process.hrtime.bigint() - started) / 1e6);
  const content = text.toString();
  ok = ok && content === trace.endContent;
  length = content.length;
  doc.destroy();
}

console.log(JSON.stringify({ patches, runs_ms: runsMs, ok, length, max_rss_kib: process.resourceUsage().maxRSS }));
