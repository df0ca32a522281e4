// The "Ma progression" page: the state of every exercise, and export,
// import (merged, never replacing newer progress) and erasure of the
// reader's progress. Everything stays on the device.

import { el, part, plural } from "./dom.js";
import { ACTION, ROLE } from "./protocol.js";
import { MAX_DRAFT, MAX_FLAGS, NO_STORAGE, STORAGE_FULL, store } from "./storage.js";

const EXPORT_FORMAT = "dire-non-sans-perdre-le-client/progression";

function stateOf(record) {
  if (record.passed) return ["passed", `Réussi (meilleur score : ${record.best} sur 100)`];
  if (record.attempts > 0) {
    return ["started", `En cours : ${plural(record.attempts, "essai", "essais")}, meilleur score ${record.best ?? 0} sur 100`];
  }
  if (record.draft) return ["draft", "Brouillon commencé"];
  return ["new", "Pas commencé"];
}

function countFlags(records) {
  return Object.values(records).reduce((n, record) => n + record.flags.length, 0);
}

function renderProgress(root) {
  const rows = [...root.querySelectorAll("tr[data-exercise]")];
  let passed = 0;
  for (const row of rows) {
    const record = store.read(row.dataset.exercise);
    const [state, label] = stateOf(record);
    if (state === "passed") passed += 1;
    const cell = part(row, ROLE.STATE);
    cell.textContent = label;
    cell.dataset.state = state;
  }
  let summary = `${plural(passed, "exercice réussi", "exercices réussis")} sur ${rows.length}.`;
  const flags = countFlags(store.all());
  if (flags === 1) summary += " 1 résultat signalé comme mal corrigé : l'export le contient.";
  else if (flags > 1) summary += ` ${flags} résultats signalés comme mal corrigés : l'export les contient.`;
  if (!store.available) summary += " " + NO_STORAGE;
  part(root, ROLE.SUMMARY).textContent = summary;
}

function validateImport(data, known) {
  const bad = "Ce fichier n'est pas une progression exportée depuis ce site.";
  if (!data || typeof data !== "object" || Array.isArray(data)) throw new Error(bad);
  if (data.format !== EXPORT_FORMAT) throw new Error(bad);
  if (!Number.isInteger(data.version) || data.version < 1) throw new Error(bad);
  if (data.version > 1) throw new Error("Ce fichier vient d'une version plus récente du site : impossible de le lire.");
  const entries = data.exercises;
  if (!entries || typeof entries !== "object" || Array.isArray(entries)) throw new Error(bad);
  const records = {};
  let unknown = 0;
  for (const [id, raw] of Object.entries(entries)) {
    const ok =
      raw &&
      typeof raw === "object" &&
      Number.isInteger(raw.attempts) &&
      raw.attempts >= 0 &&
      (raw.best === null || (Number.isInteger(raw.best) && raw.best >= 0 && raw.best <= 100)) &&
      typeof raw.passed === "boolean" &&
      (raw.draft === undefined || (typeof raw.draft === "string" && raw.draft.length <= MAX_DRAFT)) &&
      (raw.last === undefined || raw.last === null || typeof raw.last === "object") &&
      (raw.flags === undefined || Array.isArray(raw.flags));
    if (!ok) throw new Error(`Le fichier est abîmé : les données de l'exercice « ${id} » sont invalides.`);
    if (known.has(id)) records[id] = store.clean(raw);
    else unknown += 1;
  }
  return { records, unknown };
}

// Both lists of flags, each flag once, oldest first.
function mergeFlags(current, incoming) {
  const byKey = new Map();
  for (const flag of [...current, ...incoming]) byKey.set(`${flag.at}\u0000${flag.reply}`, flag);
  return [...byKey.values()].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0)).slice(-MAX_FLAGS);
}

