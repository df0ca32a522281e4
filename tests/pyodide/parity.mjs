// Grade cases inside Pyodide (Node), with the checker wheel built from the tree.
//
//   node tests/pyodide/parity.mjs <checker wheel> <cases.json> [<stdlib.zip> <lock info.json>]
//
// cases.json: [{"exercise": {...exercise dict...}, "text": "..."}, ...]
// stdlib.zip and the lock's info: what the site ships (hooks/runtime.py), loaded
// as the page's worker loads them; without them, stock Pyodide.
// Prints one JSON array: for each case, checker.grade(exercise, text).to_dict().
import { readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const pyodideDir = resolve(here, "../../node_modules/pyodide");
const { loadPyodide } = await import(resolve(pyodideDir, "pyodide.mjs"));

const [wheelPath, casesPath, stdlibPath, lockInfoPath] = process.argv.slice(2);
if (!wheelPath || !casesPath) {
  console.error("usage: node parity.mjs <wheel> <cases.json>");
  process.exit(2);
}

const options = { indexURL: pyodideDir + "/", stdout: () => {}, stderr: (s) => console.error(s) };
if (stdlibPath) {
  options.stdLibURL = stdlibPath;
  options.lockFileContents = { info: JSON.parse(await readFile(lockInfoPath, "utf8")), packages: {} };
}
const pyodide = await loadPyodide(options);
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
    "json_module": json.__spec__.origin,
    "results": json.loads(grade_many_json(cases_json)),
}, ensure_ascii=False)
`);
process.stdout.write(out + "\n");
