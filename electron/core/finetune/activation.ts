// Which adapter version is active, per model: the setting `activeAdapter:<modelId>` (a version id,
// or absent for none) and `adapterHistory:<modelId>` (the versions active before, newest last) for
// rollback. Per model, so switching models deactivates a version and switching back restores it.
import type { SettingsRepo } from '../store/settings.js';

const HISTORY_KEEP = 50;

const activeKey = (modelId: string): string => `activeAdapter:${modelId}`;
const historyKey = (modelId: string): string => `adapterHistory:${modelId}`;

const parseId = (v: unknown): number | null => {
  if (v === null) return null;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new Error(`not an adapter version id: ${JSON.stringify(v)}`);
  return v;
};

const parseHistory = (v: unknown): (number | null)[] => {
  if (!Array.isArray(v)) throw new Error('adapter history is not a list');
  return v.map(parseId);
};

export function activeVersion(settings: SettingsRepo, modelId: string): number | null {
  return settings.get(activeKey(modelId), parseId) ?? null;
}

/** Makes `versionId` (or none) the active one for the model, remembering the one before for rollback. */
export function setActiveVersion(settings: SettingsRepo, modelId: string, versionId: number | null): void {
  const current = activeVersion(settings, modelId);
  if (current === versionId) return;
  const history = [...(settings.get(historyKey(modelId), parseHistory) ?? []), current].slice(-HISTORY_KEEP);
  settings.set(historyKey(modelId), history);
  settings.set(activeKey(modelId), versionId);
}

/** Back to the version active before the current one (none when there is no history). */
export function rollbackVersion(settings: SettingsRepo, modelId: string): { from: number | null; to: number | null } {
  const from = activeVersion(settings, modelId);
  const history = settings.get(historyKey(modelId), parseHistory) ?? [];
  const to = history.length > 0 ? (history.pop() as number | null) : null;
  settings.set(historyKey(modelId), history);
  settings.set(activeKey(modelId), to);
  return { from, to };
}
