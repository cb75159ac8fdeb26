// MuPDF (emscripten): writes a three-page PDF, opens it again, extracts the text and renders each
// page.
import { createHash } from 'node:crypto';
export default async function () {
  const mupdf = (await import('mupdf')).default ?? (await import('mupdf'));
  // Make a PDF with MuPDF itself, then read it back.
  const doc = new mupdf.PDFDocument();
  const font = doc.addSimpleFont(new mupdf.Font('Times-Roman'));
  const out = [];
  for (let p = 0; p < 3; p++) {
    const resources = doc.addObject({ Font: { F1: font } });
    const content = `BT /F1 ${18 + p * 4} Tf 72 ${700 - p * 30} Td (Page ${p + 1}: tswasm renders PDF) Tj ET 0 0 1 rg 72 72 ${100 + p * 50} 60 re f`;
    const page = doc.addPage([0, 0, 595, 842], 0, resources, content);
    doc.insertPage(-1, page);
  }
  const buf = doc.saveToBuffer('compress');
  const bytes = buf.asUint8Array();
  const doc2 = mupdf.Document.openDocument(bytes, 'application/pdf');
  out.push('pages ' + doc2.countPages());
  for (let i = 0; i < doc2.countPages(); i++) {
    const page = doc2.loadPage(i);
    out.push('text ' + JSON.stringify(page.toStructuredText().asText()));
    const pix = page.toPixmap(mupdf.Matrix.scale(0.5, 0.5), mupdf.ColorSpace.DeviceRGB, false, true);
    out.push('pix ' + pix.getWidth() + 'x' + pix.getHeight() + ' ' + createHash('sha256').update(pix.getPixels()).digest('hex').slice(0, 16));
  }
  return out.join('\n');
}
