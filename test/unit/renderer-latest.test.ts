// Search-as-you-type's request discipline: a debounce, and only the newest request's answer
// is used (older ones are aborted and resolve to null).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Latest } from '../../renderer/src/lib/util/latest.js';
import { dayEnd, dayStart, toDayValue } from '../../renderer/src/lib/util/dates.js';

function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

test('a newer run aborts the older one, whose answer is dropped', async () => {
  const latest = new Latest();
  const slow = deferred<string>();
  const signals: AbortSignal[] = [];
  const first = latest.run((signal) => {
    signals.push(signal);
    return slow.promise;
  });
  const second = latest.run(async (signal) => {
    signals.push(signal);
    return 'new';
  });
  slow.resolve('old');
  assert.equal(await first, null);
  assert.equal(await second, 'new');
  assert.equal(signals[0]!.aborted, true);
  assert.equal(signals[1]!.aborted, false);
});

test('debounced runs start only the last task of a burst', async () => {
  const latest = new Latest();
  const started: string[] = [];
  const runs = ['b', 'be', 'bea', 'beach'].map((q) =>
    latest.run(async () => {
      started.push(q);
      return q;
    }, 20),
  );
  const results = await Promise.all(runs);
  assert.deepEqual(started, ['beach']);
  assert.deepEqual(results, [null, null, null, 'beach']);
});

test('errors of the current run are reported; errors of a superseded run are not', async () => {
  const latest = new Latest();
  const stale = latest.run(() => Promise.reject(new Error('stale failure')));
  const current = latest.run(() => Promise.reject(new Error('current failure')));
  assert.equal(await stale, null);
  await assert.rejects(current, /current failure/);
});

test('date fields cover whole local days', () => {
  const from = dayStart('2024-03-05')!;
  const to = dayEnd('2024-03-05')!;
  assert.equal(new Date(from).getHours(), 0);
  assert.equal(to - from, new Date(2024, 2, 6).getTime() - new Date(2024, 2, 5).getTime() - 1);
  assert.equal(toDayValue(from), '2024-03-05');
  assert.equal(toDayValue(to), '2024-03-05');
  assert.equal(dayStart(''), undefined);
  assert.equal(dayEnd('5 March'), undefined);
});
