// usage: node .rename.js '[["lib/rbac/role.ts","Role","RbacRole"],...]'
const ts = require('typescript'),
  fs = require('fs'),
  path = require('path');
const renames = JSON.parse(process.argv[2]);
const cfg = ts.getParsedCommandLineOfConfigFile('tsconfig.json', {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
const files = new Map(cfg.fileNames.map((f) => [path.resolve(f), { v: 0, text: fs.readFileSync(f, 'utf8') }]));
const host = {
  getScriptFileNames: () => [...files.keys()],
  getScriptVersion: (f) => String(files.get(path.resolve(f))?.v ?? 0),
  getScriptSnapshot: (f) => {
    const e = files.get(path.resolve(f));
    const t = e ? e.text : fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : undefined;
    return t === undefined ? undefined : ts.ScriptSnapshot.fromString(t);
  },
  getCurrentDirectory: () => process.cwd(),
  getCompilationSettings: () => cfg.options,
  getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
  fileExists: ts.sys.fileExists,
  readFile: ts.sys.readFile,
  readDirectory: ts.sys.readDirectory,
};
const ls = ts.createLanguageService(host);
for (const [file, oldName, newName] of renames) {
  const f = path.resolve(file);
  const text = files.get(f).text;
  const sf = ls.getProgram().getSourceFile(f);
  let pos = -1;
  const visit = (n) => {
    if (pos >= 0) return;
    if (
      (ts.isClassDeclaration(n) ||
        ts.isInterfaceDeclaration(n) ||
        ts.isEnumDeclaration(n) ||
        ts.isTypeAliasDeclaration(n) ||
        ts.isFunctionDeclaration(n) ||
        ts.isVariableDeclaration(n)) &&
      n.name &&
      n.name.text === oldName
    )
      pos = n.name.getStart(sf);
    else ts.forEachChild(n, visit);
  };
  visit(sf);
  if (pos < 0) {
    console.error('not found', file, oldName);
    process.exit(1);
  }
  const locs = ls.findRenameLocations(f, pos, false, false, { providePrefixAndSuffixTextForRename: true }) || [];
  const byFile = new Map();
  for (const l of locs) {
    const k = path.resolve(l.fileName);
    (byFile.get(k) ?? byFile.set(k, []).get(k)).push(l);
  }
  for (const [k, ls2] of byFile) {
    const e = files.get(k);
    let t = e.text;
    for (const l of ls2.sort((a, b) => b.textSpan.start - a.textSpan.start)) {
      t =
        t.slice(0, l.textSpan.start) +
        (l.prefixText ?? '') +
        newName +
        (l.suffixText ?? '') +
        t.slice(l.textSpan.start + l.textSpan.length);
    }
    e.text = t;
    e.v++;
  }
  console.log(`${oldName} -> ${newName}: ${locs.length} places`);
}
for (const [f, e] of files) if (e.v > 0) fs.writeFileSync(f, e.text);
