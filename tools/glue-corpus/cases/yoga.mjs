// Yoga (Facebook's flexbox layout, emscripten): lays out 40 wrapped, growing children.
export default async function () {
  const { default: Yoga, FlexDirection, Justify, Align, Wrap, Edge } = await import('yoga-layout');
  const root = Yoga.Node.create();
  root.setWidth(500); root.setHeight(300); root.setFlexDirection(FlexDirection.Row); root.setFlexWrap(Wrap.Wrap); root.setJustifyContent(Justify.SpaceBetween); root.setAlignItems(Align.Center); root.setPadding(Edge.All, 7);
  const kids = [];
  for (let i = 0; i < 40; i++) { const c = Yoga.Node.create(); c.setWidth(30 + (i * 7) % 50); c.setHeight(10 + (i * 13) % 40); c.setMargin(Edge.All, i % 3); if (i % 5 === 0) c.setFlexGrow(1); root.insertChild(c, i); kids.push(c); }
  root.calculateLayout(500, 300);
  const out = kids.map((c) => { const l = c.getComputedLayout(); return [l.left, l.top, l.width, l.height].map((v) => v.toFixed(3)).join(','); });
  root.freeRecursive();
  return out.join(' ');
}
