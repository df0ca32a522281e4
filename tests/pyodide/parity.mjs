// Grade cases inside Pyodide (Node), with the checker wheel built from the tree.
//
//   node tests/pyodide/parity.mjs <checker wheel> <cases.json>
//
// cases.json: [{"exercise": {...exercise dict...}, "text": "..."}, ...]
// Prints one JSON array: for each case, checker.grade(exercise, text).to_dict().
import { readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const pyodideDir = resolve(here, "../../node_modules/pyodide");
const { loadPyodide } = await import(resolve(pyodideDir, "pyodide.mjs"));

const [wheelPath, casesPath] = process.argv.slice(2);
if (!wheelPath || !casesPath) {
  console.error("usage: node parity.mjs <wheel> <cases.json>");
  process.exit(2);
}

const pyodide = await loadPyodide({ indexURL: pyodideDir + "/", stdout: () => {}, stderr: (s) => console.error(s) });
const sitePackages = pyodide.runPython("import sysconfig; sysconfig.get_path('purelib')");
// Pyodide wants a plain typed array, not a Node Buffer.
const wheel = new Uint8Array(await readFile(wheelPath));
pyodide.unpackArchive(wheel, "wheel", { extractDir: sitePackages });
pyodide.globals.set("cases_json", await readFile(casesPath, "utf8"));
// The same door as the page's worker: checker/bridge.py.
const out = pyodide.runPython(`
import json, sys
from checker.bridge import grade_many_json
json.dumps({
    "python": sys.version.split()[0],
    "platform": sys.platform,
    "results": json.loads(grade_many_json(cases_json)),
}, ensure_ascii=False)
`);
process.stdout.write(out + "\n");
