// Build step run by hooks/runtime.py: Pyodide's own CPython, under Node,
// compiles the standard-library modules the page needs.
//
//   node hooks/pyodide_runtime.mjs <job.json>
//
// job.json: {pyodide_dir, wheel, cases, out, optimize, deflate}
//   cases: path of [{"exercise": {...}, "text": "..."}, ...], graded as the
//   page's worker would, so that every module the checker loads is known.
// Prints {python, modules, written}; writes the zip to `out`.
import { readFile, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const job = JSON.parse(await readFile(process.argv[2], "utf8"));
const pyodideDir = resolve(job.pyodide_dir) + "/";
const { loadPyodide } = await import(resolve(pyodideDir, "pyodide.mjs"));

const pyodide = await loadPyodide({ indexURL: pyodideDir, stdout: () => {}, stderr: (s) => console.error(s) });
// The same steps as docs/assets/javascripts/exercise-worker.js.
const sitePackages = pyodide.runPython("import sysconfig; sysconfig.get_path('purelib')");
pyodide.unpackArchive(new Uint8Array(await readFile(job.wheel)), "wheel", { extractDir: sitePackages });

const namespace = pyodide.globals.get("dict")();
pyodide.runPython(await readFile(resolve(here, "pyodide_job.py"), "utf8"), { globals: namespace });
namespace.get("exercise_checker")(await readFile(job.cases, "utf8"));
const modules = namespace.get("stdlib_modules")().toJs();

const target = "/tmp/stdlib.zip";
const written = namespace.get("write_stdlib")(modules, target, job.optimize, job.deflate);
await writeFile(job.out, pyodide.FS.readFile(target));
const python = pyodide.runPython("import sys; sys.version.split()[0]");
process.stdout.write(JSON.stringify({ python, modules, written }) + "\n");
