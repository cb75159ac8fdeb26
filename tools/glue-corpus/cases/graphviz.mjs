// Graphviz (C, emscripten, the wasm embedded in the JS): a 60-node graph with clusters laid out by
// dot, neato and circo, to SVG and plain text.
import { createHash } from 'node:crypto';
export default async function () {
  const { Graphviz } = await import('@hpcc-js/wasm-graphviz');
  const graphviz = await Graphviz.load();
  let dot = 'digraph G { rankdir=LR; node [shape=box];\n';
  for (let c = 0; c < 3; c++) {
    dot += `subgraph cluster_${c} { label="cluster ${c}"; color=blue;\n`;
    for (let i = 0; i < 20; i++) dot += `n${c}_${i} [label="node ${c}.${i}"${i % 4 === 0 ? ' shape=ellipse' : ''}];\n`;
    dot += '}\n';
  }
  for (let i = 0; i < 90; i++) dot += `n${i % 3}_${(i * 7) % 20} -> n${(i + 1) % 3}_${(i * 13 + 5) % 20} [label="${i}"];\n`;
  dot += '}';
  const out = [graphviz.version()];
  for (const layout of ['dot', 'neato', 'circo']) {
    const svg = graphviz.layout(dot, 'svg', layout);
    out.push(`${layout} svg ${svg.length} ${createHash('sha256').update(svg).digest('hex').slice(0, 16)}`);
  }
  out.push(graphviz.layout(dot, 'plain', 'dot'));
  return out.join('\n');
}