// Import never loses newer progress: per exercise, the best of both.
function mergeRecords(current, incoming) {
  const newer = (incoming.updated || "") > (current.updated || "") ? incoming : current;
  return {
    draft: newer.draft || current.draft || incoming.draft || "",
    attempts: Math.max(current.attempts, incoming.attempts),
    best:
      current.best === null && incoming.best === null ? null : Math.max(current.best ?? 0, incoming.best ?? 0),
    passed: current.passed || incoming.passed,
    updated: newer.updated,
    last: newer.last || current.last || incoming.last || null,
    flags: mergeFlags(current.flags, incoming.flags),
  };
}

export function bindProgress(root) {
  if (root.dataset.bound !== undefined) return;
  root.dataset.bound = "";
  const status = part(root, ROLE.STATUS);
  const input = part(root, ROLE.IMPORT_FILE);
  const known = new Set([...root.querySelectorAll("tr[data-exercise]")].map((row) => row.dataset.exercise));
  part(root, ROLE.TOOLS).hidden = false;
  renderProgress(root);

  root.addEventListener("click", (event) => {
    const button = event.target.closest("[data-action]");
    if (!button) return;
    const action = button.dataset.action;
    if (action === ACTION.EXPORT) {
      const data = {
        format: EXPORT_FORMAT,
        version: 1,
        exported: new Date().toISOString(),
        exercises: store.all(),
      };
      const blob = new Blob([JSON.stringify(data, null, 2) + "\n"], { type: "application/json" });
      const url = URL.createObjectURL(blob);
      const link = el("a", { href: url, download: "progression-dire-non.json", hidden: true });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
      const n = Object.keys(data.exercises).length;
      const flags = countFlags(data.exercises);
      const counts = [plural(n, "exercice", "exercices"), flags ? plural(flags, "signalement", "signalements") : null];
      status.textContent = `Progression exportée (${counts.filter(Boolean).join(", ")}) dans le fichier progression-dire-non.json.`;
    } else if (action === ACTION.IMPORT) {
      input.click();
    } else if (action === ACTION.ERASE) {
      if (!window.confirm("Effacer toute votre progression sur cet appareil ? Vos brouillons, essais et scores seront perdus.")) {
        status.textContent = "Rien n'a été effacé.";
        return;
      }
      const erased = store.clear();
      renderProgress(root);
      status.textContent = erased
        ? "Votre progression a été effacée."
        : "Votre progression n'a pas pu être entièrement effacée : votre navigateur a refusé. Réessayez, ou effacez les données du site dans ses réglages.";
    }
  });

  input.addEventListener("change", async () => {
    const file = input.files && input.files[0];
    input.value = "";
    if (!file) return;
    if (!store.available) {
      status.textContent = "Impossible d'importer : " + NO_STORAGE.charAt(0).toLowerCase() + NO_STORAGE.slice(1);
      return;
    }
    try {
      if (file.size > 2_000_000) throw new Error("Ce fichier est trop gros pour être une progression.");
      let data;
      try {
        data = JSON.parse(await file.text());
      } catch (error) {
        throw new Error("Ce fichier n'est pas un fichier JSON lisible.");
      }
      const { records, unknown } = validateImport(data, known);
      let changed = 0;
      let same = 0;
      let failed = 0;
      for (const [id, incoming] of Object.entries(records)) {
        const current = store.read(id);
        const merged = mergeRecords(current, incoming);
        if (JSON.stringify(store.clean(merged)) === JSON.stringify(store.clean(current))) {
          same += 1;
          continue;
        }
        if (store.write(id, merged)) changed += 1;
        else failed += 1;
      }
      renderProgress(root);
      let message = `Progression importée : ${plural(changed, "exercice mis à jour", "exercices mis à jour")}, ${plural(same, "déjà à jour", "déjà à jour")}.`;
      if (unknown) message += ` ${plural(unknown, "exercice inconnu ignoré", "exercices inconnus ignorés")}.`;
      if (failed) message += " " + STORAGE_FULL;
      status.textContent = message;
    } catch (error) {
      status.textContent = `Import impossible : ${error.message}`;
    }
  });
}
