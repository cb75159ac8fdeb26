// Every public item has a doc comment: whatever the package's entry points export (tswasm,
// tswasm/wasi, tswasm/node, tswasm/jsapi, tswasm/wizer), and the public members of the classes and
// interfaces among them. Read with the TypeScript compiler, as an editor shows them.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import ts from 'typescript';
import { projectRoot } from '../helpers/paths.js';

const ENTRY_POINTS = ['src/index.ts', 'src/wasi/index.ts', 'src/node/index.ts', 'src/jsapi/index.ts', 'src/wizer/index.ts'];

/** The public items without a doc comment, as `file: Name` or `file: Name.member`. */
function undocumented(): string[] {
  const files = ENTRY_POINTS.map((p) => join(projectRoot, p));
  const program = ts.createProgram(files, {
    target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, strict: true,
  });
  const checker = program.getTypeChecker();
  const missing = new Set<string>();
  const where = (d: ts.Declaration) => d.getSourceFile().fileName.slice(projectRoot.length + 1);
  for (const file of files) {
    const module = checker.getSymbolAtLocation(program.getSourceFile(file)!)!;
    for (const exported of checker.getExportsOfModule(module)) {
      const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      const decl = symbol.declarations?.[0];
      if (decl === undefined) continue;
      if (symbol.getDocumentationComment(checker).length === 0) missing.add(`${where(decl)}: ${exported.name}`);
      if (!(symbol.flags & (ts.SymbolFlags.Class | ts.SymbolFlags.Interface))) continue;
      for (const member of [...(symbol.members?.values() ?? []), ...(symbol.exports?.values() ?? [])]) {
        const d = member.declarations?.[0];
        if (d === undefined || member.name === 'prototype' || member.flags & ts.SymbolFlags.TypeParameter) continue;
        if (ts.getCombinedModifierFlags(d) & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) continue;
        if ((d as ts.NamedDeclaration).name !== undefined && ts.isPrivateIdentifier((d as ts.NamedDeclaration).name!)) continue;
        if (ts.getJSDocTags(d).some((t) => t.tagName.text === 'internal')) continue;
        // A constructor's own overloads carry the comment; one without parameters needs none.
        if (member.name === '__constructor') continue;
        if (member.getDocumentationComment(checker).length === 0) missing.add(`${where(d)}: ${exported.name}.${member.name}`);
      }
    }
  }
  return [...missing].sort();
}

test('every public item of every entry point has a doc comment', () => {
  assert.deepEqual(undocumented(), []);
});
